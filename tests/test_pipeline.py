"""build_site (every core, reuse between rebuilds) gives exactly what load_site and
render_site give, and never reuses a claim whose file or sources changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CASES, ROOT, copy_project

from generator import pipeline
from generator.load import load_site
from generator.pages import render_site
from generator.pipeline import build_site
from generator.verdicts import DEFAULT_SCALE


def _build(project: Path, processes: int = 1) -> tuple:
    site, pages, problems = build_site(project / "claims", project / "sources", DEFAULT_SCALE, project,
                                       processes=processes)
    return site, pages, sorted(problems)


def _reference(project: Path) -> tuple:
    site, problems = load_site(project / "claims", project / "sources", DEFAULT_SCALE, project)
    return site, render_site(site), sorted(problems)


def test_same_site_pages_and_order_as_load_and_render() -> None:
    site, pages, problems = _build(ROOT)
    expected_site, expected_pages, expected_problems = _reference(ROOT)
    assert problems == expected_problems == []
    assert list(site.claims) == list(expected_site.claims)
    assert pages == expected_pages


def test_several_processes_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p")
    shutil.copy(CASES / "bad-claims" / "misquote-one-word.yml", project / "claims" / "misquote-one-word.yml")
    monkeypatch.setattr(pipeline, "MIN_ITEMS_PER_PROCESS", 1)  # split even a small site
    site, pages, problems = _build(project, processes=2)
    expected_site, _, expected_problems = _reference(project)
    assert problems == expected_problems and problems  # the bad claim is reported from its process
    assert list(site.claims) == list(expected_site.claims)
    expected_pages = render_site(expected_site)
    assert pages == expected_pages


def test_a_rebuild_sees_every_change(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    claim_file = project / "claims" / "deployment-lasted-120-days.yml"
    site, _, problems = _build(project)
    assert problems == [] and "120-day figure" in site.claims["deployment-lasted-120-days"].summary

    claim_file.write_text(claim_file.read_text().replace("Only CaliToday gives", "Edited: only CaliToday gives"))
    site, pages, _ = _build(project)
    assert site.claims["deployment-lasted-120-days"].summary.startswith("Edited:")
    assert "Edited:" in pages["claims/deployment-lasted-120-days.md"]

    # The claim file is unchanged, but the source it quotes no longer has the passage.
    source = project / "sources" / "calitoday-unimaginable-burdens.md"
    original = source.read_text()
    source.write_text(original.replace("grueling 120-day deployment", "grueling deployment"))
    site, _, problems = _build(project)
    assert "deployment-lasted-120-days" not in site.claims
    assert any(p.path == "claims/deployment-lasted-120-days.yml" and "not in source" in p.message for p in problems)

    source.write_text(original)
    claim_file.unlink()
    site, pages, problems = _build(project)
    assert problems == [] and "deployment-lasted-120-days" not in site.claims
    assert "claims/deployment-lasted-120-days.md" not in pages
