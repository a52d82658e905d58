"""A ready-to-fill claim file for `factcheck new`.

Editors start from a file that already has every required field, a comment above each
saying what goes there (taken from fields.py, like the validator's messages), today's
date, and a line that points editors' tools at the JSON Schema. Blanks are left empty so
that `factcheck validate` names each one until it is filled.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from factcheck_site.content.format_check import check_value, suggest
from factcheck_site.content.formats import (
    CLAIM_FIELDS,
    MAX_SLUG_LENGTH,
    QUOTE_FIELDS,
    SLUG_PATTERN,
    Field,
    suggested_slug,
)
from factcheck_site.content.problems import EditorError
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.editor.create_file import create_file
from factcheck_site.editor.prompting import Question

HELP = {f.name: f.help for f in CLAIM_FIELDS}
QUOTE_HELP = {f.name: f.help for f in QUOTE_FIELDS}
SPEC = {f.name: f for f in CLAIM_FIELDS}


@dataclass(frozen=True)
class NewClaim:
    slug: str
    published: dt.date
    claim: str = ""
    claimant: str = ""
    verdict: str = ""
    sources: tuple[str, ...] = ()
    author: str = ""


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar; JSON's string syntax is a subset of YAML's."""
    return json.dumps(value, ensure_ascii=False)


def slug_problem(slug: str) -> str | None:
    if len(slug) <= MAX_SLUG_LENGTH and re.match(SLUG_PATTERN, slug):
        return None
    suggestion = suggested_slug(slug.removesuffix(".yml"))
    example = f"'{suggestion}'" if suggestion else "'kim-praised-the-troops'"
    return (f"'{slug}' is not a valid claim id: use lowercase letters, digits and single hyphens "
            f"(at most {MAX_SLUG_LENGTH} characters; it becomes the page address), e.g. {example}")


def text_problem(name: str, value: str) -> str | None:
    if not value.strip():
        return None  # left blank on purpose: the editor fills it in the file
    _, problem = check_value(SPEC[name], value, None)
    return problem


def verdict_problem(verdict: str, scale: tuple[Verdict, ...]) -> str | None:
    ids = [v.id for v in scale]
    if not verdict or verdict in ids:
        return None
    hint = suggest(verdict, ids).replace("known fields", "the scale has")
    return f"unknown verdict '{verdict}'; {hint}"


def sources_problem(source_ids: tuple[str, ...], known: list[str]) -> str | None:
    for source_id in source_ids:
        if source_id not in known:
            hint = suggest(source_id, known).replace("known fields", "known sources")
            return (f"unknown source '{source_id}' (no file sources/{source_id}.md); {hint}; "
                    f"add the article first with factcheck add-source")
    return None


def split_ids(answer: str) -> tuple[str, ...]:
    """Source ids typed as one answer: separated by commas or spaces."""
    return tuple(dict.fromkeys(part for part in re.split(r"[,\s]+", answer.strip()) if part))


def problems(new: NewClaim, scale: tuple[Verdict, ...], known_sources: list[str]) -> list[str]:
    found = [slug_problem(new.slug), verdict_problem(new.verdict, scale),
             sources_problem(new.sources, known_sources)]
    found += [text_problem(name, getattr(new, name)) for name in ("claim", "claimant", "author")]
    return [p for p in found if p]


def _comment(text: str) -> str:
    return f"# {text}"


def _field(name: str, value: str) -> list[str]:
    return [_comment(HELP[name]), f"{name}: {value}".rstrip(), ""]


def _quote(source_id: str) -> list[str]:
    return [
        f"  # source: {QUOTE_HELP['source']}",
        f"  - source: {source_id}".rstrip(),
        f"    # text: {QUOTE_HELP['text']}",
        '    text: ""',
        f"    # stance: {QUOTE_HELP['stance']}",
        "    stance: context",
    ]


def _optional(field: Field, *example: str) -> list[str]:
    first, *rest = example
    return [_comment(f"optional: {field.help}"), _comment(f"{field.name}: {first}"), *map(_comment, rest), ""]


def claim_template(new: NewClaim, scale: tuple[Verdict, ...], schema_path: str,
                   check_command: str = "") -> str:
    """The new file's text; it parses as YAML, and validates once the blanks are filled."""
    check_command = check_command or f"factcheck validate claims/{new.slug}.yml"
    verdicts = ", ".join(v.id for v in scale)
    lines = [
        f"# yaml-language-server: $schema={schema_path}",
        '# A new fact-check. Fill in every "" and every empty field, then check it with:',
        f"#   {check_command}",
        "# Lines starting with # are comments. To use an optional field, remove the '# ' before it.",
        "",
        *_field("claim", yaml_text(new.claim)),
        *_optional(SPEC["claim_is_quote"], "true"),
        *_field("claimant", yaml_text(new.claimant)),
        *_optional(SPEC["claimant_via"], '"CaliToday"'),
        *_optional(SPEC["claim_date"], "YYYY-MM-DD"),
        *_optional(SPEC["appeared_in"], f"[{', '.join(new.sources) or 'source-id'}]"),
        _comment(f"{HELP['verdict']}; the scale: {verdicts}"),
        f"verdict: {new.verdict}".rstrip(),
        "",
        *_field("summary", '""'),
        _comment(f"{HELP['quotes']}; for each further passage, copy an entry from '- source:' to 'stance:'"),
        "quotes:",
    ]
    for source_id in new.sources or ("",):
        lines += _quote(source_id)
    lines += [
        "",
        *_optional(SPEC["analysis"], "|", "  Write the reasoning here; keep these lines indented by two spaces."),
        *_optional(SPEC["tags"], "[topic, another-topic]"),
        *_field("author", yaml_text(new.author)),
        *_field("published", new.published.isoformat()),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def questions(scale: tuple[Verdict, ...], known_sources: list[str]) -> list[Question]:
    listed = ", ".join(known_sources) if len(known_sources) <= 8 else "see the file names in sources/"
    return [
        Question("claim", "The claim, as made (one or two sentences): ", lambda a: text_problem("claim", a)),
        Question("claimant", "Who made the claim: ", lambda a: text_problem("claimant", a)),
        Question("verdict", f"Verdict ({', '.join(v.id for v in scale)}), or Enter to decide later: ",
                 lambda a: verdict_problem(a, scale)),
        Question("sources", f"Sources to quote, ids separated by commas ({listed}), or Enter: ",
                 lambda a: sources_problem(split_ids(a), known_sources)),
        Question("author", "Who writes this fact-check: ", lambda a: text_problem("author", a)),
    ]


def with_answer(new: NewClaim, name: str, answer: str) -> NewClaim:
    return replace(new, **{name: split_ids(answer) if name == "sources" else answer.strip()})


def missing(new: NewClaim) -> set[str]:
    return {name for name in ("claim", "claimant", "verdict", "sources", "author") if not getattr(new, name)}


def existing_problem(claims_dir: Path, slug: str) -> str | None:
    if (claims_dir / f"{slug}.yml").exists():
        return (f"{claims_dir.name}/{slug}.yml already exists, and new never overwrites a file; "
                f"edit that file, or choose another name")
    return None


def create_new_claim(new: NewClaim, claims_dir: Path, schema_file: Path, scale: tuple[Verdict, ...],
                     known_sources: list[str], check_command: str = "") -> Path:
    """Write claims/<slug>.yml; EditorError, and nothing written, if anything is wrong."""
    found = problems(new, scale, known_sources)
    if found:
        raise EditorError("\n".join(found))
    path = claims_dir / f"{new.slug}.yml"
    clash = existing_problem(claims_dir, new.slug)
    if clash:
        raise EditorError(clash)
    schema_path = Path(os.path.relpath(schema_file, claims_dir)).as_posix()
    try:
        create_file(path, claim_template(new, scale, schema_path, check_command))
    except FileExistsError:
        raise EditorError(f"{path.name} appeared in {claims_dir.name}/ while writing; nothing was overwritten") \
            from None
    return path
