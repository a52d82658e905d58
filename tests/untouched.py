"""Proof that nothing outside a project is opened, read, written or deleted: Linux's inotify reports every
access to the folders watched and the files in them, whatever process makes it, while the code under test runs."""

from __future__ import annotations

import ctypes
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
EVENTS = {0x1: "read", 0x2: "written", 0x4: "changed (attributes)", 0x8: "closed after writing", 0x20: "opened",
          0x40: "moved away", 0x80: "moved in", 0x100: "created", 0x200: "deleted", 0x400: "deleted (itself)",
          0x800: "moved (itself)"}
_MASK = sum(EVENTS)
_HEADER = struct.Struct("iIII")


def _watch(fd: int, path: Path, watches: dict[int, Path]) -> None:
    number = _libc.inotify_add_watch(fd, os.fsencode(path), _MASK | 0x20000000)  # IN_DONT_FOLLOW
    if number < 0:
        raise OSError(ctypes.get_errno(), f"inotify cannot watch {path}")
    watches[number] = path


@contextmanager
def untouched(*folders: Path) -> Iterator[None]:
    """Fails if anything in folders (each folder, its subfolders and their files, links not followed) is opened,
    read, written, created, changed or deleted inside the block. Take snapshots before entering and after leaving:
    a snapshot reads the files."""
    fd = _libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1")
    watches: dict[int, Path] = {}
    events: list[str] = []
    try:
        listed = [Path(where) / name for folder in folders for where, subfolders, files in os.walk(folder)
                  for name in (".", *subfolders, *files)]  # before any watch: walking opens the folders
        for path in listed:
            _watch(fd, path, watches)
        yield
        while True:
            try:
                data = os.read(fd, 1 << 16)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                number, mask, _, size = _HEADER.unpack_from(data, offset)
                name = data[offset + _HEADER.size : offset + _HEADER.size + size].rstrip(b"\0").decode()
                offset += _HEADER.size + size
                what = ", ".join(text for bit, text in EVENTS.items() if mask & bit)
                if what and number in watches:
                    events.append(f"{watches[number] / name if name else watches[number]}: {what}")
    finally:
        os.close(fd)
    assert not events, "files outside the project were touched:\n" + "\n".join(sorted(set(events)))
