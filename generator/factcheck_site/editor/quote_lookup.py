"""`factcheck quote`: does this passage occur in that source, and if not, what does the
source actually say?

The answer uses the same matching as `validate`, so a quote it finds will validate, and
the wording it offers to paste is taken from the source itself.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from factcheck_site.content.format_check import suggest
from factcheck_site.content.load import SOURCE_SUFFIX, display, load_source
from factcheck_site.content.model import Source
from factcheck_site.content.problems import EditorError
from factcheck_site.content.quote_matching import (
    OMISSION,
    closest_passages,
    find_quote,
    normalize,
    omission_problem,
    split_omissions,
)
from factcheck_site.editor.new_claim import yaml_text

MAX_DIFFERENCES = 3
MIN_SIMILARITY = 60  # below this a further passage is noise; the best one is always shown
_EDGE_PUNCTUATION = ".,;:!?\"'()[]"


@dataclass(frozen=True)
class Match:
    text: str  # as it stands in the source, ready to paste
    line: int  # line in the source file where it starts
    similarity: int  # percent; 100 for the quote itself
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteCheck:
    source: Source
    quote: str
    found: Match | None
    closest: tuple[Match, ...] = ()
    problem: str | None = None  # a quote that cannot be looked up at all, e.g. one made only of [...]


def resolve_source(name: str, sources_dir: Path, root: Path) -> Source:
    """A source given by id or by path, loaded and checked like `validate` does."""
    path = Path(name) if name.endswith(SOURCE_SUFFIX) or "/" in name else sources_dir / f"{name}{SOURCE_SUFFIX}"
    if not path.is_file():
        known = sorted(p.stem for p in sources_dir.glob(f"*{SOURCE_SUFFIX}"))
        hint = suggest(Path(name).stem, known).replace("known fields", "known sources")
        raise EditorError(f"no source '{name}' (looked for {display(path, root)}); {hint}")
    source, problems = load_source(path, display(path, root))
    if source is None:
        raise EditorError("\n".join([*(str(p) for p in problems), "fix the source first (see above)"]))
    return source


def _line(source: Source, offset: int) -> int:
    return source.body_line + source.text.count("\n", 0, offset)


def differences(quote: str, passage: str) -> tuple[str, ...]:
    """Word changes that turn the quote into the passage, in an editor's words."""
    ours, theirs = normalize(quote).text.split(), normalize(passage).text.split()
    found = []
    matcher = difflib.SequenceMatcher(a=[w.strip(_EDGE_PUNCTUATION) for w in ours],
                                      b=[w.strip(_EDGE_PUNCTUATION) for w in theirs], autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        wrote, has = " ".join(ours[a1:a2]), " ".join(theirs[b1:b2])
        if tag == "replace":
            found.append(f'you wrote "{wrote}", the source has "{has}"')
        elif tag == "delete":
            found.append(f'"{wrote}" is not in the source')
        elif tag == "insert" and 0 < a1 < len(ours):
            found.append(f'the source has "{has}" here')
    return tuple(found[:MAX_DIFFERENCES])


def check_quote(source: Source, quote: str, limit: int = 3) -> QuoteCheck:
    problem = omission_problem(quote)
    if problem:
        return QuoteCheck(source, quote, None, problem=problem)
    spans = find_quote(source.text, quote)
    if spans is not None:
        return QuoteCheck(source, quote, Match(quote.strip(), _line(source, spans[0][0]), 100))
    wanted = max(split_omissions(quote), key=len) if OMISSION.search(quote) else quote
    closest = []
    for passage in closest_passages(source.text, quote, limit=limit):
        if closest and passage.similarity < MIN_SIMILARITY:
            break
        where = find_quote(source.text, passage.text)
        line = _line(source, where[0][0]) if where else source.body_line
        closest.append(Match(passage.text, line, passage.similarity, differences(wanted, passage.text)))
    return QuoteCheck(source, quote, None, tuple(closest))


def report(check: QuoteCheck) -> str:
    source = check.source
    if check.problem:
        return f"The quote cannot be looked up: {check.problem}."
    if check.found:
        return "\n".join([
            f"Found in {source.id} ({source.path}, line {check.found.line}). Paste into the claim's quotes:",
            f"  - source: {source.id}",
            f"    text: {yaml_text(check.found.text)}",
        ])
    lines = [f"Not found in {source.id} ({source.path}). Quotes must match the source word for word and in "
             f"the same case; spaces, quote marks and dashes may differ."]
    if not check.closest:
        return "\n".join(lines)
    lines.append("Closest passages in the source:")
    for number, match in enumerate(check.closest, 1):
        lines += [f"  {number}. {match.similarity}% similar, line {match.line}:",
                  *(f"     {difference}" for difference in match.differences),
                  "     exact wording to paste:",
                  f"     text: {yaml_text(match.text)}"]
    return "\n".join(lines)
