"""The `factcheck` command as editors and CI run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASES, ENV, ROOT, factcheck, factcheck_process, mkdocs_build


def test_validate_passes_on_the_repository() -> None:
    result = factcheck_process("validate", cwd=ROOT)  # the command itself, in a process of its own
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "every quote found" in result.stderr


def test_validate_exit_codes_and_path_filter(project: Path) -> None:
    shutil.copy(CASES / "bad-claims" / "unknown-verdict.yml", project / "claims" / "unknown-verdict.yml")
    everything = factcheck("validate", cwd=project)
    assert everything.returncode == 1
    assert "claims/unknown-verdict.yml:4: unknown verdict 'flase'" in everything.stdout
    good_only = factcheck("validate", "claims/deployment-lasted-120-days.yml", cwd=project)
    assert good_only.returncode == 0, good_only.stdout
    bad_only = factcheck("validate", "claims/unknown-verdict.yml", cwd=project)
    assert bad_only.returncode == 1 and bad_only.stdout == everything.stdout


def test_usage_errors_exit_2(project: Path, tmp_path: Path) -> None:
    assert factcheck("validate", "claims/no-such-file.yml", cwd=project).returncode == 2
    assert factcheck("validate", cwd=tmp_path).returncode == 2  # no mkdocs.yml here
    assert factcheck("frobnicate", cwd=project).returncode == 2
    missing_out = factcheck("render", cwd=project)
    assert missing_out.returncode == 2 and "--out" in missing_out.stderr
    for result in (factcheck("validate", "nope", cwd=project), factcheck("validate", cwd=tmp_path)):
        assert "Traceback" not in result.stderr and result.stderr.startswith("factcheck: ")


def test_help_shows_examples(project: Path) -> None:
    for command in ("validate", "render"):
        result = factcheck(command, "--help", cwd=project)
        assert result.returncode == 0 and "example" in result.stdout


def test_mkdocs_build_fails_with_the_same_messages(project: Path, tmp_path: Path) -> None:
    for name in ("misquote-one-word.yml", "unknown-field.yml"):
        shutil.copy(CASES / "bad-claims" / name, project / "claims" / name)
    validate = factcheck("validate", cwd=project)
    build = mkdocs_build(project, tmp_path / "out")
    assert validate.returncode == 1 and build.returncode != 0
    for line in validate.stdout.splitlines():
        assert line in build.stderr
    assert "Traceback" not in build.stderr


def test_render_writes_pages_and_keeps_other_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = factcheck("render", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    page = (out / "claims" / "deployment-lasted-120-days.md").read_text(encoding="utf-8")
    assert "Only CaliToday gives the 120-day figure" in page
    assert (out / "sources" / "calitoday-unimaginable-burdens.md").is_file()
    assert (out / "index.md").is_file()

    withdrawn = project / "claims" / "a-claim-soon-withdrawn.yml"  # linked from no other claim
    withdrawn.write_text((project / "claims" / "deployment-lasted-120-days.yml").read_text(encoding="utf-8")
                         .replace("lasted 120 days", "lasted 121 days", 1), encoding="utf-8")  # a claim of its own
    assert factcheck("render", "--out", str(out), cwd=project).returncode == 0
    assert (out / "claims" / "a-claim-soon-withdrawn.md").is_file()
    withdrawn.unlink()
    assert factcheck("render", "--out", str(out), cwd=project).returncode == 0
    assert not (out / "claims" / "a-claim-soon-withdrawn.md").exists(), "a page it wrote went stale"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine", "it deleted a file it did not write"


def test_render_writes_nothing_when_content_is_invalid(project: Path, tmp_path: Path) -> None:
    shutil.copy(CASES / "bad-claims" / "unknown-verdict.yml", project / "claims" / "unknown-verdict.yml")
    out = tmp_path / "pages"
    result = factcheck("render", "--out", str(out), cwd=project)
    assert result.returncode == 1 and "unknown verdict" in result.stdout
    assert not out.exists()


@pytest.mark.parametrize("command, broken", [
    (("quote", "calitoday-unimaginable-burdens", "grueling 120-day deployment"), "stdout"),
    (("validate",), "stdout"),  # a problem on each line
    (("render", "--out", "pages"), "stdout"),
    (("validate",), "both"),  # `factcheck validate 2>&1 | head`, which passes: its report goes to stderr
], ids=["quote", "validate", "render", "stderr-too"])
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(project: Path, command: tuple[str, ...],
                                                               broken: str) -> None:
    """`factcheck quote … | head`: head exits after its lines, and the command stops as `yes | head`'s yes does
    (exit status 141, 128 + SIGPIPE), without a traceback."""
    if broken == "stdout":
        shutil.copy(CASES / "bad-claims" / "unknown-verdict.yml", project / "claims" / "unknown-verdict.yml")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the command writes its first byte
    try:
        result = subprocess.run([sys.executable, "-m", "factcheck_site", *command], cwd=project, env=ENV,
                                stdin=subprocess.DEVNULL, stdout=writer,
                                stderr=writer if broken == "both" else subprocess.PIPE, text=True, timeout=600)
    finally:
        os.close(writer)
    assert result.returncode == 141, result.stderr
    assert result.stderr in ("", None), "nothing on stderr: no traceback, no complaint at exit"


def test_the_parser_imports_no_editor_tool() -> None:
    """Every command makes the whole parser: `factcheck validate`, run on each commit by the pre-commit hook, does
    not wait for `init`'s, `new`'s or `add-source`'s modules (init's --help lists the template's languages itself)."""
    code = ("import sys; from factcheck_site.cli import build_parser; build_parser().parse_args(['validate']); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('factcheck_site.editor.'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True)
    loaded = set(result.stdout.split())
    assert not loaded & {f"factcheck_site.editor.{name}" for name in
                         ("new_site", "new_claim", "add_source", "article_text", "quote_lookup", "link_check")}, loaded


def test_validate_imports_no_renderer() -> None:
    """`factcheck validate` (CI on each pull request, the pre-commit hook on each commit) renders no page, so it does
    not wait for the renderers, feeds or site export to be imported (the claims' cache, which packs pages, is small).
    The repository's own analyses link sources, so markdown-it is imported here, where a text needs parsing."""
    code = ("import sys; from factcheck_site.cli import main; status = main(['validate']); "
            "print(status, ' '.join(sorted(m for m in sys.modules if m.startswith('factcheck_site.'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    status, *loaded = result.stdout.split()
    assert status == "0", result.stderr
    assert not set(loaded) & {"factcheck_site.render.site_pages", "factcheck_site.render.claim_page",
                              "factcheck_site.render.listings", "factcheck_site.output.feeds",
                              "factcheck_site.output.site_export", "factcheck_site.editor.json_schema"}, loaded


def test_validate_imports_neither_mkdocs_nor_jinja() -> None:
    """`factcheck validate` builds no site: with the repository's settings (an organization, its colour, a footer, a
    dispatch) it reads the `factcheck` entry without MkDocs' options, and loads no cache and no template engine
    (together a fifth of its start-up). An unusual entry is still validated through MkDocs' classes (test_config.py)."""
    code = ("import sys; from factcheck_site.cli import main; status = main(['validate']); "
            "print(status, ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'jinja2', "
            "'markdown', 'pathspec') or m.startswith('factcheck_site.output.'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    status, *loaded = result.stdout.split()
    assert status == "0", result.stderr
    assert loaded == [], loaded
