"""A claim and a source whose every editor-controlled field carries an attack, for
the HTML tests (test_hostile_content.py) and the browser tests.

Each payload names its field, so a test can tell which field leaked, and is plain
text to the reader: the reader must see it verbatim, never run it.
"""

from __future__ import annotations

import json
from pathlib import Path

CLAIM_ID = "hostile-claim"
SOURCE_ID = "hostile-source"


def payload(field: str) -> str:
    """Script, event handlers, javascript:/data: links, entities, template syntax and
    Markdown, in under 200 characters (the shortest limit of the fields that get one)."""
    return (f'<script>alert("{field}")</script><img src=x onerror=alert("{field}")>'
            f'"><svg/onload=alert(1)>[m](javascript:alert(1))&lt;b&gt;&#x3C;i&#x3E;{{{{ config }}}}</title>')


def short_payload(field: str) -> str:
    """For tags (at most 60 characters)."""
    return f'<img src=x onerror=alert("{field}")>'


# Text fields of the claim file that are printed as plain text: field -> payload.
CLAIM_TEXT = {name: payload(name) for name in ("claim", "claimant", "summary", "note", "author", "correction")}
CLAIM_TEXT["claim"] += "\n\n[smuggled](javascript:alert(2))\n\n<b>raw</b>"  # blank lines: Markdown after HTML
for _field in ("claim", "summary"):  # what feeds used to turn into markup: an entity, an image from elsewhere
    CLAIM_TEXT[_field] += " &amp;<img src=https://x.example/i.png>"
TAGS = [short_payload("tag-1"), "<a href='javascript:alert(1)'>t</a>"]
QUOTES = [payload("quote-1"), 'The <iframe src="javascript:alert(1)"></iframe> and <a href="data:text/html,x">d</a>']
SOURCE_TEXT = {"title": payload("source-title"), "publisher": payload("source-publisher")}
# Addresses with markup (<, >, ") are refused (tests/cases/bad-sources/url-*.md); these pass
# and still try to break out of an attribute or be read as entities.
SOURCE_URL = "https://example.org/a?q=%3Cscript%3Ealert(1)%3C/script%3E&x='onmouseover=alert(1)&y=&amp;lt;"
ARCHIVED_URL = "https://web.archive.org/web/2025/https://example.org/'onfocus='alert(1)'autofocus='&#x27;"
SOURCE_BODY_EXTRA = (
    'Body <script>alert("body")</script> and <img src=x onerror=alert("body")>, [b](javascript:alert(1)), '
    "&amp; &lt;b&gt; &#x3C;script&#x3E; {{ config }} {% raw %} <!-- -->\n\n"
    "---\n\n# Not a heading\n\n<style>body{display:none}</style>\n"
)
ANALYSIS = """\
# Heading in the analysis <script>alert("analysis")</script>

Analysis <img src=x onerror=alert("analysis")> [js](javascript:alert("analysis")) \
[d](data:text/html,<script>alert(1)</script>) [v](vbscript:msgbox) [j](JaVaScRiPt:alert(1)) \
[k](&#106;avascript:alert(1)) [t](java\tscript:alert(1)) <javascript:alert(1)> <a href="javascript:alert(1)">raw</a> \
![img](x" onerror="alert(1)) ![img2](https://tracker.example/pixel.png) [ok](https://example.org/ok)

[ref]: javascript:alert(1)

A [reference][ref] link and <details open ontoggle=alert(1)>x</details>.
"""
# What the reader must see of the analysis, as text.
ANALYSIS_VISIBLE = ['Analysis <img src=x onerror=alert("analysis")>', '<script>alert("analysis")</script>',
                    '<a href="javascript:alert(1)">raw</a>']


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML strings


def write_hostile_content(project: Path) -> None:
    """Add the hostile source and claim to a copy of the site (its claims/ and sources/)."""
    body = "\n\n".join([*QUOTES, SOURCE_BODY_EXTRA])
    (project / "sources" / f"{SOURCE_ID}.md").write_text(
        "---\n"
        f"title: {_yaml(SOURCE_TEXT['title'])}\n"
        f"publisher: {_yaml(SOURCE_TEXT['publisher'])}\n"
        f"url: {_yaml(SOURCE_URL)}\n"
        f"archived: {_yaml(ARCHIVED_URL)}\n"
        "published: 2025-12-12\n"
        "---\n" + body, encoding="utf-8")
    analysis = "\n".join("  " + line if line else "" for line in ANALYSIS.splitlines())
    (project / "claims" / f"{CLAIM_ID}.yml").write_text(
        f"claim: {_yaml(CLAIM_TEXT['claim'])}\n"
        f"claimant: {_yaml(CLAIM_TEXT['claimant'])}\n"
        f"appeared_in: [{SOURCE_ID}]\n"
        "verdict: 'false'\n"
        f"summary: {_yaml(CLAIM_TEXT['summary'])}\n"
        "quotes:\n"
        f"  - source: {SOURCE_ID}\n    text: {_yaml(QUOTES[0])}\n    stance: supports\n"
        f"    note: {_yaml(CLAIM_TEXT['note'])}\n"
        f"  - source: {SOURCE_ID}\n    text: {_yaml(QUOTES[1])}\n    stance: contradicts\n"
        f"analysis: |\n{analysis}\n"
        f"tags: [{', '.join(_yaml(t) for t in TAGS)}]\n"
        f"author: {_yaml(CLAIM_TEXT['author'])}\n"
        "published: 2026-11-24\n"  # newest (yet past, as dates must be), so it is listed on the home page too
        "corrections:\n"
        f"  - date: 2026-11-25\n    text: {_yaml(CLAIM_TEXT['correction'])}\n",
        encoding="utf-8")
