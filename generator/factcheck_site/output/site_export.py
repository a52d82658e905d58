"""A complete site source that any Markdown site builder can publish, without our plugin.

`factcheck render --out DIR` writes what the plugin adds at build time as files, so
that plain MkDocs (or Zensical, which runs no MkDocs plugins) publishes the same site:

- the generated pages, each claim page carrying its ClaimReview (JSON-LD) in its body;
- the site's own pages from docs/, placeholders filled and the home page followed by
  the latest fact-checks, and every other file there (images, ...);
- assets/factcheck.css, and the feeds, exports and link-preview cards (only with a site_url);
- our templates in `.overrides/` (a dot-folder, so MkDocs does not publish it): with
  `theme.custom_dir` pointing at it, claim pages get their Open Graph / Twitter card
  meta and every page the feed links in <head>.

Search needs nothing of ours: listings say `search: exclude: true` in their front
matter, and the builder's own search indexes the claim pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck_site.cache_folder import open_cache
from factcheck_site.content.problems import Problem
from factcheck_site.content.publisher import Publication
from factcheck_site.content.symlinks import links_leaving
from factcheck_site.output.reader_frame import MARK_URI, brand_css, identity
from factcheck_site.output.share_cards import card_folder, share_cards
from factcheck_site.render.claim_page import with_jsonld_in_body
from factcheck_site.render.placeholders import missing_message
from factcheck_site.render.site_pages import docs_clashes, render_data_files, render_own_page
from factcheck_site.render.urls import HOME_SRC, claim_src

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from factcheck_site.build import SiteBuild

CSS_URI = "assets/factcheck.css"
OVERRIDES = ".overrides"  # theme.custom_dir for the export; MkDocs leaves dot-folders out of the site
NO_SITE_URL = ("site_url is not set to a web address in mkdocs.yml, so the export has no feed.xml, feed.json, "
               "claims.json, claims.csv or claimreview.json, and claim pages have no structured data (JSON-LD) "
               "and no Open Graph / Twitter card meta: set site_url to the address the site is published at")


def stylesheet(colour: str | None = None) -> str:
    """assets/factcheck.css, with the desk's colour (plugins.factcheck.organization.colour) when it has one."""
    return resources.files("factcheck_site").joinpath(CSS_URI).read_text(encoding="utf-8") + brand_css(colour)


def mark() -> str:
    """The generator's neutral mark: the logo and favicon of a desk without its own."""
    return resources.files("factcheck_site").joinpath(MARK_URI).read_text(encoding="utf-8")


def theme_templates() -> Traversable:
    """Our additions to the theme: templates/main.html and the partials it overrides."""
    return resources.files("factcheck_site").joinpath("templates")


@dataclass
class Export:
    files: dict[str, str | bytes] = field(default_factory=dict)  # {path in DIR: content}
    problems: list[Problem] = field(default_factory=list)  # nothing may be written
    warnings: list[str] = field(default_factory=list)  # what the export lacks


def _template_files(folder: Traversable, prefix: str) -> dict[str, str | bytes]:
    found: dict[str, str | bytes] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found.update(_template_files(entry, f"{prefix}{entry.name}/"))
        elif entry.is_file():
            found[prefix + entry.name] = entry.read_bytes()
    return found


def _docs_files(docs_dir: Path | None) -> dict[str, bytes]:
    """Every file MkDocs would publish from docs/: dot-files and dot-folders are left out, as MkDocs does."""
    if docs_dir is None or not docs_dir.is_dir():
        return {}
    found = {}
    for path in sorted(docs_dir.rglob("*")):
        name = path.relative_to(docs_dir).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in name.split("/")):
            found[name] = path.read_bytes()
    return found


def site_export(built: SiteBuild, publication: Publication | None, organization: dict[str, Any],
                docs_dir: Path | None, root: Path) -> Export:
    """Every file of the export, from the checked site and its rendered pages."""
    export = Export()
    if docs_dir is not None:  # nothing is read through a link that leaves the project
        export.problems += links_leaving(docs_dir, root)
        if export.problems:
            return export
    claim_pages = {claim_src(claim_id) for claim_id in built.site.claims}
    generated: dict[str, str | bytes] = {
        src: with_jsonld_in_body(page) if src in claim_pages else page for src, page in built.pages.items()}
    generated[CSS_URI] = stylesheet(organization.get("colour"))
    if MARK_URI in identity(organization):
        generated[MARK_URI] = mark()
    if publication is not None:
        generated.update({path: pieces.data() for path, pieces in render_data_files(built.site, publication).items()})
        cache = open_cache(root, export.warnings.append, lambda note: None)
        folder = card_folder(cache, export.warnings.append)
        try:
            cards = share_cards(built.site, publication, folder)
            generated.update({path: card.data() for path, card in cards.items()})
        finally:
            folder.close()
            if cache is not None:
                cache.close()
    else:
        export.warnings.append(NO_SITE_URL)
    docs = _docs_files(docs_dir)
    if docs_dir is not None:
        export.problems += docs_clashes(generated, docs_dir, root)
    if HOME_SRC in docs:
        del generated[HOME_SRC]  # the site's own home page replaces it, followed by the latest fact-checks
    export.files.update(generated)
    for name, data in docs.items():
        if not name.endswith(".md"):
            export.files[name] = data
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            export.files[name] = data  # MkDocs will say what is wrong with it
            continue
        export.files[name], missing = render_own_page(name, text, built.home_section, organization)
        export.warnings += [missing_message(name, placeholder) for placeholder in missing]
    export.files.update(_template_files(theme_templates(), OVERRIDES + "/"))
    return export


def builder_settings(out: str, organization: dict[str, Any] | None = None) -> str:
    """What a plain mkdocs.yml needs to publish the export (README.md: Publishing without the plugin)."""
    logo, favicon = identity(organization or {})
    return (f"docs_dir: {out}, extra_css: [{CSS_URI}], theme: {{custom_dir: {out.rstrip('/')}/{OVERRIDES}, "
            f"logo: {logo}, favicon: {favicon}}}, plugins: [search], and the site_url and nav of the site's mkdocs.yml")
