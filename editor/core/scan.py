"""Walk dropped folders and files for photos, yielding batches of paths as they are found."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.metadata import is_supported_image

DEFAULT_BATCH = 64


@dataclass(frozen=True)
class ScanBatch:
    """Photos found since the previous batch, and folders that could not be read."""

    paths: tuple[Path, ...] = ()
    problems: tuple[tuple[Path, str], ...] = field(default=())
    folders: tuple[Path, ...] = ()  # roots that turned out to be folders (for recent folders)


def _hidden(name: str) -> bool:
    return name.startswith(".")


_DIGIT_RUNS = re.compile(r"(\d+)")  # \d: Unicode decimal digits, the ones int() reads


def natural_key(name: str) -> tuple[object, ...]:
    """Sort "IMG_2" before "IMG_10", as a file manager does: runs of digits compare as
    numbers, the text between them case-insensitively ("²" is text: int() cannot read it)."""
    parts = _DIGIT_RUNS.split(name.casefold())  # text, digits, text, ... (texts may be "")
    return tuple(
        (0, int(part)) if i % 2 else (1, part) for i, part in enumerate(parts) if part
    )


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def scan_paths(
    roots: Iterable[str | os.PathLike[str]],
    *,
    batch_size: int = DEFAULT_BATCH,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[ScanBatch]:
    """Yield batches of supported image paths under ``roots`` (files or folders, recursive).

    Hidden files and folders are skipped, as are files that are not images by extension.
    Symlinked folders are followed, each real folder once (so a link loop ends).
    A folder that cannot be listed is reported in ``ScanBatch.problems``; nothing is raised.
    Paths are absolute; each is yielded once even if reachable twice, and a file reached both
    directly and through a symlink (or through two symlinks) once. Stops early when
    ``cancelled()`` returns true.
    """
    seen: set[Path] = set()
    # (device, inode) of each file taken -> whether it was taken through a symlink. A file and
    # a symlink to it are one photo (two would be two editors for one file); two hard links
    # are two names the user gave it, and stay two.
    files: dict[tuple[int, int], bool] = {}
    pending: list[Path] = []
    problems: list[tuple[Path, str]] = []
    folders: list[Path] = []

    def take(path: Path, file_id: tuple[int, int] | None, link: bool) -> Iterator[ScanBatch]:
        if path in seen:
            return
        if file_id is not None:
            if file_id in files and (link or files[file_id]):
                return
            files.setdefault(file_id, link)
        seen.add(path)
        pending.append(path)
        if len(pending) >= batch_size:
            yield flush()

    def flush() -> ScanBatch:
        batch = ScanBatch(tuple(pending), tuple(problems), tuple(folders))
        pending.clear()
        problems.clear()
        folders.clear()
        return batch

    for root in roots:
        if cancelled():
            return
        path = Path(os.path.abspath(os.fspath(root)))
        try:
            is_dir = path.is_dir()
            is_file = not is_dir and path.is_file()
        except OSError as err:
            problems.append((path, err.strerror or str(err)))
            continue
        if is_file:
            if is_supported_image(path):
                yield from take(path, _file_id(path), path.is_symlink())
            continue
        if not is_dir:
            problems.append((path, "not found"))
            continue
        folders.append(path)
        stack = [path]
        visited: set[tuple[int, int]] = set()  # (device, inode) of each folder walked
        while stack:
            if cancelled():
                return
            folder = stack.pop()
            try:
                # Symlinked folders are followed; a loop (a link back up) is walked only once.
                st = os.stat(folder)
                if (st.st_dev, st.st_ino) in visited:
                    continue
                visited.add((st.st_dev, st.st_ino))
                with os.scandir(folder) as it:
                    entries = sorted(
                        (e for e in it if not _hidden(e.name)), key=lambda e: natural_key(e.name)
                    )
            except OSError as err:
                problems.append((folder, err.strerror or str(err)))
                continue
            subfolders: list[Path] = []
            for entry in entries:
                try:
                    if entry.is_dir():
                        subfolders.append(Path(entry.path))
                    elif entry.is_file() and is_supported_image(entry.name):
                        link = entry.is_symlink()
                        # A plain file's inode comes with the listing; a link's target needs a
                        # stat (links are few).
                        target = entry.stat() if link else None
                        file_id = (
                            (target.st_dev, target.st_ino) if target else (st.st_dev, entry.inode())
                        )
                        yield from take(Path(entry.path), file_id, link)
                except OSError as err:
                    problems.append((Path(entry.path), err.strerror or str(err)))
            # Depth-first in name order: push reversed so the first subfolder is walked next.
            stack.extend(reversed(subfolders))
    if pending or problems or folders:
        yield flush()
