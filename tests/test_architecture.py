"""The architecture contract: layers import one way, no import cycle, the demo generator stays apart.

The layer order and the demo rule are import-linter contracts in ``pyproject.toml`` (``lint-imports``);
cycles are found here over grimp's import graph, which counts imports inside functions too.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "perfeval_lib"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 600


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a list of names."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def _graph_of(root: Path, package: str) -> grimp.ImportGraph:
    sys.path.insert(0, str(root))
    try:
        return grimp.build_graph(package, cache_dir=None)
    finally:
        sys.path.remove(str(root))


def _library_modules(graph: grimp.ImportGraph, package: str) -> set[str]:
    # The package root only re-exports the public API; every other module is the library proper.
    return {m for m in graph.modules if m != package}


def test_no_import_cycle_in_the_library():
    graph = _graph_of(ROOT, "perfeval_lib")
    assert _cycles(graph, _library_modules(graph, "perfeval_lib")) == []


def test_the_cycle_check_sees_imports_inside_functions(tmp_path):
    package = tmp_path / "cyclepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text(textwrap.dedent("""
        def later():
            from . import a  # hidden inside a function, still a cycle
            return a
    """))
    graph = _graph_of(tmp_path, "cyclepkg")
    assert _cycles(graph, _library_modules(graph, "cyclepkg")) == [["cyclepkg.a", "cyclepkg.b"]]


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="lint-imports is installed by `make setup`")
def test_layer_contract_holds():
    run = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="lint-imports is installed by `make setup`")
def test_layer_contract_fails_on_an_upward_import(tmp_path):
    """A copy of the package in which core imports render must break the contract."""
    copy = tmp_path / "perfeval_lib"
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy)], check=True)
    (copy / "core" / "upward.py").write_text("def f():\n    from ..render import charts\n    return charts\n")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.returncode != 0
    assert "perfeval_lib.core.upward -> perfeval_lib.render.charts" in run.stdout


def test_no_module_over_the_size_limit():
    too_long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert too_long == {}
