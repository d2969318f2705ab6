"""Benchmark: one HTML report per unit, three ways, end to end.

    python benchmarks/bench_batch.py                      # N = 10 (quick)
    python benchmarks/bench_batch.py --units 200 --baseline-units 20     # the headline
    python benchmarks/bench_batch.py --units 10 50 200    # the series
    python benchmarks/bench_batch.py --rows 1000000       # data scale: 1M indicator rows inside perfeval run

For each N, a temporary project is generated with the demo generator (N units, 2021–2023), ingested,
and the reports of 2021 (three charts each: budget, spending curve, scores) are made by

(a) the DIY baseline: the ``papermill`` command, then ``jupyter nbconvert --to html --no-input``, one
    pair of subprocesses per unit, two units at a time (``--baseline-jobs``) — measured on the
    first ``--baseline-units`` K units when given (it takes ~2.5 s a unit);
(b) ``perfeval run --jobs 2 --force`` as a subprocess: warm kernels, in-process export; it also
    runs the overview notebook and writes index.html and runs.csv;
(c) the floor: plain Python in a pool of two processes, calling the same ``perfeval_lib.report``
    functions the notebook calls and writing the same sections as one HTML page — no kernel.

Printed: seconds per unit (wall time / units), the ratios a/b and b/c, and the peak memory (max RSS,
sampled every 0.1 s over the process tree with psutil) of each kind of process. Then a profile of
(b)'s pieces on one warm kernel: each notebook cell, papermill/kernel-message overhead, the kernel
reset, drawing the SVG charts, the HTML export and the file writes — and the notebook machinery alone (the same
notebook showing a page made beforehand), against the CPU of one floor page: the least any run of one executed
notebook per unit can cost, relative to the floor.
Timings are printed, never asserted; the machine is shared, so run it twice.
"""
from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
YEAR = 2021
YEARS = (2021, 2022, 2023)


# ---------------------------------------------------------------------------------------------
# a temporary project

def make_project(base: Path, n_units: int) -> dict[str, Path]:
    """Generate ``n_units`` demo units into ``base``, ingest them, copy the params; set the env to it."""
    from perfeval_lib import demo
    from perfeval_lib.batch.ingest_run import run_ingest

    folders = {"raw": base / "raw", "processed": base / "processed", "reports": base / "reports",
               "params": base / "params"}
    for sub in ("rulesets", "narrative"):
        shutil.copytree(ROOT / "params" / sub, folders["params"] / sub)
    point_env_at(folders)
    demo.generate(folders["raw"], n_units=n_units, years=YEARS)
    run_ingest(folders["raw"], folders["processed"])
    return folders


def point_env_at(folders: dict[str, Path]) -> None:
    for name in ("raw", "processed", "reports", "params"):
        os.environ[f"PERFEVAL_{name.upper()}"] = str(folders[name])


def units_of(year: int) -> list[str]:
    from perfeval_lib.core.store import read_processed

    results = read_processed("results")
    return sorted(results.loc[results["year"] == year, "unit_code"])


# ---------------------------------------------------------------------------------------------
# memory: the process tree, sampled

def role(process: psutil.Process) -> str:
    try:
        command = " ".join([process.name(), *process.cmdline()])
    except psutil.Error:
        return "gone"
    for needle, name in (("ipykernel", "kernel"), ("resource_tracker", "resource tracker"), ("papermill", "papermill"),
                         ("nbconvert", "nbconvert"), ("spawn_main", "worker"), ("bench_batch.py", "floor driver"),
                         ("perfeval", "perfeval driver")):
        if needle in command:
            return name
    return process.name()


class TreeSampler:
    """Peak RSS per process of the tree below ``root`` (a pid), sampled every ``interval`` s in a thread."""

    def __init__(self, root: int, interval: float = 0.1, include_root: bool = True) -> None:
        self.root, self.interval, self.include_root = root, interval, include_root
        self.peaks: dict[tuple[int, float], tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                top = psutil.Process(self.root)
                tree = ([top] if self.include_root else []) + top.children(recursive=True)
            except psutil.Error:
                tree = []
            for process in tree:
                try:
                    key, rss = (process.pid, process.create_time()), process.memory_info().rss
                except psutil.Error:
                    continue
                # the role is read again each time: a spawned child shows its parent's command line until it
                # execs; a process that has just ended keeps the role it had
                name, peak = self.peaks.get(key, ("gone", 0))
                now = role(process)
                self.peaks[key] = (name if now == "gone" else now, max(peak, rss))
            self._stop.wait(self.interval)

    def by_role(self) -> dict[str, list[int]]:
        """Peak RSS in MB of each process, grouped by its role (sorted, largest first)."""
        found: dict[str, list[int]] = {}
        for name, peak in self.peaks.values():
            found.setdefault(name, []).append(round(peak / 2**20))
        return {name: sorted(peaks, reverse=True) for name, peaks in sorted(found.items())}


def memory_text(peaks: dict[str, list[int]], skip=("resource tracker", "gone", "bash", "uname")) -> str:
    parts = []
    for name, values in peaks.items():
        if name in skip:
            continue
        shown = f"{values[0]} MB" if len(values) == 1 else f"max {values[0]} MB ({len(values)} processes)"
        parts.append(f"{name} {shown}")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# (a) papermill + jupyter nbconvert per unit

def diy_one(code: str, out: Path) -> None:
    executed = out / f"{code}.ipynb"
    subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks" / "unit_report.ipynb"), str(executed),
                    "-p", "unit_code", code, "-p", "year", str(YEAR), "-k", "python3", "--cwd", str(ROOT),
                    "--no-progress-bar"], check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
                    "--output-dir", str(out)], check=True, capture_output=True)


def run_diy(codes: list[str], out: Path, jobs: int) -> tuple[float, dict]:
    out.mkdir(parents=True, exist_ok=True)
    with TreeSampler(os.getpid(), include_root=False) as sampler:
        started = time.perf_counter()
        with cf.ThreadPoolExecutor(jobs) as pool:
            list(pool.map(lambda code: diy_one(code, out), codes))
        seconds = time.perf_counter() - started
    return seconds, sampler.by_role()


# ---------------------------------------------------------------------------------------------
# (b) perfeval run

def run_perfeval(jobs: int, reuse: int | None = None, units: list[str] | None = None) -> tuple[float, dict]:
    """``perfeval run`` of the year in a new process (``reuse``: its ``--kernel-reuse``; None: perfeval's default)."""
    command = [str(BIN / "perfeval"), "run", "--year", str(YEAR), "--jobs", str(jobs), "--force", "-q",
               *(["--kernel-reuse", str(reuse)] if reuse else [])] + (["--units", *units] if units else [])
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeSampler(process.pid) as sampler:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"perfeval run failed ({process.returncode}):\n{stdout}\n{stderr}")
    return seconds, sampler.by_role()


# ---------------------------------------------------------------------------------------------
# (c) the floor: the same report functions, no kernel

def floor_unit(code: str, year: int, out: str) -> int:
    """One unit's page as the notebook shows it in a run (title, sections 一 to 四, the review's annex, the
    years, the sources), written to ``out``."""
    from markupsafe import Markup

    from perfeval_lib.render import report as rp
    from perfeval_lib.core.templating import render_html

    r = rp.unit_report(code, year, parameters={"unit_code": code, "year": year, "ruleset": "(单位规则集)"},
                       placeholders=False)   # as `perfeval run` shows a unit: no 【待补充】 on shared pages
    body = "".join([rp.title(r), *(rp.section(r, n) for n in range(1, 5)), rp.annex(r), rp.trend(r), rp.footer(r)])
    page = render_html("html/page.html.j2", title=f"{year}年度{r.name}整体支出绩效自评报告", body=Markup(body))
    Path(out, f"{code}.html").write_text(page, encoding="utf-8")
    return len(page)


def floor_child(codes: list[str], out: str, jobs: int) -> None:
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(jobs, mp_context=context) as pool:
        for future in [pool.submit(floor_unit, code, YEAR, out) for code in codes]:
            future.result()


def run_floor(codes: list[str], out: Path, jobs: int) -> tuple[float, dict]:
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, __file__, "--floor-child", str(out), "--jobs", str(jobs), "--codes", *codes]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    with TreeSampler(process.pid) as sampler:
        process.wait()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError("the floor run failed")
    return seconds, sampler.by_role()


# ---------------------------------------------------------------------------------------------
# where (b)'s time goes: one warm kernel, in this process

_KERNEL_TIMERS = """exec('''
import sys, time
report, svg = sys.modules["perfeval_lib.render.report"], sys.modules["perfeval_lib.render.svg"]
report._bench = {"charts": [0.0, 0]}
def timed(function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            report._bench["charts"][0] += time.perf_counter() - started
            report._bench["charts"][1] += 1
    return wrapper
report.FIGURES.update({key: (data, timed(chart), missing) for key, (data, chart, missing) in report.FIGURES.items()})
svg.trend = timed(svg.trend)
''', {}) or 'installed'"""


def profile(codes: list[str], out: Path) -> dict:
    """Run ``codes`` one after another on this process's warm kernel and time every piece."""
    from perfeval_lib.batch import execute
    from perfeval_lib.batch import run as batch
    from perfeval_lib.batch.kernels import kernel_pool, task_kernel

    plan = batch.plan_units(YEAR, codes)
    tasks = batch.unit_tasks(YEAR, plan, out)
    pool = kernel_pool()
    first = tasks[0]
    execute.execute(Path(first["notebook"]), first["parameters"], 600, out / "warm.ipynb", kernel=task_kernel(first))
    pool.evaluate(_KERNEL_TIMERS)
    pool.timings.update(reset=0.0)
    pieces = {"execute (papermill, total)": 0.0, "nbconvert export (render)": 0.0, "write HTML file": 0.0}
    cells: dict[int, float] = {}
    sources: dict[int, str] = {}
    for task in tasks[1:]:
        started = time.perf_counter()
        node, _ = execute.execute(Path(task["notebook"]), task["parameters"], 600, out / f"{task['name']}.ipynb",
                                  kernel=task_kernel(task))
        pieces["execute (papermill, total)"] += time.perf_counter() - started
        for index, cell in enumerate(node.cells):
            cells[index] = cells.get(index, 0.0) + (cell.metadata.get("papermill", {}).get("duration") or 0.0)
            sources[index] = "(injected parameters)" if "injected-parameters" in cell.metadata.get("tags", []) \
                else (cell.source.splitlines() or [""])[0][:70]
        started = time.perf_counter()
        node.metadata["title"] = task["title"]
        body, _ = execute.html_exporter().from_notebook_node(node)
        pieces["nbconvert export (render)"] += time.perf_counter() - started
        started = time.perf_counter()
        (out / task["html"]).write_text(body, encoding="utf-8")
        pieces["write HTML file"] += time.perf_counter() - started
    n = len(tasks) - 1
    machinery = machinery_cpu(tasks[1:], out, pool)
    bench = ast.literal_eval(pool.evaluate("__import__('sys').modules['perfeval_lib.render.report']._bench"))
    cache = pool.evaluate("__import__('perfeval_lib.core.store').core.store._tables.cache_info()")
    kernel_rss = psutil.Process(pool._manager.provisioner.process.pid).memory_info().rss / 2**20
    pool.stop()
    cell_total = sum(cells.values())
    return {"units": n, "cells": {i: s / n for i, s in cells.items()}, "sources": sources, "cell_total": cell_total / n,
            "machinery": machinery, "floor_cpu": floor_cpu([t["parameters"]["unit_code"] for t in tasks[1:]], out),
            "pieces": {k: v / n for k, v in pieces.items()}, "reset": pool.timings["reset"] / n,
            "charts": bench["charts"][0] / n, "figures": bench["charts"][1] / n, "cache": cache,
            "kernel_rss_mb": kernel_rss}


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def machinery_cpu(tasks: list[dict], out: Path, pool) -> dict:
    """CPU a unit costs when its page costs nothing: the same notebook, whose report cell shows a page
    made beforehand, run like (b) on the warm kernel (papermill, the kernel's cells and reset, the export)."""
    import nbformat

    from perfeval_lib.batch import execute

    page = (out / tasks[0]["html"]).read_text(encoding="utf-8")
    (out / "page.txt").write_text(page, encoding="utf-8")
    source = nbformat.read(tasks[0]["notebook"], as_version=4)
    report = [c for c in source.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    for cell in report:
        cell.source = "pass"
    report[0].source = (f"from IPython.display import HTML\n"
                        f"HTML(open({str(out / 'page.txt')!r}, encoding='utf-8').read())")
    notebook = out / "machinery.ipynb"
    nbformat.write(source, notebook)
    kernel, here = psutil.Process(pool._manager.provisioner.process.pid), psutil.Process()
    kernel_before, here_before = _cpu(kernel), _cpu(here)
    for task in tasks:
        result = execute.run_unit({**task, "notebook": str(notebook), "html": f"machinery-{task['html']}"})
        if result.status != "ok":
            raise RuntimeError(f"the machinery notebook failed: {result.error}")
    n = len(tasks)
    return {"kernel": (_cpu(kernel) - kernel_before) / n, "driver": (_cpu(here) - here_before) / n}


def floor_cpu(codes: list[str], out: Path) -> float:
    """CPU of one floor page in this process, after a first one (which loads the tables)."""
    folder = out / "floor"
    folder.mkdir(parents=True, exist_ok=True)
    floor_unit(codes[0], YEAR, str(folder))
    started = time.process_time()
    for code in codes:
        floor_unit(code, YEAR, str(folder))
    return (time.process_time() - started) / len(codes)


def print_profile(p: dict) -> None:
    print(f"\nwhere (b)'s time goes — {p['units']} units one after another on one warm kernel, seconds per unit:")
    print(f"  notebook cells (kernel time, papermill's durations): {p['cell_total']:.3f}")
    for index, seconds in p["cells"].items():
        if seconds >= 0.0005:
            print(f"    cell {index:>2}  {seconds:.3f}  {p['sources'][index]}")
    print(f"    of which the SVG charts: {p['charts']:.3f} ({p['figures']:.1f} figures)")
    execute = p["pieces"]["execute (papermill, total)"]
    print(f"  kernel reset between units: {p['reset']:.3f}")
    print(f"  papermill + nbclient + kernel messages (execute − cells − reset): {max(0.0, execute - p['cell_total'] - p['reset']):.3f}"
          " (papermill's cell durations already hold most of the messages)")
    print(f"  nbconvert HTML export: {p['pieces']['nbconvert export (render)']:.3f}; "
          f"writing the HTML file: {p['pieces']['write HTML file']:.4f}")
    print(f"  processed tables in the warm kernel: {p['cache']} (misses=1: read once for all units); "
          f"kernel RSS {p['kernel_rss_mb']:.0f} MB")
    m, page = p["machinery"], p["floor_cpu"]
    print(f"the notebook machinery alone — the same notebook showing a page made beforehand, on the warm kernel, "
          f"CPU seconds a unit: kernel {m['kernel']:.4f} + this process {m['driver']:.4f} = "
          f"{m['kernel'] + m['driver']:.4f}; the floor's page itself: {page:.4f} (one process, after a first page)")
    print(f"  so one executed notebook per unit costs at least {(page + m['kernel'] + m['driver']) / page:.2f}× "
          f"the floor's CPU, whatever the page costs in the kernel")


# ---------------------------------------------------------------------------------------------
# data scale: 1M indicator rows

def make_big_project(base: Path, rows: int) -> tuple[dict[str, Path], dict]:
    """Processed tables with ``rows`` synthetic indicator rows (and their budget and results)."""
    import pandas as pd

    from perfeval_lib.demo import synthetic_budget, synthetic_indicators
    from perfeval_lib.review.evaluation import evaluate
    from perfeval_lib.core.store import write_table
    from perfeval_lib.ingest.validate import validate

    folders = {"raw": base / "raw", "processed": base / "processed", "reports": base / "reports",
               "params": base / "params"}
    for sub in ("rulesets", "narrative"):
        shutil.copytree(ROOT / "params" / sub, folders["params"] / sub)
    point_env_at(folders)
    started = time.perf_counter()
    indicators = synthetic_indicators(rows, seed=1)
    budget = synthetic_budget(indicators[["unit_code", "year"]].drop_duplicates(), seed=1)
    codes = sorted(indicators["unit_code"].unique())
    names = [f"合成单位{c}" for c in codes]
    units = pd.DataFrame({"unit_code": codes, "unit_name": names, "parent": names, "region": "合成区",
                          "ruleset": "mof-2020", "profile": None})
    units, _ = validate(units, "units")
    generated = time.perf_counter() - started
    started = time.perf_counter()
    indicators, _ = validate(indicators, "indicators")
    budget, _ = validate(budget, "budget")
    ev = evaluate(units, budget, indicators)
    scored_seconds = time.perf_counter() - started
    for name, frame in {"units": units, "budget": budget, "indicators": indicators, "results": ev.results,
                        "findings": ev.findings, "scored": ev.scored}.items():
        write_table(frame, name, folders["processed"])
    return folders, {"rows": len(indicators), "unit_years": len(ev.results), "generate": generated,
                     "validate + score": scored_seconds}


def data_scale(rows: int, units: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-big-") as tmp:
        folders, built = make_big_project(Path(tmp), rows)
        print(f"\ndata scale: {built['rows']:,} indicator rows, {built['unit_years']:,} unit-years "
              f"(generated {built['generate']:.1f} s; validate + score {built['validate + score']:.1f} s in this process)")
        global YEAR
        saved, YEAR = YEAR, 2023
        try:
            codes = units_of(YEAR)[:units]
            seconds, peaks = run_perfeval(jobs, units=codes)
            print(f"  perfeval run --year {YEAR} --units <{len(codes)} units> --jobs {jobs}: {seconds:.1f} s, "
                  f"{seconds / len(codes):.3f} s/unit end to end (the processed tables: {tables_mb(folders)} MB of parquet)")
            print(f"  peak RSS: {memory_text(peaks)}")
            runs = __import__("pandas").read_csv(folders["reports"] / str(YEAR) / "runs.csv", encoding="utf-8-sig")
            unit_runs = runs[runs["unit_code"] != "overview"]["seconds"]
            print(f"  per unit in the workers: first units {sorted(unit_runs)[-2:]} s (load the tables), "
                  f"median {unit_runs.median():.2f} s")
            p = profile(codes[:6], folders["reports"] / "profile")
            print(f"  one warm kernel, 5 units: execute {p['pieces']['execute (papermill, total)']:.3f} s/unit; "
                  f"{p['cache']}; kernel RSS {p['kernel_rss_mb']:.0f} MB")
        finally:
            YEAR = saved


def tables_mb(folders) -> int:
    return round(sum(p.stat().st_size for p in folders["processed"].glob("*.parquet")) / 2**20)


# ---------------------------------------------------------------------------------------------

def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return (f"{os.cpu_count()} cores, {memory:.1f} GiB, {platform.platform()}, Python {platform.python_version()}; "
            f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def bench(n: int, args) -> None:
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as tmp:
        started = time.perf_counter()
        make_project(Path(tmp), n)
        codes = units_of(YEAR)
        print(f"\nN = {len(codes)} units (year {YEAR}, 3 charts each) — generated and ingested in "
              f"{time.perf_counter() - started:.1f} s; machine: {machine()}")
        k = min(args.baseline_units or len(codes), len(codes))
        a, a_mem = run_diy(codes[:k], Path(tmp) / "diy", args.baseline_jobs)
        b, b_mem = run_perfeval(args.jobs, args.kernel_reuse)
        c, c_mem = run_floor(codes, Path(tmp) / "floor", args.jobs)
        per_a, per_b, per_c = a / k, b / len(codes), c / len(codes)
        note = f", measured on the first {k} of {len(codes)} units" if k < len(codes) else ""
        print(f"(a) papermill CLI + jupyter nbconvert, {args.baseline_jobs} units at a time{note}: "
              f"{per_a:.3f} s/unit ({a:.1f} s)")
        print(f"    peak RSS: {memory_text(a_mem)}")
        reuse = f" --kernel-reuse {args.kernel_reuse}" if args.kernel_reuse else ""
        print(f"(b) perfeval run --jobs {args.jobs} --force{reuse} (+ overview, index): "
              f"{per_b:.3f} s/unit ({b:.1f} s)")
        print(f"    peak RSS: {memory_text(b_mem)}")
        print(f"(c) floor: plain Python, no kernel, {args.jobs} processes: {per_c:.3f} s/unit ({c:.1f} s)")
        print(f"    peak RSS: {memory_text(c_mem)}")
        print(f"a/b = {per_a / per_b:.1f}×   b/c = {per_b / per_c:.2f}×   "
              f"(targets at N = 200: b ≤ 0.35 s/unit, a/b ≥ 8, b/c ≤ 2)")
        if args.also_fresh:
            f, _ = run_perfeval(args.jobs, 1)
            print(f"(b′) perfeval run --kernel-reuse 1 (a fresh kernel per unit): {f / len(codes):.3f} s/unit")
        if args.profile_units:
            print_profile(profile(codes[:args.profile_units + 1], Path(tmp) / "profile"))
        print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[10], help="N: units per run (default 10)")
    parser.add_argument("--baseline-units", type=int, default=None, metavar="K",
                        help="measure (a) on the first K units only (it costs ~2.5 s a unit)")
    parser.add_argument("--baseline-jobs", type=int, default=2, help="units at a time in (a) (default 2)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of (b), processes of (c) (default 2)")
    parser.add_argument("--kernel-reuse", type=int, default=None, help="(b)'s --kernel-reuse (default: perfeval's)")
    parser.add_argument("--also-fresh", action="store_true", help="also time (b) with --kernel-reuse 1")
    parser.add_argument("--profile-units", type=int, default=20, help="units in the profile of (b) (0: none)")
    parser.add_argument("--rows", type=int, default=None,
                        help="instead: the data-scale run on this many synthetic indicator rows")
    parser.add_argument("--scale-units", type=int, default=40, help="units reported in the data-scale run")
    parser.add_argument("--floor-child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--codes", nargs="*", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_child:
        floor_child(args.codes, args.floor_child, args.jobs)
        return
    if args.rows:
        print(f"machine: {machine()}")
        data_scale(args.rows, args.scale_units, args.jobs)
        return
    for n in args.units:
        bench(n, args)


if __name__ == "__main__":
    main()
