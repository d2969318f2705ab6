"""Benchmark: the four figures of a report run, each paired with its reference, in one run.

    python benchmarks/bench_cold.py                         # all four rows (≈ 6–10 min on 2 cores)
    python benchmarks/bench_cold.py --large 0               # skip the 200-unit row
    python benchmarks/bench_cold.py --repeat 5              # more pairs for rows 1, 2 and 4

| row | perfeval | against |
|---|---|---|
| 1. one unit's report from cold | ``perfeval run --year 2023 --units <U> --force`` (new processes) | the DIY way: the ``papermill`` command, then ``jupyter nbconvert --to html --no-input`` |
| 2. one year of the shipped data | ``perfeval run --year 2023 --force`` (24 units), per unit | the DIY way, one unit after another, per unit |
| 3. 200 units | ``perfeval run --year 2021 --jobs 2 --force`` (as ``bench_batch.py --units 200``), per unit | the floor: the same pages in plain Python, 2 processes, no kernel |
| 4. ``perfeval --version`` | the command | — |

Rows 1 and 2 run on a copy of the shipped ``data/raw`` (the demo district, 24 units in 2023, and
海珠区妇联) ingested into a temporary project; row 3 on 200 generated demo units (2021–2023). Every
command is a new process, as a scheduler or an analyst starts it; each pair runs one after the other
(the DIY unit, then perfeval's), ``--repeat`` times, and the median is printed. Timings are
printed, never asserted: the machine is shared, so read the ratios, and run it twice.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BIN = Path(sys.executable).parent
YEAR = 2023

import bench_batch  # noqa: E402  (the 200-unit project, the floor, the machine line)


def environment() -> dict[str, str]:
    """This process's environment, with this checkout first on the path (the kernels inherit it)."""
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(ROOT)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *path])}


def perfeval_command() -> list[str]:
    """The ``perfeval`` command of this interpreter's environment (the console script when installed)."""
    script = BIN / "perfeval"
    return [str(script)] if script.exists() else [sys.executable, "-m", "perfeval_lib.cli"]


def timed(command: list[str], check: bool = True) -> float:
    """Wall seconds of ``command`` run in a new process from the project root, output discarded."""
    started = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if check and run.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}")
    return seconds


def shipped_project(base: Path) -> dict[str, Path]:
    """A copy of the shipped raw data in ``base``, ingested; the environment points at it."""
    folders = {"raw": base / "raw", "processed": base / "processed", "reports": base / "reports",
               "params": base / "params"}
    shutil.copytree(ROOT / "data" / "raw", folders["raw"])
    for sub in ("rulesets", "narrative"):
        shutil.copytree(ROOT / "params" / sub, folders["params"] / sub)
    bench_batch.point_env_at(folders)
    run = subprocess.run([*perfeval_command(), "ingest"], cwd=ROOT, env=environment(), capture_output=True, text=True)
    if run.returncode not in (0, 1):     # the shipped demo data holds deliberate errors: 1 is expected
        raise RuntimeError(f"perfeval ingest failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return folders


def diy_unit(code: str, year: int, out: Path) -> float:
    """The DIY way for one unit, from cold: the papermill command, then jupyter nbconvert; wall seconds."""
    executed = out / f"{code}.ipynb"
    started = time.perf_counter()
    for command in ([str(BIN / "papermill"), str(ROOT / "notebooks" / "unit_report.ipynb"), str(executed),
                     "-p", "unit_code", code, "-p", "year", str(year), "-k", "python3", "--cwd", str(ROOT),
                     "--no-progress-bar"],
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
                     "--output-dir", str(out)]):
        run = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"{command[0]} failed:\n{run.stderr[-3000:]}")
    return time.perf_counter() - started


def row(what: str, ours: str, reference: str, ratio: str, goal: str) -> str:
    return f"| {what} | {ours} | {reference} | {ratio} | {goal} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="pairs for rows 1 and 2, runs for row 4 ×3 (default 3)")
    parser.add_argument("--large", type=int, default=200, help="units of row 3 (default 200; 0 skips it)")
    parser.add_argument("--jobs", type=int, default=2, help="perfeval run --jobs of rows 2 and 3 (default 2)")
    args = parser.parse_args()
    os.environ.update(environment())   # every command below, bench_batch's too, runs this checkout
    perfeval = perfeval_command()
    print(f"machine: {bench_batch.machine()}")
    print(f"perfeval: {' '.join(perfeval)} (PYTHONPATH={ROOT})")
    lines = []
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-cold-") as tmp:
        started = time.perf_counter()
        shipped_project(Path(tmp) / "shipped")
        codes = bench_batch.units_of(YEAR)
        print(f"shipped data copied and ingested in {time.perf_counter() - started:.1f} s: {len(codes)} units in {YEAR}")

        # row 4 first, while nothing else runs
        version = [timed([*perfeval, "--version"]) for _ in range(3 * args.repeat)]
        # row 2: the whole year (it also writes the overview once, as `make reports` does)
        year_runs = [timed([*perfeval, "run", "--year", str(YEAR), "--force", "-q", "--jobs", str(args.jobs)])
                     for _ in range(1)]
        # row 1: pairs, one unit each, a different unit each time
        diy, ours = [], []
        out = Path(tmp) / "diy"
        out.mkdir()
        for i in range(args.repeat):
            code = codes[i % len(codes)]
            diy.append(diy_unit(code, YEAR, out))
            ours.append(timed([*perfeval, "run", "--year", str(YEAR), "--units", code, "--force", "-q"]))
            print(f"  pair {i + 1}: {code}  DIY {diy[-1]:.2f} s   perfeval {ours[-1]:.2f} s")
        one_diy, one_ours = statistics.median(diy), statistics.median(ours)
        per_unit_24 = statistics.median(year_runs) / len(codes)
        lines.append(row(f"one unit's report from cold (`perfeval run --year {YEAR} --units U --force`), "
                         f"median of {args.repeat}", f"{one_ours:.2f} s", f"{one_diy:.2f} s (DIY)",
                         f"{one_ours / one_diy:.2f}× DIY", "≤ 0.5× DIY"))
        lines.append(row(f"{len(codes)} units (`perfeval run --year {YEAR} --force --jobs {args.jobs}`)",
                         f"{per_unit_24:.3f} s/unit", f"{one_diy:.2f} s/unit (DIY, sequential)",
                         f"{one_diy / per_unit_24:.1f}× faster", "≥ 12× DIY"))
        print(f"row 2: {statistics.median(year_runs):.1f} s for {len(codes)} units")

    if args.large:
        with tempfile.TemporaryDirectory(prefix="perfeval-bench-large-") as tmp:
            started = time.perf_counter()
            bench_batch.make_project(Path(tmp), args.large)
            codes = bench_batch.units_of(bench_batch.YEAR)
            print(f"{len(codes)} units generated and ingested in {time.perf_counter() - started:.1f} s")
            ours, _ = bench_batch.run_perfeval(args.jobs)
            floor, _ = bench_batch.run_floor(codes, Path(tmp) / "floor", args.jobs)
            lines.append(row(f"{len(codes)} units (`perfeval run --year {bench_batch.YEAR} --force --jobs {args.jobs}`)",
                             f"{ours / len(codes):.3f} s/unit", f"{floor / len(codes):.3f} s/unit (floor)",
                             f"{ours / floor:.2f}× the floor", "≤ 1.3× the floor"))
    lines.append(row(f"`perfeval --version`, median of {len(version)}", f"{statistics.median(version):.2f} s", "—",
                     "—", "≤ 0.3 s"))
    print()
    print(row("what", "perfeval", "reference", "ratio", "goal"))
    print("|---|---|---|---|---|")
    print("\n".join(lines))
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
