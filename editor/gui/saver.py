"""Saving: edited metadata written one photo at a time on a single background save thread."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from editor.core.library import PhotoLibrary
from editor.core.metadata import write_photo
from editor.core.model import FileStamp, PhotoMetadata, PhotoRecord
from editor.gui.workers import WorkerPool


def _write(
    path: Path, metadata: PhotoMetadata, stamp: FileStamp | None, keep_mtime: bool
) -> PhotoRecord:
    return write_photo(path, metadata, expected=stamp, keep_mtime=keep_mtime)


class PhotoSaver(QObject):
    """Queues saves on a one-thread pool; results go into the library on the GUI thread.

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
        for path in ok:
            item = self._library.item(path)
            assert item.record is not None
            snapshot = item.edited
            self._saving.add(path)
            self._total += 1
            self._pool.submit(
                _write,
                path,
                snapshot,
                item.record.stamp,
                self.keep_mtime,
                on_done=lambda rec, p=path, md=snapshot: self._done(p, md, rec),
                on_error=lambda reason, p=path: self._failed(p, reason),
            )
        if ok:
            self.progress.emit(0, self._total)
        return len(ok)

    def _done(self, path: Path, written: PhotoMetadata, record: PhotoRecord) -> None:
        self._saving.discard(path)
        self._ok += 1
        self._library.mark_saved(path, written, record)
        self.saved.emit(path)
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
