"""Safe YAML reading that remembers where each value came from.

Editors' files arrive from strangers, so only plain YAML is accepted: no custom
tags, no anchors or aliases (which also rules out alias bombs), no duplicate keys.
Values keep their line numbers so every problem can point at the right line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # libyaml missing: the pure-Python loader gives the same nodes
    _Loader = yaml.SafeLoader

MAX_NODES = 20_000
_STR = "tag:yaml.org,2002:str"
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

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class YamlList:
    line: int
    items: list[Any] = field(default_factory=list)
    item_lines: list[int] = field(default_factory=list)


def _line(node: yaml.Node | yaml.Event, offset: int) -> int:
    return node.start_mark.line + 1 + offset


def _describe_yaml_error(error: yaml.YAMLError, source: str) -> tuple[int | None, str]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    text = f"{context}, {problem}" if context else problem
    lines = source.splitlines()
    near = lines[max(line - 2, 0) : line] if line else []
    if any("\t" in candidate for candidate in near):
        hint = "indent with spaces, not tabs"
    else:
        hint = "check the indentation and quoting on this line or the one above"
    return line, f"this is not valid YAML ({text}); {hint}"


def _check_shape(text: str, line_offset: int) -> None:
    """Reject deep nesting and aliases from the event stream, before anything is built.

    libyaml's composer recurses in C: some thousands of nested brackets crash the
    interpreter, and parsing slows quadratically with depth; so the scan stops at
    the first level too deep, and at the first alias (alias bombs).
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(_line(event, line_offset), f"values are nested more than {MAX_DEPTH} levels deep; "
                                "claims and sources need at most three: remove the extra brackets or indentation")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise YamlError(_line(event, line_offset),
                            "anchors and aliases (& and *) are not allowed; write the value out in full")


_HIDDEN_LINE_BREAK = re.compile("[\x85\u2028\u2029]")


def parse_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse one YAML document into plain values, YamlMap and YamlList."""
    hidden = _HIDDEN_LINE_BREAK.search(text)
    if hidden:  # YAML counts it as a line break, editors do not: every later line number would be off
        line = text.count("\n", 0, hidden.start()) + 1 + line_offset
        raise YamlError(line, f"the line contains an invisible line separator (U+{ord(hidden.group()):04X}), "
                              "which YAML reads as a line break; delete it")
    try:
        _check_shape(text, line_offset)
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return None
        return _Converter(line_offset).convert(node)
    except yaml.YAMLError as error:
        line, message = _describe_yaml_error(error, text)
        raise YamlError((line or 1) + line_offset, message) from None
    except (ValueError, RecursionError) as error:
        raise YamlError(1 + line_offset, f"this is not valid YAML ({error})") from None


class _Converter:
    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node) -> Any:
        line = _line(node, self.offset)
        if id(node) in self.seen:
            raise YamlError(line, "anchors and aliases (& and *) are not allowed; write the value out in full")
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise YamlError(line, f"the file has more than {MAX_NODES} values; split it or shorten it")
        if node.tag not in _PLAIN_TAGS:
            raise YamlError(line, f"the YAML tag {node.tag!r} is not allowed; remove it and write a plain value")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, line)
        if isinstance(node, yaml.SequenceNode):
            result = YamlList(line)
            for item in node.value:
                result.items.append(self.convert(item))
                result.item_lines.append(_line(item, self.offset))
            return result
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, line: int) -> YamlMap:
        result = YamlMap(line)
        for key_node, value_node in node.value:
            key_line = _line(key_node, self.offset)
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise YamlError(key_line, "merge keys (<<) are not allowed; write the fields out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_line, "a field name must be plain text")
            key = str(key_node.value)
            if key in result.values:
                first = result.key_lines[key]
                raise YamlError(key_line, f"the field '{key}' appears twice (first on line {first}); keep one")
            result.values[key] = self.convert(value_node)
            result.key_lines[key] = key_line
            if isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = str(value_node.value)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value  # most values are text; skip the constructor's bookkeeping
        try:
            value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (yaml.YAMLError, ValueError, OverflowError):
            return str(node.value)  # e.g. an impossible date: keep the text so the field check explains it
        if isinstance(value, (dt.datetime, dt.date, bool, int, float, str)) or value is None:
            return value
        return str(node.value)
