"""Real faults during a save, not mocks: a file-size limit (EFBIG), a full tmpfs (ENOSPC), a
read-only mount, a non-root user facing a read-only file or folder, files deleted or replaced
between load and save, symlinks (to another disk, looping, dangling).

Every case checks the same three promises: a clear one-line message, the original byte for
byte intact (no temp file left), and the edit kept in the PhotoLibrary as unsaved with the
reason, so the user can retry. Capabilities this machine lacks (mounting, a non-root user)
skip with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.core.errors import FileChangedError, PhotoCaptionError
from editor.core.library import PhotoLibrary
from editor.core.metadata import read_photo, write_photo
from editor.core.safe_write import is_temp_file
from tests.core.conftest import camera_jpeg
from tests.reliability.child import can_run_as, run_child

CAPTION = "Retry me — 다시"


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if is_temp_file(p)]


def edited_library(path: Path) -> PhotoLibrary:
    """A library holding ``path`` with an unsaved caption, as the GUI would."""
    lib = PhotoLibrary()
    lib.add([path])
    lib.set_record(path, read_photo(path))
    lib.set_field([path], "caption", CAPTION)
    assert lib.item(path).dirty
    return lib


def save_in_library(lib: PhotoLibrary, path: Path) -> str:
    """What the GUI's saver does for one photo; returns the failure reason ("" on success)."""
    item = lib.item(path)
    assert item.record is not None
    try:
        record = write_photo(path, item.edited, expected=item.record.stamp)
    except PhotoCaptionError as err:
        lib.set_save_error(path, str(err))
        return str(err)
    lib.mark_saved(path, item.edited, record)
    return ""


def assert_failed_safely(lib: PhotoLibrary, path: Path, reason: str, before: bytes) -> None:
    assert reason and "\n" not in reason and "Traceback" not in reason
    item = lib.item(path)
    assert item.dirty and item.edited.caption == CAPTION  # the edit is kept for a retry
    assert item.save_error == reason
    assert f"Not saved: {reason}" in item.problems()
    if path.exists():
        assert path.read_bytes() == before
        assert temp_files(path.parent) == []


# --- capabilities ----------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` (needs root and mount rights; skips otherwise)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    where = Path(tempfile.mkdtemp(prefix="photocaption-tmpfs-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        with contextlib.suppress(OSError):
            where.rmdir()


NOBODY = 65534


def other_user() -> int:
    """A non-root uid that can run our code (permissions are not enforced for root)."""
    if not can_run_as(NOBODY):
        pytest.skip("cannot run our Python as a non-root user here (needs root and setpriv)")
    return NOBODY


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="photocaption-faults-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


_SAVE_CHILD = """
import resource, signal
from editor.core.errors import PhotoCaptionError
from editor.core.metadata import read_photo, write_photo
path, limit = sys.argv[1], int(sys.argv[2])
record = read_photo(path)
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails with EFBIG, not a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    write_photo(path, record.metadata.replace(caption="x"), expected=record.stamp)
    _done({"writable": record.writable, "error": ""})
except PhotoCaptionError as err:
    _done({"writable": record.writable, "error": str(err), "type": type(err).__name__})
"""


# --- disk full -------------------------------------------------------------------------------


def test_file_size_limit_efbig_in_a_child(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(camera_jpeg(size=(640, 480)))
    before = path.read_bytes()
    lib = edited_library(path)
    result, _ = run_child(_SAVE_CHILD, str(path), str(len(before) // 2))
    assert result["type"] == "UnsafeWriteError"
    assert "larger than this disk or account allows" in result["error"]
    lib.set_save_error(path, result["error"])
    assert_failed_safely(lib, path, result["error"], before)
    # And the retry, without the limit, succeeds with the kept edit.
    assert save_in_library(lib, path) == ""
    assert read_photo(path).metadata.caption == CAPTION and not lib.item(path).dirty


def test_full_tmpfs_enospc() -> None:
    with tmpfs("512k") as disk:
        path = disk / "photo.jpg"
        path.write_bytes(camera_jpeg(size=(640, 480)))
        before = path.read_bytes()
        lib = edited_library(path)
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last block
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * 4096):
                    pass
        finally:
            os.close(fd)
        reason = save_in_library(lib, path)
        assert reason == "the disk is full"
        assert_failed_safely(lib, path, reason, before)
        (disk / "filler").unlink()  # the user frees space and retries
        assert save_in_library(lib, path) == ""
        assert read_photo(path).metadata.caption == CAPTION


# --- read-only -------------------------------------------------------------------------------


def test_read_only_mount() -> None:
    with tmpfs("4m") as disk:
        path = disk / "card.jpg"
        path.write_bytes(camera_jpeg())
        before = path.read_bytes()
        lib = edited_library(path)
        done = subprocess.run(
            ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        assert not read_photo(path).writable
        assert "disk is read-only" in read_photo(path).read_only_reason
        reason = save_in_library(lib, path)
        assert "disk is read-only" in reason
        assert_failed_safely(lib, path, reason, before)


def test_read_only_file_as_another_user(shared_dir: Path) -> None:
    uid = other_user()
    path = shared_dir / "locked.jpg"
    path.write_bytes(camera_jpeg())
    before = path.read_bytes()
    os.chown(shared_dir, uid, uid)  # the folder is theirs, the file is not writable by them
    path.chmod(0o444)
    result, _ = run_child(_SAVE_CHILD, str(path), "0", as_user=uid)
    assert result["writable"] is False
    assert result["error"] == "the file is read-only"
    assert path.read_bytes() == before and temp_files(shared_dir) == []


def test_read_only_folder_as_another_user(shared_dir: Path) -> None:
    uid = other_user()
    path = shared_dir / "theirs.jpg"
    path.write_bytes(camera_jpeg())
    before = path.read_bytes()
    os.chown(path, uid, uid)  # the file is writable by them, the folder (root's) is not
    result, _ = run_child(_SAVE_CHILD, str(path), "0", as_user=uid)
    assert "folder is read-only" in result["error"]
    assert path.read_bytes() == before and temp_files(shared_dir) == []


def test_unreadable_file_as_another_user(shared_dir: Path) -> None:
    uid = other_user()
    path = shared_dir / "private.jpg"
    path.write_bytes(camera_jpeg())
    path.chmod(0o600)
    code = """
from editor.core.errors import PhotoCaptionError
from editor.core.metadata import read_photo
try:
    read_photo(sys.argv[1]); _done("read")
except PhotoCaptionError as err:
    _done(str(err))
"""
    result, _ = run_child(code, str(path), as_user=uid)
    assert result == "no permission to read the file"


# --- changed on disk -------------------------------------------------------------------------


def test_deleted_between_load_and_save(tmp_path: Path) -> None:
    path = tmp_path / "gone.jpg"
    path.write_bytes(camera_jpeg())
    lib = edited_library(path)
    path.unlink()
    reason = save_in_library(lib, path)
    assert "no longer exists" in reason or "does not exist" in reason
    assert_failed_safely(lib, path, reason, b"")
    assert not path.exists() and temp_files(tmp_path) == []


def test_replaced_by_another_file_between_load_and_save(tmp_path: Path) -> None:
    path = tmp_path / "swapped.jpg"
    path.write_bytes(camera_jpeg())
    lib = edited_library(path)
    other = tmp_path / "incoming.jpg"
    other.write_bytes(camera_jpeg(description=b"theirs"))
    os.replace(other, path)  # a sync tool drops a new version in: a different inode
    theirs = path.read_bytes()
    reason = save_in_library(lib, path)
    assert "changed by another program" in reason
    assert_failed_safely(lib, path, reason, theirs)


def test_replaced_by_another_file_during_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size, same mtime, new inode, swapped in while our temp file is being fsynced."""
    path = tmp_path / "race.jpg"
    path.write_bytes(camera_jpeg())
    lib = edited_library(path)
    st = path.stat()
    theirs = bytearray(path.read_bytes())
    theirs[-3] ^= 0xFF  # inside the image data: same length
    real_fsync = os.fsync
    swapped: list[bool] = []

    def fsync(fd: int) -> None:
        real_fsync(fd)
        if not swapped:
            swapped.append(True)
            incoming = tmp_path / "incoming.tmp"
            incoming.write_bytes(bytes(theirs))
            os.utime(incoming, ns=(st.st_atime_ns, st.st_mtime_ns))
            os.replace(incoming, path)

    monkeypatch.setattr(os, "fsync", fsync)
    item = lib.item(path)
    assert item.record is not None
    with pytest.raises(FileChangedError) as info:
        write_photo(path, item.edited, expected=item.record.stamp)
    monkeypatch.setattr(os, "fsync", real_fsync)
    lib.set_save_error(path, str(info.value))
    assert swapped and "while saving" in str(info.value)
    assert_failed_safely(lib, path, str(info.value), bytes(theirs))


# --- symlinks --------------------------------------------------------------------------------


def test_symlink_to_another_disk_updates_the_target() -> None:
    with tmpfs("4m") as disk, tempfile.TemporaryDirectory() as home:
        target = disk / "real.jpg"
        target.write_bytes(camera_jpeg())
        link = Path(home) / "link.jpg"
        link.symlink_to(target)
        lib = edited_library(link)
        assert save_in_library(lib, link) == ""
        assert link.is_symlink() and read_photo(target).metadata.caption == CAPTION
        assert temp_files(disk) == [] and temp_files(Path(home)) == []


@pytest.mark.parametrize("kind", ["loop", "dangling", "self"])
def test_broken_symlinks_fail_with_a_reason(tmp_path: Path, kind: str) -> None:
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    if kind == "loop":
        a.symlink_to(b)
        b.symlink_to(a)
    elif kind == "dangling":
        a.symlink_to(tmp_path / "missing.jpg")
    else:
        a.symlink_to(a)
    for action in (lambda: read_photo(a), lambda: write_photo(a, read_photo(a).metadata)):
        with pytest.raises(PhotoCaptionError) as info:
            action()
        message = str(info.value)
        assert message and "\n" not in message
        assert ("symbolic links" in message) if kind != "dangling" else ("exist" in message)
    assert a.is_symlink() and os.readlink(a)  # the link itself is left alone
    assert [p.name for p in tmp_path.iterdir() if not p.is_symlink()] == []


def test_library_keeps_edits_across_a_failed_then_successful_save(tmp_path: Path) -> None:
    """The retry path end to end: fail (file deleted), the file comes back, save succeeds."""
    path = tmp_path / "back.jpg"
    data = camera_jpeg()
    path.write_bytes(data)
    lib = edited_library(path)
    moved = tmp_path / "elsewhere.bin"
    path.rename(moved)
    assert save_in_library(lib, path)
    moved.rename(path)
    assert save_in_library(lib, path) == ""
    item = lib.item(path)
    assert not item.dirty and item.save_error == "" and item.problems() == []
    assert read_photo(path).metadata.caption == CAPTION


