"""`factcheck init DIR`: a new desk's site in one command.

Everything comes from one folder shipped in the package (desk_template/) plus what is
generated rather than copied: the JSON Schemas (json_schema.py) and, in requirements.txt, where
the running generator was installed from (generator_source). Its dependencies and LinkChecker
are in the template's requirements.lock, hashed (`./dev lock` writes it). Files whose names
start with a dot are stored as `dot-...`, so that they are package data like any other file
and do not act on this repository (a .gitignore or .github/ inside the package would).

The site is written into a temporary folder beside DIR and renamed into place once it is
complete, so a failure leaves nothing half-written; DIR must not exist or be empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import yaml

from factcheck_site import __version__
from factcheck_site.config import read_settings
from factcheck_site.content.site_checks import SiteNote, config_placeholders, example_content, page_placeholders
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.content.web_address import split_web_address
from factcheck_site.editor.json_schema import schema_files
from factcheck_site.language import DESK_LOCALES, DOMAIN, catalogue_to_translate, catalogued

if TYPE_CHECKING:
    from importlib.abc import Traversable

TEMPLATE = "desk_template"
LANGUAGES = "languages"  # desk_template/languages/<code>/: the template's pages in that language, and its words.yml
WORDS = "words.yml"  # {English: translation} for the reader-facing titles in mkdocs.yml (nav, footer)
DOT_PREFIX = "dot-"
REQUIREMENT_MARK = "{{ generator_requirement }}"
ORIGIN_MARK = "{{ generator_origin }}"
DISTRIBUTION = "factcheck-site"


class InitError(Exception):
    pass


@dataclass(frozen=True)
class GeneratorSource:
    """Where the running generator was installed from, as requirements.txt can name it."""

    requirement: str  # the line in requirements.txt that installs exactly this generator
    origin: str  # where that is, in words
    reachable: bool  # whether the desk's CI can install it from there (not from a file on this machine)

    def advice(self) -> str:
        """What to do when CI cannot reach it (empty when it can)."""
        if self.reachable:
            return ""
        return (f"requirements.txt: the generator was installed from {self.origin}, which the desk's CI cannot reach: "
                "the new site installs from there on this machine only. Before pushing it, replace the "
                f"{DISTRIBUTION} line with where CI can install this generator from, e.g. "
                f"`{DISTRIBUTION} @ git+https://github.com/OWNER/REPO@COMMIT` (the generator's repository at "
                f"the commit used), or `{DISTRIBUTION}=={__version__}` from a package index that serves it")


def generator_source(distribution: metadata.Distribution | None = None) -> GeneratorSource:
    """From what pip recorded (PEP 610's direct_url.json among the distribution's files): a version control
    URL and commit, an archive's URL, or a local folder; nothing when it came from a package index."""
    try:
        distribution = distribution or metadata.distribution(DISTRIBUTION)
        recorded = distribution.read_text("direct_url.json")
        direct = json.loads(recorded) if recorded else None
    except (metadata.PackageNotFoundError, ValueError):
        direct = None
    if not isinstance(direct, dict) or not isinstance(direct.get("url"), str):
        return GeneratorSource(f"{DISTRIBUTION}=={__version__}", f"a package index ({DISTRIBUTION} {__version__})",
                               True)
    url: str = direct["url"]
    parts = split_web_address(url)
    local = parts is None or parts.scheme == "file"  # an address the standard library cannot read: not for CI
    where = unquote(parts.path) if parts is not None and local else url
    subdirectory = f"#subdirectory={direct['subdirectory']}" if isinstance(direct.get("subdirectory"), str) else ""
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("commit_id"), str):
        return GeneratorSource(f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}{subdirectory}",
                               f"the repository {where} at commit {vcs['commit_id']}", not local)
    archive = direct.get("archive_info")
    if isinstance(archive, dict):
        hashes = archive.get("hashes") if isinstance(archive.get("hashes"), dict) else {}
        pinned = f" --hash=sha256:{hashes['sha256']}" if isinstance(hashes.get("sha256"), str) else ""
        return GeneratorSource(f"{DISTRIBUTION} @ {url}{subdirectory}{pinned}",
                               f"the file {where}" if local else where, not local)
    editable = isinstance(direct.get("dir_info"), dict) and direct["dir_info"].get("editable") is True
    return GeneratorSource(f"{DISTRIBUTION} @ {url}{subdirectory}",
                           f"the folder {where}{' (an editable install)' if editable else ''}", not local)


def _template_files(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__" or (prefix == "" and entry.name == LANGUAGES):
            continue
        name = "." + entry.name[len(DOT_PREFIX):] if entry.name.startswith(DOT_PREFIX) else entry.name
        if entry.is_dir():
            files.update(_template_files(entry, f"{prefix}{name}/"))
        else:
            files[prefix + name] = entry.read_bytes()
    return files


_NAV_TITLE = re.compile(r"^(\s*- )([^:#\n]+?)(:(?:\s.*)?)$")


def in_language(files: dict[str, bytes], code: str) -> dict[str, bytes]:
    """The template's files for a desk in `code`: its translated pages in place of the English ones, theme.language
    set, and the reader-facing titles of mkdocs.yml (nav, footer) in the language. A language the template has no
    pages for keeps the English pages (the generator's own words still follow theme.language)."""
    files = dict(files)
    folder = resources.files("factcheck_site").joinpath(TEMPLATE, LANGUAGES, code)
    words: dict[str, str] = {}
    if folder.is_dir():
        translated = _template_files(folder)
        words = yaml.safe_load(translated.pop(WORDS, b"{}").decode("utf-8")) or {}
        files.update(translated)
    lines = files["mkdocs.yml"].decode("utf-8").split("\n")
    for number, line in enumerate(lines):
        if line.strip() == "language: en":
            lines[number] = line.replace("language: en", f"language: {code}")
        elif (match := _NAV_TITLE.match(line)) and match[2] in words:
            lines[number] = f"{match[1]}{words[match[2]]}{match[3]}"
    files["mkdocs.yml"] = "\n".join(lines).encode("utf-8")
    if not catalogued(code):  # the generator's words to translate, in the desk's own catalogue (README)
        files[f"{DESK_LOCALES}/{code}/LC_MESSAGES/{DOMAIN}.po"] = catalogue_to_translate(code)
    return files


def site_files(language: str = "en") -> dict[str, bytes]:
    """{path in the new site: content}, for a desk publishing in `language` (theme.language)."""
    files = _template_files(resources.files("factcheck_site").joinpath(TEMPLATE))
    if language != "en":
        files = in_language(files, language)
    source = generator_source()
    origin = source.origin + ("." if source.reachable else
                              ".\n# The desk's CI cannot reach that: replace the last line with where CI can install"
                              "\n# the generator from (factcheck init said how).")
    for path, content in files.items():
        if REQUIREMENT_MARK.encode() in content:
            files[path] = (content.replace(REQUIREMENT_MARK.encode(), source.requirement.encode())
                           .replace(ORIGIN_MARK.encode(), origin.encode()))
    for name, text in schema_files(DEFAULT_SCALE).items():
        files[f"schemas/{name}"] = text.encode("utf-8")
    return files


def _check_target(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InitError(f"{target}: already exists and is not a folder; nothing was written")
    if target.is_dir():
        present = sorted(p.name for p in target.iterdir())
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise InitError(f"{target}: the folder is not empty ({shown}); init never overwrites or mixes in "
                            "files: choose a new or empty folder. Nothing was written")
    if not target.parent.is_dir():
        raise InitError(f"{target.parent}: no such folder; nothing was written")


def create_site(target: Path, language: str = "en") -> list[str]:
    """Write a new site into `target` (new or empty) all at once, in `language`; the paths written, sorted."""
    _check_target(target)
    files = site_files(language)
    try:
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.init-"))
    except OSError as error:
        raise InitError(f"cannot write beside {target} ({error.strerror or error}); nothing was written") from None
    try:
        for path, content in files.items():
            destination = staging / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; a site folder is not
        _check_target(target)  # again: something may have appeared meanwhile
        if target.is_dir():
            target.rmdir()  # empty; fails rather than lose anything if a file appeared since
        os.rename(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise InitError(f"cannot write {target} ({error.strerror or error}); nothing was written") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(files)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_fill_in(site: Path) -> list[SiteNote]:
    """The placeholders of a site made by init, and its invented example, as the strict build will name them."""
    settings, _ = read_settings(site / "mkdocs.yml")
    notes = config_placeholders(site / "mkdocs.yml", settings.site | {"repo_url": None}, settings.organization)
    for page in sorted((site / "docs").rglob("*.md")):
        notes += page_placeholders(page.read_text(encoding="utf-8"), page.relative_to(site).as_posix())
    claims = {path.stem: (path.relative_to(site).as_posix(), "") for path in sorted((site / "claims").glob("*.yml"))}
    sources = {path.stem: path.relative_to(site).as_posix() for path in sorted((site / "sources").glob("*.md"))}
    return notes + example_content(claims, sources, site)
