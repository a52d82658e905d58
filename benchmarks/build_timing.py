"""One `mkdocs build --strict` of a project, timed as `./dev bench` times builds: `python -m benchmarks.build_timing
PROJECT SITE [GENERATOR]` prints JSON with the wall and CPU seconds (the build and its workers), the peak memory of
its processes (proportional set size while workers run: measure.py) and the load average before and after. With
GENERATOR (a folder holding another commit's `factcheck_site`, e.g. from `git archive COMMIT generator`), that
generator builds instead of this one, to compare two commits side by side on the same corpus."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .measure import run_measured
from .run import _env


def main(argv: list[str]) -> int:
    project, site = Path(argv[0]), argv[1]
    env = _env()
    if len(argv) > 2:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(argv[2]).resolve()), env["PYTHONPATH"]])
    load = os.getloadavg()[0]
    run = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site], project, env)
    print(json.dumps({"returncode": run.returncode, "seconds": round(run.seconds, 1),
                      "cpu_seconds": round(run.cpu_seconds, 1), "peak_mb": round(run.peak_bytes / 2**20),
                      "load_average": [round(load, 1), round(os.getloadavg()[0], 1)]}))
    if run.returncode:
        print(run.stderr[-4000:], file=sys.stderr)
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
