"""Atomic, never-overwriting writes of export outputs, and the cancel check workers share."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from editor.core.errors import UnsafeWriteError
from editor.core.safe_write import fsync_folder

TEMP_SUFFIX = ".part"


def _file_mode() -> int:
    if os.name != "posix":
        return 0o644
    mask = os.umask(0o022)  # read once at import, before any worker thread exists
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


class ExportCancelled(Exception):
    """Raised inside a worker when the export was cancelled; never reaches the caller."""


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportCancelled


def refuse_existing(paths: Sequence[Path]) -> None:
    for path in paths:
        if path.exists():
            raise UnsafeWriteError(f"{path.name} already exists in the output folder "
                                   "(use overwrite to replace it)")


def _place(tmp: str, target: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # atomic and fails if the target appeared meanwhile
    except FileExistsError:
        raise UnsafeWriteError(f"{target.name} already exists in the output folder "
                               "(use overwrite to replace it)") from None
    except OSError:  # file systems without hard links
        if target.exists():
            raise UnsafeWriteError(f"{target.name} already exists in the output folder") from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def sync_folder(folder: Path) -> None:
    """Make the names placed in ``folder`` durable (one fsync of the folder)."""
    fsync_folder(folder)


def commit_files(files: Sequence[tuple[Path, bytes]], *, overwrite: bool,
                 cancel: threading.Event | None = None, sync_dir: bool = True) -> None:
    """Write all ``files`` or none: temps in the target folder, fsync, then put them in place.

    A cancel seen before the first file is placed, or any failure, removes every temp file and
    every target this call already placed, so a photo never ends up half exported. With
    ``sync_dir=False`` the caller fsyncs the folder itself (``sync_folder``), once for a batch:
    a file's data is always on disk before its name appears, so a crash can lose a name, never
    leave a half-written file.
    """
    if not overwrite:
        refuse_existing([p for p, _ in files])
    temps: list[str] = []
    placed: list[Path] = []
    try:
        for target, data in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX,
                                       dir=target.parent)
            temps.append(tmp)
            if os.name == "posix":
                os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600; outputs are for sharing
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        check_cancel(cancel)
        for (target, _), tmp in zip(files, temps, strict=True):
            _place(tmp, target, overwrite)
            placed.append(target)
        if files and sync_dir:
            fsync_folder(files[0][0].parent)
    except OSError as err:
        _cleanup(temps, placed if not overwrite else [])
        raise UnsafeWriteError(f"cannot write to the output folder ({err.strerror or err})") \
            from err
    except BaseException:
        _cleanup(temps, placed if not overwrite else [])
        raise


def _cleanup(temps: Sequence[str], placed: Sequence[Path]) -> None:
    for tmp in temps:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    for path in placed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def write_text(path: Path, text: str, *, overwrite: bool) -> None:
    commit_files([(path, text.encode("utf-8"))], overwrite=overwrite)
