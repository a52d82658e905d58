"""When each claim file last changed, from the repository's history.

One `git log` over the claims folder serves the whole archive (a process per claim
would take minutes for 25,000 claims). Without git, outside a repository, or for a
file not committed yet, the editor's own dates are used instead.

History is input too: a commit's date is whatever the computer that made it said, and
git accepts any (`@99999999999999`, 9999-12-31). A commit touching a claim whose date
cannot be true, before git existed or after the build's day (with the day's margin dates
get for time zones), is refused with the commit named, and its date is never used.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from factcheck_site.content.format_check import FUTURE_MARGIN, build_date
from factcheck_site.content.load import display
from factcheck_site.content.problems import Problem

COMMIT_MARK = "\x01"
GIT_BEGAN = dt.date(2005, 4, 7)  # git's own first commit: no commit is older


@dataclass(frozen=True)
class ImpossibleDate:
    """A commit whose committer date cannot be true."""

    commit: str
    stamp: str  # its date as git gives it: seconds since 1970 (%ct)

    def message(self, latest: dt.date) -> str:
        day = commit_day(self.stamp)
        shown = day.isoformat() if day else f"@{self.stamp} (in seconds since 1970)"
        early = day < GIT_BEGAN if day else self.stamp.strip().startswith("-")
        why = (f"before git existed ({GIT_BEGAN.isoformat()})" if early
               else f"after the day of this build ({(latest - FUTURE_MARGIN).isoformat()})")
        return (f"commit {self.commit[:7]} is dated {shown}, {why}, and changes this file; a date that cannot be "
                "true is never published as the claim's last change. It came from the clock of the computer that "
                "made the commit: set that clock right, then make the commit again, dated now, with the ones after "
                f"it (`git rebase --force-rebase {self.commit[:7]}~1`), and push the branch again "
                "(`git push --force-with-lease`)")


def commit_day(stamp: str) -> dt.date | None:
    """The UTC day of a commit's date (`%ct`); None when it is not a number or not a day of any calendar Python
    holds (git takes @99999999999999)."""
    try:
        return dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        return None


def parse_git_log(output: str, shallow: frozenset[str] = frozenset(),
                  latest: dt.date | None = None) -> dict[str, dt.date | ImpossibleDate]:
    """{path: UTC date of the newest commit touching it} from `git log --format=%x01%H %ct --name-only`; for a
    path touched by a commit whose date cannot be true (before git, after latest: by default the build's day and
    its margin), that commit instead.

    Commits at a shallow clone's boundary are skipped: there every file looks newly added.
    """
    latest = latest or build_date() + FUTURE_MARGIN
    dates: dict[str, dt.date | ImpossibleDate] = {}
    day: dt.date | ImpossibleDate | None = None
    for line in output.splitlines():
        if line.startswith(COMMIT_MARK):
            commit, _, stamp = line[1:].partition(" ")
            found = commit_day(stamp)
            possible = found is not None and GIT_BEGAN <= found <= latest
            day = None if commit in shallow else found if possible else ImpossibleDate(commit, stamp)
        elif line and day is not None:
            known = dates.get(line)
            if isinstance(known, ImpossibleDate):
                continue  # the first such commit found is the one named
            if known is None or isinstance(day, ImpossibleDate) or known < day:
                dates[line] = day
    return dates


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "core.quotePath=false", *args], capture_output=True,
                          text=True, check=True, timeout=600).stdout


def _shallow_commits(folder: Path) -> frozenset[str]:
    """The commits at a shallow clone's boundary, where every file looks newly added."""
    is_shallow, shallow_file = _git(folder, "rev-parse", "--is-shallow-repository", "--git-path",
                                    "shallow").splitlines()[:2]
    if is_shallow.strip() != "true":
        return frozenset()
    path = Path(shallow_file) if Path(shallow_file).is_absolute() else folder / shallow_file
    return frozenset(path.read_text(encoding="utf-8").split())


def last_commit_dates(folder: Path) -> dict[str, dt.date | ImpossibleDate]:
    """{file name relative to folder: date of its last commit, or a commit whose date cannot be true}; empty when
    there is no usable history."""
    try:
        shallow = _shallow_commits(folder)
        log = _git(folder, "log", f"--format={COMMIT_MARK}%H %ct", "--name-only", "--relative", "--", ".")
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    return parse_git_log(log, shallow)


def claim_commit_dates(claims_dir: Path, suffix: str, root: Path) -> tuple[dict[str, dt.date], list[Problem]]:
    """{claim id: date of the last commit to its file}, and a problem for each claim file a commit whose date cannot
    be true touches (root: the project, which problems' paths are relative to)."""
    dates: dict[str, dt.date] = {}
    problems: list[Problem] = []
    latest = build_date() + FUTURE_MARGIN
    for name, day in last_commit_dates(claims_dir).items():
        if not name.endswith(suffix) or "/" in name:
            continue
        if isinstance(day, ImpossibleDate):
            problems.append(Problem(display(claims_dir / name, root), 1, day.message(latest)))
        else:
            dates[name[: -len(suffix)]] = day
    return dates, problems

def parse_first_commits(output: str, shallow: frozenset[str] = frozenset()) -> dict[str, dt.date]:
    """{path: the day, in its author's own time zone, of the commit that added it, renames followed} from
    `git log --reverse -M --diff-filter=AR --format=%x01%H %aI --name-status` (oldest first).

    A commit at a shallow clone's boundary is no evidence of when a file was added, and a date that cannot
    be read or cannot be true (a forged one, say) is none either: such files get no date rather than a wrong one."""
    latest = build_date() + FUTURE_MARGIN
    first: dict[str, dt.date] = {}
    day: dt.date | None = None
    for line in output.splitlines():
        if line.startswith(COMMIT_MARK):
            commit, _, stamp = line[1:].partition(" ")
            try:
                day = None if commit in shallow else dt.date.fromisoformat(stamp.strip()[:10])
            except ValueError:
                day = None
            if day is not None and not GIT_BEGAN <= day <= latest:
                day = None  # a date that cannot be true (last_commit_dates names its commit)
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
        shallow = _shallow_commits(folder)
        log = _git(folder, "log", "--reverse", "-M", "--diff-filter=AR", f"--format={COMMIT_MARK}%H %aI",
                   "--name-status", "--relative", "--", ".")
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    return parse_first_commits(log, shallow)
