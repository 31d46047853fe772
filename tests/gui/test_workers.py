"""Worker pools and the thumbnailer: results on the GUI thread, cancellation, dropped results."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.core.errors import UnreadableFileError
from editor.gui.thumbnailer import Thumbnailer
from editor.gui.workers import WorkerPool


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    p = WorkerPool(1, "test")
    yield p
    p.shutdown()


def test_results_and_errors_arrive_on_the_gui_thread(qtbot: QtBot, pool: WorkerPool) -> None:
    gui = threading.get_ident()
    seen: list[object] = []

    def work(x: int) -> tuple[int, int]:
        return x * 2, threading.get_ident()

    def fail() -> None:
        raise UnreadableFileError("a.jpg: truncated")

    def bug() -> None:
        raise ZeroDivisionError("oops")

    pool.submit(work, 21, on_done=lambda r: seen.append((r, threading.get_ident())))
    pool.submit(fail, on_error=lambda reason: seen.append(reason))
    pool.submit(bug, on_error=lambda reason: seen.append(reason))
    qtbot.waitUntil(lambda: len(seen) == 3)
    (value, worker), caller = seen[0]  # type: ignore[misc]
    assert value == 42 and worker != gui and caller == gui
    assert seen[1] == "a.jpg: truncated"
    assert str(seen[2]).startswith("Unexpected error")
    assert not pool.busy


def test_streamed_items_and_cancellation(qtbot: QtBot, pool: WorkerPool) -> None:
    gate = threading.Event()
    items: list[int] = []
    done: list[bool] = []

    def gen() -> Iterator[int]:
        yield 1
        gate.wait(5)
        yield 2

    handle = pool.submit(gen, on_item=items.append, on_done=lambda _r: done.append(True))
    queued = pool.submit(lambda: 99, on_done=lambda r: items.append(r))
    qtbot.waitUntil(lambda: items == [1])
    pool.cancel(queued)  # never started: taken off the queue, it never runs
    pool.cancel(handle)
    gate.set()
    qtbot.waitUntil(lambda: not pool.busy)
    assert items == [1] and not done  # a cancelled task reports nothing more


def test_pool_refuses_work_after_shutdown(qtbot: QtBot) -> None:
    p = WorkerPool(1, "closed")
    assert p.shutdown()
    results: list[object] = []
    handle = p.submit(lambda: 1, on_done=results.append)
    assert handle.cancelled and not p.busy
    qtbot.wait(20)
    assert results == []


def test_thumbnailer_drops_results_for_forgotten_photos(
    qtbot: QtBot, pool: WorkerPool, make_photo: Callable[..., Path]
) -> None:
    thumbs = Thumbnailer(pool, None)
    a = make_photo("a.jpg")
    b = make_photo("b.jpg")
    ready: list[Path] = []
    thumbs.thumbnailsReady.connect(ready.extend)
    thumbs.request([a, b])
    thumbs.forget([b])
    qtbot.waitUntil(lambda: not thumbs.busy)
    assert thumbs.image(a) is not None and not thumbs.is_sharp(a)
    assert thumbs.image(b) is None and b not in ready
    thumbs.show([a])
    qtbot.waitUntil(lambda: thumbs.is_sharp(a))


def test_thumbnailer_memory_is_bounded(
    qtbot: QtBot, pool: WorkerPool, make_photo: Callable[..., Path]
) -> None:
    paths = [make_photo(f"{i}.jpg") for i in range(6)]
    thumbs = Thumbnailer(pool, None, memory_bytes=3 * 160 * 107 * 3)
    thumbs.request(paths)
    qtbot.waitUntil(lambda: not thumbs.busy)
    assert sum(thumbs.image(p) is not None for p in paths) <= 3


def test_thumbnailer_keeps_the_most_recently_used_images(
    qtbot: QtBot, pool: WorkerPool, make_photo: Callable[..., Path]
) -> None:
    a, b, c = (make_photo(f"{name}.jpg") for name in "abc")
    probe = Thumbnailer(pool, None)
    probe.request([a])
    qtbot.waitUntil(lambda: probe.image(a) is not None)
    size = probe.image(a).sizeInBytes()  # type: ignore[union-attr]
    thumbs = Thumbnailer(pool, None, memory_bytes=2 * size)
    thumbs.request([a, b])
    qtbot.waitUntil(lambda: not thumbs.busy)
    assert thumbs.image(a) is not None  # a is now the most recently used
    thumbs.request([c])
    qtbot.waitUntil(lambda: not thumbs.busy)
    assert thumbs.image(a) is not None and thumbs.image(c) is not None
    assert thumbs.image(b) is None and thumbs.jobs == 0
    thumbs.request([b])  # still wanted: asked for again, it comes back
    qtbot.waitUntil(lambda: thumbs.image(b) is not None)
    thumbs.forget([a, b, c])
    assert thumbs.jobs == 0 and all(thumbs.image(p) is None for p in (a, b, c))


def test_thumbnail_failure_is_reported(qtbot: QtBot, pool: WorkerPool, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8garbage")
    thumbs = Thumbnailer(pool, None)
    failures: list[tuple[Path, str]] = []
    thumbs.thumbnailFailed.connect(lambda p, r: failures.append((p, r)))
    thumbs.request([bad])
    qtbot.waitUntil(lambda: bool(failures))
    assert failures[0][0] == bad and "bad.jpg" in failures[0][1]
    assert thumbs.failure(bad)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_worker_priority_counts_from_the_process_not_from_the_thread_that_started_it() -> None:
    """A thread inherits its creator's nice: the save pool's own save threads were at +20."""
    import os

    from editor.gui.workers import lower_thread_priority

    base = os.getpriority(os.PRIO_PROCESS, os.getpid())
    seen: dict[str, int] = {}

    def inner() -> None:
        lower_thread_priority(10)
        seen["inner"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def outer() -> None:
        lower_thread_priority(10)
        seen["outer"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        child = threading.Thread(target=inner)
        child.start()
        child.join()

    worker = threading.Thread(target=outer)
    worker.start()
    worker.join()
    assert seen == {"outer": min(19, base + 10), "inner": min(19, base + 10)}


@dataclass(frozen=True)
class DecodeStart:
    thread: int
    active: int  # decodes running at that moment, this one included
    fast_waiting: bool  # embedded thumbnails were waiting


class DecodeRig:
    """A thumbnailer with one embedded-thumbnail thread and two decode threads, whose jobs
    are slowed down and whose decodes record how they started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, decode_s: float) -> None:
        import time

        from PIL import Image

        import editor.gui.thumbnailer as thumbnailer_module
        from editor.gui.thumbnail_queue import FAST_LANES

        self.fast_pool, self.decode_pool = WorkerPool(1, "fast"), WorkerPool(2, "decode")
        self.thumbs = Thumbnailer(self.fast_pool, None, decode_pool=self.decode_pool)
        self.starts: list[DecodeStart] = []
        lock = threading.Lock()
        active = [0]

        def slow_embedded(path: Path) -> Image.Image:
            time.sleep(0.01)
            return Image.new("RGB", (160, 107))

        def slow_decode(path: Path, px: int) -> Image.Image:
            with lock:
                active[0] += 1
                waiting = bool(self.thumbs._queue.waiting(FAST_LANES))
                self.starts.append(DecodeStart(threading.get_ident(), active[0], waiting))
            time.sleep(decode_s)
            with lock:
                active[0] -= 1
            return Image.new("RGB", (px, px * 2 // 3))

        monkeypatch.setattr(thumbnailer_module, "embedded_thumbnail", slow_embedded)
        monkeypatch.setattr(thumbnailer_module, "decode_thumbnail", slow_decode)

    def shutdown(self) -> None:
        self.fast_pool.shutdown()
        self.decode_pool.shutdown()


def test_decodes_leave_a_core_to_embedded_thumbnails_while_any_wait(
    qtbot: QtBot, make_photo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [make_photo(f"{i}.jpg") for i in range(30)]
    rig = DecodeRig(monkeypatch, decode_s=0.08)
    try:
        rig.thumbs.show(paths[:16])
        rig.thumbs.request(paths)
        qtbot.waitUntil(lambda: all(rig.thumbs.is_sharp(p) for p in paths[:16]), timeout=10000)
        qtbot.waitUntil(lambda: not rig.thumbs.busy, timeout=10000)
    finally:
        rig.shutdown()
    # One decode at a time while embedded ones wait, both threads once they are done.
    assert max(s.active for s in rig.starts if s.fast_waiting) == 1
    assert max(s.active for s in rig.starts) == 2


def test_a_decode_beyond_the_spare_core_gives_way_when_embedded_thumbnails_arrive_again(
    qtbot: QtBot, make_photo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [make_photo(f"{i}.jpg") for i in range(40)]
    rig = DecodeRig(monkeypatch, decode_s=0.05)
    try:
        rig.thumbs.show(paths[:20])
        rig.thumbs.request(paths[:20])
        # The first folder's decodes on both cores...
        qtbot.waitUntil(lambda: any(s.active == 2 for s in rig.starts), timeout=10000)
        before = len(rig.starts)
        rig.thumbs.request(paths[20:])  # ...when a second folder's 20 embedded ones arrive
        qtbot.waitUntil(lambda: not rig.thumbs.busy, timeout=10000)
    finally:
        rig.shutdown()
    starters = {s.thread for s in rig.starts[before:] if s.fast_waiting}
    assert len(starters) == 1  # one decode thread went on; the other gave way


def test_thumbnailer_shares_sharp_thumbnails_and_failures_through_the_disk_cache(
    qtbot: QtBot, pool: WorkerPool, make_photo: Callable[..., Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A restart (a new thumbnailer on the same cache) decodes neither the good photo again nor
    the one that failed; the good one is sharp at once, the bad one reports its failure."""
    from editor.core.thumb_cache import ThumbCache
    from editor.gui import thumbnailer

    good = make_photo("good.jpg")
    bad = good.parent / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 a broken JPEG")
    root = tmp_path / "thumbnails"
    first = Thumbnailer(pool, ThumbCache(root))
    failed: list[tuple[Path, str]] = []
    first.thumbnailFailed.connect(lambda p, why: failed.append((p, why)))
    first.request([good, bad])
    first.show([good, bad])
    qtbot.waitUntil(lambda: first.is_sharp(good) and bool(failed) and not first.busy)
    assert [p for p, _ in failed] == [bad]
    # 384 px is stored at 512 (written once no decode for the screen waits).
    qtbot.waitUntil(lambda: len(list((root / "x-large").glob("*.png"))) == 1)
    qtbot.waitUntil(lambda: not pool.busy)
    assert len(list((root / "fail").rglob("*.png"))) == 1

    decoded: list[Path] = []
    real = thumbnailer.decode_thumbnail
    monkeypatch.setattr(thumbnailer, "decode_thumbnail",
                        lambda path, px: decoded.append(path) or real(path, px))
    second = Thumbnailer(pool, ThumbCache(root))
    again: list[Path] = []
    second.thumbnailFailed.connect(lambda p, _why: again.append(p))
    second.show([good, bad])
    qtbot.waitUntil(lambda: second.is_sharp(good) and bool(again) and not second.busy)
    image = second.image(good)
    assert image is not None and max(image.width(), image.height()) == thumbnailer.SHARP_PX
    assert decoded == [] and again == [bad]


def test_a_visible_photos_cache_write_waits_for_the_screenful(
    make_photo: Callable[..., Path], tmp_path: Path
) -> None:
    from editor.core.thumb_cache import ThumbCache
    from editor.gui.thumbnailer import _sharp, _Writes

    disk, writes = ThumbCache(tmp_path / "thumbnails"), _Writes(limit=1)
    on_screen, off_screen, third = (make_photo(f"{n}.jpg") for n in ("a", "b", "c"))
    stored = lambda: len(list((tmp_path / "thumbnails").rglob("*.png")))  # noqa: E731
    assert _sharp(on_screen, 384, disk, writes, visible=True).sharp
    assert stored() == 0  # shown first, written later
    _sharp(off_screen, 384, disk, writes, visible=False)  # writes what waited, then its own
    assert stored() == 2
    _sharp(third, 384, disk, writes, visible=True)
    assert stored() == 2
    writes.write(disk)  # what the drain does when it runs out of jobs
    assert stored() == 3
    assert disk.get(on_screen, 384) is not None


def test_cached_sharp_thumbnails_on_screen_come_from_the_fast_thread(
    qtbot: QtBot, pool: WorkerPool, make_photo: Callable[..., Path], tmp_path: Path
) -> None:
    """On a reopening, the screenful's sharp thumbnails are read from the disk cache by the
    embedded-thumbnail thread, without waiting for the (busy) decode pool; a photo the cache
    does not have waits for a decode there."""
    from editor.core.thumb_cache import ThumbCache
    from editor.core.thumbnails import decode_thumbnail

    cached, missing = make_photo("cached.jpg"), make_photo("missing.jpg")
    disk = ThumbCache(tmp_path / "thumbnails")
    disk.put(cached, 384, decode_thumbnail(cached, 512))
    decode_pool = WorkerPool(1, "decode")
    gate = threading.Event()
    decode_pool.submit(gate.wait, 10)  # the decode pool's one thread is busy
    try:
        thumbs = Thumbnailer(pool, disk, decode_pool=decode_pool)
        thumbs.request([cached, missing])
        thumbs.show([cached, missing])
        qtbot.waitUntil(lambda: thumbs.is_sharp(cached))
        assert not thumbs.is_sharp(missing) and thumbs.image(missing) is not None
        gate.set()
        qtbot.waitUntil(lambda: thumbs.is_sharp(missing) and not thumbs.busy)
    finally:
        gate.set()
        decode_pool.shutdown()
