"""`python -m benchmarks.watch_cost PROJECT SECONDS`: the CPU time of `mkdocs serve`'s file watching alone, as MkDocs
and the plugin set it up (on_serve), over SECONDS of an idle server, nothing built (with PYTHONPATH=GENERATOR, another
commit's generator). PROJECT is only read."""

from __future__ import annotations

import os
import resource
import sys
import time

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer


def main() -> None:
    project, seconds = sys.argv[1], float(sys.argv[2])
    os.chdir(project)
    config = load_config("mkdocs.yml")
    plugin = config.plugins["factcheck"]
    plugin.on_startup(command="serve", dirty=True)
    config = plugin.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=project)
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    server = plugin.on_serve(server, config=config, builder=server.builder)
    server.observer.start()
    time.sleep(3)  # the first snapshots
    before = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(seconds)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{cpu:.2f} s of CPU in {seconds:.0f} s: {cpu / seconds:.3f} of a core; "
          f"polls: {sorted({round(e.timeout, 2) for e in server.observer.emitters})}", flush=True)
    server.observer.stop()
    server.observer.join()
    plugin.on_shutdown()


if __name__ == "__main__":
    main()
