"""Desks in languages the generator has no catalogue for (tests/cases/language-sites: one file a language, written for
the tests): each reads as its own language (direction, Open Graph locale, CLDR's date, the theme's words), is found by
words inside its sentences, and gets share cards that never draw a box for a missing letter; a few build strict."""

from __future__ import annotations

import gettext
import io
import json
import re
import shutil
from pathlib import Path

import material
import pytest
from conftest import mkdocs_build
from language_desk import CLAIM, built_desk, language_cases, write_desk
from test_search import QUERIES, _run_worker

CASES = language_cases()
BUILT = [code for code, case in CASES.items() if case.get("build")]
THEME = [str(Path(material.__file__).parent / "templates")]
DAY = __import__("datetime").date(2026, 12, 6)


@pytest.mark.parametrize("code", CASES)
def test_a_language_reads_as_its_own(code: str) -> None:
    from factcheck_site.language import known, language, theme_words

    case, words = CASES[code], language(code)
    assert (words.direction, words.og_locale, words.date(DAY)) == (case["direction"], case["og_locale"], case["date"])
    assert known(code) and theme_words(code, THEME) is not None  # the theme's own words, or its base language's


def test_the_theme_words_of_a_variant_or_an_old_code_are_its_languages() -> None:
    from factcheck_site.language import known, theme_words

    assert [theme_words(code, THEME) for code in ("en-GB", "zh-Hans", "zh-Hant-HK", "iw", "pt-PT", "de-CH", "sw")] == [
        "en", "zh", "zh-Hant", "he", "pt", "de", None]
    assert [known(code) for code in ("xx", "und", "123", "en-GB", "fil")] == [False, False, False, True, True]


def test_each_language_finds_its_claim_by_the_words_a_reader_types() -> None:
    """The browser's worker, on one index of every case's claim and quote: each query finds its case (a word inside
    a sentence of Chinese, Japanese or Thai; accents, points and case typed either way) or not."""
    from factcheck_site.output.search_index import BODY, TITLE, SearchDoc, build_index

    docs = [SearchDoc(f"case/{code}/", case["claim"], "", ((TITLE, case["claim"]), (BODY, case["quote"])))
            for code, case in CASES.items()]
    manifest, files = build_index(docs, frozenset())
    manifest["path"] = "index/"
    queries = [(code, str(query)) for code, case in CASES.items() for query in [*case["finds"], *case["misses"]]]
    found = _run_worker(QUERIES + "return found", {"manifest": manifest, "files": files, "queries": queries})
    wrong = [(code, query) for (code, query), locations in zip(queries, found, strict=True)
             if (f"case/{code}/" in locations) != (query in map(str, CASES[code]["finds"]))]
    assert wrong == []


def _pseudo_card_words(case: dict) -> gettext.GNUTranslations:
    """The card's own words translated into the case's script (its site's name), as a desk's catalogue would."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalogue, name = Catalog(locale="en"), case["site_name"]
    for english, translated in {"FACT-CHECK": name, "Read the claim and the evidence at {host}": name + " {host}",
                                "Claim by {claimant}": name + " {claimant}", "Verdict: {verdict}": name + " {verdict}",
                                "Verdict": name}.items():
        catalogue.add(english, translated)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@pytest.mark.parametrize("code", CASES)
def test_a_card_never_draws_a_missing_glyph(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every piece of text the card draws, in whichever font draws it, is drawn with the font's own letters, never its
    .notdef box: the claim, the claimant, the site's name, a verdict in the language and the card's own words in the
    language's script (as a desk's catalogue gives them). What cannot be drawn is left off and named."""
    from factcheck_site.language import activate, register
    from factcheck_site.render.share_card import CardText, left_out, render_card
    from PIL import ImageFont

    drawn: list[tuple[ImageFont.FreeTypeFont, str]] = []
    real = ImageFont.FreeTypeFont.getmask2

    def seen(font: ImageFont.FreeTypeFont, text: str, *args: object, **kwargs: object) -> object:
        drawn.append((font, text))
        return real(font, text, *args, **kwargs)

    case = CASES[code]
    card = CardText(case["claim"], case["site_name"], 3, case["claimant"], case["site_name"], "factcheck.test")
    register(code, _pseudo_card_words(case))
    monkeypatch.setattr(ImageFont.FreeTypeFont, "getmask2", seen)  # a witness: the real drawing still happens
    try:
        activate(code)
        render_card(card)
        missing = left_out(card)
    finally:
        register(code, None)
        activate("en")
    boxes = []
    for font, text in drawn:
        notdef = real(font, "\U0010fffd", "L")[0]
        boxes += [c for c in text if not c.isspace() and bytes(real(font, c, "L")[0]) == bytes(notdef)]
    assert boxes == [], f"{code}: drawn as boxes: {''.join(boxes)}"
    drawn_text = "".join(text for _, text in drawn)
    if "claim" not in missing:  # a script the fonts have is drawn, not left off
        assert set(case["claim"].replace(" ", "")) & set(drawn_text)
    assert ("claim" in missing) == (code in ("ja", "zh", "zh-Hant", "zh-TW", "th", "hi"))


def test_a_desks_catalogue_is_read_and_a_broken_or_repeated_translation_named(tmp_path: Path) -> None:
    from factcheck_site.language import desk_catalogue, language

    folder = tmp_path / "locales" / "sw" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "factcheck.po").write_text(
        'msgid "Claim"\nmsgstr "Dai"\n\nmsgid "Claim by {claimant}"\nmsgstr "Dai ya {mtu}"\n\n'
        'msgid "{count} fact-check"\nmsgid_plural "{count} fact-checks"\nmsgstr[0] "ukaguzi {count}"\n'
        'msgstr[1] "ukaguzi {count} mingi"\n\nmsgid "Claim"\nmsgstr "Madai"\n', encoding="utf-8")
    words = language("sw", tmp_path)
    assert words.translations.gettext("Claim") == "Dai"
    assert words.translations.gettext("Claim by {claimant}") == "Claim by {claimant}"  # the English, not a break
    assert words.translations.ngettext("{count} fact-check", "{count} fact-checks", 5) == "ukaguzi {count} mingi"
    assert language("ko", tmp_path).translations.gettext("Claim") != "Claim"  # the generator's own, untouched
    path, problems = desk_catalogue(tmp_path, "sw")
    assert path == folder / "factcheck.po" and [line for line, _ in problems] == [4, 12]
    assert "{claimant}" in problems[0][1]
    # Babel keeps the first of two translations of one message, dropping the other without a word: it is named
    assert problems[1][1] == "'Claim' is translated again here (first on line 1), and only the first is used: " \
                             "delete the one you do not mean"


@pytest.fixture(scope="module", params=BUILT)
def language_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    """(language, built site, build log) of each case marked build: true, built strict once per run."""
    code = request.param
    folder = built_desk(tmp_path_factory, code)
    return code, folder / "site", (folder / "log.txt").read_text(encoding="utf-8")


def test_a_desk_in_a_language_builds_and_carries_it(language_site: tuple[str, Path, str]) -> None:
    code, site, log = language_site
    case = CASES[code]
    page = (site / "claims" / CLAIM / "index.html").read_text(encoding="utf-8")
    assert re.search(f'<html lang="{code}"[^>]* dir="{case["direction"]}"', page)
    assert f'<meta property="og:locale" content="{case["og_locale"]}">' in page
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert review["inLanguage"] == code and f'<time datetime="2026-12-06">{case["date"]}</time>' in page
    assert f"<language>{code}</language>" in (site / "feed.xml").read_text(encoding="utf-8")
    assert json.loads((site / "feed.json").read_text(encoding="utf-8"))["language"] == code
    for word, translated in (case.get("catalogue") or {}).items():  # the desk's own words, where it gave them
        if "{" not in word and word != "FACT-CHECK":
            assert translated in page
    if code.split("-")[0] != "en" and not case.get("catalogue"):
        assert f"theme.language is '{code}', for which the generator has no translation" in log
    if code == "ja":
        assert '<span class="fc-claim__kind">主張</span>' in page and "the claim on 1 card" in log


def test_a_code_that_is_no_language_stops_the_build_with_a_message(tmp_path: Path) -> None:
    project = write_desk({**CASES["en-GB"], "language": "xx"}, tmp_path / "project")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "theme.language is 'xx', which is not a language code" in result.stderr
    from conftest import factcheck

    checked = factcheck("validate", cwd=project)  # the editors' check says so too, with the line
    assert checked.returncode != 0 and "mkdocs.yml:8: theme.language is 'xx'" in checked.stdout + checked.stderr
    shutil.rmtree(project)


def test_init_gives_a_desk_in_a_new_language_the_words_to_translate(tmp_path: Path) -> None:
    """`factcheck init --language ja` writes the generator's catalogue, empty, where the desk's translations are read
    (a translated word then shows); a code that is no language is refused before anything is written."""
    from babel.messages.pofile import read_po
    from conftest import factcheck
    from factcheck_site.language import language

    assert factcheck("init", "--language", "ja", str(tmp_path / "desk"), cwd=tmp_path).returncode == 0
    po = tmp_path / "desk" / "locales" / "ja" / "LC_MESSAGES" / "factcheck.po"
    with po.open("rb") as file:
        catalogue = read_po(file)
    assert len([m for m in catalogue if m.id]) > 150 and str(catalogue.locale) == "ja"
    assert all(not m.string or m.string == ("",) for m in catalogue if m.id)
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Claim"\nmsgstr ""', 'msgid "Claim"\nmsgstr "主張"'),
                  encoding="utf-8")
    assert language("ja", tmp_path / "desk").translations.gettext("Claim") == "主張"
    refused = factcheck("init", "--language", "xx", str(tmp_path / "other"), cwd=tmp_path)
    assert refused.returncode == 2 and "not a language code" in refused.stderr and not (tmp_path / "other").exists()
