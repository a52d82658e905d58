"""Shared fixtures: a throwaway copy of the repository's site, real builds, real CLI runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


def copy_project(target: Path, claims: bool = True) -> Path:
    """A copy of the site (config, docs, sources and optionally claims) to change freely."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "sources", target / "sources")
    if claims:
        shutil.copytree(ROOT / "claims", target / "claims")
    else:
        (target / "claims").mkdir()
    return target


def run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # No terminal on stdin, even when pytest runs in one: commands must not stop to ask.
    return subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def factcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "generator", *args], cwd)


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)], project)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "site-src")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site
