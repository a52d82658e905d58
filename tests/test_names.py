"""Claimant and tag pages belong to one spelling (issue 24): a name with a symbol or an emoji is another name
with its own page, and cannot retitle the real one's; two spellings of one name are refused
(tests/test_bad_files.py, SPELLINGS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from building import build
from conftest import CASES, ROOT
from factcheck_site.content.model import Claim
from factcheck_site.content.names import name_clashes

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


# Each step is the whole archive (claim id: claimant; published in id order) and the claims refused, as a clean
# check finds them: the checks of one session (`mkdocs serve`) count again only the claims changed or gone.
SPELLING_STEPS = [
    ({"a": "Kim Jong Un", "b": "CaliToday"}, set()),
    ({"a": "Kim Jong Un", "b": "Kim Jong-un"}, {"b"}),  # the same words, spelled another way: the later claim
    ({"a": "Kim Jong Un", "b": "CaliToday"}, set()),
    ({"b": "Kim Jong-un"}, set()),  # the first spelling deleted: the other is the only one
    ({"b": "Kim Jong-un", "c": "Kim Jong Un"}, {"c"}),  # a new claim spelling it the old way
    ({"b": "Kim Jong-un", "c": "K\u0456m Jong-un"}, {"c"}),  # a Cyrillic i: looks the same
    ({"c": "K\u0456m Jong-un", "d": "CaliToday"}, set()),
    ({"a": "Kim Jong-un", "c": "K\u0456m Jong-un", "d": "CaliToday"}, {"c"}),
]


def test_spellings_checked_save_after_save_are_refused_and_freed_as_a_clean_check_finds() -> None:
    minimal = Claim("x", "claims/x.yml", "A claim.", "x", "false", "Why.", (), "An editor", dt.date(2026, 1, 1))
    kept: dict[str, Claim] = {}
    for archive, refused in SPELLING_STEPS:
        claims = []
        for claim_id, claimant in sorted(archive.items()):
            claim = kept.get(claim_id)
            if claim is None or claim.claimant != claimant:  # a file saved: a new Claim; the others are the same
                claim = replace(minimal, id=claim_id, path=f"claims/{claim_id}.yml", claimant=claimant,
                                published=dt.date(2026, 1, 1 + ord(claim_id) - ord("a")))
            claims.append(claim)
        kept = {claim.id: claim for claim in claims}
        problems, found = name_clashes(reversed(claims))
        assert found == refused, archive
        assert len(problems) == len(refused)
