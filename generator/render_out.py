"""Writing rendered pages to a folder without ever leaving it half-written.

Every file is written beside its target and renamed into place; a manifest records
what this tool wrote, so a later run removes only its own stale pages and never a
file someone else put there.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MANIFEST = ".factcheck-manifest"


def _atomic_write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_pages(out: Path, pages: dict[str, str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    previous = set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
    for src_uri, content in sorted(pages.items()):
        target = out / src_uri
        if target.is_file() and target.read_text(encoding="utf-8") == content:
            continue
        _atomic_write(target, content)
    _atomic_write(manifest, "\n".join(sorted(pages)) + "\n")
    for stale in sorted(previous - set(pages)):
        path = out / stale
        if ".." not in Path(stale).parts and path.is_file():
            path.unlink()
    return len(pages)
