"""Claimant and tag pages belong to one spelling (issue 24): a name with a symbol or an emoji is another name
with its own page, and cannot retitle the real one's; two spellings of one name are refused
(tests/test_bad_files.py, SPELLINGS)."""

from __future__ import annotations

from pathlib import Path

from building import build
from conftest import CASES, ROOT

MINIMAL = (CASES / "good-claims" / "minimal.yml").read_text(encoding="utf-8")
NAMES = {"ministry": "Russian Ministry of Defense", "clown-1": "Russian Ministry of Defense \U0001f921",
         "clown-2": "Russian Ministry of Defense \U0001f921", "c": "C", "c-sharp": "C#", "c-plus-plus": "C++"}


def test_each_spelling_has_its_own_page_and_title(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    for number, (claim_id, claimant) in enumerate(NAMES.items()):
        text = MINIMAL.replace("claimant: CaliToday", f'claimant: "{claimant}"').replace(
            "for 120 days.", f"for {120 + number} days.", 1)  # one claim each: a claim is checked once
        (claims / f"{claim_id}.yml").write_text(text + f'tags: ["{claimant}"]\n', encoding="utf-8")
    built = build(claims, ROOT / "sources", tmp_path)
    assert built.problems == []
    for folder, title in (("claimants", "Claims by"), ("tags", "Tagged")):
        titles = sorted(text.split('title: "', 1)[1].split('"\n', 1)[0] for src, text in built.pages.items()
                        if src.startswith(f"{folder}/") and src != f"{folder}/index.md")
        assert len(titles) == 5, titles  # one page per spelling: the two claims by the clown share theirs
        if folder == "claimants":
            assert titles == sorted(f"{title} {name}" for name in set(NAMES.values()))
    ministry = built.pages["claimants/russian-ministry-of-defense/index.md"]
    assert 'title: "Claims by Russian Ministry of Defense"' in ministry and "\U0001f921" not in ministry
    assert "1 fact-check of claims" in ministry
