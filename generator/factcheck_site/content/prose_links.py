"""Links to sources and to other fact-checks in editors' prose, by id, in plain Markdown syntax.

`[](source:ID)` shows the source's title, `[](claim:ID)` the other claim's text; `[words](source:ID)`
and `[words](claim:ID)` link the words; `<claim:ID>` is `[](claim:ID)`, and in the analysis (Markdown) a
reference-style link (`[words][ref]` with `[ref]: claim:ID`) is one too. Readers never see an id: a link
must name a known source or claim, and an id written bare in the prose is refused with the link to write
instead. The renderers turn the links into relative URLs (render/safe_markdown.py, render/claim_page.py);
feeds, exports and the search index get the readable text (plain_text).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

SOURCE, CLAIM = "source", "claim"
# [words](source:id) or [](claim:id): the words hold no brackets (a backslash escapes one); or <claim:id>,
# as [](claim:id). The bracket must not be escaped itself: an even number of backslashes before it. Matching
# from an escaped bracket would let every `\[` of a line scan the rest of it: quadratic time on `\[\[\[...`.
LINK = re.compile(r"(?<!\\)(?:\\\\)*(?P<link>\[(?P<words>(?:[^\[\]\\\n]|\\.)*)\]"
                  r"\((?P<kind>source|claim):(?P<id>[^()\s]*)\)|<(?P<auto_kind>source|claim):(?P<auto_id>[^<>\s]*)>)")
# What is not prose that a reader reads as words: the address of any other link, an autolink
# (<https://...>), a bare web address.
_NOT_PROSE = re.compile(r"\]\([^()\s]*\)|<[^<>\s]*>|\bhttps?://\S+")
# A word or hyphenated token, as ids are written: it ends where a letter, digit or hyphen does not follow.
_TOKEN = re.compile(r"(?<!-)(?<![^\W_])[a-z0-9]+(?:-[a-z0-9]+)*(?!-)(?![^\W_])")
# Runs of the characters ids are made of: each _TOKEN is a whole run of letters, digits and hyphens, and so a
# whole run of these too. Finding them takes a third of _TOKEN's time (no lookbehind at every character).
_ID_RUN = re.compile(r"[a-z0-9-]+")
# The same runs, found by C's byte loops (translate and split), four times faster than _ID_RUN.findall on text
# that is not ASCII: in UTF-8, every character outside ASCII is bytes from 0x80 on, which become spaces here.
_ID_BYTES = bytes(byte if chr(byte) in "abcdefghijklmnopqrstuvwxyz0123456789-" else 32 for byte in range(256))
_MARKER_CHARACTERS = "*_~"  # emphasis and strikethrough: Markdown may drop them, joining the words around
_MARKERS = re.compile(f"[{_MARKER_CHARACTERS}]")
_ID_OR_MARKER_RUN = re.compile(r"[a-z0-9*_~-]*")
MAX_JOINED = 8  # pieces of one run between markers, beyond which the parse is cheaper than the joins
_ESCAPED = re.compile(r"\\([\[\]\\])")
# A reference definition giving a source or claim as the address ([ref]: claim:ID), for the exports.
_REFERENCE_DEFINITION = re.compile(r"^(?P<label>[ \t]*(?:>[ \t]*)*\[(?:[^\[\]\\\n]|\\.)+\]:[ \t]*(?:\n[ \t]*)?)"
                                   r"<?(?P<kind>source|claim):(?P<id>[^\s<>]*)>?", re.MULTILINE)


@dataclass(frozen=True)
class Link:
    kind: str  # SOURCE or CLAIM
    id: str
    words: str  # "" when the link shows the title (a source) or the claim's text
    start: int
    end: int


def links_in(text: str) -> list[Link]:
    return [Link(m["kind"], m["id"], _ESCAPED.sub(r"\1", m["words"]).strip(), m.start("link"), m.end())
            if m["kind"] else Link(m["auto_kind"], m["auto_id"], "", m.start("link"), m.end())
            for m in LINK.finditer(text)]


def has_links(text: str) -> bool:
    """Whether text may hold a link by id: a cheap test before links_in."""
    return "](" in text or "<" in text


def _each_link_replaced(text: str, replace: Callable[[Link], str]) -> str:
    parts, end = [], 0
    for link in links_in(text):
        parts += [text[end : link.start], replace(link)]
        end = link.end
    parts.append(text[end:])
    return "".join(parts)


def _line_in(text: str, index: int) -> int:
    return text.count("\n", 0, index)


def _close(wanted: str, known: Collection[str]) -> str | None:
    found = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6) if wanted else []
    return found[0] if found else None


def _unknown(kind: str, wanted: str, known: Collection[str]) -> str:
    if not wanted:
        return f"links to {kind}: without an id; write [](source:ID) or [](claim:ID) with the id after the colon"
    close = _close(wanted, known)
    folder = f"sources/{wanted}.md" if kind == SOURCE else f"claims/{wanted}.yml"
    hint = f"did you mean '{close}'?" if close else f"there is no file {folder}"
    return f"links to unknown {kind} '{wanted}'; {hint}"


def prose_problems(name: str, text: str, sources: Collection[str], claims: Collection[str],
                   unavailable: Collection[str] = (), markdown: bool = False) -> list[tuple[int, str]]:
    """(line within text, counting from 0, message) for each link to an unknown id and each id written
    bare. `unavailable`: ids whose files are there but refused, reported on their own. Markdown (the
    analysis) is read as the page's renderer reads it, so every form of link it makes is checked: inline,
    reference-style ([words][ref] with [ref]: claim:ID) and autolinks (<claim:ID>), and only the text that
    readers see is searched for bare ids."""
    if markdown:
        from factcheck_site.render.safe_markdown import markdown_links, plain_markdown  # the renderer's reading

        if plain_markdown(text) and (words := _plain_markdown_words(text, _every_id_hyphenated(sources, claims))) \
                is not None and not _may_hold_id(words, sources, claims):
            return []
        links, seen = markdown_links(text)
    elif has_links(text):
        links = [(_line_in(text, link.start), link.kind, link.id) for link in links_in(text)]
        seen = [(0, _NOT_PROSE.sub(_blank, LINK.sub(_blank, text)))]
    else:  # no link and no other link's address: the prose is the text, less any bare web address
        links = []
        seen = [(0, _NOT_PROSE.sub(_blank, text) if "http" in text else text)]
    problems = []
    for line, kind, ref_id in links:
        if name == "claim":
            problems.append((line, "'claim' holds a link, which readers would see as written; "
                             "name the source or claim in words, and link it in the analysis"))
            continue
        known = sources if kind == SOURCE else claims
        if ref_id not in known and ref_id not in unavailable:
            problems.append((line, f"'{name}' {_unknown(kind, ref_id, known)}"))
    if not seen or not _may_hold_id(_runs("\n".join(prose for _, prose in seen), _every_id_hyphenated(sources, claims)),
                                    sources, claims):
        return problems  # the usual case, found without a Python step per word
    for first_line, prose in seen:
        for match in _TOKEN.finditer(prose):
            token = match.group()
            kind = SOURCE if token in sources else CLAIM if token in claims else None
            if kind is not None:
                problems.append((first_line + _line_in(prose, match.start()), bare_id_message(name, kind, token)))
    return problems


def _plain_markdown_words(text: str, hyphenated: bool = False) -> list[str] | None:
    """Every word readers could read in Markdown that safe_markdown.plain_markdown passes: a run of the characters
    ids are made of (hyphenated: only those with a hyphen, as _runs), or one joined across emphasis markers that
    Markdown drops (**a**b reads ab), in any way; None where a run has too many markers to try every way."""
    words = _runs(text, hyphenated)
    reverse, position = "", 0
    # Where each marker character is next (-1: nowhere), found by str.find: a class searched for at every character
    # took as long as the rest of checking the text.
    following = [text.find(char) for char in _MARKER_CHARACTERS]
    while True:
        for index, at in enumerate(following):
            if 0 <= at < position:
                following[index] = text.find(_MARKER_CHARACTERS[index], position)
        marker = min((at for at in following if at >= 0), default=-1)
        if marker < 0:
            break
        reverse = reverse or text[::-1]
        before = _ID_RUN.match(reverse, len(text) - marker)  # the run's start, read backwards
        position = _ID_OR_MARKER_RUN.match(text, marker).end()
        pieces = [piece for piece in _MARKERS.split(text[marker - (before.end() - before.start() if before
                                                                   else 0) : position]) if piece]
        if len(pieces) > MAX_JOINED:
            return None
        words += ["".join(pieces[start:end]) for start in range(len(pieces))
                  for end in range(start + 2, len(pieces) + 1)]
    return words


def id_runs(text: str) -> list[str]:
    """_ID_RUN.findall(text): every run of the characters ids are made of."""
    return text.encode("utf-8", "surrogatepass").translate(_ID_BYTES).decode("ascii").split()


def _runs(text: str, hyphenated: bool) -> list[str]:
    """id_runs(text), or where every id has a hyphen (hyphenated), only the runs that have one: none of the others
    can be an id, and most prose has no hyphen at all (one search in C, where id_runs makes a string of every word)."""
    if not hyphenated:
        return id_runs(text)
    data = text.encode("utf-8", "surrogatepass").translate(_ID_BYTES)
    runs = []
    hyphen = data.find(b"-")
    while hyphen >= 0:
        start = data.rfind(b" ", 0, hyphen) + 1
        end = data.find(b" ", hyphen)
        end = len(data) if end < 0 else end
        runs.append(data[start:end].decode("ascii"))
        hyphen = data.find(b"-", end)
    return runs


_hyphenated: list[Any] = [None, None, 0, False]  # the last sources and claims asked about, their size, and the answer


def _every_id_hyphenated(sources: Collection[str], claims: Collection[str]) -> bool:
    """Whether every source and claim id has a hyphen; asked for every text of every claim, with the same ids."""
    size = len(sources) + len(claims)
    if _hyphenated[0] is not sources or _hyphenated[1] is not claims or _hyphenated[2] != size:
        _hyphenated[:] = [sources, claims, size, all("-" in name for ids in (sources, claims) for name in ids)]
    return bool(_hyphenated[3])


def _may_hold_id(words: list[str], sources: Collection[str], claims: Collection[str]) -> bool:
    """Whether a word is an id, looked up in C rather than word by word in Python."""
    return not (_none_in(sources, words) and _none_in(claims, words))


def _none_in(ids: Collection[str], words: list[str]) -> bool:
    if isinstance(ids, dict):
        return ids.keys().isdisjoint(words)
    if isinstance(ids, (set, frozenset)):
        return ids.isdisjoint(words)
    return not any(map(ids.__contains__, words))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def bare_id_message(name: str, kind: str, found: str) -> str:
    if name == "claim":
        return (f"'claim' names the {kind} id {found}; readers see the claim as written, so name the {kind} in "
                "words")
    shows = "the source's title" if kind == SOURCE else "the claim"
    return (f"'{name}' shows readers a bare {kind} id: write []({kind}:{found}) instead of the bare id {found} "
            f"(it shows {shows}, linked), or [your words]({kind}:{found})")


Resolve = Callable[[str, str], "str | None"]  # (kind, id) -> the text a link without words shows, or None


def plain_text(text: str, title_of: Resolve) -> str:
    """The prose as a reader reads it, for feeds, exports and the search index: each link as its words,
    or as the title (in quotation marks) or claim it shows."""
    def readable(link: Link) -> str:
        if link.words:
            return link.words
        title = title_of(link.kind, link.id)
        if title is None:
            return link.id
        return f"“{title}”" if link.kind == SOURCE else title
    return _each_link_replaced(text, readable)


def markdown_with_urls(text: str, title_of: Resolve, url_of: Callable[[str, str], str]) -> str:
    """Markdown prose with each link pointing at the page's absolute URL and showing its words or title,
    for the exports (a reader of claims.json has no use for `source:` addresses)."""
    def absolute(link: Link) -> str:
        words = link.words or title_of(link.kind, link.id) or link.id
        return f"[{markdown_escaped(words)}]({url_of(link.kind, link.id)})"

    def definition(match: re.Match[str]) -> str:
        return match["label"] + url_of(match["kind"], match["id"])
    return _REFERENCE_DEFINITION.sub(definition, _each_link_replaced(text, absolute))


def markdown_escaped(text: str) -> str:
    """Text that Markdown shows as it is: every ASCII punctuation character backslash-escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()))
