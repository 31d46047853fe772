"""The thumbnail queue serves what is on screen first, moves jobs between lanes, and batches."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from editor.gui.thumbnail_queue import (
    BATCH,
    FAST_LANES,
    SHARP_LANES,
    Job,
    JobQueue,
    Lane,
    drain,
)
from editor.gui.workers import GuiFirst

A, B, C, D = (Path(f"/x/{n}.jpg") for n in "abcd")


def test_lanes_are_served_in_order_and_each_job_once() -> None:
    queue = JobQueue()
    queue.put(A, Lane.FAST, 1)
    queue.put(B, Lane.FAST, 2)
    queue.put(C, Lane.SHARP, 3)
    queue.put(D, Lane.VISIBLE_FAST, 4)
    queue.put(B, Lane.VISIBLE_FAST, 2)  # scrolled into view: moves up, not queued twice
    assert queue.waiting(FAST_LANES) == 3 and queue.waiting(SHARP_LANES) == 1
    taken = [queue.take(FAST_LANES) for _ in range(4)]
    assert taken == [Job(D, False, 4, True), Job(B, False, 2, True), Job(A, False, 1), None]
    assert queue.take(SHARP_LANES) == Job(C, True, 3)
    assert queue.take(SHARP_LANES) is None


def test_discarded_and_superseded_jobs_are_skipped() -> None:
    queue = JobQueue()
    queue.put(A, Lane.FAST, 1)
    queue.put(B, Lane.FAST, 2)
    queue.discard(A, False)
    queue.put(B, Lane.FAST, 5)  # asked again after a forget: only the new token runs
    assert queue.lane_of(A, False) is None and queue.lane_of(B, False) is Lane.FAST
    assert queue.take(FAST_LANES) == Job(B, False, 5)
    assert queue.take(FAST_LANES) is None


def test_drain_batches_results_and_yields_at_once_when_the_screenful_is_done() -> None:
    queue = JobQueue()
    for i in range(BATCH + 5):
        queue.put(Path(f"/x/{i}.jpg"), Lane.FAST, i)
    batches = [len(b) for b in drain(queue, FAST_LANES, lambda job: job.path.name)]
    assert batches == [BATCH, 5]  # fast jobs: one signal per batch, not per photo

    queue.put(A, Lane.VISIBLE_FAST, 1)
    queue.put(B, Lane.FAST, 2)
    seen: list[list[str]] = []
    for batch in drain(queue, FAST_LANES, lambda job: job.path.name):
        seen.append([outcome for _job, outcome in batch])  # type: ignore[misc]
    assert seen == [["a.jpg"], ["b.jpg"]]  # the last photo on screen is not held back


def test_workers_pause_while_the_gui_thread_is_awake_but_never_for_long() -> None:
    gate = GuiFirst()
    gate._awake()  # what the event dispatcher's "awake" signal does
    waited: list[float] = []

    def worker() -> None:
        start = time.perf_counter()
        gate.pause()
        waited.append(time.perf_counter() - start)

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.02)
    assert not waited  # still paused: the GUI thread is busy
    gate._idle()  # "aboutToBlock": the event loop goes to sleep
    thread.join(1)
    assert waited and waited[0] < GuiFirst.MAX_PAUSE_S

    gate._awake()
    start = time.perf_counter()
    gate.pause()  # a GUI thread that stays busy cannot starve the workers
    assert GuiFirst.MAX_PAUSE_S * 0.9 <= time.perf_counter() - start < 1


def test_waiting_counts_stay_true_through_puts_moves_discards_and_takes() -> None:
    import random

    rng = random.Random(7)
    queue = JobQueue()
    paths = [Path(f"/x/{i}.jpg") for i in range(12)]
    for step in range(600):
        op, path = rng.random(), rng.choice(paths)
        if op < 0.5:
            queue.put(path, rng.choice(list(Lane)), rng.randint(1, 3))
        elif op < 0.7:
            queue.discard(path, rng.random() < 0.5)
        elif op < 0.95:
            queue.take(rng.choice([FAST_LANES, SHARP_LANES]))
        else:
            queue.clear()
        for lanes in (FAST_LANES, SHARP_LANES, (Lane.VISIBLE_FAST,), (Lane.SHARP,)):
            counted = sum(
                1 for p in paths for sharp in (False, True)
                if queue.lane_of(p, sharp) in lanes
            )
            assert queue.waiting(lanes) == counted, step
