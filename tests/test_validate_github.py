"""`factcheck validate --format github`: one workflow command per problem, so each shows
on the pull request's diff at the right file and line; the default output is unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import CASES, factcheck
from factcheck_site.cli import format_problem
from factcheck_site.content.problems import Problem

ANNOTATION = re.compile(r"^::error file=(?P<file>[^,:]+),line=(?P<line>[1-9]\d*)::(?P<message>.+)$")


def unescape(value: str) -> str:
    """As GitHub reads a workflow command's values."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def test_every_problem_becomes_an_annotation_at_its_file_and_line(project: Path) -> None:
    for name in ("misquote-one-word.yml", "bad-date.yml", "unknown-field.yml"):
        shutil.copy(CASES / "bad-claims" / name, project / "claims" / name)
    shutil.copy(CASES / "bad-sources" / "bad-url.md", project / "sources" / "bad-url.md")
    (project / "claims" / "50%, draft: v2.yaml").write_text("claim: x\n", encoding="utf-8")

    text = factcheck("validate", cwd=project)
    github = factcheck("validate", "--format", "github", cwd=project)
    assert text.returncode == github.returncode == 1
    expected = [re.fullmatch(r"(.*):(\d+): (.*)", line).groups() for line in text.stdout.splitlines()]
    annotations = []
    for line in github.stdout.splitlines():
        match = ANNOTATION.match(line)
        assert match, f"not a valid annotation: {line!r}"
        annotations.append((unescape(match["file"]), match["line"], unescape(match["message"])))
    assert annotations == expected
    assert ("claims/misquote-one-word.yml", "10") in [(f, n) for f, n, _ in annotations]
    assert ("sources/bad-url.md", "5") in [(f, n) for f, n, _ in annotations]
    assert "::error file=claims/50%25%2C draft%3A v2.yaml,line=1::only *.yml files are read here" in github.stdout
    assert "problems found" in github.stderr


def test_a_clean_site_prints_no_annotation(project: Path) -> None:
    result = factcheck("validate", "--format", "github", cwd=project)
    assert result.returncode == 0 and result.stdout == ""


def test_messages_are_escaped_so_one_problem_stays_one_annotation() -> None:
    line = format_problem(Problem("claims/a.yml", 3, "100% wrong\nsecond line\r"), "github")
    assert line == "::error file=claims/a.yml,line=3::100%25 wrong%0Asecond line%0D"
    assert format_problem(Problem("claims/a.yml", 3, "plain"), "text") == "claims/a.yml:3: plain"
