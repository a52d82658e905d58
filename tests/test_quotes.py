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
