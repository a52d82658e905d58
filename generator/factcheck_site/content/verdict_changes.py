"""Which corrections changed a verdict, and from what to what.

Editors record only the verdict a correction replaced (`previous_verdict`); the
verdict it led to is the one the next change started from, or the current one.
Deriving it keeps a claim file from contradicting itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def verdict_changes(entries: Sequence[tuple[dt.date, str | None]], current: str) -> dict[int, tuple[str, str]]:
    """{index of a correction: (verdict before, verdict after)} for each correction that changed the verdict.

    Corrections count in date order; corrections on the same day in the order listed.
    """
    order = sorted(range(len(entries)), key=lambda i: entries[i][0])
    changing = [i for i in order if entries[i][1]]
    result: dict[int, tuple[str, str]] = {}
    for position, index in enumerate(changing):
        later = changing[position + 1] if position + 1 < len(changing) else None
        after = entries[later][1] if later is not None else current
        result[index] = (str(entries[index][1]), str(after))
    return result
