"""Running a command in a real pseudo-terminal and answering its questions, as an editor
at a keyboard would; the command sees a terminal (isatty() is true), not a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

from conftest import ENV


class TerminalTimeout(AssertionError):
    pass


def _read_until(fd: int, wanted: bytes | None, seen: bytearray, deadline: float) -> None:
    """Read into `seen` until `wanted` appears after what was already there (or EOF when None)."""
    start = len(seen)
    while wanted is None or wanted not in seen[start:]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TerminalTimeout(f"waited for {wanted!r}; the terminal showed:\n{seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the command closed the terminal
            chunk = b""
        if not chunk:
            if wanted is None:
                return
            raise TerminalTimeout(f"the command ended before showing {wanted!r}:\n{seen.decode(errors='replace')}")
        seen.extend(chunk)


def run_in_terminal(args: list[str], cwd: Path, answers: list[tuple[str, str]],
                    timeout: float = 600) -> tuple[int, str]:
    """Run `args`; each time the text of a pair appears, type its answer and Enter.
    Returns the exit status and everything the terminal showed (answers are echoed)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, cwd=cwd, env={**ENV, "TERM": "dumb"}, stdin=follower, stdout=follower,
                               stderr=follower, close_fds=True)
    os.close(follower)
    seen = bytearray()
    deadline = time.monotonic() + timeout
    try:
        for prompt, answer in answers:
            _read_until(leader, prompt.encode(), seen, deadline)
            os.write(leader, answer.encode() + b"\r")
        _read_until(leader, None, seen, deadline)
        return process.wait(timeout=max(1.0, deadline - time.monotonic())), seen.decode(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
