"""Reading claims and sources from disk, checked (build.py puts them together into a Site).

Loading never stops at the first problem: every file is read and every problem
collected, so one run tells an editor everything that is wrong.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from factcheck_site.content.claim_dates import claim_date_problems
from factcheck_site.content.claimants import claimant_problems, person_problem
from factcheck_site.content.format_check import Checked, check_mapping, describe, hidden_characters, suggest
from factcheck_site.content.formats import (
    CLAIM_FIELDS,
    CORRECTION_FIELDS,
    MAX_CLAIM_FILE_BYTES,
    MAX_SLUG_LENGTH,
    MAX_SOURCE_FILE_BYTES,
    QUOTE_FIELDS,
    SLUG_PATTERN,
    SOURCE_FIELDS,
    WINDOWS_DEVICE_NAMES,
    suggested_slug,
)
from factcheck_site.content.invisible import may_hide
from factcheck_site.content.model import Claim, Correction, Quote, Source, article_name
from factcheck_site.content.problems import Problem
from factcheck_site.content.prose_links import prose_problems
from factcheck_site.content.quote_matching import (
    OMISSION,
    Normalized,
    closest_passages,
    find_quote,
    folded_source,
    keep_folded_sources,
    omission_problem,
)
from factcheck_site.content.verdict_changes import verdict_changes
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.content.yaml_reader import YamlError, YamlList, YamlMap, parse_yaml

CLAIM_SUFFIX = ".yml"
# Finding the closest passage costs a pass over the source (a tenth of a second for a
# 2 MB snapshot) and comparing the best places with the quote (up to a few hundredths of a
# second, whatever the quote's length: quote_matching.WORDS_COMPARED bounds it), so a claim
# gets it for its first few missing quotes only, and a run spends at most this budget, in
# characters of sources searched plus CLOSEST_PASSAGE_COST per look-up (some 25 look-ups in a
# 2 MB snapshot, 50 in ordinary articles): the first problems keep their hint.
CLOSEST_PASSAGES_PER_CLAIM = 3
CLOSEST_PASSAGE_BUDGET = 100_000_000
CLOSEST_PASSAGE_COST = 2_000_000
# Ids whose pages would take an address the site uses for something else.
RESERVED_IDS = {
    "source": {"index": "the list of all sources",  # sources/index.md
               "page": "the list of all sources, page 2 on"},  # sources/page/2.md
    "claim": {"index": "the address of the claims folder itself (/claims/)"},  # claims/index.md
}
SOURCE_SUFFIX = ".md"
_REQUIRED = frozenset(f.name for f in CLAIM_FIELDS if f.required)


def fingerprint(text: str) -> str:
    """The SHA-256 of a source's text, as recorded by `factcheck add-source`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: Path, display: str, limit: int) -> tuple[str | None, list[Problem]]:
    try:  # the system's calls, without a Python file object: half the time, for thousands of small files
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            status = os.fstat(descriptor)
            size = status.st_size
            if size > limit:
                return None, [Problem(display, 1, f"the file is {size:,} bytes; the limit is {limit:,}, shorten it")]
            data = os.read(descriptor, size + 1)
            # To the end, as file.read() reads, where the read is not the size the file had (it changed since, or
            # a network or FUSE file system returned part of it) or the file is not a plain one.
            if len(data) != size or not stat.S_ISREG(status.st_mode):
                chunks = [data]
                while chunks[-1]:
                    chunks.append(os.read(descriptor, 1 << 16))
                data = b"".join(chunks)
        finally:
            os.close(descriptor)
    except OSError as error:
        return None, [Problem(display, 1, f"cannot read the file ({error.strerror})")]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(display, 1, "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(display, line, "the file is not UTF-8 text; save it with UTF-8 encoding")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(display, line, "the file contains a NUL byte; it is not a text file")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [Problem(display, 1, "the file is empty; fill it in or delete it")]
    return text, []


def check_slug(stem: str, display: str, what: str) -> list[Problem]:
    """A claim or source id: its file name, which is also part of its page's address."""
    device = stem.split(".", 1)[0].strip().lower()
    if device in WINDOWS_DEVICE_NAMES:
        return [Problem(display, 1, f"the file name '{stem}' is reserved on Windows (a device name, like CON, AUX, "
                        f"NUL, COM1 or LPT1), so Git for Windows cannot check the file out; rename it after what "
                        f"the {what} is about, e.g. '{device}-{'article' if what == 'source' else 'claim'}'")]
    reserved = RESERVED_IDS[what]
    if stem in reserved:
        after = "the article's headline" if what == "source" else "what the claim says"
        return [Problem(display, 1, f"the name '{stem}' is taken by {reserved[stem]}; rename the file, e.g. after "
                        f"{after}")]
    if len(stem) > MAX_SLUG_LENGTH or not re.fullmatch(SLUG_PATTERN, stem):
        suggestion = suggested_slug(stem) or "my-" + what
        if suggestion in WINDOWS_DEVICE_NAMES or suggestion in reserved:
            suggestion += "-" + what
        return [Problem(display, 1, f"the file name '{stem}' is not a valid {what} id: use lowercase letters, "
                        f"digits and single hyphens (at most {MAX_SLUG_LENGTH}), e.g. '{suggestion}'")]
    return []


def _problems(display: str, found: list[tuple[int, str]]) -> list[Problem]:
    return [Problem(display, line, message) for line, message in found]


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts) or None when there is none."""
    if not text.startswith("---\n"):
        return None
    match = re.search(r"^---[ \t]*$", text[4:], re.MULTILINE)
    if match is None:
        return None
    front = text[4 : 4 + match.start()]
    rest = text[4 + match.end() :]
    body = rest[1:] if rest.startswith("\n") else rest
    return front, body, front.count("\n") + 3


def load_source(path: Path, display: str) -> tuple[Source | None, list[Problem]]:
    problems = check_slug(path.stem, display, "source")
    text, read_problems = read_text(path, display, MAX_SOURCE_FILE_BYTES)
    if text is None:
        return None, problems + read_problems
    parts = split_front_matter(text)
    if parts is None:
        return None, problems + [Problem(display, 1, "a source must start with front matter: a line '---', "
                                         "then title: and publisher:, then '---', then the article's text")]
    front, body, body_line = parts
    try:
        data = parse_yaml(front, line_offset=1)
    except YamlError as error:
        return None, problems + [Problem(display, error.line, error.message)]
    if not isinstance(data, YamlMap):
        return None, problems + [Problem(display, 2, f"the front matter must be fields like 'title: ...', "
                                         f"not {describe(data)}")]
    checked = check_mapping(data, SOURCE_FIELDS, "a source")
    problems += _problems(display, checked.problems) + _problems(display, source_field_problems(checked))
    if not body.strip():
        problems.append(Problem(display, body_line, "the source has no text; paste the article below the front matter"))
    problems += _problems(display, [(body_line + line - 1, message) for line, message in hidden_characters(body)])
    recorded = checked.values.get("sha256")
    if recorded and body.strip() and fingerprint(body) != recorded:
        problems.append(Problem(display, checked.lines["sha256"],
                                "the text no longer matches its sha256 fingerprint: the snapshot was edited after "
                                "it was added; restore the original text, or re-add it with factcheck add-source"))
    if problems:
        return None, problems
    values = checked.values
    return Source(id=path.stem, path=display, text=body, body_line=body_line, publisher=values.pop("publisher", None),
                  language=values.pop("language", "en"), **values), []


# What editors have written where the copy names no publisher: not a publisher, and printed as one it would be
# shown to readers and published in structured data as an organisation's name.
_NO_PUBLISHER = re.compile(r"(?:(?:the\s+)?publisher\s+)?(?:unknown|unidentified|not\s+(?:identified|known|named|"
                           r"given|stated)|n/?a|none|[-\u2013\u2014]+|\?+)(?:\s+publisher)?(?:\s+in\s+the\s+\w+)?[.!]?",
                           re.IGNORECASE)


def source_field_problems(checked: Checked) -> list[tuple[int, str]]:
    """What a source's fields say that cannot be true of one article together: a publisher that says there is
    none, a copy retrieved before the article was published, an archived copy at the original's own address."""
    values, lines, found = checked.values, checked.lines, []
    publisher = values.get("publisher")
    if publisher is not None and _NO_PUBLISHER.fullmatch(" ".join(publisher.split())):
        found.append((lines["publisher"], f"'publisher' says there is none ('{publisher}'); leave the field out "
                      "when the copy does not name its publisher: the source's page says so in plain words, and "
                      "nothing stands in for it in structured data or feeds"))
    published, retrieved = values.get("published"), values.get("retrieved")
    if published and retrieved and retrieved < published:
        found.append((lines["retrieved"], f"'retrieved' ({retrieved}) is before 'published' ({published}): a copy "
                      "cannot be retrieved before the article was published; fix one of the dates"))
    if values.get("archived") and values.get("archived") == values.get("url"):
        found.append((lines["archived"], "'archived' is the same address as 'url'; give the address of an "
                      "archived copy (e.g. at web.archive.org or archive.today), or leave the field out"))
    return found


def _check_items(items: YamlList, fields: tuple, what: str, display: str,
                 visible: bool = False) -> tuple[list[dict[str, Any]], list[Problem]]:
    result, problems = [], []
    for number, (item, line) in enumerate(zip(items.items, items.item_lines, strict=False), 1):
        if not isinstance(item, YamlMap):
            problems.append(Problem(display, line, f"{what} {number} must be a mapping of fields "
                                    f"({', '.join(f.name for f in fields)}), not {describe(item)}"))
            continue
        checked = check_mapping(item, fields, f"{what} {number}", visible)
        found = [(ln, msg if msg.startswith(("unknown field", f"{what} ")) else f"{what} {number}: {msg}")
                 for ln, msg in checked.problems]
        problems += _problems(display, found)
        if not checked.problems:
            result.append({**checked.values, "_line": item.line, "_text_lines": checked.text_lines})
    return result, problems


def parse_claim(path: Path, display: str, verdicts: dict[str, Verdict]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A claim's fields, checked on their own; cross-file checks come later."""
    problems = check_slug(path.stem, display, "claim")
    text, read_problems = read_text(path, display, MAX_CLAIM_FILE_BYTES)
    if text is None:
        return None, problems + read_problems
    try:
        data = parse_yaml(text)
    except YamlError as error:
        return None, problems + [Problem(display, error.line, error.message)]
    if not isinstance(data, YamlMap):
        line = getattr(data, "line", 1)
        return None, problems + [Problem(display, line, f"a claim file must be fields like 'claim: ...', "
                                         f"not {describe(data)}; see CONTRIBUTING.md for a template")]
    visible = not may_hide(text)
    checked = check_mapping(data, CLAIM_FIELDS, "the claim", visible)
    problems += _problems(display, checked.problems)
    values = checked.values
    verdict = values.get("verdict")
    if verdict is not None and verdict not in verdicts:
        hint = suggest(verdict, list(verdicts)).replace("known fields", "the scale has")
        problems.append(Problem(display, checked.lines["verdict"], f"unknown verdict '{verdict}'; {hint}"))
    if "quotes" in values:
        values["quotes"], found = _check_items(values["quotes"], QUOTE_FIELDS, "quote", display, visible)
        problems += found
    if "corrections" in values:
        values["corrections"], found = _check_items(values["corrections"], CORRECTION_FIELDS, "correction", display,
                                                    visible)
        problems += found
    published, updated = values.get("published"), values.get("updated")
    if published and updated and updated < published:
        problems.append(Problem(display, checked.lines["updated"],
                                f"'updated' ({updated}) is before 'published' ({published}); fix one of the dates"))
    for correction in values.get("corrections", []):
        if published and correction["date"] < published:
            problems.append(Problem(display, correction["_line"], f"a correction dated {correction['date']} is "
                                    f"before the fact-check was published ({published}); fix the date"))
    problems += _previous_verdict_problems(values.get("corrections", []), verdict, verdicts, display)
    values["_lines"] = checked.lines
    values["_text_lines"] = checked.text_lines
    return values, problems


def _previous_verdict_problems(corrections: list[dict[str, Any]], verdict: str | None,
                               verdicts: dict[str, Verdict], display: str) -> list[Problem]:
    problems = []
    for number, correction in enumerate(corrections, 1):
        previous = correction.get("previous_verdict")
        if previous is not None and previous not in verdicts:
            hint = suggest(previous, list(verdicts)).replace("known fields", "the scale has")
            problems.append(Problem(display, correction["_line"],
                                    f"correction {number}: unknown previous_verdict '{previous}'; {hint}"))
    if problems or verdict not in verdicts:
        return problems
    changes = verdict_changes([(c["date"], c.get("previous_verdict")) for c in corrections], verdict)
    for index, (before, after) in sorted(changes.items()):
        if before == after:
            problems.append(Problem(display, corrections[index]["_line"],
                                    f"correction {index + 1}: previous_verdict '{before}' is the verdict this "
                                    f"correction led to, so nothing changed; remove previous_verdict, or set it "
                                    f"to the verdict the page had before the correction"))
    return problems


def verify_claim(claim_id: str, values: dict[str, Any], display: str, sources: dict[str, Source],
                 broken_sources: set[str], claim_ids: Collection[str] = ()) -> tuple[Claim | None, list[Problem]]:
    """Check what a claim says about other files: source ids, quotes, and the links and ids in its prose
    (claim_ids: every claim file's id, loaded or not)."""
    problems: list[Problem] = []
    lines = values.pop("_lines")
    text_lines = values.pop("_text_lines")
    for source_id in values.get("appeared_in", ()):
        if source_id not in sources and source_id not in broken_sources:
            problems.append(Problem(display, lines["appeared_in"], _unknown_source(source_id, sources)))
    problems += _prose_problems(values, text_lines, display, sources, broken_sources, claim_ids)
    problems += _claimant_via_problems(values, lines, display, sources, broken_sources)
    problems += _problems(display, claimant_problems(values, lines, sources, broken_sources))
    languages = {q["source"]: sources[q["source"]].language for q in values.get("quotes", [])
                 if q.get("source") in sources}
    problems += _problems(display, claim_date_problems(values, lines, languages))
    problems += _claim_quote_problems(values, lines, display, sources, broken_sources)
    quotes = []
    explained = 0
    for number, item in enumerate(values.get("quotes", []), 1):
        line, source_id, text = item["_line"], item["source"], item["text"]
        if source_id in broken_sources:
            continue
        if source_id not in sources:
            problems.append(Problem(display, line, f"quote {number}: {_unknown_source(source_id, sources)}"))
            continue
        misplaced = omission_problem(text)
        if misplaced:
            problems.append(Problem(display, line, f"quote {number}: {misplaced}"))
            continue
        spans = find_quote(sources[source_id].text, text)
        if spans is None:
            explained += 1
            message = f"quote {number} is not in source '{source_id}'; copy the exact wording from the source"
            wanted = (number, source_id, text) if explained <= CLOSEST_PASSAGES_PER_CLAIM else None
            problems.append(Problem(display, line, message, closest_to=wanted))
            continue
        quotes.append(Quote(source_id, text, item.get("stance", "context"), item.get("note"), line, spans,
                            item.get("states_claim_date", False), item.get("reproduces")))
    if problems or len(quotes) != len(values.get("quotes", [])) or not values.keys() >= _REQUIRED:
        return None, problems
    unattributed = person_problem(values, quotes, sources)
    if unattributed:
        return None, [Problem(display, lines["claimant"], unattributed)]
    if values["claimant"] in sources:  # the claim is that article's own: pages name the article
        values["claimant_source"] = values["claimant"]
        values["claimant"] = article_name(sources[values["claimant"]])
    corrections = tuple(Correction(c["date"], c["text"], c.get("previous_verdict"))
                        for c in values.pop("corrections", []))
    values["quotes"] = tuple(quotes)
    return Claim(id=claim_id, path=display, corrections=corrections, claimant_lineno=lines.get("claimant", 1),
                 tags_lineno=lines.get("tags", 1), **values), []


def _prose_problems(values: dict[str, Any], text_lines: dict[str, int], display: str, sources: dict[str, Source],
                    broken_sources: set[str], claim_ids: Collection[str]) -> list[Problem]:
    """Links to unknown sources or claims, and ids written bare, in every text a reader reads."""
    found: list[Problem] = []

    def check(name: str, text: str | None, first_line: int, prefix: str = "") -> None:
        if text:
            found.extend(Problem(display, first_line + offset, prefix + message) for offset, message
                         in prose_problems(name, text, sources, claim_ids, broken_sources, name == "analysis"))

    for name in ("claim", "summary", "analysis"):
        check(name, values.get(name), text_lines.get(name, 1))
    for what, items, name in (("quote", values.get("quotes", []), "note"),
                              ("correction", values.get("corrections", []), "text")):
        for number, item in enumerate(items, 1):
            check(name, item.get(name), item["_text_lines"].get(name, item["_line"]), f"{what} {number}: ")
    return found


def _claimant_via_problems(values: dict[str, Any], lines: dict[str, int], display: str,
                           sources: dict[str, Source], broken_sources: set[str]) -> list[Problem]:
    """claimant_via names a source by its id, or anyone by their name: what looks like an id must be one."""
    via = values.get("claimant_via")
    if via is None or via in sources or via in broken_sources or not re.fullmatch(SLUG_PATTERN, via):
        return []
    close = suggest(via, sorted(sources))
    hint = close if close.startswith("did you mean") else f"no file sources/{via}.md"
    return [Problem(display, lines["claimant_via"], f"'claimant_via' names unknown source '{via}'; {hint} "
                    "(to name someone who is not a source, write their name as it is spelled, e.g. 'CaliToday')")]


def _claim_quote_problems(values: dict[str, Any], lines: dict[str, int], display: str,
                          sources: dict[str, Source], broken_sources: set[str]) -> list[Problem]:
    """claim_is_quote: the claim must occur in a source it appeared in, by the rules quotes follow."""
    claim = values.get("claim")
    if not values.get("claim_is_quote") or claim is None:
        return []
    line = lines["claim_is_quote"]
    appeared = values.get("appeared_in", ())
    if not appeared:
        return [Problem(display, line, "'claim_is_quote' is true, but 'appeared_in' is empty: list the source the "
                        "claim is quoted from in appeared_in, or remove claim_is_quote to show the claim in our "
                        "words")]
    misplaced = omission_problem(claim)
    if misplaced:
        return [Problem(display, line, f"the claim, shown as a quote (claim_is_quote): {misplaced}")]
    searched = [s for s in appeared if s in sources]
    if len(searched) < len(appeared) or any(find_quote(sources[s].text, claim) is not None for s in searched):
        return []  # an unknown or refused source is reported on its own
    named = ", ".join(f"'{s}'" for s in searched)
    where = f"source {named}" if len(searched) == 1 else f"any of the sources {named}"
    return [Problem(display, line, f"the claim is not in {where}, so it cannot be shown as a quote; copy the "
                    "claim's exact wording from the source, or remove claim_is_quote to show it in our words",
                    closest_to=(0, searched[0], claim))]


def _unknown_dispatch(dispatch: str, dispatches: Collection[str], where: str) -> str:
    close = suggest(dispatch, sorted(dispatches)).replace("known fields", "declared dispatches")
    return (f"'reproduces' in {where} names unknown dispatch '{dispatch}'; {close} (declare each dispatch once, "
            "with the name readers see, under plugins.factcheck.dispatches in mkdocs.yml)")


def dispatch_problems(sources: dict[str, Source], dispatches: Collection[str], root: Path) -> list[Problem]:
    """Sources that say they reproduce a dispatch that mkdocs.yml does not declare."""
    return [Problem(source.path, field_line(root / source.path, "reproduces"),
                    _unknown_dispatch(dispatch, dispatches, "a source"))
            for source in sources.values() for dispatch in source.reproduces if dispatch not in dispatches]


def field_line(path: Path, name: str) -> int:
    """The line where a top-level field starts, for a problem found after a file was loaded."""
    try:
        with open(path, encoding="utf-8") as file:
            return next((n for n, line in enumerate(file, 1) if line.startswith(f"{name}:")), 1)
    except OSError:
        return 1


def _unknown_source(source_id: str, sources: dict[str, Source]) -> str:
    close = suggest(source_id, sorted(sources)).replace("known fields", "known sources")
    return f"unknown source '{source_id}' (no file sources/{source_id}.md); {close}"


def add_closest_passages(problems: list[Problem], sources: dict[str, Source],
                         budget: int = CLOSEST_PASSAGE_BUDGET) -> list[Problem]:
    """Misquotes with the source's closest passage, in the order found, while the characters
    searched and the look-ups' fixed cost stay within budget; later ones say how to get theirs. Done once per run, after
    every claim is checked (on however many processes), so the answer never depends on how
    the claims were shared out."""
    found: dict[tuple[str, str], str] = {}
    result = []
    looked_up = 0
    for problem in problems:
        if problem.closest_to is None:
            result.append(problem)
            continue
        number, source_id, quote = problem.closest_to
        text = sources[source_id].text
        if (source_id, quote) not in found and len(text) + CLOSEST_PASSAGE_COST <= budget:
            budget -= len(text) + CLOSEST_PASSAGE_COST
            looked_up += 1
            found[source_id, quote] = _not_found(number, source_id, text, quote)
        if (source_id, quote) in found and number == 0:
            message = (problem.message.split(";", 1)[0] + found[source_id, quote].split(f"'{source_id}'", 1)[1]
                       + ", or remove claim_is_quote to show the claim in our words")
        elif (source_id, quote) in found:
            message = re.sub(r"^quote \d+", f"quote {number}", found[source_id, quote])
        else:
            message = (f"{problem.message} (its closest passage was not looked up: this run had already looked up "
                       f"{looked_up} for earlier problems, as many as it may; to see it, run: factcheck quote "
                       f"{source_id} 'the quote')")
        result.append(Problem(problem.path, problem.line, message))
    return result


def _not_found(number: int, source_id: str, source_text: str, quote: str) -> str:
    """Which words are wrong: with [...], the first part missing from the source; and the closest passage."""
    message = f"quote {number} is not in source '{source_id}'"
    parts = [part.strip() for part in OMISSION.split(quote)]
    if len(parts) > 1:
        missing = next((part for part in parts if find_quote(source_text, part) is None), None)
        if missing is None:
            return message + ": each part occurs, but not in this order within one paragraph; [...] may only " \
                             "leave out words inside a paragraph"
        message += f': the part "{_shorten(missing)}" is not there'
        quote = missing
    best = closest_passages(source_text, quote)
    if best:
        message += "; " if len(parts) > 1 else ": "
        message += f'closest passage ({best[0].similarity}% similar): "{_shorten(best[0].text)}"'
    return message + "; copy the exact wording from the source"


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# A folder's listing is kept (for `mkdocs serve`, which lists the claims on every save) while the folder's state is
# the same, once that state is older than this: a name added in the same tick of a coarse file-system clock as the
# change before it would leave the folder's time as it was (git's "racy clean" problem); two seconds covers FAT's.
SETTLED_NS = 2_000_000_000
_listings: dict[tuple[str, str, str], tuple[tuple[int, ...], bool, list[tuple[Path, str]], list[Problem],
                                            dict[str, Path]]] = {}


def list_files(folder: Path, suffix: str, display_root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The content files in a folder; anything else there is reported, never skipped silently.

    Only regular files are read: a symbolic link in a pull request could point at any
    file on the machine that builds the site, and a pipe would block the build.

    A name is added to, removed from or renamed in a folder only by changing the folder, whose state (time of
    change, inode) then changes: the last listing of a folder whose state is the same, and settled, is this one.
    """
    now = time.time_ns()
    try:
        state = os.stat(folder)
    except OSError:
        state = None
    if state is None or not stat.S_ISDIR(state.st_mode):
        return [], [Problem(display(folder, display_root), 1, "the folder does not exist; create it or fix the "
                            "path in mkdocs.yml")]
    key = (os.fspath(folder), suffix, os.fspath(display_root))
    seen = (state.st_mtime_ns, state.st_ctime_ns, state.st_ino, state.st_dev, state.st_size)
    last = _listings.get(key)
    if last is not None and last[0] == seen and last[1]:
        return list(last[2]), list(last[3])
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    with os.scandir(folder) as scan:  # the kind of each entry comes with the listing: no call per file
        entries = sorted((entry for entry in scan
                          if not entry.name.startswith(".") and entry.name not in ("README.md", "README")),
                         key=lambda entry: entry.name)
    known = last[4] if last is not None else {}  # the last listing's paths, not made again
    paths = [known.get(entry.name) or folder / entry.name for entry in entries]
    problems += _case_clashes(paths, display_root)
    folder_shown = display(folder / "x", display_root)[:-1]  # each file is shown as the folder's path + its name
    for entry, path in zip(entries, paths, strict=True):
        shown = folder_shown + entry.name
        if entry.is_symlink():
            problems.append(Problem(shown, 1, "symbolic links are not read; put the file itself here"))
        elif entry.is_dir(follow_symlinks=False):
            problems.append(Problem(shown, 1, f"folders are not read here; move its files up into {folder.name}/"))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(shown, 1, "this is not a regular file; replace it with a text file"))
        elif path.suffix != suffix:
            problems.append(Problem(shown, 1, _other_suffix(path, suffix, {entry.name for entry in entries})))
        else:
            found.append((path, shown))
    settled = now - max(state.st_mtime_ns, state.st_ctime_ns) >= SETTLED_NS
    _listings[key] = (seen, settled, found, problems, {path.name: path for path in paths})
    return list(found), list(problems)


def _other_suffix(path: Path, suffix: str, names: set[str]) -> str:
    """What to do with a file that is not read: the name it may have, never one taken (a backup, `x.yml.bak` or
    `x.yml~`, beside its claim would be renamed over it)."""
    stem = path.stem.removesuffix(suffix) or path.stem
    if stem + suffix in names:
        return (f"only *{suffix} files are read here, and {stem}{suffix} is there already: if this is a copy or a "
                f"backup of it, delete it or move it out of {path.parent.name}/; if not, give it another name "
                f"ending in {suffix}")
    return f"only *{suffix} files are read here; rename it to {stem}{suffix} or move it out"


def _case_clashes(entries: list[Path], display_root: Path) -> list[Problem]:
    """Names that differ only in case are one file on macOS and Windows: there, one
    would silently replace the other."""
    by_folded: dict[str, list[Path]] = {}
    for path in entries:
        by_folded.setdefault(path.name.casefold(), []).append(path)
    problems = []
    for same in by_folded.values():
        for path in same:
            if len(same) > 1 and path.name != path.name.lower():
                others = ", ".join(display(p, display_root) for p in same if p != path)
                problems.append(Problem(display(path, display_root), 1, f"the name differs from {others} only in "
                                        "case; on macOS and Windows they are the same file: keep one, in lowercase"))
    return problems


def display(path: Path, root: Path) -> str:
    """The path as shown in messages, relative to the site; a symbolic link is named, not followed."""
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


Loaded = tuple[Source | None, list[Problem], tuple[Normalized, Normalized] | None]  # with the text folded for quotes
SourceLoader = Callable[[list[tuple[Path, str]]], list[Loaded]]


def load_each_source(files: list[tuple[Path, str]]) -> list[Loaded]:
    """Each source, and its text folded as quotes are searched in it (quote_matching.folded_source)."""
    loaded = [load_source(path, shown) for path, shown in files]
    return [(source, found, folded_source(source.text) if source is not None else None) for source, found in loaded]


def load_sources(sources_dir: Path, root: Path,
                 load_files: SourceLoader = load_each_source) -> tuple[dict[str, Source], set[str], list[Problem]]:
    """The sources that passed, the ids of those that did not, and every problem.

    load_files loads a list of source files (build.py does it on every core)."""
    source_files, problems = list_files(sources_dir, SOURCE_SUFFIX, root)
    sources: dict[str, Source] = {}
    # A source file that is there but refused (a link, a folder) is reported once, on
    # itself; claims quoting it are not also told that it does not exist.
    listed = {path.stem for path, _ in source_files}
    broken = {path.stem for path in sources_dir.glob(f"*{SOURCE_SUFFIX}")} - listed if sources_dir.is_dir() else set()
    folded = {}
    for (path, _), (source, found, forms) in zip(source_files, load_files(source_files), strict=True):
        problems += found
        if source is None:
            broken.add(path.stem)
        else:
            sources[source.id] = source
            folded[source.text] = forms
    keep_folded_sources(folded)  # before the claims' processes are forked: they inherit it
    return sources, broken, problems


def load_claim(path: Path, shown: str, verdicts: dict[str, Verdict], sources: dict[str, Source],
               broken: set[str], claim_ids: Collection[str] = (),
               dispatches: Collection[str] | None = None) -> tuple[Claim | None, list[Problem]]:
    """One claim file, parsed and checked against the sources, the other claims' ids and the dispatches
    declared (None: not checked); None when it has problems."""
    values, problems = parse_claim(path, shown, verdicts)
    if values is None:
        return None, problems
    for item in values.get("quotes", []) if dispatches is not None else []:
        unknown = [d for d in item.get("reproduces", ()) if d not in dispatches]
        if unknown:
            problems.append(Problem(shown, item["_line"], _unknown_dispatch(unknown[0], dispatches, "a quote")))
    claim, found = verify_claim(path.stem, values, shown, sources, broken, claim_ids)
    return (claim if not problems else None), problems + found

