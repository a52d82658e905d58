"""Every command explains itself: `--help` shows what it does and at least one example."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, factcheck
from factcheck_site.cli import build_parser

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_the_editor_commands_exist() -> None:
    assert {"validate", "render", "new", "add-source", "quote", "schemas"} <= set(COMMANDS)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_an_example(command: str | None, tmp_path: Path) -> None:
    result = factcheck(*([command] if command else []), "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = result.stdout
    assert "example" in text
    shown = [line.strip() for line in text.splitlines() if line.strip().startswith("factcheck ")]
    assert shown, "no example command line"
    if command:
        assert any(line.startswith(f"factcheck {command}") for line in shown)
    assert max(len(line) for line in text.splitlines()) <= 120, "help lines should fit a terminal"


def test_the_top_level_help_points_editors_to_the_guide(tmp_path: Path) -> None:
    assert "CONTRIBUTING.md" in factcheck("--help", cwd=tmp_path).stdout
    assert (ROOT / "CONTRIBUTING.md").is_file()
