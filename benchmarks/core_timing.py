"""The generator core alone (load, validate, verify quotes, render), in a fresh
interpreter: `python -m benchmarks.core_timing PROJECT [PROCESSES] [--steps]` prints JSON,
with the time of each step of the build if asked."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from factcheck_site.build import BuildOptions, build_site, processes_available
from factcheck_site.config import read_settings
from factcheck_site.content.load import CLAIM_SUFFIX, list_files
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.content.yaml_reader import parse_yaml
from factcheck_site.render.safe_markdown import markdown_to_html


class Laps:
    """The build's timer: the seconds each step took, by the step's name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.clock = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = now - self.clock
        self.clock = now

    def time(self, step: str, work: Any) -> None:
        self.clock = time.perf_counter()
        work()
        self(step)


def main() -> None:
    """`python -m benchmarks.core_timing PROJECT [PROCESSES] [--steps]`: the core as builds run it (every
    core, unless PROCESSES says how many); with --steps, the time of each step, and then of the libraries
    that the slowest steps spend most of their time in."""
    arguments = [a for a in sys.argv[1:] if a != "--steps"]
    project = Path(arguments[0])
    processes = int(arguments[1]) if len(arguments) > 1 else processes_available()
    settings, _ = read_settings(project / "mkdocs.yml")
    laps = Laps()
    started, cpu = laps.clock, time.process_time()
    built = build_site(BuildOptions(settings, True, publication_from_settings(settings, True), processes=processes),
                       timer=laps)
    result: dict[str, Any] = {"seconds": time.perf_counter() - started,
                              "parent_cpu_seconds": time.process_time() - cpu, "processes": processes,
                              "claims": len(built.site.claims), "sources": len(built.site.sources),
                              "pages": len(built.pages), "problems": len(built.problems)}
    if "--steps" in sys.argv:
        analyses = [claim.analysis or "" for claim in built.site.claims.values()]
        laps.time("of which Markdown (analyses)", lambda: [markdown_to_html(text) for text in analyses])
        files, _ = list_files(settings.claims_dir, CLAIM_SUFFIX, settings.root)
        laps.time("of which YAML parsing", lambda: [parse_yaml(path.read_text(encoding="utf-8")) for path, _ in files])
        result["steps"] = laps.seconds
    print(json.dumps(result))


if __name__ == "__main__":
    main()
