"""Who publishes the site and at which address.

Search engines, feed readers and researchers' scripts see a page out of context, so
what they get names everything by absolute URL. All of it comes from two places in
mkdocs.yml: `site_url` and `plugins.factcheck.organization`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from factcheck_site.content.web_address import split_web_address
from factcheck_site.render.urls import page_url

if TYPE_CHECKING:
    from factcheck_site.content.settings import Settings

# organization keys that name a page or file; relative values are resolved against site_url
ORGANIZATION_URL_KEYS = ("url", "logo", "corrections_policy", "methodology")


# What the plugin leaves out without site_url (pages.py, plugin.on_files, templates/main.html).
SITE_URL_MISSING = (
    "site_url is not set to a web address in mkdocs.yml, so readers and their tools will not get: the claim "
    "pages' ClaimReview structured data (JSON-LD) and link-preview cards, the feeds (feed.xml, feed.json) and "
    "the exports (claims.json, claims.csv, claimreview.json). Set site_url to the address the site is published "
    "at, or take it from the environment: site_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']")


@dataclass(frozen=True)
class Organization:
    name: str
    url: str
    logo: str | None = None
    corrections_policy: str | None = None
    methodology: str | None = None


@dataclass(frozen=True)
class Publication:
    site_url: str  # absolute, ending in "/"
    site_name: str
    description: str
    language: str
    organization: Organization
    directory_urls: bool = True

    def url_of(self, src_uri: str) -> str:
        """The absolute URL of a page, the same as MkDocs' canonical URL for it."""
        return self.site_url + page_url(src_uri, self.directory_urls)

    def file_url(self, path: str) -> str:
        return self.site_url + path.lstrip("/")


def _is_web_address(value: str) -> bool:
    parts = split_web_address(value)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def publication_from_config(site_url: str | None, site_name: str, description: str | None, language: str | None,
                            organization: dict[str, Any], directory_urls: bool) -> tuple[Publication | None, list[str]]:
    """The publication, or None and why not; the messages name the mkdocs.yml setting to fix."""
    if not site_url or not _is_web_address(site_url):
        return None, [SITE_URL_MISSING]
    base = site_url if site_url.endswith("/") else site_url + "/"
    problems: list[str] = []
    values: dict[str, str | None] = {}
    for key in ("name", *ORGANIZATION_URL_KEYS):
        value = organization.get(key)
        if value is None or value == "":
            values[key] = None
            continue
        if not isinstance(value, str):
            problems.append(f"plugins.factcheck.organization.{key} must be text, not {type(value).__name__}")
            values[key] = None
            continue
        value = value.strip()
        if key in ORGANIZATION_URL_KEYS:
            try:
                value = urljoin(base, value)
            except ValueError:  # e.g. a bracket left open: urljoin splits the address first
                value = ""
            if not _is_web_address(value):
                problems.append(f"plugins.factcheck.organization.{key} must be a web address or a path on the site, "
                                f"e.g. corrections-policy/, not '{organization.get(key)}'")
                value = None
        values[key] = value
    org = Organization(name=values["name"] or site_name, url=values["url"] or base, logo=values["logo"],
                       corrections_policy=values["corrections_policy"], methodology=values["methodology"])
    return Publication(site_url=base, site_name=site_name, description=description or "", language=language or "en",
                       organization=org, directory_urls=directory_urls), problems


def publication_from_settings(settings: Settings, directory_urls: bool) -> Publication | None:
    """The publication as mkdocs.yml describes it, for tools that run without MkDocs."""
    info = settings.site
    return publication_from_config(info.get("site_url"), str(info.get("site_name") or ""),
                                   info.get("site_description"), info.get("language"), settings.organization,
                                   directory_urls)[0]


def local_path(publication: Publication, url: str) -> str | None:
    """The path inside the built site of an organization URL on this site, or None when it is elsewhere."""
    if not url.startswith(publication.site_url):
        return None
    path = url[len(publication.site_url):].split("#", 1)[0].split("?", 1)[0]
    return path + "index.html" if path == "" or path.endswith("/") else path
