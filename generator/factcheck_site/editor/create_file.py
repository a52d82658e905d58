"""Creating an editor's file: never over an existing one, never half-written.

The commands that start a claim or a source must not destroy work an editor already
did under the same name, and a full disk or an interrupted run must not leave a
truncated file that later looks like the editor's own.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def create_file(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`; FileExistsError if something is there already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise FileExistsError(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".new-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        try:
            os.link(temp, path)  # atomic, and fails rather than replace an existing file
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            with open(path, "x", encoding="utf-8", newline="\n") as stream:
                try:
                    stream.write(text)
                except BaseException:
                    stream.close()
                    path.unlink()
                    raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
