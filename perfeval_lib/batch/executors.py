"""Where ``perfeval run`` runs its notebooks: kernels driven from threads of this process, or a Dask cluster.

Both are :class:`concurrent.futures.Executor` objects, so the batch submits the same task function
with the same arguments (plain, picklable data: paths as strings) and collects results the same way,
whichever runs them. Each thread, or each Dask worker, keeps one warm kernel between tasks
(:mod:`perfeval_lib.batch.kernels`).

* Local (the default): a :class:`LocalExecutor` — ``jobs`` threads of this process, each driving a
  kernel of its own; the first is the kernel started before anything else
  (:func:`perfeval_lib.batch.project.prestart_kernel`), so one unit needs nothing more. A kernel is a
  process of its own: the units run side by side on the cores while the threads pass their messages.
  A ``distributed.LocalCluster`` would do the same work with a scheduler, a nanny per worker and a few
  TCP ports opened on the machine; threads start at once, need no network and no extra package for a
  single machine.
* ``scheduler="tcp://host:8786"``: ``distributed.Client(address).get_executor()`` on a cluster
  started with ``dask scheduler`` and ``dask worker tcp://host:8786`` — every worker needs the
  project checkout, the data and the same virtual environment at the same paths.

Examples
--------
>>> with open_executor(jobs=1) as pool:                                  # one thread, this process's kernel
...     pool.submit(sum, [1, 2]).result()
3
>>> with open_executor(scheduler="tcp://10.0.0.5:8786") as pool:       # doctest: +SKIP
...     futures = [pool.submit(run_unit, task) for task in tasks]
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import queue
from collections.abc import Callable, Iterator

from ..core.errors import PerfevalError
from . import kernels

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 20


class LocalExecutor(cf.Executor):
    """``jobs`` threads of this process, each driving a warm kernel of its own.

    The work of a unit is done in its kernel, a process of its own; what the thread does — papermill's
    bookkeeping, the kernel's messages, the HTML export — is ≈ 0.01 s of CPU a unit, so one process
    drives ``jobs`` kernels side by side. The first thread uses this process's kernel pool (its kernel
    started before anything else, :func:`perfeval_lib.batch.project.prestart_kernel`); each other thread
    gets a pool of its own (:func:`perfeval_lib.batch.kernels.bind_kernel_pool`), whose kernel starts —
    through ``warmup`` — as the executor opens, and is shut down with it. A worker process per kernel
    would cost ≈ 1.4 s of CPU to start (an interpreter importing pandas, papermill and nbconvert) and
    170 MB, for nothing a thread does not do.

    Parameters
    ----------
    jobs : int
        Tasks run at once: kernels, and threads driving them.
    warmup : callable, optional
        Run as ``warmup(*args)`` for each thread's own pool as the executor opens (bound to it; not for
        this process's pool, started already).
    *args
        Its arguments.

    Examples
    --------
    >>> with LocalExecutor(2) as pool:
    ...     sorted(pool.map(abs, [-2, 1, -3]))
    [1, 2, 3]
    """

    def __init__(self, jobs: int, warmup: Callable | None = None, *args) -> None:
        jobs = max(1, int(jobs))
        self._own = [kernels.KernelPool() for _ in range(jobs - 1)]
        for pool in self._own:   # their kernels start now, in the background
            if warmup is not None:
                with _bound(pool):
                    warmup(*args)
        self._pools: queue.SimpleQueue = queue.SimpleQueue()
        for pool in [kernels.kernel_pool(), *self._own]:
            self._pools.put(pool)
        self._threads = cf.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="perfeval-unit",
                                              initializer=self._bind)

    def _bind(self) -> None:
        """A new thread takes the next pool for good (the first thread: this process's)."""
        kernels.bind_kernel_pool(self._pools.get_nowait())

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        return self._threads.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=cancel_futures)
        for pool in self._own:
            pool.close()

    def __exit__(self, exc_type, exc, traceback) -> bool:
        # leaving on an error or Ctrl-C: the units not started yet are dropped, the running ones end
        self.shutdown(wait=True, cancel_futures=exc_type is not None)
        return False


@contextlib.contextmanager
def _bound(pool: kernels.KernelPool) -> Iterator[None]:
    """``pool`` as this thread's kernel pool for the block."""
    kernels.bind_kernel_pool(pool)
    try:
        yield
    finally:
        kernels.bind_kernel_pool(None)


@contextlib.contextmanager
def dask_executor(address: str, warmup: Callable | None = None, *args) -> Iterator[cf.Executor]:
    """A concurrent.futures executor on the Dask cluster whose scheduler is at ``address``.

    Tasks are submitted with ``pure=False``: running a unit twice (``--force``) is two tasks, never
    one result served from the cluster's memory. ``warmup(*args)`` runs once on every worker
    connected now (it must return quickly: it runs on the worker's event loop).

    Parameters
    ----------
    address : str
        The scheduler, e.g. ``tcp://10.0.0.5:8786``.
    warmup : callable, optional
        Run as ``warmup(*args)`` on every worker connected now.
    *args
        Its arguments.

    Yields
    ------
    concurrent.futures.Executor
        The cluster's executor; shut down (and the client closed) when the block ends.

    Raises
    ------
    PerfevalError
        When ``dask[distributed]`` is not installed, or the scheduler does not answer within
        ``CONNECT_TIMEOUT`` seconds.

    Examples
    --------
    >>> with dask_executor("tcp://127.0.0.1:8786") as pool:                # doctest: +SKIP
    ...     pool.submit(sum, [1, 2]).result()
    3
    """
    try:
        from distributed import Client
    except ImportError:  # an optional dependency: only --scheduler needs it
        raise PerfevalError("--scheduler 需要 dask[distributed] / needs dask[distributed]: "
                            "pip install 'dask[distributed]'") from None
    try:
        client = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise PerfevalError(f"无法连接 Dask 调度器 / cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        if warmup is not None:
            client.run(warmup, *args)
        executor = client.get_executor(pure=False)
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)


@contextlib.contextmanager
def open_executor(jobs: int | None = None, scheduler: str | None = None, warmup: Callable | None = None,
                  *args) -> Iterator[cf.Executor]:
    """The executor of a batch: the Dask cluster at ``scheduler`` if given, else kernels driven by threads here.

    Parameters
    ----------
    jobs : int, optional
        Tasks run at once locally (default: the number of cores): ``jobs`` kernels, each driven by a
        thread of this process (:class:`LocalExecutor`); ignored with a scheduler, whose workers are
        started separately (``dask worker … --nworkers N --nthreads 1``).
    scheduler : str, optional
        The address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    warmup : callable, optional
        Run as ``warmup(*args)`` once for each kernel pool but this process's own — each local thread's,
        each Dask worker's — before its first task (quick, and picklable for Dask); this process's
        pool is warmed by :func:`perfeval_lib.batch.project.prestart_kernel`.
    *args
        Its arguments.

    Yields
    ------
    concurrent.futures.Executor
        The executor, shut down when the block ends.

    Raises
    ------
    PerfevalError
        With a scheduler: when ``dask[distributed]`` is missing or the scheduler cannot be reached.

    Examples
    --------
    >>> with open_executor(jobs=2) as pool:
    ...     sorted(pool.map(abs, [-2, 1]))
    [1, 2]
    """
    if scheduler:
        with dask_executor(scheduler, warmup, *args) as executor:
            yield executor
    else:
        with LocalExecutor(jobs or os.cpu_count() or 1, warmup, *args) as executor:
            yield executor


def warm_worker(task: dict) -> None:
    """Start the calling thread's (or Dask worker's) kernel for ``task``'s project in the background.

    An executor's warm-up. It lives here, apart from papermill and nbconvert, so that a new Dask worker
    starts its kernel first and imports those (:mod:`perfeval_lib.batch.execute`) with its first task
    while the kernel boots and imports the task's ``preload`` modules (what the notebooks import). A
    task's ``cwd`` and ``env`` choose the kernel (:func:`perfeval_lib.batch.kernels.task_kernel`).

    Parameters
    ----------
    task : dict
        Any task of the batch.

    Examples
    --------
    >>> with open_executor(2, None, warm_worker, task) as pool:         # doctest: +SKIP
    ...     pool.submit(run_unit, task).result().status
    'ok'
    """
    kernels.kernel_pool().prestart(kernels.task_kernel(task), task.get("preload", ()))
