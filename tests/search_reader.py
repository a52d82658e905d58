"""Reads the factcheck search index of a built site as the browser worker does, for
one word at a time: which pages it finds, with the title and line a reader sees."""

from __future__ import annotations

import json
from pathlib import Path

from factcheck_site.output.search_index import shard_key, words


def manifest(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["factcheck"]


def site_pages(site: Path) -> list[dict]:
    """Material's entries for the site's own pages (methodology, ...), which the index keeps in a file of its own,
    fetched when a reader first searches."""
    info = manifest(site)
    return json.loads((site / info["path"] / info["pages"]).read_text(encoding="utf-8"))


def find(site: Path, word: str) -> list[tuple[str, str, str]]:
    """(location, title, text) of every document holding the word, in index order (a claim's row also
    carries its badge, left out here)."""
    info = manifest(site)
    folder = site / info["path"]
    (term,) = words(word)
    shard = folder / "terms" / f"{shard_key(term)}.json"
    postings = json.loads(shard.read_text(encoding="utf-8")).get(term, []) if shard.is_file() else []
    found, number = [], 0
    for value in postings:
        number += value // 8
        batch = json.loads((folder / "docs" / f"{number // info['docs_per_file']}.json").read_text(encoding="utf-8"))
        found.append(tuple(batch[number % info["docs_per_file"]][:3]))
    return found


def all_documents(site: Path) -> list[tuple[str, str, str]]:
    folder = site / manifest(site)["path"] / "docs"
    return [tuple(doc[:3]) for path in sorted(folder.glob("*.json"), key=lambda p: int(p.stem))
            for doc in json.loads(path.read_text(encoding="utf-8"))]


def one_edit_apart(a: str, b: str) -> bool:
    """As factcheck-search.js: a letter wrong, missing or extra, or two letters swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    if end_a - start <= 1 and end_b - start <= 1:
        return True
    return end_a - start == end_b - start == 2 and a[start] == b[start + 1] and a[start + 1] == b[start]


def typo_matches(site: Path, word: str) -> set[str]:
    """The indexed words one edit away from a mistyped word, found in the files factcheck-search.js
    fetches for it: the shards and typo lists of the word and of the word without its first or second
    letter."""
    info = manifest(site)
    folder = site / info["path"]
    (term,) = words(word)
    keys = {shard_key(variant) for variant in (term, term[1:], term[:1] + term[2:])}
    candidates: set[str] = set()
    for key in keys:
        for kind in ("terms", "typos"):
            path = folder / kind / f"{key}.json"
            if path.is_file():
                candidates.update(json.loads(path.read_text(encoding="utf-8")))
    return {candidate for candidate in candidates if one_edit_apart(candidate, term)}
