"""The committed JSON Schema files: generated from fields.py (never stale), accepted by
editors' tools, true to every claim and source in the repository, and rejecting each
bad file whose mistake a schema can see.

Editors' tools read YAML 1.2 and hand the schema plain JSON data, so the files are read
here the same way: an unquoted date stays text, and only true/false are booleans.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CASES, ROOT, copy_project, factcheck
from factcheck_site.config import read_settings
from factcheck_site.content.load import split_front_matter
from factcheck_site.content.yaml_reader import YamlError, parse_yaml
from factcheck_site.editor.json_schema import schema_files
from jsonschema import Draft7Validator, FormatChecker

SCHEMAS = ROOT / "schemas"
BOOL = "tag:yaml.org,2002:bool"
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class Yaml12Loader(yaml.SafeLoader):
    """How the YAML language server sees a file: YAML 1.2 core schema, JSON data."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL, TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def editor_view(text: str) -> Any:
    return yaml.load(text.removeprefix("\ufeff"), Loader=Yaml12Loader)


def validator(name: str) -> Draft7Validator:
    import json

    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FormatChecker())


CLAIMS = validator("claim.schema.json")
SOURCES = validator("source.schema.json")

# Every bad file, by what a schema can see of it. A new case must be put in one group.
SCHEMA_REJECTS = {
    "claim-is-quote-quoted.yml",  # "true" in quotation marks is text, not a boolean
    # control and text-direction characters, misleading web addresses
    "ansi-escape.yml", "archived-userinfo.md", "bidi-embedding-lre.yml", "bidi-embedding-rle.yml",
    "bidi-in-analysis.yml", "bidi-in-correction.yml", "bidi-isolate-fsi.yml", "bidi-isolate-rli.yml",
    "bidi-lri-in-note.yml", "bidi-override.yml", "bidi-pop-in-tag.yml", "escaped-bidi-override-in-tag.yml",
    "publisher-pdf.md",
    "stx-etx-markers.yml", "title-bidi-isolate.md", "url-angle-brackets.md", "url-backslash.md",
    "url-bidi-override.md", "url-in-a-list.md", "url-javascript-mixed-case.md", "url-markup.md",
    "url-newline.md", "url-no-host.md", "url-space.md", "url-tab.md",
    "url-userinfo-password.md", "url-userinfo.md", "url-zero-width.md",
    # invisible characters never in their place, which a schema's pattern can name (content/invisible.py)
    "claim-interlinear-annotation.yml", "claimant-hangul-filler.yml", "author-word-joiner.yml",
    "analysis-byte-order-mark-inside.yml", "title-hangul-filler.md",
    "url-protocol-relative-userinfo.md",
    "top-level-list.yml", "top-level-scalar.yml", "empty-file.yml", "unknown-field.yml", "unknown-quote-field.yml",
    "bad-stance.yml", "unknown-verdict.yml", "verdict-yes.yml", "empty-quote.yml", "missing-claimant.yml",
    "no-quotes.yml", "quotes-not-a-list.yml", "list-for-text.yml", "number-for-date.yml", "datetime-for-date.yml",
    "bad-date.yml", "impossible-date.yml", "huge-field.yml", "appeared-in-not-a-list.yml", "appeared-in-path.yml",
    "bad-claimant-type.yml", "blank-claim.yml", "claim-date-bad.yml", "claim-too-long.yml", "control-character.yml",
    "correction-missing-text.yml", "correction-not-a-mapping.yml", "correction-without-date.yml",
    "date-as-list.yml", "empty-claim.yml", "mapping-for-text.yml", "missing-author.yml", "missing-published.yml",
    "note-not-text.yml", "null-summary.yml", "number-for-text.yml", "previous-verdict-unknown.yml",
    "quote-is-text.yml", "quote-missing-source.yml", "quote-source-path-trick.yml", "quote-too-long.yml",
    "repeated-tag.yml", "source-absolute-path.yml", "source-path-traversal.yml", "source-uppercase.yml",
    "source-with-extension.yml", "source-with-folder.yml", "source-with-space.yml", "stance-list.yml",
    "tag-is-a-number.yml", "tags-not-a-list.yml", "tags-repeated.yml", "too-many-quotes.yml", "verdict-empty.yml",
    "verdict-number.yml",
    "bad-language.md", "bad-url.md", "unknown-source-field.md", "front-matter-list.md",
    "archived-not-web.md", "front-matter-empty.md", "front-matter-scalar.md", "missing-title.md",
    "sha256-malformed.md", "source-bad-date.md", "source-date-number.md", "source-impossible-date.md",
    "source-retrieved-impossible.md", "title-is-a-list.md", "title-too-long.md", "url-data.md",
    "imported-from-not-a-web-address.yml", "reproduces-not-an-id.md",
}
# Not plain YAML: the validator's reader refuses them before any field is read, so no
# schema is ever applied (the YAML language server reports most of them itself).
NOT_YAML = {"yaml-syntax.yml", "tabs.yml", "not-utf8.yml", "unsafe-tag.yml", "duplicate-key.yml", "alias-bomb.yml",
            "complex-key.yml", "custom-tag.yml", "deep-nesting.yml", "duplicate-quote-key.yml", "line-separator.yml",
            "merge-key.yml", "nul-byte.yml", "python-name-tag.yml", "tag-value-unreadable.yml", "two-documents.yml",
            "windows-line-endings-and-tab.yml", "source-alias.md", "source-deep-nesting.md",
            "source-duplicate-key.md", "source-not-utf8.md", "source-tabs.md", "source-unsafe-tag.md",
            "source-yaml-syntax.md", "quote-marks-inside-quotes.yml"}
# Sources with no front matter to hand to a schema at all.
NO_FRONT_MATTER = {"no-front-matter.md", "unclosed-front-matter.md", "source-empty-file.md",
                   "source-bom.md"}
# Well-formed data that only the validator can fault: it needs the file name, the
# encoding, the sources' text or two fields at once. A schema must accept these.
BEYOND_A_SCHEMA = {
    "Uppercase-Name.yml": "file name", "space in name.yml": "file name", "wrong-extension.yaml": "file name",
    "upper-extension.YML": "file name", "notes.yml.txt": "file name",
    "saved-twice-dprk-soldiers-return-home.md": "another source's text",
    "Bad_Source_Name.md": "file name", "Source-Uppercase.md": "file name",
    "index.md": "file name", "id-too-long-" + "x" * 70 + ".yml": "file name",
    "publisher-not-identified.md": "what the publisher's words say", "publisher-unknown.md": "what the publisher's "
    "words say", "publisher-n-a.md": "what the publisher's words say", "retrieved-before-published.md": "two fields",
    "archived-same-as-url.md": "two fields",
    "bom.yml": "encoding: YAML tools skip a byte-order mark",
    "boolean-for-text.yml": "YAML 1.2, which editors' tools read, takes yes as text",
    "misquote-case.yml": "the source's text", "misquote-one-word.yml": "the source's text",
    "misquote-after-omission.yml": "the source's text", "misquote-extra-word.yml": "the source's text",
    "misquote-number.yml": "the source's text", "misquote-part-of-word.yml": "the source's text",
    "omission-across-paragraphs.yml": "the source's text", "omission-at-end.yml": "the quote's [...] markers",
    "omission-at-start.yml": "the quote's [...] markers", "omission-at-both-ends.yml": "the quote's [...] markers",
    "omission-only.yml": "the quote's [...] markers", "double-omission.yml": "the quote's [...] markers",
    "unknown-source.yml": "the list of sources", "appeared-in-unknown.yml": "the list of sources",
    "appeared-in-unknown-source.yml": "the list of sources",
    "updated-before-published.yml": "two dates", "correction-before-published.yml": "two dates",
    **dict.fromkeys(("claimant-names-no-one.yml", "claimant-unnamed-officials-without-article.yml",
                     "claimant-a-group.yml", "claimant-via-names-no-one.yml"), "what a name says of who it names"),
    **dict.fromkeys(("claimant-unknown-article-id.yml", "claimant-article-not-in-appeared-in.yml"),
                    "the list of sources"),
    **dict.fromkeys(("person-named-by-one-line.yml", "person-named-by-one-dispatch.yml",
                     "person-named-by-no-quote.yml"), "the sources' text and the dispatches they reproduce"),
    **dict.fromkeys(("claim-date-without-a-quote.yml", "claim-date-year-not-given.yml", "claim-date-other-day.yml",
                     "claim-date-wrong-year.yml", "states-claim-date-without-claim-date.yml"),
                    "the date a quoted passage gives"),
    **dict.fromkeys(("quote-reproduces-unknown-dispatch.yml", "reproduces-unknown-dispatch.md"),
                    "the dispatches declared in mkdocs.yml"),
    "previous-verdict-unchanged.yml": "two verdicts",
    "empty-body.md": "the text below the front matter", "fingerprint-mismatch.md": "the text's fingerprint",
    "analysis-autolink-userinfo.yml": "the Markdown of the analysis",
    "analysis-blockquote-bomb.yml": "the Markdown of the analysis",
    "analysis-blockquote-deep.yml": "the Markdown of the analysis",
    "analysis-link-from-the-root.yml": "the Markdown of the analysis",
    "analysis-link-unparsable.yml": "the Markdown of the analysis",
    "analysis-link-userinfo.yml": "the Markdown of the analysis",
    "analysis-list-ten-deep.yml": "the Markdown of the analysis",
    "analysis-ordered-list-deep.yml": "the Markdown of the analysis",
    "analysis-quotes-and-lists.yml": "the Markdown of the analysis",
    "archived-ipv6-unclosed.md": "what urlsplit and IDNA make of an address",
    "body-ansi-escape.md": "the text below the front matter",
    "body-bidi-isolates.md": "the text below the front matter",
    "body-bidi-override.md": "the text below the front matter",
    "url-ipvfuture.md": "how browsers read hosts", "url-ipv6-zone.md": "how browsers read hosts",
    "url-ipv4-hex.md": "how browsers read hosts", "url-ipv4-one-number.md": "how browsers read hosts",
    "url-encoded-at.md": "how browsers read hosts", "url-host-idna2008-disallowed.md": "how browsers read hosts",
    "analysis-encoded-at.yml": "Markdown's links", "analysis-ipv4-hex.yml": "Markdown's links",
    "analysis-protocol-relative-userinfo.yml": "Markdown's links",
    "analysis-reference-userinfo.yml": "Markdown's links",
    "body-hidden-tag-text.md": "the text below the front matter",
    "body-interlinear-annotation.md": "the text below the front matter",
    "body-zero-width-space-latin.md": "the text below the front matter",
    # invisible characters kept in some places only, or outside the Basic Multilingual Plane
    "summary-hidden-tag-text.yml": "the characters around it",
    "claimant-zero-width-space.yml": "the characters around it",
    "escaped-zero-width-space-in-note.yml": "the characters around it",
    "tag-zero-width-joiner-latin.yml": "the characters around it",
    "note-variation-selector-smuggling.yml": "the characters around it",
    "correction-soft-hyphen-alone.yml": "the characters around it",
    "summary-bad-flag-tags.yml": "the characters around it",
    "publisher-tag-characters.md": "the characters around it",
    "analysis-reference-link-unknown.yml": "the list of claims",
    "analysis-autolink-unknown-claim.yml": "the list of claims",
    "analysis-reference-definition-unused.yml": "the list of sources",
    "summary-autolink-unknown-source.yml": "the list of sources",
    "analysis-image-and-split-reference.yml": "the list of sources",
    "analysis-escaped-brackets.yml": "the list of claims",
    "body-embedding.md": "the text below the front matter",
    "body-stx-etx.md": "the text below the front matter",
    "link-unknown-source.yml": "the list of sources", "link-unknown-claim.yml": "the list of claims",
    "link-without-id.yml": "the links in the prose", "link-in-claim.yml": "the links in the prose",
    "bare-source-ids.yml": "the list of sources", "bare-claim-id.yml": "the list of claims",
    "claimant-via-unknown-source.yml": "the list of sources",
    "claim-is-quote-not-in-source.yml": "the source's text", "claim-is-quote-without-appeared-in.yml": "two fields",
    "claim-date-future.yml": "the day of the build",
    "correction-date-future.yml": "the day of the build",
    "index.yml": "file name",
    "page.md": "file name",
    "published-far-future.yml": "the day of the build",
    "published-future-quoted.yml": "the day of the build",
    "source-published-future.md": "the day of the build",
    "source-retrieved-future.md": "the day of the build",
    "updated-far-future.yml": "the day of the build",
    "url-host-empty-label.md": "what urlsplit and IDNA make of an address",
    "url-host-invalid.md": "what urlsplit and IDNA make of an address",
    "url-host-nfkc-at.md": "what urlsplit and IDNA make of an address",
    "url-host-nfkc-hash.md": "what urlsplit and IDNA make of an address",
    "url-host-percent.md": "what urlsplit and IDNA make of an address",
    "url-ipv6-unclosed.md": "what urlsplit and IDNA make of an address",
    "url-port-not-a-number.md": "what urlsplit and IDNA make of an address",
    "url-port-out-of-range.md": "what urlsplit and IDNA make of an address",
}
BAD_FILES = sorted(p for folder in ("bad-claims", "bad-sources") for p in (CASES / folder).iterdir()
                   if not p.name.endswith(".expected"))


def _instance(path: Path) -> Any:
    text = path.read_bytes().decode("utf-8")
    if path.suffix == ".md":
        parts = split_front_matter(text)
        assert parts is not None, path
        return editor_view(parts[0])
    return editor_view(text)


def test_the_committed_schemas_are_generated_from_the_field_definitions() -> None:
    settings, problems = read_settings(ROOT / "mkdocs.yml")
    assert problems == []
    expected = schema_files(settings.scale)
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(expected)
    for name, text in expected.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, (
            f"schemas/{name} is stale: run `factcheck schemas` and commit the result")


def test_factcheck_schemas_finds_and_rewrites_a_stale_schema(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert factcheck("schemas", cwd=project).returncode == 0
    assert factcheck("schemas", "--check", cwd=project).returncode == 0
    stale = project / "schemas" / "claim.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"mostly-true",', ""), encoding="utf-8")
    check = factcheck("schemas", "--check", cwd=project)
    assert check.returncode == 1
    assert "claim.schema.json out of date; run python -m factcheck_site schemas" in check.stderr
    assert factcheck("schemas", cwd=project).returncode == 0
    assert stale.read_text(encoding="utf-8") == (SCHEMAS / "claim.schema.json").read_text(encoding="utf-8")


def test_a_site_with_its_own_verdict_scale_gets_it_in_the_schema(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      claims_dir: claims\n",
        "      claims_dir: claims\n      verdicts:\n        - {id: correct, label: Correct, meaning: Right., rank: 2}\n"
        "        - {id: pants-on-fire, label: Pants on fire, meaning: Ridiculous., rank: 1}\n"), encoding="utf-8")
    assert factcheck("schemas", cwd=project).returncode == 0
    text = (project / "schemas" / "claim.schema.json").read_text(encoding="utf-8")
    assert '"pants-on-fire"' in text and '"mostly-true"' not in text


def test_the_schemas_are_valid_draft_7() -> None:
    Draft7Validator.check_schema(CLAIMS.schema)
    Draft7Validator.check_schema(SOURCES.schema)


GOOD_CLAIMS = sorted((ROOT / "claims").glob("*.yml")) + sorted((CASES / "good-claims").glob("*.yml"))


@pytest.mark.parametrize("path", GOOD_CLAIMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_good_claim_is_accepted(path: Path) -> None:
    errors = [e.message for e in CLAIMS.iter_errors(_instance(path))]
    assert errors == []


@pytest.mark.parametrize("path", sorted((ROOT / "sources").glob("*.md")), ids=lambda p: p.name)
def test_every_source_in_the_repository_is_accepted(path: Path) -> None:
    assert [e.message for e in SOURCES.iter_errors(_instance(path))] == []


def test_every_bad_file_is_in_exactly_one_group() -> None:
    groups = [SCHEMA_REJECTS, NOT_YAML, NO_FRONT_MATTER, set(BEYOND_A_SCHEMA)]
    for path in BAD_FILES:
        assert sum(path.name in group for group in groups) == 1, f"decide what a schema can see of {path.name}"
    assert set().union(*groups) == {p.name for p in BAD_FILES}


@pytest.mark.parametrize("path", [p for p in BAD_FILES if p.name in SCHEMA_REJECTS], ids=lambda p: p.name)
def test_the_schema_rejects_a_mistake_it_can_see(path: Path) -> None:
    schema = SOURCES if path.suffix == ".md" else CLAIMS
    errors = list(schema.iter_errors(_instance(path)))
    assert errors
    expected = Path(f"{path}.expected").read_text(encoding="utf-8")
    named = {_field_named(e) for e in errors} - {None}
    if named:  # the schema faults the same field as the validator ("quotes" is "quote 2" there)
        assert any(name in expected or name.removesuffix("s") in expected for name in named), (named, expected)
    else:
        assert all(e.validator == "type" and not e.absolute_path for e in errors)


def _field_named(error: Any) -> str | None:
    found = re.search(r"'([a-z_]+)' is a required property|\('([a-z_]+)' was unexpected\)", error.message)
    if found:
        return found.group(1) or found.group(2)
    names = [p for p in error.absolute_path if isinstance(p, str)]
    return names[-1] if names else None


@pytest.mark.parametrize("path", [p for p in BAD_FILES if p.name in NOT_YAML], ids=lambda p: p.name)
def test_a_file_that_is_not_plain_yaml_never_reaches_a_schema(path: Path) -> None:
    with pytest.raises((YamlError, UnicodeDecodeError)):
        text = path.read_bytes().decode("utf-8")
        parse_yaml(split_front_matter(text)[0] if path.suffix == ".md" else text)  # type: ignore[index]


@pytest.mark.parametrize("path", [p for p in BAD_FILES if p.name in NO_FRONT_MATTER], ids=lambda p: p.name)
def test_a_source_without_front_matter_has_nothing_for_a_schema(path: Path) -> None:
    assert split_front_matter(path.read_bytes().decode("utf-8")) is None


@pytest.mark.parametrize("path", [p for p in BAD_FILES if p.name in BEYOND_A_SCHEMA], ids=lambda p: p.name)
def test_a_mistake_beyond_a_schema_is_left_to_the_validator(path: Path) -> None:
    schema = SOURCES if path.suffix == ".md" else CLAIMS
    assert [e.message for e in schema.iter_errors(_instance(path))] == [], BEYOND_A_SCHEMA[path.name]


def test_a_file_made_by_new_is_accepted_once_filled(tmp_path: Path) -> None:
    from test_new_claim import fill_blanks

    project = copy_project(tmp_path / "p")
    assert factcheck("new", "fresh", "--source", "calitoday-unimaginable-burdens", cwd=project).returncode == 0
    text = (project / "claims" / "fresh.yml").read_text(encoding="utf-8")
    assert not CLAIMS.is_valid(editor_view(text)), "the blanks must show as errors in the editor too"
    assert [e.message for e in CLAIMS.iter_errors(editor_view(fill_blanks(text)))] == []
