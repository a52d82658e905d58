"""Small HTML pieces shared by the page renderers; all editor text is escaped here."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import TYPE_CHECKING, Any

from factcheck_site.content.model import Claim
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.render.urls import claim_src

if TYPE_CHECKING:
    from factcheck_site.render.context import RenderContext

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def date_html(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.day} {MONTHS[day.month - 1]} {day.year}</time>'


def badge(verdict: Verdict, href: str | None = None) -> str:
    inner = esc(verdict.label)
    cls = f"fc-badge fc-rank-{verdict.rank}"
    if href:
        return f'<a class="{cls}" href="{esc(href)}">{inner}</a>'
    return f'<span class="{cls}">{inner}</span>'


_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def yaml_value(value: Any) -> str:
    """A YAML flow value: JSON with only ASCII escapes, so YAML cannot read any character as a line break.

    Characters beyond the BMP are written as themselves, because YAML reads a JSON
    surrogate pair escape as two broken characters.
    """
    text = json.dumps(value, ensure_ascii=True)
    if "\\ud" not in text:  # the pattern is slow over a long value, and most text has no such character
        return text
    return _SURROGATE_PAIR.sub(
        lambda m: m[1] + chr(0x10000 + ((int(m[2], 16) - 0xD800) << 10) + int(m[3], 16) - 0xDC00), text)


def front_matter(title: str, description: str, hide: tuple[str, ...] = ("navigation", "toc"),
                 meta: dict[str, Any] | None = None) -> str:
    """Page front matter; title and description are HTML-escaped because themes print them unescaped."""
    lines = ["---", f"title: {yaml_value(esc(title))}", f"description: {yaml_value(esc(description))}"]
    if hide:
        lines.append("hide: [" + ", ".join(hide) + "]")
    lines += [f"{key}: {yaml_value(value)}" for key, value in (meta or {}).items()]
    lines += ["---", ""]
    return "\n".join(lines)


def claim_list(claims: list[Claim], ctx: RenderContext, here: str) -> str:
    if not claims:
        return '<p class="fc-empty">No fact-checks yet.</p>'
    items = []
    for claim in claims:
        href = ctx.link(here, claim_src(claim.id))
        items.append(
            f'<li class="fc-item">{badge(ctx.site.verdicts[claim.verdict])} '
            f'<a class="fc-item__claim" href="{esc(href)}">{esc(claim.claim)}</a> '
            f'<span class="fc-item__meta">{esc(claim.claimant)} · {date_html(claim.published)}</span></li>'
        )
    return '<ul class="fc-list">\n' + "\n".join(items) + "\n</ul>"


def pager(page: int, pages: int, src_for_page, here: str, ctx: RenderContext) -> str:
    """Previous/next links for a paginated list; src_for_page maps a number to a page's src."""
    if pages <= 1:
        return ""
    parts = []
    if page > 1:
        parts.append(f'<a rel="prev" href="{esc(ctx.link(here, src_for_page(page - 1)))}">'
                     "← Newer</a>")
    parts.append(f'<span class="fc-pager__where">Page {page} of {pages}</span>')
    if page < pages:
        parts.append(f'<a rel="next" href="{esc(ctx.link(here, src_for_page(page + 1)))}">'
                     "Older →</a>")
    return '<nav class="fc-pager" aria-label="Pages">' + " ".join(parts) + "</nav>"
