"""Walk dropped folders and files for photos, yielding batches of paths as they are found."""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.formats import is_supported_name as is_supported_image
from editor.core.formats.raw import RAW_EXTENSIONS

DEFAULT_BATCH = 64


@dataclass(frozen=True)
class ScanBatch:
    """Photos found since the previous batch, and folders that could not be read."""

    paths: tuple[Path, ...] = ()
    problems: tuple[tuple[Path, str], ...] = field(default=())
    folders: tuple[Path, ...] = ()  # roots that turned out to be folders (for recent folders)
    skipped: tuple[Path, ...] = ()  # files in walked folders that are not photos (no sidecars)
    # RAW+JPEG pairs (JPEG, RAW): the JPEG is in ``paths``, the RAW travels with it.
    pairs: tuple[tuple[Path, Path], ...] = ()


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


def _real_roots(roots: list[Path]) -> tuple[set[str], list[str]]:
    """The real paths of the files among ``roots`` that the walk takes under their own name
    (not links), and of the folders (as prefixes ending in a separator)."""
    files: set[str] = set()
    dirs: list[str] = []
    for root in roots:
        with contextlib.suppress(OSError):
            real = os.path.realpath(root)
            if os.path.isdir(real):
                dirs.append(os.path.join(real, ""))
            elif not os.path.islink(root):
                files.add(real)
    return files, dirs


def _walked_under(target: str, dirs: list[str]) -> bool:
    """Whether the walk of one of ``dirs`` reaches ``target`` as a photo: not hidden on the way
    and an image by its extension."""
    if not is_supported_image(target):
        return False
    for prefix in dirs:
        if target.startswith(prefix):
            parts = target[len(prefix):].split(os.sep)
            if not any(_hidden(part) for part in parts):
                return True
    return False


def scan_paths(
    roots: Iterable[str | os.PathLike[str]],
    *,
    batch_size: int = DEFAULT_BATCH,
    cancelled: Callable[[], bool] = lambda: False,
    pair_raw: bool = False,
) -> Iterator[ScanBatch]:
    """Yield batches of supported image paths under ``roots`` (files or folders, recursive).

    Hidden files and folders are skipped; files that are not images by extension are listed in
    ``ScanBatch.skipped`` (XMP sidecars are not: they belong to photos).
    Symlinked folders are followed, each real folder once (so a link loop ends).
    A folder that cannot be listed is reported in ``ScanBatch.problems``; nothing is raised.
    Paths are absolute; each is yielded once even if reachable twice. A symlink to a file is
    left out when the walk reaches the file itself under one of ``roots`` (one photo, not two
    editors for one file), and links to the same file outside them are taken once; hard links
    are names the user gave a file, and all are taken. Stops early when ``cancelled()`` returns
    true. With ``pair_raw``, a RAW beside a JPEG of the same name (IMG_1.NEF, IMG_1.JPG) is not
    yielded as a photo of its own: the pair is in ``ScanBatch.pairs`` and the JPEG in ``paths``.
    """
    roots = [Path(os.path.abspath(os.fspath(root))) for root in roots]
    walked_files, walked_dirs = _real_roots(roots)
    seen: set[Path] = set()
    linked: set[tuple[int, int]] = set()  # (device, inode) of files taken through a symlink
    visited: set[tuple[int, int]] = set()  # (device, inode) of each folder walked
    pending: list[Path] = []
    problems: list[tuple[Path, str]] = []
    folders: list[Path] = []
    skipped: list[Path] = []
    pairs: list[tuple[Path, Path]] = []

    def take(path: Path) -> Iterator[ScanBatch]:
        if path in seen:
            return
        seen.add(path)
        pending.append(path)
        if len(pending) >= batch_size:
            yield flush()

    def take_link(path: Path) -> Iterator[ScanBatch]:
        target = os.path.realpath(path)
        if target in walked_files or _walked_under(target, walked_dirs):
            return  # the walk takes the file under its own name
        st = os.stat(target)
        if (st.st_dev, st.st_ino) not in linked:
            linked.add((st.st_dev, st.st_ino))
            yield from take(path)

    def flush() -> ScanBatch:
        batch = ScanBatch(
            tuple(pending), tuple(problems), tuple(folders), tuple(skipped), tuple(pairs)
        )
        pairs.clear()
        pending.clear()
        problems.clear()
        folders.clear()
        skipped.clear()
        return batch

    for path in roots:
        if cancelled():
            return
        try:
            is_dir = path.is_dir()
            is_file = not is_dir and path.is_file()
        except OSError as err:
            problems.append((path, err.strerror or str(err)))
            continue
        if is_file:
            if is_supported_image(path):
                yield from take_link(path) if path.is_symlink() else take(path)
            elif not is_sidecar_name(path.name):
                skipped.append(path)
            continue
        if not is_dir:
            problems.append((path, "not found"))
            continue
        folders.append(path)
        stack = [path]
        while stack:
            if cancelled():
                return
            folder = stack.pop()
            try:
                # Symlinked folders are followed; a loop (a link back up), or a folder reached
                # from two roots, is walked only once.
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
            partners = _raw_partners(entries) if pair_raw else {}
            raw_of = {jpeg: raw for raw, jpeg in partners.items()}
            for entry in entries:
                if entry.name in partners:  # travels with its JPEG
                    continue
                try:
                    if entry.is_dir():
                        subfolders.append(Path(entry.path))
                    elif entry.is_file() and is_supported_image(entry.name):
                        file = Path(entry.path)
                        if entry.name in raw_of:
                            pairs.append((file, file.with_name(raw_of[entry.name])))
                        yield from take_link(file) if entry.is_symlink() else take(file)
                    elif not is_sidecar_name(entry.name) and entry.is_file():
                        skipped.append(Path(entry.path))
                except OSError as err:
                    problems.append((Path(entry.path), err.strerror or str(err)))
            # Depth-first in name order: push reversed so the first subfolder is walked next.
            stack.extend(reversed(subfolders))
    if pending or problems or folders or skipped or pairs:
        yield flush()


_JPEG_SUFFIXES = (".jpg", ".jpeg", ".jpe")


def _raw_partners(entries: list[os.DirEntry[str]]) -> dict[str, str]:
    """RAW file name -> the name of the JPEG it pairs with (same name but the extension), for
    the plain files of one folder."""
    jpegs: dict[str, str] = {}
    raws: list[tuple[str, str]] = []
    for entry in entries:
        stem, dot, ext = entry.name.rpartition(".")
        if not dot or not stem or entry.is_symlink():
            continue
        ext = "." + ext.lower()
        if ext in _JPEG_SUFFIXES:
            jpegs.setdefault(stem.casefold(), entry.name)
        elif ext in RAW_EXTENSIONS:
            raws.append((stem.casefold(), entry.name))
    partners: dict[str, str] = {}
    for stem, name in raws:
        if stem in jpegs and jpegs[stem] not in partners.values():  # one RAW per JPEG
            partners[name] = jpegs[stem]
    return partners

def is_sidecar_name(name: str) -> bool:
    """An XMP sidecar: part of a photo, never reported as skipped."""
    return name.lower().endswith(".xmp")


def _kind(path: Path) -> str:
    suffix = path.suffix
    return suffix.upper() if suffix else "files without extension"


def skipped_summary(not_photos: Sequence[Path], unreadable: Sequence[Path] = ()) -> str:
    """What a folder held besides readable photos, by kind: "3 skipped: 2 .MOV, 1 damaged
    .NEF" ("" when nothing was skipped). ``unreadable`` are photos that could not be read."""
    counts: Counter[str] = Counter(_kind(p) for p in not_photos)
    counts.update(f"damaged {_kind(p)}" for p in unreadable)
    total = sum(counts.values())
    if not total:
        return ""
    parts = [f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return f"{total} skipped: {', '.join(parts)}"
