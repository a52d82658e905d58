"""Search: the index holds what readers look for and the built site wires Material's
search box to the factcheck worker. (tests/browser types into the search box in a
real browser: the claim comes first, opens, and hostile text stays text.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from building import load
from conftest import ROOT, copy_project, mkdocs_build
from factcheck_site.output.search_index import (
    DOCS_PER_FILE,
    ENGLISH_STOPWORDS,
    TITLE,
    build_index,
    search_docs,
    shard_key,
    words,
)

HOSTILE = '<img src=x onerror="document.title=1">'
HOSTILE_CLAIM = f'''claim: "{HOSTILE.replace('"', "'")} Zyxwvut sappers demolished the bridge."
claimant: "Nobody"
verdict: "false"
summary: "No source says so."
quotes:
  - source: dprk-soldiers-return-home
    text: "completing the mission in just three months"
    stance: contradicts
author: Fact-check desk
published: 2026-11-24
'''


def _decode(postings: list[int]) -> list[tuple[int, int]]:
    out, doc = [], 0
    for value in postings:
        doc += value // 8
        out.append((doc, value % 8))
    return out


def test_words_and_shard_keys() -> None:
    assert words("Kim’s 120-day «Deployment», Zürich") == ["kim", "s", "120", "day", "deployment", "zürich"]
    assert shard_key("sappers") == "sa"
    assert shard_key("zürich") == "z_fc"
    assert shard_key("x") == "x"


def test_a_claims_words_point_to_it() -> None:
    site, _ = load(ROOT / "claims", ROOT / "sources", ROOT)
    docs = search_docs(site, directory_urls=True)
    manifest, files = build_index(docs, ENGLISH_STOPWORDS)
    assert manifest["keys"] == sorted(f[len("terms/"):-len(".json")] for f in files if f.startswith("terms/"))
    claim = site.claims["kursk-42400-hectares-1-5-million-explosives"]
    number = next(i for i, d in enumerate(docs) if d.location == "claims/kursk-42400-hectares-1-5-million-explosives/")
    shard = json.loads(files["terms/he.json"])
    assert (number, TITLE) in [(d, bits & TITLE) for d, bits in _decode(shard["hectares"])]
    row = json.loads(files[f"docs/{number // DOCS_PER_FILE}.json"])[number % DOCS_PER_FILE]
    assert row[0] == "claims/kursk-42400-hectares-1-5-million-explosives/" and row[1] == claim.claim
    assert "the" not in json.loads(files["terms/th.json"])  # stopwords are not indexed


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("search") / "p")
    (project / "claims" / "hostile-search-claim.yml").write_text(HOSTILE_CLAIM, encoding="utf-8")
    site = project / "site-out"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


def test_built_site_uses_the_factcheck_worker_and_index(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    manifest = index["config"]["factcheck"]
    folder = hostile_site / manifest["path"]
    assert all((folder / "terms" / f"{key}.json").is_file() for key in manifest["keys"])
    # Claims and sources are in the factcheck index only; Material's holds the site's own pages.
    assert not [d for d in index["docs"] if d["location"].startswith(("claims/", "sources/", "archive/"))]
    assert any(d["location"].startswith("methodology/") for d in index["docs"])
    for page in [hostile_site / "index.html", *hostile_site.glob("claims/*/index.html")]:
        worker = re.search(r'"search": "([^"]+)"', page.read_text(encoding="utf-8")).group(1)
        assert "factcheck-search." in worker and (page.parent / worker).resolve().is_file()
