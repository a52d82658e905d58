"""A search index a reader's browser can use at any archive size.

Material's stock index holds the full text of every page, and every reader's
browser downloads all of it on page load and indexes it before the first result
appears: at 25,000 claims that is well over a hundred megabytes. This index keeps
what readers search claims for (the claim, the claimant, the summary, the tags,
the quoted passages; a source's title and publisher) and splits it so that a
browser fetches only what a query needs:

- terms/<key>.json: for every indexed word starting with the two characters
  <key>, the documents it occurs in and in which fields;
- docs/<n>.json: what a result shows (address, title, one line of text and, for
  a claim, its verdict's badge), for documents n * DOCS_PER_FILE onwards;
- typos/<key>.json: words only, for finding a word typed with one letter wrong,
  missing, extra or swapped (typo_lists).

Typing "sappers" fetches terms/sa.json and then the docs files of the best
matches: a few hundred kilobytes at most, whatever the size of the archive.
generator/factcheck_site/assets/factcheck-search.js is the browser side, a drop-in replacement
for Material's search worker. Both sides split words the same way, so the tokenizer
here and words() there must agree (tests/test_search.py runs both): text is case-folded,
decomposed (NFKD) and stripped of its nonspacing marks, then recomposed (NFC), and a
word is a run of letters and digits. So "İstanbul" is one word, istanbul, "Zürich"
is found by zurich, "ﬁre" by fire, and "ё" by "е". Beyond that, assets/search-words.json
holds what both sides do for particular scripts: the Arabic letters and digits a reader may
type either way, and the Korean particles written on to a word (북한은, 북한군이), which
index_terms() indexes the word without as well, so that 북한 finds both.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib import resources
from pathlib import Path

from factcheck_site.content.model import Claim, Site
from factcheck_site.language import UNSPACED
from factcheck_site.output.staging import delete_with_empty_parents
from factcheck_site.render.claim_page import CLAIM_BY
from factcheck_site.render.markup import badge
from factcheck_site.render.reads import ReadMemo, each_claim
from factcheck_site.render.source_page import KICKER as SOURCE_KIND
from factcheck_site.render.urls import claim_src, page_url, source_src

SOURCE_META = "{kind} · {publisher}"  # a source's line in search results
DOCS_PER_FILE = 16  # small, because the best matches of a query are spread over the archive
KEY_LENGTH = 2
# Field weights, as bits of each posting: a word in the claim counts most.
TITLE, NAME, BODY = 1, 2, 4
TYPO_MIN = 5  # a query word this long that finds nothing finds the words one edit away
# Words too common to find anything; dropped from the index and from queries.
_ENGLISH_STOPWORDS = (
    "a an and are as at be been but by for from had has have he her his i if in into is it its of on or our "
    "she so than that the their them then there these they this to was we were which who will with would you")
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split())


@cache
def _marks() -> tuple[list[tuple[int, int]], str]:
    """The ranges of nonspacing marks (category Mn), and the spacing and enclosing marks (Mc, Me), from one pass over
    Unicode: a pass takes a tenth of a second or more, in every build's process."""
    nonspacing: list[tuple[int, int]] = []
    spacing: list[str] = []
    category = unicodedata.category
    for code in range(sys.maxunicode + 1):
        kind = category(chr(code))
        if kind[0] != "M":
            continue
        if kind == "Mn":
            if nonspacing and nonspacing[-1][1] == code - 1:
                nonspacing[-1] = (nonspacing[-1][0], code)
            else:
                nonspacing.append((code, code))
        else:
            spacing.append(chr(code))
    return nonspacing, "".join(spacing)


@cache
def _nonspacing_marks() -> re.Pattern[str]:
    """Every nonspacing mark (category Mn, as \\p{Mn} in the browser), as one character class."""
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _marks()[0]) + "]+")


@cache
def _word() -> re.Pattern[str]:
    """A word: a run of letters, digits and the spacing marks written within words (Devanagari's vowel signs:
    \\p{Mc} and \\p{Me} in the browser), which nonspacing marks were stripped from already."""
    return re.compile("(?:[^\\W_]|[" + re.escape(_marks()[1]) + "])+")


@cache
def _unspaced() -> re.Pattern[str]:
    """A run of letters of a script written without spaces between words (language.py's UNSPACED)."""
    return re.compile(f"[{UNSPACED}]+")


@cache
def word_rules() -> dict:
    """assets/search-words.json, which the browser side gets too (worker_asset)."""
    text = resources.files("factcheck_site").joinpath("assets/search-words.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _folds() -> dict[int, str]:
    return str.maketrans(word_rules()["fold"])


def fold(text: str) -> str:
    """Text as both sides compare it: case-folded, without accents and other nonspacing marks, with the
    characters a reader may type either way (search-words.json's fold) made one."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", _nonspacing_marks().sub("", decomposed)).translate(_folds())


def words(text: str) -> list[str]:
    """Folded runs of letters and digits, as the browser side splits them; a run of a script written without
    spaces between words (Chinese, Japanese, Thai) as its overlapping pairs of letters and its last letter, which
    is how a word inside it is found."""
    found = _word().findall(fold(text))
    if text.isascii():
        return found
    out: list[str] = []
    unspaced = _unspaced()
    for word in found:
        at = 0
        for run in unspaced.finditer(word):
            if run.start() > at:
                out.append(word[at : run.start()])
            letters = run.group()
            out.extend(letters[i : i + 2] for i in range(len(letters) - 1))
            out.append(letters[-1])
            at = run.end()
        if at < len(word):
            out.append(word[at:])
    return out


@cache
def _endings() -> tuple[tuple[str, ...], int, frozenset[str]]:
    """The endings, longest first; min_stem; the letters an ending ends in (most words end in none)."""
    rules = word_rules()
    endings = tuple(sorted(rules["endings"], key=len, reverse=True))
    return endings, rules["min_stem"], frozenset(ending[-1] for ending in endings)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A folded word without the particles written on to its end (search-words.json's endings: 북한군들이 is
    북한군), the longest first, as long as min_stem characters stay; most words are their own stem."""
    endings, shortest, last_letters = _endings()
    while word[-1:] in last_letters:
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= shortest:
                word = word[: -len(ending)]
                break
        else:
            break
    return word


def index_terms(text: str) -> list[str]:
    """What the index holds for a text: each word, and its stem where that differs, in order."""
    terms: list[str] = []
    for word in words(text):
        terms.append(word)
        if (base := stem(word)) != word:
            terms.append(base)
    return terms


@lru_cache(maxsize=1 << 18)  # every term, and two variants of each for typo_lists: the same ones build after build
def shard_key(term: str) -> str:
    """The file a term's postings live in: its first characters, spelled safely for a URL; a term of a script
    written without spaces (two letters at most) by its first letter alone, so that one letter typed finds the
    pairs it begins."""
    length = 1 if _unspaced().match(term) else KEY_LENGTH
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in term[:length])


@dataclass(frozen=True)
class SearchDoc:
    location: str  # site-relative URL
    title: str  # plain text; the browser escapes it
    text: str  # one line shown under the title
    fields: tuple[tuple[int, str], ...]  # (field bit, text) to index
    badge: str = ""  # a claim's verdict as HTML, from render.markup.badge, which escapes the label


def search_docs(site: Site, directory_urls: bool, reads: ReadMemo | None = None) -> list[SearchDoc]:
    """Claims newest first (so equal matches list the newest first), then sources. reads: each claim's document
    from the last build, under `mkdocs serve` (render/reads.py)."""
    docs = [each_claim(reads, "search", claim, site, partial(_claim_doc, directory_urls))
            for claim in site.claims_newest_first()]
    for source in sorted(site.sources.values(), key=lambda s: s.title.lower()):
        docs.append(SearchDoc(page_url(source_src(source.id), directory_urls), source.title,
                              SOURCE_META.format(kind=SOURCE_KIND, publisher=source.publisher) if source.publisher
                              else str(SOURCE_KIND),
                              ((TITLE, source.title), (NAME, source.publisher or ""))))
    return docs


def _claim_doc(directory_urls: bool, claim: Claim, site: Site) -> SearchDoc:
    body = " ".join([site.plain(claim.summary), *(q.text for q in claim.quotes)])
    via = site.via_name(claim)
    by = CLAIM_BY.format(claimant=site.claimant_line(claim))
    return SearchDoc(page_url(claim_src(claim.id), directory_urls), claim.claim, by,
                     ((TITLE, claim.claim), (NAME, " ".join([claim.claimant, via or "", *claim.tags])), (BODY, body)),
                     badge(site.verdicts[claim.verdict], site.scale))


# A document's indexed words in order of first occurrence, joined by NUL (no word holds one), and the bits of the
# fields each occurs in, one byte each: a tenth of the memory of a tuple of (word, bits) pairs, which mkdocs serve
# keeps for every document between saves (400 MB of them at 25,000 claims).
DocTerms = tuple[str, bytes]
TermMemo = dict[tuple[tuple[tuple[int, str], ...], frozenset[str]], DocTerms]


class LastIndex:
    """The last build's index, kept under `mkdocs serve`: each document's terms, keyed by its fields, and the
    documents and files the index was made of. When a save leaves every document where it was (the usual case: a
    claim's text changed, not its date), the next index is the last one with only the files of the changed
    documents' words made again; otherwise it is made whole, with the terms of unchanged documents reused."""

    def __init__(self) -> None:
        self.terms: TermMemo = {}
        self.docs: list[SearchDoc] = []
        self.stopwords: frozenset[str] | None = None
        self.files: dict[str, str] = {}


def _terms(fields: tuple[tuple[int, str], ...], stopwords: frozenset[str]) -> DocTerms:
    """A document's indexed words, each with the bits of the fields it occurs in, in order of first occurrence."""
    bits: dict[str, int] = {}
    for bit, text in fields:
        for word in index_terms(text):
            if word not in stopwords:
                bits[word] = bits.get(word, 0) | bit
    return "\0".join(bits), bytes(bits.values())


def _term_bits(terms: DocTerms) -> zip[tuple[str, int]]:
    """(word, field bits) of each of a document's words (DocTerms)."""
    words, bits = terms
    return zip(words.split("\0") if bits else (), bits, strict=True)


def _postings(docs: list[SearchDoc], stopwords: frozenset[str],
              memo: TermMemo | None = None) -> dict[str, list[int]]:
    """term -> [doc number * 8 + field bits], doc numbers ascending (one int per posting, not a tuple: millions at
    25,000 claims). memo: each document's terms from the last build (mkdocs serve), keyed by its fields; replaced
    by this build's."""
    index: dict[str, list[int]] = {}
    kept = dict(memo) if memo is not None else {}
    if memo is not None:
        memo.clear()
    for number, doc in enumerate(docs):
        terms = _doc_terms(doc, stopwords, kept) if memo is not None else _terms(doc.fields, stopwords)
        if memo is not None:
            memo[(doc.fields, stopwords)] = terms
        for word, field_bits in _term_bits(terms):
            index.setdefault(word, []).append(number * 8 + field_bits)
    return index


def typo_lists(terms: list[str]) -> dict[str, list[str]]:
    """{key: words}: each word of TYPO_MIN - 1 letters or more, listed under the keys it has without its
    first letter and without its second.

    Postings are split by a word's first two letters, so a typo in them sends a query to the wrong
    file. These lists find it: a query word with its first or second letter wrong or missing, or the
    two swapped, has the key of one of these deletions, itself or without its own first or second
    letter (factcheck-search.js, typoKeys). They hold words only; the postings of the few one edit
    away are then fetched from their own files.
    """
    lists: dict[str, set[str]] = {}
    for term in terms:
        letters = list(term)
        if len(letters) >= TYPO_MIN - 1:
            for variant in (letters[1:], letters[:1] + letters[2:]):
                lists.setdefault(shard_key("".join(variant)), set()).add(term)
    return {key: sorted(listed) for key, listed in sorted(lists.items())}


def _encode(postings: list[tuple[int, int]]) -> list[int]:
    """Each posting as (gap from the previous doc number) * 8 + field bits: small numbers compress well."""
    out, previous = [], 0
    for number, field_bits in postings:
        out.append((number - previous) * 8 + field_bits)
        previous = number
    return out


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_index(docs: list[SearchDoc], stopwords: frozenset[str],
                last: LastIndex | None = None) -> tuple[dict[str, object], dict[str, str]]:
    """(manifest for the browser, {file path inside the index folder: JSON text}); last: see LastIndex."""
    files = None
    if last is not None and last.stopwords == stopwords and len(last.docs) == len(docs) \
            and all(a is b or a.location == b.location for a, b in zip(last.docs, docs, strict=True)):
        changed = [number for number, (a, b) in enumerate(zip(last.docs, docs, strict=True))
                   if a is not b and a != b]  # an unchanged claim's document is the last build's (ReadMemo)
        files = _changed_files(last, docs, changed, stopwords) if len(changed) <= MOST_CHANGED else None
    if files is None:
        files = _index_files(docs, stopwords, last.terms if last is not None else None)
    if last is not None:
        last.docs, last.stopwords, last.files = docs, stopwords, files
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    manifest = {
        "version": 1,
        "id": digest.hexdigest()[:12],  # the folder name: a new index never mixes with a cached old one
        "docs": len(docs),
        "docs_per_file": DOCS_PER_FILE,
        "key_length": KEY_LENGTH,
        "keys": sorted(_names(files, "terms/")),
        "typo_keys": sorted(_names(files, "typos/")),
        "typo_min": TYPO_MIN,
        "stopwords": sorted(stopwords),
    }
    return manifest, files


MOST_CHANGED = 200  # documents changed since the last build beyond which the index is made whole


def _names(files: dict[str, str], folder: str) -> list[str]:
    return [path[len(folder) : -len(".json")] for path in files if path.startswith(folder)]


def _index_files(docs: list[SearchDoc], stopwords: frozenset[str], memo: TermMemo | None) -> dict[str, str]:
    shards: dict[str, dict[str, list[int]]] = {}
    for term, postings in sorted(_postings(docs, stopwords, memo).items()):
        shards.setdefault(shard_key(term), {})[term] = _encode([(value >> 3, value & 7) for value in postings])
    files = {f"terms/{key}.json": _dumps(terms) for key, terms in shards.items()}
    typos = typo_lists([term for terms in shards.values() for term in terms])
    files.update({f"typos/{key}.json": _dumps(listed) for key, listed in typos.items()})
    for first in range(0, len(docs), DOCS_PER_FILE):
        files[_docs_file(first)] = _docs_json(docs, first)
    return files


def _docs_file(number: int) -> str:
    return f"docs/{number // DOCS_PER_FILE}.json"


def _docs_json(docs: list[SearchDoc], number: int) -> str:
    first = number - number % DOCS_PER_FILE
    return _dumps([[d.location, d.title, d.text, d.badge] if d.badge else [d.location, d.title, d.text]
                   for d in docs[first : first + DOCS_PER_FILE]])


def _changed_files(last: LastIndex, docs: list[SearchDoc], changed: list[int],
                   stopwords: frozenset[str]) -> dict[str, str]:
    """The last build's files, with those holding the changed documents (by number) or their words made again:
    the same files as _index_files would make."""
    files = dict(last.files)
    touched: dict[str, dict[int, int]] = {}  # word: {document number: its field bits now, 0 if gone}
    for number in changed:
        before = dict(_term_bits(last.terms.pop((last.docs[number].fields, stopwords), None)
                                 or _terms(last.docs[number].fields, stopwords)))
        now = dict(_term_bits(_doc_terms(docs[number], stopwords, last.terms)))
        for word in before.keys() | now.keys():
            if before.get(word) != now.get(word):
                touched.setdefault(word, {})[number] = now.get(word, 0)
        files[_docs_file(number)] = _docs_json(docs, number)
    by_key: dict[str, list[str]] = {}
    for word in touched:
        by_key.setdefault(shard_key(word), []).append(word)
    came, went = [], []  # words new to the index, and words no longer in it
    for key, shard_words in by_key.items():
        path = f"terms/{key}.json"
        shard: dict[str, list[int]] = json.loads(files[path]) if path in files else {}
        for word in shard_words:
            postings = dict(_decode(shard.get(word, [])))
            for number, field_bits in touched[word].items():
                if field_bits:
                    postings[number] = field_bits
                else:
                    postings.pop(number, None)
            if postings:
                if word not in shard:
                    came.append(word)
                shard[word] = _encode(sorted(postings.items()))
            elif word in shard:
                went.append(word)
                del shard[word]
        _put(files, path, dict(sorted(shard.items())))
    typos: dict[str, set[str]] = {}  # the typo lists of the words that came or went, as they are now
    for word, came_now in [(word, True) for word in came] + [(word, False) for word in went]:
        for key in typo_lists([word]):
            if key not in typos:
                path = f"typos/{key}.json"
                typos[key] = set(json.loads(files[path])) if path in files else set()
            if came_now:
                typos[key].add(word)
            else:
                typos[key].discard(word)
    for key, listed in typos.items():
        _put(files, f"typos/{key}.json", sorted(listed))
    return files


def _doc_terms(doc: SearchDoc, stopwords: frozenset[str], memo: TermMemo) -> DocTerms:
    key = (doc.fields, stopwords)
    terms = memo.get(key)
    if terms is None:
        terms = memo[key] = _terms(doc.fields, stopwords)
    return terms


def _put(files: dict[str, str], path: str, value: dict[str, list[int]] | list[str]) -> None:
    """An index file, or none where it would be empty (a full build makes none)."""
    if value:
        files[path] = _dumps(value)
    else:
        files.pop(path, None)


def _decode(encoded: list[int]) -> list[tuple[int, int]]:
    """_encode undone: (doc number, field bits), ascending."""
    postings, number = [], 0
    for value in encoded:
        number += value >> 3
        postings.append((number, value & 7))
    return postings


# Material's own worker, as its templates name it; pages are pointed at ours instead.
STOCK_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")


def worker_asset() -> tuple[str, str]:
    """(path in the built site, content) of the browser side; the name carries a hash
    of the content so a browser never runs a cached old worker against a new index."""
    content = resources.files("factcheck_site").joinpath("assets/factcheck-search.js").read_text(encoding="utf-8")
    content = content.replace("/* search-words.json */ {}", _dumps({**word_rules(), "unspaced": UNSPACED}), 1)
    digest = hashlib.sha256(content.encode()).hexdigest()[:8]
    return f"assets/javascripts/workers/factcheck-search.{digest}.js", content


def index_stopwords(lang: list[str] | None) -> frozenset[str]:
    """The words left out of the claims index, for the languages of the stock index (its config's lang)."""
    return ENGLISH_STOPWORDS if "en" in (lang or ["en"]) else frozenset()


def extend_site_index(stock_index: str, docs: list[SearchDoc],
                      last: LastIndex | None = None) -> tuple[str, dict[str, str]]:
    """Material's search_index.json with the claims index's manifest added to its config and its own pages'
    entries moved into the index, and the index's files by path in the built site (last: see LastIndex)."""
    data = json.loads(stock_index)
    return site_index(data, *build_index(docs, stock_stopwords(data), last))


def stock_stopwords(data: dict) -> frozenset[str]:
    """index_stopwords for the stock index (parsed)."""
    return index_stopwords(data.get("config", {}).get("lang"))


def site_index(data: dict, manifest: dict[str, object], files: dict[str, str]) -> tuple[str, dict[str, str]]:
    """extend_site_index, from the stock index (parsed) and the claims index that build_index made for its stopwords."""
    config = data.setdefault("config", {})
    path = f"search/factcheck/{manifest['id']}/"
    manifest = {**manifest, "path": path}
    # Material's entries for the site's own pages move to a file of the index, which the worker fetches when the
    # reader first searches: Material's page script fetches search_index.json on every page view. Named by a hash
    # of its content, as the folder is, so that a browser never mixes a cached old one with a new site.
    pages = _dumps(data.get("docs") or [])
    manifest["pages"] = f"pages-{hashlib.sha256(pages.encode()).hexdigest()[:12]}.json"
    files = {**files, manifest["pages"]: pages}
    data["docs"] = []
    config["factcheck"] = manifest
    return _dumps(data), {path + name: text for name, text in files.items()}


WrittenIndex = tuple[Path, dict[str, str]]  # the factcheck index's folder, and its files' text by name inside it


def write_index_files(site_dir: Path, files: dict[str, str], last: WrittenIndex | None,
                      dirty: bool) -> WrittenIndex | None:
    """Write the factcheck index's files (search/factcheck/<id>/...) into the site folder. A dirty build
    (`mkdocs serve --dirty`, which does not empty the folder) renames the last build's index folder, writes only
    the files that changed and drops the indexes of earlier builds; it returns what it wrote, for the next one."""
    folders = site_dir / "search" / "factcheck"
    folder = folders / Path(next(iter(files))).parts[2] if files else None
    prefix = folder.relative_to(site_dir).as_posix() + "/" if folder is not None else ""
    old: dict[str, str] = {}
    if dirty and last is not None and folder is not None and last[0].is_dir() and last[0].parent == folders:
        before, old_files = last
        if before != folder:
            shutil.rmtree(folder, ignore_errors=True)
            before.rename(folder)
        old = {prefix + name: text for name, text in old_files.items()}
    for path, content in files.items():
        if old.get(path) != content:
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    if folder is not None:
        for path in old.keys() - files.keys():
            delete_with_empty_parents(site_dir / path, folder.resolve())
    if not dirty:
        return None
    current = {path.split("/", 3)[2] for path in files}  # search/factcheck/<id>/...: not a Path for each file
    for other in folders.iterdir() if folders.is_dir() else ():
        if other.name not in current:
            shutil.rmtree(other, ignore_errors=True)
    return (folder, {path.removeprefix(prefix): text for path, text in files.items()}) if folder is not None else None
