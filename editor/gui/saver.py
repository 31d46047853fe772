"""Saving: edited metadata written in the background, a save run at a time, in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from editor.core.library import PhotoLibrary
from editor.core.metadata import IimPolicy
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.core.saving import SaveJob, SaveResult, save_photos
from editor.core.sidecar import DEFAULT_POLICY
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
        self.iim_policy = IimPolicy.ALWAYS  # the Preferences' IPTC-IIM choice
        self.policy = DEFAULT_POLICY  # where RAW/HEIC metadata goes (sidecar names)
        self._saving: set[Path] = set()
        self._again: set[Path] = set()  # edited while being saved, and asked to save again
        self._saving_snapshot: dict[Path, PhotoMetadata] = {}  # what each running save writes
        self._outcomes: dict[Path, bool] = {}  # saved? per photo, since the saver was last idle
        self._total = self._done_count = 0

    @property
    def busy(self) -> bool:
        return bool(self._saving)

    def is_saving(self, path: Path) -> bool:
        return path in self._saving

    def will_save(self, path: Path) -> bool:
        """Its edits are in hand: being written now, or to be written again right after."""
        return path in self._saving and (
            path in self._again or self._saving_snapshot.get(path) == self._edited(path)
        )

    def _edited(self, path: Path) -> PhotoMetadata | None:
        item = self._library.get(path)
        return item.edited if item is not None else None

    def savable(self, paths: Iterable[Path] | None = None) -> tuple[list[Path], list[Path]]:
        """(unsaved photos that can be written, unsaved photos that cannot: read-only etc.).
        A photo being saved right now is in neither: edits made since are saved after it."""
        ok, blocked, _again = self._sort(paths)
        return ok, blocked

    def _sort(self, paths: Iterable[Path] | None) -> tuple[list[Path], list[Path], list[Path]]:
        """The unsaved photos among ``paths``: (to save now, cannot be saved, being saved now
        and edited since)."""
        ok: list[Path] = []
        blocked: list[Path] = []
        again: list[Path] = []
        for path in self._library.dirty_paths(paths):
            item = self._library.item(path)
            if not item.writable:
                blocked.append(path)
            elif path not in self._saving:
                ok.append(path)
            elif self._saving_snapshot.get(path) != item.edited:
                again.append(path)
        return ok, blocked, again

    def save(self, paths: Iterable[Path] | None = None) -> int:
        """Queue the unsaved photos among ``paths`` (all when None); returns how many. A photo
        being saved right now whose edits changed since is saved again once that save is done."""
        ok, _blocked, again = self._sort(paths)
        self._again.update(again)
        jobs: list[SaveJob] = []
        for path in ok:
            item = self._library.item(path)
            assert item.record is not None
            self._saving.add(path)
            self._saving_snapshot[path] = item.edited
            companion = self._library.companions.get(path)
            jobs.append(
                SaveJob(
                    path, item.edited, item.record.stamp, self.keep_mtime,
                    iim_policy=self.iim_policy, policy=self.policy,
                    companions=(companion,) if companion else (),
                    fields=item.edited.changed_fields(item.original) if companion else frozenset(),
                )
            )
        if jobs:
            self._total += len(jobs)
            unreported = dict.fromkeys(job.path for job in jobs)  # this run's, in order
            self._pool.submit(
                _save_run,
                tuple(jobs),
                on_item=lambda result, left=unreported: self._result(result, left),
                on_error=lambda reason, left=unreported: self._run_failed(left, reason),
            )
            self.progress.emit(self._done_count, self._total)
        return len(ok) + len(again)

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
        self._forget(job.path)
        self._outcomes[job.path] = True
        self._library.mark_saved(job.path, job.metadata, record)
        self.saved.emit(job.path)
        if job.path in self._again:
            self._again.discard(job.path)
            self.save([job.path])  # the edits made while it was being written
        self._step()

    def _failed(self, path: Path, reason: str) -> None:
        self._forget(path)
        self._again.discard(path)  # the edits are kept, with the reason; no blind retry
        self._outcomes[path] = False
        self._library.set_save_error(path, reason)
        self.failed.emit(path, reason)
        self._step()

    def _forget(self, path: Path) -> None:
        self._saving.discard(path)
        self._saving_snapshot.pop(path, None)
        self._done_count += 1

    def _step(self) -> None:
        self.progress.emit(self._done_count, self._total)
        if not self._saving:
            saved = sum(self._outcomes.values())
            outcomes = len(self._outcomes)
            self._outcomes.clear()  # the next round of saving counts afresh
            self._total = self._done_count = 0
            self.finished.emit(saved, outcomes - saved)
