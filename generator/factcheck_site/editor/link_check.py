"""`factcheck check-links`: LinkChecker over a built site, served on this machine.

LinkChecker allows itself at most ten requests a second to one host, and about a third of that on
average, unless the server answers with a `LinkChecker` header. A site of a few hundred pages served by
`python -m http.server` therefore costs every pull request half a minute of sleeping. The server here
sends that header, so LinkChecker may ask as fast as it is answered; it only ever serves this machine."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shlex
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Requests a second LinkChecker may make to a server that welcomes it: as many as it is answered.
REQUESTS_PER_SECOND = 1000


class LinkCheckError(Exception):
    """Nothing to check, or nothing to check it with: a usage error, not a broken link."""


class _WelcomesLinkChecker(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "welcome")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        """Quiet: LinkChecker reports what matters, and a line per request would bury it."""

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A folder without index.html is a missing page, as on GitHub Pages, not a listing of its files."""
        self.send_error(404, "No index.html in this folder")


@contextmanager
def serving(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _WelcomesLinkChecker
            ) -> Iterator[str]:
    """The folder's address while the block runs, on 127.0.0.1 at a port nobody else holds (the browser tests
    serve their sites through it too, with handlers of their own)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def python_command() -> str:
    """This interpreter as the editor can type it: relative to the current folder when under it (.venv/bin/python)."""
    interpreter = Path(sys.executable)
    try:
        return str(interpreter.relative_to(Path.cwd()))
    except ValueError:
        return str(interpreter)


def check_links(site_dir: Path, shown: str, config_file: Path) -> int:
    """LinkChecker's exit status: 0 when no link is broken, 1 when one is; its report goes to standard output.
    config_file (the site's mkdocs.yml) only tells whether the editor is in the site's folder."""
    if site_dir.is_file():
        raise LinkCheckError(f"{shown}: a file, not a folder; pass the folder the site was built into "
                             "(default: site)")
    if not (site_dir / "index.html").is_file():
        where = "" if config_file.is_file() else f" in the site's folder (where {config_file.name} is)"
        raise LinkCheckError(f"{shown}: no built site here (no index.html); build it first{where} with "
                             f"mkdocs build --site-dir {shlex.quote(shown)}")
    if importlib.util.find_spec("linkcheck") is None:
        raise LinkCheckError(f"LinkChecker is not installed here; install it with: {python_command()} -m pip install "
                             "linkchecker")
    with tempfile.TemporaryDirectory() as folder, serving(site_dir) as address:
        settings = Path(folder) / "linkcheckerrc"
        settings.write_text(f"[checking]\nmaxrequestspersecond={REQUESTS_PER_SECOND}\n", encoding="utf-8")
        command = [sys.executable, "-m", "linkcheck", "--no-status", "--no-warnings", "--config", str(settings),
                   address]
        return subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
