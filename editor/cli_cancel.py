"""Ctrl+C in a long CLI command: the first asks the work to stop cleanly, the second ends it."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

PROG = "photocaption"


@contextmanager
def cancel_on_sigint() -> Iterator[threading.Event]:
    """An event set by the first Ctrl+C (the work in progress finishes, nothing half-written is
    left); a second Ctrl+C raises KeyboardInterrupt. The previous handler is restored on exit.
    Off the main thread (where signals cannot be caught) the event is simply never set."""
    cancel = threading.Event()

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print(f"{PROG}: cancelling…", file=sys.stderr)

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield cancel
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
