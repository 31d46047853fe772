"""Loading photos: walk folders on a worker, add paths in batches, read metadata on a pool."""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from editor.core.library import PhotoLibrary
from editor.core.reading import ReadResult, read_many, scan_in_batches
from editor.core.scan import ScanBatch
from editor.core.sidecar import DEFAULT_POLICY
from editor.gui.thumbnailer import Thumbnailer
from editor.gui.workers import TaskHandle, WorkerPool

READ_CHUNK = 16
APPLY_BUDGET_S = 0.006
SLICE = 128
"""Most photos added to the model per event-loop pass: the walk finds a folder's photos much
faster than the GUI thread can insert them, and one pass over all of them stalled it >100 ms."""


HOLD_READS_S = 0.3
"""Metadata reads of a load start once the walk is done and the photos on screen have their
first thumbnails, or this long after the drop. The reads (pure Python: a core and the GIL)
otherwise compete with the embedded thumbnails and the first paints; measured on 5,000 photos
(2 cores, 3 interleaved runs each), the first 40 thumbnails were painted 0.21-0.26 s after the
drop with the reads running from the start, 0.12-0.18 s with them held."""

FREEZE_EVERY = 500  # photos added or read between two freezes of the collector's heap


class _LongLived:
    """Keeps a loading folder's photos out of Python's full garbage collections.

    A full collection walks every tracked object, and the records of a large folder are most
    of them: the heap grows by a quarter (the collector's trigger) again and again while it
    loads, which gave 7 full collections of 55-83 ms, all on the GUI thread (it allocates the
    most), in a 20,000-photo opening; holding them off for one at the end made that one 233 ms.
    Instead, every FREEZE_EVERY photos the young generations are collected (a millisecond or
    two) and what is left is frozen (``gc.freeze``), as the start-up heap is: never walked
    again. Photos and records hold no reference cycles, so a closed folder's are still freed
    (by reference counting; checked: none left after the window is reset).
    """

    def __init__(self) -> None:
        self._since = 0

    def grew(self, photos: int) -> None:
        self._since += photos
        if self._since >= FREEZE_EVERY:
            self.freeze()

    def freeze(self) -> None:
        self._since = 0
        gc.collect(1)
        gc.freeze()


def _never_pause() -> None:
    """``read_many``'s pause for photos on screen: they do not give way."""


class PhotoLoader(QObject):
    """Adds photos to the model as the walk finds them and fills in their metadata."""

    problem = Signal(str)
    foldersFound = Signal(list)  # list[Path]: dropped or opened roots that are folders
    photosAdded = Signal(list)  # list[Path], after they are in the model
    finished = Signal()  # walk done and every record read

    def __init__(
        self,
        scan_pool: WorkerPool,
        read_pool: WorkerPool,
        library: PhotoLibrary,
        add_paths: Callable[[Sequence[Path]], list[Path]],
        thumbnails: Thumbnailer,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._scan_pool = scan_pool
        self._read_pool = read_pool
        self._library = library
        self._add_paths = add_paths  # into the grid's model: the paths it added, in order
        self._thumbs = thumbnails
        self._scans: list[TaskHandle] = []
        self._reads: dict[int, TaskHandle] = {}
        self._keys = itertools.count()
        self._waiting: list[Path] = []  # found by the walk, not yet in the model
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.setInterval(0)
        self._drain.timeout.connect(self._add_slice)
        self.skipped: list[Path] = []  # files the walks found that are not photos
        self.pair_raw = True  # a RAW beside a JPEG of the same name is one photo with it
        self.policy = DEFAULT_POLICY  # which photos keep their metadata in a sidecar
        self._results: list[ReadResult] = []  # read, not yet applied to the library
        self._apply = QTimer(self)
        self._apply.setSingleShot(True)
        self._apply.setInterval(0)
        self._apply.timeout.connect(self._apply_records)
        self._long_lived = _LongLived()
        # The photos on screen now (the grid's, set by the window); none when not set.
        self.on_screen: Callable[[], Sequence[Path]] = lambda: ()
        self._held: list[list[Path]] = []
        self._holding = False
        self._hold_timer = QTimer(self)
        self._hold_timer.setSingleShot(True)
        self._hold_timer.setInterval(int(HOLD_READS_S * 1000))
        self._hold_timer.timeout.connect(self._release_reads)
        thumbnails.thumbnailsReady.connect(self._thumbnails_ready)

    @property
    def busy(self) -> bool:
        return bool(
            self._scans or self._reads or self._waiting or self._results or self._held
        )

    def load(self, roots: Sequence[Path]) -> None:
        # What the app built since start-up (modules and codecs loaded on first use) too.
        self._long_lived.freeze()
        if HOLD_READS_S > 0:
            self._holding = True
            self._hold_timer.start()
        handle: TaskHandle | None = None

        def done(_result: object) -> None:
            if handle in self._scans:
                self._scans.remove(handle)
            self._maybe_release_reads()
            self._check_finished()

        def failed(reason: str) -> None:
            self.problem.emit(reason)
            done(None)

        handle = self._scan_pool.submit(
            scan_in_batches, tuple(roots), 16, self.pair_raw,
            on_item=self._batch, on_done=done, on_error=failed,
        )
        self._scans.append(handle)

    def cancel(self) -> None:
        for handle in self._scans:
            self._scan_pool.cancel(handle)
        for handle in self._reads.values():
            self._read_pool.cancel(handle)
        self._scans.clear()
        self._reads.clear()
        self._waiting.clear()
        self.skipped.clear()
        self._results.clear()
        self._held.clear()
        self._holding = False
        self._hold_timer.stop()
        self._drain.stop()
        self._apply.stop()

    def _batch(self, batch: ScanBatch) -> None:
        for folder, reason in batch.problems:
            self.problem.emit(f"Could not read {folder}: {reason}")
        if batch.folders:
            self.foldersFound.emit(list(batch.folders))
        self.skipped.extend(batch.skipped)
        self._library.companions.update(batch.pairs)
        self._waiting.extend(batch.paths)
        if self._drain.isActive():
            return
        if len(self._library) == 0:
            self._add_slice()  # the first photos go on screen at once
        else:
            self._drain.start()  # the rest after what is already queued (paints, results)

    def _add_slice(self) -> None:
        """Add up to SLICE waiting photos, and come back on the next pass for the rest."""
        chunk = self._waiting[:SLICE]
        del self._waiting[:SLICE]
        if self._waiting:
            self._drain.start()
        added = self._add_paths(chunk)
        if not added:
            self._check_finished()
            return
        self._thumbs.request(added)
        self.photosAdded.emit(added)
        self._long_lived.grew(len(added))
        for i in range(0, len(added), READ_CHUNK):
            self._read(added[i : i + READ_CHUNK])
        self._maybe_release_reads()

    def _thumbnails_ready(self, _paths: list[Path]) -> None:
        self._maybe_release_reads()

    def _maybe_release_reads(self) -> None:
        """Start the held reads once every photo is in the model (the screen shows the first
        in name order, not the first the walk found) and those on screen have thumbnails."""
        if (self._holding and not self._scans and not self._waiting
                and self._thumbs.first_thumbnails_ready(self.on_screen())):
            self._release_reads()

    def _release_reads(self) -> None:
        """Submit the held reads, the photos on screen first and at once: the reads give way
        to a busy GUI thread photo by photo (``GuiFirst``), and while a folder streams in it
        is busy most of the time, so the first photo's caption took 1.2-1.7 s to show."""
        self._holding = False
        self._hold_timer.stop()
        held, self._held = self._held, []
        on_screen = frozenset(self.on_screen())
        for chunk in held:
            if not on_screen.isdisjoint(chunk):
                self._read(chunk, urgent=True)
        for chunk in held:
            if on_screen.isdisjoint(chunk):
                self._read(chunk)

    def _read(self, chunk: list[Path], urgent: bool = False) -> None:
        if self._holding:
            self._held.append(chunk)
            return
        key = next(self._keys)
        self._reads[key] = self._read_pool.submit(
            read_many,
            tuple(chunk),
            _never_pause if urgent else self._read_pool.gui_first.pause,
            self.policy,
            on_done=lambda results, k=key: self._records(k, results),
            on_error=lambda reason, k=key: self._read_failed(k, chunk, reason),
            priority=1 if urgent else 0,
        )

    def _records(self, key: int, results: list[ReadResult]) -> None:
        # Only queue them here: chunks of records often arrive several at a time, and applying
        # them all in one pass of the event loop held the GUI thread for tens of milliseconds.
        self._reads.pop(key, None)
        self._results.extend(results)
        if not self._apply.isActive():
            self._apply.start()

    def _apply_records(self) -> None:
        """Apply queued records for at most APPLY_BUDGET_S, then let the event loop run."""
        library = self._library
        deadline = time.perf_counter() + APPLY_BUDGET_S
        while self._results and time.perf_counter() < deadline:
            chunk = self._results[:READ_CHUNK]
            del self._results[:READ_CHUNK]
            library.set_read_results(chunk)
            self._long_lived.grew(len(chunk))
        if self._results:
            self._apply.start()
        else:
            self._check_finished()

    def _read_failed(self, key: int, chunk: list[Path], reason: str) -> None:
        self._reads.pop(key, None)
        for path in chunk:
            self._library.set_error(path, reason)
        self._check_finished()

    def _check_finished(self) -> None:
        if not self.busy:
            self.finished.emit()
