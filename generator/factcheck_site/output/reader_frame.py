"""The frame readers see around every page, as generator defaults that a desk overrides in mkdocs.yml.

- No repository badge, edit pencil or "Made with Material for MkDocs" line: `repository_link: true` and
  `edit_links: true` under plugins.factcheck (with repo_url set), or `extra: {generator: true}`, bring
  them back.
- Light and dark colour schemes that follow the reader's system setting, unless `theme.palette` is set.
- Breadcrumbs, and the current tab marked, on generated pages, which are not in the nav.
- "Suggest a correction" on claim pages and "Suggest a claim to check" in the footer: GitHub issue forms
  (.github/ISSUE_TEMPLATE/) prefilled with the page, when repo_url is a GitHub repository; otherwise a
  link to how the corrections policy says to report, never to an address the desk does not have.
- Pages linked from the footer instead of the main tabs (`footer:`), such as specifications.

The templates (templates/main.html and partials/) print what this module computes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from mkdocs.structure.files import InclusionLevel

from factcheck_site.render.urls import HOME_SRC, SCALE_SRC, archive_src

CORRECTION_FORM, CLAIM_FORM = "correction.yml", "suggest-claim.yml"
REPORT_SECTION = "how-to-report-an-error"  # the heading "How to report an error" in the corrections policy
EDIT_FEATURES = ("content.action.edit", "content.action.view")
DEFAULT_PALETTE = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo",
     "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"}},
]
TITLE_LENGTH = 100  # of the claim in a correction issue's title
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_GITHUB_REPO = re.compile(r"https://github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?/?")


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None = None  # relative to the site's root (for the templates' `url` filter), or absolute


@dataclass(frozen=True)
class Report:
    """Where a reader reports: a prefilled issue form, or the corrections policy's instructions."""

    link: Link
    is_form: bool


@dataclass(frozen=True)
class SiteFrame:
    footer: tuple[Link, ...]
    suggest_claim: Report | None
    repository_link: bool
    lost: tuple[Link, ...] = ()  # where the page-not-found page sends readers


def apply_defaults(config: Any, *, edit_links: bool) -> None:
    """The generator's defaults for the theme; whatever the desk set in mkdocs.yml stays."""
    config.extra.setdefault("generator", False)
    if not config.theme.get("palette"):
        config.theme["palette"] = [dict(option) for option in DEFAULT_PALETTE]
    features = [f for f in config.theme.get("features") or [] if edit_links or f not in EDIT_FEATURES]
    if edit_links and EDIT_FEATURES[0] not in features:
        features.append(EDIT_FEATURES[0])
    config.theme["features"] = features


def github_repository(repo_url: str | None) -> str | None:
    """https://github.com/OWNER/REPO for a repo_url on GitHub, which has issue forms; else None."""
    match = _GITHUB_REPO.fullmatch((repo_url or "").strip())
    return f"https://github.com/{match[1]}/{match[2]}" if match else None


def issue_form(repository: str, template: str, title: str, fields: dict[str, str]) -> str:
    """The address of a new issue from an issue form, its fields (by id) prefilled."""
    return f"{repository}/issues/new?" + urlencode({"template": template, "title": title, **fields})


def report_fallback(corrections_policy: str | None, policy_markdown: str | None) -> str | None:
    """The corrections policy's section on reporting (or the policy itself), relative to the site's root."""
    if not corrections_policy:
        return None
    has_section = policy_markdown is not None and re.search(
        r"^#{1,6}\s+How to report an error\s*$", policy_markdown, re.IGNORECASE | re.MULTILINE)
    return corrections_policy + (f"#{REPORT_SECTION}" if has_section else "")


def correction_report(repository: str | None, fallback: str | None, claim: str,
                      claim_url: str | None) -> Report | None:
    if repository:
        short = claim if len(claim) <= TITLE_LENGTH else claim[:TITLE_LENGTH - 1].rstrip() + "\u2026"
        fields = {"claim": claim, **({"claim_url": claim_url} if claim_url else {})}
        return Report(Link("Suggest a correction", issue_form(repository, CORRECTION_FORM,
                                                              f"Correction: {short}", fields)), True)
    return Report(Link("How to report an error", fallback), False) if fallback else None


def claim_report(repository: str | None, fallback: str | None) -> Report | None:
    if repository:
        return Report(Link("Suggest a claim to check", issue_form(repository, CLAIM_FORM, "Claim to check: ", {})),
                      True)
    return Report(Link("Suggest a claim to check", fallback), False) if fallback else None


def section_src(src_uri: str) -> str | None:
    """The listing a generated page belongs under: claims under the archive, the rest under their folder's
    first page (a source's page under the sources, page 2 of a tag under the tags, ...)."""
    top = src_uri.split("/", 1)[0]
    if top == "claims":
        return archive_src()
    if top in ("sources", "claimants", "tags", "verdicts", "archive", "corrections") and "/" in src_uri:
        section = SCALE_SRC if top == "verdicts" else f"{top}/index.md"
        return section if section != src_uri else None
    return None


def nav_mentions(nav: Any) -> set[str]:
    """Every page path written in mkdocs.yml's nav."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_mentions(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_mentions(v) for v in nav))
    return set()


def trail(home: Any, section: Any) -> tuple[Link, ...]:
    """Home, the nav sections holding the section page (as text: a section has no page), the section page."""
    sections: list[Link] = []
    parent = section.parent
    while parent is not None:
        sections.insert(0, Link(parent.title))
        parent = parent.parent
    crumbs = ([Link(home.title or "Home", home.url)] if home is not None and home is not section else [])
    return (*crumbs, *sections, Link(section.title, section.url))


def footer_links(entries: Iterable[tuple[str, str]], urls: dict[str, str]) -> tuple[Link, ...]:
    return tuple(Link(title, urls[path]) for title, path in entries if path in urls)


@dataclass(frozen=True)
class PageFrame:
    trail: tuple[Link, ...] = ()
    correction: Report | None = None


class ReaderFrame:
    """The frame of one build: set up from mkdocs.yml and the site's files, then asked page by page."""

    def __init__(self, repo_url: str | None, corrections_policy: str | None, footer: list[tuple[str, str]],
                 repository_link: bool) -> None:
        self.repository = github_repository(repo_url)
        self.corrections_policy = corrections_policy
        self.footer_entries = footer
        self.repository_link = repository_link
        self.fallback: str | None = None
        self.footer: tuple[Link, ...] = ()
        self.lost: tuple[Link, ...] = ()

    def read_files(self, files: Any, nav: Any) -> list[str]:
        """Footer pages leave the nav's check for pages left out; the problems found, as messages."""
        problems, urls = [], {}
        for title, path in self.footer_entries:
            file = files.get_file_from_path(path)
            if file is None or not file.is_documentation_page():
                problems.append(f"plugins.factcheck.footer: {title} is {path}, which is not a page in the docs "
                                "folder; name a Markdown file there")
                continue
            if path not in nav_mentions(nav) and file.inclusion.is_in_nav():
                file.inclusion = InclusionLevel.NOT_IN_NAV
            urls[path] = file.url
        self.footer = footer_links(self.footer_entries, urls)
        found = {src: file.url for src in (HOME_SRC, archive_src(), SCALE_SRC)
                 if (file := files.get_file_from_path(src)) is not None}
        self.lost = tuple(Link(title, found[src] + fragment) for title, src, fragment in (
            ("The latest fact-checks", HOME_SRC, "#latest"), ("All fact-checks, newest first", archive_src(), ""),
            ("What our verdicts mean", SCALE_SRC, "")) if src in found)
        policy = self.corrections_policy
        if policy and not _SCHEME.match(policy):  # a path on the site, not an address elsewhere
            page = next((f for f in files.documentation_pages() if f.url == policy.split("#", 1)[0]), None)
            self.fallback = report_fallback(policy, page.content_string if page and "#" not in policy else None)
        else:
            self.fallback = policy
        return problems

    def site(self) -> SiteFrame:
        return SiteFrame(self.footer, claim_report(self.repository, self.fallback), self.repository_link, self.lost)

    def page(self, src_uri: str, section: Any, home: Any, claim: str | None, claim_url: str | None) -> PageFrame:
        """The frame of one page; section: the page of the nav it belongs under (or None)."""
        crumbs = trail(home, section) if section is not None else ()
        report = correction_report(self.repository, self.fallback, claim, claim_url) if claim else None
        return PageFrame(crumbs, report)
