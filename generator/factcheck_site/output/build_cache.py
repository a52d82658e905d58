"""The build cache: each generated page's finished HTML from earlier builds, so that `mkdocs build` and
`mkdocs serve` do not convert and theme pages whose inputs have not changed.

It lives in `.cache/factcheck/` beside mkdocs.yml (git-ignored); deleting it is always safe. It is untrusted
input, read and written only through cache_folder.py (no links followed, nothing git tracks, every file sealed
with this user's key): a JSON manifest (never unpickled) mapping each page's key to the SHA-256 of its HTML, and
the HTML files named by their SHA-256. A page's key is a hash of everything its HTML depends on: its Markdown
(which the generator made from the claims and sources), its address and edit link, and the environment
(environment_key): the generator's version and source files, every installed distribution's version, the MkDocs
configuration, the theme folders outside installed packages, and the site's own pages in docs/. A manifest or a
page whose seal does not hold (truncated, corrupted, edited, copied from another machine) is ignored with a
warning and rebuilt; a manifest of another version of the generator is ignored silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import sysconfig
import time
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

import factcheck_site
from factcheck_site.cache_folder import CACHE_DIR, CacheFolder

FORMAT = 2
MANIFEST = f"manifest-{FORMAT}.json"  # a manifest of another format has another name: it is never read
OLD_MANIFESTS = ("manifest.json",)  # deleted by save()
KEEP_BUILDS = 3  # entries unused for this many builds are dropped, and their HTML files deleted
_HEX = "0123456789abcdef"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """The generator's version and a hash of every file of the package (code, templates, assets)."""
    package = Path(factcheck_site.__file__).parent
    digest = hashlib.sha256(factcheck_site.__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def installed_distributions() -> str:
    """Python's version and every installed distribution's name and version: what the generator runs with besides
    its own files (the page cache's key, and the claim store's, output/core_cache.py)."""
    found = set()
    for distribution in metadata.distributions():
        # Its metadata's headers as written, not parsed as an email (which importlib.metadata does again at each use of
        # its name or version: a tenth of a second of every build in a new process, for its hundred distributions).
        text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
        headers = dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines() if ": " in line
                       and line.startswith(("Name: ", "Version: ")))
        if headers.get("Name"):
            found.add(f"{headers['Name']}=={headers.get('Version')}")
    return "\n".join([sys.version, *sorted(found)])


def _installed(path: Path) -> bool:
    """Inside an installed package's folder: covered by the distributions' versions."""
    roots = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    return any(path.is_relative_to(root) for root in roots)


def stable(value: Any) -> Any:
    """A JSON-able picture of a configuration value that is the same from one run to the next."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): stable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    config = getattr(value, "config", None)  # a plugin
    if isinstance(config, Mapping):
        return {"class": type(value).__qualname__, "config": stable(config)}
    if hasattr(value, "__dict__"):
        return {"class": type(value).__qualname__,
                "vars": {k: stable(v) for k, v in vars(value).items() if not k.startswith("_")}}
    return type(value).__qualname__


def _folder_digest(folder: Path, skip: Callable[[Path], bool] = lambda path: False) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not skip(path):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment_key(config: Mapping[str, Any], theme_dirs: Iterable[str], docs_dir: Path,
                    extra: Iterable[str] = ()) -> str:
    """What every generated page's HTML depends on besides its own Markdown.

    site_dir is left out: `mkdocs build` builds into a staging folder with a new name each time."""
    settings = {k: v for k, v in config.items() if k not in ("site_dir",)}
    parts = [generator_fingerprint(), installed_distributions(),
             json.dumps(stable(settings), sort_keys=True, default=repr)]
    parts += [_folder_digest(Path(d)) for d in theme_dirs if not _installed(Path(d))]
    parts.append(_folder_digest(docs_dir))
    parts += list(extra)
    return _sha("\0".join(parts).encode())


def page_key(environment: str, src_uri: str, edit_uri: str | None, markdown: str | bytes) -> str:
    """The key of a page's HTML; markdown may be the page packed (core_cache.pack), whose bytes decompress to one
    Markdown only, hashed as they are: a rebuild need not unpack each of 42,000 pages to find its HTML in the cache.
    A page's packed and whole forms have different keys (a miss, never a wrong page)."""
    if isinstance(markdown, bytes):
        return _sha(b"\0".join([b"packed", environment.encode(), src_uri.encode("utf-8", "surrogateescape"),
                                 (edit_uri or "").encode("utf-8", "surrogateescape"), markdown]))
    return _sha("\0".join([environment, src_uri, edit_uri or "", markdown]).encode())


class StoredTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in the cache's folder (`templates/`) for the next `mkdocs build`: in a new
    process Jinja compiles the theme's templates again, a fixed tenth of a second or more of every build. What Jinja
    loads here is Python code, so each file is sealed like every file of the cache (cache_folder.py): only what this
    user's builds compiled is ever loaded, and a file that is not is deleted with the cache's one warning. Jinja checks
    each against its own version, Python's and a hash of the template's source, and compiles again when one differs."""

    def __init__(self, folder: CacheFolder) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.folder.read(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only folder: compiled again next time
            self.folder.write(bucket.key, bucket.bytecode_to_string())


class CacheChanged(Exception):
    """An HTML file of the cache changed during the build."""


class PageCache:
    """The cache's pages: the manifest read once when a build starts; each new page written as it is made, the
    manifest that names them when the build has succeeded. Without a folder (the cache cannot be used) it holds
    nothing and writes nothing."""

    def __init__(self, folder: CacheFolder | None) -> None:
        self.folder = folder
        self.entries: dict[str, tuple[str, int]] = {}  # page key -> (HTML's SHA-256, build number last used)
        self.build = 0
        self.used: set[str] = set()
        self.checked: dict[str, tuple[int, ...]] = {}  # HTML SHA-256 -> its file as found sealed (checked_pages)
        self.unwritable = folder is None  # nothing more is written this build (the folder refused a page)
        # Files written after this are kept by save() even if its manifest does not name them: another build
        # sharing the folder (`mkdocs serve` beside `mkdocs build`) may have written them, for its own manifest.
        self.started = time.time()
        self._load()

    def _pages(self, sha: str) -> CacheFolder | None:
        html = self.folder.subfolder("html") if self.folder is not None else None
        return html.subfolder(sha[:2]) if html is not None else None

    def _load(self) -> None:
        if self.folder is None:
            return
        data = self.folder.read(MANIFEST)
        if data is None:
            return
        try:
            manifest = json.loads(data)
            if not isinstance(manifest, dict):
                raise ValueError("not a manifest of this format")
            if manifest.get("generator") != generator_fingerprint():
                return  # made by another version of the generator: nothing in it applies
            body = manifest.get("entries")
            if not isinstance(body, dict) or not isinstance(manifest.get("build"), int):
                raise ValueError("not a manifest of this format")
            for key, entry in body.items():
                if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                        and len(entry[0]) == 64 and not entry[0].strip(_HEX)  # every character a hex digit
                        and isinstance(entry[1], int)):
                    raise ValueError(f"entry {key[:16]} is malformed")
            self.entries = {key: (sha, used) for key, (sha, used) in body.items()}
            self.build = manifest["build"]
        except (ValueError, UnicodeDecodeError, RecursionError) as error:  # sealed, yet not ours: another version
            self.folder.distrust(f"{self.folder.path(MANIFEST)}: ignoring the build cache ({error})")
            self.entries = {}

    def _read(self, sha: str, again: bool = False) -> bytes | None:
        """A page's HTML; again: as has() read it, whose seal is not computed twice (CacheFolder.read_again)."""
        pages = self._pages(sha)
        if pages is None:
            return None
        return pages.read_again(f"{sha}.html") if again else pages.read(f"{sha}.html", remember=True)

    def has(self, key: str) -> bool:
        """Whether the cache holds a page's HTML, sealed by this user's builds (a wrong file is dropped)."""
        entry = self.entries.get(key)
        if entry is None:
            return False
        if not self._checked_elsewhere(entry[0]) and self._read(entry[0]) is None:
            assert self.folder is not None
            self.folder.distrust(f"{self._shown(entry[0])}: the build cache's file is missing; rendering the page "
                                 "again")
            del self.entries[key]
            return False
        return True

    def _checked_elsewhere(self, sha: str) -> bool:
        identity = self.checked.pop(sha, None)
        pages = self._pages(sha) if identity is not None else None
        return pages is not None and pages.checked_elsewhere(f"{sha}.html", identity)  # type: ignore[arg-type]

    def _shown(self, sha: str) -> str:
        return f"{CACHE_DIR}/html/{sha[:2]}/{sha}.html"

    def html(self, key: str) -> str:
        """A page's HTML, which has() has checked."""
        return self.html_bytes(key).decode("utf-8")

    def html_bytes(self, key: str) -> bytes:
        """A page's HTML as it is written into the site (UTF-8), which has() has checked."""
        sha = self.entries[key][0]
        data = self._read(sha, again=True)
        if data is None:
            raise CacheChanged(f"{self._shown(sha)} changed during the build; build again")
        self.used.add(key)
        return data

    def keep(self, key: str) -> None:
        """A page whose HTML is already in the site folder (`mkdocs serve --dirty`): its entry stays."""
        if key in self.entries:
            self.used.add(key)

    def put(self, key: str, html: str) -> None:
        """Written at once, not kept for save(): a build of 25,000 claims would otherwise hold all 2 GB of its
        pages in memory to the end. A failed build leaves files no manifest names, which the next save deletes."""
        if self.unwritable:
            return
        data = html.encode("utf-8", errors="xmlcharrefreplace")
        sha = _sha(data)
        pages = self._pages(sha)
        try:
            if pages is None:
                raise OSError("the folder cannot be made")
            pages.write(f"{sha}.html", data)
        except OSError as error:  # a read-only folder, a full disk: the build goes on without the cache
            self.unwritable = True
            assert self.folder is not None
            self.folder.distrust(f"{self.folder.path('html')}: cannot write the build cache ({error}); the next "
                                 "build renders every page again")
            return
        self.entries[key] = (sha, self.build + 1)
        self.used.add(key)

    def put_elsewhere(self, key: str, sha: str | None) -> None:
        """A page that a process forked from this build put (its HTML's SHA-256), or kept (None)."""
        if sha is not None and not self.unwritable:
            self.entries[key] = (sha, self.build + 1)
        self.keep(key)

    def next_build(self, folder: CacheFolder | None) -> None:
        """Start another build with what save() left (`mkdocs serve`), as a new PageCache would from the folder,
        which is opened again for each build."""
        self.started, self.unwritable, self.used = time.time(), folder is None, set()
        if folder is None:
            self.entries = {}
        self.folder = folder

    def save(self, sweep: bool = True) -> None:
        """Write the manifest, and drop what recent builds have not used (sweep: also the files of pages no entry
        names, which a failed build or a build beside this one may have left)."""
        if self.unwritable or self.folder is None:
            return  # put() has said so, or there is no cache
        build = self.build + 1
        entries = {key: (sha, build if key in self.used else used) for key, (sha, used) in self.entries.items()
                   if key in self.used or used > build - KEEP_BUILDS}
        body = {key: list(entry) for key, entry in sorted(entries.items())}
        manifest = {"format": FORMAT, "generator": generator_fingerprint(), "build": build, "entries": body}
        self.folder.write(MANIFEST, json.dumps(manifest).encode())
        for old in OLD_MANIFESTS:
            self.folder.delete(old)
        if sweep:
            self._sweep({f"{sha}.html" for sha, _ in entries.values()})
        self.entries, self.build, self.used = dict(entries), build, set()

    def _sweep(self, kept: set[str]) -> None:
        html = self.folder.subfolder("html") if self.folder is not None else None
        for name, _ in list(html.files()) if html is not None else ():
            html.delete(name)  # pages live one level down
        for folder in sorted(html.names()) if html is not None else ():
            pages = html.subfolder(folder)
            for name, modified in list(pages.files()) if pages is not None else ():
                if name not in kept and modified < self.started:
                    pages.delete(name)


def checked_pages(folder: CacheFolder) -> dict[str, tuple[int, ...]]:
    """Each page the cache's manifest names whose file is sealed by this user's builds, by its HTML's SHA-256, with
    what identifies the file (CacheFolder.checked): run by a process forked before a rebuild's core (plugin.py), on the
    second core, so that the build's own has() takes a page unchanged since without reading it and computing its seal
    (1.2 s of the rebuild's process at 10,000 claims: an HMAC of 0.9 GB of pages). It deletes and warns about nothing:
    a page not found sealed here is read and handled by the build's process, as before (PageCache.checked)."""
    folder.looking_only()
    cache = PageCache(folder)
    found: dict[str, tuple[int, ...]] = {}
    for sha in sorted({sha for sha, _ in cache.entries.values()}):
        pages, name = cache._pages(sha), f"{sha}.html"
        identity = pages.checked(name) if pages is not None and pages.read(name, remember=True) is not None else None
        if identity is not None:
            found[sha] = identity
    return found
