"""One article saved twice is one article.

Every source is a reporting line of its own unless it says which dispatch it reproduces (reporting_lines.py), so
the same article added twice under two ids (add-source run again with another title, a copy renamed) would count
as two independent lines backing a claim: a page would state as corroborated what only one article says. Sources
whose text is the same, word for word, are refused, unless they say they reproduce a common dispatch (two outlets
printing one wire report), which already counts them once.
"""

from __future__ import annotations

from collections import defaultdict

from factcheck_site.content.model import Source
from factcheck_site.content.problems import Problem


def same_article_problems(sources: dict[str, Source]) -> list[Problem]:
    """A problem on each source whose text another source (the first by id) already has."""
    by_length: dict[int, list[Source]] = defaultdict(list)  # texts are compared only where their lengths agree
    for source_id in sorted(sources):
        by_length[len(sources[source_id].text)].append(sources[source_id])
    problems = []
    for group in by_length.values():
        for index, later in enumerate(group):
            first = next((earlier for earlier in group[:index] if earlier.text == later.text
                          and not set(earlier.reproduces) & set(later.reproduces)), None)
            if first is not None:
                problems.append(Problem(later.path, later.body_line, (
                    f"the text is the same, word for word, as {first.path}'s: one article saved twice would count as "
                    f"two independent reporting lines; delete this file and quote '{first.id}' instead, or, if two "
                    "publishers print one dispatch word for word, declare it under plugins.factcheck.dispatches in "
                    "mkdocs.yml and name it in both files' reproduces")))
    return problems
