"""Timing a command with the peak memory of all its processes, and sizing its output."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def process_tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def proportional(pid: int) -> int:
    """Proportional set size: a page shared by n processes counts 1/n in each. Forked workers share their
    parent's pages, which resident memory would count once per process (three times with two workers).
    Resident memory where the kernel does not say (before Linux 4.14)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _resident(pid)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process tree so far: each live process's own, and what the processes it has
    waited for used (a finished worker's time is its parent's cutime; a live one is counted by itself)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_bytes: int  # the process tree's largest memory (run_measured's sample says how it is read)
    stdout: str
    stderr: str
    returncode: int


def run_measured(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 7200) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        """Resident memory every 50 ms while there is one process. With forked workers, whose resident memory
        is mostly their parent's pages, the proportional set size instead, every 2 s (it takes tens of milliseconds
        per GB to read, which sampling it more often would take from the build being timed)."""
        nonlocal peak
        last_proportional = 0.0
        while not done.is_set():
            members = process_tree(process.pid)
            if len(members) == 1:
                peak = max(peak, _resident(process.pid))
            elif time.monotonic() - last_proportional >= 2:
                peak = max(peak, sum(map(proportional, members)))
                last_proportional = time.monotonic()
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    before = os.times()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
        if process.poll() is None:
            process.kill()
            process.wait()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Run(time.perf_counter() - started, cpu, peak, stdout, stderr, process.returncode)


def folder_bytes(folder: Path) -> int:
    return sum(entry.stat().st_size for entry in folder.rglob("*") if entry.is_file())


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
