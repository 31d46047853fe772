"""safe_write: refusals leave the file untouched; success keeps mode, symlinks and mtime."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from editor.core import safe_write
from editor.core.errors import FileChangedError, PhotoCaptionError, UnsafeWriteError
from editor.core.metadata import read_photo, write_photo

MakeJpeg = Callable[..., Path]


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and ".photocaption-" in p.name]


def _deny_write(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if Path(os.fspath(path)) == denied and mode & os.W_OK:  # type: ignore[arg-type]
            return False
        return real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def test_write_succeeds_and_leaves_no_temp(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    record = read_photo(path)
    write_photo(path, record.metadata.replace(caption="hello"), expected=record.stamp)
    assert read_photo(path).metadata.caption == "hello"
    assert _temp_files(path.parent) == []


def test_read_only_file_refused(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("permissions are not enforced (running as root)")
        with pytest.raises(UnsafeWriteError, match="read-only"):
            write_photo(path, read_photo(path).metadata.replace(caption="x"))
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


def test_read_only_file_refused_even_as_root(
    make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_jpeg()
    before = path.read_bytes()
    _deny_write(monkeypatch, path)
    record = read_photo(path)
    assert not record.writable and "read-only" in record.read_only_reason
    with pytest.raises(UnsafeWriteError, match="read-only"):
        write_photo(path, record.metadata.replace(caption="x"))
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []


def test_read_only_folder_refused(make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_jpeg()
    before = path.read_bytes()
    _deny_write(monkeypatch, path.parent)
    with pytest.raises(UnsafeWriteError, match="folder"):
        write_photo(path, read_photo(path).metadata.replace(caption="x"))
    assert path.read_bytes() == before


def test_changed_behind_our_back(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    record = read_photo(path)
    data = bytearray(path.read_bytes())
    data[30] ^= 0x01  # inside the EXIF header area, same size
    st = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with the old mtime
    changed = path.read_bytes()
    with pytest.raises(FileChangedError):
        write_photo(path, record.metadata.replace(caption="x"), expected=record.stamp)
    assert path.read_bytes() == changed


def test_deleted_between_read_and_write(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    record = read_photo(path)
    path.unlink()
    with pytest.raises(PhotoCaptionError) as info:
        write_photo(path, record.metadata.replace(caption="x"), expected=record.stamp)
    assert "exist" in str(info.value) and "\n" not in str(info.value)
    assert not path.exists()


def test_symlink_target_updated_link_kept(make_jpeg: MakeJpeg, tmp_path: Path) -> None:
    target = make_jpeg("real.jpg")
    link = tmp_path / "link.jpg"
    link.symlink_to(target)
    write_photo(link, read_photo(link).metadata.replace(caption="via link"))
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert read_photo(target).metadata.caption == "via link"
    assert _temp_files(tmp_path) == []


def test_permission_bits_kept(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    path.chmod(0o640)
    write_photo(path, read_photo(path).metadata.replace(caption="x"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_keep_mtime(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    write_photo(path, read_photo(path).metadata.replace(caption="x"), keep_mtime=True)
    assert path.stat().st_mtime_ns == 1_000_000_000_000_000_000
    write_photo(path, read_photo(path).metadata.replace(caption="y"))
    assert path.stat().st_mtime_ns != 1_000_000_000_000_000_000


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_disk_full(make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    path = make_jpeg()
    before = path.read_bytes()
    record = read_photo(path)

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", full)
    else:
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullFile())
    with pytest.raises(UnsafeWriteError, match="the disk is full"):
        write_photo(path, record.metadata.replace(caption="x"))
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []


class _FullFile:
    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_verify_failure_leaves_file_and_no_temp(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    before = path.read_bytes()
    st = path.stat()

    def verify(data: bytes) -> None:
        raise UnsafeWriteError("nope")

    with pytest.raises(UnsafeWriteError, match="nope"):
        safe_write.replace_file(path, b"new", original=st, verify=verify)
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []


def test_is_temp_file() -> None:
    assert safe_write.is_temp_file(Path(".a.jpg.photocaption-x1y2.tmp"))
    assert not safe_write.is_temp_file(Path("a.jpg"))


@pytest.mark.parametrize(
    ("code", "text"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
)
def test_describe_os_error(code: int, text: str) -> None:
    assert text in safe_write.describe_os_error(OSError(code, os.strerror(code)))


@pytest.mark.parametrize("change", ["flip", "short", "long"])
def test_read_back_compares_every_byte(tmp_path: Path, change: str) -> None:
    data = bytes(range(256)) * (3 * safe_write.READ_BACK_CHUNK // 256 + 7)  # > 3 chunks
    path = tmp_path / "f"
    path.write_bytes(data)
    assert safe_write._reads_back_as(str(path), [(data, 0)])
    split = [(data[:1000], 0), (data, 1000)]
    assert safe_write._reads_back_as(str(path), split)
    on_disk = bytearray(data)
    if change == "flip":
        on_disk[2 * safe_write.READ_BACK_CHUNK + 11] ^= 1  # one bit, deep in the third chunk
    elif change == "short":
        del on_disk[-1]
    else:
        on_disk += b"\x00"
    path.write_bytes(on_disk)
    assert not safe_write._reads_back_as(str(path), [(data, 0)])
    assert not safe_write._reads_back_as(str(path), split)


def test_a_write_that_does_not_read_back_is_refused_and_the_original_kept(
    make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_jpeg()
    before = path.read_bytes()
    record = read_photo(path)
    real_fsync = os.fsync

    def corrupting_fsync(fd: int) -> None:
        # A disk that loses a byte of what was written: the read-back must catch it.
        size = os.fstat(fd).st_size
        if stat.S_ISREG(os.fstat(fd).st_mode) and size > 1000:
            with open(os.dup(fd), "r+b") as fh:  # a second handle: the temp file's own stays
                fh.seek(size - 500)
                byte = fh.read(1)[0]
                fh.seek(size - 500)
                fh.write(bytes([byte ^ 0xFF]))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", corrupting_fsync)
    with pytest.raises(PhotoCaptionError, match="read back"):
        write_photo(path, record.metadata.replace(caption="lost"), expected=record.stamp)
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []
