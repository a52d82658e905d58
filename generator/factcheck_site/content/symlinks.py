"""Symbolic links in the folders a build reads: the claims and sources folders, docs/ and the theme's custom_dir.

A pull request can commit a link, and git checks it out as one. MkDocs follows every link it finds in docs/ and in
a theme folder and publishes what it points at (`docs/passwd.txt -> /etc/passwd` was published by a strict
build). So a link is followed only when it stays inside the project (the folder of mkdocs.yml) and out of its
`.git`; a link that leaves the project, points at nothing, leads to a folder holding it (an endless walk), or to a
folder already reached through another link (a walk that doubles at every level), is refused with its path,
whatever the build's strictness, and nothing is read through it. The folders themselves are held to the same rule,
whether a link or mkdocs.yml (which a clone brings too) takes them outside. Files inside claims/ and sources/ are
never read through a link at all (content/load.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from factcheck_site.content.load import display
from factcheck_site.content.problems import Problem
from factcheck_site.content.settings import Settings

HOW_TO_FIX = "replace it with the file or folder itself, inside the project"


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _where_it_leads(target: str, root: str) -> str | None:
    """Why a link's (or a folder's) real path may not be read, or None when it may."""
    if not _within(target, root):
        return "leads outside the project"
    if _within(target, os.path.join(root, ".git")):
        return "leads into .git, the repository's own files"
    return None


def input_folders(settings: Settings) -> dict[str, Path]:
    """The folders a build reads, by the setting of mkdocs.yml that names each."""
    folders = {"plugins.factcheck.claims_dir": settings.claims_dir,
               "plugins.factcheck.sources_dir": settings.sources_dir}
    return {**folders, **({"docs_dir": settings.docs_dir} if settings.docs_dir else {})}


def folders_outside(folders: dict[str, Path], root: Path) -> list[Problem]:
    """folder_outside for each folder, by the setting that names it."""
    return [problem for setting, folder in folders.items() for problem in folder_outside(folder, root, setting)]


def folder_outside(folder: Path, root: Path, setting: str) -> list[Problem]:
    """A folder the build reads (setting names it in mkdocs.yml) that is configured outside the project, or is (or
    lies below) a link leading out of it."""
    if not os.path.lexists(folder):
        return []
    real_root = os.path.realpath(root)
    why = _where_it_leads(os.path.realpath(folder), real_root)
    if why is None:
        return []
    if not _within(os.path.normpath(os.path.abspath(folder)), os.path.normpath(os.path.abspath(root))):
        return [Problem("mkdocs.yml", 1, f"{setting} is {os.path.relpath(folder, root)}, outside the project; a "
                        "build reads only what the project holds: set it to a folder inside the folder of "
                        "mkdocs.yml")]
    return [Problem(display(folder, root), 1, f"this folder is reached through a symbolic link that {why}; a build "
                    f"reads only what the project holds: {HOW_TO_FIX}")]


def _link_text(path: Path) -> str:
    """What the link says, as its author wrote it (not the path it resolves to on this machine)."""
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def links_leaving(folder: Path, root: Path) -> list[Problem]:
    """Every link under folder (walked as MkDocs walks it, through the links that may be followed) that may not
    be followed."""
    real_root = os.path.realpath(root)
    if not os.path.isdir(folder) or _where_it_leads(os.path.realpath(folder), real_root):
        return []  # folder_outside() says so
    problems: list[Problem] = []
    reached: dict[str, str] = {}  # real folder reached through a link: that link, as shown
    stack: list[tuple[Path, tuple[str, ...]]] = [(folder, (os.path.realpath(folder),))]
    while stack:
        here, chain = stack.pop()  # chain: the real folders from folder down to here
        try:
            with os.scandir(here) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue  # MkDocs cannot read it either, and says so
        for entry in entries:
            path = here / entry.name
            if entry.is_symlink():
                shown = display(path, root)
                target = os.path.realpath(path)
                why = _where_it_leads(target, real_root)
                if why is None and not os.path.exists(path):
                    why = "points at nothing"
                if why is None and os.path.isdir(target):
                    if any(_within(real, target) for real in chain):
                        why = "leads to a folder that holds it, which would be walked without end"
                    elif target in reached:
                        why = f"leads to a folder already reached through {reached[target]}"
                    else:
                        reached[target] = shown
                        stack.append((path, (*chain, target)))
                if why is not None:
                    problems.append(Problem(shown, 1, f"this symbolic link (to {_link_text(path)}) {why}; it is not "
                                            f"followed: {HOW_TO_FIX}"))
            elif entry.is_dir(follow_symlinks=False):
                stack.append((path, (*chain, os.path.realpath(path))))
    return sorted(problems)


def site_folder_refused(site_dir: Path, root: Path, inputs: list[Path]) -> str | None:
    """Why a site folder set in mkdocs.yml may not be built into, or None. A build empties the site folder and
    fills it again, and mkdocs.yml comes with a clone: the folder must stay inside the project (through links too)
    and hold none of what the build reads (inputs) nor the repository. Any folder given on the command line is the
    user's own choice, and is not checked."""
    real_root, real = os.path.realpath(root), os.path.realpath(site_dir)
    why = _where_it_leads(real, real_root)
    if why is None and real == real_root:
        why = "is the project's own folder"
    for folder in (Path(real_root) / ".git", *inputs):
        if why is None and os.path.lexists(folder) and _within(os.path.realpath(folder), real):
            why = f"holds {display(folder, root)}, which the build would delete"
    return why
