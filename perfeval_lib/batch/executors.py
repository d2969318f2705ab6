"""Where ``perfeval run`` runs its notebooks: a local process pool, or an existing Dask cluster.

Both are :class:`concurrent.futures.Executor` objects, so the batch submits the same task function
with the same arguments (plain, picklable data: paths as strings) and collects results the same way,
whichever runs them. Each worker process keeps one warm kernel between tasks
(:mod:`perfeval_lib.batch.kernels`).

* Local (the default): a :class:`LocalExecutor` — this process runs units too, on its own warm
  kernel (started before anything else, see :func:`perfeval_lib.batch.project.prestart_kernel`), and
  ``jobs − 1`` spawned worker processes run the others (a
  :class:`~concurrent.futures.ProcessPoolExecutor`); one unit needs no worker process at all. A
  ``distributed.LocalCluster`` would do the same work with a scheduler, a nanny per worker and a few
  TCP ports opened on the machine; the process pool starts in a fraction of the time, needs no
  network and no extra package for a single machine.
* ``scheduler="tcp://host:8786"``: ``distributed.Client(address).get_executor()`` on a cluster
  started with ``dask scheduler`` and ``dask worker tcp://host:8786`` — every worker needs the
  project checkout, the data and the same virtual environment at the same paths.

Examples
--------
>>> with open_executor(jobs=1) as pool:                                  # this process only
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
import threading
from collections import deque
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


class LocalExecutor(cf.Executor):
    """This process (one task at a time, on a thread) and a pool of ``jobs − 1`` worker processes.

    A task goes to whichever has a free place — this process first, its kernel being the one started
    earliest — and waits in order otherwise, so the work spreads over both however long each task
    takes. With ``jobs=1`` no worker process is started.

    Parameters
    ----------
    jobs : int
        Tasks run at once: this process plus ``jobs − 1`` workers (see :func:`local_executor`).
    warmup : callable, optional
        Run as ``warmup(*args)`` in each worker process as it starts (not in this process).
    *args
        Its arguments.

    Examples
    --------
    >>> with LocalExecutor(1) as pool:
    ...     [f.result() for f in [pool.submit(pow, 2, n) for n in range(4)]]
    [1, 2, 4, 8]
    """

    def __init__(self, jobs: int, warmup: Callable | None = None, *args) -> None:
        jobs = max(1, int(jobs))
        self._here = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="perfeval-unit")
        self._workers = local_executor(jobs - 1, warmup, *args) if jobs > 1 else None
        self._free = {"here": 1, "workers": jobs - 1}
        self._waiting: deque = deque()
        self._lock = threading.RLock()   # a task that ends at once calls back while the lock is held

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        future: cf.Future = cf.Future()
        with self._lock:
            self._waiting.append((future, fn, args, kwargs))
            self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Start waiting tasks while a place is free (called with the lock held)."""
        while self._waiting:
            place = next((name for name in ("here", "workers") if self._free[name] > 0), None)
            if place is None:
                return
            future, fn, args, kwargs = self._waiting.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            self._free[place] -= 1
            backend = self._here if place == "here" else self._workers
            try:
                inner = backend.submit(fn, *args, **kwargs)
            except Exception as exc:  # a broken worker pool: the task fails, the others go on
                self._free[place] += 1
                future.set_exception(exc)
                continue
            inner.add_done_callback(lambda done, outer=future, where=place: self._finished(done, outer, where))

    def _finished(self, inner: cf.Future, outer: cf.Future, place: str) -> None:
        try:
            outer.set_result(inner.result())
        except BaseException as exc:
            outer.set_exception(exc)
        with self._lock:
            self._free[place] += 1
            self._dispatch()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            with self._lock:
                while self._waiting:
                    self._waiting.popleft()[0].cancel()
        self._here.shutdown(wait=wait)
        if self._workers is not None:
            self._workers.shutdown(wait=wait, cancel_futures=cancel_futures)


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
        Tasks run at once locally (default: the number of cores): this process and ``jobs − 1``
        worker processes (:class:`LocalExecutor`); ignored with a scheduler, whose workers are
        started separately (``dask worker … --nworkers N --nthreads 1``).
    scheduler : str, optional
        The address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    warmup : callable, optional
        Run as ``warmup(*args)`` once in each worker process before its first task (quick and
        picklable); this process warms itself (:func:`perfeval_lib.batch.project.prestart_kernel`).
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
    """Start this worker's kernel for ``task``'s project in the background (an executor's warm-up).

    It lives here, apart from papermill and nbconvert, so that a new worker starts its kernel first and
    imports those (:mod:`perfeval_lib.batch.execute`) with its first task while the kernel boots and
    imports the task's ``preload`` modules (what the notebooks import). A task's ``cwd`` and ``env``
    choose the kernel (:func:`perfeval_lib.batch.kernels.task_kernel`).

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
