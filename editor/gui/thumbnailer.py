"""Thumbnails for the grid: worker-thread decodes, a memory-bounded cache, the on-disk cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from editor.core.thumb_cache import ThumbCache
from editor.core.thumbnails import decode_thumbnail, embedded_thumbnail
from editor.gui.imaging import to_qimage
from editor.gui.workers import TaskHandle, WorkerPool

SHARP_PX = 384
DEFAULT_MEMORY_BYTES = 160 * 1024 * 1024

# Visible rows jump the queue; off-screen decodes for files without an embedded thumbnail wait.
PRIORITY_FAST, PRIORITY_SHARP, PRIORITY_BACKGROUND = 20, 10, 0


def _fast(path: Path, sharp_px: int, disk: ThumbCache | None) -> tuple[QImage | None, bool]:
    """A thumbnail in well under a millisecond when possible: cached sharp, else embedded."""
    if disk is not None:
        cached = disk.get(path, sharp_px)
        if cached is not None:
            return to_qimage(cached), True
    embedded = embedded_thumbnail(path)
    return (to_qimage(embedded) if embedded is not None else None), False


def _sharp(path: Path, sharp_px: int, disk: ThumbCache | None) -> QImage:
    image = decode_thumbnail(path, sharp_px)
    if disk is not None:
        disk.put(path, sharp_px, image)
    return to_qimage(image)


class Thumbnailer(QObject):
    """Hands out QImages by path and fetches missing ones on its pool.

    ``request(paths)`` asks for a first thumbnail (on-disk cache, else the embedded one);
    ``request_sharp(paths)`` asks for a proper decode, for the rows on screen. ``forget``
    cancels work for photos no longer shown; their late results are dropped.
    """

    thumbnailReady = Signal(object)  # Path
    thumbnailFailed = Signal(object, str)  # Path, reason

    def __init__(
        self,
        pool: WorkerPool,
        disk: ThumbCache | None,
        sharp_px: int = SHARP_PX,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self._disk = disk
        self.sharp_px = sharp_px
        self._memory_bytes = memory_bytes
        self._cache: OrderedDict[Path, tuple[QImage, bool]] = OrderedDict()
        self._bytes = 0
        self._fast_jobs: dict[Path, TaskHandle] = {}
        self._sharp_jobs: dict[Path, tuple[TaskHandle, int]] = {}
        self._visible: set[Path] = set()
        self._failed: dict[Path, str] = {}
        self._wanted: set[Path] = set()

    # -- queries -----------------------------------------------------------------------------
    def image(self, path: Path) -> QImage | None:
        entry = self._cache.get(path)
        if entry is None:
            return None
        self._cache.move_to_end(path)
        return entry[0]

    def is_sharp(self, path: Path) -> bool:
        entry = self._cache.get(path)
        return bool(entry and entry[1])

    def failure(self, path: Path) -> str:
        return self._failed.get(path, "")

    @property
    def busy(self) -> bool:
        return bool(self._fast_jobs or self._sharp_jobs)

    # -- requests ----------------------------------------------------------------------------
    def request(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self._wanted.add(path)
            if path in self._cache or path in self._fast_jobs or path in self._failed:
                continue
            self._fast_jobs[path] = self._pool.submit(
                _fast,
                path,
                self.sharp_px,
                self._disk,
                on_done=lambda res, p=path: self._fast_done(p, res),
                on_error=lambda reason, p=path: self._job_failed(p, reason, self._fast_jobs),
                priority=PRIORITY_FAST,
            )

    def show(self, paths: Iterable[Path]) -> None:
        """These photos are on screen now: fetch them first, and sharp."""
        self._visible = set(paths)
        self.request(self._visible)
        self.request_sharp(self._visible)

    def request_sharp(self, paths: Iterable[Path], priority: int = PRIORITY_SHARP) -> None:
        for path in paths:
            if path not in self._wanted or self.is_sharp(path) or path in self._failed:
                continue
            if path in self._fast_jobs:
                continue  # the fast job may bring a cached sharp one; it asks again if not
            queued = self._sharp_jobs.get(path)
            if queued is not None and (
                queued[1] >= priority or not self._pool.try_take(queued[0])
            ):
                continue
            handle = self._pool.submit(
                _sharp,
                path,
                self.sharp_px,
                self._disk,
                on_done=lambda img, p=path: self._sharp_done(p, img),
                on_error=lambda reason, p=path: self._job_failed(p, reason, self._sharp_jobs),
                priority=priority,
            )
            self._sharp_jobs[path] = (handle, priority)

    def forget(self, paths: Iterable[Path]) -> None:
        """Stop caring about these photos: cancel their work, drop their images."""
        for path in paths:
            self._wanted.discard(path)
            fast = self._fast_jobs.pop(path, None)
            if fast is not None:
                self._pool.cancel(fast)
            sharp = self._sharp_jobs.pop(path, None)
            if sharp is not None:
                self._pool.cancel(sharp[0])
            self._drop(path)
            self._failed.pop(path, None)

    def invalidate(self, path: Path) -> None:
        """The file changed: fetch it again if it is still wanted."""
        wanted = path in self._wanted
        self.forget([path])
        if wanted:
            self.request([path])

    def clear(self) -> None:
        self.forget(list(self._wanted | set(self._cache)))

    # -- results -----------------------------------------------------------------------------
    def _fast_done(self, path: Path, result: tuple[QImage | None, bool]) -> None:
        self._fast_jobs.pop(path, None)
        if path not in self._wanted:
            return
        image, sharp = result
        if image is not None:
            self._store(path, image, sharp)
        if path in self._visible and not sharp:
            self.request_sharp([path], PRIORITY_SHARP)
        elif image is None:
            # Nothing embedded: a decode is the only thumbnail there will be.
            self.request_sharp([path], PRIORITY_BACKGROUND)

    def _sharp_done(self, path: Path, image: QImage) -> None:
        self._sharp_jobs.pop(path, None)
        if path in self._wanted:
            self._store(path, image, True)

    def _job_failed(self, path: Path, reason: str, jobs: dict[Path, object]) -> None:
        jobs.pop(path, None)
        if path not in self._wanted:
            return
        if self.image(path) is None:
            self._failed[path] = reason
            self.thumbnailFailed.emit(path, reason)

    def _store(self, path: Path, image: QImage, sharp: bool) -> None:
        self._drop(path)
        self._cache[path] = (image, sharp)
        self._bytes += image.sizeInBytes()
        while self._bytes > self._memory_bytes and len(self._cache) > 1:
            _old, (old_image, _) = self._cache.popitem(last=False)
            self._bytes -= old_image.sizeInBytes()
        self.thumbnailReady.emit(path)

    def _drop(self, path: Path) -> None:
        entry = self._cache.pop(path, None)
        if entry is not None:
            self._bytes -= entry[0].sizeInBytes()
