"""Hostile editor content is shown as text, never as live markup (at the render level;
a full build is tested with the hostile-input corpus)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from building import build
from conftest import ROOT

ATTACK = '<script>alert(1)</script><img src=x onerror=alert(2)>'
CLAIM = f'''claim: "{ATTACK} claim"
claimant: "<b onmouseover=alert(3)>Claimant</b>"
verdict: false
summary: "&lt;script&gt;alert(4)&lt;/script&gt; summary"
quotes:
  - source: calitoday-unimaginable-burdens
    text: "Kim detailed their grueling 120-day deployment, which began in August."
    note: "<a href='javascript:alert(5)'>note</a>"
    stance: supports
  - source: dprk-soldiers-return-home
    text: "completing the mission in just three months"
    stance: contradicts
analysis: |
  <script>alert(6)</script>
  [click](javascript:alert(7)) [data](data:text/html;base64,PHNjcmlwdD4=) <a href="javascript:alert(8)">x</a>
  ![pixel](https://tracker.example/p.gif)
tags: ["<svg onload=alert(9)>"]
author: "<iframe src=javascript:alert(10)>"
published: 2026-11-20
corrections:
  - date: 2026-11-21
    text: "<style>body{{display:none}}</style>"
'''


def _page(tmp_path: Path) -> tuple[str, BeautifulSoup]:
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "hostile.yml").write_text(CLAIM, encoding="utf-8")
    built = build(claims, ROOT / "sources", tmp_path)
    assert built.problems == []
    markdown = built.pages["claims/hostile.md"]
    body = markdown.split("\n---\n", 1)[1]
    return markdown, BeautifulSoup(body, "html.parser")


def test_no_live_markup_from_any_field(tmp_path: Path) -> None:
    _, soup = _page(tmp_path)
    assert not soup.find_all(["script", "img", "iframe", "svg", "style", "b"])
    for element in soup.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
        for attribute in ("href", "src"):
            value = str(element.get(attribute, "")).strip().lower()
            assert not value.startswith(("javascript:", "data:")), element


def test_reader_still_sees_the_text(tmp_path: Path) -> None:
    _, soup = _page(tmp_path)
    text = soup.get_text(" ")
    for visible in ("<script>alert(1)</script>", "<b onmouseover=alert(3)>Claimant</b>",
                    "&lt;script&gt;alert(4)&lt;/script&gt; summary", "<svg onload=alert(9)>",
                    "<iframe src=javascript:alert(10)>", "<style>body{display:none}</style>"):
        assert visible in text


def test_page_title_cannot_break_out_of_the_title_element(tmp_path: Path) -> None:
    markdown, _ = _page(tmp_path)
    front = markdown.split("\n---\n", 1)[0]
    # Themes print the title unescaped, so it arrives escaped exactly once.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in front
    assert "<script>" not in front
