"""`factcheck init DIR`: a new desk's site in one command.

Everything comes from one folder shipped in the package (desk_template/) plus what is
generated rather than copied: the JSON Schemas (json_schema.py) and the generator's
version in requirements.txt. Files whose names start with a dot are stored as `dot-...`,
so that they are package data like any other file and do not act on this repository
(a .gitignore or .github/ inside the package would).

The site is written into a temporary folder beside DIR and renamed into place once it is
complete, so a failure leaves nothing half-written; DIR must not exist or be empty.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck_site import __version__
from factcheck_site.config import read_settings
from factcheck_site.content.site_checks import SiteNote, config_placeholders, page_placeholders
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.editor.json_schema import schema_files

if TYPE_CHECKING:
    from importlib.abc import Traversable

TEMPLATE = "desk_template"
DOT_PREFIX = "dot-"
VERSION_MARK = "{{ generator_version }}"


class InitError(Exception):
    pass


def generator_version() -> str:
    return __version__


def _template_files(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        name = "." + entry.name[len(DOT_PREFIX):] if entry.name.startswith(DOT_PREFIX) else entry.name
        if entry.is_dir():
            files.update(_template_files(entry, f"{prefix}{name}/"))
        else:
            files[prefix + name] = entry.read_bytes()
    return files


def site_files() -> dict[str, bytes]:
    """{path in the new site: content}."""
    files = _template_files(resources.files("factcheck_site").joinpath(TEMPLATE))
    version = generator_version()
    for path, content in files.items():
        if VERSION_MARK.encode() in content:
            files[path] = content.replace(VERSION_MARK.encode(), version.encode())
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


def create_site(target: Path) -> list[str]:
    """Write a new site into `target` (new or empty) all at once; the paths written, sorted."""
    _check_target(target)
    files = site_files()
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
    """The placeholders of a site made by init, as the strict build will name them."""
    settings, _ = read_settings(site / "mkdocs.yml")
    notes = config_placeholders(site / "mkdocs.yml", settings.site | {"repo_url": None}, settings.organization)
    for page in sorted((site / "docs").rglob("*.md")):
        notes += page_placeholders(page.read_text(encoding="utf-8"), page.relative_to(site).as_posix())
    return notes
