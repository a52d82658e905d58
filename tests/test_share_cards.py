"""Link-preview cards: a 1200 x 630 PNG per claim, the same bytes for the same claim, text the
font cannot draw left off rather than shown as boxes, and drawn once into a cache."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from building import load
from conftest import ROOT
from factcheck_site.cache_folder import CacheFolder, open_cache
from factcheck_site.content.publisher import publication_from_config
from factcheck_site.output import share_cards as cards_module
from factcheck_site.output.share_cards import CardNames, card_folder, share_cards
from factcheck_site.render.share_card import CardText, _font, card_alt, drawable, render_card, wrap
from PIL import Image

CARD = CardText("North Korean sappers cleared 1.5 million explosive objects in Kursk.", "Mostly false", 2,
                "Unidentified publishers, citing CTAK", "Kursk Fact-Check Desk", "factcheck.test", quoted=True)


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_card_is_a_1200_by_630_png_and_the_same_bytes_every_time() -> None:
    data = render_card(CARD)
    image = _image(data)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert render_card(CARD) == data
    assert render_card(CardText(**{**CARD.__dict__, "verdict": "False", "tone": 1})) != data
    assert image.info.keys() <= {"transparency", "dpi", "gamma"}, "no date or software in the file"


def test_the_key_changes_with_what_the_card_shows() -> None:
    keys = {CARD.key(), CardText(**{**CARD.__dict__, "verdict": "True", "tone": 6}).key(),
            CardText(**{**CARD.__dict__, "claim": CARD.claim + "!"}).key()}
    assert len(keys) == 3 and CARD.key() == CardText(**CARD.__dict__).key()


def test_long_claims_wrap_between_words_and_long_words_are_split() -> None:
    font = _font(True, 40)
    lines = wrap("sappers " * 40, font, 1072)
    assert len(lines) > 3 and all(font.getlength(line) <= 1072 for line in lines)
    assert all(line.split() == ["sappers"] * len(line.split()) for line in lines)
    pieces = wrap("x" * 400, font, 1072)
    assert "".join(pieces) == "x" * 400 and all(font.getlength(piece) <= 1072 for piece in pieces)
    _image(render_card(CardText(**{**CARD.__dict__, "claim": "Северокорейские сапёры " * 30})))


def test_scripts_the_font_lacks_are_left_off_not_drawn_as_boxes() -> None:
    assert drawable("Северокорейские сапёры, İstanbul, Ελλάδα, Zürich – “quoted” …")
    assert not drawable("북한 공병")  # Hangul: DejaVu Sans has none
    assert not drawable("中文") and not drawable("שלום") and not drawable("سلام")  # CJK; right to left
    korean = CardText("북한 공병이 쿠르스크에서 지뢰를 제거했다", "Unverified", 0, "연합뉴스", "Kursk Fact-Check Desk",
                      "factcheck.test")
    assert _image(render_card(korean)).size == (1200, 630)
    assert card_alt(korean) == "Fact-check by Kursk Fact-Check Desk: Verdict: Unverified."
    assert "“North Korean sappers" in card_alt(CARD)
    assert "“" not in card_alt(CardText(**{**CARD.__dict__, "quoted": False})), "quotation marks only for a quote"


def _cards(project: Path) -> CacheFolder:
    return card_folder(open_cache(project, pytest.fail, pytest.fail), pytest.fail)


def test_cards_are_drawn_once_into_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = load(ROOT / "claims", ROOT / "sources", ROOT)
    publication, _ = publication_from_config("https://factcheck.test/", "Kursk Fact-Check Desk", None, "en",
                                             {}, True)
    assert publication is not None
    with _cards(tmp_path) as folder:
        first = share_cards(site, publication, folder, processes=1)
        assert len(first) == len(site.claims)
        assert all(folder.absolute(card.name).is_file() for card in first.values())
        assert all(p.startswith("claims/") and "/card-" in p and p.endswith(".png") for p in first)
        drawn = {path: card.data() for path, card in first.items()}

    def no_drawing(card: CardText) -> bytes:
        raise AssertionError("a cached card was drawn again")

    monkeypatch.setattr(cards_module, "render_card", no_drawing)
    with _cards(tmp_path) as folder:
        again = share_cards(site, publication, folder, processes=1)
        assert {path: card.data() for path, card in again.items()} == drawn


def test_cards_kept_between_previews_follow_each_change(tmp_path: Path) -> None:
    """Under `mkdocs serve` each claim's card name is kept from the last build: a changed claim, verdict label or
    site name still gets the card a fresh build gives."""
    site, _ = load(ROOT / "claims", ROOT / "sources", ROOT)
    publication, _ = publication_from_config("https://factcheck.test/", "Kursk Fact-Check Desk", None, "en",
                                             {}, True)
    assert publication is not None
    names = CardNames()
    folder = _cards(tmp_path)
    assert share_cards(site, publication, folder, processes=1, names=names) == \
        share_cards(site, publication, folder, processes=1)
    first = next(iter(site.claims.values()))
    changed = replace(site, claims={**site.claims, first.id: replace(first, claim=first.claim + " Edited.")})
    relabelled = replace(site, scale=tuple(replace(v, label=v.label + "!") for v in site.scale))
    renamed, _ = publication_from_config("https://factcheck.test/", "Another Desk", None, "en", {}, True)
    assert renamed is not None
    for later_site, later_publication in ((changed, publication), (relabelled, publication), (changed, renamed)):
        kept = share_cards(later_site, later_publication, folder, processes=1, names=names)
        assert kept == share_cards(later_site, later_publication, folder, processes=1)
    assert kept != share_cards(site, publication, folder, processes=1)
    folder.close()
