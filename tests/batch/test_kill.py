"""Nothing lost when `perfeval run` is killed (SIGKILL) mid-batch: every report on disk is a complete
file (the previous one or the new one), and the next run completes the batch."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


COMPLETE_PAGES = ("T01.html", "T02.html", "T03.html", "overview.html", "index.html")


def _run(*args):
    return [sys.executable, "-m", "perfeval_lib.cli", "run", "--year", "2022", "-q", *args]


def _is_complete(path) -> bool:
    text = path.read_text(encoding="utf-8")
    return text.lstrip().startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>") and "<title>" in text


def test_sigkill_mid_batch_loses_nothing_and_the_next_run_completes(project):  # noqa: F811
    out = project["reports"] / "2022"
    first = subprocess.run(_run("--jobs", "1", "--force"), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    previous = {name: (out / name).read_text(encoding="utf-8") for name in COMPLETE_PAGES}

    started = time.time()
    victim = subprocess.Popen(_run("--jobs", "1", "--force"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = started + 120
        while time.time() < deadline:  # kill once the new batch has replaced at least one report
            if any((out / n).stat().st_mtime > started for n in ("T01.html", "T02.html", "T03.html")):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the batch wrote no report in 120 s")
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)

    for name in COMPLETE_PAGES:
        path = out / name
        assert path.exists(), name
        text = path.read_text(encoding="utf-8")
        assert _is_complete(path), f"{name} is a partial file"
        assert text == previous[name] or "<title>" in text
    assert not [p.name for p in out.glob("*.html") if not _is_complete(p)]

    rerun = subprocess.run(_run("--jobs", "2"), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    for name in COMPLETE_PAGES:
        assert _is_complete(out / name)
    runs = (out / "runs.csv").read_text(encoding="utf-8-sig")
    assert "failed" not in runs
    assert not list(out.glob(".*.tmp")) and not list((out / ".work").glob("*"))  # the killed run's leftovers
