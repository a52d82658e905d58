"""Safe YAML reading that remembers where each value came from.

Editors' files arrive from strangers, so only plain YAML is accepted: no custom
tags, no anchors or aliases (which also rules out alias bombs), no duplicate keys.
Values keep their line numbers so every problem can point at the right line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from factcheck_site.content.invisible import unusual_characters

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # libyaml missing: the pure-Python loader gives the same nodes
    _Loader = yaml.SafeLoader

MAX_NODES = 20_000
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_STREAM_END = yaml.StreamEndEvent
_RESOLVER = yaml.resolver.Resolver()
# Scalar constructors keep no state, so one serves every file.
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
MAX_DEPTH = 16  # a claim needs 3 levels (claim, quotes, quote)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


@dataclass
class YamlMap:
    """A mapping with the line of each key and the raw text of each scalar value."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    text_lines: dict[str, int] = field(default_factory=dict)  # where a scalar's text starts (after | or >)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class YamlList:
    line: int
    items: list[Any] = field(default_factory=list)
    item_lines: list[int] = field(default_factory=list)


def _describe_yaml_error(error: yaml.YAMLError, source: str, line_offset: int = 0) -> tuple[int | None, str]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    text = f"{context}, {problem}" if context else problem
    lines = source.splitlines()
    near = lines[max(line - 2, 0) : line] if line else []
    if any("\t" in candidate for candidate in near):
        hint = "indent with spaces, not tabs"
    elif line and (opened := _unclosed_quote(source, line)) is not None:
        quote = source[opened[1]]
        inside = "\\\"" if quote == '"' else "''"
        return opened[0], (f"this is not valid YAML: the text in quotation marks ({quote}) that starts on this line "
                           f"does not end on it, and YAML reads on to line {line + line_offset} ({text}); end the "
                           f"text with {quote}, and write a {quote} inside it as {inside}")
    else:
        hint = "check the indentation and quoting on this line or the one above"
    return line, f"this is not valid YAML ({text}); {hint}"


def _unclosed_quote(source: str, error_line: int) -> tuple[int, int] | None:
    """(line, offset) of a quoted value opened before the line YAML stopped on and not closed before it: YAML
    reads a quoted value on across lines, so a missing closing quote is reported where the next quote ends it,
    lines later. Quoted values that close earlier, on their line or a later one, are skipped."""
    offset, number = 0, 1
    while number < error_line:
        end = source.find("\n", offset)
        end = len(source) if end < 0 else end
        start = _quote_start(source, offset, end)
        if start is not None:
            closing = _closing_quote(source, start)
            if closing < 0 or source.count("\n", start, closing) + number >= error_line:
                return number, start
            number += source.count("\n", end, closing)
            end = source.find("\n", closing)
            end = len(source) if end < 0 else end
        offset, number = end + 1, number + 1
    return None


def _quote_start(source: str, start: int, end: int) -> int | None:
    """Where a value in quotation marks starts on the line source[start:end] (`key: "`, `- "`), if one does."""
    rest = source[start:end].lstrip()
    while rest.startswith("- "):
        rest = rest[2:].lstrip()
    if rest[:1] not in ("\"", "'"):
        colon = rest.find(": ")
        if colon < 0 or rest[:1] == "#":
            return None
        rest = rest[colon + 2 :].lstrip()
    return end - len(rest) if rest[:1] in ("\"", "'") else None


def _closing_quote(source: str, start: int) -> int:
    """The offset of the quote that closes the one at start (-1: none): `\\"` inside double quotes and `''` inside
    single quotes do not close."""
    quote, at = source[start], start + 1
    while (at := source.find(quote, at)) >= 0:
        if quote == "'":
            if not source.startswith("''", at):
                return at
            at += 2
            continue
        before = at
        while before > start + 1 and source[before - 1] == "\\":  # the run of backslashes just before it
            before -= 1
        if (at - before) % 2 == 0:
            return at
        at += 1
    return -1


_HIDDEN_LINE_BREAK = re.compile("[\x85\u2028\u2029]")


def parse_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse one YAML document into plain values, YamlMap and YamlList."""
    # Every line separator is an uncommon character: one search of the text's unusual characters for those, which
    # most texts have none of (and most characters are not).
    unusual = unusual_characters(text)
    uncommon = bool(unusual) and _UNCOMMON_CHARACTER.search(unusual) is not None
    hidden = _HIDDEN_LINE_BREAK.search(text) if uncommon and _HIDDEN_LINE_BREAK.search(unusual) else None
    if hidden:  # YAML counts it as a line break, editors do not: every later line number would be off
        line = text.count("\n", 0, hidden.start()) + 1 + line_offset
        raise YamlError(line, f"the line contains an invisible line separator (U+{ord(hidden.group()):04X}), "
                              "which YAML reads as a line break; delete it")
    if not uncommon:
        try:
            return _CommonLayout(text, line_offset, looked=True).read()
        except _NotCommon:
            pass
    try:
        return _Builder(line_offset).build(text, _Loader)
    except yaml.YAMLError as error:
        if _is_nesting_limit(error):
            raise _nesting_problem(text, line_offset, error) from None
        line, message = _describe_yaml_error(error, text, line_offset)
        raise YamlError((line or 1) + line_offset, message) from None
    except RecursionError:
        raise _nesting_problem(text, line_offset, None) from None
    except ValueError as error:
        raise YamlError(1 + line_offset, f"this is not valid YAML ({error})") from None


def _is_nesting_limit(error: yaml.YAMLError) -> bool:
    """libyaml (PyYAML 6.0.4 and later) has a nesting limit of its own, which its scanner,
    reading ahead, can reach before our builder sees the 17th level."""
    return "nesting depth" in f"{getattr(error, 'problem', '')} {getattr(error, 'context', '')}"


def _nesting_problem(text: str, line_offset: int, error: yaml.YAMLError | None) -> YamlError:
    """Our message at the line where our limit is passed, whichever parser noticed first:
    the pure-Python parser reads no further ahead than it must, so it finds that line."""
    try:
        _Builder(line_offset).build(text, yaml.SafeLoader)
    except YamlError as ours:
        return ours
    except (yaml.YAMLError, RecursionError, ValueError):
        pass
    mark = getattr(error, "problem_mark", None)
    return YamlError((mark.line + 1 if mark is not None else 1) + line_offset, NESTED_TOO_DEEP)


NESTED_TOO_DEEP = (f"values are nested more than {MAX_DEPTH} levels deep; claims and sources need at most "
                    "three: remove the extra brackets or indentation")
_ALIAS = "anchors and aliases (& and *) are not allowed; write the value out in full"


class _Builder:
    """Plain values straight from libyaml's event stream, in one pass.

    Not yaml.compose: libyaml's composer recurses in C, and some thousands of nested
    brackets crash the interpreter (parsing also slows quadratically with depth), so
    nesting is checked event by event and the scan stops at the first level too deep
    and at the first alias (alias bombs). Other problems are remembered and reported
    only once the whole stream has parsed, so a syntax error anywhere in the file
    comes first, as it would from a composer.
    """

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.nodes = 0
        self.problem: YamlError | None = None  # the first problem in the values, reported after parsing

    def build(self, text: str, loader_type: type) -> Any:
        loader = loader_type(text)
        try:
            return self._build(loader.get_event)
        finally:
            loader.dispose()

    def _build(self, next_event: Callable[[], yaml.Event]) -> Any:
        offset = self.offset
        stack: list[list[Any]] = []  # per open collection: [YamlMap or YamlList, key, key line]
        root: Any = None
        documents = 0
        second_document: yaml.YAMLError | None = None
        scalar_event, mapping_start, mapping_end, sequence_end = (
            yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent)
        while (kind := type(event := next_event())) is not _STREAM_END:
            if kind is scalar_event:  # most events: keys and values, by the loop's shortest path
                line = event.start_mark.line + 1 + offset
                frame = stack[-1] if stack else None
                if frame is not None and frame[1] is None and type(target := frame[0]) is YamlMap:
                    key = event.value
                    if event.tag is None and key != "<<" and key not in target.values:
                        frame[1], frame[2] = key, line
                    else:
                        self._key(frame, key, event.tag, line)
                elif self.problem is None:
                    if event.tag is None and self.nodes < MAX_NODES and (not event.implicit[0] or (
                            event.value[:1] not in _IMPLICIT_FIRST and None not in _IMPLICIT_FIRST)):
                        self.nodes += 1  # text, by _scalar's shortest path, inline
                        value = event.value
                    else:
                        value = self._scalar(event, line)
                    if frame is None:
                        root = value
                    elif type(target := frame[0]) is YamlMap:  # _add, inline
                        key = frame[1]
                        target.values[key], target.key_lines[key], target.raw[key] = value, frame[2], event.value
                        target.text_lines[key] = line + (event.style in ("|", ">"))
                        frame[1] = None
                    else:
                        target.items.append(value)
                        target.item_lines.append(line)
            elif kind is mapping_start or kind is yaml.SequenceStartEvent:
                line = event.start_mark.line + 1 + offset
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, NESTED_TOO_DEEP)
                if stack and type(stack[-1][0]) is YamlMap and stack[-1][1] is None:
                    self._fail(line, "merge keys (<<) are not allowed; write the fields out in full"
                               if event.tag == _MERGE else "a field name must be plain text")
                elif self.problem is None:
                    self._count(line)
                    default = _MAP if kind is mapping_start else _SEQ
                    self._check_tag(default if event.tag in (None, "!") else event.tag, line)
                stack.append([YamlMap(line) if kind is mapping_start else YamlList(line), None, 0])
            elif kind is mapping_end or kind is sequence_end:
                value = stack.pop()[0]
                if stack:
                    if self.problem is None:
                        self._add(stack[-1], value, value.line, None)
                else:
                    root = value
            elif kind is yaml.AliasEvent:
                raise YamlError(event.start_mark.line + 1 + offset, _ALIAS)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    second_document = yaml.composer.ComposerError(
                        "expected a single document in the stream", None,
                        "but found another document", event.start_mark)
        if second_document is not None:
            raise second_document
        if self.problem is not None:
            raise self.problem
        return root

    def _fail(self, line: int, message: str) -> None:
        if self.problem is None:
            self.problem = YamlError(line, message)

    def _count(self, line: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(line, f"the file has more than {MAX_NODES} values; split it or shorten it")

    def _check_tag(self, tag: str, line: int) -> None:
        if tag not in _PLAIN_TAGS:
            self._fail(line, f"the YAML tag {tag!r} is not allowed; remove it and write a plain value")

    def _key(self, frame: list[Any], key: str, tag: str | None, line: int) -> None:
        if tag == _MERGE or key == "<<":
            self._fail(line, "merge keys (<<) are not allowed; write the fields out in full")
        elif self.problem is None and key in frame[0].values:
            first = frame[0].key_lines[key]
            self._fail(line, f"the field '{key}' appears twice (first on line {first}); keep one")
        frame[1], frame[2] = key, line

    @staticmethod
    def _add(frame: list[Any], value: Any, line: int, raw: str | None, text_line: int = 0) -> None:
        target = frame[0]
        if type(target) is YamlList:
            target.items.append(value)
            target.item_lines.append(line)
            return
        key = frame[1]
        target.values[key] = value
        target.key_lines[key] = frame[2]
        if raw is not None:
            target.raw[key] = raw
            target.text_lines[key] = text_line or line
        frame[1] = None

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> Any:
        self._count(line)
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return event.value  # quoted or block text: a string, whatever it looks like
            if event.value[:1] not in _IMPLICIT_FIRST and None not in _IMPLICIT_FIRST:
                return event.value  # no implicit type starts with this character (most plain words)
            tag = _resolved(event.value, event.implicit)
        if tag == _STR:
            return event.value
        self._check_tag(tag, line)
        if self.problem is not None:
            return None
        read, value = _constructed(tag, event.value)
        if read is None:
            if event.tag not in (None, "!"):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                self._fail(line, f"the value {event.value!r} cannot be read as {shown}; remove the tag {shown}")
                return None
            return event.value  # e.g. an impossible date: keep the text so the field check explains it
        return value if read else event.value


# Plain scalars' types, by their first character (PyYAML's table: digits, signs, y, n, t, f, o, ~, ...).
_IMPLICIT_FIRST = _RESOLVER.yaml_implicit_resolvers


@functools.lru_cache(maxsize=1024)  # dates, numbers, true and false: the same few values in file after file
def _resolved(value: str, implicit: tuple[bool, bool]) -> str:
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)


@functools.lru_cache(maxsize=1024)
def _constructed(tag: str, value: str) -> tuple[bool | None, Any]:
    """(True, the value) for a date, number, true/false or null; (False, None) for another type, kept as its
    text; (None, None) when the text cannot be read as the tag says. Scalar constructors read only the text."""
    try:
        read = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except (yaml.YAMLError, ValueError, OverflowError, LookupError, TypeError):
        return None, None
    if isinstance(read, (dt.datetime, dt.date, bool, int, float, str)) or read is None:
        return True, read
    return False, None


class _NotCommon(Exception):
    """The text is not in the common layout, or may be invalid: PyYAML reads it."""


# Anything PyYAML could refuse, or read differently, as a character (tabs, carriage returns, byte-order marks, the
# characters YAML does not allow, line separators): the file goes to PyYAML.
_UNCOMMON_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|$)")  # a plain field name, its colon and the spaces after
_SPACES = re.compile(" *")
# Most values: a text in double quotes without an escape, or plain words that need no more look (then a comment).
_SIMPLE_VALUE = re.compile(r'(?:"([^"\\]*)"|([A-Za-z0-9_][A-Za-z0-9_.,/+-]*(?: [A-Za-z0-9_.,/+-]+)*))(?: +#.*| *)$')
_BLOCK_HEADER = re.compile(r"([|>])([+-]?)(?: +#.*| *)")  # no indentation indicator
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SINGLE_QUOTED = re.compile(r"'([^']*(?:''[^']*)*)'")
_ESCAPE = re.compile(r'\\(?:([\\"/])|(n)|(t)|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_FLOW_WORD = r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*"
_FLOW_ITEM = re.compile(rf""" *(?:"([^"\\]*)"|'([^']*)'|({_FLOW_WORD})) *([,\]])""")  # an item, then , or ]
_FLOW_EMPTY = re.compile(r"\[ *\]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the timestamp resolver's date alone, in ASCII digits
_NOT_PLAIN = frozenset("!&*%@`{}[],?:#|>'\"")  # what a plain value of the common layout cannot start with
_COMMON_DEPTH = 8  # well under MAX_DEPTH: a file nested deeper goes to PyYAML, which reports it
_ANY_IMPLICIT_FIRST = None in _IMPLICIT_FIRST


def _escaped(match: re.Match[str]) -> str:
    same, newline, tab, two, four, eight = match.groups()
    if same:
        return same
    if newline:
        return "\n"
    if tab:
        return "\t"
    code = int(two or four or eight, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _NotCommon
    return chr(code)


def _plain(text: str) -> Any:
    """A plain value as the builder reads it (_Builder._scalar without a tag)."""
    if text[:1] not in _IMPLICIT_FIRST and not _ANY_IMPLICIT_FIRST:
        return text
    if _DATE.fullmatch(text):  # a claim's dates, as PyYAML resolves and makes them, without its resolver's look-ups
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # a day that does not exist: kept as its text (_constructed)
    tag = _resolved(text, (True, False))
    if tag == _STR:
        return text
    if tag not in _PLAIN_TAGS:
        raise _NotCommon
    read, value = _constructed(tag, text)
    return value if read else text


def _line_ends(rest: str) -> None:
    """What may follow a quoted value or a list on its line: spaces, then a comment."""
    if rest and rest.lstrip(" ")[:1] not in ("", "#") or rest[:1] == "#":
        raise _NotCommon


class _CommonLayout:
    """The layout nearly every claim file and source front matter has, read in Python, line by line, without
    libyaml's event stream: a mapping of plain field names at the left margin; values that are plain, quoted
    (on one line, with the common escapes) or block text (| and >, with + or -); lists of such values or of
    mappings, indented or not; one-line lists of plain words ([a, b]); comments and blank lines. The result is
    the builder's, value for value and line for line (tests/test_yaml_common_layout.py holds it to PyYAML).
    Anything else, including everything that PyYAML could refuse (anchors, tags, flow mappings, duplicate
    fields, tabs, a value continued on the next line, unusual indentation), raises _NotCommon, and PyYAML
    reads the text from its start. Each line is looked at a bounded number of times: linear in the text."""

    def __init__(self, text: str, offset: int, looked: bool = False) -> None:
        """looked: parse_yaml has found no _UNCOMMON_CHARACTER in text."""
        if not text.endswith("\n") or not looked and _UNCOMMON_CHARACTER.search(text) is not None:
            raise _NotCommon
        self.lines = text[:-1].split("\n")
        self.count = len(self.lines)
        self.offset = offset + 1  # line numbers count from 1
        self.nodes = 0

    def read(self) -> YamlMap:
        at = self._skip(0)
        if at >= self.count or not _KEY.match(self.lines[at]):
            raise _NotCommon
        root, at = self._mapping(at, 0, 1)
        if at < self.count or self.nodes > MAX_NODES:
            raise _NotCommon
        return root

    def _skip(self, at: int) -> int:
        """The next line at or after at that holds a value: blank lines and comments skipped."""
        lines, count = self.lines, self.count
        while at < count and lines[at].lstrip(" ")[:1] in ("", "#"):
            at += 1
        return at

    def _mapping(self, at: int, column: int, depth: int) -> tuple[YamlMap, int]:
        """The mapping whose first field name is at lines[at][column:]; ends before the first line indented less."""
        if depth > _COMMON_DEPTH:
            raise _NotCommon
        lines, count, offset = self.lines, self.count, self.offset
        target = YamlMap(at + offset)
        values, key_lines, raw, text_lines = target.values, target.key_lines, target.raw, target.text_lines
        self.nodes += 1
        while True:
            line = lines[at]
            match = _KEY.match(line, column)
            if match is None:
                raise _NotCommon
            key = match.group(1)
            if key in values:
                raise _NotCommon
            number = at + offset
            key_lines[key] = number
            start = match.end()
            self.nodes += 1
            simple = _SIMPLE_VALUE.match(line, start)
            if simple is not None:
                quoted, words = simple.groups()
                if quoted is not None:
                    values[key] = raw[key] = quoted
                else:
                    values[key], raw[key] = _plain(words), words
                text_lines[key] = number
                at += 1
            elif (first := line[start : start + 1]) in ("", "#"):  # the value is on the lines below, or null
                at = self._skip(at + 1)
                below = lines[at] if at < count else ""
                indent = len(below) - len(below.lstrip(" "))
                if at < count and (indent > column or indent == column and below[indent] == "-"):
                    self.nodes -= 1  # counted where it is made
                    values[key], at = self._block(at, indent, column, depth + 1)
                else:
                    values[key], raw[key], text_lines[key] = None, "", number
            elif first == "|" or first == ">":
                values[key], at = self._text(line[start:], at, column)
                raw[key], text_lines[key] = values[key], number + 1
                at = self._skip(at)
            elif first == "[":
                self.nodes -= 1
                values[key] = self._flow_list(line[start:], number)
                at = self._skip(at + 1)
            else:
                values[key], raw[key] = self._scalar(line[start:])
                text_lines[key] = number
                at += 1
            while at < count:  # the next line that holds a value
                line = lines[at]
                body = line.lstrip(" ")
                if body and body[0] != "#":
                    break
                at += 1
            else:
                return target, at
            indent = len(line) - len(body)
            if indent < column:
                return target, at
            if indent > column:
                raise _NotCommon

    def _block(self, at: int, indent: int, parent: int, depth: int) -> tuple[YamlMap | YamlList, int]:
        """A mapping or list that starts on lines[at] at indent, as the value of a field at column parent."""
        line = self.lines[at]
        if line[indent] == "-" and line[indent + 1 : indent + 2] in ("", " "):
            return self._list(at, indent, depth, indent == parent)
        if indent > parent and _KEY.match(line, indent):
            return self._mapping(at, indent, depth)
        raise _NotCommon

    def _list(self, at: int, column: int, depth: int, indentless: bool) -> tuple[YamlList, int]:
        """The list whose first '-' is at lines[at][column]."""
        if depth > _COMMON_DEPTH:
            raise _NotCommon
        lines, count, offset = self.lines, self.count, self.offset
        target = YamlList(at + offset)
        items, item_lines = target.items, target.item_lines
        self.nodes += 1
        while True:
            line = lines[at]
            start = _SPACES.match(line, column + 1).end()
            if start == column + 1 or start == len(line):
                raise _NotCommon  # '-' alone: an empty item
            first = line[start]
            if _KEY.match(line, start):
                item, at = self._mapping(at, start, depth + 1)
                items.append(item)
                item_lines.append(item.line)
            elif first == "[":
                item = self._flow_list(line[start:], at + offset)
                items.append(item)
                item_lines.append(item.line)
                at = self._skip(at + 1)
            else:
                self.nodes += 1
                items.append(self._scalar(line[start:])[0])
                item_lines.append(at + offset)
                at = self._skip(at + 1)
            if at >= count:
                return target, at
            line = lines[at]
            indent = len(line) - len(line.lstrip(" "))
            if indent < column:
                return target, at
            if indent > column:
                raise _NotCommon
            if line[column] != "-" or line[column + 1 : column + 2] not in ("", " "):
                if indentless:  # the next field of the mapping this list is a value of
                    return target, at
                raise _NotCommon

    def _scalar(self, rest: str) -> tuple[Any, str]:
        """The value that starts a line's rest, and its text; the rest must hold nothing else but a comment."""
        first = rest[0]
        if first == '"':
            match = _DOUBLE_QUOTED.match(rest)
            if match is None:
                raise _NotCommon  # continued on the next line, or not closed
            _line_ends(rest[match.end() :])
            text = match.group(1)
            if "\\" in text:
                text = _ESCAPE.sub(_escaped, text)
                if "\\" in _ESCAPE.sub("", match.group(1)):
                    raise _NotCommon  # an escape not read here
            return text, text
        if first == "'":
            match = _SINGLE_QUOTED.match(rest)
            if match is None:
                raise _NotCommon
            _line_ends(rest[match.end() :])
            text = match.group(1).replace("''", "'")
            return text, text
        if first in _NOT_PLAIN or first == "-" and rest[1:2] in ("", " "):
            raise _NotCommon
        comment = rest.find(" #")
        text = (rest if comment < 0 else rest[:comment]).rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise _NotCommon
        return _plain(text), text

    def _flow_list(self, rest: str, number: int) -> YamlList:
        """A one-line list of plain words and quoted texts without escapes: [a, b c, "d"]."""
        target = YamlList(number)
        empty = _FLOW_EMPTY.match(rest)
        if empty is not None:
            at = empty.end()
        else:
            at, items = 1, target.items
            while True:
                match = _FLOW_ITEM.match(rest, at)
                if match is None:
                    raise _NotCommon
                double, single, word, closing = match.groups()
                items.append(double if double is not None else single if single is not None else _plain(word))
                at = match.end()
                if closing == "]":
                    break
            target.item_lines = [number] * len(items)
        _line_ends(rest[at:])
        self.nodes += 1 + len(target.items)
        return target

    def _text(self, rest: str, at: int, column: int) -> tuple[str, int]:
        """A block text (| or >) whose header is rest, on lines[at], as the value of a field at column: the text
        and the first line after it (PyYAML's scanner, scan_block_scalar, line by line)."""
        header = _BLOCK_HEADER.fullmatch(rest)
        if header is None:
            raise _NotCommon
        folded, chomping = header.group(1) == ">", header.group(2)
        lines, count = self.lines, self.count
        at += 1
        breaks, widest = 0, 0
        while at < count and not lines[at].strip(" "):
            breaks, widest, at = breaks + 1, max(widest, len(lines[at])), at + 1
        if at >= count:
            raise _NotCommon
        line = lines[at]
        indent = len(line) - len(line.lstrip(" "))
        if indent <= column or widest > indent:
            raise _NotCommon  # an empty text, or one whose indentation blank lines decide
        chunks = ["\n"] * breaks
        while True:
            text = line[indent:]
            chunks.append(text)
            at, breaks = at + 1, 0
            while at < count:
                line = lines[at]
                spaces = len(line) - len(line.lstrip(" "))
                if spaces < len(line) or spaces > indent:
                    break
                at, breaks = at + 1, breaks + 1
            if at >= count or len(line) - len(line.lstrip(" ")) < indent:
                break
            if folded and text[0] != " " and line[indent] != " ":
                if not breaks:
                    chunks.append(" ")
            else:
                chunks.append("\n")
            chunks.extend(["\n"] * breaks)
        if chomping != "-":
            chunks.append("\n")
        if chomping == "+":
            chunks.extend(["\n"] * breaks)
        return "".join(chunks), at
