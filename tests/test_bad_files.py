"""Every bad input is refused with `path:line: message` by `factcheck validate` and by
`mkdocs build`, without a traceback, within a time and memory ceiling, and without
writing or changing a file (a site built before stays exactly as it was).

A case is a file in tests/cases/bad-claims/ or bad-sources/ plus `<file>.expected`:
one line per expected problem, either `LINE: text` (the report must contain
`path:LINE: text`) or a fragment that must appear somewhere in the report. A new case
is a new pair of files. The cases in GENERATED are made by code because they cannot
live in a repository: files over the size limits, names that differ only in case
(one file on macOS and Windows), a newline in a name, symbolic links, a pipe.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ENV, copy_project
from factcheck_site.cli import main
from factcheck_site.content.formats import MAX_CLAIM_FILE_BYTES, MAX_SOURCE_FILE_BYTES
from factcheck_site.content.yaml_reader import MAX_NODES
from mkdocs.__main__ import cli as mkdocs_cli

HANG_GUARD_SECONDS = 10  # of CPU time: a hang guard, not a speed test; cases take milliseconds
WAIT_GUARD_SECONDS = 120  # of the clock's: for a hang that waits (on a pipe, say) and burns no CPU
MEMORY_CEILING = 64 * 2**20  # bytes allocated by Python at the peak, per case
CHILD_ADDRESS_SPACE = 2 * 2**30  # RLIMIT_AS for the real commands: they fail if they need more
CHILD_CPU_SECONDS = 60
CHILD_RESIDENT_CEILING = 256 * 2**20  # peak resident memory of a real command refusing every case at once
SECRET = "SECRET-OUTSIDE-THE-SITE"
MINIMAL = (CASES / "good-claims" / "minimal.yml").read_text(encoding="utf-8")
ARTICLE = (CASES.parent.parent / "sources" / "dprk-soldiers-return-home.md").read_text(encoding="utf-8")
ARTICLE_BODY = ARTICLE.split("---\n", 2)[2]


@dataclass(frozen=True)
class Case:
    id: str
    shown: str  # the path every problem names, as printed
    expected: tuple[str, ...]
    make: Callable[[Path], None]  # puts the bad input into a copy of the site
    absent: tuple[str, ...] = field(default=())  # text that must not appear in any report


def _file_case(path: Path) -> Case:
    folder = "claims" if path.parent.name == "bad-claims" else "sources"
    expected = tuple(Path(f"{path}.expected").read_text(encoding="utf-8").splitlines())
    return Case(f"{path.parent.name}/{path.name}", f"{folder}/{path.name}", expected,
                lambda project: shutil.copy(path, project / folder / path.name))


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _huge_claim(project: Path) -> None:
    padding = ("# " + "x" * 97 + "\n") * (MAX_CLAIM_FILE_BYTES // 100 + 1)
    _write(project / "claims" / "huge-claim.yml", (MINIMAL + padding).encode()[: MAX_CLAIM_FILE_BYTES + 1])


def _huge_source(project: Path) -> None:
    body = ARTICLE_BODY * (MAX_SOURCE_FILE_BYTES // len(ARTICLE_BODY) + 1)
    text = "---\ntitle: Huge\npublisher: Nobody\n---\n" + body
    _write(project / "sources" / "huge-source.md", text.encode()[: MAX_SOURCE_FILE_BYTES + 1])


def _long_snapshot_misquoted(project: Path) -> None:
    """A snapshot just under the size limit, quoted wrongly many times: the costly path."""
    header = "---\ntitle: Long\npublisher: Nobody\n---\n"
    body = ARTICLE_BODY * ((MAX_SOURCE_FILE_BYTES - 1000) // len(ARTICLE_BODY.encode()))
    _write(project / "sources" / "long-snapshot.md", header + body)
    quotes = "".join(f'  - source: long-snapshot\n    text: "completing the mission in just {n} months"\n'
                     for n in range(5, 55))
    _write(project / "claims" / "misquotes-long-snapshot.yml",
           MINIMAL.split("quotes:\n")[0] + "quotes:\n" + quotes + "author: Desk\npublished: 2026-11-20\n")


def _many_values(project: Path) -> None:
    _write(project / "claims" / "many-values.yml", MINIMAL + "tags: [" + "a, " * MAX_NODES + "a]\n")


def _case_clash(project: Path) -> None:
    _write(project / "claims" / "minimal.yml", MINIMAL)
    _write(project / "claims" / "Minimal.yml", MINIMAL)


def _newline_in_name(project: Path) -> None:
    _write(project / "claims" / "line\nbreak.yml", MINIMAL)


def _symlinked_claim(project: Path) -> None:
    secret = project.parent / "outside" / "secret.yml"
    _write(secret, MINIMAL.replace("CaliToday", SECRET))
    (project / "claims" / "linked.yml").symlink_to(secret)


def _symlinked_source(project: Path) -> None:
    secret = project.parent / "outside" / "secret.md"
    _write(secret, f"---\ntitle: {SECRET}\npublisher: {SECRET}\n---\n{SECRET}\n")
    (project / "sources" / "linked.md").symlink_to(os.path.relpath(secret, project / "sources"))
    _write(project / "claims" / "quotes-linked.yml", MINIMAL.replace("dprk-soldiers-return-home", "linked"))


def _pipe(project: Path) -> None:
    os.mkfifo(project / "claims" / "pipe.yml")  # reading it would block for ever


def _folder(project: Path) -> None:
    _write(project / "claims" / "nested.yml" / "minimal.yml", MINIMAL)


def _docs_clash(project: Path) -> None:
    _write(project / "claims" / "minimal.yml", MINIMAL)
    _write(project / "docs" / "claims" / "minimal.md", "# A page of our own\n")


def _docs_corrections_clash(project: Path) -> None:
    _write(project / "docs" / "corrections" / "index.md", "# Our corrections\n")


def _device_named(folder: str, name: str) -> Callable[[Path], None]:
    """A file named like a Windows device: made here, since such a file in this repository
    would break its own checkouts on Windows."""
    text = MINIMAL if folder == "claims" else "---\ntitle: A\npublisher: B\n---\nThe regiment returned home.\n"
    return lambda project: _write(project / folder / name, text)


DEVICE_NAMES = [("claims", "con.yml"), ("claims", "AUX.yml"), ("claims", "nul.draft.yml"), ("claims", "com1.yml"),
                ("claims", "Lpt9.yml"), ("claims", "prn.yml"), ("sources", "con.md"), ("sources", "com0.md"),
                ("sources", "lpt3.backup.md"), ("sources", "Nul.md")]
GENERATED = [
    *(Case(f"windows-device-name-{folder}-{name}", f"{folder}/{name}",
           (f"1: the file name '{name.rsplit('.', 1)[0]}' is reserved on Windows (a device name",
            "Git for Windows cannot check the file out"), _device_named(folder, name))
      for folder, name in DEVICE_NAMES),
    Case("huge-claim-file", "claims/huge-claim.yml",
         (f"1: the file is {MAX_CLAIM_FILE_BYTES + 1:,} bytes; the limit is {MAX_CLAIM_FILE_BYTES:,}, shorten it",),
         _huge_claim),
    Case("huge-source-file", "sources/huge-source.md",
         (f"1: the file is {MAX_SOURCE_FILE_BYTES + 1:,} bytes; the limit is {MAX_SOURCE_FILE_BYTES:,}",),
         _huge_source),
    Case("misquotes-of-a-2mb-snapshot", "claims/misquotes-long-snapshot.yml",
         ("7: quote 1 is not in source 'long-snapshot': closest passage (",
          "105: quote 50 is not in source 'long-snapshot'; copy the exact wording from the source"),
         _long_snapshot_misquoted),
    Case("more-values-than-allowed", "claims/many-values.yml",
         (f"15: the file has more than {MAX_NODES} values",), _many_values),
    Case("names-differing-only-in-case", "claims/Minimal.yml",
         ("1: the name differs from claims/minimal.yml only in case; on macOS and Windows they are the same file",
          "1: the file name 'Minimal' is not a valid claim id"), _case_clash),
    Case("newline-in-file-name", "claims/line\\nbreak.yml",
         ("1: the file name 'line\\nbreak' is not a valid claim id",), _newline_in_name),
    Case("symlinked-claim", "claims/linked.yml", ("1: symbolic links are not read",), _symlinked_claim,
         absent=(SECRET,)),
    Case("symlinked-source", "sources/linked.md", ("1: symbolic links are not read",), _symlinked_source,
         absent=(SECRET,)),
    Case("pipe", "claims/pipe.yml", ("1: this is not a regular file",), _pipe),
    Case("folder-named-like-a-claim", "claims/nested.yml", ("1: folders are not read here",), _folder),
    Case("docs-page-at-a-generated-path", "docs/claims/minimal.md",
         ("1: this page is generated from claims and sources; rename or remove it",), _docs_clash),
    Case("docs-page-at-the-corrections-log", "docs/corrections/index.md",
         ("1: this page is generated from claims and sources; rename or remove it",), _docs_corrections_clash),
]
ALL_CASES = [_file_case(p) for folder in ("bad-claims", "bad-sources") for p in sorted((CASES / folder).iterdir())
             if not p.name.endswith(".expected")] + GENERATED


def test_the_corpus_covers_enough_cases() -> None:
    assert len(ALL_CASES) >= 40


# --- measuring ------------------------------------------------------------------------

@dataclass
class Usage:
    seconds: float = 0.0
    peak_bytes: int = 0


@contextmanager
def within_limits(trace_memory: bool) -> Iterator[Usage]:
    """A guard against hangs and, if asked, Python's peak allocation (tracemalloc, which
    slows Python down four times: used for the core's work). The guard counts this
    process's CPU time, so a machine busy with other work (the suite runs on every core)
    cannot trip it while a loop that never ends still does; a far longer limit on the
    clock catches a wait that never ends."""
    usage = Usage()

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {HANG_GUARD_SECONDS} s of CPU time or {WAIT_GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGPROF, hang), signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_PROF, HANG_GUARD_SECONDS)
    signal.setitimer(signal.ITIMER_REAL, WAIT_GUARD_SECONDS)
    if trace_memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield usage
    finally:
        usage.seconds = time.perf_counter() - start
        if trace_memory:
            usage.peak_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous[0])
        signal.signal(signal.SIGALRM, previous[1])


def snapshot(folder: Path, shared: bool = False) -> dict[str, tuple]:
    """Everything under folder: kind, size, modification time and content fingerprint. A file shared by every
    case (the good site, and the files hard-linked from it) is known by its inode instead of its content:
    writing to it changes its modification time, and replacing it changes the inode."""
    found: dict[str, tuple] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        key = path.relative_to(folder).as_posix()
        if stat.S_ISLNK(info.st_mode):
            found[key] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode) and (shared or info.st_nlink > 1):
            found[key] = ("shared file", info.st_ino, info.st_size, info.st_mtime_ns)
        elif stat.S_ISREG(info.st_mode):
            found[key] = ("file", info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            found[key] = (stat.S_IFMT(info.st_mode), info.st_mtime_ns)
    return found


def validate_in_process(project: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Usage]:
    monkeypatch.chdir(project)
    with within_limits(trace_memory=True) as usage:
        try:
            code = main(["validate"])
        except BaseException:  # reported as a failure below, with its traceback
            code, crash = -1, traceback.format_exc()
        else:
            crash = ""
    captured = capsys.readouterr()
    return code, captured.out + captured.err + crash, usage


def mkdocs_build_in_process(project: Path, site_dir: Path | None = None) -> tuple[int, str, Usage]:
    """`mkdocs build --strict` through MkDocs' own command line, in this process (a
    subprocess per case would spend a second and a half importing MkDocs). The
    plugin does the same work on the content as validate, whose memory is measured;
    the real command's memory is limited in test_the_real_commands_refuse_all_cases_at_once."""
    logger = logging.getLogger("mkdocs")
    saved = list(logger.handlers), logger.level, logger.propagate
    records: list[str] = []
    collect = logging.Handler()
    collect.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(collect)
    try:
        with within_limits(trace_memory=False) as usage:
            result = CliRunner().invoke(mkdocs_cli, ["build", "--strict", "-f", str(project / "mkdocs.yml"),
                                                     "-d", str(site_dir or project / "site")])
    finally:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
    report = result.output + "\n".join(records)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        report += "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
    return result.exit_code, report, usage


@pytest.fixture(scope="session")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built before the bad input arrives: every case's failed build targets it, and it must stay
    untouched. Built in process, which also loads MkDocs and the theme before any case is measured."""
    project = copy_project(tmp_path_factory.mktemp("good") / "p")
    code, report, _ = mkdocs_build_in_process(project)
    assert code == 0, report
    return project / "site"


def assert_reported(case: Case, report: str, tool: str) -> None:
    assert "Traceback" not in report, f"{tool} crashed:\n{report}"
    for expected in case.expected:
        match = re.match(r"^(\d+): (.*)$", expected)
        wanted = f"{case.shown}:{match.group(1)}: {match.group(2)}" if match else expected
        assert wanted in report, f"{tool} did not report `{wanted}`:\n{report}"
    for text in case.absent:
        assert text not in report, f"{tool} showed {text!r}"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_bad_input_is_refused(case: Case, tmp_path: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    case.make(project)
    before, good_before = snapshot(tmp_path), snapshot(good_site.parent, shared=True)

    code, report, usage = validate_in_process(project, monkeypatch, capsys)
    assert code == 1, report
    assert_reported(case, report, "factcheck validate")
    for line in report.splitlines()[:-1]:
        assert line.startswith(f"{case.shown}:"), f"every problem names the bad file, on one line: {line}"
    assert usage.peak_bytes < MEMORY_CEILING, f"validate allocated {usage.peak_bytes:,} bytes"

    code, report, usage = mkdocs_build_in_process(project, site_dir=good_site)
    assert code == 1, report
    assert "Aborted with a BuildError" in report
    assert_reported(case, report, "mkdocs build")

    assert snapshot(tmp_path) == before, "a file was written or changed"
    assert snapshot(good_site.parent, shared=True) == good_before, "the site built before, or a file beside it, changed"


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    for name in ("unknown-field.yml", "misquote-one-word.yml", "bad-date.yml"):
        shutil.copy(CASES / "bad-claims" / name, project / "claims" / name)
    shutil.copy(CASES / "bad-sources" / "missing-title.md", project / "sources" / "missing-title.md")
    code, report, _ = validate_in_process(project, monkeypatch, capsys)
    assert code == 1
    for name in ("claims/unknown-field.yml:5:", "claims/misquote-one-word.yml:10:", "claims/bad-date.yml:14:",
                 "sources/missing-title.md:"):
        assert name in report
    assert "5 problems found" in report


def _limit_child() -> None:
    """Real ceilings for the real commands: address space and CPU time."""
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))


def run_measured(args: list[str], cwd: Path, output: Path) -> tuple[int, str, int]:
    """Exit status, output and peak resident memory (bytes) of a command under _limit_child."""
    with open(output, "w+b") as sink:
        process = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=sink, stderr=subprocess.STDOUT,
                                   preexec_fn=_limit_child)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            process.returncode = 0  # reaped by wait4
        sink.seek(0)
        text = sink.read().decode("utf-8", errors="replace")
    return os.waitstatus_to_exitcode(status), text, usage.ru_maxrss * 1024


def test_the_real_commands_refuse_all_cases_at_once(tmp_path: Path, good_site: Path) -> None:
    """Every case in one site, through `python -m factcheck_site validate` and `python -m
    mkdocs build --strict` in fresh processes, under address-space and CPU limits."""
    project = copy_project(tmp_path / "p", claims=False)
    shutil.copytree(good_site, project / "site", copy_function=os.link)
    for case in ALL_CASES:
        case.make(project)
    before = snapshot(tmp_path)
    for tool, args in (("factcheck validate", [sys.executable, "-m", "factcheck_site", "validate"]),
                       ("mkdocs build", [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"])):
        code, report, peak = run_measured(args, project, tmp_path / "output.txt")
        assert code == 1, report
        for case in ALL_CASES:
            assert_reported(case, report, tool)
        assert peak < CHILD_RESIDENT_CEILING, f"{tool} used {peak:,} bytes"
        (tmp_path / "output.txt").unlink()
    assert snapshot(tmp_path) == before
