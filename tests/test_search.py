"""Search: the index holds what readers look for and the built site wires Material's
search box to the factcheck worker. (tests/browser types into the search box in a
real browser: the claim comes first, opens, and hostile text stays text.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from building import load
from conftest import ROOT, copy_project, mkdocs_build
from factcheck_site.output.search_index import (
    BODY,
    DOCS_PER_FILE,
    ENGLISH_STOPWORDS,
    NAME,
    TITLE,
    LastIndex,
    SearchDoc,
    build_index,
    index_terms,
    search_docs,
    shard_key,
    typo_lists,
    words,
    worker_asset,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from search_reader import find, site_pages, typo_matches

HOSTILE = '<img src=x onerror="document.title=1">'
HOSTILE_CLAIM = f'''claim: "{HOSTILE.replace('"', "'")} Zyxwvut sappers demolished the bridge to İstanbul."
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
    assert words("Kim’s 120-day «Deployment», Zürich") == ["kim", "s", "120", "day", "deployment", "zurich"]
    assert shard_key("sappers") == "sa"
    assert shard_key(words("Ёлка")[0]) == "_435_43b"  # е, л: the folded word's letters
    assert shard_key("x") == "x"


# Case, accents, ligatures and compatibility forms that a reader may type differently from the text.
UNICODE_CASES = {
    "İstanbul": ["istanbul"], "ISTANBUL": ["istanbul"], "Zürich": ["zurich"], "Zu\u0308rich": ["zurich"],
    "Straße": ["strasse"], "ﬁre": ["fire"], "Ёлка": ["елка"], "ΟΔΟΣ": ["οδοσ"], "οδός": ["οδοσ"],
    "한국어 사전": ["한국어", "사전"], "Ｆｕｌｌ－ｗｉｄｔｈ": ["full", "width"],
    "Kim’s 120-day": ["kim", "s", "120", "day"],
    "Ǆemal": ["dzemal"], "naïve café": ["naive", "cafe"], "x_y": ["x", "y"], "٣ months": ["3", "months"],
}
# Scripts' own rules (assets/search-words.json): each case a text, its index terms, and queries that find it or not.
WORD_CASES = yaml.safe_load((ROOT / "tests" / "cases" / "search-words.yml").read_text(encoding="utf-8"))


def _run_worker(script: str, data: object) -> object:
    """The browser side as built sites serve it (worker_asset), run by node: script, given the worker's functions
    in `context` and data as `input`, writes its answer as JSON."""
    harness = ("const fs = require('fs'), vm = require('vm');"
               "const context = {addEventListener(type, f) { context.handler = f }, postMessage(m) {"
               " context.posted.push(m) }, posted: [], self: {location: {href: 'http://site/a/javascripts/w/x.js'}},"
               " URL, fetch: async url => context.fetched(url)};"
               "vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), context);"
               "const input = JSON.parse(fs.readFileSync(0, 'utf8'));"
               "(async () => { const answer = await (async () => {" + script + "})();"
               "process.stdout.write(JSON.stringify(answer)) })()")
    worker = Path(tempfile.mkdtemp()) / "worker.js"
    worker.write_text(worker_asset()[1], encoding="utf-8")
    result = subprocess.run(["node", "-e", harness, str(worker)], input=json.dumps(data), capture_output=True,
                            text=True, timeout=600, check=True)
    return json.loads(result.stdout)


# For _run_worker: the worker set up with input.manifest over input.files (an index at index/), and `found`, the
# locations each of input.queries ([_, query] pairs) lists.
QUERIES = ("context.fetched = url => { const text = input.files[url.replace('http://site/index/', '')];"
           " return {ok: text !== undefined, json: async () => JSON.parse(text)} };"
           "await context.handler({data: {type: 0, data: {config: {factcheck: input.manifest}, docs: []}}});"
           "const found = [];"
           "for (const [, query] of input.queries) {"
           "  await context.handler({data: {type: 2, data: query}});"
           "  found.push(context.posted.at(-1).data.items.map(item => item[0].location)) }")


def test_words_are_unicode_aware() -> None:
    for text, expected in UNICODE_CASES.items():
        assert words(text) == expected, text


@pytest.mark.parametrize("case", [case for case in WORD_CASES if "terms" in case], ids=lambda case: case["text"][:12])
def test_a_text_is_indexed_under_its_words_and_their_stems(case: dict) -> None:
    assert index_terms(case["text"]) == [str(term) for term in case["terms"]]


def test_the_browser_finds_each_text_by_the_words_a_reader_types() -> None:
    """The worker itself, on an index of the cases' texts: each query finds its case, or not (Korean particles,
    ё and е, Arabic harakat and tatweel), and the worker's terms for a text are the index's."""
    docs = [SearchDoc(f"case/{n}/", case["text"], "", ((BODY, case["text"]),)) for n, case in enumerate(WORD_CASES)]
    manifest, files = build_index(docs, frozenset())
    manifest["path"] = "index/"
    queries = [(n, str(query)) for n, case in enumerate(WORD_CASES)
               for query in [*case.get("finds", []), *case.get("misses", [])]]
    script = QUERIES + "return {found, terms: input.texts.map(text => context.indexTerms(text))}"
    answer = _run_worker(script, {"manifest": manifest, "files": files, "queries": queries,
                                  "texts": [case["text"] for case in WORD_CASES]})
    assert answer["terms"] == [[str(term) for term in case.get("terms", index_terms(case["text"]))]
                               for case in WORD_CASES]
    wrong = [(query, WORD_CASES[n]["text"]) for (n, query), found in zip(queries, answer["found"], strict=True)
             if (f"case/{n}/" in found) != (query in map(str, WORD_CASES[n].get("finds", [])))]
    assert wrong == []


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (./dev test installs npm, which brings it)")
def test_the_browser_splits_words_exactly_as_the_index_does() -> None:
    """factcheck-search.js's words(), run by node, against search_index.words() on the same texts."""
    script = ("const fs = require('fs'), vm = require('vm');"
              "const context = {addEventListener() {}, postMessage() {}, self: {}};"
              "vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), context);"
              "const texts = JSON.parse(fs.readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(texts.map(t => context.words(t))));")
    texts = [*UNICODE_CASES, *(case["text"] for case in WORD_CASES), HOSTILE_CLAIM, *(ROOT / "sources").glob("*.md")]
    texts = [t.read_text(encoding="utf-8") if isinstance(t, Path) else t for t in texts]
    worker = Path(tempfile.mkdtemp()) / "worker.js"
    worker.write_text(worker_asset()[1], encoding="utf-8")
    result = subprocess.run(["node", "-e", script, str(worker)], input=json.dumps(texts), capture_output=True,
                            text=True, timeout=600, check=True)
    assert json.loads(result.stdout) == [words(t) for t in texts]


def test_typo_lists_reach_words_whose_first_letters_were_mistyped() -> None:
    lists = typo_lists(["khinstoyev", "sappers", "kim"])
    assert "khinstoyev" in lists["hi"] and "khinstoyev" in lists["ki"]  # without its first, its second letter
    assert "sappers" in lists["ap"] and "sappers" in lists["sp"]
    assert all("kim" not in listed for listed in lists.values())  # too short for a typo to be guessed


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
    # Claims and sources are in the factcheck index only; Material's entries for the site's own pages are in a
    # file of the index, fetched when a reader first searches, not with search_index.json on every page view.
    assert index["docs"] == []
    pages = site_pages(hostile_site)
    assert not [d for d in pages if d["location"].startswith(("claims/", "sources/", "archive/"))]
    assert any(d["location"].startswith("methodology/") for d in pages)
    for page in [hostile_site / "index.html", *hostile_site.glob("claims/*/index.html")]:
        worker = re.search(r'"search": "([^"]+)"', page.read_text(encoding="utf-8")).group(1)
        assert "factcheck-search." in worker and (page.parent / worker).resolve().is_file()


def test_a_word_with_a_dotted_capital_i_is_one_word(hostile_site: Path) -> None:
    """'İstanbul' is indexed as istanbul, not i + stanbul, and found however it is typed."""
    for typed in ("İstanbul", "istanbul", "ISTANBUL"):
        assert [doc[0] for doc in find(hostile_site, typed)] == ["claims/hostile-search-claim/"]
    assert find(hostile_site, "stanbul") == []


@pytest.mark.parametrize("typed", ["Khinstoev", "Khinstoyef", "Kinstoyev", "Hkinstoyev", "Xhinstoyev", "Hkhinstoyev",
                                   "Khnistoyev", "Khinsotyev"])
def test_a_word_typed_one_edit_off_is_reached(hostile_site: Path, typed: str) -> None:
    """Wherever the one wrong, missing, extra or swapped letter is, the files the browser fetches for the
    mistyped word hold the right one."""
    assert typo_matches(hostile_site, typed) == {"khinstoyev"}
    assert find(hostile_site, "khinstoyev")


_WORDS = st.sampled_from(["sappers", "sapper", "kim", "the", "Zürich"]) | st.text("abcdeé", min_size=1, max_size=6)
_TEXT = st.lists(_WORDS, max_size=6).map(" ".join)


@st.composite
def _edited_docs(draw: st.DrawFn) -> tuple[list[SearchDoc], list[list[SearchDoc]]]:
    """Documents, then the same documents at the same places after each of a few saves, each of which changes
    the text of some of them (the words they add or drop may be new to the index, or its last use)."""
    count = draw(st.integers(1, DOCS_PER_FILE * 3))
    docs = [SearchDoc(f"claims/c{n}/", f"Claim {n}", "By someone",
                      ((TITLE, draw(_TEXT)), (NAME, draw(_TEXT)), (BODY, draw(_TEXT)))) for n in range(count)]
    saves = []
    for _ in range(draw(st.integers(1, 4))):
        docs = list(docs)
        for number in draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=4)):
            docs[number] = replace(docs[number], title=draw(_TEXT),
                                   fields=((TITLE, draw(_TEXT)), (NAME, draw(_TEXT)), (BODY, draw(_TEXT))))
        saves.append(docs)
    return saves[0], saves[1:] or [saves[0]]


@given(_edited_docs())
@settings(max_examples=60, deadline=None)
def test_the_index_made_again_after_a_save_equals_one_made_whole(edits: tuple[list[SearchDoc],
                                                                             list[list[SearchDoc]]]) -> None:
    """Under `mkdocs serve`, an index is the last one with the changed documents' files made again."""
    first, saves = edits
    last = LastIndex()
    build_index(first, ENGLISH_STOPWORDS, last)
    for docs in saves:
        assert build_index(docs, ENGLISH_STOPWORDS, last) == build_index(docs, ENGLISH_STOPWORDS)
