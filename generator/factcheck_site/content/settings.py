"""Where a site's content lives and which verdict scale it uses.

Both adapters need the same answer: the plugin reads it from its MkDocs config,
the command-line tool from the `factcheck` entry of mkdocs.yml's plugins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from factcheck_site.content.problems import Problem
from factcheck_site.content.verdict_scale import DEFAULT_SCALE, Verdict, parse_scale

DEFAULTS: dict[str, Any] = {"claims_dir": "claims", "sources_dir": "sources"}


@dataclass(frozen=True)
class Settings:
    root: Path
    claims_dir: Path
    sources_dir: Path
    scale: tuple[Verdict, ...] = DEFAULT_SCALE
    organization: dict[str, Any] = field(default_factory=dict)
    docs_dir: Path | None = None  # MkDocs' docs_dir, where a page could hide a generated one
    site: dict[str, Any] = field(default_factory=dict)  # site_url, site_name, site_description, language


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may use tags such as !!python/name for theme options the tool never
    reads; they load as None instead of executing anything. !ENV is read as MkDocs reads it."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)


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
_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def settings_from_options(root: Path, options: dict[str, Any], where: str,
                          docs_dir: Path | None = None) -> tuple[Settings, list[Problem]]:
    problems: list[Problem] = []
    scale = DEFAULT_SCALE
    if options.get("verdicts") is not None:
        scale, messages = parse_scale(options["verdicts"])
        problems += [Problem(where, 1, f"plugins.factcheck.{m}") for m in messages]
    organization = options.get("organization") or {}
    if not isinstance(organization, dict):
        problems.append(Problem(where, 1, "plugins.factcheck.organization must be a mapping (name, url, email, ...)"))
        organization = {}
    return Settings(
        root=root,
        claims_dir=root / str(options.get("claims_dir") or DEFAULTS["claims_dir"]),
        sources_dir=root / str(options.get("sources_dir") or DEFAULTS["sources_dir"]),
        scale=scale,
        organization=organization,
        docs_dir=docs_dir or root / "docs",
    ), problems


def read_settings(config_file: Path) -> tuple[Settings, list[Problem]]:
    """Settings from mkdocs.yml; a site without the plugin configured gets the defaults."""
    where = config_file.name
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError) as error:
        return Settings(config_file.parent, config_file.parent / "claims", config_file.parent / "sources"), [
            Problem(where, 1, f"cannot read the configuration ({error})")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return Settings(config_file.parent, config_file.parent / "claims", config_file.parent / "sources"), [
            Problem(where, mark.line + 1 if mark else 1, f"mkdocs.yml is not valid YAML ({error})")]
    options: dict[str, Any] = {}
    plugins = data.get("plugins", []) if isinstance(data, dict) else []
    entries = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) else (p, {})) for p in plugins or [])
    for name, value in entries:
        if name == "factcheck" and isinstance(value, dict):
            options = value
    root = config_file.parent.resolve()
    data = data if isinstance(data, dict) else {}
    docs_dir = data.get("docs_dir")
    settings, problems = settings_from_options(root, options, where,
                                               root / docs_dir if isinstance(docs_dir, str) else None)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    site = {key: data.get(key) for key in ("site_url", "site_name", "site_description")}
    site["language"] = theme.get("language")
    return replace(settings, site=site), problems
