"""The built wheel carries the whole package: every module folder and every template file."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "perfeval_lib"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # a copy of the sources, so the build leaves nothing (build/, *.egg-info) in the checkout
    source = tmp_path_factory.mktemp("source")
    subprocess.run(["cp", "-r", str(PACKAGE), str(ROOT / "pyproject.toml"), str(ROOT / "README.md"), str(source)],
                   check=True)
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                          str(out), str(source)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    [built] = out.glob("perfeval-*.whl")
    return zipfile.ZipFile(built)


def test_every_template_is_in_the_wheel(wheel):
    templates = sorted(str(p.relative_to(ROOT)) for p in (PACKAGE / "templates").rglob("*") if p.is_file())
    assert len(templates) > 20
    missing = sorted(set(templates) - set(wheel.namelist()))
    assert missing == []


def test_every_module_is_in_the_wheel(wheel):
    modules = sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    assert sorted(set(modules) - set(wheel.namelist())) == []


def test_the_version_comes_from_one_place(wheel):
    from perfeval_lib import __version__
    from perfeval_lib.core.version import __version__ as declared

    metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    assert f"Version: {declared}" in wheel.read(metadata).decode()
    assert __version__ == declared
    assert 'version = "' not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
