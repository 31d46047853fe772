"""Release QFileSystemWatchers off the GUI thread.

Qt removes watched paths one at a time from a list (``removePaths`` of 20,000 files took 0.5 s
of GUI thread), and closing an inotify instance waits ~16 ms for the kernel. A watcher that is
done with is instead moved to one background thread and destroyed there: on the GUI thread that
costs well under a millisecond whatever it watched.
"""

from __future__ import annotations

import atexit

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QThread

_thread: QThread | None = None
_retired: list[QFileSystemWatcher] = []  # Python references until the C++ side is gone


def retire(watcher: QFileSystemWatcher) -> None:
    """Stop ``watcher``'s signals now and destroy it (releasing its watches) on the release
    thread. The watcher must not be used afterwards."""
    global _thread
    _retired[:] = [w for w in _retired if shiboken6.isValid(w)]
    watcher.blockSignals(True)
    watcher.setParent(None)
    if _thread is None:
        _thread = QThread()
        _thread.setObjectName("photocaption-watch-release")
        _thread.start(QThread.Priority.LowPriority)
        atexit.register(stop)
    watcher.moveToThread(_thread)
    _retired.append(watcher)  # so the wrapper does not delete it here, on the GUI thread
    watcher.deleteLater()


def pending() -> int:
    """Retired watchers not destroyed yet (tests)."""
    return sum(1 for w in _retired if shiboken6.isValid(w))


def stop() -> None:
    """Destroy what is still retired and end the thread (at exit; QThread runs pending
    deferred deletes when it finishes)."""
    global _thread
    if _thread is not None:
        _thread.quit()
        _thread.wait()
        _thread = None
    _retired.clear()
