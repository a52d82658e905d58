"""The two sites each benchmark builds: the repository's site with a generated
archive, and the floor, the same pages as plain Markdown files for plain MkDocs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from factcheck_site.config import MkDocsYamlLoader
from factcheck_site.render.urls import GENERATED_FOLDERS

from .corpus import GeneratedClaim, write_corpus

ROOT = Path(__file__).resolve().parent.parent


def sources_for(claims: int) -> int:
    """One source per ten claims, as in the issue: 2,500 sources for 25,000 claims."""
    return max(10, claims // 10)


# A link from one of the site's own pages to one of this desk's claims or sources, which a generated archive lacks.
_DESK_LINK = re.compile(r"\]\((?:\.\./)*(?:claims|sources)/[^)]*\)")


def _own_pages(docs: Path) -> None:
    """The repository's pages, less what only this desk's archive has: a page that links to its claims or sources
    (docs/coverage.md) keeps its title and place in the navigation, without the links, which the generated archive
    would leave broken (a warning each, so a strict build fails)."""
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if _DESK_LINK.search(text):
            title = next((line for line in text.splitlines() if line.startswith("# ")), "# " + page.stem)
            page.write_text(f"{title}\n\nThis desk's page, about its own claims, is left out of the benchmark's "
                            "archive.\n", encoding="utf-8")


def make_project(folder: Path, claims: int, seed: int) -> list[GeneratedClaim]:
    """The repository's configuration and pages with a generated archive; returns the claims."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs")
    _own_pages(folder / "docs")
    return write_corpus(folder, claims, sources_for(claims), seed)


def floor_config(config_text: str) -> dict:
    """The site's configuration without the factcheck plugin: the generated folders are
    kept out of the navigation (as the plugin does) and its stylesheet is a plain file."""
    config = yaml.load(config_text, Loader=MkDocsYamlLoader) or {}
    plugins = config.get("plugins") or []
    factcheck = next((p["factcheck"] for p in plugins if isinstance(p, dict) and "factcheck" in p), None)
    config["plugins"] = [p for p in plugins if not (p == "factcheck" or (isinstance(p, dict) and "factcheck" in p))]
    # generated folders, and the pages the plugin links from the footer instead of the navigation
    footer = [page for entry in (factcheck or {}).get("footer") or [] for page in entry.values()]
    config["not_in_nav"] = "\n".join([f"/{folder}/" for folder in GENERATED_FOLDERS] + [f"/{page}" for page in footer])
    config["extra_css"] = ["assets/factcheck.css", *(config.get("extra_css") or [])]
    return config


def make_floor(project: Path, floor: Path, env: dict[str, str]) -> None:
    """`factcheck render` output, the site's own pages and stylesheet included, as static files."""
    shutil.rmtree(floor, ignore_errors=True)
    floor.mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "factcheck_site", "render", "--out", str(floor / "docs")],
                            cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"factcheck render failed:\n{result.stdout}{result.stderr}")
    config = floor_config((project / "mkdocs.yml").read_text(encoding="utf-8"))
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
