"""Each file in tests/cases/good-claims/ is valid and renders: the passing side of every format rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from building import build, load
from conftest import CASES, ROOT

GOOD = sorted((CASES / "good-claims").glob("*.yml"))


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_good_claim_validates_and_renders(case: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(case, claims / case.name)
    built = build(claims, ROOT / "sources", tmp_path)
    assert built.problems == []
    claim = built.site.claims[case.stem]
    page = built.pages[f"claims/{case.stem}.md"]
    assert claim.summary in page.replace("&#x27;", "'")
    assert all(q.spans for q in claim.quotes)


def test_unquoted_true_and_false_are_verdicts(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    for name in ("verdict-unquoted-true.yml", "verdict-unquoted-false.yml"):
        shutil.copy(CASES / "good-claims" / name, claims / name)
    site, problems = load(claims, ROOT / "sources", tmp_path)
    assert problems == []
    assert site.claims["verdict-unquoted-true"].verdict == "true"
    assert site.claims["verdict-unquoted-false"].verdict == "false"


def test_stance_defaults_to_context(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(CASES / "good-claims" / "stance-default.yml", claims / "stance-default.yml")
    site, _ = load(claims, ROOT / "sources", tmp_path)
    assert [q.stance for q in site.claims["stance-default"].quotes] == ["supports", "context"]


def test_custom_verdict_scale_replaces_the_default(tmp_path: Path) -> None:
    from factcheck_site.content.verdict_scale import parse_scale

    scale, problems = parse_scale([{"id": "pants-on-fire", "label": "Pants on fire", "meaning": "Ridiculous.",
                                    "rank": 1}, {"id": "correct", "label": "Correct", "meaning": "Right.",
                                                 "rank": 2}])
    assert problems == []
    claims = tmp_path / "claims"
    claims.mkdir()
    text = (CASES / "good-claims" / "minimal.yml").read_text().replace("verdict: unverified", "verdict: correct")
    (claims / "x.yml").write_text(text)
    site, problems = load(claims, ROOT / "sources", tmp_path, scale)
    assert problems == [] and site.claims["x"].verdict == "correct"
    (claims / "x.yml").write_text(text.replace("verdict: correct", "verdict: mostly-true"))
    _, problems = load(claims, ROOT / "sources", tmp_path, scale)
    assert "unknown verdict 'mostly-true'" in str(problems[0])
