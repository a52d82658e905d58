"""Asking an editor in a terminal for what a command was not given.

Only used when standard input is a terminal: in CI, pre-commit hooks and scripts a
command never waits for an answer that will not come.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """Something a command asks in a terminal when it was not given on the command line;
    Enter leaves it for later, or takes the default (e.g. what a saved page itself suggests)."""

    name: str
    prompt: str
    check: Callable[[str], str | None]
    default: str = ""


def is_interactive() -> bool:
    return sys.stdin.isatty()


def ask(question: Question) -> str:
    """The first answer that passes the question's check; an empty answer (or end of input)
    gives the default, which is empty for 'later'."""
    while True:
        try:
            answer = input(question.prompt).strip()
        except EOFError:
            print(file=sys.stderr)
            return question.default
        problem = question.check(answer) if answer else None
        if problem is None:
            return answer or question.default
        print(f"  {problem}", file=sys.stderr)
