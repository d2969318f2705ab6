"""Every notebook runs on its defaults and on any unit / year choice, unit-years without a score included."""
from __future__ import annotations

import papermill as pm
import pytest

from ..kits.paths import ROOT


def execute(notebook: str, tmp_path, **parameters):
    out = tmp_path / f"out_{notebook}"
    pm.execute_notebook(str(ROOT / "notebooks" / notebook), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(ROOT), progress_bar=False, execution_timeout=300)
    return out


@pytest.mark.parametrize("parameters", [
    {},                                                          # all units, all years (a unit-year without a grade)
    {"units": ["HZFL"], "years": [2022]},                        # one unit with no recomputed score, one year
    {"units": ["d014", "HZFL"], "years": [2021, 2022]},          # D014 2021: weights do not add up (no score)
], ids=["defaults", "headline-only-unit", "unscored-unit-years"])
def test_trends_notebook(demo_processed, tmp_path, parameters):
    execute("trends.ipynb", tmp_path, processed_dir=str(demo_processed), **parameters)


@pytest.mark.parametrize("year", [2021, 2022])
def test_overview_notebook(demo_processed, tmp_path, year):
    execute("overview.ipynb", tmp_path, processed_dir=str(demo_processed), year=year)


@pytest.mark.parametrize("unit_code, year", [("HZFL", 2022), ("D014", 2021), ("d009", 2022)])
def test_unit_report_notebook(demo_processed, tmp_path, unit_code, year):
    execute("unit_report.ipynb", tmp_path, processed_dir=str(demo_processed), unit_code=unit_code, year=year)


def test_every_notebook_on_its_defaults(demo_processed, tmp_path, monkeypatch):
    # the defaults as committed (processed_dir empty → data/processed): point the project at the demo data
    monkeypatch.setenv("PERFEVAL_PROCESSED", str(demo_processed))
    for notebook in ("trends.ipynb", "overview.ipynb", "unit_report.ipynb"):
        execute(notebook, tmp_path)
