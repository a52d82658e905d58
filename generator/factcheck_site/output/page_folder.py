"""Writing rendered pages to a folder: all of them or none, and never at the expense
of a file someone else put there.

A manifest records each file this tool wrote with the fingerprint of what it wrote.
A file is replaced or removed only if the manifest lists it and it still holds what
was written; anything else in the way stops the run before a byte is written. New
contents go to temporary files first, so a failure while writing (a full disk, a
read-only folder) leaves the folder exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = ".factcheck-manifest"
_HEADER = "# Files written by `factcheck render`: sha256 and path. Do not edit.\n"
_NOT_A_FILE = "not a regular file"


class OutputConflict(Exception):
    """Files in the output folder that this tool may not replace; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # no longer generated, but changed by someone: left alone


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inside(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_manifest(out: Path) -> dict[str, set[str]]:
    """{path: fingerprints it may hold}; entries pointing outside the folder are ignored."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    entries: dict[str, set[str]] = {}
    for line in text.splitlines():
        digest, _, name = line.partition(" ")
        if len(digest) == 64 and _inside(name):
            entries.setdefault(name, set()).add(digest)
    return entries


def _manifest_bytes(entries: dict[str, set[str]]) -> bytes:
    lines = [f"{digest} {name}\n" for name in sorted(entries) for digest in sorted(entries[name])]
    return (_HEADER + "".join(lines)).encode("utf-8")


def _current_digest(path: Path) -> str | None:
    """The fingerprint of what is at path, or None when nothing is there."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return _NOT_A_FILE
    if not path.exists():
        return None
    return _digest(path.read_bytes())


def _conflicts(out: Path, pages: dict[str, bytes], previous: dict[str, set[str]]) -> list[str]:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        return [f"{out}: is not a folder; choose another --out folder"]
    if _current_digest(out / MANIFEST) == _NOT_A_FILE:
        return [f"{out / MANIFEST}: is not a regular file; move it away or choose another --out folder"]
    problems = []
    for name in sorted(pages):
        if not _inside(name):
            problems.append(f"{name}: is not a path inside the output folder")
            continue
        folder = out
        for part in PurePosixPath(name).parts[:-1]:
            folder = folder / part
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                problems.append(f"{folder}: is in the way of {name}; move it away or choose another --out folder")
                break
        else:
            current = _current_digest(out / name)
            if current is None or current == _digest(pages[name]):
                continue
            if current == _NOT_A_FILE:
                problems.append(f"{out / name}: is not a regular file; move it away or choose another --out folder")
            elif name not in previous:
                problems.append(f"{out / name}: was not written by factcheck render; move it away or choose "
                                "another --out folder")
            elif current not in previous[name]:
                problems.append(f"{out / name}: was changed since factcheck render wrote it; move the changed "
                                "file away or delete it")
    return problems


def _file_mode() -> int:
    """What open() would give a new file: mkstemp's files are private (0600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_beside(path: Path, data: bytes, created: list[Path]) -> Path:
    """A temporary file in path's folder holding data; folders made on the way are added to created."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir()
        created.append(folder)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, _file_mode())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_pages(out: Path, pages: Mapping[str, str | bytes]) -> WriteResult:
    """Make `out` hold exactly these pages (text is written as UTF-8), besides whatever others put there."""
    encoded = {name: content.encode("utf-8") if isinstance(content, str) else content
               for name, content in pages.items()}
    previous = read_manifest(out) if out.is_dir() else {}
    problems = _conflicts(out, encoded, previous)
    if problems:
        raise OutputConflict(problems)
    result = WriteResult()
    created: list[Path] = []
    temps: list[tuple[Path, Path]] = []
    try:
        for name in sorted(encoded):
            if _current_digest(out / name) == _digest(encoded[name]):
                result.unchanged.append(name)
            else:
                temps.append((_temp_beside(out / name, encoded[name], created), out / name))
                result.written.append(name)
        if temps:  # until the last rename a page may hold its old or its new text: the manifest accepts both
            during = {name: {_digest(data)} | previous.get(name, set()) for name, data in encoded.items()}
            during.update({name: digests for name, digests in previous.items() if name not in encoded})
            temps.append((_temp_beside(out / MANIFEST, _manifest_bytes(during), created), out / MANIFEST))
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        for folder in reversed(created):
            folder.rmdir()
        raise
    for temp, target in temps:
        os.replace(temp, target)
    for name in sorted(set(previous) - set(encoded)):
        current = _current_digest(out / name)
        if current in previous[name]:
            (out / name).unlink()
            result.removed.append(name)
        elif current is not None:
            result.kept.append(name)
    final = _manifest_bytes({name: {_digest(data)} for name, data in encoded.items()})
    if _current_digest(out / MANIFEST) != _digest(final):
        os.replace(_temp_beside(out / MANIFEST, final, []), out / MANIFEST)
    return result
