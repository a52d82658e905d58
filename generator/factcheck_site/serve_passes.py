"""MkDocs' passes over every file of a save under `mkdocs serve --dirty`, made only where something changed.

At 25,000 claims a build has over 55,000 files, and MkDocs goes through all of them several times a build: each list
of its pages (`Files.documentation_pages`, eight times a build: the navigation, each template's context, reading,
building, the sitemap's date), the copying of static files (each link-preview card kept asks whether it is
modified, and logs that it is not), and the sitemap (every page's address and date through Jinja, then gzip). A saved
claim changes none of it: the same files, the same pages, the same addresses and dates.

`ServedFiles` lists the pages once a build, once every file is known (the plugin's `on_nav`: after every plugin's
`on_files` and MkDocs' own exclusions), and again whenever a file is added or removed. `KeptSitemap` leaves the
sitemap MkDocs wrote for the last build in place when every page's address and date are the same (it is then the same
file, byte for byte), and only for MkDocs' own template with no other plugin seeing it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

import mkdocs
from mkdocs.structure.files import File, Files, InclusionLevel

SITEMAP = "sitemap.xml"
STOCK_SITEMAP = os.path.join(os.path.dirname(mkdocs.__file__), "templates", SITEMAP)
SKIPPED = f"Template skipped: '{SITEMAP}' generated empty output."  # what MkDocs logs for a template left out
TEMPLATE_EVENTS = ("pre_template", "template_context", "post_template")

Inclusion = Callable[[InclusionLevel], bool]


class ServedFiles(Files):
    """MkDocs' Files of one serve-mode build, whose lists of pages are made once they cannot change (settle()) and
    kept until a file is added or removed; and whose copying of static files passes over the files that kept (kind)
    without asking each."""

    def __init__(self, files: Files, kept: type[File], pages: tuple[list[File], list[File]] | None = None) -> None:
        super().__init__(files)
        self.kept = kept
        self.settled = False
        self.listed: dict[Inclusion, list[File]] = {}
        self.pages = pages

    def settle(self) -> None:
        """Every file and its inclusion is known from here on (MkDocs' navigation is made)."""
        self.settled, self.listed = True, {}

    def append(self, file: File) -> None:
        self.listed, self.pages = {}, None
        super().append(file)

    def remove(self, file: File) -> None:
        self.listed, self.pages = {}, None
        super().remove(file)

    def documentation_pages(self, *, inclusion: Inclusion = InclusionLevel.is_included) -> Sequence[File]:
        if self.pages is not None:
            return self._known_pages(inclusion)
        if not self.settled:
            return super().documentation_pages(inclusion=inclusion)
        found = self.listed.get(inclusion)
        if found is None:
            found = self.listed[inclusion] = list(super().documentation_pages(inclusion=inclusion))
        return list(found)

    def _known_pages(self, inclusion: Inclusion) -> list[File]:
        """The pages as MkDocs lists them, from the site's own pages and the generated ones (pages): every generated
        page is one, in the order added, all of one inclusion (not in the navigation), which nothing after the plugin
        that added them changes (it is the last to see the files and the navigation)."""
        assert self.pages is not None
        own, generated = self.pages
        found = [file for file in own if inclusion(file.inclusion)]
        if generated and inclusion(generated[0].inclusion):
            found += generated
        return found

    def copy_static_files(self, dirty: bool = False, *, inclusion: Inclusion = InclusionLevel.is_included) -> None:
        kept = self.kept if dirty else None
        for file in self:  # a page (.md is always one) is never copied, nor a file kept from the last build
            if (type(file) is not kept and not file.src_uri.endswith(".md") and not file.is_documentation_page()
                    and inclusion(file.inclusion)):
                file.copy_file(dirty)


def _state(files: Files) -> list[Any]:
    """What MkDocs' sitemap says of each page (stock sitemap.xml: address, date; the gzip's date is the latest)."""
    return [None if (page := file.page) is None else (page.is_link, page.canonical_url, page.abs_url, page.update_date)
            for file in files.documentation_pages()]


class _Empty:
    """A template that renders nothing: MkDocs then writes no file, and the one there stays."""

    @staticmethod
    def render(*args: Any, **kwargs: Any) -> str:
        return ""


class KeptSitemap(logging.Filter):
    """The sitemap of the last build into the same site folder, left in place while what it is made from is the same;
    a filter on MkDocs' build log for its note that the template gave nothing (it is there, unchanged)."""

    def __init__(self) -> None:
        super().__init__()
        self.last: tuple[str, list[Any]] | None = None  # (site folder, _state) of the sitemap written
        self.skipped = False
        logging.getLogger("mkdocs.commands.build").addFilter(self)

    def template(self, template: Any, files: Files, config: Any, others: bool) -> Any:
        """The template for MkDocs to render: template, or one rendering nothing when the sitemap in the site folder
        is this build's already. others: whether another plugin sees templates rendered."""
        folder = config.site_dir
        state = (folder, _state(files))
        stock = not others and os.path.realpath(getattr(template, "filename", "") or "") == \
            os.path.realpath(STOCK_SITEMAP) and all(files.get_file_from_path(path) is None
                                                    for path in (SITEMAP, f"{SITEMAP}.gz"))
        same = stock and state == self.last and all(os.path.isfile(os.path.join(folder, path))
                                                    for path in (SITEMAP, f"{SITEMAP}.gz"))
        self.last = state if stock else None
        self.skipped = same
        return _Empty() if same else template

    def forget(self) -> None:
        """After a failed build: what the site folder holds is unknown."""
        self.last, self.skipped = None, False

    def filter(self, record: logging.LogRecord) -> bool:
        if self.skipped and record.getMessage() == SKIPPED:
            self.skipped = False
            return False
        return True

    def close(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self)
