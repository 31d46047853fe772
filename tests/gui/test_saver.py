"""The background saver: runs in order, each photo reported once, a broken run fails only its
own unreported photos."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import editor.gui.saver as saver_module
from editor.core.library import PhotoLibrary
from editor.core.metadata import read_photo
from editor.core.saving import SaveJob, SaveResult, save_one
from editor.gui.saver import PhotoSaver
from editor.gui.workers import WorkerPool


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    p = WorkerPool(1, "save")
    yield p
    p.shutdown()


def _library(paths: list[Path]) -> PhotoLibrary:
    lib = PhotoLibrary()
    lib.add(paths)
    for p in paths:
        lib.set_record(p, read_photo(p))
    return lib


def test_a_run_that_breaks_fails_only_what_it_had_not_reported(
    qtbot: QtBot,
    pool: WorkerPool,
    make_photo: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b, c = (make_photo(f"{n}.jpg") for n in "abc")
    lib = _library([a, b, c])
    saver = PhotoSaver(pool, lib)
    finished: list[tuple[int, int]] = []
    saver.finished.connect(lambda ok, bad: finished.append((ok, bad)))

    def breaks_after_the_first(jobs: tuple[SaveJob, ...]) -> Iterator[SaveResult]:
        yield jobs[0], save_one(jobs[0])
        if len(jobs) > 1:
            raise RuntimeError("can't start new thread")

    monkeypatch.setattr(saver_module, "_save_run", breaks_after_the_first)
    lib.set_field([a, b], "caption", "first run")
    assert saver.save([a, b]) == 2
    lib.set_field([c], "caption", "second run")
    assert saver.save([c]) == 1  # queued behind the first run
    qtbot.waitUntil(lambda: not saver.busy, timeout=10000)

    assert read_photo(a).metadata.caption == "first run" and not lib.is_dirty(a)
    assert lib.is_dirty(b) and "can't start new thread" in lib.item(b).save_error
    assert read_photo(b).metadata.caption == ""  # untouched
    assert read_photo(c).metadata.caption == "second run" and not lib.is_dirty(c)
    assert finished == [(2, 1)]  # once, when nothing is left, with every photo counted once


def test_a_broken_run_leaves_alone_a_photo_it_saved_that_a_later_run_saves_again(
    qtbot: QtBot,
    pool: WorkerPool,
    make_photo: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    p, a = make_photo("p.jpg"), make_photo("a.jpg")
    lib = _library([p, a])
    saver = PhotoSaver(pool, lib)
    finished: list[tuple[int, int]] = []
    saver.finished.connect(lambda ok, bad: finished.append((ok, bad)))
    go_on = threading.Event()

    def first_breaks_later(jobs: tuple[SaveJob, ...]) -> Iterator[SaveResult]:
        yield jobs[0], save_one(jobs[0])
        if len(jobs) > 1:
            go_on.wait(10)
            raise RuntimeError("the run broke")

    monkeypatch.setattr(saver_module, "_save_run", first_breaks_later)
    lib.set_field([p, a], "caption", "one")
    saver.save([p, a])
    qtbot.waitUntil(lambda: not lib.is_dirty(p), timeout=10000)  # p saved, a still running
    lib.set_field([p], "caption", "two")
    assert saver.save([p]) == 1  # a second run, queued behind the first
    go_on.set()
    qtbot.waitUntil(lambda: not saver.busy, timeout=10000)
    assert read_photo(p).metadata.caption == "two" and not lib.item(p).save_error
    assert lib.item(a).save_error and read_photo(a).metadata.caption == ""
    assert finished == [(1, 1)]  # photos, not writes: p saved (twice), a not
