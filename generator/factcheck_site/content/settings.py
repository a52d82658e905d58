"""Where a site's content lives, which verdict scale it uses, and who publishes it.

Both adapters need the same answer: the plugin reads it from its MkDocs config,
the command-line tool from mkdocs.yml (both through config.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck_site.content.verdict_scale import DEFAULT_SCALE, Verdict


@dataclass(frozen=True)
class Settings:
    root: Path
    claims_dir: Path
    sources_dir: Path
    scale: tuple[Verdict, ...] = DEFAULT_SCALE
    organization: dict[str, Any] = field(default_factory=dict)
    docs_dir: Path | None = None  # MkDocs' docs_dir, where a page could hide a generated one
    site: dict[str, Any] = field(default_factory=dict)  # site_url, site_name, site_description, language
    dispatches: dict[str, str] = field(default_factory=dict)  # dispatch id -> name (sources' `reproduces`)
    language: str = "en"  # theme.language: the words, dates and direction of every page (language.py)
