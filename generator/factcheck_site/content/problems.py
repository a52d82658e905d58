"""Problems found in editors' files, reported as `path:line: message`.

Every check collects problems instead of raising on the first, so an editor sees
everything wrong with a pull request in one CI run.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    # (quote number, source id, quote) of a misquote whose closest passage is still to be looked up (load.py)
    closest_to: tuple[int, str, str] | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}: {printable(self.message)}"


def printable(text: str) -> str:
    """Control characters escaped (a file name may hold a newline), so that every
    problem stays one line and cannot forge other lines in a log."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


class EditorError(Exception):
    """A command cannot do what the editor asked; the message says why and what to do instead."""
