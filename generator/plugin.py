"""The MkDocs adapter: load and check the content before anything is written, then
hand the generated pages to MkDocs in memory."""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .links import HOME_SRC, SCALE_SRC
from .load import CLAIM_SUFFIX, SOURCE_SUFFIX
from .model import Site
from .pipeline import build_site
from .placeholders import fill_placeholders
from .render_index import render_home_page, render_home_section
from .search_index import STOCK_WORKER, extend_site_index, search_docs, worker_asset
from .settings import Settings, settings_from_options

log = logging.getLogger("mkdocs.plugins.factcheck")
CSS_URI = "assets/factcheck.css"


class FactcheckConfig(base.Config):
    claims_dir = c.Type(str, default="claims")
    sources_dir = c.Type(str, default="sources")
    verdicts = c.Optional(c.Type(list))
    organization = c.Type(dict, default={})


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.site: Site | None = None
        self.generated: set[str] = set()
        self.pages: dict[str, str] = {}
        self.worker_swap: tuple[str, str] | None = None  # (Material's search worker, ours)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent.resolve()
        self.settings, problems = settings_from_options(root, dict(self.config), "mkdocs.yml")
        if problems:
            raise PluginError("\n".join(str(p) for p in problems))
        if CSS_URI not in config.extra_css:
            config.extra_css.insert(0, CSS_URI)
        templates = str(resources.files("generator").joinpath("templates"))
        if templates not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, templates)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans the site folder, so bad content leaves the last good site intact.
        assert self.settings is not None
        s = self.settings
        self.site, self.pages, problems = build_site(s.claims_dir, s.sources_dir, s.scale, s.root,
                                                     config.use_directory_urls)
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            raise PluginError(f"{count} in claims and sources (run `factcheck validate` for the same list):\n"
                              + "\n".join(str(p) for p in sorted(problems)))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.settings is not None
        pages = self.pages
        if files.get_file_from_path(HOME_SRC) is None:
            pages[HOME_SRC] = render_home_page(self.site, config.use_directory_urls)
        self.generated = set(pages)
        docs_dir = Path(config.docs_dir).resolve()
        edit_targets = {f"claims/{c.id}.md": self.settings.claims_dir / f"{c.id}{CLAIM_SUFFIX}"
                        for c in self.site.claims.values()}
        edit_targets.update({f"sources/{s.id}.md": self.settings.sources_dir / f"{s.id}{SOURCE_SUFFIX}"
                             for s in self.site.sources.values()})
        for src_uri, markdown in pages.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"{existing.src_uri}: this page is generated from claims and sources; "
                                  f"rename or remove docs/{src_uri}")
            file = File.generated(config, src_uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
            target = edit_targets.get(src_uri)
            file.edit_uri = Path(os.path.relpath(target, docs_dir)).as_posix() if target else None
            files.append(file)
        css = resources.files("generator").joinpath("assets/factcheck.css").read_text(encoding="utf-8")
        files.append(File.generated(config, CSS_URI, content=css))
        stock = next((f.src_uri for f in files if STOCK_WORKER.fullmatch(f.src_uri)), None)
        if stock is not None:
            worker_uri, worker = worker_asset()
            files.append(File.generated(config, worker_uri, content=worker))
            self.worker_swap = (stock, worker_uri)
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.generated:
            if page.file.src_uri != SCALE_SRC:
                # Claims and sources are searched through the factcheck index (search_index.py), listings not
                # at all; Material's search plugin need not read them.
                page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            return markdown
        assert self.settings is not None and self.site is not None
        markdown, missing = fill_placeholders(markdown, self.settings.organization)
        for name in missing:
            log.warning(f"{page.file.src_uri}: {{{{ organization.{name} }}}} has no value; "
                        f"set plugins.factcheck.organization.{name} in mkdocs.yml")
        if page.file.src_uri == HOME_SRC:
            markdown += "\n\n" + render_home_section(self.site, config.use_directory_urls) + "\n"
        return markdown

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material's pages name its search worker in their configuration; they get ours instead, which
        # reads the factcheck index (search_index.py). A string swap works whatever the site's templates.
        return output.replace(*self.worker_swap) if self.worker_swap else output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return output_content.replace(*self.worker_swap) if self.worker_swap else output_content

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        stock_index = Path(config.site_dir) / "search" / "search_index.json"
        if self.site is None or self.worker_swap is None or not stock_index.is_file():
            return  # no search on this site
        index, files = extend_site_index(stock_index.read_text(encoding="utf-8"),
                                         search_docs(self.site, config.use_directory_urls))
        for path, content in files.items():
            target = Path(config.site_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        stock_index.write_text(index, encoding="utf-8")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        assert self.settings is not None
        for folder in (self.settings.claims_dir, self.settings.sources_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server
