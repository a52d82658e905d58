"""results.json -> results.md (the targets and every measurement) and results.png."""

from __future__ import annotations

from pathlib import Path
from statistics import median
from typing import Any

# The targets of the scaling issue, on the benchmark machine.
CORE_SECONDS_AT_25K = 10.0
BUILD_RATIO = 1.25
PEAK_BYTES_AT_25K = 6 * 1024**3
SEARCH_BYTES_AT_25K = 2 * 1024**2
SERVE_RATIO = 1.25
PREVIEW_SECONDS_AT_1K = 1.0  # issue 16: a saved claim on screen in under a second at 1,000 claims
LINEAR_TOLERANCE = 1.25  # per-claim CPU time may vary this much across sizes of 1,000 claims and up
TARGET_SIZE = 25_000


REBUILD_SHARE = 0.10


def _mb(value: float) -> str:
    return f"{value / 1024**2:,.1f} MB"


def _kb(value: float) -> str:
    return f"{value / 1024:,.0f} KB"


def _s(value: float) -> str:
    return f"{value:,.1f} s" if value >= 10 else f"{value:,.2f} s"


def _processes(count: int) -> str:
    return "one process" if count == 1 else f"{count} processes"


def _met(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**missed**")


def _sizes(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [results["sizes"][k] for k in sorted(results.get("sizes", {}), key=int)]


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for each target of the issue."""
    sizes = _sizes(results)
    big = results.get("sizes", {}).get(str(TARGET_SIZE))
    rows: list[tuple[str, str, bool | None]] = []

    if big:
        core, alone = big["core"], big["core_one_process"]
        met = core["seconds"] < CORE_SECONDS_AT_25K
        rows.append((f"Generator core, {TARGET_SIZE:,} claims / {big['sources']:,} sources: under "
                     f"{CORE_SECONDS_AT_25K:.0f} s",
                     f"{_s(core['seconds'])} in {_processes(core.get('processes', 1))}, as builds run it "
                     f"({_s(core['cpu_seconds'])} of CPU); {_s(alone['seconds'])} in one process (each the fastest "
                     f"of {len(core.get('runs', [0]))} runs)"
                     + ("" if met else _core_bounds(big)), met))
    else:
        rows.append((f"Generator core, {TARGET_SIZE:,} claims: under {CORE_SECONDS_AT_25K:.0f} s", "", None))

    per_claim = {s["claims"]: s["core_one_process"]["seconds"] / s["claims"] * 1000 for s in sizes
                 if s["claims"] >= 1000}
    if len(per_claim) >= 2:
        spread = max(per_claim.values()) / min(per_claim.values())
        rows.append(("Generator core linear in N (one process, ms per claim)",
                     ", ".join(f"{n:,}: {v:.2f}" for n, v in per_claim.items()) + f" (spread {spread:.2f}x)",
                     spread <= LINEAR_TOLERANCE))
    else:
        rows.append(("Generator core linear in N", "", None))

    if sizes:
        ratios = [(s["claims"], s["ratio"]) for s in sizes]
        rows.append((f"mkdocs build within {BUILD_RATIO}x the plain-MkDocs floor at every N",
                     ", ".join(f"{n:,}: {r:.2f}x" for n, r in ratios),
                     all(r <= BUILD_RATIO for _, r in ratios)))
        pages = [(s["claims"], s["reference_claim"]["bytes"], s["build"]["claim_page_median_bytes"]) for s in sizes]
        same = len({b for _, b, _ in pages}) == 1
        rows.append(("Each claim page's size independent of N (one claim, the same at every N; median of all)",
                     ", ".join(f"{n:,}: {b:,} B (median {m:,} B)" for n, b, m in pages), same))
    else:
        rows += [(f"mkdocs build within {BUILD_RATIO}x the floor", "", None), ("Claim page size independent", "", None)]

    if big:
        rows.append((f"{TARGET_SIZE:,} claims: mkdocs build finishes under {PEAK_BYTES_AT_25K // 1024**3} GB peak "
                     "memory", f"finished in {_s(big['build']['seconds'])}, peak {_mb(big['build']['peak_bytes'])}",
                     big["build"]["peak_bytes"] < PEAK_BYTES_AT_25K))
        search = big["search"]["ours"]
        rows.append((f"Search at {TARGET_SIZE:,} claims: a reader's browser downloads under 2 MB before the first "
                     "result", f"{_mb(search['bytes_raw'])} uncompressed ({_mb(search['bytes_gzip'])} gzipped), "
                     f"result in {_s(search['seconds_to_result'])}; first result is the claim: "
                     f"{'yes' if big['search']['first_is_the_claim'] else 'no'}",
                     search["found"] and search["bytes_raw"] < SEARCH_BYTES_AT_25K
                     and big["search"]["first_is_the_claim"]))
    else:
        rows += [(f"{TARGET_SIZE:,} claims: build under 6 GB", "", None), ("Search under 2 MB", "", None)]

    rebuilds = [(size["claims"], size["rebuild"], size["build"]["seconds"]) for size in sizes if "rebuild" in size]
    if rebuilds:
        largest = rebuilds[-1]
        rows.append((f"mkdocs build after one claim changed, reusing the cache: at most {REBUILD_SHARE:.0%} of a cold "
                     "build at 25,000 claims, byte-identical to a clean build",
                     ", ".join(f"{n:,}: {_s(r['seconds'])} of {_s(cold)} ({r['seconds'] / cold:.0%})"
                               + ({True: ", identical", False: ", DIFFERENT"}.get(r.get("identical_to_clean"), ""))
                               for n, r, cold in rebuilds),
                     largest[1]["seconds"] <= REBUILD_SHARE * largest[2]
                     and all(r.get("identical_to_clean", True) for _, r, _ in rebuilds)))
    serve = results.get("serve")
    if serve:
        rows.append((f"mkdocs serve at {serve['claims']:,} claims: saving a claim within {SERVE_RATIO}x the floor",
                     f"{_s(min(serve['ours']))}-{_s(max(serve['ours']))} vs floor "
                     f"{_s(min(serve['floor']))}-{_s(max(serve['floor']))}: {serve['ratio']:.2f}x (medians)",
                     serve["ratio"] <= SERVE_RATIO))
        if serve["claims"] == 1_000:
            rows.append((f"mkdocs serve --dirty at 1,000 claims: a saved claim on screen in under "
                         f"{PREVIEW_SECONDS_AT_1K:.0f} s (median)",
                         f"{', '.join(_s(v) for v in serve['ours'])}: median {_s(median(serve['ours']))}",
                         median(serve["ours"]) < PREVIEW_SECONDS_AT_1K))
    else:
        rows.append(("mkdocs serve within 1.25x the floor", "", None))
    return rows


def _core_bounds(size: dict[str, Any]) -> str:
    """What the core's time is made of, per claim, from the one-process step timings."""
    steps = size["core_one_process"].get("steps")
    if not steps:
        return ""
    per_claim = {name: seconds / size["claims"] * 1000 for name, seconds in steps.items()}
    cores = size["core"].get("processes", 1)
    budget = CORE_SECONDS_AT_25K * cores / size["claims"] * 1000
    libraries = (steps["of which YAML parsing"] + steps["of which Markdown (analyses)"]) / cores
    return (f". Bound by CPU per claim, already spread over every core: "
            f"{per_claim['load and verify claims']:.2f} ms to load and verify (of which "
            f"{per_claim['of which YAML parsing']:.2f} ms YAML), {per_claim['render claim pages']:.2f} ms to render "
            f"(of which {per_claim['of which Markdown (analyses)']:.2f} ms Markdown), where {cores} cores leave "
            f"{budget:.2f} ms per claim for everything. Reading the YAML and rendering the Markdown alone, split "
            f"perfectly over {cores} cores, take {_s(libraries)} of the {CORE_SECONDS_AT_25K:.0f} s. Reaching it "
            "needs less CPU per claim in every step (analyses made only of paragraphs skip the Markdown parser), or "
            "reusing the work of the previous build for unchanged claims")


def markdown(results: dict[str, Any]) -> str:
    env = results["environment"]
    sizes = _sizes(results)
    lines = [
        "# Benchmark results",
        "",
        f"Measured {env['date']} at commit {env['commit']} on {env['cores']} cores, {_mb(env['memory_bytes'])} of "
        f"memory ({env['machine']}); Python {env['python']}, MkDocs {env['mkdocs']}, Material "
        f"{env['mkdocs-material']}. Produced by `./dev bench` (`python -m benchmarks`); see "
        "[benchmarks/README.md](../README.md) for what each number means." + _other_commits(results, env),
        "",
        "![Build time, memory and search download by archive size](results.png)",
        "",
        "## Targets",
        "",
        "| Target | Measured | |",
        "|---|---|---|",
    ]
    lines += [f"| {target} | {measured} | {_met(ok)} |" for target, measured, ok in targets(results)]
    lines += [
        "",
        "## Builds",
        "",
        "Core: load, validate, verify quotes and render every page, without MkDocs, on every core as builds do, "
        "and in one process; each the fastest of a few runs. Build: `mkdocs build --strict` of "
        "the site. Floor: plain MkDocs + Material building the same pages written out by `factcheck render`, with "
        "Material's stock search. Memory: the peak over the build's processes (resident memory; with workers, their "
        "proportional set size, so that the pages they share with the build are counted once).",
        "",
        "| Claims | Sources | Core | Core, 1 process | Build | Floor | Build / floor | Peak memory (floor) "
        "| Output (floor) | Claim page (median) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        b, f = s["build"], s["floor"]
        lines.append(
            f"| {s['claims']:,} | {s['sources']:,} | {_s(s['core']['seconds'])} "
            f"| {_s(s['core_one_process']['seconds'])} | {_s(b['seconds'])} | {_s(f['seconds'])} | {s['ratio']:.2f}x "
            f"| {_mb(b['peak_bytes'])} "
            f"({_mb(f['peak_bytes'])}) | {_mb(b['output_bytes'])} ({_mb(f['output_bytes'])}) "
            f"| {b['claim_page_median_bytes']:,} B |")
    lines += ["", "Where the core's time goes, in one process:", "",
              "| Claims | " + " | ".join(_step_names(sizes)) + " |",
              "|---:|" + "---:|" * len(_step_names(sizes))]
    for s in sizes:
        step_times = s["core_one_process"].get("steps", {})
        lines.append(f"| {s['claims']:,} | " + " | ".join(_s(step_times.get(n, float("nan")))
                                                         for n in _step_names(sizes)) + " |")
    lines += [
        "",
        "## Search",
        "",
        "A real Chromium opens the home page, types a word of one claim into the search box and waits for the "
        "first result. Download: every byte fetched from opening the page to that result (page, styles, scripts, "
        "search worker, index), as served and as a gzipping server would send it. The stock index is what "
        "Material's search would make every reader download on every first visit.",
        "",
        "| Claims | Word | First result is the claim | Download (gzipped) | Of which search index | Time to result "
        "| Our index files, total | Stock index | Stock search: download (gzipped), time to result |",
        "|---:|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in sizes:
        ours, floor = s["search"]["ours"], s["search"].get("floor")
        index = ours["by_kind"].get("search index", [0, 0])
        if floor is None:
            stock = "not run"
        elif floor["found"]:
            stock = f"{_mb(floor['bytes_raw'])} ({_mb(floor['bytes_gzip'])}), {_s(floor['seconds_to_result'])}"
        else:
            stock = "no result within the time limit"
        lines.append(
            f"| {s['claims']:,} | {s['search']['word']} | {'yes' if s['search']['first_is_the_claim'] else 'no'} "
            f"| {_kb(ours['bytes_raw'])} ({_kb(ours['bytes_gzip'])}) | {_kb(index[0])} ({_kb(index[1])}) "
            f"| {_s(ours['seconds_to_result'])} | {_mb(s['build']['search_folder_bytes'])} "
            f"| {_mb(s['floor']['search_index_json_bytes'])} | {stock} |")
    serve = results.get("serve")
    if serve:
        lines += [
            "",
            "## Preview",
            "",
            f"`mkdocs serve` on {serve['claims']:,} claims: seconds from saving one claim file to its rebuilt page "
            "being served; the floor saves the same page's Markdown under plain `mkdocs serve`.",
            "",
            "| | Each save | Median |",
            "|---|---|---:|",
            f"| Ours (claim file) | {', '.join(_s(v) for v in serve['ours'])} | {_s(median(serve['ours']))} |",
            f"| Floor (Markdown page) | {', '.join(_s(v) for v in serve['floor'])} | {_s(median(serve['floor']))} |",
        ]
        if "load_before" in serve:
            lines += ["", f"Load average (1 minute) before and after: {serve['load_before']:.1f} / "
                          f"{serve['load_after']:.1f}."]
    previews = [results["preview"][size] for size in sorted(results.get("preview") or {}, key=int)]
    if previews:
        lines += [
            "",
            "## The first preview",
            "",
            "`./dev serve` (`mkdocs serve --dirty`) just after a clone (no build cache): seconds from starting it to a "
            "claim page being served (and the CPU seconds its processes used until then), and to the feeds and "
            "exports (claims.json with every claim) and the page's link-preview card that follow; the peak memory "
            "of its processes (proportional set size); then each save of that claim's file until its page shows "
            "the change. The floor serves the same pages with plain `mkdocs serve`.",
            "",
            "| Claims | First page (CPU) | Feeds and exports; cards | Peak memory | Floor: first page (CPU) "
            "| Floor: peak memory | Saved claim on screen | Load average before / after |",
            "|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for p in previews:
            ours, floor = p["ours"], p["floor"]
            saves = ours.get("latencies") or []
            saved = f"{', '.join(_s(v) for v in saves)}: median {_s(median(saves))}" if saves else "-"
            if ours.get("save_builds"):  # more than one build for a save: something asked again
                saved += f" ({', '.join(map(str, ours['save_builds']))} builds)"
            lines.append(f"| {p['claims']:,} | {_s(ours['first_page'])} ({_s(ours.get('first_page_cpu', 0))}) "
                         f"| {_s(ours['complete']) if ours['complete'] else '-'}; "
                         f"{_s(ours['cards']) if ours.get('cards') else '-'} | {_mb(ours['peak_bytes'])} "
                         f"| {_s(floor['first_page'])} ({_s(floor.get('first_page_cpu', 0))}) "
                         f"| {_mb(floor['peak_bytes'])} | {saved} | {p['load_before']:.1f} / {p['load_after']:.1f} |")
    lines += ["", "Load average (1 minute) before and after each size: " + ", ".join(
        f"{s['claims']:,}: {s['load_before']:.1f} / {s['load_after']:.1f}" for s in sizes) + ".", ""]
    return "\n".join(lines)


def _other_commits(results: dict[str, Any], env: dict[str, Any]) -> str:
    """Measurements kept from an earlier run (--merge), named with the commit they were made at."""
    kept = [(f"{s['claims']:,} claims", s) for s in _sizes(results)]
    kept += [("mkdocs serve", results["serve"])] if results.get("serve") else []
    kept += [(f"the first preview of {size} claims", entry) for size, entry in (results.get("preview") or {}).items()]
    others = [f"{name} at {entry['environment']['commit']}" for name, entry in kept
              if entry.get("environment", env)["commit"] != env["commit"]]
    return f" Kept from earlier runs: {', '.join(others)}." if others else ""


def _step_names(sizes: list[dict[str, Any]]) -> list[str]:
    for s in sizes:
        if s["core_one_process"].get("steps"):
            return list(s["core_one_process"]["steps"])
    return []


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = _sizes(results)
    claims = [s["claims"] for s in sizes]
    figure, (times, memory, search) = plt.subplots(1, 3, figsize=(15, 4.6))
    times.plot(claims, [s["floor"]["seconds"] for s in sizes], "o-", label="floor: plain MkDocs + Material")
    times.plot(claims, [s["build"]["seconds"] for s in sizes], "o-", label="mkdocs build with factcheck")
    times.plot(claims, [s["core"]["seconds"] for s in sizes], "o-", label="generator core")
    times.set(title="Build time", xlabel="claims", ylabel="seconds", xscale="log", yscale="log")
    memory.plot(claims, [s["floor"]["peak_bytes"] / 1024**2 for s in sizes], "o-", label="floor")
    memory.plot(claims, [s["build"]["peak_bytes"] / 1024**2 for s in sizes], "o-", label="mkdocs build with factcheck")
    memory.axhline(PEAK_BYTES_AT_25K / 1024**2, color="grey", linestyle="--", label="target at 25,000 claims")
    memory.set(title="Peak memory", xlabel="claims", ylabel="MB", xscale="log", yscale="log")
    search.plot(claims, [s["floor"]["search_index_json_bytes"] / 1024**2 for s in sizes], "o-",
                label="stock search index (downloaded in full)")
    search.plot(claims, [s["search"]["ours"]["bytes_raw"] / 1024**2 for s in sizes], "o-",
                label="downloaded before the first result")
    search.axhline(SEARCH_BYTES_AT_25K / 1024**2, color="grey", linestyle="--", label="target: 2 MB")
    search.set(title="Search", xlabel="claims", ylabel="MB", xscale="log", yscale="log")
    for axes in (times, memory, search):
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_report(results: dict[str, Any], out: Path) -> None:
    (out / "results.md").write_text(markdown(results), encoding="utf-8")
    if results.get("sizes"):
        plot(results, out / "results.png")
