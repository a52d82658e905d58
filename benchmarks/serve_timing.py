"""`mkdocs serve`: the time from saving one file to its rebuilt page being served."""

from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from .measure import process_tree, proportional, tree_cpu_seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


@dataclass
class ServeRun:
    first_page: float  # seconds from starting `mkdocs serve` to the page being served
    complete: float | None  # ... to `complete_path` being served with its content (feeds, cards: what follows)
    latencies: list[float]  # seconds from each save to the page showing it
    peak_bytes: int  # the largest proportional set size of the server's processes, sampled every second
    first_page_cpu: float = 0.0  # CPU seconds of the server's processes up to the first page (a busy machine's
    # wall time says little; this says what the first preview cost)
    load: tuple[float, float] = (0.0, 0.0)  # the load average (1 minute) at the start and at the first page
    save_cpu: list[float] = field(default_factory=list)  # CPU seconds of the server's processes during each save
    cards: float | None = None  # ... to the page's link-preview card being served (drawn in the background)
    save_server_cpu: list[float] = field(default_factory=list)  # ... of the server's own process only (not the cards'
    # drawing processes, which may draw between the save and its build)
    save_processes: list[int] = field(default_factory=list)  # the server's processes at each save (3: cards drawn)
    save_builds: list[int] = field(default_factory=list)  # builds the server started from each save to the next (the
    # last: to a second after its page was on screen); 1: the save's own, 2: another (a watcher asked again)


def role(pid: int, server: int) -> str:
    """What a process of the server's tree is, from how it was started: the server itself, the first preview's page
    processes (serving.BackgroundPages, nice 5), the card drawers (output/share_cards.BackgroundCards, nice 19), the
    process multiprocessing forks them from and its resource tracker, or the core's pool workers (the rest)."""
    if pid == server:
        return "server"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
        with open(f"/proc/{pid}/stat") as stat:
            nice = int(stat.read().rsplit(")", 1)[1].split()[16])
    except (OSError, IndexError, ValueError):
        return "gone"
    if nice in (5, 19):  # a drawer started from the fork server has its command line
        return {5: "pages", 19: "cards"}[nice]
    if b"forkserver" in command:
        return "forkserver"
    return "tracker" if b"resource_tracker" in command else "pool"


def serve_session(project: Path, env: dict[str, str], page: str, edit: Callable[[str], None], edits: int = 3,
                  startup_timeout: float = 3600, edit_timeout: float = 300, options: tuple[str, ...] = (),
                  complete: tuple[str, str] | None = None, while_drawing: bool = False,
                  trace: Path | None = None) -> ServeRun:
    """`mkdocs serve` (options: e.g. --dirty, as `./dev serve` runs it) from its start: the time to `page` (a site
    path), then to complete = (path, text) being served with text in it, then the seconds from each edit(marker) to
    the page showing the marker; and the peak memory of the server's process tree throughout. while_drawing: the
    saves start once complete is served, while the cards are still drawn in the background, rather than once they
    are served and the server is idle. trace: a file to write each second's sample to, one JSON line each (seconds
    from the start, the load average, each process's PID, role and proportional set size in MB), with a line for
    each event of the session (the first page, complete, the card, each save and its page)."""
    port = _free_port()
    log = (project / "serve.log").open("w")  # a file, not a pipe: a full pipe would stall the server
    started, load = time.perf_counter(), os.getloadavg()[0]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=log, stderr=log, text=True)
    url = f"http://127.0.0.1:{port}/{page}"
    peak, done = 0, threading.Event()
    traced, writing = (trace.open("w") if trace is not None else None), threading.Lock()

    def note(line: dict[str, Any]) -> None:
        if traced is None:
            return
        with writing:
            traced.write(json.dumps({"t": round(time.perf_counter() - started, 1), **line}) + "\n")
            traced.flush()

    def sample() -> None:
        nonlocal peak
        while not done.wait(1):
            sizes = [(pid, proportional(pid)) for pid in process_tree(server.pid)]
            peak = max(peak, sum(size for _, size in sizes))
            if traced is not None:
                note({"load": os.getloadavg()[0], "mb": [[pid, role(pid, server.pid), round(size / 2**20)]
                                                         for pid, size in sizes]})

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while _get(url) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mkdocs serve did not start; see {project / 'serve.log'}")
            time.sleep(0.2)
        first_page = time.perf_counter() - started
        note({"event": "first page"})
        first_page_cpu, load_then = tree_cpu_seconds(server.pid), os.getloadavg()[0]
        completed = cards = None
        if complete is not None:
            while complete[1] not in (_get(f"http://127.0.0.1:{port}/{complete[0]}") or ""):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{complete[0]} was never served with {complete[1]!r}")
                time.sleep(0.5)
            completed = time.perf_counter() - started
            note({"event": "complete"})
            card = _card_path(_get(url) or "") if not while_drawing else None
            while card is not None and not _served(f"http://127.0.0.1:{port}/{card}"):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{card} was never served")
                time.sleep(0.5)
            cards = time.perf_counter() - started if card is not None else None
            note({"event": "card served"})
        time.sleep(2)  # let the watcher settle after the first build
        if complete is not None and edits and not while_drawing:
            # whatever else follows the first preview (the cards drawn on every core), which would slow every save;
            # MkDocs' file watcher alone takes about half a core at 25,000 claims, so idle is under one core
            _idle(server.pid, deadline, busy=IDLE_BUSY)
        latencies: list[float] = []
        save_cpu: list[float] = []
        server_cpu: list[float] = []
        processes: list[int] = []
        started_builds: list[int] = []
        for number in range(edits):
            started_builds.append(_builds_started(project))
            marker = f"benchmarkmarker{number}x{time.time_ns()}"
            cpu, own = tree_cpu_seconds(server.pid), _own_cpu_seconds(server.pid)
            processes.append(len(process_tree(server.pid)))
            edit(marker)
            saved = time.perf_counter()
            note({"event": f"save {number + 1}"})
            deadline = time.monotonic() + edit_timeout
            while marker not in (_get(url) or ""):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the edit never appeared at {url}")
                time.sleep(0.05)
            latencies.append(time.perf_counter() - saved)
            note({"event": f"save {number + 1} on screen"})
            save_cpu.append(tree_cpu_seconds(server.pid) - cpu)
            server_cpu.append(_own_cpu_seconds(server.pid) - own)
            time.sleep(1)
        started_builds.append(_builds_started(project))
        return ServeRun(first_page, completed, latencies, peak, first_page_cpu, (load, load_then), save_cpu, cards,
                        server_cpu, processes, [b - a for a, b in pairwise(started_builds)])
    finally:
        done.set()
        sampler.join()
        log.close()
        stop_serving(server)
        if traced is not None:
            traced.close()


def trace_summary(trace: Path) -> str:
    """A trace's peak (the whole tree's proportional set size), when it came (after which event) and what each kind
    of process held then; and each kind's own largest figure, and when."""
    peak: tuple[int, float, dict[str, int], str] = (0, 0.0, {}, "")
    largest: dict[str, tuple[int, float]] = {}
    event, lines = "start", []
    for line in trace.read_text(encoding="utf-8").splitlines():
        sample = json.loads(line)
        if "event" in sample:
            event = sample["event"]
            lines.append(f"{sample['t']:7.1f} s  {event}")
            continue
        roles: dict[str, int] = {}
        for _, kind, size in sample["mb"]:
            roles[kind] = roles.get(kind, 0) + size
        for kind, size in roles.items():
            if size > largest.get(kind, (0, 0.0))[0]:
                largest[kind] = (size, sample["t"])
        total = sum(roles.values())
        if total > peak[0]:
            peak = (total, sample["t"], roles, event)
    total, at, roles, after = peak
    lines.append(f"peak {total:,} MB at {at:.0f} s (after: {after}): "
                 + ", ".join(f"{kind} {size:,}" for kind, size in sorted(roles.items())))
    lines.append("each kind's largest: " + ", ".join(f"{kind} {size:,} MB at {t:.0f} s"
                                                     for kind, (size, t) in sorted(largest.items())))
    return "\n".join(lines)


def _builds_started(project: Path) -> int:
    """The builds `mkdocs serve` has started so far, from its log."""
    try:
        return (project / "serve.log").read_text(encoding="utf-8", errors="replace").count("Building documentation")
    except OSError:
        return 0


def _own_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of one process so far, without its children's."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _card_path(page: str) -> str | None:
    """The site path of a page's link-preview card (og:image), if it names one."""
    found = re.search(r'<meta property="og:image" content="([^"]+)"', page)
    return urllib.parse.urlsplit(html.unescape(found[1])).path.lstrip("/") if found else None


def _served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


IDLE_BUSY = 1.0  # of a core: the drawers take two while they draw


def _idle(pid: int, deadline: float, window: float = 3, busy: float = 0.3) -> None:
    """Wait until the process tree uses less than busy of a core over window seconds (or the deadline)."""
    before = tree_cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(window)
        now = tree_cpu_seconds(pid)
        if now - before < busy * window:
            return
        before = now


def save_latency(project: Path, env: dict[str, str], page: str, edit: Callable[[str], None],
                 edits: int = 3, startup_timeout: float = 900, edit_timeout: float = 300,
                 options: tuple[str, ...] = ()) -> list[float]:
    """Seconds from each edit(marker) being written to `page` (a site path) showing the marker."""
    return serve_session(project, env, page, edit, edits, startup_timeout, edit_timeout, options).latencies


def stop_serving(server: subprocess.Popen[Any], timeout: float = 20) -> str:
    """Stop `mkdocs serve` as an editor does, with Ctrl+C: it then deletes its temporary site, which SIGTERM
    leaves behind. Killed if it ignores the signal (a background job of a script does). What it printed to a
    pipe, if it had one."""
    server.send_signal(signal.SIGINT)
    try:
        output, _ = server.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
    return output or ""


def main() -> None:
    """`python -m benchmarks.serve_timing PROJECT [SAVES] [--while-drawing] [GENERATOR]`: `mkdocs serve --dirty` of
    PROJECT (as `./dev serve` runs it, with whatever cache PROJECT has), the first claim's summary saved SAVES times
    (default 3) once the first preview is complete (--while-drawing: while the cards are still drawn in the
    background); the generator of GENERATOR (a folder holding factcheck_site, e.g. another commit's from `git archive
    COMMIT generator`) or this checkout's. Prints the run, with the build times MkDocs logged."""
    import argparse
    from dataclasses import asdict

    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("saves", type=int, nargs="?", default=3)
    parser.add_argument("generator", type=Path, nargs="?", default=Path(__file__).resolve().parent.parent / "generator")
    parser.add_argument("--while-drawing", action="store_true")
    parser.add_argument("--trace", type=Path, help="write each second's memory, by process, to this file (JSON lines)")
    args = parser.parse_args()
    project, root = args.project.resolve(), Path(__file__).resolve().parent.parent
    claim = sorted((project / "claims").glob("*.yml"))[0]
    last = sorted((project / "claims").glob("*.yml"))[-1].stem

    def edit(marker: str) -> None:
        text = claim.read_text(encoding="utf-8")
        claim.write_text(re.sub(r'^summary: "', f'summary: "{marker} ', text, count=1, flags=re.M), encoding="utf-8")

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1790000000",
           "PYTHONPATH": os.pathsep.join([str(args.generator.resolve()), str(root)])}
    run = serve_session(project, env, f"claims/{claim.stem}/", edit, args.saves, options=("--dirty",),
                        complete=("claims.json", last), while_drawing=args.while_drawing, trace=args.trace)
    built = re.findall(r"Documentation built in ([0-9.]+) seconds", (project / "serve.log").read_text())
    print(json.dumps({**asdict(run), "builds": [float(b) for b in built]}), flush=True)
    if args.trace is not None:
        print(trace_summary(args.trace), flush=True)


if __name__ == "__main__":
    main()
