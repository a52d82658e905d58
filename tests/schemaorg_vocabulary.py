"""Checks JSON-LD against the schema.org vocabulary vendored in tests/validators/schemaorg/:
every type and property exists (and is not superseded), every property is used on a type in
its domain, and every value has a type in the property's range (a node of a class or a
subclass of it, or a literal of one of its data types)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

VOCABULARY = Path(__file__).resolve().parent / "validators" / "schemaorg" / "schemaorg-current-https.jsonld"
CONTEXT = "https://schema.org"


def _ids(value: Any) -> list[str]:
    """schema:X ids of a JSON-LD reference or list of references, without the prefix."""
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items if item["@id"].startswith("schema:")]


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", text)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def _is_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in text


# What a JSON literal must be to have each of schema.org's data types.
LITERALS = {
    "Text": lambda v: isinstance(v, str),
    "URL": lambda v: isinstance(v, str) and _is_url(v),
    "Date": lambda v: isinstance(v, str) and _is_date(v),
    "DateTime": lambda v: isinstance(v, str) and _is_datetime(v),
    "Number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, float),
    "Boolean": lambda v: isinstance(v, bool),
}


@dataclass(frozen=True)
class Vocabulary:
    version: str
    parents: dict[str, tuple[str, ...]]  # class: its direct superclasses
    domains: dict[str, tuple[str, ...]]  # property: the classes it is used on
    ranges: dict[str, tuple[str, ...]]  # property: the classes and data types of its values
    superseded: dict[str, str]  # property or class: what replaces it

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def check(self, data: Any) -> list[str]:
        """Every problem in a JSON-LD document (or a list of them), each as 'path: what is wrong'."""
        documents = data if isinstance(data, list) else [data]
        problems: list[str] = []
        for number, document in enumerate(documents):
            where = f"[{number}]" if isinstance(data, list) else "$"
            if not isinstance(document, dict) or document.get("@context") != CONTEXT:
                problems.append(f"{where}: @context must be {CONTEXT!r}")
                continue
            problems += self._node(document, where, None)
        return problems

    def _node(self, node: dict[str, Any], where: str, expected: tuple[str, ...] | None) -> list[str]:
        cls = node.get("@type")
        if not isinstance(cls, str):
            return [f"{where}: a node needs one @type"]
        if cls not in self.parents:
            return [f"{where}: {cls} is not a schema.org type"]
        problems = []
        if cls in self.superseded:
            problems.append(f"{where}: {cls} is superseded by {self.superseded[cls]}")
        lineage = self.ancestors(cls)
        if expected is not None and not lineage & set(expected):
            problems.append(f"{where}: a {cls} is not one of the expected {', '.join(expected)}")
        for key, value in node.items():
            if key.startswith("@"):
                if key not in ("@type", "@context", "@id"):
                    problems.append(f"{where}: unexpected keyword {key}")
                continue
            at = f"{where}.{key}"
            if key not in self.domains:
                problems.append(f"{at}: {key} is not a schema.org property")
                continue
            if key in self.superseded:
                problems.append(f"{at}: {key} is superseded by {self.superseded[key]}")
            if not lineage & set(self.domains[key]):
                problems.append(f"{at}: {key} is not a property of {cls} (it is one of {', '.join(self.domains[key])})")
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                problems += self._value(item, f"{at}[{index}]" if isinstance(value, list) else at, self.ranges[key])
        return problems

    def _value(self, value: Any, where: str, expected: tuple[str, ...]) -> list[str]:
        if isinstance(value, dict):
            return self._node(value, where, expected)
        # The data types in the range, and their subtypes: URL is a kind of Text, Integer a kind of Number.
        literal_types = [kind for kind in LITERALS if self.ancestors(kind) & set(expected)]
        if any(LITERALS[kind](value) for kind in literal_types):
            return []
        return [f"{where}: {json.dumps(value, ensure_ascii=False)[:60]} is not a {' or '.join(expected)}"]


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    document = json.loads(path.read_text(encoding="utf-8"))
    parents: dict[str, tuple[str, ...]] = {}
    domains: dict[str, tuple[str, ...]] = {}
    ranges: dict[str, tuple[str, ...]] = {}
    superseded: dict[str, str] = {}
    for node in document["@graph"]:
        node_id = node["@id"]
        if not node_id.startswith("schema:"):
            continue
        name = node_id.removeprefix("schema:")
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types:
            parents[name] = tuple(_ids(node.get("rdfs:subClassOf")))
        if "rdf:Property" in types:
            domains[name] = tuple(_ids(node.get("schema:domainIncludes")))
            ranges[name] = tuple(_ids(node.get("schema:rangeIncludes")))
        if node.get("schema:supersededBy"):
            superseded[name] = ", ".join(_ids(node["schema:supersededBy"]))
    return Vocabulary(_release(path), parents, domains, ranges, superseded)


def _release(path: Path) -> str:
    match = re.search(r"^Release: (\S+)$", (path.parent / "README.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, "tests/validators/schemaorg/README.md names the release in a line 'Release: N'"
    return match.group(1)
