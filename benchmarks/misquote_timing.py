"""Misquotes of a large snapshot: the cost of closest-passage hints is bounded per run.

100 claims, each with three misquotes of one snapshot just under the 2 MB limit, then the
same claims quoting correctly: `factcheck validate` in a fresh process, wall time of each,
fastest of three. Before the per-run budget (load.CLOSEST_PASSAGE_BUDGET) the misquoted run
took 36.6 s on two cores; it must stay under 10 s.

    python -m benchmarks.misquote_timing [--claims 100] [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 10.0
ARTICLE = "dprk-soldiers-return-home"


def make_project(folder: Path, claims: int, misquoted: bool) -> Path:
    from factcheck_site.content.formats import MAX_SOURCE_FILE_BYTES

    project = folder / ("misquoted" if misquoted else "quoted")
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", "site", "benchmarks", "tests", "*.egg-info",
                                                                   "__pycache__", ".venv"))
    shutil.rmtree(project / "claims")
    (project / "claims").mkdir()
    body = (ROOT / "sources" / f"{ARTICLE}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    long_body = body * ((MAX_SOURCE_FILE_BYTES - 1000) // len(body.encode()))
    (project / "sources" / "long-snapshot.md").write_text("---\ntitle: Long\npublisher: Nobody\n---\n" + long_body,
                                                          encoding="utf-8")
    for number in range(claims):
        quotes = "".join(f'  - source: long-snapshot\n    text: "completing the mission in just '
                         f'{f"{number}-{n} " if misquoted else ""}three months"\n' for n in range(3))
        (project / "claims" / f"claim-{number}.yml").write_text(
            f'claim: "Claim {number}."\nclaimant: Desk\nverdict: "false"\nsummary: "No."\nquotes:\n{quotes}'
            "author: Desk\npublished: 2025-11-20\n", encoding="utf-8")
    return project


def validate_seconds(project: Path, runs: int = 3) -> tuple[float, str]:
    best, output = float("inf"), ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "factcheck_site", "validate"], cwd=project,
                                capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        output = result.stdout + result.stderr
    return best, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        results = {}
        for misquoted in (False, True):
            project = make_project(work, args.claims, misquoted)
            results[misquoted], output = validate_seconds(project)
        hinted = output.count("closest passage (")
        skipped = output.count("was not looked up")
    print(f"{args.claims} claims x 3 quotes of a 2 MB snapshot: validate {results[False]:.2f} s quoted correctly, "
          f"{results[True]:.2f} s misquoted ({hinted} with the closest passage, {skipped} without; "
          f"limit {LIMIT_SECONDS:.0f} s)")
    return 0 if results[True] < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
