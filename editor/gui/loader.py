"""Loading photos: walk folders on a worker, add paths in batches, read metadata on a pool."""

from __future__ import annotations

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

    @property
    def busy(self) -> bool:
        return bool(self._scans or self._reads or self._waiting or self._results)

    def load(self, roots: Sequence[Path]) -> None:
        handle: TaskHandle | None = None

        def done(_result: object) -> None:
            if handle in self._scans:
                self._scans.remove(handle)
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
        for i in range(0, len(added), READ_CHUNK):
            self._read(added[i : i + READ_CHUNK])

    def _read(self, chunk: list[Path]) -> None:
        key = next(self._keys)
        self._reads[key] = self._read_pool.submit(
            read_many,
            tuple(chunk),
            self._read_pool.gui_first.pause,
            self.policy,
            on_done=lambda results, k=key: self._records(k, results),
            on_error=lambda reason, k=key: self._read_failed(k, chunk, reason),
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
