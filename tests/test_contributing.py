"""CONTRIBUTING.md tells editors the truth: its worked example validates and builds, the
outputs it shows are what the commands print, and every error message it explains is one
the tools really give."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import load
from conftest import CASES, ROOT, copy_project, factcheck, mkdocs_build
from factcheck_site.cli import build_parser
from factcheck_site.content.format_check import build_date
from factcheck_site.content.git_dates import ImpossibleDate
from factcheck_site.content.symlinks import links_leaving

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"<!-- worked-example: (\S+) .*?-->\n```yaml\n(.*?)```", GUIDE, re.DOTALL)
assert EXAMPLE, "CONTRIBUTING.md lost its worked example"
EXAMPLE_PATH, EXAMPLE_TEXT = EXAMPLE.group(1), EXAMPLE.group(2)
BLOCKS = re.findall(r"```(?:console|text)\n(.*?)```", GUIDE, re.DOTALL)


def _as_editors_run_it(output: str) -> list[str]:
    """Tool output as the guide shows it: the tests run `python -m factcheck_site`, editors `.venv/bin/factcheck`."""
    return output.replace("python -m factcheck_site", ".venv/bin/factcheck").rstrip("\n").split("\n")


def _block_with(needle: str) -> list[str]:
    found = [b for b in BLOCKS if needle in b]
    assert len(found) == 1, needle
    return found[0].rstrip("\n").split("\n")


def _output_after(command_start: str) -> tuple[list[str], list[str]]:
    """The documented command (as arguments) and the lines it is shown to print."""
    import shlex

    lines = _block_with(command_start)
    first = next(i for i, line in enumerate(lines) if line.startswith(command_start))
    args = shlex.split(lines[first].removeprefix("$ .venv/bin/factcheck "))
    output = []
    for line in lines[first + 1:]:
        if line.startswith("$ "):
            break
        output.append(line)
    return args, output


def test_the_worked_example_validates_and_becomes_a_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / EXAMPLE_PATH).write_text(EXAMPLE_TEXT, encoding="utf-8")
    result = factcheck("validate", EXAMPLE_PATH, cwd=project)
    assert result.returncode == 0, result.stdout
    assert result.stderr.strip() == _block_with("every quote found.")[0]

    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    slug = Path(EXAMPLE_PATH).stem
    assert f"/claims/{slug}/" in GUIDE
    page = BeautifulSoup((tmp_path / "site" / "claims" / slug / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    text = page.get_text(" ")
    assert "knelt before the portraits of soldiers who died in Russia" in text
    assert "kneeling before the portraits of those who did not return" in text


def test_the_mistakes_shown_give_the_messages_shown(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    mistaken = EXAMPLE_TEXT.replace("verdict: unverified", "verdict: unverifed").replace("published:", "publshed:")
    (project / EXAMPLE_PATH).write_text(mistaken, encoding="utf-8")
    result = factcheck("validate", EXAMPLE_PATH, cwd=project)
    assert result.returncode == 1
    assert _as_editors_run_it(result.stdout + result.stderr) == _block_with("unknown verdict 'unverifed'")


@pytest.mark.parametrize("quote", ["did not return\"", "didn't return\""])
def test_the_quote_examples_print_what_the_guide_shows(project: Path, quote: str) -> None:
    args, shown = _output_after(f"$ .venv/bin/factcheck quote calitoday-unimaginable-burdens \"kneeling before "
                                f"the portraits of those who {quote}")
    result = factcheck(*args, cwd=project)
    printed = _as_editors_run_it(result.stdout)
    assert printed[: len(shown)] == shown  # the guide may stop before the last, weaker passages


def test_the_add_source_example_prints_what_the_guide_shows(project: Path, tmp_path: Path) -> None:
    args, shown = _output_after("$ .venv/bin/factcheck add-source ~/Downloads/")
    saved = tmp_path / Path(args[1]).name
    shutil.copy(CASES / "saved-pages" / "news-page.html", saved)
    result = factcheck(args[0], str(saved), *args[2:], cwd=project)
    assert result.returncode == 0, result.stderr
    assert _as_editors_run_it(result.stderr) == shown


def test_every_command_in_the_guide_exists() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    used = set(re.findall(r"\.venv/bin/factcheck ([a-z-]+)", GUIDE))
    assert {"new", "add-source", "quote", "validate"} <= used
    assert used - {"--help"} <= set(commands)


def _messages_the_tools_give(tmp_path: Path) -> str:
    """Every message from the bad-file corpus, plus what new and add-source say when refusing."""
    found = []
    for folder, target in (("bad-claims", "claims"), ("bad-sources", "sources")):
        for case in sorted((CASES / folder).iterdir()):
            if case.name.endswith(".expected"):
                continue
            work = tmp_path / case.name
            (work / "claims").mkdir(parents=True)
            shutil.copytree(ROOT / "sources", work / "sources")
            shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")  # the dispatches the sources may reproduce
            shutil.copy(case, work / target / case.name)
            _, problems = load(work / "claims", work / "sources", work)
            found += [p.message for p in problems]
    backup = tmp_path / "backup"  # cases of two files: a backup beside the claim it copies, a claim checked twice
    (backup / "claims").mkdir(parents=True)
    minimal = (CASES / "good-claims" / "minimal.yml").read_text(encoding="utf-8")
    for name, text in (("minimal.yml", minimal), ("minimal.yml.bak", minimal),
                       ("copied.yml", minimal.replace("published: 2026-11-20", "published: 2026-11-21"))):
        (backup / "claims" / name).write_text(text, encoding="utf-8")
    found += [p.message for p in load(backup / "claims", ROOT / "sources", backup)[1]]
    docs = tmp_path / "links" / "docs"
    docs.mkdir(parents=True)
    (docs / "passwd.txt").symlink_to("../../etc/passwd")
    found += [p.message for p in links_leaving(docs, docs.parent)]
    found.append(ImpossibleDate("1a2b3c4" + "0" * 33, "253402214400").message(build_date()))
    project = copy_project(tmp_path / "commands")
    not_utf8, empty = tmp_path / "latin1.txt", tmp_path / "empty.txt"
    not_utf8.write_bytes(b"caf\xe9")
    empty.write_text("\n", encoding="utf-8")
    page = str(CASES / "saved-pages" / "news-page.html")
    for args in (["new", "deployment-lasted-120-days"], ["new", "Bad Name"], ["add-source", page],
                 ["add-source", page, "--title", "T", "--publisher", "P", "--id", "dprk-soldiers-return-home"],
                 ["add-source", str(not_utf8), "--title", "T", "--publisher", "P"],
                 ["add-source", str(empty), "--title", "T", "--publisher", "P"]):
        result = factcheck(*args, cwd=project)
        assert result.returncode == 2
        found.append(result.stderr)
    return "\n".join(found)


def test_every_error_message_explained_is_one_the_tools_give(tmp_path: Path) -> None:
    section = GUIDE[GUIDE.index("## What the error messages mean"):]
    explained = re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)
    assert len(explained) >= 40
    given = _messages_the_tools_give(tmp_path)
    missing = [message for message in explained if message not in given]
    assert missing == [], "CONTRIBUTING.md explains messages the tools do not give (any more)"
