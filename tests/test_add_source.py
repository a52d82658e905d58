"""`factcheck add-source`: a saved article becomes a source with a fingerprint; only the
article's text is kept; a later change to the snapshot is reported by validate."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from conftest import CASES, factcheck
from factcheck_site.content.load import fingerprint, split_front_matter
from factcheck_site.editor.article_text import html_to_text
from terminal import run_in_terminal

PAGES = CASES / "saved-pages"
NEWS_PAGE = PAGES / "news-page.html"
CHROME = ("NAVIGATION-SCRIPT-TEXT", "INLINE-SCRIPT-TEXT", "RELATED-STORY-TEASER", "SIDEBAR-MOST-READ",
          "SITE-FOOTER-COPYRIGHT", "ARTICLE-FOOTER-TAGS", "SUBSCRIBE-BUTTON", "HIDDEN-TEXT", "NOSCRIPT-TEXT",
          "ALT-TEXT-OF-IMAGE", "Politics", "Home > World", "font-family")


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_each_saved_page_gives_exactly_its_article_text(page: Path) -> None:
    expected = page.with_name(page.name.removesuffix(".html") + ".expected.txt").read_text(encoding="utf-8")
    assert html_to_text(page.read_bytes()).text == expected


def _body(path: Path) -> tuple[str, str]:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    assert parts is not None
    return parts[0], parts[1]


def test_add_source_keeps_the_article_and_drops_menus_and_scripts(project: Path) -> None:
    result = factcheck("add-source", str(NEWS_PAGE), "--title", "Sappers return from Kursk",
                       "--publisher", "The Daily Example", "--url", "https://news.example.org/2025/12/sappers-return",
                       "--published", "2025-12-13", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "sources" / "sappers-return-from-kursk.md"
    front, body = _body(path)
    for kept in ("Sappers return from Kursk", "By A. Reporter", "state media said.", "“a miracle”",
                 "The welcome ceremony in Pyongyang.", "Nine members of the regiment died.", "mass heroism"):
        assert kept in body
    for dropped in CHROME:
        assert dropped not in body, dropped
    assert "Soldiers of the 528th regiment returned to Pyongyang on Friday, state media said.\n\n" in body
    assert f"sha256: {fingerprint(body)}\n" in front
    assert f"retrieved: {dt.date.today().isoformat()}" in front and "published: 2025-12-13" in front
    assert "was left out" in result.stderr and "1 × script" in result.stderr
    assert "source: sappers-return-from-kursk" in result.stderr

    checked = factcheck("validate", cwd=project)
    assert checked.returncode == 0, checked.stdout
    assert "6 sources" in checked.stderr


def test_a_changed_snapshot_is_reported(project: Path) -> None:
    assert factcheck("add-source", str(NEWS_PAGE), "--title", "Sappers return", "--publisher", "Example",
                     cwd=project).returncode == 0
    path = project / "sources" / "sappers-return.md"
    text = path.read_text(encoding="utf-8")
    sha_line = text[: text.index("sha256:")].count("\n") + 1
    path.write_text(text.replace("Nine members", "Ten members"), encoding="utf-8")

    result = factcheck("validate", cwd=project)
    assert result.returncode == 1
    assert (f"sources/sappers-return.md:{sha_line}: the text no longer matches its sha256 fingerprint"
            in result.stdout), result.stdout

    path.write_text(text, encoding="utf-8")  # restoring the text restores the match
    assert factcheck("validate", cwd=project).returncode == 0


def test_add_source_never_overwrites(project: Path) -> None:
    args = ["add-source", str(NEWS_PAGE), "--title", "Sappers return", "--publisher", "Example"]
    assert factcheck(*args, cwd=project).returncode == 0
    path = project / "sources" / "sappers-return.md"
    before = path.read_bytes()
    again = factcheck(*args, "--url", "https://example.org/other", cwd=project)
    assert again.returncode == 2
    assert "sources/sappers-return.md already exists, and add-source never overwrites a file" in again.stderr
    assert "--id" in again.stderr
    assert path.read_bytes() == before
    assert factcheck(*args, "--id", "sappers-return-second-copy", cwd=project).returncode == 0


def test_markdown_and_plain_text_files(project: Path, tmp_path: Path) -> None:
    markdown = tmp_path / "article.md"
    markdown.write_text("# The headline\n\nKim praised the *sappers* for [their work](https://example.org).\n\n"
                        "- one item\n- another item\n\n<script>alert(1)</script>\n", encoding="utf-8")
    assert factcheck("add-source", str(markdown), "--title", "From Markdown", "--publisher", "P",
                     cwd=project).returncode == 0
    _, body = _body(project / "sources" / "from-markdown.md")
    assert body == "The headline\n\nKim praised the sappers for their work.\n\none item\n\nanother item\n"

    plain = tmp_path / "article.txt"
    plain.write_bytes(b"\xef\xbb\xbfFirst paragraph,\r\nsame paragraph.   \r\n\r\nSecond *paragraph*.\r\n\r\n\r\n")
    assert factcheck("add-source", str(plain), "--title", "From text", "--publisher", "P", "--language", "ko",
                     cwd=project).returncode == 0
    front, body = _body(project / "sources" / "from-text.md")
    assert body == "First paragraph,\nsame paragraph.\n\nSecond *paragraph*.\n"
    assert 'language: "ko"' in front
    assert factcheck("validate", cwd=project).returncode == 0


@pytest.mark.parametrize(("content", "args", "message"), [
    (b"caf\xe9", [], "article.txt is not UTF-8 text"),
    (b"   \n\n", [], "no article text found in article.txt"),
    (b"Text.", ["--url", "example.org/a"], "'url' must be a web address starting with https://"),
    (b"Text.", ["--published", "13/12/2025"], "'published' must be a date written YYYY-MM-DD"),
    (b"Text.", ["--id", "Bad Id"], "--id 'Bad Id' is not a valid source id"),
])
def test_bad_input_is_explained_and_nothing_is_written(project: Path, tmp_path: Path, content: bytes,
                                                       args: list[str], message: str) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    before = sorted(p.name for p in (project / "sources").iterdir())
    result = factcheck("add-source", str(article), "--title", "T", "--publisher", "P", *args, cwd=project)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "sources").iterdir()) == before


def test_without_a_terminal_a_missing_title_is_an_error_that_offers_the_page_title(project: Path) -> None:
    result = factcheck("add-source", str(NEWS_PAGE), cwd=project)
    assert result.returncode == 2
    assert '--title is missing; add the article\'s headline (the page gives: --title "Sappers return from Kursk")' \
        in result.stderr
    assert '--publisher "The Daily Example"' in result.stderr


def test_in_a_terminal_add_source_asks_and_offers_what_the_page_says(project: Path) -> None:
    status, screen = run_in_terminal(
        [sys.executable, "-m", "factcheck_site", "add-source", str(NEWS_PAGE), "--publisher", "Daily Example"], project,
        [("Headline [Enter for: Sappers return from Kursk]", ""),
         ("Web address of the article [Enter for: https://news.example.org/2025/12/sappers-return]", ""),
         ("Date it was published, YYYY-MM-DD [Enter for: 2025-12-13]", "13 December"),
         ("must be a date written YYYY-MM-DD", "2025-12-12")])
    assert status == 0, screen
    assert "Publisher" not in screen
    front, _ = _body(project / "sources" / "sappers-return-from-kursk.md")
    assert re.search(r'^title: "Sappers return from Kursk"$', front, re.MULTILINE)
    assert 'publisher: "Daily Example"' in front and "published: 2025-12-12" in front
    assert 'url: "https://news.example.org/2025/12/sappers-return"' in front


DEEP = {  # issue 24: 3,000 nested <div>s gave a RecursionError; every kind of nesting, far deeper
    "divs": "<div>" * 3000 + "The regiment returned." + "</div>" * 3000,
    "lists": "<ul><li>" * 3000 + "The regiment returned.",
    "tables": "<table><tr><td>" * 2000 + "The regiment returned.",
    "inline tags": "<b><i><span>" * 3000 + "The regiment returned.",
    "articles in sections": "<section><article>" * 2000 + "The regiment returned.",
    "a preformatted block deep down": "<div>" * 3000 + "<pre>" + "<b>" * 3000 + "The regiment returned.</pre>",
}


@pytest.mark.parametrize("page", DEEP.values(), ids=DEEP.keys())
def test_a_deeply_nested_page_gives_its_text(page: str) -> None:
    assert html_to_text(f"<html><body>{page}</body></html>").text == "The regiment returned.\n"


def test_add_source_reads_a_page_nested_thousands_deep(project: Path, tmp_path: Path) -> None:
    saved = tmp_path / "deep.html"
    saved.write_text("<html><body>" + DEEP["divs"] + "</body></html>", encoding="utf-8")
    result = factcheck("add-source", str(saved), "--title", "Deep", "--publisher", "Example", cwd=project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert _body(project / "sources" / "deep.md")[1] == "The regiment returned.\n"
