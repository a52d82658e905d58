"""Every bad file in tests/cases/bad-*/ gets its expected `path:line: message`.

A case is a file plus `<file>.expected`: one line per expected problem, either
`LINE: text` (the report must contain `path:LINE: text...`) or just a fragment
that must appear somewhere in the report. A new case is a new pair of files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CASES, copy_project

from generator.cli import main

CASE_FILES = sorted(p for folder in ("bad-claims", "bad-sources") for p in (CASES / folder).iterdir()
                    if not p.name.endswith(".expected"))


def _validate(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.chdir(project)
    code = main(["validate"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bad_file_is_reported(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    folder = "claims" if case.parent.name == "bad-claims" else "sources"
    shutil.copy(case, project / folder / case.name)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))

    code, report = _validate(project, monkeypatch, capsys)

    assert code == 1, report
    assert "Traceback" not in report
    shown = f"{folder}/{case.name}"
    for expected in Path(f"{case}.expected").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d+): (.*)$", expected)
        if match:
            assert f"{shown}:{match.group(1)}: {match.group(2)}" in report, report
        else:
            assert expected in report, report
    for line in report.splitlines()[:-1]:
        assert line.startswith(f"{shown}:"), f"every problem names the bad file: {line}"
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before, "validate wrote a file"


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    for name in ("unknown-field.yml", "misquote-one-word.yml", "bad-date.yml"):
        shutil.copy(CASES / "bad-claims" / name, project / "claims" / name)
    shutil.copy(CASES / "bad-sources" / "missing-publisher.md", project / "sources" / "missing-publisher.md")
    code, report = _validate(project, monkeypatch, capsys)
    assert code == 1
    for name in ("claims/unknown-field.yml:5:", "claims/misquote-one-word.yml:10:", "claims/bad-date.yml:14:",
                 "sources/missing-publisher.md:"):
        assert name in report
    assert "5 problems found" in report
