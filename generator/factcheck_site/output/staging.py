"""Building into a staging folder and swapping it into place at the end, so that a
build that fails at any point leaves the last good site untouched instead of a
cleaned or half-written one."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def make_staging(final: Path) -> Path:
    """An empty folder beside final (same file system, so the swap is a rename)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    umask = os.umask(0o022)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the site folder is for everyone to read
    return staging


def publish(staging: Path, final: Path) -> None:
    """Replace final's contents with staging's.

    Hidden entries of final (a .git of a gh-pages checkout, say) are kept, as MkDocs
    keeps them when it cleans the site folder.
    """
    if not final.exists():
        os.rename(staging, final)
        return
    if final.is_symlink() or not final.is_dir():
        _publish_in_place(staging, final)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
    try:
        os.rename(final, old / final.name)
    except OSError:  # e.g. final is a mount point
        old.rmdir()
        _publish_in_place(staging, final)
        return
    os.rename(staging, final)
    for entry in (old / final.name).iterdir():
        if entry.name.startswith(".") and not (final / entry.name).exists():
            os.rename(entry, final / entry.name)
    shutil.rmtree(old, ignore_errors=True)


def _publish_in_place(staging: Path, final: Path) -> None:
    for entry in final.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        os.replace(entry, final / entry.name)
    staging.rmdir()


def unlink_links(folder: Path) -> list[str]:
    """Remove every symbolic link inside folder (not what it points at), and return their paths.

    A dirty build writes into the site folder as it stands, without emptying it, and writing follows links: one a
    clone brought (`site/claims -> /home/editor`) would carry the build's pages out of the project. A link is
    nothing a build makes, and a clean build deletes it anyway."""
    removed = []
    for where, subfolders, files in os.walk(folder):
        for name in (*subfolders, *files):
            path = os.path.join(where, name)
            if os.path.islink(path):
                os.unlink(path)
                removed.append(path)
    return removed


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def delete_with_empty_parents(path: Path, site_dir: Path) -> None:
    """A file of an earlier build, and the folders it leaves empty inside the site folder (a dirty build,
    which does not empty the site folder first)."""
    path.unlink(missing_ok=True)
    folder = path.parent.resolve()
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone
            break
        folder = folder.parent
