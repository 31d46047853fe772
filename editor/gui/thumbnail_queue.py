"""The thumbnail work queue: paths waiting for a thumbnail, in lanes served in priority order.

The GUI thread puts paths in; a few long-running drain tasks on the worker pools take them out
one at a time, so what is on screen always goes next, whatever was queued before it, and a
folder of thousands of photos costs a handful of pool tasks rather than one per photo.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class Lane(IntEnum):
    """Kinds of work, most urgent first. Fast = embedded thumbnail; cached = a sharp job for a
    photo on screen, tried first against the disk cache (a few ms; by the fast thread and the
    decode threads alike), and moved to VISIBLE_SHARP, for a decode, when the cache has none."""

    VISIBLE_FAST = 0
    VISIBLE_CACHED = 1
    FAST = 2
    VISIBLE_SHARP = 3
    SHARP = 4

    @property
    def sharp(self) -> bool:
        return self in (Lane.VISIBLE_CACHED, Lane.VISIBLE_SHARP, Lane.SHARP)


FAST_LANES = (Lane.VISIBLE_FAST, Lane.VISIBLE_CACHED, Lane.FAST)
SHARP_LANES = (Lane.VISIBLE_CACHED, Lane.VISIBLE_SHARP, Lane.SHARP)
VISIBLE_LANES = (Lane.VISIBLE_FAST, Lane.VISIBLE_CACHED, Lane.VISIBLE_SHARP)

Key = tuple[Path, bool]  # (path, sharp job?)


@dataclass(frozen=True)
class Job:
    path: Path
    sharp: bool
    token: int  # tells a current job's result from that of one queued before a forget
    visible: bool = False
    cached_only: bool = False  # a VISIBLE_CACHED job: try the disk cache, do not decode


class JobQueue:
    """Thread-safe lanes of jobs; each (path, sharp) is queued at most once, in one lane.

    Moving a job to another lane leaves a stale entry behind, which ``take`` skips. How many
    jobs wait in each lane is counted as they come and go: drains and the GUI thread ask after
    every result, and the queue may hold thousands.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lanes: dict[Lane, deque[tuple[Path, int]]] = {lane: deque() for lane in Lane}
        self._queued: dict[Key, tuple[Lane, int]] = {}
        self._waiting: dict[Lane, int] = dict.fromkeys(Lane, 0)

    def _unqueue(self, key: Key) -> None:
        """Forget ``key``'s current entry (the lock is held)."""
        entry = self._queued.pop(key, None)
        if entry is not None:
            self._waiting[entry[0]] -= 1

    def put(self, path: Path, lane: Lane, token: int) -> None:
        key = (path, lane.sharp)
        with self._lock:
            if self._queued.get(key) == (lane, token):
                return
            self._unqueue(key)
            self._queued[key] = (lane, token)
            self._waiting[lane] += 1
            self._lanes[lane].append((path, token))

    def lane_of(self, path: Path, sharp: bool) -> Lane | None:
        with self._lock:
            entry = self._queued.get((path, sharp))
        return entry[0] if entry else None

    def discard(self, path: Path, sharp: bool) -> None:
        with self._lock:
            self._unqueue((path, sharp))

    def take(self, lanes: Sequence[Lane]) -> Job | None:
        with self._lock:
            for lane in lanes:
                entries = self._lanes[lane]
                while entries:
                    path, token = entries.popleft()
                    key = (path, lane.sharp)
                    if self._queued.get(key) == (lane, token):
                        self._unqueue(key)
                        visible = lane in VISIBLE_LANES
                        return Job(path, lane.sharp, token, visible,
                                   lane is Lane.VISIBLE_CACHED)
        return None

    def waiting(self, lanes: Sequence[Lane]) -> int:
        with self._lock:
            return sum(self._waiting[lane] for lane in lanes)

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
            self._waiting = dict.fromkeys(Lane, 0)
            for entries in self._lanes.values():
                entries.clear()


BATCH = 32
BATCH_SECONDS = 0.012
"""A drain hands results back in batches (one queued signal each, not one per photo), at most
this many or this old, and whenever the queue runs dry."""


def drain(
    queue: JobQueue,
    lanes: Sequence[Lane],
    run: Callable[[Job], object],
    batch_size: int = BATCH,
    pause: Callable[[], None] = lambda: None,
    give_way: Callable[[], bool] = lambda: False,
) -> Iterator[list[tuple[Job, object]]]:
    """Run jobs from ``lanes`` until they are empty, yielding (job, outcome) batches (and at
    once when the last job for a photo on screen is done).

    Slow jobs (full decodes) should use ``batch_size=1``, so no result waits for the next one.
    ``pause`` is called before each job for a photo off screen (the GUI thread may want the GIL
    to itself); what is on screen goes ahead at once. The drain ends early, between two jobs,
    when ``give_way()`` says more urgent work needs its core.
    """
    batch: list[tuple[Job, object]] = []
    started = 0.0
    while not give_way():
        job = queue.take(lanes)
        if job is None:
            break
        if not job.visible:
            pause()
        outcome = run(job)
        if not batch:
            started = time.monotonic()
        batch.append((job, outcome))
        screenful_done = job.visible and not queue.waiting(VISIBLE_LANES)
        if len(batch) >= batch_size or time.monotonic() - started >= BATCH_SECONDS or (
            screenful_done
        ):
            yield batch
            batch = []
    if batch:
        yield batch
