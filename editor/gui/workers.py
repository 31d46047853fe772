"""Run plain functions on a QThreadPool and deliver their results on the GUI thread."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QObject,
    QRunnable,
    QThreadPool,
    Signal,
    Slot,
)

from editor.core.errors import PhotoCaptionError

log = logging.getLogger(__name__)

_thread_state = threading.local()


WORKER_NICE = 10
DECODE_NICE = 15
"""How much lower than the GUI thread workers run (Linux: per-thread nice). Full decodes, which
make thumbnails sharper, run lower still than the work that puts a first thumbnail and the
metadata of every photo on screen: measured on 1,000 photos, the embedded-thumbnail and
metadata threads spent 1.4 s of a 3 s opening waiting for a CPU the two decoders held."""


def lower_thread_priority(nice: int = WORKER_NICE) -> None:
    """Run this worker thread ``nice`` steps below the process (the GUI thread), once per
    thread. Counted from the process, not from this thread: a thread starts with the priority
    of the thread that made it, so a worker's own helpers would otherwise sink twice as low."""
    if getattr(_thread_state, "niced", False):
        return
    _thread_state.niced = True
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            base = os.getpriority(os.PRIO_PROCESS, os.getpid())  # the main thread's
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, base + nice))


class GuiFirst:
    """Lets the GUI thread run without fighting worker threads for the GIL.

    A GUI handler gives the GIL up on every call into Qt (a paint makes hundreds) and then
    waits up to the switch interval to get it back from a worker that is running Python, so
    painting 42 cells took 30-130 ms while thumbnails and metadata were read, a third of it
    work. Workers call ``pause()`` between two pieces of work (a photo, about a millisecond);
    it waits while the GUI thread is awake, that is, between the event loop waking up and it
    going back to sleep (``follow`` hooks the dispatcher's signals). So workers run their
    Python while the GUI thread idles, and their GIL-free decoding all the time. ``pause``
    never waits longer than ``MAX_PAUSE_S``: a GUI thread that stays busy cannot starve them.
    """

    MAX_PAUSE_S = 0.05

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()
        self._dispatcher: QAbstractEventDispatcher | None = None
        self._awake = self._open.clear
        self._idle = self._open.set

    def follow(self) -> None:
        """GUI thread: close the gate whenever this thread's event loop is awake."""
        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is None or self._dispatcher is not None:
            return
        self._dispatcher = dispatcher
        dispatcher.awake.connect(self._awake)
        dispatcher.aboutToBlock.connect(self._idle)

    def unfollow(self) -> None:
        if self._dispatcher is not None:
            with contextlib.suppress(RuntimeError):  # already gone with the application
                self._dispatcher.awake.disconnect(self._awake)
                self._dispatcher.aboutToBlock.disconnect(self._idle)
            self._dispatcher = None
        self._open.set()

    def pause(self) -> None:
        """Worker threads, between two pieces of work: wait while the GUI thread is busy."""
        if not self._open.is_set():
            self._open.wait(self.MAX_PAUSE_S)


Done = Callable[[Any], None]
Failed = Callable[[str], None]


class _Carrier(QObject):
    """A QRunnable cannot emit signals; it emits these, queued to the GUI thread."""

    finished = Signal(int, object)
    failed = Signal(int, str)
    yielded = Signal(int, object)


class _Task(QRunnable):
    def __init__(
        self,
        carrier: _Carrier,
        task_id: int,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        cancel: threading.Event,
        stream: bool,
        nice: int = WORKER_NICE,
    ) -> None:
        super().__init__()
        self._nice = nice
        self.setAutoDelete(False)  # the pool keeps it until it reports, so tryTake stays safe
        self._carrier = carrier
        self._id = task_id
        self._fn = fn
        self._args = args
        self._cancel = cancel
        self._stream = stream

    def run(self) -> None:
        lower_thread_priority(self._nice)
        # Always report, even when cancelled, so the pool forgets the task.
        if self._cancel.is_set():
            self._carrier.finished.emit(self._id, None)
            return
        try:
            result = self._fn(*self._args)
            if self._stream:
                assert isinstance(result, Iterator)
                for item in result:
                    if self._cancel.is_set():
                        break
                    self._carrier.yielded.emit(self._id, item)
                result = None
        except PhotoCaptionError as err:
            self._carrier.failed.emit(self._id, str(err))
            return
        except Exception as err:  # never let a worker take the app down; log for us
            log.exception("background task failed")
            self._carrier.failed.emit(self._id, f"Unexpected error: {err}")
            return
        self._carrier.finished.emit(self._id, result)


@dataclass(frozen=True)
class _Pending:
    """A submitted task until it reports: the runnable and what to call with its results."""

    task: _Task
    handle: TaskHandle
    on_done: Done | None
    on_error: Failed | None
    on_item: Done | None


class TaskHandle:
    """What ``WorkerPool.submit`` returns: cancel it to drop its results."""

    def __init__(self, task_id: int, cancel: threading.Event) -> None:
        self.id = task_id
        self._cancel = cancel

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class WorkerPool(QObject):
    """A QThreadPool whose tasks report back on the thread that owns this object.

    ``submit(fn, *args, on_done=..., on_error=...)`` runs ``fn(*args)`` on a worker thread;
    ``fn`` takes immutable inputs and returns a value. With ``on_item`` the function must return
    an iterator, and each item is delivered as it is produced. A cancelled task reports nothing.
    Core errors arrive as their one-line message; anything else is logged and reported briefly.
    """

    def __init__(
        self,
        max_threads: int,
        name: str,
        parent: QObject | None = None,
        gui_first: GuiFirst | None = None,
        nice: int = WORKER_NICE,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.nice = nice
        self.gui_first = gui_first or GuiFirst()
        self.pool = QThreadPool(self)
        self.pool.setObjectName(name)
        self.pool.setMaxThreadCount(max_threads)
        self._carrier = _Carrier(self)
        self._carrier.finished.connect(self._on_finished)
        self._carrier.failed.connect(self._on_failed)
        self._carrier.yielded.connect(self._on_yielded)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        # A finished task's wrapper is kept a little longer: its run() may not have returned to
        # the pool thread yet when the GUI thread handles the result it emitted.
        self._retired: list[_Task] = []
        self._closed = False

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_item: Done | None = None,
        priority: int = 0,
    ) -> TaskHandle:
        task_id = next(self._ids)
        cancel = threading.Event()
        handle = TaskHandle(task_id, cancel)
        if self._closed:  # after shutdown nothing new starts; late timers get a dead handle
            cancel.set()
            return handle
        task = _Task(self._carrier, task_id, fn, args, cancel, on_item is not None, self.nice)
        self._pending[task_id] = _Pending(task, handle, on_done, on_error, on_item)
        self.pool.start(task, priority)
        return handle

    def cancel(self, handle: TaskHandle) -> None:
        """Drop the task: take it off the queue if it has not started, ignore its results."""
        handle.cancel()
        entry = self._pending.get(handle.id)
        if entry is not None and self.pool.tryTake(entry.task):
            del self._pending[handle.id]

    def cancel_all(self) -> None:
        for entry in list(self._pending.values()):
            self.cancel(entry.handle)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Cancel what is queued and wait for running tasks; True when every thread stopped."""
        self._closed = True
        self.cancel_all()
        ok = self.pool.waitForDone(timeout_ms)
        self._pending.clear()
        if ok:
            self._retired.clear()
        return ok

    def _retire(self, task: _Task) -> None:
        self._retired.append(task)
        if len(self._retired) > 64:
            del self._retired[:32]

    @Slot(int, object)
    def _on_yielded(self, task_id: int, item: object) -> None:
        entry = self._pending.get(task_id)
        if entry is None or entry.handle.cancelled or entry.on_item is None:
            return
        entry.on_item(item)

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        entry = self._pending.pop(task_id, None)
        if entry is None:
            return
        self._retire(entry.task)
        if not entry.handle.cancelled and entry.on_done is not None:
            entry.on_done(result)

    @Slot(int, str)
    def _on_failed(self, task_id: int, reason: str) -> None:
        entry = self._pending.pop(task_id, None)
        if entry is None:
            return
        self._retire(entry.task)
        if not entry.handle.cancelled and entry.on_error is not None:
            entry.on_error(reason)


class Pools:
    """The app's worker pools, one per kind of work so none starves another.

    docs/architecture.md ("Threads") lists them with what runs on each, its priority and the
    measurement behind it. ``save`` has exactly one thread: save runs go one at a time, in order
    (within a run, ``editor.core.saving`` writes two photos at a time, never one file twice at
    once). ``export`` runs at the GUI thread's priority: it is what the user is waiting for.
    """

    def __init__(self, decode_threads: int | None = None) -> None:
        cpus = max(1, QThreadPool.globalInstance().maxThreadCount())
        self.gui_first = GuiFirst()  # shared: workers of every pool give way to the GUI thread
        self.gui_first.follow()
        self.scan = WorkerPool(1, "scan", gui_first=self.gui_first)
        # Reading metadata is Python work that holds the GIL, and every extra Python-busy thread
        # makes the GUI thread wait longer for it (measured: 2 read + 4 thumbnail threads gave
        # 70-160 ms stalls on 2 CPUs, 1 + 2 gave 35-60 ms).
        self.read = WorkerPool(1, "read", gui_first=self.gui_first)
        # Embedded and cached thumbnails are mostly Python too: one thread does them as fast as
        # two (measured on 1,000 photos). Full decodes release the GIL: one thread per core.
        self.thumbs = WorkerPool(1, "thumbnails", gui_first=self.gui_first)
        self.decode = WorkerPool(
            decode_threads or min(4, cpus), "decode", gui_first=self.gui_first, nice=DECODE_NICE
        )
        self.preview = WorkerPool(1, "preview", gui_first=self.gui_first)
        self.save = WorkerPool(1, "save", gui_first=self.gui_first)
        # The export run and the dialog's "what the copies leave out" check, side by side.
        self.export = WorkerPool(2, "export", gui_first=self.gui_first, nice=0)

    def all(self) -> tuple[WorkerPool, ...]:
        return (
            self.scan, self.read, self.thumbs, self.decode, self.preview, self.save, self.export
        )

    def adopt(self, owner: QObject) -> None:
        for pool in self.all():
            pool.setParent(owner)

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        # Saves are never cancelled: let queued ones finish, then stop everything else.
        self.gui_first.unfollow()
        ok = self.save.pool.waitForDone(timeout_ms)
        return all([ok, *(p.shutdown(timeout_ms) for p in self.all())])
