"""One warm kernel as jupyter_client sees it: a manager that lends the same client, over Unix sockets.

:class:`WarmManager` starts a ``python3`` kernel in a private folder (mode 0700) that holds its ZMQ
sockets — the ``ipc`` transport, so no TCP port is ever chosen and two kernels started at once by two
workers cannot race for one (``ZMQError: Address already in use``) — and its log (the kernel's own
stdout and stderr: nothing reaches the terminal). Its ``client()`` is always the same
:class:`WarmClient`, which connects once and answers nbclient's later ``wait_for_ready`` at once.
:mod:`perfeval_lib.batch.kernels` keeps one of these per process and reuses it across notebooks.

Examples
--------
>>> TRANSPORT in ("ipc", "tcp")
True
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from queue import Empty

from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import Type

__all__ = ["FOLDER_PREFIX", "TRANSPORT", "WarmClient", "WarmManager", "remove_orphan_folders"]

#: ZMQ transport between a worker and its kernel: Unix sockets where there are any (no ports to race for).
TRANSPORT = "ipc" if os.name == "posix" else "tcp"
#: A kernel's folder is ``<temp>/perfeval-kernel-<pid of the process that started it>-<random>``.
FOLDER_PREFIX = "perfeval-kernel-"
#: Seconds between two looks at a stopping kernel's process.
STOP_POLL = 0.005


def remove_orphan_folders() -> list[str]:
    """Remove the kernel folders this user's killed runs left behind; returns those removed.

    A process killed outright (``kill -9``, a power cut) cannot remove its kernel's folder. A folder
    is an orphan when the process that made it is gone; folders of running processes and of other
    users are left alone.

    Examples
    --------
    >>> remove_orphan_folders()                                            # doctest: +SKIP
    []
    """
    removed = []
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        if not name.startswith(FOLDER_PREFIX):
            continue
        path = os.path.join(base, name)
        pid = name[len(FOLDER_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or os.stat(path).st_uid != os.getuid() or _alive(int(pid)):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # someone else's process by that number: not ours to judge
        return True
    return True


class WarmClient(AsyncKernelClient):
    """A kernel client that survives from one notebook to the next.

    nbclient starts the channels of the client it is given and waits for the kernel to be ready
    each time it sets up a notebook; the pool has already done both, so later calls return at once.

    The first wait is jupyter_client's handshake without its last step: a ``kernel_info`` request
    is repeated until its reply comes back on the shell channel *and* its status message on IOPub
    (so both are connected), then the kernel is ready. jupyter_client then also drains IOPub until
    0.2 s pass in silence — 0.2 s or more of waiting on every cold start, for messages the pool's next
    request skips anyway (it reads IOPub up to its own ``idle`` status).
    """

    _ready = False
    #: Seconds to wait for the first reply when no timeout is given.
    startup_timeout = 60.0

    def start_channels(self, *args, **kwargs) -> None:
        if not self.channels_running:
            super().start_channels(*args, **kwargs)

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        if self._ready:
            return
        deadline = time.monotonic() + (self.startup_timeout if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            reply = await self._reply_to(msg_id, self.shell_channel, 1.0)
            # the status message of the same request shows that IOPub is connected too
            if reply is not None and await self._reply_to(msg_id, self.iopub_channel, 0.2) is not None:
                self._handle_kernel_info_reply(reply)
                self._ready = True
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    @staticmethod
    async def _reply_to(msg_id: str, channel, timeout: float) -> dict | None:
        """The next message of ``channel`` whose parent is ``msg_id`` (others are skipped), or None after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await channel.get_msg(timeout=left)
            except Empty:
                return None
            if message["parent_header"].get("msg_id") == msg_id:
                return message
        return None


class WarmManager(AsyncKernelManager):
    """A kernel manager whose ``client()`` is always the same, already connected, client.

    ``folder`` is the kernel's private folder (its ipc sockets and its log), removed with the kernel.
    """

    client_factory = Type(default_value=WarmClient, klass=AsyncKernelClient)
    _client: WarmClient | None = None
    folder: str | None = None
    startup_timeout: float = 60.0

    @classmethod
    def in_folder(cls, kernel_name: str, startup_timeout: float = 60.0) -> "WarmManager":
        """A manager for a new kernel, with its own folder (mode 0700) for its sockets and its log.

        Examples
        --------
        >>> manager = WarmManager.in_folder("python3")
        >>> manager.transport, os.path.dirname(manager.ip) == manager.folder
        ('ipc', True)
        >>> manager.remove_folder()
        """
        folder = tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        options = {"transport": "ipc", "ip": os.path.join(folder, "k")} if TRANSPORT == "ipc" else {}
        manager = cls(kernel_name=kernel_name, **options)
        manager.folder = folder
        manager.startup_timeout = startup_timeout
        return manager

    @property
    def log_path(self) -> str:
        return os.path.join(self.folder, "kernel.log")

    def last_log_line(self) -> str:
        """The kernel's last words (its log's last non-empty line: a crash's exception), or ''."""
        try:
            with open(self.log_path, "rb") as log:
                lines = log.read()[-4000:].decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        return next((line.strip() for line in reversed(lines) if line.strip()), "")[:300]

    def remove_folder(self) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def client(self, **kwargs) -> WarmClient:
        if self._client is None:
            self._client = super().client(**kwargs)
            self._client.startup_timeout = self.startup_timeout
        return self._client

    async def _async_wait(self, pollinterval: float = STOP_POLL) -> None:
        """Wait for the kernel's process to end, looking every ``pollinterval`` seconds (jupyter_client: 0.1 s).

        A batch stops its kernels by killing them (they hold nothing to save), and a killed process is
        gone within milliseconds: polling at jupyter_client's 0.1 s made every stop cost 0.1 s.
        """
        await super()._async_wait(pollinterval)
