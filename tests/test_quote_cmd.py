"""`factcheck quote`: exact passages are found (typography forgiven), near misses show the
closest passages with their similarity and wording that then validates."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import ROOT, factcheck

SOURCE = "dprk-soldiers-return-home"


def test_an_exact_passage_is_found_with_its_line(project: Path) -> None:
    # Straight quotes and a hyphen where the source has curly quotes and em dashes.
    quote = "'All-from the commander to the soldier-almost every day endured unimaginable spiritual"
    result = factcheck("quote", SOURCE, quote, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(n for n, text in enumerate((ROOT / "sources" / f"{SOURCE}.md").read_text(encoding="utf-8")
                                           .splitlines(), 1) if "All—from the commander" in text)
    assert f"Found in {SOURCE} (sources/{SOURCE}.md, line {line})" in result.stdout
    assert f"  - source: {SOURCE}\n" in result.stdout


def test_a_quote_with_an_omission_is_found(project: Path) -> None:
    result = factcheck("quote", f"sources/{SOURCE}.md",
                       "the regiment had been formed in May [...] completing the mission in just three months",
                       cwd=project)
    assert result.returncode == 0 and "Found in" in result.stdout


def test_a_near_miss_shows_the_closest_passage_and_the_wording_to_paste(project: Path) -> None:
    result = factcheck("quote", SOURCE, "completing the mission in just four months", cwd=project)
    assert result.returncode == 1
    out = result.stdout
    assert f"Not found in {SOURCE}" in out
    best = re.search(r"1\. (\d+)% similar, line (\d+):", out)
    assert best and 80 <= int(best.group(1)) < 100, out
    assert 'you wrote "four", the source has "three"' in out
    pasted = re.search(r'^     (text: ".*")$', out, re.MULTILINE)
    assert pasted, out
    wording = yaml.safe_load(pasted.group(1))["text"]
    assert "just three months" in wording

    again = factcheck("quote", SOURCE, wording, cwd=project)  # the offered wording is found
    assert again.returncode == 0 and "Found in" in again.stdout


def test_a_wrong_case_is_not_a_match(project: Path) -> None:
    result = factcheck("quote", SOURCE, "Completing the mission in just three months", cwd=project)
    assert result.returncode == 1
    assert 'you wrote "Completing", the source has "completing"' in result.stdout


def test_an_unknown_source_is_explained(project: Path) -> None:
    result = factcheck("quote", "dprk-soldiers-return", "anything", cwd=project)
    assert result.returncode == 2
    assert "no source 'dprk-soldiers-return' (looked for sources/dprk-soldiers-return.md)" in result.stderr
    assert "did you mean 'dprk-soldiers-return-home'?" in result.stderr


def test_a_source_with_problems_is_not_quoted_from(project: Path) -> None:
    path = project / "sources" / f"{SOURCE}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("language:", "langauge:"), encoding="utf-8")
    result = factcheck("quote", SOURCE, "three months", cwd=project)
    assert result.returncode == 2
    assert f"sources/{SOURCE}.md:3: unknown field 'langauge'" in result.stderr
    assert "Traceback" not in result.stderr
