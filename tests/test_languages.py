"""A desk in any language: the Korean test site (tests/cases/korean-site, written for the tests) built strict with
theme.language: ko shows no English generator text, dates and data carry the language, and a pseudo-language made
from the catalogue catches any reader-facing string that does not come through it."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CASES, REPOSITORY, ROOT, mkdocs_build

KOREAN_SITE = CASES / "korean-site"
LOCALES = ROOT / "generator" / "factcheck_site" / "locales"
# Latin words a Korean page may show: names of things (formats, brands) and the machine names the scale page explains.
ALLOWED_LATIN = {"GitHub", "Ctrl", "C", "schema", "org", "ClaimReview", "ratingValue", "worstRating", "bestRating",
                 "RSS", "JSON", "CSV"}
HIDDEN = ("script", "style", "code", "time", "svg", "details")
OPEN, CLOSE = "⟦", "⟧"  # the pseudo-language's marks around every catalogue string


class VisibleText(HTMLParser):
    """The text of a page's <body> as a reader sees it: no scripts, styles, code (machine names), <time> (dates come
    from CLDR, checked on their own) or closed <details>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.body, self.parts = 0, False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.body = self.body or tag == "body"
        self.depth += tag in HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in HIDDEN

    def handle_data(self, data: str) -> None:
        if self.body and not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z'’-]*", text)) - ALLOWED_LATIN


def test_korean_site_shows_no_english_generator_text(korean_site: Path) -> None:
    found: dict[str, set[str]] = {}
    for page in sorted(korean_site.rglob("*.html")):
        for word in latin_words(visible_text(page.read_text(encoding="utf-8"))):
            found.setdefault(word, set()).add(page.relative_to(korean_site).as_posix())
    assert found == {}, "English words on the Korean site: " + "; ".join(
        f"{word} ({', '.join(sorted(pages)[:3])})" for word, pages in sorted(found.items()))


def test_korean_pages_carry_the_language_in_markup_data_and_feeds(korean_site: Path) -> None:
    page = (korean_site / "claims" / "deployment-lasted-120-days" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="ko"[^>]* dir="ltr"', page)
    assert '<meta property="og:locale" content="ko_KR">' in page
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert review["inLanguage"] == "ko" and review["datePublished"] == "2026-12-06"  # ISO for machines
    assert review["reviewRating"]["alternateName"] == "판단 유보"  # the default scale, from the catalogue
    assert '<time datetime="2026-12-06">2026년 12월 6일</time>' in page  # CLDR's Korean date for readers
    assert "<language>ko</language>" in (korean_site / "feed.xml").read_text(encoding="utf-8")
    assert json.loads((korean_site / "feed.json").read_text(encoding="utf-8"))["language"] == "ko"
    source = (korean_site / "sources" / "test-herald-sappers-home" / "index.html").read_text(encoding="utf-8")
    assert "러시아어" in visible_text(source)  # the source's language named in Korean


def test_right_to_left_languages_set_the_direction() -> None:
    from factcheck_site.language import language

    assert [language(code).direction for code in ("ar", "he", "fa", "ur", "ko", "en")] == ["rtl"] * 4 + ["ltr"] * 2
    assert [language(code).og_locale for code in ("ko", "en", "pt-BR", "ar")] == ["ko_KR", "en_US", "pt_BR", "ar_EG"]


def test_plurals_follow_the_language() -> None:
    from factcheck_site.language import activate, n_

    try:
        activate("en")
        assert [n_("{count} fact-check", "{count} fact-checks", n) for n in (1, 5, 25000)] == [
            "1 fact-check", "5 fact-checks", "25,000 fact-checks"]
        activate("ko")
        assert [n_("{count} fact-check", "{count} fact-checks", n) for n in (1, 5)] == ["팩트체크 1건", "팩트체크 5건"]
    finally:
        activate("en")


def _extracted(folder: Path) -> set[object]:
    """The messages `./dev translations` would extract from the generator now."""
    from babel.messages.pofile import read_po

    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "--no-location",
                    "--omit-header", "-k", "_", "-k", "n_:1,2", "-k", "np_:1,2", "-k", "N_", "-o",
                    str(folder / "now.pot"),
                    str(ROOT / "generator" / "factcheck_site")], capture_output=True, text=True, check=True)
    with (folder / "now.pot").open("rb") as file:
        return {m.id for m in read_po(file) if m.id}


def _texts(string: object) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)  # type: ignore[arg-type]


def test_catalogues_are_complete_compiled_and_current(tmp_path: Path) -> None:
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    wanted = _extracted(tmp_path)
    with (LOCALES / "factcheck.pot").open("rb") as file:
        assert {m.id for m in read_po(file) if m.id} == wanted, "run ./dev translations: the template is stale"
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/factcheck.po")):
        with po.open("rb") as file:
            catalogue = read_po(file)
        assert {m.id for m in catalogue if m.id} == wanted, f"{po}: run ./dev translations"
        untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy or not all(
            m.string if isinstance(m.string, tuple) else [m.string]))]
        assert untranslated == [], f"{po}: not translated"
        for message in catalogue:  # a translation fills in exactly the placeholders its English has
            if message.id:
                wanted_fields = set(re.findall(r"\{(\w*)\}", _texts(message.id)[-1]))
                for text in _texts(message.string):
                    assert set(re.findall(r"\{(\w*)\}", text)) == wanted_fields, (po.name, message.id, text)
        with po.with_suffix(".mo").open("rb") as file:
            compiled = read_mo(file)
        assert ({_texts(m.id): _texts(m.string) for m in compiled if m.id}
                == {_texts(m.id): _texts(m.string) for m in catalogue if m.id}), \
            f"{po.with_suffix('.mo')} is not the compiled {po.name}: run ./dev translations"


def _pseudo(text: str) -> str:
    """A string as the pseudo-language writes it: marked, and with its letters accented, placeholders kept."""
    accented = str.maketrans("aceinouyACEINOUY", "áçéîñöüýÁÇÉÎÑÖÜÝ")
    parts = re.split(r"(\{[^{}]*\})", text)
    return OPEN + "".join(p if p.startswith("{") else p.translate(accented) for p in parts) + CLOSE


def pseudo_translations() -> gettext.GNUTranslations:
    """The whole catalogue in the pseudo-language, as compiled translations (one plural form, as Korean has)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (LOCALES / "factcheck.pot").open("rb") as file:
        template = read_po(file)
    catalogue = Catalog(locale="ko")
    for message in template:
        if message.id:
            catalogue.add(message.id, tuple(_pseudo(text) for text in message.id) if isinstance(message.id, tuple)
                          else _pseudo(message.id))
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def test_every_word_the_generator_writes_comes_from_the_catalogue(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The Korean site built (MkDocs and the plugin, in this process) with every catalogue string marked: its editors
    wrote Korean and Russian and the theme's words are Korean, so any Latin letters outside the marks on any page
    are words the generator, its templates or its frame wrote without the catalogue."""
    from factcheck_site.language import activate, register
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project, site = tmp_path / "project", tmp_path / "site"
    shutil.copytree(KOREAN_SITE, project)
    monkeypatch.setenv("SITE_URL", "https://factcheck.test/")
    monkeypatch.setenv("REPO_URL", REPOSITORY)
    register("ko", pseudo_translations())
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    finally:
        register("ko", None)
        activate("en")
    found: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        unmarked, marked = visible_text(page.read_text(encoding="utf-8")), ""
        while unmarked != marked:  # innermost first: a catalogue string can hold another in a placeholder
            marked, unmarked = unmarked, re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", unmarked)
        for word in latin_words(unmarked):
            found.setdefault(word, set()).add(page.relative_to(site).as_posix())
    assert found == {}, "generator words not from the catalogue: " + "; ".join(
        f"{word} ({', '.join(sorted(pages)[:3])})" for word, pages in sorted(found.items()))
    claim = (site / "claims" / "casualties-were-disclosed" / "index.html").read_text(encoding="utf-8")
    assert OPEN + "Çláîm" in claim and OPEN + "Répört áñ érrör" in claim  # the page's words and the frame's, marked


def _prose(markdown: str) -> str:
    """A page's words as readers read them: without placeholders, code, link targets or HTML comments."""
    for pattern in (r"\{\{.*?\}\}", r"`[^`]*`", r"\]\([^)]*\)", r"<!--.*?-->", r"^---\n.*?\n---\n"):
        markdown = re.sub(pattern, " ", markdown, flags=re.S | re.M)
    return markdown


def test_init_starts_a_desk_in_its_language(tmp_path: Path) -> None:
    from conftest import factcheck

    result = factcheck("init", "--language", "ko", str(tmp_path / "desk"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    desk = tmp_path / "desk"
    config = (desk / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^  language: ko$", config, re.M)
    nav = config.split("\nnav:\n", 1)[1].split("\n\n", 1)[0]
    titles = re.findall(r"- ([^:\n]+):", nav) + re.findall(r"^        - ([^:\n]+): ", config, re.M)
    assert len(titles) >= 13 and latin_words(" ".join(titles)) == set(), titles
    for page in sorted((desk / "docs").glob("*.md")):  # in Korean, names of formats and standards aside
        letters = [c for c in _prose(page.read_text(encoding="utf-8")) if c.isalpha()]
        hangul = sum("\uac00" <= c <= "\ud7a3" for c in letters)
        assert hangul > 0.75 * len(letters), f"{page.name}: {hangul} of {len(letters)} letters are Hangul"
    form = (desk / ".github" / "ISSUE_TEMPLATE" / "correction.yml").read_text(encoding="utf-8")
    assert "id: claim_url" in form and "name: 오류 신고" in form  # the field ids the pages prefill stay
    english = factcheck("init", str(tmp_path / "english"), cwd=tmp_path)
    assert english.returncode == 0 and "language: en" in (tmp_path / "english" / "mkdocs.yml").read_text("utf-8")
    refused = factcheck("init", "--language", "Korean!", str(tmp_path / "other"), cwd=tmp_path)
    assert refused.returncode == 2 and "not a language code" in refused.stderr and not (tmp_path / "other").exists()


@pytest.mark.parametrize(("passage", "language", "stated"), [
    ("2025년 12월 13일 토요일", "ko", (2025, 12, 13)),
    ("2025年12月12日", "ja", (2025, 12, 12)),
    ("13 декабря 2025 года", "ru", (2025, 12, 13)),
    ("12. Dezember 2025", "de", (2025, 12, 12)),
    ("le 12 décembre 2025", "fr", (2025, 12, 12)),
    ("12 de diciembre de 2025", "es", (2025, 12, 12)),
    ("Friday, December 12, 2025", "en", (2025, 12, 12)),
])
def test_a_claim_date_is_read_in_its_sources_language(passage: str, language: str, stated: tuple[int, ...]) -> None:
    """A desk quoting sources in its own language can mark the passage that dates a claim."""
    from factcheck_site.content.claim_dates import stated_dates

    assert stated_dates(passage, language) == [stated]


def test_a_desk_rewords_the_default_scale_in_its_language(tmp_path: Path) -> None:
    """Verdicts without ranks in mkdocs.yml reword the default scale: the desk's words where it gave them, the
    catalogue's elsewhere; the scale's verdicts and order stay."""
    from factcheck_site.config import read_settings

    config = tmp_path / "mkdocs.yml"
    config.write_text("theme:\n  name: material\n  language: ko\nplugins:\n  - factcheck:\n      verdicts:\n"
                      "        - {id: \"false\", label: 거짓}\n        - {id: mixed, meaning: 일부만 사실입니다.}\n",
                      encoding="utf-8")
    settings, problems = read_settings(config)
    assert problems == []
    words = {v.id: (v.label, v.meaning, v.rank) for v in settings.scale}
    assert words["false"] == ("거짓", "주장이 사실과 다릅니다.", 1)
    assert words["mixed"] == ("절반의 사실", "일부만 사실입니다.", 4)
    assert words["unverified"][:1] == ("판단 유보",) and len(words) == 7
    config.write_text(config.read_text(encoding="utf-8").replace('"false"', "pants-on-fire"), encoding="utf-8")
    assert "not on the default scale" in str(read_settings(config)[1])


@pytest.mark.parametrize(("summary", "first"), [
    ("120일이라는 숫자는 한 기사만 전한다. 다른 기사는 작업 기간만 밝혔다.", "120일이라는 숫자는 한 기사만 전한다."),
    ("一つ目の文。二つ目の文。", "一つ目の文。"),
    ("Это т. е. пример. Второе предложение.", "Это т. е. пример."),
    ("Only one article says so. The others do not.", "Only one article says so."),
])
def test_a_grouped_list_gives_the_first_sentence_in_any_script(summary: str, first: str) -> None:
    from factcheck_site.render.listings import first_sentence

    assert first_sentence(summary) == first


def test_a_desk_that_sets_the_direction_keeps_its_language(tmp_path: Path) -> None:
    """theme.direction, Material's own setting, chooses the pages' direction only: the generator's words stay in
    theme.language (a desk writing `direction: ltr` beside `language: ko` got English words)."""
    project = tmp_path / "project"
    shutil.copytree(KOREAN_SITE, project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  language: ko\n", "  language: ko\n  direction: ltr\n"), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "claims" / "deployment-lasted-120-days" / "index.html").read_text(encoding="utf-8")
    assert "판정" in page and "Our verdict" not in page


def test_a_language_keeps_at_most_so_many_dates_and_numbers_as_written() -> None:
    """A Language keeps the dates and numbers it has written (every page writes the same few thousand), but not
    without end: a process that lives on and writes ever other ones (a long preview, a desk's own script) would keep
    them all. What it writes stays the same once some are let go."""
    from factcheck_site import language as module

    persian = module.language("fa")
    first = [persian.number(n) for n in range(20_000)]
    assert len(persian.written) < 20_000, "every number written is kept"
    assert len(persian.written) <= module.WRITTEN_KEPT
    assert persian.number(0) == first[0] == "۰" and persian.number(19_999) == first[19_999] == "۱۹٬۹۹۹"
    day = dt.date(2026, 12, 6)
    assert persian.date(day) == module.language("fa").date(day) and len(persian.written) <= module.WRITTEN_KEPT
