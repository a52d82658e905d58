"""Serve-mode builds in one process, as `mkdocs serve --dirty` runs them, timed step by step:
`python -m benchmarks.serve_steps PROJECT [claim|source|config ...]` builds PROJECT once, then, for each edit
named (default: claim claim claim), edits one file, waits as an editor would, builds again and prints the
build's seconds and the plugin's slowest steps. A thread is started first, as `mkdocs serve`'s server is one:
the build then runs in one process, as under `mkdocs serve`. The edits are left in PROJECT.

With FACTCHECK_PROFILE=FILE in the environment, the builds from the second save on (the first completes the
first preview: feeds and exports) run under cProfile, and their profile
is written to FILE (`python -m pstats FILE`), its slowest functions printed: what bounds a save's build.

A generator that leaves a save's search index, feeds and exports until its pages are served (serving.LaterFiles) is
given a server as `mkdocs serve` gives it (one that serves nothing): each save's build is then timed to its end (when
MkDocs' server shows its pages), and what it left for later after it ("then"), as the server's thread runs it."""

from __future__ import annotations

import cProfile
import functools
import os
import pstats
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from factcheck_site import plugin as plugin_module
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

STEPS = {plugin_module.FactcheckPlugin: ("on_pre_build", "on_files", "on_post_build", "_write_search_index",
                                         "_keep_work"),
         plugin_module: ("build_site", "render_data_files", "share_cards"),
         mkdocs_build: ("get_navigation", "_build_theme_template")}
PAUSE = 3  # seconds between builds: the collector (serving.py) works in the pause after each


def _timed(seconds: dict[str, float]) -> None:
    for owner, names in STEPS.items():
        for name in names:
            work = getattr(owner, name)

            @functools.wraps(work)
            def timed(*args: object, _work: Callable[..., object] = work, _name: str = name,
                      **kwargs: object) -> object:
                started = time.perf_counter()
                try:
                    return _work(*args, **kwargs)
                finally:
                    seconds[_name] += time.perf_counter() - started

            setattr(owner, name, timed)


def _edit(project: Path, kind: str, number: int) -> None:
    if kind == "claim":
        path = sorted((project / "claims").glob("*.yml"))[0]
        text = re.sub(r'^summary: "(.{0,900}).*?"$', lambda m: f'summary: "{m[1]} e{number}"',
                      path.read_text(encoding="utf-8"), count=1, flags=re.M)
    elif kind == "source":
        path = sorted((project / "sources").glob("*.md"))[0]
        text = path.read_text(encoding="utf-8") + f"\nA line added by the benchmark, {number}.\n"
    else:
        path = project / "mkdocs.yml"
        text = re.sub(r"^site_description: (.*)$", lambda m: f"site_description: {m[1]} {number}",
                      path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    project, edits = Path(sys.argv[1]).resolve(), sys.argv[2:] or ["claim"] * 3
    threading.Thread(target=time.sleep, args=(10**6,), daemon=True).start()
    seconds: dict[str, float] = defaultdict(float)
    profiler = cProfile.Profile() if os.environ.get("FACTCHECK_PROFILE") else None
    _timed(seconds)
    os.chdir(project)
    with tempfile.TemporaryDirectory() as site:
        config = load_config("mkdocs.yml", site_dir=site)
        config.plugins.on_startup(command="serve", dirty=True)
        later = getattr(config.plugins["factcheck"], "later_files", None)
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=site)
        for number, kind in enumerate(["first build", *edits]):
            if number:
                time.sleep(PAUSE)
                _edit(project, kind, number)
                config = load_config("mkdocs.yml", site_dir=site)
            seconds.clear()
            started, cpu = time.perf_counter(), time.process_time()
            if number >= 2 and profiler is not None:  # the first save completes the first preview (feeds, exports)
                profiler.runcall(mkdocs_build.build, config, serve_url="http://127.0.0.1:8000/", dirty=True)
            else:
                mkdocs_build.build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
            built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
            if later is not None and number:
                later.finish()
            if later is not None and not later.attached:  # as mkdocs serve does after its first build (on_serve)
                later.attach(server)
            after, after_cpu = time.perf_counter() - started - built, time.process_time() - cpu - built_cpu
            then = f"; then {after:.2f} s, {after_cpu:.2f} s of CPU" if later is not None and number else ""
            steps = ", ".join(f"{name} {value:.2f}" for name, value in sorted(seconds.items(), key=lambda i: -i[1]))
            print(f"{kind}: {built:.2f} s, {built_cpu:.2f} s of CPU in this process{then}, load "
                  f"{os.getloadavg()[0]:.1f} ({steps})", flush=True)
        config.plugins.on_shutdown()
        server.server_close()
    if profiler is not None:
        profiler.dump_stats(os.environ["FACTCHECK_PROFILE"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
