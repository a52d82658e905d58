"""Reads the factcheck search index of a built site as the browser worker does, for
one word at a time: which pages it finds, with the title and line a reader sees."""

from __future__ import annotations

import json
from pathlib import Path

from factcheck_site.output.search_index import shard_key, words


def manifest(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["factcheck"]


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
