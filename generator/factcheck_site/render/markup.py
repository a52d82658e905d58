"""Small HTML pieces shared by the page renderers; all editor text is escaped here."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from factcheck_site.content.model import Claim
from factcheck_site.content.verdict_scale import Verdict, rated
from factcheck_site.language import Message, _, active, date_text
from factcheck_site.render.line_counts import lines_meta
from factcheck_site.render.urls import claim_src

if TYPE_CHECKING:
    from factcheck_site.render.context import RenderContext


# The words of the pieces below (language.py translates them).
NO_CLAIMS, NEWER, OLDER, PAGES = _("No fact-checks yet."), _("← Newer"), _("Older →"), _("Pages")
NOT_RATED, PAGE_NUMBER = _("{verdict}: not rated"), _("{title} (page {number})")


def esc(text: str | Message) -> str:
    text = text if type(text) is str else str(text)
    # Most text has none of the five characters: five searches cost half of html.escape's five replacements.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def date_html(day: dt.date) -> str:
    """A date for readers in the site's language, with the ISO date for machines."""
    return f'<time datetime="{day.isoformat()}">{date_text(day)}</time>'


# Verdicts: a colour and a shape (assets/factcheck.css, .fc-tone-N) per place on the scale, so that a
# verdict reads without colour; the label always says it in words. Tone 0 is off the scale (not
# rated), 1 the worst verdict, TONES the best.
TONES = 6


_BY_VERDICT: dict[tuple[str, int, int, int], tuple[Verdict, tuple[Verdict, ...], Any, Any]] = {}


def _per_verdict(kind: str, verdict: Verdict, scale: tuple[Verdict, ...], make: Callable[[], Any]) -> Any:
    """make() once per verdict, scale and language, told apart by identity: hashing a scale (for a cache keyed by
    its value) hashes every verdict in it, which cost more than the badge on every claim page and listing line.
    The entry holds the objects it is for, so no other object can take their ids while it is kept."""
    language = active()
    key = (kind, id(verdict), id(scale), id(language))
    entry = _BY_VERDICT.get(key)
    if entry is None:
        if len(_BY_VERDICT) > 256:  # the scales and languages of earlier builds of a long `mkdocs serve`
            _BY_VERDICT.clear()
        entry = _BY_VERDICT[key] = (verdict, scale, language, make())
    return entry[3]


def tone(verdict: Verdict, scale: tuple[Verdict, ...]) -> int:
    """0 off the scale (not rated); else 1 (worst) to TONES (best), spread over the scale's points, so a
    site's own scale of any length gets the same colours and shapes at its ends and in its middle."""
    return _per_verdict("tone", verdict, scale, lambda: _tone(verdict, scale))  # type: ignore[no-any-return]


def _tone(verdict: Verdict, scale: tuple[Verdict, ...]) -> int:
    points = rated(scale)
    if verdict.rank == 0 or verdict not in points:
        return 0
    if len(points) == 1:
        return TONES
    return 1 + int(points.index(verdict) * (TONES - 1) / (len(points) - 1) + 0.5)


def badge(verdict: Verdict, scale: tuple[Verdict, ...], href: str | None = None) -> str:
    """The verdict's label with its shape (drawn by the style sheet); where it sits on the scale is the claim
    page's meter's to show, once."""
    cls, inner = _per_verdict("badge", verdict, scale, lambda: _badge_parts(verdict, scale))
    if href:
        return f'<a class="{cls}" href="{esc(href)}">{inner}</a>'
    return f'<span class="{cls}">{inner}</span>'


def _badge_parts(verdict: Verdict, scale: tuple[Verdict, ...]) -> tuple[str, str]:
    return f"fc-badge fc-tone-{tone(verdict, scale)}", esc(verdict.label)


def verdict_meter(verdict: Verdict, scale: tuple[Verdict, ...]) -> str:
    """Where the verdict sits on the scale: every point, worst to best, with this one marked; an
    unrated verdict is marked beside the scale, not at its bottom."""
    return _per_verdict("meter", verdict, scale, lambda: _meter(verdict, scale))  # type: ignore[no-any-return]


def _meter(verdict: Verdict, scale: tuple[Verdict, ...]) -> str:
    points = rated(scale)
    if not points:
        return ""
    ends = _("from {worst} to {best}").format(worst=points[0].label, best=points[-1].label)
    if verdict in points:
        where = _("{verdict}: point {number} of {count} on our verdict scale, {ends}").format(
            verdict=verdict.label, number=active().number(points.index(verdict) + 1),
            count=active().number(len(points)), ends=ends)
    else:
        where = _("{verdict}: not rated, so not on our verdict scale, which runs {ends}").format(
            verdict=verdict.label, ends=ends)
    steps = "".join(
        f'<span class="fc-meter__step fc-tone-{tone(point, scale)}{" fc-meter__step--here" * (point == verdict)}">'
        f'<span class="fc-meter__name">{esc(point.label)}</span></span>' for point in points)
    off = ""
    if verdict not in points:
        off = (f'<span class="fc-meter__off fc-tone-0 fc-meter__step--here">'
               f'<span class="fc-meter__name">{esc(NOT_RATED.format(verdict=verdict.label))}</span></span>')
    return (f'<div class="fc-meter" role="img" aria-label="{esc(where)}">'
            f'<span class="fc-meter__steps">{steps}</span>{off}</div>')


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


def claim_item(claim: Claim, ctx: RenderContext, here: str, attributes: str = "") -> str:
    """A claim in a list: its verdict's badge, the claim linking to its page, who made it and when we published."""
    href = ctx.link(here, claim_src(claim.id))
    return (f'<li class="fc-item"{attributes}>{badge(ctx.site.verdicts[claim.verdict], ctx.site.scale)} '
            f'<a class="fc-item__claim" href="{esc(href)}">{esc(claim.claim)}</a> '
            f'<span class="fc-item__meta">{esc(ctx.site.claimant_line(claim))} · {date_html(claim.published)}</span> '
            f"{lines_meta(claim, ctx)}</li>")


def claim_list(claims: list[Claim], ctx: RenderContext, here: str) -> str:
    if not claims:
        return f'<p class="fc-empty">{NO_CLAIMS}</p>'
    items = [claim_item(claim, ctx, here) for claim in claims]
    return '<ul class="fc-list">\n' + "\n".join(items) + "\n</ul>"


def pager_targets(page: int, pages: int, src_for_page: Callable[[int], str]) -> tuple[str | int, ...]:
    """What a page's pager shows: where it is, how many pages there are, and the pages it links to."""
    return (page, pages, src_for_page(page - 1) if page > 1 else "", src_for_page(page + 1) if page < pages else "")


def page_heading(title: str, number: int) -> str:
    """A paginated list's heading: the title alone on its first page, with the page's number after it."""
    return title if number == 1 else PAGE_NUMBER.format(title=title, number=active().number(number))


def pager(page: int, pages: int, src_for_page, here: str, ctx: RenderContext) -> str:
    """Previous/next links for a paginated list; src_for_page maps a number to a page's src."""
    if pages <= 1:
        return ""
    parts = []
    if page > 1:
        parts.append(f'<a rel="prev" href="{esc(ctx.link(here, src_for_page(page - 1)))}">'
                     f"{NEWER}</a>")
    where = _("Page {page} of {pages}").format(page=active().number(page), pages=active().number(pages))
    parts.append(f'<span class="fc-pager__where">{where}</span>')
    if page < pages:
        parts.append(f'<a rel="next" href="{esc(ctx.link(here, src_for_page(page + 1)))}">'
                     f"{OLDER}</a>")
    return f'<nav class="fc-pager" aria-label="{PAGES}">' + " ".join(parts) + "</nav>"
