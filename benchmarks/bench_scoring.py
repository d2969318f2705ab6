"""Benchmark: scoring a million indicator rows, and loading a 20k-row xlsx.

    python benchmarks/bench_scoring.py [--rows 1000000] [--xlsx-rows 20000]

Each case runs in a fresh child process so its peak memory (max RSS) is its own. Prints seconds per
stage and peak memory. Targets on a 2-core machine: ≤ 5 s and ≤ 2 GB for the million rows
(parquet → validated → scored → results); the xlsx at calamine speed (≈ 0.25 s for 20k × 12).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_million(rows: int, workdir: Path) -> dict:
    import pandas as pd

    from perfeval_lib.demo import synthetic_budget, synthetic_indicators

    indicators_path, budget_path = workdir / "indicators.parquet", workdir / "budget.parquet"
    if not indicators_path.exists():
        indicators = synthetic_indicators(rows, seed=1)
        indicators.to_parquet(indicators_path, index=False)
        synthetic_budget(indicators[["unit_code", "year"]].drop_duplicates(), seed=1).to_parquet(budget_path, index=False)
        return {"prepared": True}
    import perfeval_lib as pe
    from perfeval_lib.ingest.validate import validate

    timings = {}
    start = time.perf_counter()
    indicators = pd.read_parquet(indicators_path)
    budget = pd.read_parquet(budget_path)
    timings["read parquet"] = time.perf_counter() - start
    mark = time.perf_counter()
    indicators, issues = validate(indicators, "indicators")
    budget, budget_issues = validate(budget, "budget")
    timings["validate (pandera)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    evaluation = pe.evaluate(None, budget, indicators, ruleset="mof-2020")
    timings["score + totals + results + audit"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    return {"rows": len(indicators), "unit_years": len(evaluation.results), "findings": len(evaluation.findings),
            "errors": len(issues) + len(budget_issues), "seconds": timings, "peak_mb": _peak_mb()}


def child_xlsx(rows: int, workdir: Path) -> dict:
    import pandas as pd

    path = workdir / f"indicators_{rows}.xlsx"
    if not path.exists():
        from perfeval_lib.demo import synthetic_indicators

        frame = synthetic_indicators(rows, seed=2).head(rows)
        raw = pd.DataFrame({
            "单位编码": frame["unit_code"], "年度": frame["year"], "一级指标": frame["level1"],
            "二级指标": frame["level2"], "三级指标": frame["level3"], "指标性质": frame["kind"],
            # a leading "=" would make openpyxl write a formula; finance staff type the full-width "＝"
            "分值": frame["weight"], "年度指标值": frame["target_text"].str.replace("=", "＝", regex=False),
            "实际完成值": frame["actual_text"],
            "计量单位": frame["measure"], "自评得分": frame["claimed_score"], "偏差原因": frame["note"]})
        raw.to_excel(path, index=False, sheet_name="绩效指标", engine="openpyxl")
        return {"prepared": True}
    from perfeval_lib.ingest.tables import read_table

    start = time.perf_counter()
    raw = pd.read_excel(path, engine="calamine")
    calamine_only = time.perf_counter() - start
    start = time.perf_counter()
    loaded = read_table(path, "indicators")
    full = time.perf_counter() - start
    start = time.perf_counter()
    pd.read_excel(path, engine="openpyxl")
    openpyxl_only = time.perf_counter() - start
    return {"rows": len(loaded.frame), "columns": raw.shape[1], "errors": len(loaded.errors),
            "seconds": {"read_excel calamine": calamine_only, "read_table (calamine + parse + validate)": full,
                        "read_excel openpyxl (for comparison)": openpyxl_only}, "peak_mb": _peak_mb()}


def run_child(case: str, size: int, workdir: Path) -> dict:
    command = [sys.executable, __file__, "--child", case, "--size", str(size), "--workdir", str(workdir)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    parser.add_argument("--child", choices=["million", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        worker = child_million if args.child == "million" else child_xlsx
        print(json.dumps(worker(args.size, args.workdir), ensure_ascii=False))
        return
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        for case, size, label in (("million", args.rows, f"{args.rows:,} indicator rows"),
                                  ("xlsx", args.xlsx_rows, f"{args.xlsx_rows:,}-row xlsx")):
            run_child(case, size, workdir)  # prepare inputs outside the timed child
            result = run_child(case, size, workdir)
            print(f"\n{label}: {json.dumps({k: v for k, v in result.items() if k not in ('seconds', 'peak_mb')}, ensure_ascii=False)}")
            for stage, seconds in result["seconds"].items():
                print(f"  {stage:<45} {seconds:7.2f} s")
            print(f"  {'peak memory (max RSS)':<45} {result['peak_mb']:7.0f} MB")


if __name__ == "__main__":
    main()
