"""The `factcheck` entry of mkdocs.yml, typed and validated once for both adapters.

MkDocs validates it when it loads mkdocs.yml, through these classes; `factcheck`, which
reads mkdocs.yml without building anything, validates the same entry through the same
classes. So both report the same problems, and the defaults are written only here.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

from factcheck_site.content.formats import SLUG_PATTERN
from factcheck_site.content.problems import Problem
from factcheck_site.content.settings import Settings
from factcheck_site.content.site_checks import setting_lines
from factcheck_site.content.verdict_scale import DEFAULT_SCALE, Verdict, parse_scale, translated_scale
from factcheck_site.language import known, language, not_a_language
from factcheck_site.output.reader_frame import HEX_COLOUR


class ColourOption(c.BaseConfigOption[str]):
    """The desk's colour, as #rrggbb or #rgb: the header's background (output/reader_frame.py's brand_css)."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value.strip()):
            raise c.ValidationError(f"expected a colour written as #rrggbb, e.g. '#1d3557', not {value!r}")
        return value.strip().lower()


class OrganizationConfig(base.Config):
    """Who publishes the site: in every page's structured data, and in the site's own pages
    as `{{ organization.name }}` and the like. URLs may be paths on the site; the logo (and a favicon
    of its own, if it has one) and the colour are its face in every page's header."""

    name = c.Optional(c.Type(str))
    url = c.Optional(c.Type(str))
    email = c.Optional(c.Type(str))
    funding = c.Optional(c.Type(str))
    logo = c.Optional(c.Type(str))
    favicon = c.Optional(c.Type(str))
    colour = c.Optional(ColourOption())
    corrections_policy = c.Optional(c.Type(str))
    methodology = c.Optional(c.Type(str))


class VerdictScaleOption(c.BaseConfigOption[tuple[Verdict, ...]]):
    """The verdicts a site may rule, checked when mkdocs.yml loads rather than at the first claim."""

    def run_validation(self, value: object) -> tuple[Verdict, ...]:
        scale, problems = parse_scale(value)
        if problems:
            raise c.ValidationError("; ".join(problems))
        return scale


class FooterOption(c.BaseConfigOption[list[tuple[str, str]]]):
    """Pages linked from every page's footer instead of the main tabs (specifications such as "Data and
    feeds"), as a list of {title: path in docs/}, like entries of nav."""

    def __init__(self) -> None:
        super().__init__()
        self.default = []

    def run_validation(self, value: object) -> list[tuple[str, str]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise c.ValidationError("expected a list of {title: page} entries, e.g. [{Data and feeds: data.md}]")
        links = []
        for entry in value:
            if not (isinstance(entry, dict) and len(entry) == 1
                    and all(isinstance(x, str) and x for x in next(iter(entry.items())))):
                raise c.ValidationError(f"{entry!r} is not a {{title: page}} entry, e.g. {{Data and feeds: data.md}}")
            links.append(next(iter(entry.items())))
        return links


class DispatchesOption(c.BaseConfigOption[dict[str, str]]):
    """The dispatches (wire reports, agency bulletins) that sources may say they reproduce: {id: name}, the
    name as readers see it, e.g. {ctak-dispatch: "the dispatch crediting “CTAK”"}."""

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise c.ValidationError("expected {id: name} entries, e.g. {ctak-dispatch: the dispatch crediting CTAK}")
        for key, name in value.items():
            if not (isinstance(key, str) and re.fullmatch(SLUG_PATTERN, key)):
                raise c.ValidationError(f"{key!r} is not an id: use lowercase letters, digits and single hyphens")
            if not (isinstance(name, str) and name.strip()):
                raise c.ValidationError(f"{key}: give the dispatch's name as readers should see it")
        return {key: name.strip() for key, name in value.items()}


class FactcheckConfig(base.Config):
    claims_dir = c.Type(str, default="claims")
    sources_dir = c.Type(str, default="sources")
    verdicts = c.Optional(VerdictScaleOption())
    organization = c.SubConfig(OrganizationConfig)
    # The frame readers see (output/reader_frame.py): off unless a desk turns it on.
    repository_link = c.Type(bool, default=False)  # the repository badge in the header
    edit_links = c.Type(bool, default=False)  # the edit pencil on pages
    footer = FooterOption()
    dispatches = DispatchesOption()  # what sources may say they reproduce (content/reporting_lines.py)


def validated_options(options: dict[str, Any]) -> tuple[FactcheckConfig, list[str]]:
    """The entry as the plugin would see it, and its errors as `plugins.factcheck.<key>: why` messages."""
    config = FactcheckConfig(config_file_path=None)
    config.load_dict(options)
    failed, warnings = config.validate()
    messages = [f"plugins.factcheck.{key}: {error}" for key, error in failed]
    messages += [f"plugins.factcheck.{key}: {warning}" for key, warning in warnings]
    return config, messages


class MkDocsYamlLoader(yaml.SafeLoader):
    """mkdocs.yml may use tags such as !!python/name for theme options the tool never
    reads; they load as None instead of executing anything. !ENV is read as MkDocs reads it."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


MkDocsYamlLoader.add_multi_constructor("!", _ignore_tag)


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """!ENV NAME or !ENV [NAME, OTHER_NAME, default], as MkDocs reads it (e.g. site_url: !ENV [SITE_URL,
    'http://127.0.0.1:8000/']): the first variable that is set, as text, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        return None
    return next((os.environ[str(n)] for n in names if str(n) in os.environ), default)


# Checked before the "!" fallback above: exact tags take precedence over multi constructors.
MkDocsYamlLoader.add_constructor("!ENV", _env_tag)
MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def settings_from_config(root: Path, config: FactcheckConfig, docs_dir: Path | None = None,
                         theme_language: str | None = None) -> Settings:
    """The settings; theme_language is the theme's `language`, which the generator's words and dates follow."""
    words = language(theme_language, root)
    return Settings(
        root=root,
        claims_dir=root / config.claims_dir,
        sources_dir=root / config.sources_dir,
        # (verdicts that failed validation are reported, and the default scale is used meanwhile)
        scale=translated_scale(config.verdicts if isinstance(config.verdicts, tuple) else DEFAULT_SCALE,
                               words.translations.gettext),
        language=words.code,
        organization={key: value for key, value in config.organization.items() if value is not None},
        docs_dir=docs_dir or root / "docs",
        dispatches=dict(config.dispatches),
    )


def read_settings(config_file: Path) -> tuple[Settings, list[Problem]]:
    """Settings from mkdocs.yml; a site without the plugin configured gets the defaults."""
    where = config_file.name
    root = config_file.parent.resolve()
    try:
        text = config_file.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=MkDocsYamlLoader) or {}
    except (OSError, UnicodeDecodeError) as error:
        return _default_settings(root), [Problem(where, 1, f"cannot read the configuration ({error})")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return _default_settings(root), [
            Problem(where, mark.line + 1 if mark else 1, f"mkdocs.yml is not valid YAML ({error})")]
    options: dict[str, Any] = {}
    plugins = data.get("plugins", []) if isinstance(data, dict) else []
    entries = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) else (p, {})) for p in plugins or [])
    for name, value in entries:
        if name == "factcheck" and isinstance(value, dict):
            options = value
    config, messages = validated_options(options)
    lines = setting_lines(text)
    problems = [Problem(where, _line_of(message, lines), message) for message in messages]
    data = data if isinstance(data, dict) else {}
    docs_dir = data.get("docs_dir")
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    settings = settings_from_config(root, config, root / docs_dir if isinstance(docs_dir, str) else None,
                                    theme.get("language") if isinstance(theme.get("language"), str) else None)
    if isinstance(theme.get("language"), str) and not known(theme["language"]):
        problems.append(Problem(where, lines.get("theme.language", 1), not_a_language(theme["language"])))
    site = {key: data.get(key) for key in ("site_url", "site_name", "site_description")}
    site["language"] = theme.get("language")
    return replace(settings, site=site), problems


def _default_settings(root: Path) -> Settings:
    return settings_from_config(root, validated_options({})[0])


def _line_of(message: str, lines: dict[str, int]) -> int:
    """The line of the setting a message names (`plugins.factcheck.verdicts: ...`), or of its entry."""
    setting = message.split(":", 1)[0]
    return lines.get(setting) or lines.get("plugins.factcheck") or 1
