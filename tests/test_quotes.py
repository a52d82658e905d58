"""Quote matching, case by case from tests/cases/quotes.yml, plus closest-passage hints."""

from __future__ import annotations

import pytest
import yaml
from conftest import CASES
from factcheck_site.content.quote_matching import closest_passages, find_quote, normalize

QUOTE_CASES = yaml.safe_load((CASES / "quotes.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", QUOTE_CASES, ids=[c["name"] for c in QUOTE_CASES])
def test_quote_matching(case: dict) -> None:
    spans = find_quote(case["source"], case["quote"])
    assert (spans is not None) == case["match"]
    if spans:
        # The spans point at the passage in the original text, for highlighting.
        found = " ".join(case["source"][start:end] for start, end in spans)
        first_part = case["quote"].split("[")[0].strip()
        assert normalize(found).text.startswith(normalize(first_part).text)


def test_closest_passage_names_the_near_miss() -> None:
    source = "He noted that the regiment had been formed in May to commemorate the victory.\n\nOther text here."
    best = closest_passages(source, "the regiment had been formed in June to commemorate")[0]
    assert best.text == "the regiment had been formed in May to commemorate"
    assert 80 <= best.similarity < 100


def test_closest_passages_come_from_the_source_as_written() -> None:
    source = "Kim Jong-un’s praise for the regiment’s ‘mass heroism’ echoed the rhetoric."
    best = closest_passages(source, "Kim Jong-un's praise for the battalion's 'mass heroism'")[0]
    assert "’" in best.text  # shown as it is in the source, so the editor can paste it


# --- closest passages ----------------------------------------------------------------------

HONOURED = ("The ceremony was held on Friday. Nine soldiers were honoured posthumously, the agency said. "
            "Others were praised by the leader in the capital.")


@pytest.mark.parametrize(("quote", "meant"), [
    ("Ten soldiers were honored posthumously", "Nine soldiers were honoured posthumously,"),  # first word wrong
    ("Nine soldiers were honoured after", "Nine soldiers were honoured posthumously,"),  # last word wrong
    ("Eight soldiers were honoured", "Nine soldiers were honoured"),
    ("Nine soldiers were all honoured posthumously", "Nine soldiers were honoured posthumously,"),  # a word added
    ("Others were praised by the general", "Others were praised by the leader"),
    ("The ceremony was held on Monday", "The ceremony was held on Friday."),
])
def test_the_closest_passage_covers_the_words_the_editor_meant(quote: str, meant: str) -> None:
    assert closest_passages(HONOURED, quote)[0].text == meant


def test_closest_passages_are_looked_up_within_a_budget_per_run() -> None:
    """The first misquotes get their closest passage; once the characters searched pass the
    budget, later ones say how to get it; the same misquote twice is searched once."""
    from factcheck_site.content.load import CLOSEST_PASSAGE_COST, add_closest_passages
    from factcheck_site.content.model import Source
    from factcheck_site.content.problems import Problem

    source = Source(id="s", path="sources/s.md", text=HONOURED, body_line=5, title="T", publisher="P")
    wanted = ["Ten soldiers were honored", "Ten soldiers were honored", "The ceremony was held on Monday"]
    problems = [Problem(f"claims/c{n}.yml", 7, "quote 1 is not in source 's'; copy the exact wording from the source",
                        closest_to=(1, "s", quote)) for n, quote in enumerate(wanted)]
    done = add_closest_passages(problems, {"s": source}, budget=len(HONOURED) + CLOSEST_PASSAGE_COST + 1)
    assert [p.closest_to for p in done] == [None] * 3 and [p.path for p in done] == [p.path for p in problems]
    assert "closest passage (" in done[0].message and "Nine soldiers were honoured" in done[0].message
    assert done[1].message == done[0].message.replace("c0", "c1")
    assert "closest passage (" not in done[2].message
    assert "its closest passage was not looked up" in done[2].message
    assert "factcheck quote s 'the quote'" in done[2].message
