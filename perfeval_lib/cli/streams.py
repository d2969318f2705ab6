"""A closed pipe is a normal end: ``perfeval score 自评表.xlsx | head`` stops printing, not with a traceback.

When the program reading perfeval's output ends early (``head``, ``less`` quit, a closed SSH
session), the next write to that stream raises :class:`BrokenPipeError`. For a command-line tool
that is not an error: the reader has seen all it wanted. :func:`closed_pipes_end_quietly` wraps
``sys.stdout`` and ``sys.stderr`` for the length of a command so that, from the first failed write
on, that stream's file descriptor points at ``/dev/null``: the rest of the output is dropped, the
command still finishes its work (files written, exit status kept), and Python's final flush at
exit finds nothing to complain about.

Python's documentation also mentions restoring the default ``SIGPIPE`` action instead; perfeval
does not, because the same process talks to its Jupyter kernels and Dask workers over sockets, and
a peer closing one of those would then kill the process without a word.

Examples
--------
>>> with closed_pipes_end_quietly():
...     print("shown as usual")
shown as usual
"""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


class PipeSafeStream:
    """A text stream wrapper that sends all further output to ``/dev/null`` once its pipe is closed.

    Parameters
    ----------
    stream : text stream
        ``sys.stdout`` or ``sys.stderr`` (anything with ``write`` and ``flush``; when it has no
        file descriptor, its output is simply dropped after the pipe closes).

    Attributes
    ----------
    closed_pipe : bool
        Whether a write or flush has met a closed pipe.

    Examples
    --------
    >>> import io
    >>> stream = PipeSafeStream(io.StringIO())
    >>> stream.write("一行\\n"), stream.closed_pipe
    (3, False)
    """

    def __init__(self, stream) -> None:
        self._stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._silence()

    def _silence(self) -> None:
        """Point the stream's descriptor at /dev/null: what is still buffered goes nowhere, quietly."""
        self.closed_pipe = True
        try:
            descriptor = self._stream.fileno()
        except (AttributeError, OSError, ValueError):   # an in-memory stream: nothing to redirect
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, descriptor)
        finally:
            os.close(devnull)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def closed_pipes_end_quietly() -> Iterator[None]:
    """For the length of the block, a closed stdout or stderr pipe silences that stream instead of raising.

    Yields
    ------
    None
        ``sys.stdout`` and ``sys.stderr`` are :class:`PipeSafeStream` wrappers inside the block and
        restored afterwards.

    Examples
    --------
    >>> with closed_pipes_end_quietly():
    ...     isinstance(sys.stdout, PipeSafeStream)
    True
    """
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (None if stream is None else PipeSafeStream(stream) for stream in saved)
    try:
        yield
    finally:
        for wrapper in (sys.stdout, sys.stderr):
            if isinstance(wrapper, PipeSafeStream):
                wrapper.flush()
        sys.stdout, sys.stderr = saved
