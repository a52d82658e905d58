"""The benchmark: one command measures every target of the scaling issue and writes
benchmarks/results/ (results.md, results.png, results.json)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import lighthouse_timing
from .corpus import GeneratedClaim
from .measure import folder_bytes, median, run_measured
from .project import ROOT, make_floor, make_project, sources_for
from .report import write_report
from .search_timing import measure_search
from .serve_timing import save_latency, serve_session

DEFAULT_SIZES = (100, 1_000, 5_000, 25_000)
CORE_RUNS = 3
BUILD_RUNS, REPEATED_BUILDS_UP_TO = 3, 1_000  # larger builds take minutes and vary less


def _env() -> dict[str, str]:
    code = os.pathsep.join([str(ROOT / "generator"), str(ROOT)])
    # SOURCE_DATE_EPOCH: sitemap.xml.gz carries the build time, which would tell a rebuild from a clean build
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": code, "SOURCE_DATE_EPOCH": "1790000000"}


def _log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _search_words(claims: list[GeneratedClaim]) -> str:
    """What a reader looking for the first claim would type: its rarest word, and as
    many more of its rare words (up to three) as it takes to tell it from every other claim."""
    own = [w for w in dict.fromkeys(re.findall(r"[a-z]+", claims[0].claim.lower())) if len(w) > 3]
    tokens = [set(re.findall(r"[a-z]+", c.claim.lower())) for c in claims]
    having = {w: {i for i, t in enumerate(tokens) if w in t} for w in own}
    chosen: list[str] = []
    matching: set[int] = set(range(len(claims)))
    for word in sorted(own, key=lambda w: (len(having[w]), -len(w)))[:3]:
        chosen.append(word)
        matching &= having[word]
        if matching == {0}:
            break
    return " ".join(chosen)


def _core(project: Path, processes: int | None = None, runs: int = CORE_RUNS) -> dict[str, Any]:
    """The fastest of a few runs: this machine's speed wanders by a fifth from minute to minute, which
    one run of a second or two cannot average out. With one process, the steps are timed once more."""
    args = [sys.executable, "-m", "benchmarks.core_timing", str(project), *([str(processes)] if processes else [])]
    measured = []
    for extra in [[]] * runs + ([["--steps"]] if processes == 1 else []):
        run = run_measured(args + extra, ROOT, _env())
        if run.returncode != 0:
            raise RuntimeError(f"core timing failed:\n{run.stderr}")
        measured.append({**json.loads(run.stdout), "cpu_seconds": run.cpu_seconds, "peak_bytes": run.peak_bytes})
    fastest = min(measured[:runs], key=lambda m: m["seconds"])
    steps = measured[-1].get("steps")
    return {**fastest, "runs": [m["seconds"] for m in measured[:runs]], **({"steps": steps} if steps else {})}


def _build(project: Path, site: Path, runs: int, cold: bool = True) -> dict[str, Any]:
    """The fastest of runs builds (a build of a few seconds varies by half from one run to the next); cold:
    each without the build cache (.cache/factcheck/) that the one before left."""
    measured = []
    for _ in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        if cold:
            shutil.rmtree(project / ".cache", ignore_errors=True)
        # What the builds before wrote (gigabytes at 25,000 claims: a site and a build cache each) must not be written
        # back to the disk during this one's timing: the first rebuild after a cold build, and the floor's build after
        # them, waited on it (a rebuild's CPU time varied 5-12 s at 5,000 claims with the same code).
        os.sync()
        # --strict without -q: in MkDocs 1.6, -q turns strict mode off (mkdocs#4126); the output is captured anyway
        run = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], project, _env())
        if run.returncode != 0:
            raise RuntimeError(f"mkdocs build failed in {project}:\n{run.stderr[-4000:]}")
        measured.append(run)
    run = min(measured, key=lambda r: r.seconds)
    claim_pages = sorted(p.stat().st_size for p in (site / "claims").glob("*/index.html"))
    search = site / "search"
    return {"seconds": run.seconds, "runs": [r.seconds for r in measured], "cpu_seconds": run.cpu_seconds,
            "peak_bytes": max(r.peak_bytes for r in measured),
            "output_bytes": folder_bytes(site), "claim_pages": len(claim_pages),
            "claim_page_median_bytes": claim_pages[len(claim_pages) // 2] if claim_pages else 0,
            "claim_page_max_bytes": claim_pages[-1] if claim_pages else 0,
            "search_index_json_bytes": (search / "search_index.json").stat().st_size,
            "search_folder_bytes": folder_bytes(search)}


def _rebuild(project: Path, folder: Path, claim_id: str, compare: bool) -> dict[str, Any]:
    """`mkdocs build` after saving one claim, reusing the cache the cold build left; with compare, a clean
    build of the same files too, which must be byte for byte the same."""
    _replace_summary(project / "claims" / f"{claim_id}.yml", r"^summary: \"", 'summary: "Rebuilt. ')
    rebuilt = _build(project, folder / "rebuilt-site", 1, cold=False)
    result: dict[str, Any] = {"seconds": rebuilt["seconds"], "cpu_seconds": rebuilt["cpu_seconds"]}
    if compare:
        shutil.move(project / ".cache", folder / "cache-aside")
        result["clean_seconds"] = _build(project, folder / "clean-site", 1)["seconds"]
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.move(folder / "cache-aside", project / ".cache")
        same = subprocess.run(["diff", "-rq", str(folder / "rebuilt-site"), str(folder / "clean-site")],
                              capture_output=True, text=True)
        result["identical_to_clean"] = same.returncode == 0
    return result


def measure_size(claims_count: int, work: Path, seed: int, floor_search_max: int,
                 runs: int = BUILD_RUNS) -> dict[str, Any]:
    folder = work / f"n{claims_count}"
    _log(f"{claims_count} claims: writing the corpus")
    claims = make_project(folder / "project", claims_count, seed)
    os.sync()  # the corpus's writing-back must not fall into the timings
    result: dict[str, Any] = {"claims": claims_count, "sources": sources_for(claims_count),
                              "load_before": os.getloadavg()[0]}
    _log(f"{claims_count} claims: generator core")
    result["core"] = _core(folder / "project", runs=runs)
    result["core_one_process"] = _core(folder / "project", 1, runs=runs)
    _log(f"{claims_count} claims: mkdocs build")
    build_runs = runs if claims_count <= REPEATED_BUILDS_UP_TO else 1
    result["build"] = _build(folder / "project", folder / "site", build_runs)
    result["rebuild"] = _rebuild(folder / "project", folder, claims[0].id, claims_count <= REPEATED_BUILDS_UP_TO)
    reference = folder / "site" / "claims" / claims[0].id / "index.html"
    result["reference_claim"] = {"id": claims[0].id, "bytes": reference.stat().st_size}
    _log(f"{claims_count} claims: the floor (factcheck render, then plain MkDocs)")
    make_floor(folder / "project", folder / "floor", _env())
    result["floor"] = _build(folder / "floor", folder / "floor-site", build_runs)
    result["ratio"] = result["build"]["seconds"] / result["floor"]["seconds"]
    word = _search_words(claims)
    _log(f"{claims_count} claims: search in a browser for '{word}'")
    ours = measure_search(folder / "site", word)
    result["search"] = {"word": word, "claim": claims[0].claim, "ours": asdict(ours),
                        "first_is_the_claim": ours.first_result.strip() == claims[0].claim.strip()}
    if claims_count <= floor_search_max:
        result["search"]["floor"] = asdict(measure_search(folder / "floor-site", word, timeout=180))
    result["load_after"] = os.getloadavg()[0]
    return result


def _replace_summary(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise RuntimeError(f"no summary to edit in {path}")
    path.write_text(new, encoding="utf-8")


def measure_serve(claims_count: int, work: Path, seed: int, edits: int) -> dict[str, Any]:
    folder = work / f"serve{claims_count}"
    claims = make_project(folder / "project", claims_count, seed)
    load_before = os.getloadavg()[0]
    make_floor(folder / "project", folder / "floor", _env())
    claim = claims[0]
    page = f"claims/{claim.id}/"
    _log(f"mkdocs serve with {claims_count} claims: saving a claim file")
    ours = save_latency(folder / "project", _env(), page, lambda marker: _replace_summary(
        folder / "project" / "claims" / f"{claim.id}.yml", r"^summary: \"", f'summary: "{marker} '), edits,
        options=("--dirty",))  # as ./dev serve runs it
    _log(f"mkdocs serve with {claims_count} claims: the floor, saving the same page as Markdown")
    floor = save_latency(folder / "floor", _env(), page, lambda marker: _replace_summary(
        folder / "floor" / "docs" / "claims" / f"{claim.id}.md", r'class="fc-verdict__summary">',
        f'class="fc-verdict__summary">{marker} '), edits)
    return {"claims": claims_count, "ours": ours, "floor": floor, "ratio": median(ours) / median(floor),
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def measure_preview(claims_count: int, work: Path, seed: int, edits: int = 3) -> dict[str, Any]:
    """The first preview, as an editor who has just cloned an archive gets it (`./dev serve`, no build cache): the
    time to a claim page (and the CPU time it took), to the feeds, exports and cards that follow, the peak memory
    (proportional set size of the server's processes), and then, once the cards are drawn, the seconds from saving
    the claim to its page showing the change, edits times; beside plain `mkdocs serve` of the same pages (the
    floor: its first page and memory)."""
    folder = work / f"preview{claims_count}"
    claims = make_project(folder / "project", claims_count, seed)
    make_floor(folder / "project", folder / "floor", _env())
    page = f"claims/{claims[0].id}/"
    load_before = os.getloadavg()[0]
    _log(f"the first preview of {claims_count} claims: mkdocs serve --dirty, then {edits} saves of a claim")
    ours = serve_session(folder / "project", _env(), page, lambda marker: _replace_summary(
        folder / "project" / "claims" / f"{claims[0].id}.yml", r"^summary: \"", f'summary: "{marker} '), edits,
        options=("--dirty",), complete=("claims.json", claims[-1].id))
    _log(f"the first preview of {claims_count} claims: the floor, plain mkdocs serve")
    floor = serve_session(folder / "floor", _env(), page, lambda marker: None, 0)
    shutil.rmtree(folder, ignore_errors=True)
    return {"claims": claims_count, "ours": asdict(ours), "floor": asdict(floor), "load_before": load_before,
            "load_after": os.getloadavg()[0]}


def _environment() -> dict[str, Any]:
    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as installed

        try:
            return installed(package)
        except PackageNotFoundError:
            return "not installed"

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": (commit.stdout.strip() or "unknown") + (" (with local changes)" if dirty.stdout.strip() else ""),
            "cores": os.cpu_count(), "memory_bytes": memory, "python": platform.python_version(),
            "mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
            "machine": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="numbers of claims to measure, comma-separated (default: %(default)s)")
    parser.add_argument("--serve-claims", type=int, default=1_000,
                        help="archive size for the mkdocs serve measurement; 0 to skip (default: %(default)s)")
    parser.add_argument("--preview-claims", default="1000,25000",
                        help="archive sizes for the first preview's time and memory, comma-separated; empty to "
                             "skip (default: %(default)s)")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits to time in mkdocs serve (median)")
    parser.add_argument("--floor-search-max", type=int, default=25_000,
                        help="largest archive on which to time the stock search in a browser (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=BUILD_RUNS,
                        help="runs of the core and of each build, the fastest counting; builds of more than "
                             f"{REPEATED_BUILDS_UP_TO:,} claims run once (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results",
                        help="where results.md, results.png and results.json go (default: benchmarks/results)")
    parser.add_argument("--work", type=Path, help="folder for corpora and built sites (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep each size's corpus and sites in --work")
    parser.add_argument("--merge", action="store_true",
                        help="keep results for sizes not measured this time (from the same --out)")
    parser.add_argument("--report-only", action="store_true", help="rewrite results.md and .png from results.json")
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="Lighthouse runs of each kind of page of the repository's site, CPU slowdown "
                             "calibrated to this host, the median counting (lighthouse.md); 0 to skip "
                             "(default: %(default)s)")
    parser.add_argument("--lighthouse-only", action="store_true", help="only the Lighthouse measurement")
    args = parser.parse_args(argv)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    results_file = out / "results.json"
    if args.report_only:
        write_report(json.loads(results_file.read_text(encoding="utf-8")), out)
        return 0
    if args.lighthouse_runs:
        _log("Lighthouse on the repository's site, calibrated")
        lighthouse_timing.write(lighthouse_timing.measure(args.lighthouse_runs), out)
        if args.lighthouse_only:
            return 0
    previous = json.loads(results_file.read_text(encoding="utf-8")) if args.merge and results_file.is_file() else {}
    results: dict[str, Any] = {"environment": _environment(), "sizes": dict(previous.get("sizes", {})),
                               "serve": previous.get("serve"), "preview": dict(previous.get("preview") or {})}
    work = args.work or Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
            entry = measure_size(size, work, args.seed, args.floor_search_max, args.runs)
            entry["environment"] = results["environment"]
            results["sizes"][str(size)] = entry
            if not args.keep:
                shutil.rmtree(work / f"n{size}", ignore_errors=True)
            results_file.write_text(json.dumps(results, indent=1), encoding="utf-8")
        if args.serve_claims:
            results["serve"] = measure_serve(args.serve_claims, work, args.seed, args.serve_edits)
            results["serve"]["environment"] = results["environment"]
        for size in [int(s) for s in args.preview_claims.split(",") if s.strip()]:
            results["preview"][str(size)] = {**measure_preview(size, work, args.seed, args.serve_edits),
                                             "environment": results["environment"]}
            results_file.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results_file.write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_report(results, out)
    _log(f"wrote {out / 'results.md'}")
    return 0
