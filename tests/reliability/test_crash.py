"""A short run of the crash harness: SIGKILL during saves never leaves a damaged photo."""

from __future__ import annotations

import os
import time
from pathlib import Path

from editor.core.safe_write import remove_stale_temp_files, stale_temp_files
from tests.reliability.crash_harness import generated_photos, run, writable_samples


def test_kill_during_save_leaves_old_or_complete_new_file(tmp_path: Path) -> None:
    sources = generated_photos(tmp_path, count=2) + writable_samples(limit=4)
    outcome = run(kills=16, sources=sources, seed=7, max_delay=0.15)
    assert outcome.kills == 16
    assert outcome.damaged == []
    assert outcome.old_bytes + outcome.new_version == 16


def test_stale_temp_files_are_found_and_removed_but_fresh_ones_kept(tmp_path: Path) -> None:
    old = tmp_path / ".photo.jpg.photocaption-abc123.tmp"
    fresh = tmp_path / ".other.jpg.photocaption-def456.tmp"
    photo = tmp_path / "photo.jpg"
    for p in (old, fresh, photo):
        p.write_bytes(b"x")
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert stale_temp_files(tmp_path) == [old]
    assert remove_stale_temp_files(tmp_path) == 1
    assert not old.exists() and fresh.exists() and photo.exists()
