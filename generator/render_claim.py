"""The page for one fact-check: the claim, the verdict, and the evidence side by side."""

from __future__ import annotations

from .html_parts import badge, date_html, esc, front_matter
from .links import claim_src, relative_url, source_src, verdict_src
from .model import Claim, Quote, Site
from .quotes import OMISSION
from .safe_markdown import markdown_to_html

STANCE_HEADINGS = {
    "supports": ("Supports the claim", "None of the quoted sources supports the claim."),
    "contradicts": ("Contradicts the claim", "None of the quoted sources contradicts the claim."),
    "context": ("Context", ""),
}


def quote_anchor(claim_id: str, number: int) -> str:
    """The id of a quote's highlight on its source page and of the quote on the claim page."""
    return f"q-{claim_id}-{number}"


def _quote(claim: Claim, number: int, quote: Quote, site: Site, here: str, directory_urls: bool) -> str:
    source = site.sources[quote.source]
    text = esc(OMISSION.sub("[…]", quote.text))
    in_source = relative_url(here, source_src(source.id), directory_urls, quote_anchor(claim.id, number))
    about = [f"<cite>{esc(source.title)}</cite>", esc(source.publisher)]
    if source.published:
        about.append(date_html(source.published))
    caption = " · ".join(about)
    links = f'<a href="{esc(in_source)}">Show in source</a>'
    note = f'<p class="fc-quote__note"><strong>Note:</strong> {esc(quote.note)}</p>' if quote.note else ""
    return (f'<figure class="fc-quote" id="{quote_anchor(claim.id, number)}">'
            f'<blockquote><p>{text}</p></blockquote>'
            f'<figcaption>{caption}<br>{links}</figcaption>{note}</figure>')


def _stance_column(stance: str, items: list[str]) -> str:
    heading, empty = STANCE_HEADINGS[stance]
    body = "".join(items) if items else f'<p class="fc-empty">{esc(empty)}</p>'
    return (f'<section class="fc-stance fc-stance--{stance}" aria-label="{esc(heading)}">'
            f'<h3>{esc(heading)} <span class="fc-count">({len(items)})</span></h3>{body}</section>')


def render_claim_page(claim: Claim, site: Site, directory_urls: bool = True) -> str:
    here = claim_src(claim.id)
    verdict = site.verdicts[claim.verdict]
    by_stance: dict[str, list[str]] = {"supports": [], "contradicts": [], "context": []}
    for number, quote in enumerate(claim.quotes, 1):
        by_stance[quote.stance].append(_quote(claim, number, quote, site, here, directory_urls))

    claimant = f"Claim by <strong>{esc(claim.claimant)}</strong>"
    if claim.claim_date:
        claimant += f" on {date_html(claim.claim_date)}"
    appeared = [f'<a href="{esc(relative_url(here, source_src(s), directory_urls))}">{esc(site.sources[s].title)}</a>'
                for s in claim.appeared_in]
    if appeared:
        claimant += ". Appeared in: " + "; ".join(appeared)

    scale_href = relative_url(here, verdict_src(verdict.id), directory_urls)
    parts = [
        front_matter(claim.claim, f"{verdict.label}: {claim.summary}"),
        '<article class="fc-claim">',
        '<p class="fc-kicker">Fact-check</p>',
        f'<h1 id="claim" class="fc-claim__text">{esc(claim.claim)}</h1>',
        f'<p class="fc-claimant">{claimant}</p>',
        f'<div class="fc-verdict fc-rank-{verdict.rank}">'
        f'<p class="fc-verdict__label">Our verdict: {badge(verdict, scale_href)}</p>'
        f'<p class="fc-verdict__meaning">{esc(verdict.meaning)}</p>'
        f'<p class="fc-verdict__summary">{esc(claim.summary)}</p></div>',
        '<h2 id="evidence">Evidence</h2>',
        '<div class="fc-evidence">'
        + _stance_column("supports", by_stance["supports"])
        + _stance_column("contradicts", by_stance["contradicts"])
        + "</div>",
    ]
    if by_stance["context"]:
        parts.append('<div class="fc-evidence fc-evidence--context">'
                     + _stance_column("context", by_stance["context"]) + "</div>")
    if claim.analysis:
        parts += ['<h2 id="analysis">Analysis</h2>',
                  f'<div class="fc-analysis">{markdown_to_html(claim.analysis)}</div>']
    if claim.corrections:
        items = "".join(f"<li>{date_html(c.date)}: {esc(c.text)}</li>"
                        for c in sorted(claim.corrections, key=lambda c: c.date, reverse=True))
        parts += ['<h2 id="corrections">Corrections</h2>', f'<ul class="fc-corrections">{items}</ul>']
    meta = [f"By {esc(claim.author)}", f"Published {date_html(claim.published)}"]
    if claim.updated:
        meta.append(f"Updated {date_html(claim.updated)}")
    tags = ""
    if claim.tags:
        tags = " ".join(f'<span class="fc-tag">{esc(t)}</span>' for t in claim.tags)
        tags = f'<p class="fc-tags">Tags: {tags}</p>'
    parts += [f'<footer class="fc-byline">{tags}<p>{" · ".join(meta)}</p></footer>', "</article>", ""]
    return "\n".join(parts)
