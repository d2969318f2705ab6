"""Parsing that could still abort, exhaust memory or hang, run in a child process with limits.

The readers perfeval relies on (calamine for .xlsx, openpyxl, pdfminer) are fast and mostly robust,
but a hostile file can still make one of them abort the whole process (a Rust allocation failure is
SIGABRT, not an exception), take gigabytes or never finish. :func:`run_isolated` runs one call in a
forked child whose address space is limited (``PERFEVAL_PARSE_MEMORY_MB`` above what the child starts
with) and which is killed after ``PERFEVAL_PARSE_TIMEOUT`` seconds; the result comes back pickled.
Whatever happens in the child becomes an :class:`~perfeval_lib.core.errors.InputError` naming the
file, so the caller turns it into that file's message and goes on with the others.

A call made inside an isolated child runs inline (a child never forks again). Where ``os.fork`` does
not exist (Windows) calls run inline, without the limits.

Examples
--------
>>> run_isolated(sum, [1, 2, 3], file="x.xlsx")
6
>>> import math
>>> run_isolated(math.sqrt, -1, file="x.xlsx")
Traceback (most recent call last):
...
ValueError: math domain error
"""
from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import sys
import tempfile
import time

from .errors import InputError
from .limits import limit

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None

_IN_CHILD = False


def _vm_size() -> int:
    """The current address-space size of this process, in bytes (0 when unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _limit_memory(extra_mb: int) -> None:
    if resource is None:  # pragma: no cover
        return
    wanted = _vm_size() + extra_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    caps = [v for v in (soft, hard) if v != resource.RLIM_INFINITY]
    if caps:
        wanted = min([wanted, *caps])
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _child(write_fd: int, log_fd: int, memory_mb: int, function, args, kwargs) -> None:
    """Run in the forked child: limit memory, call, send the pickled outcome, exit without cleanup."""
    global _IN_CHILD
    _IN_CHILD = True
    code = 0
    try:
        faulthandler.disable()  # a crash is reported by the parent, not dumped on the terminal
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        _limit_memory(memory_mb)
        try:
            outcome = ("ok", function(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", None)
        except RecursionError:
            outcome = ("recursion", None)
        except BaseException as exc:  # noqa: BLE001 - sent back and raised again in the parent
            outcome = ("raised", exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception as exc:  # an exception that cannot be pickled
            data = pickle.dumps(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view[:1 << 20]):]
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 70
    finally:
        os._exit(code)


def _read_all(read_fd: int, pid: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes; (data, timed_out)."""
    parts = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(parts), True
        ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            return b"".join(parts), False
        parts.append(chunk)


def _log_tail(log) -> str:
    try:
        log.seek(0, 2)
        size = log.tell()
        log.seek(max(0, size - 4000))
        lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return ""
    first = next((line for line in lines if "memory allocation" in line or "panicked" in line), "")
    return first[:200]


def run_isolated(function, *args, file: str | None = None, timeout: float | None = None,
                 memory_mb: int | None = None, **kwargs):
    """``function(*args, **kwargs)`` in a forked child with a memory limit and a timeout.

    Parameters
    ----------
    function : callable
        Its result must be picklable (DataFrames, dataclasses, lists …).
    *args, **kwargs
        Passed on.
    file : str, optional
        The file being parsed, as shown in messages.
    timeout : float, optional
        Seconds (default ``PERFEVAL_PARSE_TIMEOUT``, 300).
    memory_mb : int, optional
        Megabytes the child may add to what it starts with (default ``PERFEVAL_PARSE_MEMORY_MB``, 2048).

    Returns
    -------
    object
        What ``function`` returned.

    Raises
    ------
    perfeval_lib.core.errors.InputError
        The child ran out of memory, took longer than ``timeout``, or died (for instance a reader
        aborting with SIGABRT); the message says which, names the cap and what to do.
    Exception
        Whatever ``function`` raised, raised again here.

    Examples
    --------
    >>> run_isolated(len, "abc", file="a.xlsx", timeout=30)
    3
    """
    if _IN_CHILD or not hasattr(os, "fork"):
        return function(*args, **kwargs)
    timeout = float(timeout if timeout is not None else limit("PERFEVAL_PARSE_TIMEOUT"))
    memory_mb = int(memory_mb if memory_mb is not None else limit("PERFEVAL_PARSE_MEMORY_MB"))
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as log:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; covered through the parent's assertions
            os.close(read_fd)
            _child(write_fd, log.fileno(), memory_mb, function, args, kwargs)
        os.close(write_fd)
        try:
            data, timed_out = _read_all(read_fd, pid, time.monotonic() + timeout)
        finally:
            os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if timed_out:
            raise InputError(file, message=f"解析超过 {timeout:g} 秒，已中止 / parsing took longer than {timeout:g} s "
                                           "and was stopped",
                             expected="检查文件是否异常；确属正常的大文件可设置 PERFEVAL_PARSE_TIMEOUT 延长 / check the "
                                      "file; for a genuinely large one raise PERFEVAL_PARSE_TIMEOUT")
        try:
            kind, payload = pickle.loads(data) if data else (None, None)
        except Exception:  # a truncated result: the child died while writing it
            kind, payload = None, None
        if kind == "ok":
            return payload
        if kind == "raised":
            raise payload
        if kind in ("memory", "recursion") or "memory allocation" in _log_tail(log):
            what = "嵌套过深 / nested too deeply" if kind == "recursion" else \
                f"内存超过 {memory_mb} MB / more than {memory_mb} MB of memory"
            raise InputError(file, message=f"解析时{what.split(' / ')[0]}，已中止 / parsing needed "
                                           f"{what.split(' / ')[1]} and was stopped",
                             expected="检查文件是否异常；确属正常的大文件可设置 PERFEVAL_PARSE_MEMORY_MB 提高上限 / check "
                                      "the file; for a genuinely large one raise PERFEVAL_PARSE_MEMORY_MB")
        died = f"signal {signal.Signals(-os.waitstatus_to_exitcode(status)).name}" \
            if os.WIFSIGNALED(status) else f"exit {os.waitstatus_to_exitcode(status)}"
        detail = _log_tail(log)
        raise InputError(file, value=detail or None,
                         message=f"读取程序异常退出（{died}），文件可能已损坏或被构造 / the reader crashed ({died}); "
                                 "the file may be corrupt or crafted",
                         expected="重新导出或重新下载该文件 / export or download it again")
