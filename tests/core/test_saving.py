"""Saving many photos two at a time: every result reported, files correct, one file never
written by two threads at once, and a run stopped early leaves nothing half-done."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from editor.core.formats import jpeg
from editor.core.metadata import read_photo
from editor.core.safe_write import file_lock
from editor.core.saving import SaveJob, save_one, save_photos


def _job(path: Path, caption: str) -> SaveJob:
    record = read_photo(path)
    return SaveJob(path, record.metadata.replace(caption=caption), expected=record.stamp)


def _image_data(path: Path) -> bytes:
    data = path.read_bytes()
    return jpeg.image_data(data)


def test_every_photo_is_saved_and_every_result_reported(make_photo) -> None:  # type: ignore[no-untyped-def]
    paths = [make_photo(f"p{i}.jpg") for i in range(7)]
    images = {p: _image_data(p) for p in paths}
    jobs = [_job(p, f"caption {i}") for i, p in enumerate(paths)]
    gone = paths[-1]
    gone.unlink()  # deleted after it was read: refused with a reason, the others go on
    results = dict((job.path, outcome) for job, outcome in save_photos(jobs))
    assert set(results) == set(paths)
    assert isinstance(results[gone], str) and results[gone]
    for i, p in enumerate(paths[:-1]):
        record = results[p]
        assert not isinstance(record, str), record
        assert record.metadata.caption == f"caption {i}"
        assert read_photo(p).metadata.caption == f"caption {i}"
        assert _image_data(p) == images[p]
    assert not [n for n in os.listdir(paths[0].parent) if n.endswith(".tmp")]


def test_writes_to_one_file_take_turns_even_through_a_link(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_photo("a.jpg")
    link = tmp_path / "link.jpg"
    link.symlink_to(path)
    job = _job(link, "through the link")
    finished = threading.Event()

    def save() -> None:
        save_one(job)
        finished.set()

    with file_lock(path):  # another save of the same file holds it
        writer = threading.Thread(target=save)
        writer.start()
        assert not finished.wait(0.3)  # waits its turn instead of writing
    writer.join(10)
    assert finished.is_set()
    assert read_photo(path).metadata.caption == "through the link"


def test_a_run_stopped_early_finishes_what_it_started_and_starts_nothing_more(make_photo) -> None:  # type: ignore[no-untyped-def]
    paths = [make_photo(f"p{i}.jpg") for i in range(8)]
    jobs = [_job(p, "stopped") for p in paths]
    run = save_photos(jobs, threads=2)
    _job_done, first = next(run)
    assert not isinstance(first, str)
    run.close()  # the caller went away
    captions = [read_photo(p).metadata.caption for p in paths]
    saved = captions.count("stopped")
    assert 1 <= saved <= 3  # the reported one and at most the two in flight; no more started
    assert all(c in ("", "stopped") for c in captions)
    assert not [n for n in os.listdir(paths[0].parent) if n.endswith(".tmp")]
