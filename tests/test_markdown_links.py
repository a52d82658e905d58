"""The repository's own Markdown is whole: every relative link and `#anchor` in it leads somewhere, the
anchors by GitHub's rules for heading slugs (how readers of the repository follow them), and README.md
names every `factcheck` command (as the command-line parser has them) and every option of the plugin (as
config.py's classes define them). A section cut from the README fails, the links to it first.

The site's own pages (docs/, and the desk template's) are MkDocs pages: their links are to pages the plugin
generates, and `mkdocs build --strict` checks them (tests/test_site_build.py)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from urllib.parse import unquote

import pytest
from conftest import ROOT
from factcheck_site.cli import COMMANDS
from factcheck_site.plugin_options import FactcheckConfig, OrganizationConfig

# Markdown that is not the repository's prose: the site's pages, source articles, test inputs and expected pages.
NOT_CHECKED = re.compile(r"^(docs/|sources/|tests/(cases|goldens)/"
                         r"|generator/factcheck_site/desk_template/(languages/[^/]+/)?(docs|sources)/)")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_ANCHOR = re.compile(r"<a\s[^>]*\b(?:id|name)=\"([^\"]+)\"", re.IGNORECASE)


def markdown_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True)
    return sorted(name for name in listed.stdout.splitlines() if not NOT_CHECKED.match(name))


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced and indented code blocks, code spans blanked out."""
    lines, fenced, previous_blank = [], False, True
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and not (previous_blank and line.startswith("    ")):
            lines.append((number, CODE_SPAN.sub("code", line)))
        previous_blank = not line.strip() or (previous_blank and line.startswith("    "))
    return lines


def github_slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text as shown (links as their words, no code or emphasis marks),
    lower case, every character but letters, digits, spaces, hyphens and underscores dropped, spaces as
    hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "")
    kept = "".join(c for c in text.strip().lower()
                   if c in " -_" or unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Mn")
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading's slug (a repeated one numbered -1, -2, ... as GitHub does) and every HTML anchor."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    for _, line in prose_lines(text):
        heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            slug = github_slug(heading.group(1))
            found.add(slug if slug not in counts else f"{slug}-{counts[slug]}")
            counts[slug] = counts.get(slug, 0) + 1
        found.update(HTML_ANCHOR.findall(line))
    return found


def broken_links(name: str, text: str | None = None) -> list[str]:
    """name:line: link for each that leads nowhere, in the file or in text given as its content."""
    path = ROOT / name
    text = path.read_text(encoding="utf-8") if text is None else text
    problems = []
    for number, line in prose_lines(text):
        for target in INLINE_LINK.findall(line) + REFERENCE.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                continue  # an address (https:, mailto:), not a file of the repository
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / unquote(file_part)).resolve() if file_part else path
            if not linked.exists() or not linked.is_relative_to(ROOT):
                problems.append(f"{name}:{number}: {target}: no such file")
            elif anchor and linked.suffix == ".md" and unquote(anchor) not in anchors(
                    text if linked == path else linked.read_text(encoding="utf-8")):
                problems.append(f"{name}:{number}: {target}: no such heading in {linked.relative_to(ROOT)}")
    return problems


@pytest.mark.parametrize("name", markdown_files())
def test_every_relative_link_and_anchor_resolves(name: str) -> None:
    assert broken_links(name) == []


def test_the_markdown_checked_includes_every_guide() -> None:
    names = set(markdown_files())
    assert {"README.md", "CONTRIBUTING.md", "ARCHITECTURE.md", "CHANGELOG.md", "benchmarks/README.md",
            "tests/validators/README.md", "generator/factcheck_site/desk_template/README.md"} <= names


def test_the_readme_names_every_command_and_every_plugin_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f"factcheck {command.name}" for command in COMMANDS if f"`factcheck {command.name}" not in readme]
    missing += [f"`{key}`" for key in (key for key, _ in FactcheckConfig._schema) if f"`{key}`" not in readme]
    missing += [f"`organization.{key}`" for key in (key for key, _ in OrganizationConfig._schema)
                if f"`organization.{key}`" not in readme]
    assert missing == []


@pytest.mark.parametrize("heading", ["### Publishing without the plugin", "## Supported builders"])
def test_a_cut_section_fails(heading: str) -> None:
    """Take a section out of the README, as a careless edit would: the links to it no longer resolve."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(heading + "\n")
    end = readme.index("\n## ", start + 1)
    slug = github_slug(heading.lstrip("# "))
    assert [p for p in broken_links("README.md", readme[:start] + readme[end:]) if f"#{slug}: no such heading" in p]
