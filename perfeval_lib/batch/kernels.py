"""Warm Jupyter kernels for ``perfeval run``: one kernel per pool (one pool per batch thread), started once, reused.

Starting a kernel and importing pandas and perfeval in it costs about 0.7 s, several times the
report itself. A :class:`KernelPool` keeps one ``python3`` kernel (the process's pool is a module global,
so a Dask worker keeps its kernel between tasks; each thread of a local batch has a pool of its own) and
lends it to papermill:
``papermill.execute_notebook(..., km=manager)`` runs the notebook on a kernel that is already
running, and nbclient then neither starts nor stops it. Every report is still a genuinely executed
notebook, with papermill's parameters cell and timing metadata.

Before a kernel runs its next notebook (not its first: it is fresh) it is reset to what a fresh kernel
shows a notebook:
the user namespace is cleared (``%reset -f``), the execution count set back to 1 (cell numbers are
those of a fresh kernel), all figures closed, matplotlib's rcParams restored to those of a fresh
import, the warning filters and the working folder restored and the "shown once" warning registries
cleared (a fresh kernel would show those warnings again). Imported modules and their caches are kept
on purpose — that is the point: the processed tables (:func:`perfeval_lib.core.store.processed_tables`),
the district's evaluation (:func:`perfeval_lib.render.report.unit_report`), rulesets, templates and the
registered font are loaded once per kernel, and each of those caches is keyed on its files' modification
times, so new data is read again.

A kernel is never reused after a unit fails (a cell error; a timeout, after which the cell may still
be running; a dead kernel): it is killed and the next unit gets a new one. It is also replaced after
``reuse`` units (1 = a fresh kernel for every unit) and when a unit asks for another working folder,
environment or kernel.

Kernels talk to their worker over Unix sockets (ZMQ's ``ipc`` transport) in a private folder made
for each kernel (mode 0700), not over TCP ports: two kernels started at the same moment by two workers
can never pick the same port, because there are none — with TCP, each worker asks the OS for free
ports, closes them and hands them to its kernel, and another worker's kernel can take one in between
(``ZMQError: Address already in use``). The kernel's own output (a crash before it can talk) goes to
a log file in that folder, never to the terminal. A kernel that does not start is started once more;
when that fails too the unit fails with one line — the last line of the kernel's log — in ``runs.csv``.

All kernel work runs on one thread per pool, so the kernel client's asyncio sockets always live on
the same event loop, whichever thread (a batch thread, a Dask executor thread) submits the unit; units
on one pool therefore run one after the other. A process has one pool (:func:`kernel_pool`); a thread may
have its own (:func:`bind_kernel_pool`): ``perfeval run --jobs N`` drives N kernels from N threads.

Examples
--------
>>> spec = KernelSpec(cwd="/srv/perfeval", env=(("PERFEVAL_PROCESSED", "/data/processed"),))
>>> spec.name, spec.environment({"HOME": "/root"})["PERFEVAL_PROCESSED"]
('python3', '/data/processed')
>>> pool = kernel_pool()                                                # doctest: +SKIP
>>> node = pool.run(lambda km: papermill.execute_notebook(            # doctest: +SKIP
...     "nb.ipynb", "out.ipynb", kernel_name="python3", km=km), spec, reuse=50)
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures as cf
import dataclasses
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from jupyter_client import AsyncKernelManager
from jupyter_core.utils import ensure_event_loop

from ..core.errors import KernelError
from .kernel_manager import WarmManager, remove_orphan_folders

T = TypeVar("T")

#: Units a kernel runs before it is replaced (``perfeval run --kernel-reuse``). A new kernel costs ≈ 1 s of CPU
#: (its start, the imports, the district's evaluation: about ten units' worth), and a kernel's memory stays
#: flat from its second unit on (240 MB after 2, 101 and 200 units of a 200-unit district).
DEFAULT_REUSE = 200
#: The kernel every report notebook runs on: the interpreter running perfeval.
KERNEL_NAME = "python3"
#: Seconds a kernel may take to start, and a reset or an inspection to answer.
STARTUP_TIMEOUT = 60
REQUEST_TIMEOUT = 60
#: Times a kernel is started before the unit fails (a kernel that dies while starting is started again).
START_ATTEMPTS = 2

# Runs once in every new kernel, before its first notebook: what a reset restores later.
_SNAPSHOT = """\
import os as _os, sys as _sys, types as _types, warnings as _warnings
_state = _types.ModuleType("_perfeval_kernel_state")
_state.cwd, _state.filters = _os.getcwd(), list(_warnings.filters)
_sys.modules[_state.__name__] = _state
del _os, _sys, _types, _warnings, _state
"""

# Imports what the notebooks will import, binding no name (silently, before the first notebook); what
# is loaded then is long-lived, so it is frozen out of the garbage collector's walks, as after a reset.
_PRELOAD = """\
def _perfeval_preload(names):
    import gc, importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    gc.freeze()
_perfeval_preload({names!r})
del _perfeval_preload
"""

# Runs between two notebooks on the same kernel (silently: it does not count as a cell).
_RESET = """\
def _perfeval_reset():
    import gc, os, sys, warnings
    shell = get_ipython()
    shell.run_line_magic("reset", "-f")
    shell.execution_count = 1
    state = sys.modules["_perfeval_kernel_state"]
    os.chdir(state.cwd)
    warnings.filters[:] = state.filters
    warnings.onceregistry.clear()
    for module in list(sys.modules.values()):   # each module's own namespace: a module's __getattr__ may import
        namespace = getattr(module, "__dict__", None)
        registry = namespace.get("__warningregistry__") if isinstance(namespace, dict) else None
        if isinstance(registry, dict):
            registry.clear()
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close("all")
        matplotlib.rc_file_defaults()   # rcParams as a fresh import reads them (charts.setup_fonts re-applies its style)
    # %reset has just collected the last notebook's garbage; what is left (modules, caches) is
    # long-lived: freezing it keeps the next reset's collection from walking it all again (0.2 s)
    gc.freeze()
_perfeval_reset()
"""




@dataclasses.dataclass(frozen=True)
class KernelSpec:
    """How a kernel is started; a unit that asks for a different one gets a new kernel.

    Parameters
    ----------
    name : str
        The kernel spec (``python3``: the interpreter running perfeval).
    cwd : str
        The kernel's working folder (the project root).
    env : tuple of (str, str)
        Environment variables set for the kernel on top of this process's environment.
    extra_arguments : tuple of str
        Command-line arguments for the kernel.

    Examples
    --------
    >>> KernelSpec(env=(("A", "1"),)).environment({"A": "0", "B": "2"})
    {'A': '1', 'B': '2'}
    """

    name: str = KERNEL_NAME
    cwd: str = ""
    env: tuple[tuple[str, str], ...] = ()
    extra_arguments: tuple[str, ...] = ("--IPKernelApp.log_level=CRITICAL",)

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """This process's environment (or ``base``) with the spec's variables set.

        Parameters
        ----------
        base : dict, optional
            The environment to start from (default ``os.environ``).

        Returns
        -------
        dict
            A new dict; ``base`` is not changed.

        Examples
        --------
        >>> KernelSpec(env=(("PERFEVAL_ROOT", "/srv"),)).environment({})
        {'PERFEVAL_ROOT': '/srv'}
        """
        return {**(os.environ if base is None else base), **dict(self.env)}


class KernelPool:
    """One reusable kernel for this process, lent to one notebook run at a time.

    Use :func:`kernel_pool` for the process's pool; create one directly only in tests.

    Attributes
    ----------
    started : int
        Kernels started by this pool so far.
    failed_starts : int
        Kernel starts that failed (each was tried again, up to ``START_ATTEMPTS`` times in all).
    units : int
        Notebooks run on the current kernel so far.

    Examples
    --------
    >>> pool = KernelPool()
    >>> pool.started, pool.alive
    (0, False)
    >>> pool.close()
    """

    def __init__(self) -> None:
        if os.name == "posix":
            remove_orphan_folders()   # what runs killed outright left behind
        self._thread = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="perfeval-kernel")
        self._manager: WarmManager | None = None
        self._spec: KernelSpec | None = None
        self.started = 0
        self.failed_starts = 0
        self.units = 0
        self.timings: dict[str, float] = {"start": 0.0, "reset": 0.0, "stop": 0.0}

    # -- public: each call runs on the pool's thread --------------------------------------------

    @property
    def alive(self) -> bool:
        """Whether a kernel is running (and not yet known to be dead).

        Examples
        --------
        >>> pool = KernelPool()
        >>> pool.alive
        False
        >>> pool.close()
        """
        return self._manager is not None

    def run(self, call: Callable[[AsyncKernelManager], T], spec: KernelSpec, reuse: int = DEFAULT_REUSE) -> T:
        """``call(manager)`` with a ready kernel; the kernel is replaced when ``call`` raises.

        Parameters
        ----------
        call : callable
            Receives the kernel manager (e.g. to pass as papermill's ``km=``); its result is returned.
        spec : KernelSpec
            The kernel wanted; a running kernel started otherwise is replaced.
        reuse : int
            Notebooks a kernel runs before it is replaced (1: a fresh kernel each time).

        Returns
        -------
        object
            What ``call`` returned (papermill: the executed notebook).

        Raises
        ------
        Exception
            Whatever ``call`` raised (the kernel is killed first), or :class:`KernelError`.

        Examples
        --------
        >>> pool = kernel_pool()                                                # doctest: +SKIP
        >>> pool.run(lambda km: papermill.execute_notebook(                    # doctest: +SKIP
        ...     "nb.ipynb", "out.ipynb", kernel_name="python3", km=km), KernelSpec(cwd="."), reuse=50)
        >>> pool.started, pool.units                                            # doctest: +SKIP
        (1, 1)
        """
        return self._thread.submit(self._run, call, spec, max(1, int(reuse))).result()

    def prestart(self, spec: KernelSpec, preload: tuple[str, ...] | list[str] = ()) -> None:
        """Start a kernel of ``spec`` in the background unless one is running; returns at once.

        The kernel boots — and imports the modules the notebooks will import — while the caller plans
        the run and imports papermill and nbconvert, instead of after. Only ``sys.modules`` changes: the
        notebook's namespace stays that of a fresh kernel (the modules are imported, no name is bound),
        as it is on a reused kernel.

        Parameters
        ----------
        spec : KernelSpec
            The kernel to start.
        preload : sequence of str
            Modules to import in the kernel once it runs (see :func:`notebook_imports`); one that
            cannot be imported is left for the notebook to report.

        Examples
        --------
        >>> kernel_pool().prestart(KernelSpec(cwd="/srv/perfeval"), ["perfeval_lib.render.report"])  # doctest: +SKIP
        """
        self._thread.submit(self._prestart, spec, tuple(preload))

    def evaluate(self, expression: str) -> str:
        """``repr`` of ``expression`` evaluated in the current kernel (for tests and benchmarks).

        Parameters
        ----------
        expression : str
            A Python expression.

        Returns
        -------
        str
            Its ``repr`` in the kernel.

        Raises
        ------
        KernelError
            When no kernel is running or the expression raised.

        Examples
        --------
        >>> kernel_pool().evaluate("len(sys.modules) > 0")                      # doctest: +SKIP
        'True'
        """
        return self._thread.submit(self._evaluate, expression).result()

    def stop(self, now: bool = False) -> None:
        """Shut the kernel down (the next :meth:`run` starts a new one).

        Parameters
        ----------
        now : bool
            Kill the kernel's process instead of asking it to shut down (it holds nothing to save).

        Examples
        --------
        >>> kernel_pool().stop()                                                # doctest: +SKIP
        """
        try:
            future = self._thread.submit(self._stop, now)
        except RuntimeError:  # the interpreter is exiting and has already ended the pool's thread
            self._stop(now)
        else:
            future.result()

    def close(self) -> None:
        """Kill the kernel (a batch's kernel holds nothing to save) and end the pool's thread.

        Examples
        --------
        >>> KernelPool().close()
        """
        try:
            self.stop(now=True)
        finally:
            self._thread.shutdown(wait=True)

    # -- on the pool's thread ---------------------------------------------------------------------

    def _await(self, coroutine, timeout: float | None = None):
        if timeout is not None:
            coroutine = asyncio.wait_for(coroutine, timeout)
        # the loop nbclient's run_sync uses on this thread: the client's sockets stay on one loop
        return ensure_event_loop().run_until_complete(coroutine)

    def _run(self, call, spec: KernelSpec, reuse: int):
        manager = self._ready(spec, reuse)
        try:
            result = call(manager)
        except BaseException:
            self._stop(now=True)   # failed, timed out or died: its state is unknown, never reuse it
            raise
        self.units += 1
        if self.units >= reuse:   # retire it now, on this thread, while the caller exports the HTML
            self._thread.submit(self._retire, manager)
        return result

    def _prestart(self, spec: KernelSpec, preload: tuple[str, ...]) -> None:
        if self._manager is not None:
            return
        try:
            self._start(spec)
        except KernelError:  # the unit's own run will try again, and report what fails
            return
        if preload:
            try:
                self._request(_PRELOAD.format(names=list(preload)))
            except Exception:  # a kernel in doubt is not lent: the unit's run starts another
                self._stop(now=True)

    def _retire(self, manager: WarmManager) -> None:
        if self._manager is manager:
            self._stop()

    def _ready(self, spec: KernelSpec, reuse: int) -> WarmManager:
        if self._manager is not None and (spec != self._spec or self.units >= reuse
                                          or not self._await(self._manager.is_alive())):
            self._stop(now=True)
        if self._manager is None:
            self._start(spec)
            return self._manager
        if self.units == 0:   # started (and preloaded) but not lent yet: what a fresh kernel shows already
            return self._manager
        try:
            self._timed("reset", self._request, _RESET)
        except Exception:  # a reset that fails: start afresh rather than run on a doubtful kernel
            self._stop(now=True)
            self._start(spec)
        return self._manager

    def _start(self, spec: KernelSpec) -> None:
        started = time.perf_counter()
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                self._launch(spec)
                break
            except KernelError as exc:
                self.failed_starts += 1
                if attempt == START_ATTEMPTS:
                    raise KernelError(f"{exc}（已试 {attempt} 次 / tried {attempt} times）") from None
        self.started += 1
        self.timings["start"] += time.perf_counter() - started

    def _launch(self, spec: KernelSpec) -> None:
        manager = WarmManager.in_folder(spec.name, STARTUP_TIMEOUT)
        arguments = [*spec.extra_arguments, "--HistoryManager.hist_file=:memory:"]  # as nbclient starts kernels
        try:
            with open(manager.log_path, "wb") as log:  # the kernel's own stdout/stderr: never the terminal
                self._await(manager.start_kernel(extra_arguments=arguments, cwd=spec.cwd or None,
                                                 env=spec.environment(), stdout=log, stderr=log), STARTUP_TIMEOUT)
            client = manager.client()
            client.start_channels()
            self._await(client.wait_for_ready(timeout=STARTUP_TIMEOUT))
            self._manager, self._spec, self.units = manager, spec, 0
            self._request(_SNAPSHOT)
        except Exception as exc:
            self._manager = manager
            self._stop(now=True, keep_folder=True)       # the process is gone: its log is complete
            said = manager.last_log_line() or f"{type(exc).__name__}: {exc}".splitlines()[0]
            manager.remove_folder()
            raise KernelError(f"内核启动失败 / the kernel did not start: {said}") from None

    def _stop(self, now: bool = False, keep_folder: bool = False) -> None:
        manager, self._manager, self._spec, self.units = self._manager, None, None, 0
        if manager is None:
            return
        started = time.perf_counter()
        try:
            if manager._client is not None:
                manager._client.stop_channels()
            try:
                self._await(manager.shutdown_kernel(now=now), 30)
            except Exception:  # already gone, or refusing to go: make sure, then forget it
                try:
                    self._await(manager.shutdown_kernel(now=True), 10)
                except Exception:
                    pass
        finally:
            if not keep_folder:
                manager.remove_folder()
        self.timings["stop"] += time.perf_counter() - started

    def _timed(self, name: str, function, *args):
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.timings[name] += time.perf_counter() - started

    def _request(self, code: str, expressions: dict[str, str] | None = None) -> dict:
        """Run ``code`` silently (no cell number, no history); wait for the kernel to be idle again."""
        return self._await(self._execute(code, expressions or {}), REQUEST_TIMEOUT)

    async def _execute(self, code: str, expressions: dict[str, str]) -> dict:
        client = self._manager.client()
        msg_id = client.execute(code, silent=True, store_history=False, user_expressions=expressions,
                                allow_stdin=False)
        while True:
            reply = await client.get_shell_msg()
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        while True:  # drain IOPub up to our idle, so the next notebook starts on a quiet channel
            message = await client.get_iopub_msg()
            if (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                    and message["content"]["execution_state"] == "idle"):
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")
        return content

    def _evaluate(self, expression: str) -> str:
        if self._manager is None:
            raise KernelError("没有运行中的内核 / no kernel is running")
        found = self._request("", {"value": expression})["user_expressions"]["value"]
        if found["status"] != "ok":
            raise KernelError(f"{found.get('ename')}: {found.get('evalue')}")
        return found["data"]["text/plain"]


_POOL: KernelPool | None = None
_POOL_LOCK = threading.Lock()


_BOUND = threading.local()


def bind_kernel_pool(pool: KernelPool | None) -> None:
    """Make ``pool`` the kernel pool of the calling thread (``None``: the process's pool again).

    :class:`perfeval_lib.batch.executors.LocalExecutor` gives each of its threads a pool of its own, so
    ``--jobs`` kernels run side by side, each driven by one thread of this process.

    Parameters
    ----------
    pool : KernelPool or None
        The thread's pool.

    Examples
    --------
    >>> other = KernelPool()
    >>> bind_kernel_pool(other); kernel_pool() is other
    True
    >>> bind_kernel_pool(None); kernel_pool() is other
    False
    >>> other.close()
    """
    _BOUND.pool = pool


def kernel_pool() -> KernelPool:
    """The calling thread's kernel pool: the one bound to it (:func:`bind_kernel_pool`), else the process's.

    The process's pool is created on first use; its kernel is shut down when the process exits.

    Returns
    -------
    KernelPool
        The same pool on every call in a thread.

    Examples
    --------
    >>> kernel_pool() is kernel_pool()
    True
    """
    bound = getattr(_BOUND, "pool", None)
    if bound is not None:
        return bound
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = KernelPool()
            atexit.register(_POOL.close)
        return _POOL


def task_kernel(task: dict) -> KernelSpec:
    """The kernel a batch task runs on: ``python3`` in the task's project folder, with its folders.

    Parameters
    ----------
    task : dict
        A task of :func:`perfeval_lib.batch.run.unit_tasks` (plain data): ``cwd`` (the project root) and
        ``env`` (``PERFEVAL_*`` variable → folder).

    Returns
    -------
    KernelSpec
        The same spec for the same task on any worker, so tasks of one project share a warm kernel.

    Examples
    --------
    >>> spec = task_kernel({"cwd": "/srv/perfeval", "env": {"PERFEVAL_ROOT": "/srv/perfeval"}})
    >>> spec.name, spec.cwd, spec.env
    ('python3', '/srv/perfeval', (('PERFEVAL_ROOT', '/srv/perfeval'),))
    """
    return KernelSpec(name=KERNEL_NAME, cwd=task["cwd"], env=tuple(sorted(task["env"].items())))

