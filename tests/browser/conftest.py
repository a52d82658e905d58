"""A real browser on the built site: Debian's Chromium driven by Playwright, the site
served by a local HTTP server on 127.0.0.1 at a free port. Every page records its
console errors, script errors, dialogs and every request it makes."""

from __future__ import annotations

import gzip
import http.server
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from factcheck_site.editor.link_check import serving
from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    expect,
    sync_playwright,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
# How long a page load, a click or an awaited change may take before a test fails: Playwright's 30 s (5 s for
# expect) is crossed on a busy machine (a load average of 20 on 2 cores), where nothing is wrong with the page.
WAIT_MS = 300_000
expect.set_options(timeout=WAIT_MS)
PHONE = {"width": 390, "height": 844}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: the site's 404.html for a missing page. The browser tests' tabs
    share a cache, and a later server may get a port an earlier one had: every response must be checked
    against the file before it is used again."""

    revalidate = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        if self.revalidate:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        self._send(404, not_found.read_bytes(), "text/html")

    def _send(self, status: int, body: bytes, content_type: str, encoding: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _CompressingHandler(_QuietHandler):
    """Text compressed with gzip when the browser accepts it, as GitHub Pages serves it: Lighthouse
    weighs what travels over the (simulated) network."""

    revalidate = False  # Lighthouse's browser has a cache of its own, and GitHub Pages sends max-age=600

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        self._send(200, gzip.compress(path.read_bytes(), mtime=0), self.guess_type(str(path)), "gzip")


COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".csv"}


def serve(folder: Path, compress: bool = False) -> Iterator[str]:
    """Serve folder on 127.0.0.1 at a free port, in a thread, until the generator closes."""
    with serving(folder, _CompressingHandler if compress else _QuietHandler) as address:
        yield address


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The repository's own site, built by `mkdocs build --strict` and served locally."""
    yield from serve(built_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "the browser tests need Debian's chromium (./dev test installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """One browser tab and what happened in it."""

    page: Page
    base: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: str, wait_until: str = "load") -> Page:
        """Go to a page of the site; "networkidle" also waits for what scripts fetch after loading."""
        response = self.page.goto(self.base + path, wait_until=wait_until)  # type: ignore[arg-type]
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return self.page

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the local server (data: and blob: stay inside the page)."""
        return [url for url in self.requests if not url.startswith((self.base, "data:", "blob:"))]


@dataclass
class SharedContext:
    """One browser context for the session's tabs, and the tabs themselves, kept for the next test: a page loaded
    in an open tab takes half the processor time of one in a new tab, and a new tab half that of a tab in a
    context of its own (the test server makes the cache check each file against the disk). Nothing else is
    shared: forget() deletes the cookies and stored data of the origins a tab reached (Material keeps the
    reader's palette in localStorage), and a tab goes back to the spares only once it shows a blank page with
    no route, no listener and no session storage left."""

    context: BrowserContext
    cdp: CDPSession
    spares: list[Page] = field(default_factory=list)

    def forget(self, origins: set[str]) -> None:
        for origin in sorted(origins):
            self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.context.clear_cookies()

    def tab(self) -> Page:
        """A spare tab, in front as a new one would be (a tab behind others gets no animation frames)."""
        if not self.spares:
            return self.context.new_page()
        page = self.spares.pop()
        page.bring_to_front()
        return page

    def put_back(self, page: Page, listeners: list[tuple[str, Callable[..., None]]]) -> None:
        for popup in [p for p in self.context.pages if p.opener() is page]:
            popup.close()
        if page.is_closed():
            return
        for event, listener in listeners:
            page.remove_listener(event, listener)
        page.unroute_all(behavior="ignoreErrors")
        if page.url.startswith(("http://", "https://")):
            page.evaluate("() => sessionStorage.clear()")
        page.goto("about:blank")
        self.spares.append(page)


@pytest.fixture(scope="session")
def shared_context(browser: Browser) -> Iterator[SharedContext]:
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(WAIT_MS)
    yield SharedContext(context, context.new_cdp_session(context.new_page()))
    context.close()


def _origins(urls: list[str]) -> set[str]:
    return {f"{url.scheme}://{url.netloc}" for url in map(urlsplit, urls) if url.scheme in ("http", "https")}


@pytest.fixture
def open_tab(shared_context: SharedContext) -> Iterator[Callable[..., Visit]]:
    """open_tab(base_url, viewport, color_scheme) -> Visit, a tab as a first-time reader's: nothing stored for
    the site, as in a new browser. The tabs are put back when the test ends."""
    visits: list[tuple[Visit, list[tuple[str, Callable[..., None]]]]] = []

    def reached() -> set[str]:
        return _origins([url for visit, _ in visits for url in (visit.base, *visit.requests)])

    def open_tab(base: str, viewport: dict[str, int] = DESKTOP, color_scheme: str = "light") -> Visit:
        shared_context.forget(reached() | _origins([base]))
        page = shared_context.tab()
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        page.emulate_media(color_scheme=color_scheme)  # type: ignore[arg-type]
        visit = Visit(page, base)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                visit.console_errors.append(f"{message.text} at {message.location}")

        def on_page_error(error: Exception) -> None:
            visit.page_errors.append(str(error))

        def on_dialog(dialog: Dialog) -> None:
            visit.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_request(request: Request) -> None:
            visit.requests.append(request.url)

        def on_popup(popup: Page) -> None:
            popup.on("request", on_request)

        listeners: list[tuple[str, Callable[..., None]]] = [
            ("console", on_console), ("pageerror", on_page_error), ("dialog", on_dialog), ("request", on_request),
            ("popup", on_popup)]
        for event, listener in listeners:
            page.on(event, listener)  # type: ignore[call-overload]
        visits.append((visit, listeners))
        return visit

    yield open_tab
    for visit, listeners in visits:
        shared_context.put_back(visit.page, listeners)
    shared_context.forget(reached())


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical accessibility violations found by axe-core, run inside the page."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # after a resize
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]
