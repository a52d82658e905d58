"""Stand-in pages for drafts while previewing with `mkdocs serve`.

A claim fresh from `factcheck new` has blanks, so it cannot become a page; a failing build
would leave the preview stuck, waiting, with the reason only in the terminal. So while
previewing, each claim or source with problems gets a page listing them, the rest of the
site builds as usual, and the page turns into the fact-check as soon as the file is
right. `mkdocs build` and `factcheck validate` still refuse every problem.
"""

from __future__ import annotations

import re

from factcheck_site.content.formats import SLUG_PATTERN
from factcheck_site.content.problems import Problem
from factcheck_site.render.markup import esc, front_matter
from factcheck_site.render.urls import claim_src, source_src


def _draft_page(shown_path: str, problems: list[Problem]) -> str:
    own = [p for p in problems if p.path == shown_path]
    others = [p for p in problems if p.path != shown_path]
    items = "".join(f"<li><code>{esc(str(p))}</code></li>" for p in own + others)
    why = ("It quotes a file that has problems, listed below." if not own
           else f"{shown_path} has {len(own)} problem{'s' if len(own) != 1 else ''}.")
    return (front_matter(f"Draft: {shown_path}", "A draft with problems, shown only in the preview")
            + '<div class="admonition failure">\n<p class="admonition-title">This page cannot be built yet</p>\n'
            + f"<p>{esc(why)} Fix them in your editor and save: this page updates by itself. "
            + "<code>factcheck validate</code> lists the same problems.</p>\n"
            + f"<ul>{items}</ul>\n</div>\n")


def draft_pages(problems: list[Problem], drafts: dict[str, str]) -> dict[str, str]:
    """Pages for files that have no page because of problems: {src_uri: Markdown}.

    `drafts` maps each such file's id to its path as shown in problems, e.g.
    {"claims/my-claim": "claims/my-claim.yml", "sources/an-article": "sources/an-article.md"}.
    """
    pages = {}
    for key, shown_path in sorted(drafts.items()):
        folder, _, item_id = key.partition("/")
        if not re.match(SLUG_PATTERN, item_id):
            continue  # a file name that cannot be a page; its problem says so
        src = claim_src(item_id) if folder == "claims" else source_src(item_id)
        pages[src] = _draft_page(shown_path, problems)
    return pages
