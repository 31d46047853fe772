"""Thumbnails for the grid: worker-thread decodes, a memory-bounded cache, the shared on-disk
cache (freedesktop.org thumbnails, editor/core/thumb_cache.py)."""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from editor.core.errors import PhotoCaptionError
from editor.core.thumb_cache import ThumbCache
from editor.core.thumbnails import (
    ThumbnailError,
    decode_thumbnail,
    embedded_thumbnail,
    warm_up,
)
from editor.gui.imaging import to_qimage
from editor.gui.thumbnail_queue import FAST_LANES, SHARP_LANES, Job, JobQueue, Lane, drain
from editor.gui.workers import WorkerPool

log = logging.getLogger(__name__)

SHARP_PX = 384
DEFAULT_MEMORY_BYTES = 160 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """What one job produced: an image (None: nothing embedded), or why it failed."""

    image: QImage | None = None
    sharp: bool = False
    error: str = ""
    requeued: bool = False  # not in the disk cache: the job waits for a decode now
    covers: int = 1 << 16  # the largest grid size (device px) it is sharp for


def _fast(path: Path) -> Outcome:
    """The camera's embedded thumbnail: well under a millisecond for a camera JPEG.

    Even when the on-disk cache holds a sharp one, this comes first: decoding that costs a few
    times more, and the first screenful of a reopened folder should appear as fast as ever.
    """
    embedded = embedded_thumbnail(path)
    return Outcome(to_qimage(embedded) if embedded is not None else None, False)


class _Writes:
    """Sharp thumbnails still to be written to the disk cache.

    Encoding the PNG costs ~20 ms, a fifth of a decode: for a photo on screen it waits until no
    photo on screen waits for a decode (the drain writes it when it takes an off-screen job or
    runs out of jobs), so the screenful turns sharp first. At most ``limit`` wait (~0.7 MB
    each); beyond that a thumbnail is written at once.
    """

    def __init__(self, limit: int = 48) -> None:
        self._lock = threading.Lock()
        self._items: deque[tuple[Path, int, Image.Image]] = deque()
        self._limit = limit

    def add(self, path: Path, max_px: int, image: Image.Image) -> bool:
        with self._lock:
            if len(self._items) >= self._limit:
                return False
            self._items.append((path, max_px, image))
            return True

    def write(self, disk: ThumbCache) -> None:
        while True:
            with self._lock:
                if not self._items:
                    return
                path, max_px, image = self._items.popleft()
            disk.put(path, max_px, image)


def _sharp(path: Path, sharp_px: int, disk: ThumbCache | None,
           writes: _Writes | None = None, visible: bool = False,
           view_px: int | None = None) -> Outcome:
    """A proper decode: from the shared on-disk cache when it has one, else from the file, at
    the cache's standard size (stored there for next time and for other programs: later, when
    ``visible`` and ``writes`` is given), then shrunk to ``sharp_px``. A file that failed
    before (and has not changed) is not decoded again."""
    if disk is None:
        return Outcome(to_qimage(decode_thumbnail(path, sharp_px)), True)
    hit = _from_disk(path, sharp_px, disk, view_px)
    if hit is not None:
        return hit
    reason = disk.failed(path)
    if reason is not None:
        return Outcome(error=reason)
    try:
        image = decode_thumbnail(path, disk.stored_px(sharp_px))
    except ThumbnailError as err:  # the file cannot be decoded (not: it cannot be read)
        disk.put_failure(path, str(err) or "cannot show this photo")
        raise
    if writes is None or not visible or not writes.add(path, sharp_px, image):
        if writes is not None:
            writes.write(disk)  # an off-screen photo: the screenful's thumbnails first
        disk.put(path, sharp_px, image)
    if max(image.size) > sharp_px:
        image = image.copy()
        image.thumbnail((sharp_px, sharp_px), Image.Resampling.BICUBIC)
    return Outcome(to_qimage(image), True)


def _drain_then_write(writes: _Writes, disk: ThumbCache | None, *args: Any) -> Iterator[Any]:
    """``drain(*args)``, then the thumbnails it left to write."""
    yield from drain(*args)
    if disk is not None:
        writes.write(disk)


def _never() -> bool:
    return False


def _beside_embedded(threads: int) -> int:
    """Decodes that may run while embedded thumbnails wait: one core is left to them."""
    return max(1, threads - 1)


def _from_disk(path: Path, sharp_px: int, disk: ThumbCache,
               view_px: int | None) -> Outcome | None:
    """The disk cache's thumbnail, from the smallest entry sharp at ``view_px`` (the grid's
    cells: the 256 px entry at the usual sizes, a quarter of the 512's decoding)."""
    found = disk.lookup(path, sharp_px, view_px)
    if found is None:
        return None
    image, entry_px = found
    return Outcome(to_qimage(image), True, covers=entry_px if entry_px < sharp_px else 1 << 16)


def _cached(job: Job, sharp_px: int, disk: ThumbCache | None, queue: JobQueue,
            view_px: int | None = None) -> Outcome:
    """A VISIBLE_CACHED job: the sharp thumbnail from the disk cache (or its remembered
    failure); when it has neither, the job goes on to the decode pool (same token)."""
    if disk is not None:
        hit = _from_disk(job.path, sharp_px, disk, view_px)
        if hit is not None:
            return hit
        reason = disk.failed(job.path)
        if reason is not None:
            return Outcome(error=reason)
    queue.put(job.path, Lane.VISIBLE_SHARP, job.token)
    return Outcome(requeued=True)


def _run(job: Job, sharp_px: int, disk: ThumbCache | None, writes: _Writes | None = None,
         queue: JobQueue | None = None, view: list[int] | None = None) -> Outcome:
    view_px = view[0] if view else None
    try:
        if job.cached_only and queue is not None:
            return _cached(job, sharp_px, disk, queue, view_px)
        if job.sharp:
            return _sharp(job.path, sharp_px, disk, writes, job.visible, view_px)
        return _fast(job.path)
    except PhotoCaptionError as err:
        return Outcome(error=str(err) or "cannot show this photo")
    except Exception as err:  # a bug in a decoder must not stop the other photos
        log.exception("thumbnail of %s failed", job.path)
        return Outcome(error=f"cannot show this photo ({type(err).__name__})")


@dataclass
class _Photo:
    """What the thumbnailer knows about one photo it was asked for (one record per photo)."""

    image: QImage | None = None
    sharp: bool = False  # the image is a full decode, not the embedded thumbnail
    fast_job: int | None = None  # token of the queued or running embedded-thumbnail job
    sharp_job: int | None = None  # token of the queued or running decode
    error: str = ""  # the last failure, while another job may still succeed
    failed: str = ""  # no thumbnail at all, and why (said once)
    no_sharp: bool = False  # a decode failed: the embedded thumbnail stays
    covers: int = 0  # the largest grid size (device px) the sharp image is sharp for

    def job(self, sharp: bool) -> int | None:
        return self.sharp_job if sharp else self.fast_job


class Thumbnailer(QObject):
    """Hands out QImages by path and fetches missing ones on its pools.

    ``request(paths)`` asks for a first thumbnail (the embedded one);
    ``show(paths)`` says which photos are on screen: they go first, and get a proper decode.
    ``forget`` drops work and images for photos no longer shown; their late results are ignored.
    Fast jobs run on ``pool`` (they are short and mostly Python, so one thread is enough),
    decodes on ``decode_pool`` (they release the GIL, so they use every core).

    State: one ``_Photo`` per photo asked for (it exists while the photo is wanted), the paths on
    screen in view order, and the order in which images were last used (memory is bounded, the
    least recently used image goes first).
    """

    thumbnailsReady = Signal(list)  # list[Path]: new images, one signal per batch of results
    thumbnailFailed = Signal(object, str)  # Path, reason

    def __init__(
        self,
        pool: WorkerPool,
        disk: ThumbCache | None,
        sharp_px: int = SHARP_PX,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
        parent: QObject | None = None,
        decode_pool: WorkerPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._pools = {False: pool, True: decode_pool or pool}
        self._disk = disk
        self.sharp_px = sharp_px
        self._memory_bytes = memory_bytes
        self._photos: dict[Path, _Photo] = {}
        self._visible: dict[Path, None] = {}  # on screen, in view order
        self._in_memory: OrderedDict[Path, None] = OrderedDict()  # least recently used first
        self._bytes = 0
        self._jobs = 0  # queued or running jobs whose result is still wanted
        self._queue = JobQueue()
        self._tokens = itertools.count(1)
        self._drains = {False: 0, True: 0}  # running drain tasks, fast and sharp
        self._writes = _Writes()  # sharp thumbnails not yet in the disk cache
        self._view = [sharp_px]  # the grid's thumbnail size in device px (read by workers)

    @property
    def view_px(self) -> int:
        """The size the grid draws thumbnails at (device pixels): a disk-cache entry just
        large enough is read (``sharp_px`` until the grid says)."""
        return self._view[0]

    @view_px.setter
    def view_px(self, px: int) -> None:
        self._view[0] = max(1, min(px, self.sharp_px))

    # -- queries -----------------------------------------------------------------------------
    def image(self, path: Path) -> QImage | None:
        photo = self._photos.get(path)
        if photo is None or photo.image is None:
            return None
        self._in_memory.move_to_end(path)
        return photo.image

    def is_sharp(self, path: Path) -> bool:
        photo = self._photos.get(path)
        return photo is not None and photo.image is not None and photo.sharp

    def failure(self, path: Path) -> str:
        photo = self._photos.get(path)
        return photo.failed if photo is not None else ""

    @property
    def busy(self) -> bool:
        return self._jobs > 0

    @property
    def jobs(self) -> int:
        """Queued or running jobs whose result is still wanted."""
        return self._jobs

    # -- requests ----------------------------------------------------------------------------
    def request(self, paths: Iterable[Path]) -> None:
        """Fetch a first thumbnail for these photos (visible ones first)."""
        for path in paths:
            photo = self._photo(path)
            if photo.image is not None or photo.failed or photo.fast_job is not None:
                continue
            self._put(path, Lane.VISIBLE_FAST if path in self._visible else Lane.FAST)
        self._start_drains()

    def show(self, paths: Iterable[Path]) -> None:
        """These photos are on screen now (in view order): fetch them first, and sharp."""
        visible = dict.fromkeys(paths)
        for path in self._visible.keys() - visible.keys():
            # Off screen again: still wants a first thumbnail, no longer a decode.
            photo = self._photos.get(path)
            if photo is None:
                continue
            if self._queue.lane_of(path, False) is Lane.VISIBLE_FAST:
                self._put(path, Lane.FAST, photo.fast_job)
            if self._queue.lane_of(path, True) in (Lane.VISIBLE_CACHED, Lane.VISIBLE_SHARP):
                if photo.image is not None or photo.fast_job is not None:
                    self._unqueue(path, True)
                else:  # nothing embedded: a decode is all there will be
                    self._put(path, Lane.SHARP, photo.sharp_job)
        self._visible = visible
        for path in visible:
            photo = self._photo(path)
            if photo.failed:
                continue
            if photo.fast_job is not None:
                if self._queue.lane_of(path, False) is Lane.FAST:
                    self._put(path, Lane.VISIBLE_FAST, photo.fast_job)
            elif photo.image is None:
                self._put(path, Lane.VISIBLE_FAST)
            self._want_sharp(path, self._visible_sharp)
        self._start_drains()

    def forget(self, paths: Iterable[Path]) -> None:
        """Stop caring about these photos: drop their queued work and their images."""
        for path in paths:
            self._visible.pop(path, None)
            if path not in self._photos:
                continue
            for sharp in (False, True):
                self._unqueue(path, sharp)
            self._drop(path)
            del self._photos[path]

    def invalidate(self, path: Path) -> None:
        """The file changed: fetch it again if it is still wanted."""
        wanted, visible = path in self._photos, path in self._visible
        self.forget([path])
        if wanted:
            self.request([path])
        if visible:
            self.show([*self._visible, path])

    def clear(self) -> None:
        self.forget(list(self._photos))
        self._queue.clear()

    def warm_up(self) -> None:
        """Start the worker threads and load the codecs now, before the first folder arrives."""
        for pool in set(self._pools.values()):
            pool.submit(lambda: to_qimage(warm_up()))

    # -- queue and drains --------------------------------------------------------------------
    def _photo(self, path: Path) -> _Photo:
        photo = self._photos.get(path)
        if photo is None:
            photo = self._photos[path] = _Photo()
        return photo

    def _set_job(self, photo: _Photo, sharp: bool, token: int | None) -> None:
        self._jobs += (token is not None) - (photo.job(sharp) is not None)
        if sharp:
            photo.sharp_job = token
        else:
            photo.fast_job = token

    def _put(self, path: Path, lane: Lane, token: int | None = None) -> None:
        token = next(self._tokens) if token is None else token
        self._set_job(self._photo(path), lane.sharp, token)
        self._queue.put(path, lane, token)

    def _unqueue(self, path: Path, sharp: bool) -> None:
        """Forget a job: taken off the queue, or its result ignored if it is running."""
        photo = self._photos.get(path)
        if photo is not None:
            self._set_job(photo, sharp, None)
        self._queue.discard(path, sharp)

    @property
    def _visible_sharp(self) -> Lane:
        """Where a sharp job for a photo on screen goes first: the disk cache's lane if any."""
        return Lane.VISIBLE_SHARP if self._disk is None else Lane.VISIBLE_CACHED

    def _want_sharp(self, path: Path, lane: Lane) -> None:
        photo = self._photo(path)
        if (photo.image is not None and photo.sharp and photo.covers >= self.view_px) or (
            photo.failed or photo.no_sharp
        ):
            return
        current = self._queue.lane_of(path, True)
        if photo.sharp_job is None:
            self._put(path, lane)
        elif current is not None and lane < current and not (
            lane is Lane.VISIBLE_CACHED and current is Lane.VISIBLE_SHARP  # a cache miss already
        ):
            self._put(path, lane, photo.sharp_job)  # move up; a running job stays as it is

    def first_thumbnails_ready(self, paths: Iterable[Path]) -> bool:
        """Whether each of these photos has its first thumbnail (or none is coming)."""
        photos = self._photos
        return all(
            (photo := photos.get(path)) is not None and photo.fast_job is None for path in paths
        )

    def _visible_fast_pending(self) -> bool:
        photos = self._photos
        return any(
            (photo := photos.get(path)) is not None and photo.fast_job is not None
            for path in self._visible
        )

    def _decode_drains(self, threads: int) -> int:
        """How many decodes may run: one core is left to the embedded thumbnails (and the
        metadata reads) while any are waiting. A first thumbnail for every photo costs a
        fraction of a millisecond, a sharp one ~90 ms; measured on 1,000 photos, the embedded
        ones spent a third of the opening waiting for a CPU that the decodes held."""
        return _beside_embedded(threads) if self._fast_waiting() else max(1, threads)

    def _fast_waiting(self) -> bool:
        return self._queue.waiting(FAST_LANES) > 0

    def _start_drains(self) -> None:
        for sharp, lanes in ((False, FAST_LANES), (True, SHARP_LANES)):
            if sharp and self._visible_fast_pending():
                continue  # the screenful of embedded thumbnails first; decodes compete with it
            pool = self._pools[sharp]
            threads = pool.pool.maxThreadCount()
            limit = 1 if not sharp else self._decode_drains(threads)
            if self._drains[sharp] >= limit:
                continue  # as many drains as threads already
            wanted = min(limit - self._drains[sharp], self._queue.waiting(lanes))
            for _ in range(max(0, wanted)):
                # A decode drain beyond the one core left to embedded thumbnails stops when
                # some are waiting again (a folder dropped while decodes use every core).
                extra = sharp and self._drains[True] >= _beside_embedded(threads)
                handle = pool.submit(
                    _drain_then_write,
                    self._writes,
                    self._disk,
                    self._queue,
                    lanes,
                    functools.partial(_run, sharp_px=self.sharp_px, disk=self._disk,
                                      writes=self._writes, queue=self._queue, view=self._view),
                    32 if not sharp else 1,
                    pool.gui_first.pause,
                    self._fast_waiting if extra else _never,
                    on_item=self._deliver,
                    on_done=lambda _r, s=sharp: self._drain_ended(s),
                    on_error=lambda _reason, s=sharp: self._drain_ended(s),
                )
                if handle.cancelled:  # the pool is shut down
                    return
                self._drains[sharp] += 1

    def _drain_ended(self, sharp: bool) -> None:
        self._drains[sharp] -= 1
        self._start_drains()  # jobs queued just as it found the queue empty

    # -- results -----------------------------------------------------------------------------
    def _deliver(self, batch: Sequence[tuple[Job, Outcome]]) -> None:
        ready: list[Path] = []
        for job, outcome in batch:
            path = job.path
            photo = self._photos.get(path)
            if photo is None or photo.job(job.sharp) != job.token:
                continue  # forgotten or asked again since; a newer job will report
            if outcome.requeued:
                continue  # not cached: the same job is queued for a decode
            self._set_job(photo, job.sharp, None)
            if outcome.error:
                photo.error = outcome.error
                if job.sharp:
                    photo.no_sharp = True
            elif outcome.image is not None and not (self.is_sharp(path) and not outcome.sharp):
                self._store(path, outcome.image, outcome.sharp)
                photo.covers = outcome.covers if outcome.sharp else 0
                photo.failed = photo.error = ""
                ready.append(path)
            if not job.sharp and not outcome.sharp and not outcome.error:
                if path in self._visible:
                    self._want_sharp(path, self._visible_sharp)
                elif outcome.image is None:  # nothing embedded: a decode is all there will be
                    self._want_sharp(path, Lane.SHARP)
            self._settle(path, photo)
        if ready:
            self.thumbnailsReady.emit(ready)
        self._start_drains()

    def _settle(self, path: Path, photo: _Photo) -> None:
        """A photo with no image and no job left for it has failed; say why once."""
        if photo.failed or photo.image is not None:
            return
        if photo.fast_job is not None or photo.sharp_job is not None:
            return
        reason = photo.error or "no thumbnail could be made from this file"
        photo.error, photo.failed = "", reason
        self.thumbnailFailed.emit(path, reason)

    def _store(self, path: Path, image: QImage, sharp: bool) -> None:
        self._drop(path)
        photo = self._photos[path]
        photo.image, photo.sharp = image, sharp
        self._in_memory[path] = None
        self._bytes += image.sizeInBytes()
        while self._bytes > self._memory_bytes and len(self._in_memory) > 1:
            old, _ = self._in_memory.popitem(last=False)
            self._evict(self._photos[old])

    def _drop(self, path: Path) -> None:
        if path in self._in_memory:
            del self._in_memory[path]
            self._evict(self._photos[path])

    def _evict(self, photo: _Photo) -> None:
        assert photo.image is not None
        self._bytes -= photo.image.sizeInBytes()
        photo.image, photo.sharp = None, False
