"""JSON Schema for claim files and source front matter, derived from fields.py.

Editors' tools (the YAML language server behind VS Code, Zed, Neovim and others) read
these schemas to offer completion, hover help and inline errors while an editor types.
They are generated from the same definitions as the validator so the two cannot drift;
`factcheck schemas` rewrites them and a test fails when the committed copies are stale.

A schema checks shapes only. What needs other files or the whole file (a quote occurring
in its source, a source id existing, dates in order, the file name) only `factcheck
validate` can tell. Editors' tools read YAML 1.2, so an unquoted date is text there and an
unquoted `yes` is text, not true/false as in PyYAML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factcheck_site.content.formats import (
    CLAIM_FIELDS,
    CLAIMANT_TYPES,
    CORRECTION_FIELDS,
    MAX_APPEARED_IN,
    MAX_CORRECTIONS,
    MAX_QUOTES,
    MAX_TAGS,
    QUOTE_FIELDS,
    SLUG_PATTERN,
    SOURCE_FIELDS,
    STANCES,
    Field,
    Kind,
)
from factcheck_site.content.verdict_scale import Verdict

DRAFT = "http://json-schema.org/draft-07/schema#"
CLAIM_SCHEMA_FILE = "claim.schema.json"
SOURCE_SCHEMA_FILE = "source.schema.json"

# Mirrors check_fields: not blank, and no invisible control or text-direction characters.
# The characters content/invisible.py refuses wherever they are (those it keeps in some places, and those
# outside the Basic Multilingual Plane, which these patterns cannot name, are left to factcheck validate).
_CONTROL = ("\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u034f\\u115f\\u1160\\u17b4\\u17b5"
            "\\u202a-\\u202e\\u2060-\\u2065\\u2066-\\u206f\\u3164\\ufeff\\uffa0\\ufff0-\\ufffb")
TEXT_PATTERN = f"^[^{_CONTROL}]*[^\\s{_CONTROL}][^{_CONTROL}]*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# A host without a user name before it (https://trusted.example@attacker.example/), no spaces,
# markup or invisible characters; web_address.py checks the rest.
_NOT_IN_URL = r'\s\\<>"`{}^|\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069'
URL_PATTERN = rf"^[hH][tT][tT][pP][sS]?://[^/?#@{_NOT_IN_URL}]+(?:[/?#][^{_NOT_IN_URL}]*)?$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
FINGERPRINT_PATTERN = r"^[0-9a-f]{64}$"


def _text(spec: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "pattern": TEXT_PATTERN,
                              "patternErrorMessage": "must not be empty or contain invisible control characters"}
    if spec.max_length:
        schema["maxLength"] = spec.max_length
    return schema


def _items(spec: Field, item: dict[str, Any], limit: int) -> dict[str, Any]:
    schema = {"type": "array", "items": item, "maxItems": limit}
    if spec.min_items:
        schema["minItems"] = spec.min_items
    return schema


def _object(fields: tuple[Field, ...], verdict_ids: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _field(f, verdict_ids) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _value(spec: Field, verdict_ids: list[str]) -> dict[str, Any]:
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.MARKDOWN):
        return _text(spec)
    if kind == Kind.DATE:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN,
                "patternErrorMessage": "write the date as YYYY-MM-DD, like 2025-12-12"}
    if kind == Kind.URL:
        return {"type": "string", "pattern": URL_PATTERN, "maxLength": spec.max_length,
                "patternErrorMessage": "must be a web address starting with https:// or http://"}
    if kind == Kind.SOURCE_ID:
        return {"type": "string", "pattern": SLUG_PATTERN,
                "patternErrorMessage": "must be a source id: a file name in sources/ without .md"}
    if kind == Kind.SOURCE_IDS:
        return {**_items(spec, _value(Field(spec.name, Kind.SOURCE_ID, True, spec.help), verdict_ids),
                         MAX_APPEARED_IN), "uniqueItems": True}
    if kind == Kind.TEXTS:
        return {**_items(spec, _text(spec), MAX_TAGS), "uniqueItems": True}
    if kind == Kind.VERDICT:
        # An unquoted `verdict: false` is a boolean in YAML; the validator reads it as the id.
        booleans = [word == "true" for word in ("true", "false") if word in verdict_ids]
        return {"enum": [*verdict_ids, *booleans]}
    if kind == Kind.STANCE:
        return {"enum": list(STANCES)}
    if kind == Kind.CLAIMANT_TYPE:
        return {"enum": list(CLAIMANT_TYPES)}
    if kind == Kind.BOOLEAN:
        return {"type": "boolean"}
    if kind == Kind.QUOTES:
        return _items(spec, _object(QUOTE_FIELDS, verdict_ids), MAX_QUOTES)
    if kind == Kind.CORRECTIONS:
        return _items(spec, _object(CORRECTION_FIELDS, verdict_ids), MAX_CORRECTIONS)
    if kind == Kind.LANGUAGE:
        return {"type": "string", "pattern": LANGUAGE_PATTERN,
                "patternErrorMessage": "must be a language code such as en or pt-BR"}
    if kind == Kind.FINGERPRINT:
        return {"type": "string", "pattern": FINGERPRINT_PATTERN,
                "patternErrorMessage": "64 lowercase hex digits; let factcheck add-source write it"}
    raise AssertionError(kind)


def _field(spec: Field, verdict_ids: list[str]) -> dict[str, Any]:
    schema = {"description": spec.help, **_value(spec, verdict_ids)}
    if spec.required:
        return schema
    # The validator treats an optional field left empty (`claim_date:`) as absent.
    return {"description": spec.help, "anyOf": [{k: v for k, v in schema.items() if k != "description"},
                                                 {"type": "null"}]}


def claim_schema(scale: tuple[Verdict, ...]) -> dict[str, Any]:
    ids = [v.id for v in scale]
    return {
        "$schema": DRAFT,
        "title": "Fact-check claim",
        "description": "One claim file in claims/. Generated from generator/factcheck_site/content/formats.py by "
                       "`factcheck schemas`; do not edit by hand.",
        **_object(CLAIM_FIELDS, ids),
    }


def source_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "Fact-check source front matter",
        "description": "The front matter of one source file in sources/ (between the --- lines). Generated "
                       "from generator/factcheck_site/content/formats.py by `factcheck schemas`; do not edit by hand.",
        **_object(SOURCE_FIELDS, []),
    }


def schema_files(scale: tuple[Verdict, ...]) -> dict[str, str]:
    """File name to contents, exactly as committed."""
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
            for name, schema in ((CLAIM_SCHEMA_FILE, claim_schema(scale)), (SOURCE_SCHEMA_FILE, source_schema()))}


def update_schema_files(folder: Path, scale: tuple[Verdict, ...], check_only: bool = False) -> list[str]:
    """The schema files in `folder` that were missing or stale; rewritten unless check_only."""
    changed = []
    for name, text in schema_files(scale).items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        changed.append(name)
        if not check_only:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    return changed
