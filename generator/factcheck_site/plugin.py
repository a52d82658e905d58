"""The MkDocs adapter: load and check the content before anything is written, then
hand the generated pages to MkDocs in memory. `mkdocs build` writes into a staging
folder that replaces the site folder only when the build has finished."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path, PurePath
from typing import Any

import click
import mkdocs
from jinja2 import BytecodeCache, ChoiceLoader, DictLoader, Environment
from jinja2.bccache import Bucket
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from factcheck_site.build import BuildOptions, DataLater, SiteBuild, build_site, processes_available
from factcheck_site.cache_folder import CACHE_DIR, CacheFolder, open_cache
from factcheck_site.config import settings_from_config
from factcheck_site.content.git_dates import claim_commit_dates, first_commit_dates
from factcheck_site.content.load import CLAIM_SUFFIX, SOURCE_SUFFIX, display
from factcheck_site.content.model import Site
from factcheck_site.content.problems import Problem
from factcheck_site.content.published_dates import published_before_first_commit
from factcheck_site.content.publisher import ORGANIZATION_URL_KEYS, Publication, local_path, publication_from_config
from factcheck_site.content.settings import Settings
from factcheck_site.content.site_checks import (
    config_placeholders,
    config_repeats,
    example_content,
    page_placeholders,
    page_repeats,
    theme_has_extrahead,
    theme_shortfalls,
)
from factcheck_site.content.symlinks import folders_outside, input_folders, links_leaving, site_folder_refused
from factcheck_site.content.web_address import joined_plainly
from factcheck_site.language import activate, catalogued, desk_catalogue, known, not_a_language, theme_words
from factcheck_site.output.build_cache import (
    CacheChanged,
    PageCache,
    StoredTemplates,
    checked_pages,
    environment_key,
    page_key,
)
from factcheck_site.output.core_cache import ClaimsIndex, StoredClaims, words_digest
from factcheck_site.output.pieces import KeptPieces, Pieces
from factcheck_site.output.raw_html import CONVERTED, PLACEHOLDER, Anchors, converted, passes_through
from factcheck_site.output.reader_frame import FRAME_WORDS, MARK_URI, ReaderFrame, apply_defaults, section_src
from factcheck_site.output.search_index import (
    STOCK_WORKER,
    LastIndex,
    WrittenIndex,
    extend_site_index,
    index_stopwords,
    search_docs,
    worker_asset,
    write_index_files,
)
from factcheck_site.output.share_cards import (
    BackgroundCards,
    CachedCard,
    CardNames,
    CardsBeside,
    card_folder,
    left_out_note,
    share_cards,
)
from factcheck_site.output.site_export import CSS_URI, mark, stylesheet, theme_templates
from factcheck_site.output.staging import delete_with_empty_parents, discard, make_staging, publish, unlink_links
from factcheck_site.output.theme_fixes import html_direction, name_search_dialog, wrap_tables
from factcheck_site.plugin_options import FactcheckConfig
from factcheck_site.render.draft_pages import draft_pages
from factcheck_site.render.placeholders import missing_message
from factcheck_site.render.reads import ReadMemo
from factcheck_site.render.site_pages import DATA_FILES, docs_clashes, render_data_files, render_own_page
from factcheck_site.render.urls import HOME_SRC, SCALE_SRC, claim_src
from factcheck_site.serve_passes import SITEMAP, TEMPLATE_EVENTS, KeptSitemap, ServedFiles
from factcheck_site.serving import (
    BACKSTOP_POLL,
    AnnouncedChanges,
    BackgroundPages,
    Beside,
    Collector,
    HeldDraws,
    LaterFiles,
    ThemeListing,
    WatchersHeld,
    after_first_request,
    request_build,
    served_path,
    write_atomically,
)

log = logging.getLogger("mkdocs.plugins.factcheck")
CACHED_TEMPLATE = "factcheck-cached.html"  # an empty template for pages whose HTML comes from the cache
MIN_POLL, MAX_POLL, POLL_SHARE = 0.1, 0.5, 0.05  # seconds between polls of the claims and sources under mkdocs serve
FOLLOW_UP_WAIT = 30  # seconds the first preview waits for a browser before the feeds and exports are made anyway


class _Unchanged(File):
    """A generated page whose HTML in the site folder is already this build's (`mkdocs serve --dirty`):
    MkDocs neither converts nor themes nor writes it; or a link-preview card already there, which it does not
    copy again."""

    def is_modified(self) -> bool:
        return False


@cache
def builder() -> str:
    """The MkDocs-compatible builder running this build, and its version: ProperDocs answers `import mkdocs` with
    itself, and its pages differ from MkDocs' (the generator meta tag), so neither may serve the other's from the
    build cache."""
    return f"{mkdocs.__name__} {getattr(mkdocs, '__version__', '')}"


class _CardFile(File):
    """A link-preview card, copied into the site from the cache only through its seal (output/share_cards.py):
    never by its path, which MkDocs would follow whatever it is."""

    card: CachedCard
    later: list[File] | None = None  # `mkdocs build`: copied once the cards drawn beside its pages are (CardsBeside)

    def copy_file(self, dirty: bool = False) -> None:
        if self.later is not None:
            self.later.append(self)
            return
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        with open(self.abs_dest_path, "wb") as output:
            output.write(self.card.data())

    @property
    def content_bytes(self) -> bytes:  # type: ignore[override]
        return self.card.data()

    def is_modified(self) -> bool:
        return True


_heap_left = False  # _leave_heap() has frozen the heap of a build in this process


def _leave_heap() -> None:
    """A `mkdocs build` has made its site, and its process ends next: the objects it holds are left out of the cyclic
    collector (gc.freeze), for the operating system to take back. Python's exit collected them on one core, the other
    idle: at 10,000 claims 0.8 s for 350,000 objects in cycles and 1.7 s from the build's end to the process's (0.3 s
    frozen). Another build in the same process takes them back first (_take_heap_back)."""
    global _heap_left
    gc.freeze()
    _heap_left = True


def _take_heap_back() -> None:
    """A build starts in a process where an earlier one left its heap (_leave_heap): what that one left is collected
    as usual from now on, not held for the process's life."""
    global _heap_left
    if _heap_left:
        gc.unfreeze()
        _heap_left = False


def _copy_now(cards: list[File]) -> bool:
    """The cards copied into the site: by a process beside MkDocs' pages (a rebuild, every card in the cache), or
    here once drawn."""
    for card in cards:
        card.later = None  # type: ignore[attr-defined]
        card.copy_file()
    return True


class _PackedPage(File):
    """A generated page whose Markdown is held compressed until MkDocs reads it: MkDocs reads every page before it
    writes the first, so `mkdocs build` would otherwise hold every claim's, source's and listing's page whole at once
    (about 1 GB at 25,000 claims), and `mkdocs serve` keeps every page from one save to the next. Read twice: when
    MkDocs reads the page, and for its HTML."""

    packed = b""

    @property
    def content_string(self) -> str:  # type: ignore[override]
        return zlib.decompress(self.packed).decode("utf-8")

    @property
    def content_bytes(self) -> bytes:  # type: ignore[override]
        return zlib.decompress(self.packed)

    def is_modified(self) -> bool:
        return True


class _UnchangedPacked(_PackedPage, _Unchanged):
    """A generated page _Unchanged since the last build, its Markdown held packed (`mkdocs serve --dirty`)."""

    def is_modified(self) -> bool:
        return False


_KEPT_PAGES = (_Unchanged, _UnchangedPacked)  # the kinds of a generated page the last build kept


class _WrittenBeside(File):
    """A file that a rebuild writes into the site by a process beside MkDocs' own work (on_env, _write_stored), where
    it can: MkDocs' copy of the static files then leaves it alone."""

    beside = False

    def copy_file(self, dirty: bool = False) -> None:
        if not self.beside:
            self.write()

    def write(self) -> None:
        raise NotImplementedError


class _StoredPage(_WrittenBeside, _PackedPage):
    """`mkdocs build`: a generated page whose finished HTML (themed, as on_post_page wrote it) the build cache holds
    under its key, which hashes everything that HTML depends on (output/build_cache.py). It is written straight from
    the cache into the site among MkDocs' other files, and is no page to MkDocs: not read, converted, given a template
    context, themed or written by it (a fifth of a rebuild's CPU at 10,000 claims went there, for 21,000 pages). Its
    Page is made for the sitemap and for links to it (their anchors are found in its Markdown, only if a link asks),
    and the templates' list of pages names it where MkDocs' would."""

    key = ""
    cache: PageCache | None = None
    stored = False  # from the end of on_files: before then MkDocs and the plugin see a page

    def is_documentation_page(self) -> bool:
        return not self.stored

    def write(self) -> None:
        assert self.cache is not None
        mkdocs_utils.write_file(_cached_html(self.cache, self.key, self.src_uri), self.abs_dest_path)


def _write_stored(files: list[_WrittenBeside]) -> str:
    """The feeds and exports (unpacked and written: a second of a rebuild at 10,000 claims) and the pages of the cache
    (reading and writing 0.9 GB of pages, a seventh of its time in the build's process) written into the site by a
    process beside MkDocs' own work. "" once all are written; else the message of the PluginError that stops the
    build (a page of the cache changed meanwhile)."""
    try:
        for file in files:
            file.write()
    except PluginError as error:
        return str(error)
    return ""


def _search_languages(config: MkDocsConfig) -> list[str] | None:
    """The languages Material's search plugin gives the stock index (its lang, as its on_config set it)."""
    for plugin in config.plugins.values():
        if type(plugin).__module__ == "material.plugins.search.plugin":
            return plugin.config.lang  # type: ignore[attr-defined]
    return None


def _claims_index_beside(stored: StoredClaims, stopwords: frozenset[str],
                         docs: Callable[[], list[Any]]) -> tuple[ClaimsIndex, list[str]]:
    """StoredClaims.claims_index in a process forked for it (serving.Beside), with the cache's warnings, for the build's
    process to give."""
    noted = stored.folder.noted_only() if stored.folder is not None else []
    return stored.claims_index(stopwords, docs), noted


def _cached_html(cache: PageCache, key: str, src_uri: str) -> bytes:
    """The page's HTML from the cache, which another build of the same project may change under this one."""
    try:
        return cache.html_bytes(key)
    except CacheChanged as changed:
        raise PluginError(f"{src_uri}: {changed} (another build of this project ran at the same time?)") from None


_set_canonical_url = Page._set_canonical_url


def _canonical_url(page: Page, base: str | None) -> None:
    """Page._set_canonical_url without urljoin and urlsplit for a page's plain address (each takes MkDocs tens of
    microseconds, for every one of 42,000 pages of a build at 25,000 claims): the same canonical_url and abs_url."""
    if base:
        joined = joined_plainly(base if base.endswith("/") else base + "/", page.url)
        if joined is not None:
            page.canonical_url, page.abs_url = joined
            return
    _set_canonical_url(page, base)


def _every(inclusion: InclusionLevel) -> bool:
    return True


class _WrittenOnce(_WrittenBeside):
    """A feed or an export (`mkdocs build`): held compressed until it is written (MkDocs reads every page first), and
    dropped once written, before MkDocs writes the pages, not held to the end of the build (over 400 MB at 25,000
    claims, a tenth of that packed)."""

    packed: bytes | None = None

    @property
    def content_bytes(self) -> bytes:  # type: ignore[override]
        return zlib.decompress(self.packed) if self.packed is not None else File.content_bytes.fget(self)  # type: ignore[attr-defined]

    @property
    def content_string(self) -> str:  # type: ignore[override]
        return self.content_bytes.decode("utf-8")

    def write(self) -> None:
        if self.packed is not None:
            self._content = zlib.decompress(self.packed)
        File.copy_file(self)
        self.written()

    def written(self) -> None:
        """Written into the site (here or beside): read from there from now on, not held."""
        self._content, self.packed, self.abs_src_path = None, None, self.abs_dest_path

    def is_modified(self) -> bool:
        return True


class _DataFile(File):
    """A feed or an export under `mkdocs serve`: written from its pieces (output/pieces.py), renamed into place whole,
    and, in a dirty build into the same folder, only when they differ from what the last build wrote there."""

    pieces = Pieces([])
    unchanged = False
    later = False  # made and written once the build's pages are served (_make_data_files), not by MkDocs

    @property
    def content_bytes(self) -> bytes:  # type: ignore[override]
        return self.pieces.data()

    @property
    def content_string(self) -> str:  # type: ignore[override]
        return self.content_bytes.decode("utf-8")

    def copy_file(self, dirty: bool = False) -> None:
        if not (dirty and self.unchanged or self.later):
            self.pieces.write(self.abs_dest_path)

    def is_modified(self) -> bool:
        return not self.unchanged


@contextlib.contextmanager
def _writing_atomically() -> Iterator[None]:
    """MkDocs writes its pages through serving.write_atomically meanwhile."""
    write = mkdocs_utils.write_file
    mkdocs_utils.write_file = write_atomically
    try:
        yield
    finally:
        mkdocs_utils.write_file = write


def _relative_folder(folder: Path, docs_dir: Path) -> str:
    """folder from docs_dir, as the start of an edit link: "../claims/", or "" for docs_dir itself."""
    relative = Path(os.path.relpath(folder, docs_dir)).as_posix()
    return "" if relative == "." else relative + "/"


def _raw_html(file: File, start: int) -> str:
    """The HTML of a generated page that passes through Markdown: its Markdown from start (after the front matter)."""
    return converted(file.content_string[start:])


def _body(file: File) -> str:
    """A generated page's Markdown after its front matter."""
    markdown = file.content_string
    return markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown


def _skip_render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Page.render for a page whose HTML comes from the cache: nothing to convert, and the anchors MkDocs would
    have found (for the links of other pages to them), from its Markdown only if a link asks."""
    page.content, page.toc = "", get_toc([])
    page.present_anchor_ids = Anchors(partial(_raw_body, page.file))  # type: ignore[assignment]


def _raw_body(file: File) -> str:
    """A cached page's body where Markdown would give it back as it is (its anchors are the ids in it), else "" (no
    anchors, as MkDocs finds none in a page it does not convert): unpacked only if a link asks for an anchor."""
    body = _body(file)
    return body if passes_through(body) else ""


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for a `mkdocs serve` session; Jinja checks each against a hash
    of its template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _fails_strict(config: MkDocsConfig) -> bool:
    """Whether a strict build has logged a warning: MkDocs fails it once every plugin's on_post_build has run."""
    return bool(config.strict) and any(isinstance(handler, mkdocs_utils.CountHandler) and handler.get_counts()
                                       for handler in logging.getLogger("mkdocs").handlers)


def _nav_paths(nav: Any) -> set[str]:
    """The pages named in mkdocs.yml's nav: MkDocs renders them with their neighbours, so they are never cached."""
    found: set[str] = set()
    if isinstance(nav, str):  # as MkDocs looks it up (./claims/a.md is claims/a.md), a leading / either way
        found.add(PurePath(nav.lstrip("/")).as_posix())
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            found |= _nav_paths(item)
    return found


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    def __init__(self) -> None:
        self.raw_html_shortcut = True  # False: every page through Markdown (tests/test_raw_html.py compares)
        self._start_run()

    def _start_run(self) -> None:
        """Everything one run of a command (`mkdocs build`, or one `mkdocs serve` and its rebuilds) keeps: a new run
        in the same process gets the same instance (MkDocs keeps plugins that have on_startup), and must not build
        on the last one's state (a serve's first preview, left unfinished, would publish empty exports)."""
        self.settings: Settings | None = None
        self.site: Site | None = None
        self.publication: Publication | None = None
        self.generated: set[str] = set()
        self.pages: dict[str, str] = {}
        self.home_section = ""  # for the site's own home page
        self.data_files: dict[str, bytes] = {}  # mkdocs build: the feeds and exports, packed, until on_files
        self.stored: StoredClaims | None = None  # mkdocs build: the claims and pages stored in the cache
        self.command: str | None = None
        self.dirty = False
        self.staging: Path | None = None
        self.site_dir = ""
        self.mkdocs_config: MkDocsConfig | None = None
        self.serving = False
        self.worker_swap: tuple[str, str] | None = None  # (Material's search worker, ours)
        self.problems: list[Problem] = []
        self.frame: ReaderFrame | None = None
        self.marked: Page | None = None  # the tab marked current for a page not in the nav
        self.built: SiteBuild | None = None  # the last build, reused by the next one under mkdocs serve
        self.cache: PageCache | None = None
        self.cache_folders: list[CacheFolder] = []  # open for this build: closed when it ends
        self.cache_root: CacheFolder | None = None  # the project's cache, once opened for this build (cache_opened)
        self.cache_opened = False
        self.last_cache: PageCache | None = None  # under mkdocs serve, the cache as the last build saved it
        self.keys: dict[str, str] = {}  # generated page -> its cache key, for the pages this build may cache
        self.hits: set[str] = set()  # generated pages whose HTML comes from the cache
        self.written: dict[str, str] = {}  # under mkdocs serve --dirty: output file -> key of what it holds
        self.written_to = ""  # ... in this site folder
        self.outputs: set[str] = set()  # every file of this build (MkDocs' Files), by its path in the site folder
        self.outputs_before: set[str] = set()  # ... of the last build into the same folder
        self.bytecode = _CompiledTemplates()
        self.direction = "ltr"  # the pages' writing direction (on_config)
        # Generated pages given to Markdown as a placeholder: their HTML, or where it starts in the page's Markdown
        # (put in the page only while its template is rendered: a build need not hold every page's HTML at once).
        self.raw_pages: dict[str, str | int] = {}
        self.read_source = ""  # the page being read, decompressed (_PackedPage), until on_page_markdown
        self.html_late = False  # ... where no other plugin wants a page's HTML when it is read (on_page_content)
        # Under mkdocs serve, from the last build: the search index and each claim's search document, each claim's
        # card, the feeds' and exports' pieces, and what each of them the site folder holds (by path).
        self.last_index = LastIndex()
        self.search_reads = ReadMemo()
        self.card_names = CardNames()
        self.data_pieces = KeptPieces()
        self.data_written: dict[str, Pieces] = {}
        self.later_files = LaterFiles()  # under mkdocs serve --dirty, what a save makes once its pages are served
        self.later_data: tuple[tuple[str, ...], Callable[[], None]] | None = None  # ... its feeds and exports
        self.collector = Collector()  # under mkdocs serve, collects garbage between builds
        self.watchers = WatchersHeld()  # ... and holds the file watcher during them
        self.theme_listing = ThemeListing()  # ... and keeps MkDocs' listing of the theme's files
        self.announced = AnnouncedChanges()  # ... and has the kernel announce changes to the claims and sources
        self.server: LiveReloadServer | None = None
        # (file, site folder, URL style): where MkDocs puts it (dest_uri, url, abs_dest_path)
        self.addresses: dict[tuple[str, str, bool], tuple[str, str, str]] = {}
        self.place: tuple[MkDocsConfig | None, str, bool] = (None, "", True)  # the config's site_dir, URL style
        self.address_keys: dict[str, tuple[str, str, bool]] = {}  # ... by the file's abs_dest_path
        self.addresses_for: tuple[str, bool] | None = None  # (site folder, URL style) of every address kept
        self.current_pages: tuple[tuple[str, bool], set[str], set[str]] | None = None  # see _current
        # Under mkdocs serve --dirty, the _Unchanged files of this build and of the last, by src_uri (_generated)
        self.kept_files: dict[str, tuple[tuple[str, str, str], File]] = {}
        self.files_before: dict[str, tuple[tuple[str, str, str], File]] = {}
        self.files_state = ("", "")  # what a Page depends on that its file's state does not say: site folder, date
        self.kept_for: tuple[tuple[str, str], bool] | None = None  # (files_state, URL style) of the Files kept
        self.last_keys: dict[str, tuple[str | bytes, str, str | None, str]] = {}  # page: Markdown, environment, ...
        self.index_written: WrittenIndex | None = None  # dirty: the factcheck index folder and files
        # Under mkdocs serve: the first build leaves out the feeds and exports (placeholders: empty ones) and the
        # cards not yet drawn, which a preview does not show; a build once the first page is served adds them.
        self.first_preview = False
        self.follow_up = False  # the last build was the first preview: build again once the first page is served
        self.background_cards: BackgroundCards | None = None
        self.cards_beside = CardsBeside()  # mkdocs build: cards drawn while MkDocs makes the pages
        self.cards_early: dict[str, CachedCard] | None = None  # ... started before on_files (_cards_then_data)
        self.cards_to_copy: list[File] = []  # ... and copied into the site once drawn
        # mkdocs build with every card in the cache (a rebuild): copied by a process beside MkDocs' own pages
        self.cards_listed: list[File] = []
        self.cards_copied: list[tuple[str, File]] = []  # serve --dirty: the cards this build copies (_kept_cards)
        self.cards_copying: Beside | None = None
        self.held_cards: HeldDraws | None = None  # the first preview's cards, drawn once its pages are made
        self.nav: Navigation | None = None
        # The first preview's generated pages, made by processes forked from its build while the server serves
        self.held_back: list[File] = []
        self.background: BackgroundPages | None = None
        self.made_beside: list[tuple[str, str, str | None]] = []  # what they made: (written to, key, HTML's SHA-256)
        self.site_lock = threading.Lock()  # held by a build, and by the server's process making a page asked for
        self.site_held = False  # ... by this build
        self.sitemap: KeptSitemap | None = None  # under mkdocs serve --dirty: the last build's, kept if the same
        self.built_files: Files | None = None  # this build's files, for the sitemap's template
        # mkdocs build: the pages written straight from the cache (_StoredPage), and the pages the templates list
        self.stored_pages: list[File] = []
        self.template_pages: list[File] | None = None
        # ... written by processes beside (each with the files it writes), waited for at the end
        self.stored_writing: list[tuple[Beside, list[_WrittenBeside]]] = []
        self.data_listed: list[_WrittenOnce] = []  # mkdocs build: the feeds and exports, written beside them too
        self.data_later: DataLater | None = None  # ... by the process joining them (a rebuild), or given to them here
        self.seals_checking: Beside | None = None  # mkdocs build: the cache's pages checked beside build_site
        self.index_making: tuple[frozenset[str], Beside] | None = None  # ... a rebuild's claims index made beside

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._start_run()
        self.command, self.dirty = command, dirty
        self.serving = command == "serve"
        if self.serving:
            # The first preview leaves out what the build after it adds, which runs once the server has served the
            # first page: never without live reload (MkDocs then calls no on_serve, and watches nothing).
            context = click.get_current_context(silent=True)
            self.first_preview = context is None or context.params.get("livereload", True) is not False
            self.background_cards = BackgroundCards(self._own_card_folder, self._request_build)
            self.held_cards = HeldDraws(self.background_cards)
            if dirty:
                self.sitemap = KeptSitemap()

    def _own_card_folder(self) -> CacheFolder | None:
        """A handle of its own on the cards' folder that builds read, for the cards drawn in the background; None
        without the project's cache (a private folder is this process's, and per build)."""
        assert self.settings is not None
        cache = open_cache(self.settings.root, log.warning, log.info)
        folder = cache.subfolder("cards") if cache is not None else None
        if folder is None and cache is not None:
            cache.close()
        return folder

    def _request_build(self) -> None:
        if self.server is not None:
            request_build(self.server)

    @event_priority(50)  # before the search plugin's, which reads the theme's words through partials/language.html
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _take_heap_back()
        self.later_files.finish()  # the last build's files, written before this one changes anything they read
        Page._set_canonical_url = _canonical_url  # type: ignore[method-assign]
        root = Path(config.config_file_path).parent.resolve()
        self.settings = settings_from_config(root, self.config, Path(config.docs_dir), config.theme.get("language"))
        # Every word of this build, in the frame and feeds too; the page's direction is the theme's setting when the
        # desk gives one (Material's theme.direction), else the language's.
        language = activate(self.settings.language, root)
        if self.background_cards is not None:  # the cards are drawn in it too
            self.background_cards.language = (self.settings.language, str(root))
        self.cards_beside.language = (self.settings.language, str(root))
        config.theme["factcheck_words"] = self._theme_words(config, root)  # read by templates/partials/language.html
        self.direction = config.theme.get("direction") or language.direction
        config.theme["direction"] = self.direction
        if CSS_URI not in config.extra_css:
            config.extra_css.insert(0, CSS_URI)
        if self.serving:
            self._keep_theme_listing(config)
        templates = str(theme_templates())
        if templates not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, templates)
        organization = self.settings.organization
        apply_defaults(config, edit_links=self.config.edit_links, organization=organization)
        self.frame = ReaderFrame(config.repo_url, organization.get("email"), self.config.footer,
                                 self.config.repository_link, config.theme.get("language"))
        warnings, notes = self.frame.route_problems(organization.get("email"), config.site_url)
        for message in warnings:
            log.warning(f"mkdocs.yml: {message}")
        for message in notes:
            log.info(f"mkdocs.yml: {message} (no reader sees a build for {config.site_url}, so this is no warning)")
        self.publication, messages = publication_from_config(
            config.site_url, config.site_name, config.site_description, config.theme.get("language"),
            self.settings.organization, config.use_directory_urls)
        for message in messages:
            log.warning(f"mkdocs.yml: {message}")
        # Placeholders not filled in, and what another theme loses: warnings, so a strict build fails.
        site = {key: config.get(key) for key in ("site_name", "site_description", "site_url", "repo_url")}
        for note in config_placeholders(Path(config.config_file_path), site, self.settings.organization):
            log.warning(str(note))
        for note in config_repeats(Path(config.config_file_path)):
            log.warning(str(note))
        shortfall = theme_shortfalls(config.theme.name, theme_has_extrahead(config.theme))
        if shortfall:
            log.warning(f"mkdocs.yml: {shortfall}")
        return config

    def _theme_words(self, config: MkDocsConfig, root: Path) -> str:
        """The theme's translation of its own words for the site's language (see language.theme_words); an unknown
        language stops the build, and what is in English or wrong in the desk's catalogue is said."""
        assert self.settings is not None
        code = self.settings.language
        if not known(code):
            raise PluginError(f"mkdocs.yml: {not_a_language(code)}")
        catalogue, problems = desk_catalogue(root, code)
        for line, message in problems:
            log.warning(f"{catalogue.relative_to(root).as_posix() if catalogue else ''}:{line}: {message}")
        if not catalogued(code, root):
            log.info(f"theme.language is {code!r}, for which the generator has no translation of its own words "
                     f"(verdicts, headings, listings): readers see them in English. Translate them in "
                     f"locales/{code}/LC_MESSAGES/factcheck.po in the project (README: A desk in its own language)")
        words = theme_words(code, config.theme.dirs)
        if words is None:
            log.warning(f"mkdocs.yml: theme.language is {code!r}, and the theme has no translation of its own words "
                        "(search, navigation, footer) in it: readers would see them in English. Add one as "
                        f"partials/languages/{code}.html in theme.custom_dir (README: A desk in its own language)")
        return words or "en"

    def _keep_theme_listing(self, config: MkDocsConfig) -> None:
        theme, make_env = config.theme, config.theme.get_env

        def get_env() -> Environment:
            env = make_env()
            # Every environment, not only the build's (on_env): Material's search compiles its language templates
            # in three of its own on every build, a quarter of a second of each save.
            env.bytecode_cache = self.bytecode
            patterns = (tuple(sorted(theme.static_templates)), tuple(mkdocs_utils.markdown_extensions))
            self.theme_listing.wrap(env, patterns)
            return env

        theme.get_env = get_env  # type: ignore[method-assign]

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Every check on the content runs here, before MkDocs touches the site folder.
        assert self.settings is not None
        if self.serving:
            self.collector.before_build()
            self.watchers.hold(self.server, self.announced.backstop)
            self._cards_paused(True)
            self.site_lock.acquire()
            self.site_held = True
            self._made_in_background()
        s = self.settings
        # Nothing is read through a link out of the project, nor built into a site folder that mkdocs.yml (which a
        # clone brings) puts outside it: stopped before anything is read, whatever the build's strictness.
        docs_dir, custom_dir = Path(config.docs_dir), config.theme.custom_dir
        inputs = {**input_folders(s), **({"theme.custom_dir": Path(custom_dir)} if custom_dir else {})}
        blocked = folders_outside(inputs, s.root) + self._site_folder_problems(config, list(inputs.values()))
        if blocked:
            raise PluginError(self._problems_message(blocked))
        links = [problem for folder in (docs_dir, *([Path(custom_dir)] if custom_dir else []))
                 for problem in links_leaving(folder, s.root)]
        committed, history = claim_commit_dates(s.claims_dir, CLAIM_SUFFIX, s.root)
        # A build in a new process checks again only the claim files changed since the last (output/core_cache.py);
        # under mkdocs serve, the last build in memory does more. A build that fails makes no cache folder.
        existing = os.path.lexists(s.root / CACHE_DIR)
        stored = None if self.serving else StoredClaims(self._cache_root() if existing else None, self._cache_root)
        self.stored = stored  # until the search index is made (on_post_build)
        self._check_seals_beside(existing)
        # A cold mkdocs build makes its feeds and exports itself, once the cards are being drawn (_cards_then_data)
        data_here = not self.serving and not existing
        built = build_site(BuildOptions(s, config.use_directory_urls, self.publication, committed, packed=True,
                                        kept=self.serving, data_files=not self.serving and not data_here,
                                        data_later=not self.serving, data_files_after=data_here),
                           previous=self.built if self.serving else None, stored=stored)
        self.built = built if self.serving else None
        self.data_files = built.data_files  # mkdocs build: the feeds and exports, packed (from the cache too)
        self.data_later = built.data_later  # ... or still being joined beside (a rebuild)
        self.site, self.pages, self.home_section = built.site, dict(built.pages), built.home_section
        problems = built.problems + history + links + docs_clashes(self.pages, docs_dir, s.root, links)
        if not self.serving:  # a warning, so a strict build fails; one more git call, left out of the preview
            for note in published_before_first_commit(built.site.claims.values(), first_commit_dates(s.claims_dir),
                                                      s.root, CLAIM_SUFFIX):
                log.warning(str(note))
        self.problems = sorted(problems)
        if problems:
            message = self._problems_message(self.problems)
            if not self.serving or links:  # a preview would publish what a link points at
                raise PluginError(message)
            # Previewing a draft: build the rest, and show the problems on the draft's own page.
            log.warning(message)
            self.pages.update(draft_pages(self.problems, self._drafts()))
        # The template's invented example, still here: a warning, so a strict build fails.
        for note in example_content({c.id: (c.path, c.author) for c in self.site.claims.values()},
                                    {source.id: source.path for source in self.site.sources.values()}, s.root):
            log.warning(str(note))
        if data_here:
            self._cards_then_data(built.make_data_files)
        # Only now, with the content sound, does anything touch the disk: MkDocs cleans
        # site_dir next, which is the staging folder from here on.
        if self.command in ("build", "gh-deploy") and self.dirty and os.path.isdir(config.site_dir):
            for link in unlink_links(Path(config.site_dir)):
                log.info(f"{link}: a symbolic link in the site folder, removed (a dirty build writes into the "
                         "folder as it stands, and would write through it)")
        if self.command in ("build", "gh-deploy") and not self.dirty and self.staging is None:
            try:
                staging = make_staging(Path(config.site_dir))
            except OSError as error:  # e.g. the site folder's parent is read-only: build in place, as MkDocs does
                log.info(f"cannot make a staging folder beside {config.site_dir} ({error.strerror}); "
                            "building in place, so a failed build may leave a partial site")
                return
            self.site_dir, self.mkdocs_config, self.staging = config.site_dir, config, staging
            config.site_dir = str(staging)

    def _cards_then_data(self, make_data_files: Callable[[], dict[str, bytes]] | None) -> None:
        """A cold mkdocs build, its content sound: its link-preview cards started drawing beside (share_cards, for
        on_files), then its feeds and exports made on this core, packed, while they draw on the other. build_site made
        the feeds and exports itself on one core, the other idle (3.3 s at 5,000 claims), and the cards started after
        them. make_data_files stores each claim's pieces of them for the next rebuild, as build_site would have."""
        assert self.site is not None
        if self.publication is None or make_data_files is None:
            return
        folder = card_folder(self._cache_root(), log.warning)
        self.cache_folders.append(folder)
        self.cards_early = share_cards(self.site, self.publication, folder, beside=self.cards_beside)
        self.data_files = make_data_files()

    def _check_seals_beside(self, existing: bool) -> None:
        """mkdocs build with a cache (a rebuild): the seals of its pages checked by a process forked now, on the second
        core while this one runs build_site (which leaves it idle most of that time), for on_files (_open_cache)."""
        if self.serving or not existing or processes_available() < 2:
            return
        root = self._cache_root()
        if root is not None:
            self.seals_checking = Beside(partial(checked_pages, root))

    @staticmethod
    def _problems_message(problems: list[Problem]) -> str:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        return (f"{count} found (run `factcheck validate` for the same list):\n"
                + "\n".join(str(p) for p in problems))

    def _site_folder_problems(self, config: MkDocsConfig, inputs: list[Path]) -> list[Problem]:
        """The site folder, when it comes from mkdocs.yml (or its default) rather than the command line."""
        assert self.settings is not None
        where = config.config_file_path or str(self.settings.root / "mkdocs.yml")
        try:
            with open(where, "rb") as stream:
                data = mkdocs_utils.yaml_load(stream)
        except Exception:  # MkDocs has read it already: this cannot fail but for a file changed meanwhile
            data = None
        value = data.get("site_dir") if isinstance(data, dict) else None
        configured = os.path.normpath(os.path.join(os.path.dirname(where), value if isinstance(value, str) else "site"))
        if os.path.normpath(config.site_dir) != configured:
            return []  # given on the command line (`-d`), or mkdocs serve's own folder: the user's choice
        why = site_folder_refused(Path(configured), self.settings.root, inputs)
        if why is None:
            return []
        return [Problem(display(Path(where), self.settings.root), 1,
                        f"the site folder, {value or 'site'} (site_dir), {why}; a build empties that folder before "
                        "filling it, so it must be a folder of its own inside the project (the default is site). "
                        "To build somewhere else, give the folder on the command line: mkdocs build -d FOLDER")]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.settings is not None
        self.html_late = all(getattr(handler, "__self__", None) is self
                             for handler in config.plugins.events.get("page_content", []))
        pages = dict(self.pages)
        if files.get_file_from_path(HOME_SRC) is not None:
            del pages[HOME_SRC]  # the site's own home page, which gets self.home_section instead
        self.generated = set(pages)
        docs_dir = Path(config.docs_dir).resolve()
        claims_uri, sources_uri = (_relative_folder(folder, docs_dir)
                                   for folder in (self.settings.claims_dir, self.settings.sources_dir))
        edit_targets = {f"claims/{c.id}.md": f"{claims_uri}{c.id}{CLAIM_SUFFIX}" for c in self.site.claims.values()}
        edit_targets.update({f"sources/{s.id}.md": f"{sources_uri}{s.id}{SOURCE_SUFFIX}"
                             for s in self.site.sources.values()})
        environment = self._open_cache(config, files)
        self._count_background()
        if self.dirty:
            for own in files.documentation_pages():  # few, and the home page lists the latest claims
                own.is_modified = lambda: True  # type: ignore[method-assign]
        uncached = _nav_paths(config.nav) | {SCALE_SRC}
        unchanged = self.written if self.dirty and self.written_to == config.site_dir else {}
        self.kept_files, self.files_before = {}, self.kept_files
        self.files_state = (config.site_dir, mkdocs_utils.get_build_date())
        self.place = (None, "", True)  # read again: the site folder may be another (a staging folder)
        self.keys, self.hits = {}, set()
        self.stored_pages, self.template_pages = [], None
        own = files.src_uris
        stock = next((f.src_uri for f in files if STOCK_WORKER.fullmatch(f.src_uri)), None)  # Material's search worker
        self._data_written_beside(config, files, pages)
        own_pages = files.documentation_pages(inclusion=_every)  # the site's own, before any generated one
        generated_pages: list[File] = []
        if not self.serving:  # each page is in its File from here on, compressed: not held twice
            self.pages = {}
        # A page whose Markdown is the very one of the last build, whose HTML the site folder holds and whose File the
        # last build kept: that File again, without working out its key, address and kind (_generated's and
        # _page_key's work, for each of 30,000 pages a save at 25,000 claims).
        reuse = (self.files_state, config.use_directory_urls) == self.kept_for and bool(unchanged) \
            and self.cache is not None
        self.kept_for = (self.files_state, config.use_directory_urls) if self.serving else None
        stored_pages: list[File] | None = [] if self._pages_are_mine(config) else None
        for src_uri in list(pages):
            markdown = pages[src_uri] if self.serving else pages.pop(src_uri)
            packed = markdown if isinstance(markdown, bytes) else None  # BuildOptions.packed (a draft's page is not)
            if src_uri in own:
                raise PluginError(f"{src_uri}: this page is generated from claims and sources; "
                                  f"rename or remove docs/{src_uri}")
            edit_uri = edit_targets.get(src_uri)
            before = self.files_before.get(src_uri) if reuse else None
            last = self.last_keys.get(src_uri) if before is not None and src_uri not in uncached else None
            if (last is not None and last[0] is markdown and last[2] == edit_uri and last[1] == environment
                    and before[0][0] == last[3] and type(before[1]) in _KEPT_PAGES  # type: ignore[index]
                    and unchanged.get(before[1].abs_dest_path) == last[3]):  # type: ignore[index]
                self.keys[src_uri] = last[3]
                self.cache.keep(last[3])  # type: ignore[union-attr]
                self.kept_files[src_uri] = before  # type: ignore[assignment]
                files.append(before[1])  # type: ignore[index]
                generated_pages.append(before[1])  # type: ignore[index]
                continue
            key = self._page_key(environment, src_uri, edit_uri, markdown) if src_uri not in uncached else None
            kind = File
            if key is not None:
                self.keys[src_uri] = key
                if unchanged and unchanged.get(self._dest(config, src_uri)) == key:
                    kind = _Unchanged
                    if self.cache is not None:
                        self.cache.keep(key)
                elif self.cache is not None and self.cache.has(key):
                    self.hits.add(src_uri)
            if packed is not None:  # held packed until MkDocs reads it, if it does
                stored = stored_pages is not None and src_uri in self.hits
                file = self._generated(_StoredPage if stored else _PackedPage if kind is File else _UnchangedPacked,
                                       config, src_uri, key, content="", inclusion=InclusionLevel.NOT_IN_NAV)
                file.packed = packed  # type: ignore[attr-defined]
                if stored:
                    stored_pages.append(file)  # type: ignore[union-attr]
            else:
                file = self._generated(kind, config, src_uri, key, content=markdown,
                                       inclusion=InclusionLevel.NOT_IN_NAV)
            file.edit_uri = edit_uri
            files.append(file)
            generated_pages.append(file)
        files.append(File.generated(config, CSS_URI, content=stylesheet(self.settings.organization.get("colour"))))
        shows_mark = MARK_URI in (config.theme.get("logo"), config.theme.get("favicon"))
        if shows_mark and files.get_file_from_path(MARK_URI) is None:
            files.append(File.generated(config, MARK_URI, content=mark()))
        assert self.frame is not None
        for message in self.frame.read_files(files, config.nav):
            log.warning(f"mkdocs.yml: {message}")
        for file in stored_pages or ():
            self._store_page(file, config)  # type: ignore[arg-type]
        if self.stored_pages and processes_available() > 1:
            self._write_beside(self.stored_pages)  # type: ignore[arg-type]
            if stock is not None:
                self._index_beside(config)
        # Feeds and exports are files of the site, so MkDocs serves them and checks links to them. The first preview
        # has them empty (the site's scale, no claims): made in the next build, once the first page is served.
        if not self.publication:
            data_files = {}
        elif self.first_preview:
            data_files = render_data_files(Site({}, {}, self.site.scale), self.publication)
        elif self._later():
            data_files = dict.fromkeys(DATA_FILES)  # made once the pages are served: _make_data_files
        elif self.serving:
            data_files = render_data_files(self.site, self.publication, self.data_pieces)
        elif self.data_later is not None:  # being joined beside (a rebuild): their names only, for now
            data_files = dict.fromkeys(DATA_FILES, b"")
        else:
            data_files, self.data_files = self.data_files, {}  # type: ignore[assignment]
        written, self.data_written = self.data_written, {}
        later: dict[str, _DataFile] = {}
        for path in list(data_files):
            content = data_files.pop(path)  # packed one by one (mkdocs build): not all held whole until written
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path}: this file is generated from the claims; rename or remove it")
            if content is None:
                data_file = later[path] = _DataFile.generated(config, path, content=b"")
                data_file.later = True
                files.append(data_file)
            elif self.serving:
                data_file = _DataFile.generated(config, path, content=b"")
                data_file.pieces = self.data_written[data_file.abs_dest_path] = content
                data_file.unchanged = bool(unchanged) and written.get(data_file.abs_dest_path) == content
                files.append(data_file)
            else:
                file = _WrittenOnce.generated(config, path, content="")
                if self.data_later is None:
                    file.packed = content if isinstance(content, bytes) else content.packed()  # type: ignore[attr-defined]
                file.beside = self.data_later is not None and self.data_later.writing
                self.data_listed.append(file)  # type: ignore[arg-type]
                files.append(file)
        if later:  # left for later (on_post_build), after the search index
            self.later_data = (tuple(file.abs_dest_path for file in later.values()),
                               partial(self._make_data_files, self.site, self.publication, later, written,
                                       bool(unchanged)))
        if self.publication is not None:  # link-preview cards, drawn once into a cache and copied from there
            cards, self.cards_early = self.cards_early, None  # type: ignore[assignment]
            if cards is None:  # not started in on_pre_build (_cards_then_data)
                folder = card_folder(self.cache.folder if self.cache is not None else None, log.warning)
                self.cache_folders.append(folder)
                later = (self.held_cards if self.first_preview else self.background_cards) \
                    if self.cache is not None and self.cache.folder is not None else None
                cards = share_cards(self.site, self.publication, folder,
                                    names=self.card_names if self.serving else None, later=later,
                                    beside=None if self.serving else self.cards_beside)  # type: ignore[arg-type]
            if note := left_out_note(cards, self.card_names if self.serving else None):
                log.info(note)
            for path, card in cards.items():
                # A card's name is a hash of what it shows: one the last dirty build wrote is already this card.
                before = self.files_before.get(path) if reuse else None
                if before is not None and before[0][0] == card.name and before[1].abs_dest_path in self.outputs_before:
                    self.kept_files[path] = before
                    file = before[1]
                else:
                    kind = _Unchanged if unchanged and self._dest(config, path) in self.outputs_before else _CardFile
                    file = self._kept_file(kind, path, card.name) or self._generated(
                        kind, config, path, card.name, abs_src_path=str(card.folder.absolute(card.name)))
                    if kind is _CardFile and self.serving and self.dirty:
                        self.cards_copied.append((path, file))
                file.card = card  # type: ignore[attr-defined]
                if self.cards_beside.pool is not None or not self.serving:
                    file.later = self.cards_to_copy  # type: ignore[attr-defined]
                    self.cards_listed.append(file)
                files.append(file)
            listed, self.cards_listed = self.cards_listed, []
            if listed and self.cards_beside.pool is None and processes_available() > 1:
                self.cards_copying = Beside(partial(_copy_now, listed))  # while MkDocs reads and writes the pages
        if stock is not None:
            worker_uri, worker = worker_asset()
            files.append(File.generated(config, worker_uri, content=worker))
            self.worker_swap = (stock, worker_uri)
        self.files_before = {}
        if self.first_preview and self.dirty:
            self._hold_back(config, files)
        if not self.serving:
            return files
        # Its pages are known from here on where no other plugin sees the files after this one (nor their navigation)
        mine = all(getattr(handler, "__self__", None) is self
                   for event in ("files", "nav") for handler in config.plugins.events.get(event, []))
        return ServedFiles(files, _Unchanged, (own_pages, generated_pages) if mine else None)

    def _data_written_beside(self, config: MkDocsConfig, files: Files, pages: dict[str, Any]) -> None:
        """A rebuild's feeds and exports, being joined by a process beside (build.DataLater), are written into the site
        by that process, told where as soon as the site folder is emptied, so that it need not pack them for this one:
        at 10,000 claims the build no longer waits 1.5-2 s for them at the end of build_site, nor unpacks them. Only
        into a staging folder (a build that fails leaves nothing of them), where no other plugin sees the files (nor
        moves these), and where on_files will not stop the build for a file of docs/ named as a generated one;
        elsewhere they are waited for in on_env, and written as before."""
        if self.data_later is None or self.staging is None or not self._pages_are_mine(config):
            return
        if not pages.keys().isdisjoint(files.src_uris) or \
                any(files.get_file_from_path(path) is not None for path in DATA_FILES):
            return  # on_files stops the build
        self.data_later.write_into({path: self._dest(config, path) for path in DATA_FILES})

    def _index_beside(self, config: MkDocsConfig) -> None:
        """A rebuild's claims index (from the store's, search_index.build_index: its files made and the store written,
        1.1 s of the build's own process at 10,000 claims) made by a process forked once the pages of the cache are
        listed, for the stopwords of the languages Material's search plugin gives its index: _write_search_index takes
        it where the stock index has those."""
        if self.serving or self.stored is None:
            return
        stopwords = index_stopwords(_search_languages(config))
        docs = partial(search_docs, self.site, config.use_directory_urls)
        self.index_making = (stopwords, Beside(partial(_claims_index_beside, self.stored, stopwords, docs)))

    def _claims_index_made(self, stopwords: frozenset[str]) -> ClaimsIndex | None:
        """The claims index made beside (_index_beside), if it was made for these stopwords (else None: made here, as
        where the process failed); the cache's warnings it noted are given here."""
        making, self.index_making = self.index_making, None
        made = making[1].result() if making is not None else None
        if made is None or making is None:
            return None
        index, noted = made
        for message in noted:
            self.stored.folder.distrust(message)  # type: ignore[union-attr]
        return index if making[0] == stopwords else None

    def _pages_are_mine(self, config: MkDocsConfig) -> bool:
        """Whether a page of the cache may be written straight into the site (_StoredPage), under `mkdocs build`:
        where no other plugin or hook handles any event (Material's search plugin skips the pages kept out of search,
        as every generated page but the scale is), none misses a page, its context or its template by leaving the
        pages out of MkDocs' pipeline."""
        if self.serving:
            return False
        handlers = [getattr(handler, "__self__", None) for event in config.plugins.events.values()
                    for handler in event]
        return all(plugin is self or type(plugin).__module__ == "material.plugins.search.plugin" for plugin in handlers)

    def _store_page(self, file: _StoredPage, config: MkDocsConfig) -> None:
        """file, a page MkDocs has seen: from here on written from the cache, with the Page MkDocs would have made."""
        assert self.cache is not None
        file.dest_uri, file.url, file.abs_dest_path  # noqa: B018 (worked out as a page's, before it is no page)
        file.stored, file.cache, file.key = True, self.cache, self.keys[file.src_uri]
        page = Page(None, file, config)
        page.present_anchor_ids = Anchors(partial(_raw_body, file))  # type: ignore[assignment]
        self.stored_pages.append(file)

    def _page_key(self, environment: str, src_uri: str, edit_uri: str | None, markdown: str | bytes) -> str:
        """page_key, hashed again (and unpacked for it) only for Markdown that is not the very string, or packed
        bytes, of the last build (mkdocs serve keeps the pages of unchanged claims)."""
        last = self.last_keys.get(src_uri)
        if last is not None and last[0] is markdown and last[1:3] == (environment, edit_uri):
            return last[3]
        key = page_key(environment, src_uri, edit_uri, markdown)
        if self.serving:
            self.last_keys[src_uri] = (markdown, environment, edit_uri, key)
        return key

    def _open_cache(self, config: MkDocsConfig, files: Files) -> str:
        """The build cache, and the key of what every generated page depends on besides its Markdown."""
        assert self.settings is not None
        own_pages = [f"{f.src_uri}\0{f.content_string}" for f in files.documentation_pages()
                     if f.src_uri not in self.pages]  # the site's own pages, titles and all, as MkDocs reads them
        environment = environment_key(config, config.theme.dirs, Path(config.docs_dir),
                                      [builder(), words_digest(), *own_pages])  # the frame's words are in each page
        folder = self._cache_root()
        if self.serving and self.last_cache is not None:
            self.cache = self.last_cache  # its manifest is what the last build saved: not read again
            self.cache.next_build(folder)
        else:
            self.cache = PageCache(folder)
        checking, self.seals_checking = self.seals_checking, None
        checked = checking.result() if checking is not None else None
        if checked and folder is not None:  # None: the process failed, and has() reads every page here
            self.cache.checked = checked
        return environment

    def _cache_root(self) -> CacheFolder | None:
        """The project's build cache, opened once per build (closed when it ends); None when it cannot be used."""
        assert self.settings is not None
        if not self.cache_opened:
            self.cache_root, self.cache_opened = open_cache(self.settings.root, log.warning, log.info), True
            if self.cache_root is not None:
                self.cache_folders.append(self.cache_root)
        return self.cache_root

    def _addresses(self, config: MkDocsConfig, src_uri: str) -> tuple[str, str, str]:
        """Where MkDocs puts a generated file (dest_uri, url, abs_dest_path), remembered: working them out takes
        MkDocs longer than the rest of a dirty build's bookkeeping, for each of 55,000 files at 25,000 claims."""
        if self.place[0] is not config:  # MkDocs' config answers each attribute through a descriptor: read once
            self.place = (config, config.site_dir, config.use_directory_urls)
        key = (src_uri, *self.place[1:])
        known = self.addresses.get(key)
        if known is None:
            file = File(src_uri, "", config.site_dir, config.use_directory_urls)
            known = self.addresses[key] = (file.dest_uri, file.url, file.abs_dest_path)
            self.address_keys[file.abs_dest_path] = key
        return known

    def _dest(self, config: MkDocsConfig, src_uri: str) -> str:
        return self._addresses(config, src_uri)[2]

    def _generated(self, kind: type[File], config: MkDocsConfig, src_uri: str, state: str | None = None,
                   **source: Any) -> File:
        """kind.generated(config, src_uri, **source), under mkdocs serve with its addresses as the last build
        worked them out (MkDocs keeps them in cached properties, which a value set beforehand stands in for).

        A file _Unchanged since the last build, and unchanged in that build too (state: its page's key in the build
        cache, or its card's name), is that build's File, with the Page MkDocs made for it: for each of 55,000 files
        at 25,000 claims, making the File and MkDocs' Page again took a tenth of a save, and neither is read (a
        Page of a file that is not modified is only made, and listed in the sitemap, whose date is in the state)."""
        kept = self._kept_file(kind, src_uri, state)
        if kept is not None:
            return kept
        unchanged = self.serving and issubclass(kind, _Unchanged) and state is not None
        known = (state, *self.files_state) if unchanged else None
        file = kind.generated(config, src_uri, **source)
        if self.serving:
            file.dest_uri, file.url, file.abs_dest_path = self._addresses(config, src_uri)  # type: ignore[misc]
        if known is not None:
            self.kept_files[src_uri] = (known, file)
        return file

    def _kept_file(self, kind: type[File], src_uri: str, state: str | None) -> File | None:
        """The last build's File of src_uri, where _generated gives it again (before working out its source)."""
        if not (self.serving and issubclass(kind, _Unchanged) and state is not None):
            return None
        kept = self.files_before.get(src_uri)
        if kept is None or kept[0] != (state, *self.files_state):
            return None
        self.kept_files[src_uri] = kept
        return kept[1]

    def _drafts(self) -> dict[str, str]:
        """Claim and source files that have no page because of problems, by 'claims/<id>' or 'sources/<id>'."""
        assert self.settings is not None and self.site is not None
        s = self.settings
        found = {f"claims/{p.stem}": display(p, s.root) for p in sorted(s.claims_dir.glob(f"*{CLAIM_SUFFIX}"))
                 if p.stem not in self.site.claims}
        found.update({f"sources/{p.stem}": display(p, s.root) for p in sorted(s.sources_dir.glob(f"*{SOURCE_SUFFIX}"))
                      if p.stem not in self.site.sources})
        return found

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self.hits:
            page.render = partial(_skip_render, page)  # type: ignore[method-assign]
            return ""
        if isinstance(page.file, _PackedPage):  # decompressed once for MkDocs and on_page_markdown
            self.read_source = page.file.content_string
            return self.read_source
        return None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        source, self.read_source = self.read_source, ""
        if page.file.src_uri in self.hits:
            page.meta.update(template=CACHED_TEMPLATE, search={"exclude": True})
            return markdown
        if page.file.src_uri in self.generated:
            if page.file.src_uri != SCALE_SRC:
                # Claims and sources are searched through the factcheck index (search_index.py), listings not
                # at all; Material's search plugin need not read them.
                page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            if self.raw_html_shortcut and passes_through(markdown):
                source = source or page.file.content_string
                self.raw_pages[page.file.src_uri] = len(source) - len(markdown) \
                    if self.html_late and source.endswith(markdown) else converted(markdown)
                return PLACEHOLDER  # output/raw_html.py: Markdown need not parse what it would give back as it is
            return markdown
        assert self.settings is not None and self.site is not None
        if page.file.abs_src_path:
            shown = display(Path(page.file.abs_src_path), self.settings.root)
            text = page.file.content_string
            for note in page_placeholders(text, shown) + page_repeats(text, shown):
                log.warning(str(note))
        markdown, missing = render_own_page(page.file.src_uri, markdown, self.home_section,
                                            self.settings.organization)
        for name in missing:
            log.warning(missing_message(page.file.src_uri, name))
        return markdown

    @event_priority(100)  # first: other plugins see the page's HTML, not the placeholder
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        raw = self.raw_pages.get(page.file.src_uri)
        if raw is None:
            return wrap_tables(html)
        if html != CONVERTED:
            raise PluginError(f"{page.file.src_uri}: the page's Markdown extensions changed its placeholder into "
                              f"{html[:200]!r}; build without them")
        if isinstance(raw, str):
            del self.raw_pages[page.file.src_uri]
            page.present_anchor_ids = Anchors(raw)  # type: ignore[assignment]
            return raw
        page.present_anchor_ids = Anchors(partial(_raw_html, page.file, raw))  # type: ignore[assignment]
        return html  # the placeholder, until on_page_context (no other plugin reads it: html_late)

    @event_priority(-100)  # last: every plugin has added its files
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.frame is not None
        self.outputs = {file.abs_dest_path for file in files}
        self.built_files = files if self.sitemap is not None else None
        env.globals["factcheck_frame"] = self.frame.site()
        env.loader = ChoiceLoader([DictLoader({CACHED_TEMPLATE: ""}), env.loader])  # type: ignore[list-item]
        templates = self._cache_root().subfolder("templates") if not self.serving and self._cache_root() else None
        if templates is not None:  # mkdocs build: the templates compiled by the build before (serve: self.bytecode)
            env.bytecode_cache = StoredTemplates(templates)
        if self.held_back:
            self._make_in_background(config, files, env)
        data, self.data_listed = self.data_listed, []
        if self.data_later is not None and self.data_later.writing:  # by the process joining them (on_files)
            self.data_listed, data = data, []
        elif self.data_later is not None:  # waited for here, written by MkDocs or by _write_stored
            made, self.data_later = self.data_later.files(), None
            for file in data:
                file.packed = made[file.src_uri]
        if self.stored_pages:  # the templates' list of pages, in MkDocs' order, names them as it would
            self.template_pages = [file for file in files if (file.is_documentation_page() or isinstance(
                file, _StoredPage)) and InclusionLevel.is_included(file.inclusion)]
            if data and processes_available() > 1:  # beside MkDocs' theme files, own pages and sitemap, and the index
                self._write_beside(data)  # type: ignore[arg-type]
                self.data_listed += data
        return env

    def _write_beside(self, files: list[_WrittenBeside]) -> None:
        """files written into the site by a process forked for them (_write_stored), which MkDocs then leaves alone: a
        rebuild's pages of the cache as soon as on_files has listed them, so that writing them (and copying the cards)
        fills the second core while the plugin and MkDocs list, read and write the rest (at 25,000 claims, started in
        on_env, they ran from 9.8 s to 14.5 s of a 15.7 s rebuild, on_post_build waiting 2.7 s for them)."""
        for file in files:
            file.beside = True
        self.stored_writing.append((Beside(partial(_write_stored, files)), files))

    @event_priority(-100)  # last: the navigation as the pages see it
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        if isinstance(files, ServedFiles):
            files.settle()  # every file is known, with its inclusion: its pages are listed once from here on
        return nav

    def on_pre_template(self, template: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        if template_name != SITEMAP or self.sitemap is None or self.built_files is None:
            return template
        others = any(getattr(handler, "__self__", None) is not self
                     for event in TEMPLATE_EVENTS for handler in config.plugins.events.get(event, []))
        return self.sitemap.template(template, self.built_files, config, others)

    def _hold_back(self, config: MkDocsConfig, files: Files) -> None:
        """The first build of `mkdocs serve --dirty` leaves its generated pages (claims, sources, listings) to processes
        forked once the navigation is made (on_env, _make_in_background), one per core, and serves as soon as the rest
        is built: at 25,000 claims, reading, theming and writing those 30,500 pages held the first page for minutes.
        MkDocs neither reads nor writes them here (not modified). Only where every plugin that sees a page being read
        or made is this one or a search plugin (the generated pages are out of the search), and only where no page is
        a draft (MkDocs' list of pages is then the same in a build and a serve)."""
        events = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page",
                  "post_template")
        hooks = [handler for event in events for handler in config.plugins.events.get(event, [])]
        if (getattr(mkdocs_build, "_build_page", None) is None or getattr(mkdocs_build, "_populate_page", None) is None
                or processes_available() < 2
                or any(getattr(h, "__self__", None) is not self and "Search" not in type(getattr(h, "__self__", h))
                       .__name__ for h in hooks)
                or any(file.inclusion.is_excluded() for file in files)):
            return
        self.held_back = [file for file in files.documentation_pages() if file.src_uri in self.keys]
        for file in self.held_back:
            file.is_modified = lambda: False  # type: ignore[method-assign]

    def _make_in_background(self, config: MkDocsConfig, files: Files, env: Environment) -> None:
        """Fork the processes that read, theme and write the pages _hold_back left out of the first build."""
        held, self.held_back = self.held_back, []
        count = processes_available()
        if self.nav is None or count < 2:  # cannot fork now: read here, as MkDocs would have; it makes them next
            for file in held:
                del file.is_modified  # type: ignore[method-assign]
                mkdocs_build._populate_page(file.page, config, files, dirty=False)
            return
        pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        nav = self.nav

        def make(file: File) -> None:  # read, themed and written, as MkDocs' build does a modified page
            assert file.page is not None
            mkdocs_build._populate_page(file.page, config, files, dirty=False)
            mkdocs_build._build_page(file.page, config, pages, nav, env, dirty=False)

        def make_here(file: File) -> None:  # asked for by a browser before its process has made it
            self.hits.discard(file.src_uri)  # made whole: the cache is not open outside a build
            with _writing_atomically():
                make(file)

        def work(share: list[File]) -> list[tuple[str, str, str | None]]:
            mkdocs_utils.write_file = write_atomically  # this process only: the server may send the page meanwhile
            for file in share:  # this process makes them: modified again, as for MkDocs' build
                del file.is_modified  # type: ignore[method-assign]
                make(file)
                # Written, and read by nothing after (a generated page is in no other's navigation): its front matter
                # is let go, not held with 15,000 others to the process's end (90 MB at 25,000 claims).
                file.page.markdown, file.page.meta = None, {}  # type: ignore[union-attr]
            made = {file.abs_dest_path for file in share}
            return [(dest, key, self.cache.entries.get(key, (None,))[0] if self.cache is not None else None)
                    for dest, key in self.written.items() if dest in made]

        self.background = BackgroundPages([partial(work, held[start::count]) for start in range(count)], make_here,
                                          {file.abs_dest_path: file for file in held}, self.site_lock)

    def _made_in_background(self) -> None:
        """Wait for the first preview's pages made in the background (a build must not start while they are written),
        and count what they made as made by the last build (merged once the cache is open: _count_background)."""
        if self.background is None:
            return
        results, self.background = self.background.wait(), None
        self.made_beside = [made for result in results if result is not None for made in result]
        if any(result is None for result in results):
            log.info("a process making the first preview's pages failed; the next build makes what it did not")

    def _count_background(self) -> None:
        made, self.made_beside = self.made_beside, []
        for dest, key, sha in made:
            self.written[dest] = key
            if self.cache is not None:
                self.cache.put_elsewhere(key, sha)

    @event_priority(100)  # first: other plugins see the page's HTML, not the placeholder
    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        start = self.raw_pages.pop(page.file.src_uri, None)
        if isinstance(start, int):
            page.content = _raw_html(page.file, start)  # until on_post_page
        # A generated page is not in the nav: its breadcrumbs and marked tab are those of its listing.
        assert self.frame is not None and self.site is not None
        src = page.file.src_uri
        section_uri = section_src(src) if src in self.generated else None
        section = next((p for p in nav.pages if p.file.src_uri == section_uri), None)
        if section is not None:
            section.active, self.marked = True, section
        claim = self.site.claims.get(src.removeprefix("claims/").removesuffix(".md")) if section_uri else None
        claim = claim if claim is not None and src == claim_src(claim.id) else None
        context["factcheck_page"] = self.frame.page(src, section, nav.homepage, claim and claim.claim,
                                                    page.canonical_url if config.site_url else None)
        if self.template_pages is not None:
            context["pages"] = self.template_pages
        return context

    @event_priority(100)  # first: other plugins see the list of pages as MkDocs would make it
    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        if self.template_pages is not None:
            context["pages"] = self.template_pages
        return context


    @event_priority(-100)  # last: the HTML cached is the page as written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.generated:
            page.content = ""  # written: its HTML is not needed again this build
        if self.marked is not None:
            self.marked.active, self.marked = False, None
        src_uri = page.file.src_uri
        key = self.keys.get(src_uri)
        if key is None or self.cache is None:
            return self._fix_theme_output(output)
        if src_uri in self.hits:
            output = _cached_html(self.cache, key, src_uri).decode("utf-8")
        else:
            output = self._fix_theme_output(output)
            self.cache.put(key, output)
        self.written[page.file.abs_dest_path] = key
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return self._fix_theme_output(output_content)

    def _fix_theme_output(self, html: str) -> str:
        # Material's pages name its search worker in their configuration; they get ours instead, which
        # reads the factcheck index (search_index.py). A string swap works whatever the site's templates.
        html = html_direction(name_search_dialog(html, str(FRAME_WORDS["search_button"])), self.direction)
        return html.replace(*self.worker_swap) if self.worker_swap else html

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        assert self.settings is not None
        self.server = server
        if self.dirty:
            self.later_files.attach(server)
        background = self.background
        if background is not None:
            self._make_when_asked(server, background)
        if self.follow_up:
            def follow_up() -> None:  # once the first page is served, and the first preview's pages are all made
                if background is not None:
                    background.wait()
                self._request_build()

            after_first_request(server, follow_up, FOLLOW_UP_WAIT)
        build = server.builder

        def builder() -> None:
            # MkDocs calls on_build_error for an Exception only: a Ctrl+C during a build must not leave the watcher
            # held, or stopping the server waits for it for ever.
            self.later_files.finish()
            if self.later_files.attached:  # until they are written, as MkDocs holds the pages during a build
                self.later_files.hold([os.path.join(server.root, path) for path in DATA_FILES]
                                      + [os.path.join(server.root, "search", "")])
            try:
                build()
            finally:
                self.watchers.release()
                self._cards_paused(False)
                self._site_released()
                self.later_files.start()  # once MkDocs' server shows this build's pages

        server.builder = builder
        folders = [str(f) for f in (self.settings.claims_dir, self.settings.sources_dir) if f.is_dir()]
        # Where the kernel announces every change to them (serving.AnnouncedChanges, which polls them only as a
        # backstop), MkDocs does not watch the claims and sources. Elsewhere: MkDocs polls what it watches every half
        # second, a quarter of a second's wait on average before a saved claim is even noticed. The claims and sources
        # are polled more often, as long as that costs at most POLL_SHARE of a core (a snapshot of 1,000 claims takes
        # milliseconds; of 25,000, the half second stays).
        from watchdog.utils.dirsnapshot import DirectorySnapshot  # MkDocs' own watcher

        announced = [folder for folder in folders if self.announced.watch(server, folder)]
        polled = [folder for folder in folders if folder not in announced]
        observer = getattr(server, "observer", None)
        default = getattr(observer, "_timeout", None)  # watchdog's interval for the pollers it starts next
        started = time.perf_counter()
        for folder in polled:
            DirectorySnapshot(folder)
        interval = min(MAX_POLL, max(MIN_POLL, (time.perf_counter() - started) / POLL_SHARE))
        try:
            if isinstance(default, int | float):
                observer._timeout = min(interval, default)  # type: ignore[union-attr]
            for folder in polled:
                server.watch(folder)
        finally:
            if isinstance(default, int | float):
                observer._timeout = default  # type: ignore[union-attr]
        if announced:
            shown = ", ".join(f"'{os.path.relpath(folder)}'" for folder in announced)
            log.info(f"Watching {shown} for changes as the system announces them (and every {BACKSTOP_POLL:g} s)")
        return server

    @staticmethod
    def _make_when_asked(server: LiveReloadServer, background: BackgroundPages) -> None:
        """A page of the first preview asked for before the process making it has written it is made at once."""
        app = server.get_app()

        def answer(environ: Any, start_response: Any) -> Any:
            path = served_path(server, environ.get("PATH_INFO", ""))
            if path is not None:
                try:
                    background.make_if_unmade(path)
                except Exception as error:  # MkDocs has logged it; the server answers as it would without the page
                    log.info(f"could not make {path} at once ({error})")
            return app(environ, start_response)

        server.set_app(answer)

    def _site_released(self) -> None:
        if self.site_held:
            self.site_held = False
            self.site_lock.release()

    @event_priority(-100)  # last: Material's search has written its index; other plugins may still write
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        later = self._later()
        if not later:
            # Before the cards drawn beside the pages are waited for (mkdocs build): on this core while their process
            # still draws on the other, which then shares the cards left (it was made after the last card, on one core:
            # 3.7 s at 10,000 claims with the other idle)
            self._write_search_index(config)
        self._copy_cards_drawn_beside()
        self._check_organization_pages(config)
        if later:  # the search index first: every page a browser shows asks for it
            self.later_files.defer((os.path.join(config.site_dir, "search", ""),),
                                   partial(self._write_search_index_later, config))
            data, self.later_data = self.later_data, None
            if data is not None:
                self.later_files.defer(*data)
            self.later_files.defer((), self.collector.after_build)
        self._keep_work(config)
        if self.staging is not None and _fails_strict(config):
            self._abandon_staging()  # MkDocs fails the build right after this: the last good site stays
        elif self.staging is not None:
            publish(self.staging, Path(self.site_dir))
            self._end_staging()
        if self.serving:
            if self.first_preview and self.held_cards is not None:
                self.held_cards.release()  # the cards are drawn once the first preview's pages are made
            self.follow_up, self.first_preview = self.first_preview, False
            self.watchers.release()
            self._cards_paused(False)
            self._site_released()
            if self.background is None and not later:  # else after them: a collection now would copy the heap
                self.collector.after_build()  # they share; or once the files left for later are written
        else:
            _leave_heap()

    def _copy_cards_drawn_beside(self) -> None:
        self.cards_beside.wait()
        cards, self.cards_to_copy = self.cards_to_copy, []
        copying, self.cards_copying = self.cards_copying, None
        if copying is not None and copying.result() is not None:
            return  # copied beside (or, where that failed, here)
        _copy_now(cards)

    def _stored_pages_written(self) -> None:
        """The pages of the cache written beside (_write_beside) are all in the site, each entry used by this build
        (whose manifest keeps it); where a process failed, what it had to write is written here."""
        writers, self.stored_writing = self.stored_writing, []
        data, self.data_listed = self.data_listed, []
        joining, self.data_later = self.data_later, None
        if joining is not None:  # the feeds and exports, written by the process that joined them, or else made here
            made = joining.finish()
            for file in data if made else ():
                file.packed = made[file.src_uri]
                file.write()
        stopped = [writer.result() for writer, _ in writers]
        for result, (_, files) in zip(stopped, writers, strict=True):
            if result is None:  # the process failed: whatever it left is written again
                for file in files:
                    file.write()
        if message := next((result for result in stopped if result), ""):
            raise PluginError(message)
        for written in data:
            written.written()
        if any(files is self.stored_pages for _, files in writers):
            for file in self.stored_pages:
                self.cache.keep(file.key)  # type: ignore[union-attr, attr-defined]

    def _keep_work(self, config: MkDocsConfig) -> None:
        """Save the cache; under `mkdocs serve --dirty`, remember what the site folder holds, and delete the
        pages of claims and sources that are gone (a dirty build does not empty the folder)."""
        self._stored_pages_written()
        if self.index_making is not None:  # not taken: the site has no stock index after all
            self.index_making[1].stop()
            self.index_making = None
        self.place = (None, "", True)
        self.stored = None
        self.stored_pages, self.template_pages = [], None
        if self.cache is not None and self.serving:
            # The next save reads this cache in memory; its manifest on disk is for a later process only, written in
            # the pause after the build (0.1-0.3 s of each save at 10,000-25,000 claims): serving.Collector.later
            self.last_cache = self.cache
            self.collector.later(partial(self._save_cache, self.cache, reopen=True))
            self.cache = None
        if self.cache is not None:
            self._save_cache(self.cache, reopen=False)
            self.cache = None
        self._close_cache()
        # What the site folder holds is read by the next dirty build only (MkDocs' address of each page: a third of a
        # second at 1,000 claims, for a build that keeps none of it)
        current = self._current(config) if self.dirty else set()
        if self.dirty and self.written_to == config.site_dir:
            # A dirty build does not empty the site folder: whatever file the last build had and this one has not
            # (a claim's page, its card under a new name, a listing now empty, a feed) is deleted, so the folder
            # holds what a clean build would.
            site_dir = Path(config.site_dir).resolve()
            for gone in (self.outputs_before | set(self.written)) - self.outputs - current:
                delete_with_empty_parents(Path(gone), site_dir)
        self.written = {dest: key for dest, key in self.written.items() if dest in current}
        if self.serving:  # a card's name changes with what it shows: forget the addresses of files gone
            self._forget_addresses(config)
            self._kept_cards()
        self.written_to, self.outputs_before = config.site_dir, self.outputs
        self.built_files = None

    def _kept_cards(self) -> None:
        """The cards this build copied into the site (mkdocs serve --dirty), kept for the next build as the _Unchanged
        Files it would make of them, their addresses and inclusion as worked out here: the build that copies the cards
        drawn in the background is the last before the editor's first save, which made a File again for every card
        (at 25,000 claims about 0.9 s of CPU, the first save's 3.6 s against the later saves' 2.7 s)."""
        copied, self.cards_copied = self.cards_copied, []
        for src_uri, file in copied:
            kept = _Unchanged.__new__(_Unchanged)  # the same attributes, of the kind not copied again
            kept.__dict__.update(file.__dict__)
            self.kept_files[src_uri] = ((file.card.name, *self.files_state), kept)  # type: ignore[attr-defined]

    def _current(self, config: MkDocsConfig) -> set[str]:
        """Where this build's generated pages are (each page with a key): the last build's set while its pages and
        their place are the same (a save of a claim changes neither)."""
        place = (config.site_dir, config.use_directory_urls)
        last = self.current_pages
        if last is not None and last[0] == place and last[1] == self.keys.keys():
            return last[2]
        current = {self._dest(config, src_uri) for src_uri in self.keys}
        self.current_pages = (place, set(self.keys), current) if self.serving else None
        return current

    def _forget_addresses(self, config: MkDocsConfig) -> None:
        """Only the addresses of this build's files are kept: those of the last build's files that this one has
        not are let go, or, in another place, every one not this build's."""
        place = (config.site_dir, config.use_directory_urls)
        if place != self.addresses_for:
            self.addresses = {key: known for key, known in self.addresses.items() if known[2] in self.outputs}
            self.address_keys = {known[2]: key for key, known in self.addresses.items()}
            self.addresses_for = place
            return
        for gone in self.outputs_before - self.outputs:
            key = self.address_keys.pop(gone, None)
            if key is not None:
                self.addresses.pop(key, None)

    def _save_cache(self, cache: PageCache, reopen: bool) -> None:
        """cache's manifest written in its own folder, or (reopen) in the project's cache opened again for it: the
        build's folders are closed by the pause after it. Under mkdocs serve, unused pages are left for the next
        `mkdocs build` to delete: going through every page file of the cache takes a tenth of a second of each save."""
        assert self.settings is not None
        opened = open_cache(self.settings.root, log.warning, log.info) if reopen else None
        if reopen:
            cache.folder = opened
        try:
            cache.save(sweep=not self.serving)
        except OSError as error:
            log.warning(f"{cache.folder.shown if cache.folder else ''}: cannot write the build cache ({error}); the "
                        "next build renders every page again")
        finally:
            if opened is not None:
                opened.close()

    def _later(self) -> bool:
        """Whether this build leaves its feeds, exports and search index for later (serving.LaterFiles): a save under
        `mkdocs serve --dirty` (the first preview has its own, empty, and is built before the server runs)."""
        return self.serving and self.dirty and self.later_files.attached and not self.first_preview

    def _make_data_files(self, site: Site, publication: Publication, files: dict[str, _DataFile],
                         written: dict[str, Pieces], unchanged: bool) -> None:
        """The feeds and exports that a build left for later (on_files), made and written as MkDocs would have."""
        try:
            for path, pieces in render_data_files(site, publication, self.data_pieces).items():
                file = files[path]
                file.pieces, file.later = pieces, False
                file.unchanged = unchanged and written.get(file.abs_dest_path) == pieces
                file.copy_file(dirty=True)
                self.data_written[file.abs_dest_path] = pieces
        except Exception as error:
            self.data_written = {}  # what the site folder holds is unknown: the next build writes them all
            log.error(f"the feeds and exports could not be written ({error!r}); the next build writes them again")

    def _write_search_index_later(self, config: MkDocsConfig) -> None:
        """The search index that a build left for later (on_post_build)."""
        try:
            self._write_search_index(config)
        except Exception as error:
            self.index_written = None  # what the site folder holds is unknown: the next build writes it all
            log.error(f"the search index could not be written ({error!r}); the next build writes it again")

    def _write_search_index(self, config: MkDocsConfig) -> None:
        stock_index = Path(config.site_dir) / "search" / "search_index.json"
        if self.site is None or self.worker_swap is None or not stock_index.is_file():
            return  # no search on this site
        stock = stock_index.read_text(encoding="utf-8")
        if self.stored is not None:  # mkdocs build: as an earlier build made it if what it read is unchanged
            index, files = self.stored.search_index(stock, partial(search_docs, self.site, config.use_directory_urls),
                                                    self._claims_index_made)
        else:
            if self.first_preview and self.dirty:  # the claims and sources are searchable from the next build
                docs = []
            else:
                if self.serving:
                    self.search_reads.next_build(self.site, config.use_directory_urls)
                docs = search_docs(self.site, config.use_directory_urls, self.search_reads if self.serving else None)
            index, files = extend_site_index(stock, docs, self.last_index if self.serving else None)
        self.index_written = write_index_files(Path(config.site_dir), files, self.index_written, self.dirty)
        stock_index.write_text(index, encoding="utf-8")

    def _check_organization_pages(self, config: MkDocsConfig) -> None:
        """Organisation pages named in structured data must exist, or search engines follow dead links."""
        if self.publication is None:
            return
        org = self.publication.organization
        for key in ORGANIZATION_URL_KEYS:
            url = getattr(org, key)
            path = local_path(self.publication, url) if url else None
            if path is not None and not (Path(config.site_dir) / path).is_file() \
                    and not self._written_beside(os.path.normpath(os.path.join(config.site_dir, path))):
                log.warning(f"mkdocs.yml: plugins.factcheck.organization.{key} is {url}, but the site has no "
                            f"{path}; point it at a page or file of the site")

    def _written_beside(self, path: str) -> bool:
        """Whether path is being written by the process beside this one (on_env): looked for only for a file not
        there yet, not a set made of the ~42,000 pages of every rebuild."""
        return any(file.beside and file.abs_dest_path == path  # type: ignore[attr-defined]
                   for file in [*self.data_listed, *self.stored_pages])

    def on_build_error(self, *, error: Exception) -> None:
        # What a failed build left is unknown.
        self.later_files.drop()
        self.later_data = None
        self.written, self.cache, self.last_cache, self.index_written = {}, None, None, None
        self.data_written = {}
        self.stored = None
        self.kept_files, self.kept_for = {}, None
        self.built_files = None
        if self.sitemap is not None:
            self.sitemap.forget()
        if self.background is not None:
            self.background.stop()
            self.background = None
        self.held_back, self.made_beside = [], []
        self.cards_beside.stop()
        self.cards_to_copy, self.cards_listed, self.cards_copied, self.cards_early = [], [], [], None
        if self.cards_copying is not None:
            self.cards_copying.stop()
            self.cards_copying = None
        for writer, _ in self.stored_writing:
            writer.stop()
        self.stored_writing = []
        self.data_listed = []
        if self.data_later is not None:
            self.data_later.stop()
            self.data_later = None
        if self.seals_checking is not None:
            self.seals_checking.stop()
            self.seals_checking = None
        if self.index_making is not None:
            self.index_making[1].stop()
            self.index_making = None
        self._close_cache()
        self.outputs_before |= self.outputs  # delete next time whatever of these the next build does not have
        self._abandon_staging()
        if self.serving:
            self.watchers.release()
            self._cards_paused(False)
            self._site_released()
            self.collector.after_build()

    def _cards_paused(self, pause: bool) -> None:
        """Under `mkdocs serve`, what works beside the builds (the cards' drawing) waits while one runs."""
        if self.background_cards is not None:
            (self.background_cards.pause if pause else self.background_cards.resume)()

    def _close_cache(self) -> None:
        for folder in self.cache_folders:
            folder.close()
        self.cache_folders, self.cache_root, self.cache_opened = [], None, False

    def on_shutdown(self) -> None:
        self.later_files.finish()
        if self.sitemap is not None:
            self.sitemap.close()
        if self.background is not None:
            self.background.stop()
        if self.background_cards is not None:
            self.background_cards.stop()
        self.cards_beside.stop()
        self._close_cache()
        self.watchers.release()
        self.announced.stop()
        self.collector.stop()
        self._abandon_staging()

    def _abandon_staging(self) -> None:
        if self.staging is not None:
            discard(self.staging)
            self._end_staging()

    def _end_staging(self) -> None:
        assert self.mkdocs_config is not None
        self.mkdocs_config.site_dir = self.site_dir
        self.staging = None
