"""When each claim file last changed, from the repository's history.

One `git log` over the claims folder serves the whole archive (a process per claim
would take minutes for 25,000 claims). Without git, outside a repository, or for a
file not committed yet, the editor's own dates are used instead.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

COMMIT_MARK = "\x01"


def parse_git_log(output: str, shallow: frozenset[str] = frozenset()) -> dict[str, dt.date]:
    """{path: UTC date of the newest commit touching it} from `git log --format=%x01%H %ct --name-only`.

    Commits at a shallow clone's boundary are skipped: there every file looks newly added.
    """
    dates: dict[str, dt.date] = {}
    day: dt.date | None = None
    for line in output.splitlines():
        if line.startswith(COMMIT_MARK):
            commit, _, stamp = line[1:].partition(" ")
            day = None if commit in shallow else dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc).date()
        elif line and day is not None and (line not in dates or dates[line] < day):
            dates[line] = day
    return dates


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "core.quotePath=false", *args], capture_output=True,
                          text=True, check=True, timeout=600).stdout


def last_commit_dates(folder: Path) -> dict[str, dt.date]:
    """{file name relative to folder: date of its last commit}; empty when there is no usable history."""
    try:
        is_shallow, shallow_file = _git(folder, "rev-parse", "--is-shallow-repository", "--git-path",
                                        "shallow").splitlines()[:2]
        shallow: frozenset[str] = frozenset()
        if is_shallow.strip() == "true":
            path = Path(shallow_file) if Path(shallow_file).is_absolute() else folder / shallow_file
            shallow = frozenset(path.read_text(encoding="utf-8").split())
        log = _git(folder, "log", f"--format={COMMIT_MARK}%H %ct", "--name-only", "--relative", "--", ".")
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    return parse_git_log(log, shallow)


def claim_commit_dates(claims_dir: Path, suffix: str) -> dict[str, dt.date]:
    """{claim id: date of the last commit to its file}."""
    return {name[: -len(suffix)]: day for name, day in last_commit_dates(claims_dir).items()
            if name.endswith(suffix) and "/" not in name}


def parse_first_commits(output: str, shallow: frozenset[str] = frozenset()) -> dict[str, dt.date]:
    """{path: the day, in its author's own time zone, of the commit that added it, renames followed} from
    `git log --reverse -M --diff-filter=AR --format=%x01%H %aI --name-status` (oldest first).

    A commit at a shallow clone's boundary is no evidence of when a file was added, and a date that cannot
    be read (a forged one, say) is none either: such files get no date rather than a wrong one."""
    first: dict[str, dt.date] = {}
    day: dt.date | None = None
    for line in output.splitlines():
        if line.startswith(COMMIT_MARK):
            commit, _, stamp = line[1:].partition(" ")
            try:
                day = None if commit in shallow else dt.date.fromisoformat(stamp.strip()[:10])
            except ValueError:
                day = None
            continue
        status, *paths = line.split("\t")
        if day is None or not paths:
            continue
        if status.startswith("A"):
            first.setdefault(paths[0], day)
        elif status.startswith("R") and len(paths) == 2:
            if paths[0] in first:
                first[paths[1]] = first[paths[0]]
            elif not shallow:
                first.setdefault(paths[1], day)
    return first


def first_commit_dates(folder: Path) -> dict[str, dt.date]:
    """{file name relative to folder: day of the commit that first added it}, from one `git log` for the whole
    folder (as --follow would find it for one file); empty when there is no usable history."""
    try:
        is_shallow, shallow_file = _git(folder, "rev-parse", "--is-shallow-repository", "--git-path",
                                        "shallow").splitlines()[:2]
        shallow: frozenset[str] = frozenset()
        if is_shallow.strip() == "true":
            path = Path(shallow_file) if Path(shallow_file).is_absolute() else folder / shallow_file
            shallow = frozenset(path.read_text(encoding="utf-8").split())
        log = _git(folder, "log", "--reverse", "-M", "--diff-filter=AR", f"--format={COMMIT_MARK}%H %aI",
                   "--name-status", "--relative", "--", ".")
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    return parse_first_commits(log, shallow)
