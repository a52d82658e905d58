"""Asking an editor in a terminal for what a command was not given.

Only used when standard input is a terminal: in CI, pre-commit hooks and scripts a
command never waits for an answer that will not come.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def is_interactive() -> bool:
    return sys.stdin.isatty()


def ask(prompt: str, check: Callable[[str], str | None]) -> str:
    """The first answer that passes `check`; an empty answer (or end of input) means 'later'."""
    while True:
        try:
            answer = input(prompt).strip()
        except EOFError:
            print(file=sys.stderr)
            return ""
        problem = check(answer) if answer else None
        if problem is None:
            return answer
        print(f"  {problem}", file=sys.stderr)
