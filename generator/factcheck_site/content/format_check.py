"""Checking one YAML mapping against its field definitions.

Messages name the field, say what is wrong in the editor's terms and how to fix
it; the caller adds the path and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from factcheck_site.content.formats import (
    CLAIMANT_TYPES,
    MAX_APPEARED_IN,
    MAX_CORRECTIONS,
    MAX_QUOTES,
    MAX_TAGS,
    SLUG_PATTERN,
    STANCES,
    Field,
    Kind,
    suggested_slug,
)
from factcheck_site.content.invisible import first_invisible, strip_invisible
from factcheck_site.content.web_address import check_web_address
from factcheck_site.content.yaml_reader import YamlList, YamlMap
from factcheck_site.render.safe_markdown import markdown_problem

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")

# Kind's members, looked up ten times faster than on the Enum class itself (0.35 µs each in Python 3.11): every
# value in every file is compared with several.
_K = SimpleNamespace(**Kind.__members__)
_SLUG = re.compile(SLUG_PATTERN)  # compiled once: a source id in every quote of every claim
_LIST_LIMITS = {Kind.QUOTES: MAX_QUOTES, Kind.TEXTS: MAX_TAGS, Kind.CORRECTIONS: MAX_CORRECTIONS,
                Kind.SOURCE_IDS: MAX_APPEARED_IN}


@dataclass
class Checked:
    """The values that passed, and (line, message) for those that did not."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    text_lines: dict[str, int] = field(default_factory=dict)  # where each text value starts in the file
    problems: list[tuple[int, str]] = field(default_factory=list)


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dt.datetime):
        return "a date with a time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, YamlList):
        return "a list"
    if isinstance(value, YamlMap):
        return "a mapping of fields"
    return f"'{value}'"


def suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(choices)}"


def check_mapping(data: YamlMap, fields: tuple[Field, ...], what: str, visible: bool = False) -> Checked:
    """visible: the file holds no character that content/invisible.py looks for, nor an escape that could write one
    (invisible.may_hide), so its values need not be searched one by one."""
    result = Checked()
    values, key_lines, raw, text_lines, problems = data.values, data.key_lines, data.raw, data.text_lines, \
        result.problems
    if not _names(fields).issuperset(values):
        known = [f.name for f in fields]
        for key in values:
            if key not in known:
                problems.append((data.line_of(key), f"unknown field '{key}' in {what}; {suggest(key, known)}"))
    for spec in fields:
        name = spec.name
        value = values.get(name)
        if value is None:
            if spec.required:
                where = "missing" if name not in values else "empty"
                problems.append((key_lines.get(name, data.line),
                                 f"required field '{name}' is {where}; add {spec.help}"))
            continue
        line = key_lines.get(name, data.line)
        value, problem = check_value(spec, value, raw.get(name), visible)
        if problem:
            problems.append((line, problem))
        else:
            result.values[name] = value
            result.lines[name] = line
            result.text_lines[name] = text_lines.get(name, line)
    return result


_field_names: dict[int, tuple[tuple[Field, ...], frozenset[str]]] = {}


def _names(fields: tuple[Field, ...]) -> frozenset[str]:
    """The fields' names, made once per tuple of definitions (each is checked against every file)."""
    known = _field_names.get(id(fields))
    if known is None or known[0] is not fields:
        known = _field_names[id(fields)] = (fields, frozenset(f.name for f in fields))
    return known[1]


def check_value(spec: Field, value: Any, raw: str | None, visible: bool = False) -> tuple[Any, str | None]:
    name = spec.name
    kind = spec.kind
    if kind is _K.QUOTES or kind is _K.CORRECTIONS or kind is _K.TEXTS or kind is _K.SOURCE_IDS:
        if not isinstance(value, YamlList):
            return None, f"'{name}' must be a list (one '- ' item per line), not {describe(value)}"
        if len(value.items) < spec.min_items:
            return None, f"'{name}' needs at least {spec.min_items} item; add {spec.help}"
        if len(value.items) > _LIST_LIMITS[kind]:
            return None, f"'{name}' has {len(value.items)} items; at most {_LIST_LIMITS[kind]} are allowed"
        if kind is _K.TEXTS or kind is _K.SOURCE_IDS:
            item_spec = _item_field(spec)
            items = []
            for number, item in enumerate(value.items, 1):
                checked, problem = check_value(item_spec, item, None, visible)
                if problem:
                    return None, f"item {number} of {problem}"
                items.append(checked)
            if len(set(items)) != len(items):
                return None, f"'{name}' lists the same item twice; remove the repeat"
            return tuple(items), None
        return value, None  # quotes and corrections are checked item by item by the caller
    if kind == _K.VERDICT:
        if isinstance(value, bool):
            return (raw or str(value)).lower(), None  # `verdict: false` unquoted is a boolean in YAML
        if not isinstance(value, str):
            return None, f"'{name}' must be a verdict id such as false or mostly-true, not {describe(value)}"
        return value.strip(), None
    if kind == _K.DATE:
        return check_date(name, value)
    if kind == _K.BOOLEAN:
        if not isinstance(value, bool):
            quoted = "; write it without quotation marks" if str(value).strip().lower() in ("true", "false") else ""
            return None, f"'{name}' must be true or false, not {describe(value)}{quoted}"
        return value, None
    if not isinstance(value, str):
        hint = "; put it in quotes" if isinstance(value, (bool, int, float, dt.date)) else ""
        return None, f"'{name}' must be text, not {describe(value)}{hint}"
    text = value.strip()
    if not text:
        return None, f"'{name}' is empty; write {spec.help}"
    hidden = None if visible else first_invisible(text)
    if hidden and (kind != _K.URL or hidden[2] == "control character"):  # check_web_address names the rest
        return None, (f"'{name}' contains an invisible {hidden[2]}; retype the text "
                      f"({hidden[1]}, {where(text, hidden[0])})")
    if spec.max_length and len(text) > spec.max_length:
        return None, f"'{name}' is {len(text)} characters long; the limit is {spec.max_length}, shorten it"
    if kind == _K.MARKDOWN:
        found = markdown_problem(text)
        if found:
            return None, f"'{name}' at its line {found[0]} {found[1]}"
        return text, None
    if kind == _K.TEXT:
        return text, None
    if kind == _K.SOURCE_ID:
        if not _SLUG.fullmatch(text):
            what = ("a dispatch id (as declared under plugins.factcheck.dispatches in mkdocs.yml)"
                    if name == "reproduces" else "a source id (a file name in sources/ without .md)")
            return None, f"'{name}' must be {what}, not '{text}'{_id_hint(text)}"
        return text, None
    if kind == _K.STANCE:
        if text not in STANCES:
            return None, f"'{name}' must be one of {', '.join(STANCES)}, not '{text}'"
        return text, None
    if kind == _K.CLAIMANT_TYPE:
        if text not in CLAIMANT_TYPES:
            return None, f"'{name}' must be one of {', '.join(CLAIMANT_TYPES)}, not '{text}'"
        return text, None
    if kind == _K.URL:
        problem = check_web_address(name, text)
        return (None, problem) if problem else (text, None)
    if kind == _K.LANGUAGE:
        if not _LANGUAGE.match(text):
            return None, f"'{name}' must be a language code such as en or pt-BR, not '{text}'"
        return text, None
    if kind == _K.FINGERPRINT:
        if not _FINGERPRINT.match(text):
            return None, f"'{name}' must be 64 lowercase hex digits; let factcheck add-source write it"
        return text, None
    raise AssertionError(kind)


_item_fields: dict[int, tuple[Field, Field]] = {}


def _item_field(spec: Field) -> Field:
    """What each item of a list of texts or source ids is checked against, made once per list's definition."""
    made = _item_fields.get(id(spec))
    if made is None or made[0] is not spec:
        kind = _K.TEXT if spec.kind is _K.TEXTS else _K.SOURCE_ID
        made = _item_fields[id(spec)] = (spec, Field(spec.name, kind, True, spec.help, spec.max_length))
    return made[1]


def hidden_characters(text: str, limit: int = 5) -> list[tuple[int, str]]:
    """(line within text, message) for the first lines holding an invisible character that has no place
    there (content/invisible.py): a snapshot is published as written, so nothing may hide there."""
    found: list[tuple[int, str]] = []
    line, counted = 1, 0
    hidden = first_invisible(text)
    while hidden is not None:
        index, name, kind = hidden
        if len(found) == limit:
            found[-1] = (found[-1][0], found[-1][1] + "; lines below have them too")
            break
        line += text.count("\n", counted, index)
        counted = index
        found.append((line, f"the text contains an invisible {kind} ({name}, {where(text, index)}); delete it, or "
                            "copy the article's text again"))
        end_of_line = text.find("\n", index)  # one report per line
        hidden = first_invisible(text, end_of_line) if end_of_line >= 0 else None
    return found


def where(text: str, index: int) -> str:
    """Where a position is, by the few visible words before it, so the editor can find it."""
    start = max(0, index - 40, text.rfind("\n", 0, index) + 1)
    before = strip_invisible(text[start:index])
    if start > 0 and text[start - 1] not in "\n":
        before = before.split(" ", 1)[-1] if " " in before else before  # from the start of a word
    shown = " ".join(before.split())
    return f"after '{shown}'" if shown else "at the start"


def _id_hint(text: str) -> str:
    """The id probably meant: ids are bare lowercase names, never paths."""
    name = re.sub(r"\.md$", "", text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1], flags=re.IGNORECASE)
    guess = suggested_slug(name)
    return f"; did you mean '{guess}'?" if guess and guess != text else ""


def check_date(name: str, value: Any) -> tuple[dt.date | None, str | None]:
    if isinstance(value, dt.datetime):
        return None, f"'{name}' must be a date without a time, like 2025-12-12"
    if isinstance(value, dt.date):
        return _not_in_future(name, value)
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return None, f"'{name}' is {value.strip()}, which is not a real date; check the month and day"
        return _not_in_future(name, day)
    return None, f"'{name}' must be a date written YYYY-MM-DD, like 2025-12-12, not {describe(value)}"


# A date after the build would pin a claim to the top of the home page and the feeds.
# A day's margin allows for time zones: an editor east of the build machine is a day ahead.
FUTURE_MARGIN = dt.timedelta(days=1)
BUILD_DATE_VARIABLE = "FACTCHECK_BUILD_DATE"  # YYYY-MM-DD: the day to check against, instead of the clock's


def build_date() -> dt.date:
    """Today, or the day set in FACTCHECK_BUILD_DATE (tests, and previews of a scheduled claim)."""
    day = os.environ.get(BUILD_DATE_VARIABLE)
    if day is not None:
        try:
            return dt.date.fromisoformat(day.strip())
        except ValueError:
            pass
    return _today(int(time.time()))


@functools.lru_cache(maxsize=1)  # every date of every file is held to it: asked once per second of the clock
def _today(second: int) -> dt.date:
    """The local day at that second of the clock (a day starts on a whole second in every time zone)."""
    return dt.date.fromtimestamp(second)


def _not_in_future(name: str, day: dt.date) -> tuple[dt.date | None, str | None]:
    today = build_date()
    if day - today <= FUTURE_MARGIN:  # a difference cannot overflow as today + margin can
        return day, None
    return None, (f"'{name}' is {day.isoformat()}, after today ({today.isoformat()}); dates may not be in the future. "
                  "To publish on a later day, keep the file on a branch (or in a draft pull request) and merge it "
                  "on that day, with the date it is published")
