"""Benchmark: the time to draw each chart of the pages (SVG) and of the Word draft (PNG), on the demo data.

    python benchmarks/bench_charts.py [--repeat 20] [--year 2023]

Needs the processed demo tables (``perfeval ingest``). For each chart of the year overview, the trends page
and a unit's page it prints the milliseconds per drawing (the best of ``--repeat`` runs' mean, after one
warm-up) and the size of the result; then the Word draft's three PNG charts the same way, and the time a
fresh interpreter takes to import the overview page's module (and whether that loads matplotlib).
Timings are printed, never asserted; the machine is shared, so run it twice.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(function, repeat: int) -> tuple[float, object]:
    """Milliseconds per call (the best of three means of ``repeat`` calls), and the last result."""
    result = function()
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            result = function()
        best = min(best, (time.perf_counter() - started) / repeat * 1000)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--year", type=int, default=2023)
    args = parser.parse_args()

    from perfeval_lib.render import overview as ov
    from perfeval_lib.render import report, svg
    from perfeval_lib.review.audit import FINDING_LABELS

    o = ov.year_overview(args.year)
    everyone, few = ov.trends(), ov.trends(units=["D001", "D009"])
    rows = o.results.assign(label=[str(i + 1) for i in range(len(o.results))]).dropna(subset=["execution_rate", "score"])
    district = everyone.district[["unit_code", "unit_name", "year", "score"]]
    r = report.unit_report("D001", args.year)
    unit_data = {key: data(r) for key, (data, _, _) in report.FIGURES.items()}
    page = {
        "overview grade_counts": lambda: svg.grade_counts(o.results[["grade", "claimed_grade"]]),
        "overview rate_vs_score": lambda: svg.rate_vs_score(rows[["unit_name", "execution_rate", "score", "label"]],
                                                            ov.grade_bands(o.results)),
        "overview score_gaps": lambda: svg.score_gaps(o.results[["unit_name", "score", "claimed_score"]]),
        "overview findings_by_kind": lambda: svg.findings_by_kind(o.findings[["code", "severity"]], labels=FINDING_LABELS),
        "trends unit_lines (2 units)": lambda: svg.unit_lines(few.results[["unit_code", "unit_name", "year",
                                                                           "execution_rate", "score"]]),
        "trends ranks_over_years (2 units)": lambda: svg.ranks_over_years(district, few.units),
        f"trends rank_panels ({len(everyone.units)} units)": lambda: svg.rank_panels(district, everyone.units),
        **{f"unit page {key}": (lambda key=key: report.FIGURES[key][1](unit_data[key])) for key in report.FIGURES},
    }
    print(f"SVG charts of the pages (demo data, year {args.year}), ms per chart:")
    for name, function in page.items():
        ms, chart = timed(function, args.repeat)
        print(f"  {name:40s} {ms:7.2f} ms  {len(chart.svg.encode('utf-8')):7,d} bytes")

    from perfeval_lib.render import charts
    from perfeval_lib.render.draft_figures import PNG_CHARTS

    print("PNG charts of the Word draft (matplotlib, drawn and encoded), ms per chart:")
    for key, function in PNG_CHARTS.items():
        ms, png = timed(lambda function=function, key=key: charts.figure_png(function(unit_data[key])),
                        max(args.repeat // 4, 1))
        print(f"  {'draft ' + key:40s} {ms:7.2f} ms  {len(png):7,d} bytes")

    code = ("import sys, time; s = time.perf_counter(); import perfeval_lib.render.overview; "
            "print(f'{time.perf_counter() - s:.3f}', 'matplotlib' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split() for _ in range(3)]
    print(f"import perfeval_lib.render.overview in a fresh interpreter: {min(float(s) for s, _ in runs):.3f} s "
          f"(matplotlib loaded: {runs[0][1]})")


if __name__ == "__main__":
    main()
