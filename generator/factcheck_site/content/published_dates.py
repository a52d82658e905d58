"""A fact-check cannot have been published before its file existed: `published` is checked against the
day the file was first committed (content/git_dates.py), unless the fact-check says where it was first
published before this site held it (`imported_from`, shown to readers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from factcheck_site.content.load import field_line
from factcheck_site.content.model import Claim
from factcheck_site.content.problems import Problem


def published_before_first_commit(claims: Iterable[Claim], first_committed: Mapping[str, dt.date],
                                  root: Path, suffix: str) -> list[Problem]:
    """A warning for each claim whose `published` is earlier than the first commit of its file (claims not
    committed yet, or without history, are not checked)."""
    found = []
    for claim in claims:
        first = first_committed.get(claim.id + suffix)
        if first is None or claim.imported_from or claim.published >= first:
            continue
        found.append(Problem(claim.path, field_line(root / claim.path, "published"),
                             f"'published' is {claim.published.isoformat()}, before the file was first committed "
                             f"({first.isoformat()}): a fact-check cannot be published before it is written; set "
                             "published to the day it went live, or, for one first published elsewhere, add "
                             "imported_from: its address there (shown to readers)"))
    return sorted(found)

