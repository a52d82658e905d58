"""`{{ organization.name }}`-style placeholders in the site's own pages, so that who
publishes the site is written once, in mkdocs.yml."""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*organization\.([a-z_]+)\s*\}\}")


def fill_placeholders(markdown: str, organization: dict[str, Any]) -> tuple[str, list[str]]:
    """The page with placeholders filled, and the names that have no value."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        value = organization.get(match.group(1))
        if value in (None, ""):
            missing.append(match.group(1))
            return match.group(0)
        return str(value)

    return PLACEHOLDER.sub(replace, markdown), missing


def missing_message(src_uri: str, name: str) -> str:
    return (f"{src_uri}: {{{{ organization.{name} }}}} has no value; "
            f"set plugins.factcheck.organization.{name} in mkdocs.yml")
