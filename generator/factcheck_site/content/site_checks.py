"""What a site's settings would give readers that is not true, or silently not give them.

- Placeholders: a value in mkdocs.yml that the desk has not filled in yet (it contains
  PLACEHOLDER, or an address at example.org, example.com or example.net, the domains
  reserved for examples) would be printed on pages and in structured data as if it were
  true. Each is named with its line in mkdocs.yml, found by reading the file again with a
  safe YAML parser (MkDocs' config objects have no line numbers).
- Degradation: a site using a theme other than Material loses parts of what the plugin
  builds; the warning says which.
- Repeated settings: YAML lets a key appear twice in one mapping, and MkDocs keeps the last
  value without a word, so the other line the desk wrote would be dropped silently (in
  mkdocs.yml, and in the front matter of the site's own pages).

The plugin logs every message as a warning, so `mkdocs build --strict` fails on them;
`factcheck init` uses the same check to list what a new desk must fill in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PLACEHOLDER_WORD = "PLACEHOLDER"
# A host at one of the domains reserved for examples (RFC 2606), or a subdomain of one.
_EXAMPLE_HOST = re.compile(r"(?<![\w.-])(?:[\w-]+\.)*example\.(?:org|com|net)(?![\w-])", re.IGNORECASE)

# The settings checked, as dotted names; organisation fields are checked whatever their names.
SITE_KEYS = ("site_name", "site_description", "site_url", "repo_url")
ORGANIZATION_PATH = ("plugins", "factcheck", "organization")

_HOW_TO_FIX = {
    "site_name": "write the site's name",
    "site_description": "say in one sentence what the desk checks, or remove the line",
    "site_url": "set the address the site is published at, or take it from the environment: "
                "site_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/'], with SITE_URL set by the publishing workflow",
    "repo_url": "set the address of the desk's public repository, or remove the line (and edit_uri): "
                "pages then have no edit link",
    "organization.name": "write the name of the organisation that publishes the site",
    "organization.url": "set the organisation's own website, or remove the line to use site_url",
    "organization.email": "set the address where readers reach the editors, or remove the line and say on the "
                          "pages that use it ({{ organization.email }}) how readers can reach the desk",
    "organization.funding": "say who funds the desk, or remove the line and say plainly on the About page that "
                            "the desk has not disclosed its funding",
    "organization.logo": "point it at the organisation's logo, e.g. assets/logo.svg in docs/",
}


@dataclass(frozen=True, order=True)
class SiteNote:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def placeholder_reason(value: Any) -> str | None:
    """What makes a setting's value a placeholder, or None when it is not one."""
    if not isinstance(value, str):
        return None
    if PLACEHOLDER_WORD in value:
        return f'"{_shorten(value)}"'
    host = _EXAMPLE_HOST.search(value)
    if host:
        return f"{_shorten(value)} is at {host.group(0)}, a domain reserved for examples"
    return None


def _shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


# Deeper than any real mkdocs.yml: PyYAML's Python loader, which MkDocs uses, runs out of stack some hundreds deep.
SETTINGS_DEPTH = 100


def nested_too_deep(text: str) -> int | None:
    """The line where text's values nest deeper than SETTINGS_DEPTH, or None. Read event by event (PyYAML's
    parser keeps its own stack), so it cannot run out of Python's, as a composer does."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > SETTINGS_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


@lru_cache(maxsize=2)  # (setting_lines and repeated_settings read the same file)
def _composed(text: str) -> yaml.Node | None:
    """The node tree of a settings file, or None when it is not valid YAML or nests too deeply to walk."""
    if nested_too_deep(text) is not None:
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


# How many more values than the file holds its aliases may stand for, written out: far above any real use of anchors.
ALIASED_VALUES = 100_000


def aliases_too_wide(text: str) -> tuple[int, str] | None:
    """(line, setting) of the first top-level setting whose anchors and aliases (& and *) stand for more than
    ALIASED_VALUES values beyond those written, or None. PyYAML keeps an alias as a second reference, so a file of
    a few lines can stand for billions of values; MkDocs writes every setting out in full after loading it (a debug
    line), which then never ends."""
    root = _composed(text)
    if not isinstance(root, yaml.MappingNode):
        return None
    sizes: dict[int, int] = {}
    distinct: set[int] = set()

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            distinct.add(id(node))
            children = ([part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode)
                        else node.value if isinstance(node, yaml.SequenceNode) else [])
            sizes[id(node)] = 1 + sum(size(child) for child in children)
        return sizes[id(node)]

    for key, value in root.value:
        if size(value) - len(distinct) > ALIASED_VALUES:
            return key.start_mark.line + 1, str(key.value)
    return None


def setting_lines(text: str) -> dict[str, int]:
    """{dotted setting name: line} for every mapping key in a YAML document, without constructing
    anything (so tags such as !ENV or !!python/name are never run). In `plugins`, a list of
    `- name: {...}` entries counts as a mapping from plugin names."""
    root = _composed(text)
    lines: dict[str, int] = {}
    seen_nodes: set[int] = set()

    def walk(node: yaml.Node, prefix: tuple[str, ...]) -> None:
        if id(node) in seen_nodes:  # an alias: walked where it is defined (each alias again would be exponential)
            return
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    path = (*prefix, str(key.value))
                    lines.setdefault(".".join(path), key.start_mark.line + 1)
                    walk(value, path)
        elif isinstance(node, yaml.SequenceNode) and prefix == ("plugins",):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    lines.setdefault(f"plugins.{item.value}", item.start_mark.line + 1)
                else:
                    walk(item, prefix)

    if root is not None:
        walk(root, ())
    return lines


def repeated_settings(text: str, config_name: str, first_line: int = 1) -> list[SiteNote]:
    """One note per key written again in the same mapping, at the line of the value MkDocs keeps (text's first line
    being first_line of the file).
    Read from YAML's node tree, so tags such as !ENV are never run; a file that is not valid YAML
    has no notes here (MkDocs and read_settings say what is wrong with it)."""
    root = _composed(text)
    notes: list[SiteNote] = []
    seen_nodes: set[int] = set()

    def walk(node: yaml.Node, prefix: tuple[str, ...]) -> None:
        if id(node) in seen_nodes:  # an alias: reported where it is defined (see setting_lines)
            return
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            lines: dict[str, list[int]] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    lines.setdefault(key.value, []).append(key.start_mark.line + first_line)
                    walk(value, (*prefix, str(key.value)))
                else:
                    walk(value, prefix)
            for key, found in lines.items():
                if len(found) > 1:
                    earlier = ", ".join(str(line) for line in found[:-2])
                    dropped = f"s {earlier} and {found[-2]}" if earlier else f" {found[-2]}"
                    times = "twice" if len(found) == 2 else f"{len(found)} times"
                    notes.append(SiteNote(config_name, found[-1], (
                        f"{'.'.join((*prefix, str(key)))} is set {times}; MkDocs keeps only this line and drops "
                        f"line{dropped} without a word: delete the one you do not mean, or merge them")))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, prefix)

    if root is not None:
        walk(root, ())
    return sorted(notes)


def _label(name: str) -> str:
    prefix = ".".join(ORGANIZATION_PATH) + "."
    return "organization." + name[len(prefix):] if name.startswith(prefix) else name


def placeholder_notes(values: Mapping[str, Any], lines: Mapping[str, int], config_name: str) -> list[SiteNote]:
    """One note per placeholder among `values` ({dotted setting name: value})."""
    notes = []
    for name, value in values.items():
        reason = placeholder_reason(value)
        if reason is None:
            continue
        label = _label(name)
        fix = _HOW_TO_FIX.get(label, "replace it with the desk's own value, or remove the line")
        notes.append(SiteNote(config_name, lines.get(name, 1),
                              f"{label} is a placeholder: {reason}; {fix}"))
    return sorted(notes)


def settings_to_check(site: Mapping[str, Any], organization: Mapping[str, Any]) -> dict[str, Any]:
    """The values the placeholder check reads, by dotted name as in setting_lines."""
    values = {key: site.get(key) for key in SITE_KEYS}
    values.update({".".join((*ORGANIZATION_PATH, str(key))): value for key, value in organization.items()})
    return values


def config_placeholders(config_file: Path, site: Mapping[str, Any],
                        organization: Mapping[str, Any]) -> list[SiteNote]:
    """The placeholders in a site's settings, each at its line in config_file."""
    return placeholder_notes(settings_to_check(site, organization), setting_lines(_config_text(config_file)),
                             config_file.name)


def config_repeats(config_file: Path) -> list[SiteNote]:
    """The settings config_file writes twice in one place (see repeated_settings)."""
    return repeated_settings(_config_text(config_file), config_file.name)


def _config_text(config_file: Path) -> str:
    """config_file's text, or "" where it cannot be read (MkDocs, which read it first, says why)."""
    try:
        return config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


# A page's front matter as MkDocs finds it (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def page_repeats(text: str, shown_path: str) -> list[SiteNote]:
    """The keys a page's front matter writes twice (its title, say), at their lines in the page."""
    found = _FRONT_MATTER.match(text)
    if found is None:
        return []
    return repeated_settings(found.group(1), shown_path, first_line=2)


def page_placeholders(text: str, shown_path: str) -> list[SiteNote]:
    """Lines of one of the site's own pages that still say PLACEHOLDER."""
    return [SiteNote(shown_path, number, f'the page has a placeholder: "{_shorten(line)}"; '
                                         "replace it with what is true of the desk")
            for number, line in enumerate(text.splitlines(), 1) if PLACEHOLDER_WORD in line]


def theme_has_extrahead(theme: Any) -> bool:
    """Whether the theme's base.html has the extrahead block that templates/main.html fills."""
    try:
        env = theme.get_env()
        source = env.loader.get_source(env, "base.html")[0]
    except Exception:  # no base.html, or a loader that cannot tell
        return False
    return re.search(r"\{%-?\s*block\s+extrahead\b", source) is not None


def theme_shortfalls(theme_name: str | None, has_extrahead: bool) -> str | None:
    """What readers will not get on a theme other than Material, or None on Material."""
    if theme_name == "material":
        return None
    lost = ["the claim search (the compact search index of claims and sources is written only for Material's "
            "search; a theme's own search, if any, indexes every generated page in full, which every reader "
            "downloads)",
            "the fact-check page styles (factcheck.css uses Material's colours and layout)"]
    if not has_extrahead:
        lost.append("the claim pages' ClaimReview structured data (JSON-LD), link-preview cards and feed links "
                    "(the theme's base.html has no extrahead block to put them in)")
    return (f"theme '{theme_name or 'none'}' is not Material, so readers will not get: " + "; ".join(lost)
            + ". Set theme: name: material in mkdocs.yml")


# What `factcheck init` writes as an invented example (desk_template/): files whose names start so, and the author
# its claim is signed by. Published, they would be fiction presented as fact-checks.
EXAMPLE_PREFIX = "invented-example"
EXAMPLE_AUTHOR = "Example editor"


def _line_of(path: Path, start: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if line.startswith(start)), 1)


def example_content(claims: Mapping[str, tuple[str, str]], sources: Mapping[str, str], root: Path) -> list[SiteNote]:
    """The template's invented example still in the site: each claim or source file that `factcheck init` wrote as
    an example ({id: (path, author)} and {id: path}, paths as the loader gives them, from root), and each claim
    signed by its invented author, at the line that says so."""
    notes = []
    for claim_id, (path, author) in sorted(claims.items()):
        if claim_id.startswith(EXAMPLE_PREFIX):
            notes.append(SiteNote(path, 1, "the template's invented example claim is still here: delete it (and its "
                                           "invented source) once the desk publishes its own fact-checks"))
        elif author.strip() == EXAMPLE_AUTHOR:
            notes.append(SiteNote(path, _line_of(root / path, "author:"),
                                  f'author is the template\'s invented "{EXAMPLE_AUTHOR}": write who checked '
                                  "the claim"))
    notes += [SiteNote(path, 1, "the template's invented example source is still here: delete it (and the claims "
                                "quoting it) once the desk publishes its own fact-checks")
              for source_id, path in sorted(sources.items()) if source_id.startswith(EXAMPLE_PREFIX)]
    return notes
