"""Shared fixtures: a throwaway copy of the repository's site, real builds, real CLI runs."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from factcheck_site.content.model import Site
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
# mkdocs.yml reads site_url from SITE_URL (the publishing workflow sets it); builds here get a fixed address
# at a domain reserved for tests (RFC 6761), so the tests read the same absolute URLs wherever they run.
SITE_URL = "https://factcheck.test/"
# The build cache's key lives in the user's cache directory (cache_folder.py): every build of the run, in any
# worker or subprocess, uses one made for the run (pytest-xdist's workers inherit it), never the real one.
# The user's own, kept for tools whose caches the tests read (uv installs a desk's lock offline from its cache).
os.environ.setdefault("FACTCHECK_TESTS_USER_CACHE_HOME", os.environ.get("XDG_CACHE_HOME", ""))
if "FACTCHECK_TESTS_CACHE_HOME" not in os.environ:
    os.environ["FACTCHECK_TESTS_CACHE_HOME"] = tempfile.mkdtemp(prefix="factcheck-tests-cache-home-")
    atexit.register(shutil.rmtree, os.environ["FACTCHECK_TESTS_CACHE_HOME"], True)
os.environ["XDG_CACHE_HOME"] = os.environ["FACTCHECK_TESTS_CACHE_HOME"]
# The repository the publishing workflow sets REPO_URL to (mkdocs.yml: repo_url: !ENV REPO_URL), for "Report an
# error" and "Suggest a claim": here a test repository's address, so builds get the routes the published site has.
REPOSITORY = "https://github.com/factcheck-test/kursk-desk"
# SOURCE_DATE_EPOCH for every build a test makes (2026-09-21): MkDocs dates the sitemap by the build's clock, and two
# builds a test compares may run in two workers, or one after the other, on either side of midnight.
BUILD_TIME = "1790000000"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join([str(ROOT / "generator"), str(ROOT)]),
       "SITE_URL": SITE_URL, "REPO_URL": REPOSITORY, "SOURCE_DATE_EPOCH": BUILD_TIME}
# Hypothesis: on CI (CI set) its own "ci" profile, derandomized (the same examples every run, no database), so that a
# run passes or fails for the change and not for the draw; elsewhere new examples each run, and a failure found once
# is tried first the next time (.hypothesis/). `pytest --hypothesis-profile thorough` tries every property's long count
# (examples() below), for a longer hunt after a change to the code a property covers.
settings.register_profile("thorough", settings.default)


def examples(suite: int, thorough: int) -> int:
    """How many examples a property tries: `suite` in the test suite, which ./dev test and CI run within their time
    (a count chosen per property by what one example costs: a loader's example costs fifty of a normalizer's), and
    `thorough` under --hypothesis-profile thorough."""
    return thorough if getattr(settings, "_current_profile", None) == "thorough" else suite


class _TooSlow(Exception):
    pass


def cpu_seconds(work: Callable[[], object], budget: float) -> float:
    """CPU seconds that work() took, or infinity when it was stopped at budget: a check of linear against
    quadratic cost (tests/test_regex_cost.py, tests/test_yaml_common_layout.py), which a busy machine cannot fail."""
    def stop(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, budget)
    start = time.process_time()
    try:
        work()
    except _TooSlow:
        return float("inf")  # stopped by the guard (the clock may read a hair under the budget)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    return time.process_time() - start


# Expected pages that tests/test_goldens.py rewrote under --update-goldens, listed at the end of the run.
GOLDENS_REWRITTEN = pytest.StashKey[list[str]]()
# The checkout's .cache when the run began, and what in it had changed when the run ended.
CHECKOUT_CACHE = pytest.StashKey[dict[str, tuple[int, int]]]()
CHECKOUT_CACHE_CHANGED = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite tests/goldens/expected from the pages rendered now, instead of comparing; "
                          "review the change with `git diff tests/goldens/expected`")


# Under pytest-xdist (addopts in pyproject.toml), the longest tests start first, so that no worker is left
# with one of them at the end while the other has nothing to do; by name, in the order they are known to last.
# (--dist worksteal: each worker starts on its share, in order, and takes over the other's queue when done.)
RUN_FIRST = (
    "test_benchmark_writes_its_table",
    "test_other_sites_can_use_the_hook_this_repository_offers",
    "test_a_desk_made_from_a_wheel_installs_its_own_requirements",
    "test_nu_html_checker_reports_no_error_in_our_markup",
    "test_the_preview_steps_validate_build_and_check_links",
    "test_the_pre_commit_hook_checks_changed_claims",
    "test_incremental_builds_equal_clean_builds",
    "test_serve_rebuilds_an_edited_claim",
    "test_lighthouse_scores",
)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """--update-goldens rewrites files that the golden tests of every worker would otherwise write at
    once, and lists them at the end: it runs in this one process."""
    if config.getoption("--update-goldens") and getattr(config.option, "numprocesses", None):
        config.option.numprocesses = 0


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """-n auto: one worker more than there are cores, since a good part of the suite waits rather than
    computes (LinkChecker's delay between requests, pip's downloads for pre-commit, mkdocs serve, Chromium).
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return len(os.sched_getaffinity(0)) + 1


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected: the shares below are of the tests that run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests go first (a stable sort: the rest keep their order), each at the head of a worker's share."""
    rank = {name: number for number, name in enumerate(RUN_FIRST)}
    items.sort(key=lambda item: rank.get(getattr(item, "originalname", item.name), len(rank)))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    # The worker's own option says "no" (pytest-xdist sets it); the command line's is in known_args_namespace.
    if workers > 1 and getattr(config.known_args_namespace, "dist", None) == "worksteal":
        items[:] = worksteal_shares(items, sum(1 for item in items if getattr(item, "originalname", item.name)
                                               in rank), workers)


def worksteal_shares(items: list[pytest.Item], longest: int, workers: int) -> list[pytest.Item]:
    """items reordered so that --dist worksteal starts every worker on long tests: it hands worker k the k-th of
    `workers` consecutive shares of the list (each a whole division of what is left), and a worker that runs out
    takes the second half of another's queue. Sorted, the longest tests (the first `longest`) would all be in the
    first share, one after another on one worker while the others finish early; here they are dealt out in turn."""
    heads: list[list[pytest.Item]] = [items[share:longest:workers] for share in range(workers)]
    rest, shares, left = iter(items[longest:]), [], len(items)
    for share in range(workers):
        size = left // (workers - share)
        left -= size
        if size < len(heads[share]):  # fewer tests than long ones: too few to matter
            return items
        shares += heads[share] + [next(rest) for _ in range(size - len(heads[share]))]
    return shares


def checkout_cache() -> dict[str, tuple[int, int]]:
    """Every path in the checkout's .cache (links not followed), with its size and modification time."""
    found = {}
    for folder, folders, files in os.walk(ROOT / ".cache"):
        for name in folders + files:
            path = Path(folder) / name
            try:
                status = path.lstat()
            except FileNotFoundError:  # deleted since it was listed
                continue
            found[path.relative_to(ROOT).as_posix()] = (status.st_size, status.st_mtime_ns)
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # once, in the process that runs pytest-xdist's workers
        session.config.stash[CHECKOUT_CACHE] = checkout_cache()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run fails if it changed the checkout's .cache: a build cache there, sealed with the run's own key, would
    make the next build in the checkout warn that it cannot trust it (and `mkdocs build --strict` fail)."""
    before = session.config.stash.get(CHECKOUT_CACHE, None)
    if before is None:
        return
    after = checkout_cache()
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    session.config.stash[CHECKOUT_CACHE_CHANGED] = changed
    if changed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    changed = config.stash.get(CHECKOUT_CACHE_CHANGED, [])
    if changed:
        terminalreporter.section("the tests changed the checkout's .cache", red=True)
        terminalreporter.write_line(f"Tests build in copies of the site (tests/conftest.py: copy_repository), never in "
                                    f"{ROOT}; these changed while the tests ran:\n  " + "\n  ".join(changed[:20]))
    rewritten = config.stash.get(GOLDENS_REWRITTEN, None)
    if rewritten is None:
        return
    terminalreporter.section("goldens updated")
    terminalreporter.write_line("\n".join(rewritten) if rewritten else "nothing changed: every expected page was "
                                "already the rendered page")


def copy_project(target: Path, claims: bool = True) -> Path:
    """A copy of the site (config, docs, sources and optionally claims) to change freely."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "sources", target / "sources")
    if claims:
        shutil.copytree(ROOT / "claims", target / "claims")
    else:
        (target / "claims").mkdir()
    return target


def free_port() -> int:
    """A local port nobody holds now, for a server a test starts (8000 may be taken on a shared machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(args: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    # No terminal on stdin, even when pytest runs in one: commands must not stop to ask.
    return subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def factcheck_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m factcheck_site ARGS` in a process of its own, as an editor runs it."""
    return run([sys.executable, "-m", "factcheck_site", *args], cwd)


def factcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """factcheck_process's result, from the command's own main() in this process, given what a process would have:
    the environment, the working folder, no terminal on stdin, the program's name (`python -m factcheck_site` in the
    commands it suggests). A process spends most of its second importing the generator again, which hundreds of
    calls add up to; the real command runs in tests/test_cli.py and wherever a test needs a process of its own."""
    from factcheck_site import cli

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.copy(), os.getcwd(), sys.argv, sys.stdin
    os.environ.update({name: ENV[name] for name in ("NO_MKDOCS_2_WARNING", "SITE_URL", "REPO_URL")})
    os.chdir(cwd)
    sys.argv, sys.stdin = [str(Path(cli.__file__).with_name("__main__.py")), *args], io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exit:  # argparse: --help, a usage error
                code = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        os.chdir(saved[1])
        sys.argv, sys.stdin = saved[2], saved[3]
    return subprocess.CompletedProcess(["factcheck", *args], code, out.getvalue(), err.getvalue())


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)], project)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that build(folder) fills once in a test run, for tests that only read it: under pytest-xdist
    the first worker to ask builds it while any other waits, then every worker gets that one."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this run's folder, which holds each worker's own
    folder, done = base / f"once-{name}", base / f"once-{name}.done"
    with open(base / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "site-src")


def copy_repository(target: Path) -> Path:
    """The repository's site as copy_project copies it, reading the repository's own git history (the claims' dates,
    what git tracks): a build here is a build of the checkout, but its build cache, sealed with this run's key,
    stays in the copy. (In the checkout's .cache/factcheck, the next build outside the tests would find a cache it
    cannot trust, and a strict build would fail.)"""
    project = copy_project(target)
    git_dir = subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=ROOT, capture_output=True, text=True)
    if git_dir.returncode == 0:  # not in a tarball of the sources
        (project / ".git").write_text(f"gitdir: {git_dir.stdout.strip()}\n", encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def repository_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """copy_repository, made once: the builds of the repository's own site share it (and its build cache)."""
    return built_once(tmp_path_factory, "repository", lambda folder: copy_repository(folder / "project")) / "project"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, repository_copy: Path) -> Path:
    """The repository's own site, built once with `mkdocs build --strict`."""
    def build(folder: Path) -> None:
        result = mkdocs_build(repository_copy, folder / "site")
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "built", build) / "site"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site plus a claim and a source with an attack in every editor field (tests/hostile_site.py)."""
    from hostile_site import write_hostile_content

    def build(folder: Path) -> None:
        project = copy_project(folder / "site-src")
        write_hostile_content(project)
        result = mkdocs_build(project, folder / "site")
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "hostile", build) / "site"


RICH_EMAIL = "corrections@factcheck.test"
RICH_REPO_URL = "https://git.factcheck.test/desk/site"

HOSTILE_CLAIM = """\
claim: "Kim said </script><script>alert('claim')</script> & <!-- that the 120-day deployment began in August 😀"
claimant: "Kim Jong Un </title><script>alert('claimant')</script>"
appeared_in: [calitoday-unimaginable-burdens]
verdict: mostly-true
summary: "\\"><img src=x onerror=alert('summary')> The figure comes from one speech\\u2028only."
quotes:
  - source: calitoday-unimaginable-burdens
    text: "Kim detailed their grueling 120-day deployment, which began in August."
    stance: supports
tags: ["</a><script>alert('tag')</script>", timeline]
author: Fact-check desk
published: 2026-11-21
"""

CORRECTED_CLAIM_ADDITIONS = """\
updated: 2026-11-21
corrections:
  - date: 2026-11-20
    text: "We first rated this mostly false; the start date in August fits the 120 days."
    previous_verdict: mostly-false
  - date: 2026-11-21
    text: "A typo in the analysis was fixed."
"""


def make_rich_project(target: Path) -> Path:
    """The site with what the repository's own content lacks: sources with original and archived URLs
    (one with a fragment), a quote with an omission, corrections that changed a verdict, hostile text,
    and a repository address (not on GitHub, so readers write to the desk's email), with the edit links
    turned on."""
    project = copy_project(target)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\nrepo_url: !ENV REPO_URL\n", f"\nrepo_url: {RICH_REPO_URL}\nedit_uri: edit/main/docs/\n", 1).replace(
        "      claims_dir: claims\n", "      claims_dir: claims\n      edit_links: true\n", 1).replace(
        "        name: Kursk Fact-Check Desk\n",
        f"        name: Kursk Fact-Check Desk\n        email: {RICH_EMAIL}\n", 1),
        encoding="utf-8")
    for number, source in enumerate(sorted((project / "sources").glob("*.md"))):
        text = source.read_text(encoding="utf-8")
        extra = f"url: https://news.example.com/{source.stem}{'#story' if number == 0 else ''}\n"
        if number % 2 == 0:
            extra += f"archived: https://archive.example.net/2025/{source.stem}\n"
        source.write_text(text.replace("---\n", "---\n" + extra, 1), encoding="utf-8")
    shutil.copy(CASES / "good-claims" / "omission.yml", project / "claims" / "omission-example.yml")
    (project / "claims" / "hostile-claim.yml").write_text(HOSTILE_CLAIM, encoding="utf-8")
    corrected = project / "claims" / "deployment-lasted-120-days.yml"
    # The claim's own correction history (if any) is replaced by the fixture's, which the tests know.
    own = corrected.read_text(encoding="utf-8").split("\nupdated:", 1)[0].rstrip("\n") + "\n"
    own = re.sub(r"^published: .*$", "published: 2026-11-19", own, flags=re.M)  # before the fixture's corrections
    corrected.write_text(own + CORRECTED_CLAIM_ADDITIONS, encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def rich_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "rich", lambda folder: make_rich_project(folder / "project")) / "project"


@pytest.fixture(scope="session")
def rich_content(rich_project: Path) -> Site:
    """The rich project, loaded and checked: the Site its pages are rendered from."""
    from building import load

    site, problems = load(rich_project / "claims", rich_project / "sources", rich_project)
    assert problems == []
    return site


@pytest.fixture(scope="session")
def rich_site(rich_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rich project, built once with `mkdocs build --strict`."""
    def build(folder: Path) -> None:
        result = mkdocs_build(rich_project, folder / "site")
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "rich-site", build) / "site"


def make_coverage_project(target: Path) -> Path:
    """The site plus a claim of every verdict on the default scale, made by people and by organizations,
    that appeared in sources with an original URL, without one, or in none; for the validators."""
    from factcheck_site.content.verdict_scale import DEFAULT_SCALE

    project = copy_project(target)
    for stem, extra in (("calitoday-unimaginable-burdens", "url: https://news.example.com/unimaginable-burdens\n"
                         "archived: https://archive.example.net/2025/unimaginable-burdens\n"),
                        ("north-korean-sappers-secret-demining", "url: https://news.example.com/sappers\n")):
        source = project / "sources" / f"{stem}.md"
        source.write_text(source.read_text(encoding="utf-8").replace("---\n", "---\n" + extra, 1), encoding="utf-8")
    appearances = ([], ["calitoday-unimaginable-burdens"], ["dprk-soldiers-return-home"],
                   ["north-korean-sappers-secret-demining", "dprk-soldiers-return-home",
                    "calitoday-unimaginable-burdens"])
    for number, verdict in enumerate(DEFAULT_SCALE):
        claim_date = "claim_date: 2025-12-12\n" if number % 3 == 0 else ""
        (project / "claims" / f"every-verdict-{verdict.id}.yml").write_text(
            f'claim: "A claim rated {verdict.label.lower()}."\n'
            f"claimant: {'Kim Jong Un' if number % 2 else 'Korean Central News Agency'}\n"
            f"claimant_type: {'person' if number % 2 else 'organization'}\n{claim_date}"
            + ("claimant_via: calitoday-unimaginable-burdens\n" if number % 2 else "") +
            f"appeared_in: [{', '.join(appearances[number % len(appearances)])}]\n"
            f"verdict: {verdict.id}\n"
            f'summary: "Rated {verdict.label.lower()} to test every verdict."\n'
            "quotes:\n  - source: calitoday-unimaginable-burdens\n"
            '    text: "Kim detailed their grueling 120-day deployment, which began in August."\n'
            "    note: \"A note under the quote.\"\n"
            + ('  - source: calitoday-unimaginable-burdens\n    text: "Friday, December 12, 2025"\n'
               "    states_claim_date: true\n" if claim_date else "")
            + "author: Fact-check desk\npublished: 2026-11-22\n", encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def coverage_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """make_coverage_project, built once with `mkdocs build --strict`."""
    def build(folder: Path) -> None:
        project = make_coverage_project(folder / "project")
        result = mkdocs_build(project, folder / "site")
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "coverage", build) / "site"


@pytest.fixture(scope="session")
def korean_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/cases/korean-site (a desk in Korean, written for the tests), built once per run with
    `mkdocs build --strict`: the tests of a desk's language, search, cards and layout share it."""
    def build(folder: Path) -> None:
        shutil.copytree(CASES / "korean-site", folder / "project")
        result = mkdocs_build(folder / "project", folder / "site")
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "korean", build) / "site"
