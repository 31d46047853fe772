"""Saving: edited metadata written in the background, a save run at a time, in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from editor.core.library import PhotoLibrary
from editor.core.model import PhotoRecord
from editor.core.saving import SaveJob, SaveResult, save_photos
from editor.gui.workers import WorkerPool, lower_thread_priority


def _save_run(jobs: tuple[SaveJob, ...]) -> Iterator[SaveResult]:
    return save_photos(jobs, initializer=lower_thread_priority)


class PhotoSaver(QObject):
    """Each ``save`` is one run on a one-thread pool (runs go in order, one at a time); within a
    run ``save_photos`` writes two photos at a time. Results go into the library on the GUI
    thread as each photo is done.

    The edited values are frozen dataclasses, so what is queued is already a snapshot: edits
    made while a save runs stay unsaved. A failure keeps the edits and records the reason.
    """

    progress = Signal(int, int)  # done, total (of the current run)
    saved = Signal(object)  # Path
    failed = Signal(object, str)  # Path, reason
    finished = Signal(int, int)  # saved, failed (of the current run)

    def __init__(self, pool: WorkerPool, library: PhotoLibrary, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = pool
        self._library = library
        self.keep_mtime = False
        self._saving: set[Path] = set()
        self._total = self._ok = self._bad = 0

    @property
    def busy(self) -> bool:
        return bool(self._saving)

    def is_saving(self, path: Path) -> bool:
        return path in self._saving

    def savable(self, paths: Iterable[Path] | None = None) -> tuple[list[Path], list[Path]]:
        """(unsaved photos that can be written, unsaved photos that cannot: read-only etc.)."""
        ok: list[Path] = []
        blocked: list[Path] = []
        for path in self._library.dirty_paths(paths):
            item = self._library.item(path)
            (ok if item.writable and path not in self._saving else blocked).append(path)
        return ok, blocked

    def save(self, paths: Iterable[Path] | None = None) -> int:
        """Queue the unsaved photos among ``paths`` (all when None); returns how many."""
        ok, _blocked = self.savable(paths)
        if not self._saving:
            self._total = self._ok = self._bad = 0
        jobs: list[SaveJob] = []
        for path in ok:
            item = self._library.item(path)
            assert item.record is not None
            self._saving.add(path)
            jobs.append(SaveJob(path, item.edited, item.record.stamp, self.keep_mtime))
        if jobs:
            self._total += len(jobs)
            unreported = dict.fromkeys(job.path for job in jobs)  # this run's, in order
            self._pool.submit(
                _save_run,
                tuple(jobs),
                on_item=lambda result, left=unreported: self._result(result, left),
                on_error=lambda reason, left=unreported: self._run_failed(left, reason),
            )
            self.progress.emit(self._ok + self._bad, self._total)
        return len(ok)

    def _result(self, result: SaveResult, unreported: dict[Path, None]) -> None:
        job, outcome = result
        unreported.pop(job.path, None)
        if isinstance(outcome, str):
            self._failed(job.path, outcome)
        else:
            self._done(job, outcome)

    def _run_failed(self, unreported: dict[Path, None], reason: str) -> None:
        """The run itself broke (not one photo): what it had not reported is not saved. Only
        this run's photos: one it saved may be in a later run already."""
        for path in list(unreported):
            del unreported[path]
            self._failed(path, reason)

    def _done(self, job: SaveJob, record: PhotoRecord) -> None:
        self._saving.discard(job.path)
        self._ok += 1
        self._library.mark_saved(job.path, job.metadata, record)
        self.saved.emit(job.path)
        self._step()

    def _failed(self, path: Path, reason: str) -> None:
        self._saving.discard(path)
        self._bad += 1
        self._library.set_save_error(path, reason)
        self.failed.emit(path, reason)
        self._step()

    def _step(self) -> None:
        self.progress.emit(self._ok + self._bad, self._total)
        if not self._saving:
            self.finished.emit(self._ok, self._bad)
