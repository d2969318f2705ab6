"""``perfeval run --scheduler``: the same batch on a Dask cluster (here a LocalCluster of two worker processes)."""
from __future__ import annotations

import distributed
import pandas as pd
import pytest

from perfeval_lib.batch.run import run_batch
from perfeval_lib.cli import main

from ..kits.project import html_problems


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes started before the project's env is set: like remote workers, they get the
    project's folders from the tasks only."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  scheduler_port=0) as local:
        yield local


@pytest.fixture(scope="module")
def batch(cluster, project):  # noqa: F811
    return run_batch(2022, force=True, progress=False, scheduler=cluster.scheduler_address,
                     out_dir=project["reports"] / "dask")


def test_every_unit_ok_with_runs_and_index(batch):
    assert [(r.unit_code, r.status) for r in batch.results] == [("T01", "ok"), ("T02", "ok"), ("T03", "ok")]
    assert batch.overview.status == "ok"
    for name in ("T01.html", "T02.html", "T03.html", "overview.html", "index.html", "runs.csv"):
        assert (batch.out_dir / name).is_file(), name
    runs = pd.read_csv(batch.out_dir / "runs.csv", encoding="utf-8-sig")
    assert runs["unit_code"].tolist() == ["T01", "T02", "T03", "overview"] and set(runs["status"]) == {"ok"}
    html = (batch.out_dir / "T01.html").read_text(encoding="utf-8")
    assert html_problems(html) == [] and html.count('class="pe-chart"') == 3


def test_workers_keep_their_kernels_between_units(batch, cluster):
    def kernels_started():
        from perfeval_lib.batch import kernels

        return kernels._POOL.started if kernels._POOL else 0

    with distributed.Client(cluster.scheduler_address) as client:
        started = client.run(kernels_started)
    assert 1 <= sum(started.values()) <= 2   # four notebooks, at most one kernel per worker


def test_a_failing_unit_is_recorded_failed_alone(batch, cluster, project, capsys):  # noqa: F811
    units_path = project["processed"] / "units.parquet"
    units = pd.read_parquet(units_path)
    try:
        units.assign(ruleset=units["ruleset"].where(units["unit_code"] != "T02", "mof-2099")).to_parquet(units_path)
        code = main(["run", "--year", "2022", "--scheduler", cluster.scheduler_address, "--out", str(batch.out_dir),
                     "-q"])
        assert code == 1
        runs = pd.read_csv(batch.out_dir / "runs.csv", encoding="utf-8-sig").set_index("unit_code")
        assert runs.loc["T02", "status"] == "failed" and runs.loc["T02", "failing_cell"] == 3
        assert "mof-2099" in runs.loc["T02", "error"]
        assert set(runs.drop(index="T02")["status"]) <= {"ok", "skipped"}
        assert (batch.out_dir / "failed" / "T02.ipynb").is_file()
        assert "失败 failed: T02" in capsys.readouterr().err
        assert "mof-2099" in (batch.out_dir / "index.html").read_text(encoding="utf-8")
    finally:
        units.to_parquet(units_path)



def test_an_unreachable_scheduler_is_a_clear_error(project, monkeypatch, capsys):  # noqa: F811
    from perfeval_lib.batch import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 2)
    assert main(["run", "--year", "2022", "--scheduler", "tcp://127.0.0.1:9", "-q"]) == 1
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
