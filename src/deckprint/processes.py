"""Running a pipeline's jobs on every core: forked processes, and what makes them cheap.

A job is a function without arguments. :class:`Forked` runs each in a forked child,
which starts with a copy-on-write view of everything this process holds (the deck,
the QR codes, the imported modules): nothing is sent to a child but what a
:class:`Feed` streams to it, and its result comes back pickled through a pipe. The
pipeline forks only where :func:`can_fork` and there is more than one usable core
(:func:`usable_cores`); otherwise it runs its jobs one after the other, with the
same results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import TypeVar

from .errors import UserError

T = TypeVar("T")


def usable_cores() -> int:
    """The cores this process may run on (``taskset``, a container's CPU set), not
    the machine's: on one core, forking only adds work."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Forked:
    """Jobs started now, each in a forked child, and their results collected later, in
    the order they were started: this process goes on with other work meanwhile. Used
    as a context manager, so that no child outlives an error."""

    def __init__(self) -> None:
        self._children: list = []

    def start(self, job: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(job, send), daemon=True)
        process.start()
        send.close()
        self._children.append((process, receive))

    def results(self) -> list:
        """Every started job's result (waiting for each in turn). A child's user error
        is raised here as a UserError; any other failure as a RuntimeError carrying
        the child's traceback."""
        return [_result(process, receive) for process, receive in self._children]

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc_info) -> None:
        for process, receive in self._children:
            receive.close()
            process.join(timeout=1)
            if process.is_alive():
                process.kill()


def _result(process, receive):
    try:
        kind, value = receive.recv()
    except EOFError:
        kind, value = "bug", f"an output process died (exit code {process.exitcode})"
    if kind == "user":
        raise UserError(value)
    if kind == "bug":
        raise RuntimeError(f"an output process failed:\n{value}")
    return value


def _child(job: Callable[[], T], send) -> None:
    try:
        send.send(("ok", job()))
    except UserError as exc:
        send.send(("user", str(exc)))
    except BaseException:  # reported, with its traceback, by the parent
        send.send(("bug", traceback.format_exc()))
    finally:
        send.close()


class Feed(Sequence[T]):
    """Items made in this process, in order, streamed to forked children that read
    them as a sequence while they are still being made.

    In this process: :meth:`connect` before forking each reader, :meth:`produce` after.
    In a reader: :meth:`attach` its end, then index or iterate it, forward only: an
    item is kept until a later chunk is asked for, so a reader holds a few chunks,
    never every item. Items travel pickled, a chunk at a time, the same bytes to every
    reader. A reader that stops early (it needs only some of the items) or fails is
    simply not written to any more; its failure comes back with its result.
    """

    PIPE_BYTES = 1 << 20  # room in each pipe: the maker runs ahead of a slow reader

    def __init__(self, count: int, chunk: int = 25):
        self._count, self.chunk = count, chunk
        self._writers: list = []
        self._reader = None
        self._first = 0  # reader: index of the first item of self._items
        self._items: list = []
        self._received = 0  # reader: items received so far

    def connect(self):
        """A new reader's end of the stream, to hand to it (before forking it)."""
        receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        try:
            import fcntl

            fcntl.fcntl(send.fileno(), fcntl.F_SETPIPE_SZ, self.PIPE_BYTES)
        except (ImportError, AttributeError, OSError):  # not Linux: the default room
            pass
        self._writers.append(send)
        return receive

    def attach(self, reader) -> None:
        """In the reader: read from ``reader``; the writers' ends it inherited are closed."""
        self.close()
        self._reader = reader

    def close(self) -> None:
        for writer in self._writers:
            writer.close()
        self._writers = []

    def produce(self, items: Iterable[T]) -> None:
        """Send ``items`` (exactly ``len(self)`` of them) to every reader, a chunk at a time."""
        try:
            chunk: list[T] = []
            for item in items:
                chunk.append(item)
                if len(chunk) == self.chunk:
                    self._send(chunk)
                    chunk = []
            if chunk:
                self._send(chunk)
        finally:
            self.close()

    def _send(self, chunk: list[T]) -> None:
        data = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
        for writer in list(self._writers):
            try:
                writer.send_bytes(data)
            except (BrokenPipeError, ConnectionResetError):  # done, or failed: its result says
                writer.close()
                self._writers.remove(writer)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index < self._first:
            raise RuntimeError(f"item {index} of a feed was read after item {self._first}: forward only")
        while self._received <= index:
            data = self._reader.recv_bytes()
            start, self._received = self._received, self._received + self.chunk
            if self._received > index:  # a chunk before the wanted one is skipped unread
                self._first, self._items = start, pickle.loads(data)
        return self._items[index - self._first]


def collector_paused(function: Callable[..., T]) -> Callable[..., T]:
    """Python's cycle collector off while ``function`` runs (and in the processes it
    forks). Nearly everything a build makes lives until the build ends, and none of it
    is left for the collector to free (the peak memory is the same without it), but
    each of its passes walks the whole growing heap: 5.9 s of a 43 s build of 5,000
    cards, most of it in the layout, before the parallel part."""
    @wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused
