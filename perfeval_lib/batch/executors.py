"""Where ``perfeval run`` runs its notebooks: a local process pool, or an existing Dask cluster.

Both are :class:`concurrent.futures.Executor` objects, so the batch submits the same task function
with the same arguments (plain, picklable data: paths as strings) and collects results the same way,
whichever runs them. Each worker process keeps one warm kernel between tasks
(:mod:`perfeval_lib.batch.kernels`).

* Local (the default): a :class:`~concurrent.futures.ProcessPoolExecutor` of ``jobs`` spawned
  processes. A ``distributed.LocalCluster`` would do the same work with a scheduler, a nanny per
  worker and a few TCP ports opened on the machine; the process pool starts in a fraction of the
  time, needs no network and no extra package for a single machine.
* ``scheduler="tcp://host:8786"``: ``distributed.Client(address).get_executor()`` on a cluster
  started with ``dask scheduler`` and ``dask worker tcp://host:8786`` — every worker needs the
  project checkout, the data and the same virtual environment at the same paths.

Examples
--------
>>> with open_executor(jobs=1) as pool:
...     pool.submit(sum, [1, 2]).result()
3
>>> with open_executor(scheduler="tcp://10.0.0.5:8786") as pool:       # doctest: +SKIP
...     futures = [pool.submit(run_unit, task) for task in tasks]
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator

from ..core.errors import PerfevalError
from . import kernels

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 20


def local_executor(jobs: int | None = None, warmup: Callable | None = None, *args) -> cf.ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes (default: the number of cores), started with *spawn*.

    *spawn* rather than *fork*: a worker starts kernels and threads, and forking a process that
    already runs threads (the progress bar, a Dask client) is unsafe. The workers start at once
    (not at the first task), and ``warmup(*args)`` runs in each as it starts.

    Parameters
    ----------
    jobs : int, optional
        Worker processes (default: the number of cores).
    warmup : callable, optional
        Run as ``warmup(*args)`` in each worker as it starts (picklable by reference).
    *args
        Its arguments.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        Running; the caller shuts it down (or uses it in a ``with`` block).

    Examples
    --------
    >>> pool = local_executor(2)
    >>> pool.submit(pow, 2, 10).result()
    1024
    >>> pool.shutdown()
    """
    workers = max(1, jobs or os.cpu_count() or 1)
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=warmup, initargs=args)
    for _ in range(workers):  # with *spawn* a worker starts only for a task: start them all now
        pool.submit(os.getpid)
    return pool


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
    """The executor of a batch: the Dask cluster at ``scheduler`` if given, else a local process pool.

    Parameters
    ----------
    jobs : int, optional
        Local worker processes (default: the number of cores); ignored with a scheduler, whose
        workers are started separately (``dask worker … --nworkers N --nthreads 1``).
    scheduler : str, optional
        The address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    warmup : callable, optional
        Run as ``warmup(*args)`` once in each worker before its first task (quick and picklable).
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
        with local_executor(jobs, warmup, *args) as executor:
            yield executor


def warm_worker(task: dict) -> None:
    """Start this worker's kernel for ``task``'s project in the background (an executor's warm-up).

    It lives here, apart from papermill and nbconvert, so that a new worker starts its kernel first and
    imports those (:mod:`perfeval_lib.batch.execute`) with its first task while the kernel boots.
    A task's ``cwd`` and ``env`` choose the kernel (:func:`perfeval_lib.batch.kernels.task_kernel`).

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
    kernels.kernel_pool().prestart(kernels.task_kernel(task))
