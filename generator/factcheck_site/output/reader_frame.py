"""The frame readers see around every page, as generator defaults that a desk overrides in mkdocs.yml.

- The desk's own face: its logo (plugins.factcheck.organization.logo, or the generator's neutral mark) in the
  header and as the favicon (organization.favicon when it has one of its own), its colour
  (organization.colour) for the header, never the theme's stock indigo or its icons.
- No repository badge, edit pencil or "Made with Material for MkDocs" line: `repository_link: true` and
  `edit_links: true` under plugins.factcheck (with repo_url set), or `extra: {generator: true}`, bring
  them back.
- Light and dark colour schemes that follow the reader's system setting, unless `theme.palette` is set.
- Breadcrumbs, and the current tab marked, on generated pages, which are not in the nav.
- "Report an error" on claim pages and "Suggest a claim" on the home page and in the footer, only where they
  lead somewhere: GitHub issue forms (.github/ISSUE_TEMPLATE/) prefilled with the page, when repo_url is a
  GitHub repository; else an email to organization.email, prefilled; else nowhere, and a build for readers (not
  one for 127.0.0.1) warns that they have no way to reach the desk.
- Pages linked from the footer instead of the main tabs (`footer:`), such as specifications.
- Material's interface words where they would mislead a reader ("matching documents" in search).

The templates (templates/main.html and partials/) print what this module computes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from mkdocs.structure.files import InclusionLevel

from factcheck_site.content.web_address import split_web_address
from factcheck_site.language import _
from factcheck_site.render.urls import HOME_SRC, SCALE_SRC, archive_src

CORRECTION_FORM, CLAIM_FORM = "correction.yml", "suggest-claim.yml"
EDIT_FEATURES = ("content.action.edit", "content.action.view")
# The header's colours are the desk's (assets/factcheck.css reads --fc-brand), not one of the theme's palettes.
DEFAULT_PALETTE = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "custom", "accent": "custom",
     "toggle": {"icon": "material/weather-night", "name": _("Switch to dark mode")}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "custom", "accent": "custom",
     "toggle": {"icon": "material/weather-sunny", "name": _("Switch to light mode")}},
]
MARK_URI = "assets/factcheck-mark.svg"  # the generator's neutral mark, for a desk without a logo of its own
THEME_FAVICON = "assets/images/favicon.png"  # Material's, which the desk's mark replaces
TITLE_LENGTH = 100  # of the claim in a correction's title or subject
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")  # a build for these is a preview no reader sees

# What readers read in the frame, in one place (issue 27 translates them).
REPORT_ERROR, SUGGEST_CLAIM = _("Report an error"), _("Suggest a claim")
REPORT_PROMPT, SUGGEST_PROMPT = _("Spotted an error in this fact-check?"), _("Seen a claim that should be checked?")
FORM_NOTE = _("(a form on GitHub; what you send there is public)")
EMAIL_NOTE = _("(an email to the editors)")
FORM_TITLE_ERROR, FORM_TITLE_CLAIM = _("Correction: {claim}"), _("Claim to check: ")
MAIL_SUBJECT_ERROR, MAIL_SUBJECT_CLAIM = _("Error in a fact-check: {claim}"), _("A claim to check")
MAIL_BODY_ERROR = _("Fact-check: {url}\n\nWhat is wrong:\n\n\nHow you know it (a link or a document we can "
                    "check):\n\n")
MAIL_BODY_CLAIM = _("The claim:\n\n\nWho made it, and where it appeared (a link if you have one):\n\n")
# The templates' own words (templates/main.html, 404.html, partials/copyright.html), as SiteFrame.words.
FRAME_WORDS = {
    "breadcrumbs": _("Breadcrumbs"), "corrections": _("Corrections"), "suggestions": _("Suggestions"),
    "footer": _("More from this site"), "masthead": _("Masthead"),
    "not_found": _("Page not found"),
    "not_found_text": _("There is no page at this address. It may have moved, or the link may be mistyped."),
    "search_label": _("Search the fact-checks"), "search_button": _("Search"), "start_here": _("Or start here"),
}
HOME = _("Home")
LOST_LINKS = ((_("The latest fact-checks"), HOME_SRC, "#latest"),
              (_("All fact-checks, newest first"), archive_src(), ""), (_("What our verdicts mean"), SCALE_SRC, ""))
# Material's words (its translations' keys) that a reader of a fact-check site would misread, by language.
THEME_STRINGS = {"en": {
    "search.result.none": "Nothing found",
    "search.result.one": "1 result",
    "search.result.other": "# results",
    "search.result.placeholder": "Type words from a claim, a name or a source",
}}
NO_ROUTE = ("readers have no way to reach the desk: pages show no \"Report an error\" or \"Suggest a claim\" "
            "without repo_url (a public GitHub repository, whose issue forms readers use) or "
            "plugins.factcheck.organization.email. Set one of them (the publishing workflow can set repo_url from "
            "the repository it runs in: repo_url: !ENV REPO_URL)")
BRAND_INKS = ("#ffffff", "#000000")  # the header's text: whichever reads better (one reaches 4.58:1 at least)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_GITHUB_REPO = re.compile(r"https://github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?/?")
_EMAIL = re.compile(r"[^@\s<>\"'(),;:\\]+@[^@\s<>\"'(),;:\\]+\.[^@\s<>\"'(),;:\\.]+")


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None = None  # relative to the site's root (for the templates' `url` filter), or absolute


@dataclass(frozen=True)
class Report:
    """Where a reader reports an error or suggests a claim: a prefilled issue form or email, and what it is."""

    link: Link
    note: str  # FORM_NOTE or EMAIL_NOTE
    prompt: str  # the question before the link


@dataclass(frozen=True)
class SiteFrame:
    footer: tuple[Link, ...]
    suggest_claim: Report | None
    repository_link: bool
    lost: tuple[Link, ...] = ()  # where the page-not-found page sends readers
    strings: dict[str, str] = field(default_factory=dict)  # Material's words replaced (partials/language.html)
    words: dict[str, str] = field(default_factory=lambda: {key: str(word) for key, word in FRAME_WORDS.items()})


def apply_defaults(config: Any, *, edit_links: bool, organization: dict[str, Any] | None = None) -> None:
    """The generator's defaults for the theme; whatever the desk set in mkdocs.yml stays."""
    config.extra.setdefault("generator", False)
    if not config.theme.get("palette"):
        config.theme["palette"] = [{**option, "toggle": {**option["toggle"], "name": str(option["toggle"]["name"])}}
                                   for option in DEFAULT_PALETTE]
    features = [f for f in config.theme.get("features") or [] if edit_links or f not in EDIT_FEATURES]
    if edit_links and EDIT_FEATURES[0] not in features:
        features.append(EDIT_FEATURES[0])
    config.theme["features"] = features
    logo, favicon = identity(organization or {})
    icons = config.theme.get("icon") or {}
    if not config.theme.get("logo") and not icons.get("logo"):
        config.theme["logo"] = logo
    if config.theme.get("favicon") in (None, "", THEME_FAVICON):
        config.theme["favicon"] = favicon


def _site_path(value: Any) -> str | None:
    """A path on the site (a logo in docs/), not an address elsewhere, which readers' browsers must not fetch."""
    if not isinstance(value, str) or not value.strip() or _SCHEME.match(value.strip()) or value.startswith("//"):
        return None
    return value.strip().lstrip("/")


def identity(organization: dict[str, Any]) -> tuple[str, str]:
    """(logo, favicon) as paths on the site: the organisation's, else the generator's neutral mark."""
    logo = _site_path(organization.get("logo")) or MARK_URI
    return logo, _site_path(organization.get("favicon")) or logo


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    digits = "".join(d * 2 for d in digits) if len(digits) == 3 else digits
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def brand_css(colour: str | None) -> str:
    """The desk's colour for the style sheet (assets/factcheck.css reads --fc-brand and --fc-brand-ink); the text on
    it is white or black, whichever contrasts more (one always reaches 4.5:1)."""
    if not colour:
        return ""
    ink = max(BRAND_INKS, key=lambda candidate: contrast(candidate, colour))
    return f"\n/* The desk's colour (plugins.factcheck.organization.colour) */\n:root {{ --fc-brand: {colour}; " \
           f"--fc-brand-ink: {ink}; }}\n"


def github_repository(repo_url: str | None) -> str | None:
    """https://github.com/OWNER/REPO for a repo_url on GitHub, which has issue forms; else None."""
    match = _GITHUB_REPO.fullmatch((repo_url or "").strip())
    return f"https://github.com/{match[1]}/{match[2]}" if match else None


def email_address(value: Any) -> str | None:
    """organization.email when it is one address readers can write to."""
    text = value.strip() if isinstance(value, str) else ""
    return text if _EMAIL.fullmatch(text) else None


def issue_form(repository: str, template: str, title: str, fields: dict[str, str]) -> str:
    """The address of a new issue from an issue form, its fields (by id) prefilled."""
    return f"{repository}/issues/new?" + urlencode({"template": template, "title": title, **fields})


def mail_to(address: str, subject: str, body: str) -> str:
    """A mailto: address with its subject and body prefilled (RFC 6068: percent-encoded, spaces as %20)."""
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def _short(claim: str) -> str:
    return claim if len(claim) <= TITLE_LENGTH else claim[:TITLE_LENGTH - 1].rstrip() + "\u2026"


def correction_report(repository: str | None, email: str | None, claim: str, claim_url: str | None) -> Report | None:
    """"Report an error" on a claim page: the correction form, else an email; None when neither exists."""
    if repository:
        fields = {"claim": claim, **({"claim_url": claim_url} if claim_url else {})}
        url = issue_form(repository, CORRECTION_FORM, FORM_TITLE_ERROR.format(claim=_short(claim)), fields)
        return Report(Link(str(REPORT_ERROR), url), str(FORM_NOTE), str(REPORT_PROMPT))
    if email:
        body = MAIL_BODY_ERROR.format(url=claim_url or claim)
        return Report(Link(str(REPORT_ERROR), mail_to(email, MAIL_SUBJECT_ERROR.format(claim=_short(claim)), body)),
                      str(EMAIL_NOTE), str(REPORT_PROMPT))
    return None


def claim_report(repository: str | None, email: str | None) -> Report | None:
    """"Suggest a claim": the suggestion form, else an email; None when neither exists."""
    if repository:
        return Report(Link(str(SUGGEST_CLAIM), issue_form(repository, CLAIM_FORM, str(FORM_TITLE_CLAIM), {})),
                      str(FORM_NOTE), str(SUGGEST_PROMPT))
    if email:
        return Report(Link(str(SUGGEST_CLAIM), mail_to(email, str(MAIL_SUBJECT_CLAIM), str(MAIL_BODY_CLAIM))),
                      str(EMAIL_NOTE), str(SUGGEST_PROMPT))
    return None


def is_local(site_url: str | None) -> bool:
    """Whether a build is for this machine only (mkdocs serve, or site_url left at 127.0.0.1)."""
    parts = split_web_address(site_url or "")
    return parts is not None and (parts.hostname or "") in LOCAL_HOSTS


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
    crumbs = ([Link(home.title or str(HOME), home.url)] if home is not None and home is not section else [])
    return (*crumbs, *sections, Link(section.title, section.url))


def footer_links(entries: Iterable[tuple[str, str]], urls: dict[str, str]) -> tuple[Link, ...]:
    return tuple(Link(title, urls[path]) for title, path in entries if path in urls)


@dataclass(frozen=True)
class PageFrame:
    trail: tuple[Link, ...] = ()
    correction: Report | None = None


class ReaderFrame:
    """The frame of one build: set up from mkdocs.yml and the site's files, then asked page by page."""

    def __init__(self, repo_url: str | None, email: Any, footer: list[tuple[str, str]], repository_link: bool,
                 language: str | None = None) -> None:
        self.repository = github_repository(repo_url)
        self.email = email_address(email)
        self.footer_entries = footer
        self.repository_link = repository_link
        # The page's <html lang> is the site's language as the desk wrote it (Material's pt-BR words say "pt").
        self.strings = {**THEME_STRINGS.get((language or "en").split("-", 1)[0].lower(), {}),
                        "language": (language or "en").strip().replace("_", "-")}
        self.footer: tuple[Link, ...] = ()
        self.lost: tuple[Link, ...] = ()

    def route_problems(self, email: Any, site_url: str | None) -> tuple[list[str], list[str]]:
        """(warnings, notes): an email that is not one, and no way for readers to reach the desk; a build for
        127.0.0.1 only notes the latter, as no reader sees it."""
        warnings = []
        if email and not self.email:
            warnings.append(f"plugins.factcheck.organization.email is {str(email)!r}, which is not an email address "
                            "readers can write to; write one address, e.g. editors@your-paper.org")
        if self.repository or self.email:
            return warnings, []
        return (warnings, [NO_ROUTE]) if is_local(site_url) else ([*warnings, NO_ROUTE], [])

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
        self.lost = tuple(Link(str(title), found[src] + fragment)
                          for title, src, fragment in LOST_LINKS if src in found)
        return problems

    def site(self) -> SiteFrame:
        return SiteFrame(self.footer, claim_report(self.repository, self.email), self.repository_link, self.lost,
                         self.strings)

    def page(self, src_uri: str, section: Any, home: Any, claim: str | None, claim_url: str | None) -> PageFrame:
        """The frame of one page; section: the page of the nav it belongs under (or None)."""
        crumbs = trail(home, section) if section is not None else ()
        report = correction_report(self.repository, self.email, claim, claim_url) if claim else None
        return PageFrame(crumbs, report)
