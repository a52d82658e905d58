"""The benchmark runs end to end on a tiny archive and writes its table and plot.

Timings on a tiny archive mean nothing, so nothing here asserts one; this proves
that `./dev bench` works: corpus, core, both builds, a real browser's search and
mkdocs serve, then the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT

from benchmarks.project import make_project
from benchmarks.run import _build


def test_benchmark_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "20", "--runs", "1", "--serve-claims", "20",
         "--serve-edits", "1", "--preview-claims", "20", "--lighthouse-runs", "0", "--out", str(out),
         "--work", str(tmp_path / "work")],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]

    table = (out / "results.md").read_text(encoding="utf-8")
    assert "## Targets" in table and "## Builds" in table and "## Search" in table and "## Preview" in table
    assert "| 20 | 10 |" in table  # the row for 20 claims and their 10 sources
    assert "## The first preview" in table and "\n| 20 | " in table.split("## The first preview")[1]
    assert (out / "results.png").stat().st_size > 10_000

    measured = json.loads((out / "results.json").read_text(encoding="utf-8"))["sizes"]["20"]
    assert measured["core"]["claims"] == 20 and measured["core"]["problems"] == 0  # the corpus validates
    assert measured["build"]["claim_pages"] == 20
    assert measured["search"]["ours"]["found"] and measured["search"]["first_is_the_claim"]


def test_benchmark_builds_are_strict(tmp_path: Path) -> None:
    """The benchmark's builds fail on a warning, as `./dev build` does: a broken link in a page of its corpus stops
    them (`mkdocs build --strict -q` would pass it: in MkDocs 1.6, -q turns strict mode off, mkdocs#4126)."""
    project = tmp_path / "project"
    make_project(project, 5, seed=1)  # which builds clean: test_benchmark_writes_its_table builds a corpus strictly
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[A page that is not there](not-there.md)\n",
                     encoding="utf-8")
    with pytest.raises(RuntimeError, match="not-there.md"):
        _build(project, tmp_path / "site", runs=1)
