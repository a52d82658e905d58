"""A one-claim desk in one language, made from a file of tests/cases/language-sites (its README.md says what each
field is): the claim, its source and the site's name in that language, everything else the generator's."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CASES, built_once, mkdocs_build

LANGUAGE_SITES = CASES / "language-sites"
CLAIM, SOURCE = "deployment-lasted-120-days", "test-article-sappers-home"


def language_cases() -> dict[str, dict]:
    """{language: its case}, one per file."""
    cases = {}
    for path in sorted(LANGUAGE_SITES.glob("*.yml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert case["language"] == path.stem, f"{path.name}: name the file after its language"
        cases[path.stem] = case
    return cases


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_desk(case: dict, project: Path) -> Path:
    """The desk's project folder, written."""
    (project / "docs").mkdir(parents=True)
    (project / "claims").mkdir()
    (project / "sources").mkdir()
    name = case["site_name"]
    (project / "mkdocs.yml").write_text(
        f"# A desk in {case['language']}, written for the tests (tests/cases/language-sites/README.md).\n"
        f"site_name: {_quoted(name)}\nsite_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\nrepo_url: !ENV REPO_URL\n"
        f"theme:\n  name: material\n  font: false\n  language: {case['language']}\n"
        "plugins:\n  - search\n  - factcheck:\n      organization:\n"
        f"        name: {_quoted(name)}\n"
        "nav:\n  - index.md\n  - archive/index.md\n  - verdicts/index.md\n  - who-said-what/index.md\n"
        "  - sources/index.md\n"
        "validation:\n  omitted_files: warn\n  absolute_links: warn\n  unrecognized_links: warn\n",
        encoding="utf-8")
    (project / "docs" / "index.md").write_text(f"# {name}\n\n{case['claim']}\n", encoding="utf-8")
    source = case["source"]
    (project / "sources" / f"{SOURCE}.md").write_text(
        f"---\ntitle: {_quoted(source['title'])}\npublisher: {_quoted(source['publisher'])}\n"
        f"published: 2025-12-13\nlanguage: {case['language']}\n---\n{source['title']}\n\n{source['text']}",
        encoding="utf-8")
    (project / "claims" / f"{CLAIM}.yml").write_text(
        f"# Written for the tests: an invented claim about an invented article.\nclaim: {_quoted(case['claim'])}\n"
        f"claimant: {_quoted(case['claimant'])}\nverdict: unverified\nsummary: {_quoted(case['claim'])}\n"
        f"quotes:\n  - source: {SOURCE}\n    text: {_quoted(case['quote'])}\n    stance: supports\n"
        f"author: {_quoted(name)}\npublished: 2026-12-06\n", encoding="utf-8")
    if case.get("catalogue"):
        folder = project / "locales" / case["language"] / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "factcheck.po").write_text("".join(f"msgid {_quoted(english)}\nmsgstr {_quoted(translated)}\n\n"
                                                     for english, translated in case["catalogue"].items()),
                                             encoding="utf-8")
    return project


def built_desk(tmp_path_factory: pytest.TempPathFactory, code: str) -> Path:
    """The folder of the case's desk built strict once per run (its site/, and log.txt: what the build said), shared
    by every test that reads it."""
    def build(folder: Path) -> None:
        write_desk(language_cases()[code], folder / "project")
        result = mkdocs_build(folder / "project", folder / "site")
        assert result.returncode == 0, result.stderr
        (folder / "log.txt").write_text(result.stderr, encoding="utf-8")

    return built_once(tmp_path_factory, f"language-{code}", build)
