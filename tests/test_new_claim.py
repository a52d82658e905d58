"""`factcheck new`: a claim file that validates once its blanks are filled, that never
replaces an existing file, and that asks for what is missing only in a terminal."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from conftest import copy_project, factcheck, run
from terminal import run_in_terminal

QUOTE = "kneeling before the portraits of those who did not return"


def fill_blanks(text: str) -> str:
    """What an editor types into the file made by `new`."""
    filled = (text.replace('claim: ""', 'claim: "Kim Jong Un knelt before portraits of the soldiers who died."', 1)
              .replace('claimant: ""', "claimant: CaliToday", 1)
              .replace("verdict:\n", "verdict: true\n", 1)
              .replace('summary: ""', 'summary: "CaliToday describes him kneeling before the portraits."', 1)
              .replace('text: ""', f'text: "{QUOTE}"', 1)
              .replace('author: ""', 'author: "Fact-check desk"', 1))
    assert filled.count(': ""') == 0 and "verdict: true" in filled, filled
    return filled


def test_new_then_validate_passes_once_the_blanks_are_filled(project: Path) -> None:
    result = factcheck("new", "kim-knelt-before-portraits", "--source", "calitoday-unimaginable-burdens",
                       cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "claims" / "kim-knelt-before-portraits.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/claim.schema.json\n")
    assert f"published: {dt.date.today().isoformat()}" in text
    assert "source: calitoday-unimaginable-burdens" in text
    for help_text in ("# who made the claim", "# the ruling in one or two sentences", "[...] marks an omission"):
        assert help_text in text

    blank = factcheck("validate", "claims/kim-knelt-before-portraits.yml", cwd=project)
    assert blank.returncode == 1
    for field in ("'claim' is empty", "'claimant' is empty", "'verdict' is empty", "'summary' is empty",
                  "quote 1: 'text' is empty", "'author' is empty"):
        assert field in blank.stdout, blank.stdout
    assert all(line.startswith("claims/kim-knelt-before-portraits.yml:") for line in blank.stdout.splitlines())

    path.write_text(fill_blanks(text), encoding="utf-8")
    filled = factcheck("validate", cwd=project)
    assert filled.returncode == 0, filled.stdout + filled.stderr
    count = len(list((project / "claims").glob("*.yml")))
    assert f"OK: {count} claims" in filled.stderr


def test_options_fill_the_file_and_are_checked_like_validate_checks_them(project: Path) -> None:
    result = factcheck("new", "deployment-claim", "--claim", 'Kim said: "120 days".', "--claimant", "KCNA",
                       "--verdict", "mostly-false", "--author", "Desk", "--source", "dprk-soldiers-return-home",
                       "--source", "calitoday-unimaginable-burdens", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "claims" / "deployment-claim.yml").read_text(encoding="utf-8")
    assert 'claim: "Kim said: \\"120 days\\"."' in text
    assert "verdict: mostly-false" in text and 'author: "Desk"' in text
    assert text.count("  - source: ") == 2

    for args, message in ((["--verdict", "flase"], "unknown verdict 'flase'; did you mean 'false'?"),
                          (["--source", "calitoday"], "unknown source 'calitoday'"),
                          (["--claim", "x" * 700], "'claim' is 700 characters long; the limit is 600")):
        bad = factcheck("new", "another-claim", *args, cwd=project)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr
        assert not (project / "claims" / "another-claim.yml").exists()


@pytest.mark.parametrize("slug", ["Kim Praised Troops", "kim--praised", "claims/kim.yml", "kim_praised"])
def test_a_bad_name_is_refused_with_a_suggestion(project: Path, slug: str) -> None:
    before = sorted(p.name for p in (project / "claims").iterdir())
    result = factcheck("new", slug, cwd=project)
    assert result.returncode == 2
    assert "is not a valid claim id: use lowercase letters, digits and single hyphens" in result.stderr
    assert "e.g. '" in result.stderr
    assert sorted(p.name for p in (project / "claims").iterdir()) == before


def test_new_never_overwrites_an_existing_claim(project: Path) -> None:
    path = project / "claims" / "deployment-lasted-120-days.yml"
    original = path.read_bytes()
    result = factcheck("new", "deployment-lasted-120-days", "--claimant", "Someone", cwd=project)
    assert result.returncode == 2
    assert "claims/deployment-lasted-120-days.yml already exists, and new never overwrites a file" in result.stderr
    assert path.read_bytes() == original
    assert not [p for p in (project / "claims").iterdir() if p.name.startswith(".")], "a temporary file was left"


def test_in_a_terminal_new_asks_for_what_is_missing(project: Path) -> None:
    status, screen = run_in_terminal(
        [sys.executable, "-m", "factcheck_site", "new", "kim-knelt-before-portraits", "--claimant", "CaliToday"],
        project,
        [("The claim, as made", "Kim knelt before the portraits."),
         ("Verdict (true, mostly-true", "flase"),  # a typo is caught at once, and asked again
         ("did you mean 'false'?", "true"),
         ("Sources to quote", "calitoday-unimaginable-burdens, nope"),
         ("unknown source 'nope'", "calitoday-unimaginable-burdens"),
         ("Who writes this fact-check", "")])  # Enter: fill it in later
    assert status == 0, screen
    assert "Who made the claim" not in screen, "asked for something given on the command line"
    text = (project / "claims" / "kim-knelt-before-portraits.yml").read_text(encoding="utf-8")
    assert 'claim: "Kim knelt before the portraits."' in text
    assert 'claimant: "CaliToday"' in text and "verdict: true" in text
    assert "  - source: calitoday-unimaginable-burdens" in text and 'author: ""' in text
    assert "python -m factcheck_site validate claims/kim-knelt-before-portraits.yml" in screen


def test_in_a_terminal_an_existing_name_is_refused_before_any_question(project: Path) -> None:
    status, screen = run_in_terminal(
        [sys.executable, "-m", "factcheck_site", "new", "deployment-lasted-120-days"], project, [])
    assert status == 2
    assert "already exists" in screen and "The claim, as made" not in screen


def test_without_a_terminal_new_never_waits_for_an_answer(project: Path) -> None:
    result = factcheck("new", "quiet-claim", cwd=project)  # stdin is not a terminal: no questions
    assert result.returncode == 0, result.stderr
    assert "The claim, as made" not in result.stdout + result.stderr
    text = (project / "claims" / "quiet-claim.yml").read_text(encoding="utf-8")
    assert 'claim: ""' in text and "verdict:\n" in text and "  - source:\n" in text


def test_the_schema_line_points_at_the_schema_from_wherever_claims_live(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("claims_dir: claims", "claims_dir: content/claims"),
                      encoding="utf-8")
    (project / "content").mkdir()
    (project / "claims").rename(project / "content" / "claims")
    result = factcheck("new", "nested-claim", cwd=project)
    assert result.returncode == 0, result.stderr
    first = (project / "content" / "claims" / "nested-claim.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/claim.schema.json"


def test_the_next_command_is_shown_as_the_editor_typed_the_first(project: Path) -> None:
    script = Path(sys.executable).parent / "factcheck"
    assert script.is_file(), "the factcheck command is installed with the package"
    typed = os.path.relpath(script, project)
    result = run([typed, "new", "typed-claim"], project)
    assert result.returncode == 0, result.stderr
    assert f"check it with:\n  {typed} validate claims/typed-claim.yml" in result.stderr
    assert f"#   {typed} validate claims/typed-claim.yml\n" in (project / "claims" / "typed-claim.yml").read_text()
    checked = run([typed, "validate"], project)
    assert f"fix them and run {typed} validate again." in checked.stderr
