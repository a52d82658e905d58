"""The generator core's work kept on disk between processes: each claim as loaded and checked by an earlier build,
and the pages rendered from them, so that `mkdocs build` in a new process parses and checks again only the claim files
whose bytes changed, and renders again only the pages that would read something else of the site now.

Loading and checking every claim (PyYAML, the field checks, quote matching, markdown-it-py) is half of the core: at
25,000 claims, seconds of every build, though a rebuild usually follows the edit of one file. A claim's record here
is used only when the bytes of its file (SHA-256), its path, and everything else its checking depends on are the
same as when it was stored: the generator's files and the installed packages' versions, the settings from
mkdocs.yml (verdict scale, dispatches, folders, language), the day dates are checked against, the ids of every
claim file (prose links to claims), and every source as loaded (the ids of those refused too). Claims with problems
are not stored: they are checked again, and their problems reported again. A build in which no claim changed does not
write the store again.

The file is untrusted input like the rest of the cache (cache_folder.py: no links followed, nothing git tracks,
sealed with this user's key); it is JSON, never unpickled, and a record that does not make a claim of this
generator's model is ignored with the cache's one warning. One line per claim file: `["path", "sha256"]`, a tab, and
the claim as JSON, so that a rebuild writes the lines of unchanged claims back as it read them.

The pages (StoredPages) are kept per call that rendered them: a claim's page, a source's pages, a listing, the home
page, each with what rendering it read of the site (render/reads.py's reads: a claim, a source, a commit date, the
claims citing a source, or a whole field) and a fingerprint of the values it found then (SiteDigests: a claim as its
stored JSON, a source as loaded, a date), under a context of what every page depends on besides (rendering_context:
the generator, the packages, the settings, the URL style, the publication, every word of the language as translated,
the desk's own catalogue in locales/ included). A call whose reads have the fingerprint they had is not rendered again.
They are kept packed (zlib) in sixteen sealed files, by a hash of the call's name: a line of JSON naming the call, its
fingerprint, its reads and the size of each page, then the pages' bytes. Nothing in them is unpickled or run; a file
that is not of this format is ignored with the cache's one warning.

What reads every claim is kept in parts, so that a rebuild after one claim's edit makes again only what shows it, as
`mkdocs serve` does in memory: each listing page as a call named by its place, its values and its claims
(StoredListings, render/kept_pages.py's key), each claim's pieces of the feeds and exports as a call per claim and kind
(StoredPieces, in files of their own), and the search index's documents and files (INDEX: search_index.LastIndex, made
again only for the documents that changed).
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import json
import zlib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck_site.cache_folder import MAX_FILE_BYTES, CacheFolder
from factcheck_site.content.format_check import build_date
from factcheck_site.content.model import Claim, Correction, Quote, Site, Source
from factcheck_site.content.publisher import Publication
from factcheck_site.content.settings import Settings
from factcheck_site.language import active
from factcheck_site.output.build_cache import generator_fingerprint, installed_distributions, stable
from factcheck_site.output.pieces import KeptPieces, Pieces
from factcheck_site.render.kept_pages import KeptPages
from factcheck_site.render.reads import EVERY, TRACKED, Read, ReadMemo, reading_site

if TYPE_CHECKING:  # imported where used: `factcheck validate` imports this module, and needs no renderer
    from factcheck_site.output.search_index import LastIndex, SearchDoc

ClaimsIndex = tuple[dict[str, object], dict[str, str]]  # search_index.build_index's: its manifest, and its files
FILE = "claims-1.json"
_TYPES: dict[str, type] = {kind.__name__: kind for kind in (Claim, Quote, Correction)}


def _encoded(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return {"_": "date", "v": value.isoformat()}
    if isinstance(value, tuple):
        return [_encoded(item) for item in value]
    if is_dataclass(value) and type(value).__name__ in _TYPES:
        return {"_": type(value).__name__, **{f.name: _encoded(getattr(value, f.name)) for f in fields(value)}}
    raise TypeError(f"{type(value).__name__} is not part of a stored claim")


def claim_json(claim: Claim) -> str:
    return json.dumps(_encoded(claim), separators=(",", ":"))


def _record(value: dict[str, Any]) -> Any:
    """json.loads' object_hook: a record of _encoded as it was (its lists as tuples), called for the innermost first;
    ValueError for anything else. Every claim is decoded at every rebuild: a hook, not a walk of the
    decoded JSON in Python."""
    kind = value.get("_")
    if kind == "date" and isinstance(value.get("v"), str):
        return dt.date.fromisoformat(value["v"])
    made = _TYPES.get(kind) if isinstance(kind, str) else None
    if made is None:
        raise ValueError(f"no record of kind {kind!r}")
    try:
        return made(**{name: _tuples(item) if type(item) is list else item
                       for name, item in value.items() if name != "_"})
    except TypeError as error:
        raise ValueError(str(error)) from None


def _tuples(items: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuples(item) if type(item) is list else item for item in items)


def claim_from_json(text: str) -> Claim:
    claim = json.loads(text, object_hook=_record)
    if not isinstance(claim, Claim):
        raise ValueError("not a claim")
    return claim


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def source_digests(sources: Mapping[str, Source]) -> dict[str, str]:
    """Each source as loaded (every field, text included), hashed: what a claim's checking, and a page, read of it."""
    return {source_id: hashlib.sha256(repr(source).encode("utf-8", "surrogateescape")).hexdigest()
            for source_id, source in sources.items()}


def checking_context(settings: Settings, claim_ids: Iterable[str], sources: Mapping[str, str],
                     broken: Iterable[str]) -> str:
    """A hash of everything a claim's loading and checking depends on besides its own file: the sources as loaded
    (source_digests) and the ids of those refused are all that it is given of them, so their files are not read
    again for this."""
    digest = hashlib.sha256()
    for part in (generator_fingerprint(), installed_distributions(),
                 json.dumps(stable(settings), sort_keys=True, default=repr), build_date().isoformat(),
                 "\n".join(sorted(claim_ids)), "\n".join(sorted(broken))):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for source_id in sorted(sources):
        digest.update(sources[source_id].encode("ascii") + b"\0")
    return digest.hexdigest()


class StoredClaims:
    """The claims an earlier build stored in the cache's folder (None: no cache, nothing stored), for build_site:
    start() with the context of this build, then claim() for each file, then keep() what this build loaded."""

    def __init__(self, folder: CacheFolder | None, opener: Callable[[], CacheFolder | None] | None = None) -> None:
        self.folder = folder
        self.opener = opener  # for keep(), where there was no cache to read: a failed build must not make one
        self.lines: dict[str, tuple[str, str]] = {}  # path -> (SHA-256 of its bytes, the claim's JSON)
        self.context = ""
        self.digests: dict[str, str | None] = {}  # path -> SHA-256 of its bytes, read by claim() before loading
        self.reused = 0  # claims this build took from the store
        self.read_back: tuple[str, ...] = ()  # the paths of the store start() read, in order, when it applied
        self.records: dict[str, str] = {}  # claim id -> the claim's JSON, as keep() stored it (for StoredPages)
        self.pages = StoredPages()  # the pages rendered from the claims, in the same folder
        self.pieces: StoredPages | None = None  # ... and the feeds' and exports' pieces of each claim (StoredPieces)

    def start(self, context: str) -> None:
        self.context, self.lines, self.read_back = context, {}, ()
        data = self.folder.read(FILE) if self.folder is not None else None
        if data is None:
            return
        try:
            text = data.decode("ascii")
            head, _, body = text.partition("\n")
            if json.loads(head) != {"context": context}:
                return  # stored by a build of other settings, sources or generator: nothing applies
            for line in body.splitlines():
                where, _, record = line.partition("\t")
                path, sha = json.loads(where)
                if not (isinstance(path, str) and isinstance(sha, str) and record):
                    raise ValueError("a malformed line")
                self.lines[path] = (sha, record)
            self.read_back = tuple(self.lines)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            assert self.folder is not None
            self.folder.distrust(f"{self.folder.path(FILE)}: ignoring the claims stored by an earlier build ({error})")
            self.lines = {}

    def claim(self, path: Path) -> Claim | None:
        """The claim stored for this file's very bytes, or None (the file is loaded and checked)."""
        sha = self.digests[str(path)] = file_digest(path)
        stored = self.lines.get(str(path))
        if sha is None or stored is None or stored[0] != sha:
            return None
        try:
            claim = claim_from_json(stored[1])
            self.reused += 1
            return claim
        except (ValueError, RecursionError) as error:
            assert self.folder is not None
            self.folder.distrust(f"{self.folder.path(FILE)}: ignoring a claim stored by an earlier build ({error})")
            del self.lines[str(path)]
            return None

    def search_index(self, stock: str, docs: Callable[[], list[SearchDoc]],
                     made: Callable[[frozenset[str]], ClaimsIndex | None] = lambda stopwords: None,
                     ) -> tuple[str, dict[str, str]]:
        """extend_site_index(stock, docs()), from the index an earlier build made, kept in the store's file INDEX
        (search_index.LastIndex: its documents and files, under this build's rendering_context): only the files of the
        documents changed since are made again, as under `mkdocs serve`. Made whole where this build stored no pages
        (no cache, or problems), or where the store has no index of this context. made(stopwords): the claims index
        as claims_index made it for the stock index's stopwords in a process beside (plugin.py), or None."""
        from factcheck_site.output.search_index import site_index, stock_stopwords

        data = json.loads(stock)
        stopwords = stock_stopwords(data)
        return site_index(data, *(made(stopwords) or self.claims_index(stopwords, docs)))

    def claims_index(self, stopwords: frozenset[str], docs: Callable[[], list[SearchDoc]]) -> ClaimsIndex:
        """build_index(docs(), stopwords): from and into the store's INDEX where this build stored pages."""
        from factcheck_site.output.search_index import build_index

        digests = self.pages.digests
        if self.folder is None or digests is None:
            return build_index(docs(), stopwords)
        last = _stored_index(self.folder, digests.context)
        before = (last.docs, last.files, last.stopwords)
        made = build_index(docs(), stopwords, last)
        if (last.docs, last.files, last.stopwords) != before:
            _store_index(self.folder, digests.context, last)
        return made

    def keep(self, loaded: dict[str, Claim | None]) -> None:
        """Store the claims of this build that loaded without problems (by path: None for the others), and nothing
        else; a file whose bytes changed while it was loaded is left out."""
        if self.folder is None and self.opener is not None:
            self.folder = self.opener()
        if self.folder is None:
            return
        lines = [json.dumps({"context": self.context})]
        kept: list[str] = []  # the paths of the claims stored again as they were read
        for path, claim in loaded.items():
            if claim is None:
                continue
            stored = self.lines.get(path)
            sha = self.digests.get(path)
            if stored is not None and stored[0] == sha:
                record = stored[1]
                kept.append(path)
            elif sha is None or sha != file_digest(Path(path)):
                continue
            else:
                record = claim_json(claim)
            lines.append(json.dumps([path, sha]) + "\t" + record)
            self.records[claim.id] = record
        unchanged = len(kept) == len(lines) - 1 and tuple(kept) == self.read_back
        self.lines, self.digests, self.read_back = {}, {}, ()
        if unchanged:  # no claim changed: the store read at the start is this one (sealing and writing it: seconds)
            return
        data = "\n".join(lines).encode("ascii")
        if len(data) > MAX_FILE_BYTES:  # more than the cache reads back (about 70,000 claims): not stored
            self.folder.delete(FILE)
            return
        try:
            self.folder.write(FILE, data)
        except OSError as error:
            self.folder.distrust(f"{self.folder.path(FILE)}: cannot store the claims ({error.strerror}); the next "
                                 "build checks every claim again")


INDEX = "index-1.bin"  # the search index's documents and files (search_index.LastIndex), zlib-packed JSON


def _stored_index(folder: CacheFolder, context: str) -> LastIndex:
    """The index an earlier build stored under this context, or an empty one (made whole). Strings, numbers, lists
    and maps only: anything else is ignored, with the cache's one warning."""
    from factcheck_site.output.search_index import LastIndex

    last = LastIndex()
    data = folder.read(INDEX)
    if data is None:
        return last
    try:
        value = json.loads(zlib.decompress(data))
        if not isinstance(value, dict) or value.get("context") != context:
            return last
        stopwords, docs, files = value["stopwords"], value["docs"], value["files"]
        if not (isinstance(stopwords, list) and all(isinstance(word, str) for word in stopwords)
                and isinstance(files, dict) and all(isinstance(text, str) for text in files.values())
                and isinstance(docs, list)):
            raise ValueError("a malformed index")
        last.docs = [_search_doc(doc) for doc in docs]
        last.stopwords, last.files = frozenset(stopwords), files
    except (ValueError, KeyError, TypeError, zlib.error, UnicodeDecodeError, RecursionError) as error:
        folder.distrust(f"{folder.path(INDEX)}: ignoring the search index stored by an earlier build ({error})")
        return LastIndex()
    return last


def _search_doc(doc: Any) -> SearchDoc:
    from factcheck_site.output.search_index import SearchDoc

    if not (isinstance(doc, list) and len(doc) == 5 and all(isinstance(text, str) for text in doc[:3] + doc[4:])
            and isinstance(doc[3], list) and all(isinstance(field, list) and len(field) == 2
                                                 and type(field[0]) is int and isinstance(field[1], str)
                                                 for field in doc[3])):
        raise ValueError("a malformed document")
    return SearchDoc(doc[0], doc[1], doc[2], tuple((bit, text) for bit, text in doc[3]), doc[4])


def _store_index(folder: CacheFolder, context: str, last: LastIndex) -> None:
    data = zlib.compress(json.dumps({
        "context": context, "stopwords": sorted(last.stopwords or ()), "files": last.files,
        "docs": [[doc.location, doc.title, doc.text, [list(field) for field in doc.fields], doc.badge]
                 for doc in last.docs]}, separators=(",", ":")).encode("ascii"), 1)
    _write_or_delete(folder, INDEX, data, "the search index", "makes it whole")


def _write_or_delete(folder: CacheFolder, name: str, data: bytes | None, what: str, then: str) -> bool:
    """data as the store's file name; the file deleted for None, or for more than the cache reads back. False, with
    the cache's warning, where it cannot be written."""
    try:
        if data is None or len(data) > MAX_FILE_BYTES:
            folder.delete(name)
        else:
            folder.write(name, data)
        return True
    except OSError as error:
        folder.distrust(f"{folder.path(name)}: cannot store {what} ({error.strerror}); the next build {then}")
        return False


PAGES = "pages-1-{:02d}.bin"  # the pages, spread over PAGE_SHARDS files by the name of the call that made them
PAGE_SHARDS = 16  # a claim's edit writes again the files of the calls whose pages changed, not every page
Pages = dict[str, bytes]  # what one call rendered: src_uri -> Markdown, packed (build.py's pack)
Entry = tuple[str, tuple[Read, ...], Pages]  # a fingerprint, the reads it is of (kept_reads), the pages


def pack(markdown: str) -> bytes:
    """A page as a packed build holds it (build.py's BuildOptions.packed), and as the store keeps it: zlib at its
    fastest level, which makes claim pages about a fifth of their size, and costs less than the pickling of the whole
    page it saves a worker."""
    return zlib.compress(markdown.encode("utf-8"), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")


def rendering_context(settings: Settings, directory_urls: bool, publication: Publication | None) -> str:
    """A hash of what every page depends on besides what it reads of the site (render/reads.py): the generator's
    files and the installed packages' versions (Markdown, Babel's CLDR data), the settings from mkdocs.yml (verdict
    scale, dispatches, language, organisation), the URL style, the publication, and every word of the language as
    this build translates it: the generator's catalogue with the desk's own (locales/) merged in."""
    digest = hashlib.sha256()
    for part in (generator_fingerprint(), installed_distributions(),
                 json.dumps(stable(settings), sort_keys=True, default=repr), repr(directory_urls), repr(publication),
                 words_digest()):
        digest.update(json.dumps(part).encode("ascii") + b"\0")
    return digest.hexdigest()


def words_digest() -> str:
    """The active language's words, as a hash: each catalogue of its chain (a catalogue's header, msgid "", gives its
    plural rule), and what kind of catalogue it is."""
    language = active()
    digest = hashlib.sha256(json.dumps([language.code, str(language.locale)]).encode("ascii"))
    translations: gettext.NullTranslations | None = language.translations
    while translations is not None:
        digest.update(f"\0{type(translations).__module__}.{type(translations).__qualname__}\0".encode())
        catalog = getattr(translations, "_catalog", None) or {}
        for item in sorted(json.dumps([repr(key), repr(value)]) for key, value in catalog.items()):
            digest.update(item.encode("ascii") + b"\n")
        translations = getattr(translations, "_fallback", None)
    return digest.hexdigest()


def kept_reads(reads: Iterable[Read]) -> list[Read] | None:
    """What a page read, as stored: in order, and without the keys of a field it also went through whole (the digest
    of the whole field covers them); None for reads no digest is made of."""
    listed = list(reads)
    if not all(isinstance(read, tuple) and len(read) == 2 and read[0] in TRACKED
               and (read[1] is None or isinstance(read[1], str)) for read in listed):
        return None
    whole = {name for name, key in listed if key == EVERY}
    return sorted({(name, key) for name, key in listed if name not in whole or key == EVERY},
                  key=lambda read: (read[0], read[1] is not None, read[1] or ""))


class SiteDigests:
    """What a page may read of this build's site (render/reads.py: a claim, a source, a commit date, the claims citing
    a source, or a whole field), each value as a digest, made when first asked for: a page stored by an earlier
    process is taken only when every value it read then has the digest it had."""

    def __init__(self, site: Site, records: Mapping[str, str], sources: Mapping[str, str], context: str) -> None:
        self.site, self.sources, self.context = site, sources, context
        # claim id -> digest of the claim as stored (its JSON), made now: the JSON is not held to the end of the build
        self.claims = {claim_id: hashlib.sha256(records[claim_id].encode("ascii")).hexdigest()
                       for claim_id in site.claims if claim_id in records}
        self.known: dict[Read, str] = {}
        self.lines: dict[Read, bytes] = {}  # each read as fingerprint() hashes it

    def claim(self, claim_id: Any) -> str:
        known = self.claims.get(claim_id)
        if known is None:
            claim = self.site.claims.get(claim_id)
            known = "-" if claim is None else hashlib.sha256(claim_json(claim).encode("ascii")).hexdigest()
            self.claims[claim_id] = known
        return known

    def value(self, name: str, key: Any) -> str:
        read = (name, key)
        known = self.known.get(read)
        if known is None:
            known = self.known[read] = self._value(name, key)
        return known

    def _value(self, name: str, key: Any) -> str:
        site = self.site
        if key == EVERY:
            field = getattr(site, name)
            return hashlib.sha256("\n".join(f"{json.dumps(k)}\0{self._value(name, k)}" for k in field)
                                  .encode("ascii")).hexdigest()
        if name == "claims":
            return self.claim(key)
        if name == "sources":
            return self.sources.get(key, "-") if key in site.sources else "-"
        if name == "committed":
            day = site.committed.get(key)
            return day.isoformat() if day is not None else "-"
        if name == "cited_by":
            citing = site.cited_by.get(key)
            return "-" if citing is None else "[" + ",".join(self.claim(claim.id) for claim in citing)
        raise ValueError(f"{name} is not a part of the site a page reads")

    def fingerprint(self, unit: str, reads: Iterable[Read]) -> str:
        digest = hashlib.sha256(json.dumps([self.context, unit]).encode("ascii"))
        lines = self.lines
        for read in reads:  # most reads are every page's (the sources, the commit dates) or many pages' (a claim)
            line = lines.get(read)
            if line is None:
                name, key = read
                line = lines[read] = f"\n{name}\0{json.dumps(key)}\0{self.value(name, key)}".encode("ascii")
            digest.update(line)
        return digest.hexdigest()


def _shard(unit: str) -> int:
    return zlib.crc32(unit.encode("utf-8", "surrogatepass")) % PAGE_SHARDS


def _entries(data: bytes, context: str) -> dict[str, Entry] | None:
    """The pages of one file of the store (None: stored for another context, where none applies); ValueError when it is
    not a file of this format."""
    end = data.find(b"\n")
    if end < 0 or json.loads(data[:end]) != {"context": context}:
        return None
    entries: dict[str, Entry] = {}
    at = end + 1
    while at < len(data):
        end = data.find(b"\n", at)
        if end < 0:
            raise ValueError("a record without its pages")
        record = json.loads(data[at:end])
        at = end + 1
        if not (isinstance(record, list) and len(record) == 4 and isinstance(record[0], str)
                and isinstance(record[1], str) and isinstance(record[2], list) and isinstance(record[3], list)):
            raise ValueError("a malformed record")
        unit, fingerprint, listed, sizes = record
        reads = tuple((read[0], read[1]) for read in listed if isinstance(read, list) and len(read) == 2)
        if len(reads) != len(listed) or kept_reads(reads) != list(reads):
            raise ValueError(f"{unit}: malformed reads")
        pages: Pages = {}
        for item in sizes:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
                    and isinstance(item[1], int) and 0 <= item[1] <= len(data) - at):
                raise ValueError(f"{unit}: a malformed page")
            pages[item[0]] = data[at : at + item[1]]
            at += item[1]
        entries[unit] = (fingerprint, reads, pages)
    return entries


class StoredPages:
    """The pages earlier builds rendered, each call's (a claim's page, a source's pages, a listing, the home page) with
    what rendering it read of the site and a fingerprint of the values it found (SiteDigests), in the cache's folder:
    a build in a new process takes a call's pages when the fingerprint of those reads is the same now, and renders
    the others, as `mkdocs serve` does in memory (build.py's _rerender). What the pages depend on besides is in every
    fingerprint (rendering_context). Read and written only for a build without problems."""

    def __init__(self, name: str = PAGES, shards: int = PAGE_SHARDS) -> None:
        self.name, self.count = name, shards  # the store's files: name.format(shard), for each of count shards
        self.entries: dict[str, Entry] = {}  # by call: as read from the store
        self.made: dict[str, Entry] = {}  # ... as this build has them, in the order made
        self.shards: dict[int, tuple[str, ...]] = {}  # each file read, whole and of this context: the calls in it
        self.digests: SiteDigests | None = None
        self.reused = 0  # calls whose pages this build took from the store
        self.rendered: list[str] = []  # ... and those it rendered

    def start(self, folder: CacheFolder, digests: SiteDigests) -> None:
        self.digests, self.entries, self.made, self.shards = digests, {}, {}, {}
        self.reused, self.rendered = 0, []
        for shard in range(self.count):
            data = folder.read(self.name.format(shard))
            try:
                entries = _entries(data, digests.context) if data is not None else None
            except (ValueError, UnicodeDecodeError, RecursionError) as error:
                folder.distrust(f"{folder.path(self.name.format(shard))}: ignoring the pages stored by an earlier "
                                f"build ({error})")
                entries = None
            if entries is not None:
                self.entries.update(entries)
                self.shards[shard] = tuple(entries)

    def reuse(self, unit: str) -> tuple[Pages, frozenset[Read]] | None:
        """The pages stored for this call, if what they read has not changed since (and what they read)."""
        entry = self.entries.get(unit)
        if entry is None or self.digests is None or self.digests.fingerprint(unit, entry[1]) != entry[0]:
            return None
        self.made[unit] = entry
        self.reused += 1
        return entry[2], frozenset(entry[1])

    def keep(self, unit: str, reads: Iterable[Read], pages: Pages) -> None:
        """The pages this call rendered, and what it read."""
        self.rendered.append(unit)
        listed = kept_reads(reads)
        if listed is None or self.digests is None:
            return
        try:
            self.made[unit] = (self.digests.fingerprint(unit, listed), tuple(listed), pages)
        except ValueError:
            return

    def call(self, unit: str, site: Site, make: Callable[[Site], dict[str, Any]]) -> Pages:
        """make(site), packed: as stored, or made (and kept) when what it read of the site has changed since."""
        kept = self.reuse(unit)
        if kept is not None:
            return kept[0]
        seeing, reads = reading_site(site)
        made = make(seeing)
        pages = {path: made_now.packed() if isinstance(made_now := made.pop(path), Pieces) else pack(made_now)
                 for path in list(made)}  # each packed as soon as it is had
        self.keep(unit, reads, pages)
        return pages

    def save(self, folder: CacheFolder) -> None:
        """Write the files of the store whose calls or pages differ from those read (none when nothing changed)."""
        shards: list[list[str]] = [[] for _ in range(self.count)]
        for unit in self.made:
            shards[_shard(unit) % self.count].append(unit)
        assert self.digests is not None
        head = json.dumps({"context": self.digests.context}).encode("ascii") + b"\n"
        for shard, units in enumerate(shards):
            name = self.name.format(shard)
            # the same calls, in whatever order this build made them, each as read: the file as it is
            if len(units) == len(self.shards.get(shard, ())) and set(units) == set(self.shards.get(shard, ())) \
                    and all(self.made[u] is self.entries.get(u) for u in units):
                continue
            parts = [head]
            for unit in units:
                fingerprint, reads, pages = self.made[unit]
                parts.append(json.dumps([unit, fingerprint, [list(read) for read in reads],
                                         [[src, len(page)] for src, page in pages.items()]]).encode("ascii") + b"\n")
                parts += pages.values()
            if not _write_or_delete(folder, name, b"".join(parts) if units else None, "the pages",
                                    "renders them again"):
                return
        self.entries, self.made, self.shards = {}, {}, {}


PIECES = "pieces-1-{:02d}.bin"  # each claim's pieces of the feeds and exports (StoredPieces)


class StoredReads(ReadMemo):
    """ReadMemo across processes: each claim's value (its item in a feed, its record or row in an export, encoded)
    kept in the store's PIECES files, a call per claim and kind (StoredPages, under the same fingerprints as the
    pages), and made again only when what making it read of the site has changed since."""

    def __init__(self, shelf: StoredPages) -> None:
        super().__init__()
        self.shelf = shelf

    def value(self, kind: str, claim: Claim, site: Site, make: Callable[[Claim, Site], Any]) -> Any:
        unit = f"{kind}:{claim.id}"
        kept = self.shelf.reuse(unit)
        if kept is not None and (value := _piece(kept[0])) is not None:
            return value
        seen, reads = reading_site(site)
        made = make(claim, seen)
        # a piece is bytes (text_pieces), or the digest of a JSON value and the value encoded (json_pieces)
        pages = {"": zlib.compress(made, 1)} if isinstance(made, bytes) \
            else {"d": made[0], "": zlib.compress(made[1], 1)}
        self.shelf.keep(unit, reads | {("claims", claim.id)}, pages)
        return made


def _piece(pages: Pages) -> Any:
    """A piece as StoredReads made it; None where it is not one."""
    try:
        encoded = zlib.decompress(pages[""])
    except (KeyError, zlib.error):
        return None
    digest = pages.get("d")
    if digest is None:
        return encoded if len(pages) == 1 else None
    return (digest, encoded) if len(pages) == 2 else None


class StoredPieces(KeptPieces):
    """The pieces of the feeds and exports (output/pieces.py) kept per claim in the cache's folder, for `mkdocs build`
    in a new process: a rebuild after a claim's edit encodes again only that claim's pieces (and those of the claims
    that read it), then joins the files from them, as a save under `mkdocs serve` does. save() writes the store's
    files whose pieces changed."""

    def __init__(self, folder: CacheFolder, digests: SiteDigests) -> None:
        super().__init__()
        self.folder, self.shelf = folder, StoredPages(PIECES, PAGE_SHARDS)
        self.shelf.start(folder, digests)
        self.reads = StoredReads(self.shelf)

    def save(self) -> None:
        self.shelf.save(self.folder)


class StoredListings(KeptPages):
    """The listing pages (render/kept_pages.py) kept page by page in the store's pages files, for `mkdocs build` in a
    new process: a page is named by its place, its values and the ids of its claims in order (what it is made from
    under `mkdocs serve`), and taken while each of those claims, every source and every commit date have the digests
    they had (SiteDigests: a claim as stored, a source as loaded), under the rendering context. A rebuild after one
    claim's edit makes again only the pages that list it, and those whose values (counts, pagers) changed. Each page
    is packed (build.pack); a page whose values are not plain JSON is made every time."""

    def __init__(self, shelf: StoredPages) -> None:
        super().__init__(None, pack)
        self.shelf = shelf

    def page(self, here: str, claims: Sequence[Claim], values: tuple[Hashable, ...], make: Callable[[], str]) -> Any:
        try:
            named = json.dumps([values, [claim.id for claim in claims]], allow_nan=False)
        except (TypeError, ValueError):
            return pack(make())
        unit = f"listing page:{here}:{hashlib.sha256(named.encode('ascii')).hexdigest()}"
        kept = self.shelf.reuse(unit)
        if kept is not None and set(kept[0]) == {here}:
            return kept[0][here]
        page = pack(make())
        self.shelf.keep(unit, [("claims", claim.id) for claim in claims] + [("sources", EVERY), ("committed", EVERY)],
                        {here: page})
        return page

    def piece(self, key: Hashable, claims: tuple[Claim, ...], values: tuple[Hashable, ...],
              make: Callable[[], Any], small: bool = True) -> Any:
        return make()
