"""Reading many photos and walking dropped folders in batches: the Qt-free work the GUI's loader
runs on its worker pools (and that a CLI or benchmark can run as it is)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from editor.core.errors import PhotoCaptionError
from editor.core.metadata import read_photo
from editor.core.model import PhotoRecord
from editor.core.scan import ScanBatch, scan_paths
from editor.core.sidecar import DEFAULT_POLICY, StorePolicy

log = logging.getLogger(__name__)

ReadResult = tuple[Path, PhotoRecord | str]


def read_many(
    paths: Sequence[Path],
    pause: Callable[[], None] = lambda: None,
    policy: StorePolicy = DEFAULT_POLICY,
) -> list[ReadResult]:
    """``read_photo`` for each path; a failure becomes its one-line reason, never an exception.

    ``pause`` is called before each photo (the GUI thread may want the GIL to itself);
    ``policy`` says which photos keep their metadata in a sidecar (DNG)."""
    out: list[ReadResult] = []
    for path in paths:
        pause()
        try:
            out.append((path, read_photo(path, policy=policy)))
        except PhotoCaptionError as err:
            out.append((path, str(err) or "cannot read this file"))
        except Exception as err:  # a bug in a reader must not stop the others
            log.exception("reading %s failed", path)
            out.append((path, f"cannot read this file ({type(err).__name__})"))
    return out


def scan_in_batches(
    roots: tuple[Path, ...], first_batch: int, pair_raw: bool = False
) -> Iterator[ScanBatch]:
    # A small first batch puts thumbnails on screen at once; bigger ones after keep overhead low.
    started = time.monotonic()
    small = True
    found, limit = 0, 128
    pending: list[Path] = []
    problems: list[tuple[Path, str]] = []
    folders: list[Path] = []
    skipped: list[Path] = []
    pairs: list[tuple[Path, Path]] = []
    for batch in scan_paths(roots, batch_size=first_batch, pair_raw=pair_raw):
        pending.extend(batch.paths)
        problems.extend(batch.problems)
        folders.extend(batch.folders)
        skipped.extend(batch.skipped)
        pairs.extend(batch.pairs)
        if small or len(pending) >= limit or time.monotonic() - started > 0.1:
            yield ScanBatch(
                tuple(pending), tuple(problems), tuple(folders), tuple(skipped), tuple(pairs)
            )
            # Batches grow with the set (up to 1,024 rows): each insert into the sorted view
            # costs time in proportion to the rows already there, so 5,000 photos in 128-row
            # batches spent ~1 s of GUI-thread time inserting; geometric growth keeps it O(n).
            found += len(pending)
            limit = max(128, min(1024, found))
            pending, problems, folders, skipped, pairs, small = [], [], [], [], [], False
            started = time.monotonic()
    if pending or problems or folders or skipped or pairs:
        yield ScanBatch(
            tuple(pending), tuple(problems), tuple(folders), tuple(skipped), tuple(pairs)
        )
