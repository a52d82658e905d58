"""The site as the tests build it: the pipeline that the plugin and the `factcheck` command run,
in this process."""

from __future__ import annotations

from pathlib import Path

from factcheck_site.build import BuildOptions, SiteBuild, build_site
from factcheck_site.config import read_settings
from factcheck_site.content.model import Site
from factcheck_site.content.problems import Problem
from factcheck_site.content.settings import Settings
from factcheck_site.content.verdict_scale import DEFAULT_SCALE, Verdict


def build(claims: Path, sources: Path, root: Path, scale: tuple[Verdict, ...] = DEFAULT_SCALE,
          render: bool = True) -> SiteBuild:
    """Claims and sources checked, and with render their pages (root: what problems' paths are relative to; the
    dispatches that sources may reproduce are those declared by the mkdocs.yml beside them or in root)."""
    config = next((c for c in (root / "mkdocs.yml", sources.parent / "mkdocs.yml") if c.is_file()), root / "mkdocs.yml")
    dispatches = read_settings(config)[0].dispatches if config.is_file() else {}
    return build_site(BuildOptions(Settings(root, claims, sources, scale, dispatches=dispatches), processes=1,
                                   render=render))


def load(claims: Path, sources: Path, root: Path,
         scale: tuple[Verdict, ...] = DEFAULT_SCALE) -> tuple[Site, list[Problem]]:
    """The site that passed and every problem, without rendering a page."""
    built = build(claims, sources, root, scale, render=False)
    return built.site, built.problems
