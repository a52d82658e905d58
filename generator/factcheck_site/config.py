"""The `factcheck` entry of mkdocs.yml, typed and validated once for both adapters.

MkDocs validates it when it loads mkdocs.yml, through plugin_options.py's classes; `factcheck`, which
reads mkdocs.yml without building anything, reads an entry whose every value has its plain form here
(the values' own checks, which those classes call too) and validates any other through the same
classes. So both report the same problems, and the fields and defaults are written only here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from factcheck_site.content.formats import HEX_COLOUR, SLUG_PATTERN
from factcheck_site.content.problems import Problem
from factcheck_site.content.settings import Settings
from factcheck_site.content.site_checks import (
    ALIASED_VALUES,
    SETTINGS_DEPTH,
    aliases_too_wide,
    nested_too_deep,
    repeated_settings,
    setting_lines,
)
from factcheck_site.content.verdict_scale import DEFAULT_SCALE, Verdict, parse_scale, translated_scale
from factcheck_site.language import known, language, not_a_language

if TYPE_CHECKING:
    from factcheck_site.plugin_options import FactcheckConfig


# The entry's fields as plugin_options.py types them for MkDocs, in its order, and their defaults
# (tests/test_config.py holds the two to each other).
TEXT_FIELDS = {"claims_dir": "claims", "sources_dir": "sources"}
FLAG_FIELDS = {"repository_link": False, "edit_links": False}
ORGANIZATION_FIELDS = ("name", "url", "email", "funding", "logo", "favicon", "colour", "corrections_policy",
                       "methodology")
ENTRY_FIELDS = ("claims_dir", "sources_dir", "verdicts", "organization", "repository_link", "edit_links", "footer",
                "dispatches")


def colour(value: object) -> str:
    """The desk's colour in lower case (plugin_options.ColourOption)."""
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value.strip()):
        raise ValueError(f"expected a colour written as #rrggbb, e.g. '#1d3557', not {value!r}")
    return value.strip().lower()


def footer_links(value: object) -> list[tuple[str, str]]:
    """The footer's pages as (title, path in docs/) from [{title: page}, ...] (plugin_options.FooterOption)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("expected a list of {title: page} entries, e.g. [{Data and feeds: data.md}]")
    links = []
    for entry in value:
        if not (isinstance(entry, dict) and len(entry) == 1
                and all(isinstance(x, str) and x for x in next(iter(entry.items())))):
            raise ValueError(f"{entry!r} is not a {{title: page}} entry, e.g. {{Data and feeds: data.md}}")
        links.append(next(iter(entry.items())))
    return links


def dispatch_names(value: object) -> dict[str, str]:
    """{id: name} of the dispatches sources may say they reproduce (plugin_options.DispatchesOption)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("expected {id: name} entries, e.g. {ctak-dispatch: the dispatch crediting CTAK}")
    for key, name in value.items():
        if not (isinstance(key, str) and re.fullmatch(SLUG_PATTERN, key)):
            raise ValueError(f"{key!r} is not an id: use lowercase letters, digits and single hyphens")
        if not (isinstance(name, str) and name.strip()):
            raise ValueError(f"{key}: give the dispatch's name as readers should see it")
    return {key: name.strip() for key, name in value.items()}


@dataclass(frozen=True)
class EntryOptions:
    """The entry's values as FactcheckConfig gives them after validation, for an entry that validates."""

    claims_dir: str
    sources_dir: str
    verdicts: tuple[Verdict, ...] | None
    organization: dict[str, str | None]
    repository_link: bool
    edit_links: bool
    footer: list[tuple[str, str]]
    dispatches: dict[str, str]


def plain_options(options: dict[str, Any]) -> EntryOptions | None:
    """The entry's values where every one is of the form it must have, read without MkDocs (importing its options
    is a tenth of a second of `factcheck validate`); None for anything else (a value of another type, a null where
    MkDocs would put a default, an unknown field), which MkDocs' classes then validate and explain."""
    if not set(options) <= set(ENTRY_FIELDS):
        return None
    texts = {key: options.get(key, default) for key, default in TEXT_FIELDS.items()}
    flags = {key: options.get(key, default) for key, default in FLAG_FIELDS.items()}
    organization = options.get("organization", {})
    if (any(type(value) is not str for value in texts.values())
            or any(type(value) is not bool for value in flags.values())
            or type(organization) is not dict or not set(organization) <= set(ORGANIZATION_FIELDS)
            or any(value is not None and type(value) is not str for value in organization.values())):
        return None
    verdicts = options.get("verdicts")
    if verdicts is not None:
        verdicts, problems = parse_scale(verdicts)
        if problems:
            return None
    try:
        footer = footer_links(options.get("footer", []))
        dispatches = dispatch_names(options.get("dispatches", {}))
        named = {key: organization.get(key) for key in ORGANIZATION_FIELDS}
        if named["colour"] is not None:
            named["colour"] = colour(named["colour"])
    except ValueError:
        return None
    return EntryOptions(verdicts=verdicts, organization=named, footer=footer, dispatches=dispatches, **texts,
                        **flags)


def validated_options(options: dict[str, Any]) -> tuple[FactcheckConfig | EntryOptions, list[str]]:
    """The entry as the plugin would see it, and its errors as `plugins.factcheck.<key>: why` messages."""
    plain = plain_options(options)
    if plain is not None:
        return plain, []
    from factcheck_site.plugin_options import FactcheckConfig  # here: MkDocs' options only for an unusual entry

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


def settings_from_config(root: Path, config: FactcheckConfig | EntryOptions, docs_dir: Path | None = None,
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
    except RecursionError:
        return _default_settings(root), [Problem(where, nested_too_deep(text) or 1, (
            f"values are nested more than {SETTINGS_DEPTH} levels deep, which MkDocs cannot read (it stops with a "
            "Python error): remove the extra brackets or indentation"))]
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
    problems += [Problem(note.path, note.line, note.message) for note in repeated_settings(text, where)]
    if wide := aliases_too_wide(text):
        problems.append(Problem(where, wide[0], (
            f"{wide[1]}'s anchors and aliases (& and *) stand for more than {ALIASED_VALUES:,} values written out, "
            "and MkDocs writes every setting out in full (it would never finish): write the values without them")))
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
