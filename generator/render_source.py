"""The page for one source: its metadata, who cites it, and its full text with the
quoted passages highlighted, so a reader can check every quote in context."""

from __future__ import annotations

import re

from .html_parts import claim_list, date_html, esc, front_matter
from .links import claim_src, relative_url, source_src
from .model import Claim, Site, Source
from .render_claim import quote_anchor

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")


def citing_claims(source: Source, site: Site) -> list[Claim]:
    """Newest first; from the site's citation index, so no page scans every claim."""
    citing = {c.id: c for c, _, _ in site.citations.get(source.id, ())}
    citing.update((c.id, c) for c in site.appearances.get(source.id, ()))
    return sorted(citing.values(), key=lambda c: (c.published, c.id), reverse=True)


def _highlights(source: Source, site: Site) -> list[tuple[int, int, str, str]]:
    """(start, end, anchor id, claim id) for every quoted passage in this source."""
    found = []
    for claim, number, quote in site.citations.get(source.id, ()):
        for start, end in quote.spans:
            found.append((start, end, quote_anchor(claim.id, number), claim.id))
    return sorted(found)


def _marked_text(source: Source, site: Site, here: str, directory_urls: bool) -> str:
    """The text as paragraphs, each quoted span in a <mark> linking to its claim."""
    text = source.text
    marks = _highlights(source, site)
    cuts = sorted({0, len(text), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    out: list[str] = []
    started: set[str] = set()
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        chunks = _PARAGRAPH_BREAK.split(piece)
        rendered = []
        for chunk in chunks:
            chunk_html = esc(chunk).replace("\n", "<br>\n")
            if covering and chunk.strip():
                anchors = "".join(f'<span id="{a}" class="fc-anchor"></span>'
                                  for _, _, a, _ in covering if a not in started)
                started.update(a for _, _, a, _ in covering)
                first = covering[0]
                href = relative_url(here, claim_src(first[3]), directory_urls, first[2])
                title = f"Quoted in {len({m[3] for m in covering})} fact-check(s); open the first"
                chunk_html = (f'{anchors}<mark><a class="fc-mark" href="{esc(href)}" title="{esc(title)}">'
                              f"{chunk_html}</a></mark>")
            rendered.append(chunk_html)
        out.append("</p>\n<p>".join(rendered))
    body = "".join(out).strip()
    return f'<div class="fc-snapshot" lang="{esc(source.language)}"><p>{body}</p></div>'


def render_source_page(source: Source, site: Site, directory_urls: bool = True) -> str:
    here = source_src(source.id)
    rows = [("Publisher", esc(source.publisher))]
    if source.published:
        rows.append(("Published", date_html(source.published)))
    if source.url:
        rows.append(("Original", f'<a href="{esc(source.url)}" rel="nofollow noopener">{esc(source.url)}</a>'))
    if source.archived:
        rows.append(("Archived copy",
                     f'<a href="{esc(source.archived)}" rel="nofollow noopener">{esc(source.archived)}</a>'))
    if source.retrieved:
        rows.append(("Snapshot taken", date_html(source.retrieved)))
    rows.append(("Language", esc(source.language)))
    meta = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    citing = citing_claims(source, site)
    parts = [
        front_matter(source.title, f"Source snapshot: {source.title} ({source.publisher})"),
        '<article class="fc-source">',
        '<p class="fc-kicker">Source snapshot</p>',
        f'<h1 id="source" class="fc-source__title">{esc(source.title)}</h1>',
        f'<dl class="fc-source__meta">{meta}</dl>',
        f'<h2 id="cited-by">Cited by {len(citing)} fact-check{"s" if len(citing) != 1 else ""}</h2>',
        claim_list(citing, site.verdicts, here, directory_urls),
        '<h2 id="text">Text of the snapshot</h2>',
        '<p class="fc-hint">Highlighted passages are quoted in our fact-checks; select one to open it.</p>',
        _marked_text(source, site, here, directory_urls),
        "</article>",
        "",
    ]
    return "\n".join(parts)
