"""safe_write: refusals leave the file untouched; success keeps mode, symlinks and mtime."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# --- the file system around the photo: owner, group, xattrs, ACLs, long names ----------------

NOBODY = 65534
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="changing a file's owner needs root")
needs_xattr_tools = pytest.mark.skipif(
    not (shutil.which("setfattr") and shutil.which("getfattr") and shutil.which("setfacl")
         and shutil.which("getfacl") and hasattr(os, "listxattr")),
    reason="attr/acl tools or os.listxattr missing",
)


def _caption(path: Path, text: str) -> None:
    write_photo(path, read_photo(path).metadata.replace(caption=text))


def _tool(*args: str) -> str:
    """An attr/acl tool's output, with the file name lines dropped (they name the path)."""
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in out.splitlines() if not line.startswith("# file:"))


def _xattr_support(folder: Path) -> None:
    probe = folder / "probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.probe", b"1")
    except OSError:
        pytest.skip("this filesystem has no user xattrs")
    finally:
        probe.unlink()


@needs_root
def test_owner_and_group_kept(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o4664)  # chown clears set-id bits: the mode is set after the owner
    _caption(path, "owned by nobody")
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (NOBODY, NOBODY, 0o4664)
    assert read_photo(path).metadata.caption == "owned by nobody"


@needs_root
@pytest.mark.parametrize(("owner", "message"), [((NOBODY, 0), "another user"),
                                                ((0, NOBODY), "a group you are not in")])
def test_owner_that_cannot_be_kept_is_refused(
    make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch, owner: tuple[int, int], message: str
) -> None:
    path = make_jpeg()
    os.chown(path, *owner)
    before = path.read_bytes()

    def fchown(fd: int, uid: int, gid: int) -> None:  # as a process that is not root
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", fchown)
    with pytest.raises(UnsafeWriteError, match=message):
        _caption(path, "x")
    assert path.read_bytes() == before and (path.stat().st_uid, path.stat().st_gid) == owner
    assert _temp_files(path.parent) == []


@needs_xattr_tools
def test_xattrs_and_acls_kept_exactly(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    _xattr_support(path.parent)
    subprocess.run(["setfattr", "-n", "user.xdg.tags", "-v", "travel,korea", str(path)],
                   check=True)
    subprocess.run(["setfattr", "-n", "user.binary", "-v", "0x00ff10", str(path)], check=True)
    subprocess.run(["setfacl", "-m", "u:nobody:rw,g:nogroup:r", str(path)], check=True)
    # the folder's default ACL must not end up on the saved file, which had another ACL
    subprocess.run(["setfacl", "-d", "-m", "u:nobody:rwx", str(path.parent)], check=True)
    attrs = _tool("getfattr", "-d", "-m", "-", "-e", "hex", str(path))
    acl = _tool("getfacl", "-p", str(path))
    assert "user.xdg.tags" in attrs and "user:nobody:rw-" in acl
    mode = stat.S_IMODE(path.stat().st_mode)
    _caption(path, "tagged")
    assert read_photo(path).metadata.caption == "tagged"
    assert _tool("getfattr", "-d", "-m", "-", "-e", "hex", str(path)) == attrs
    assert _tool("getfacl", "-p", str(path)) == acl
    assert stat.S_IMODE(path.stat().st_mode) == mode


@needs_xattr_tools
def test_folder_default_acl_does_not_reach_a_file_without_one(make_jpeg: MakeJpeg) -> None:
    path = make_jpeg()
    _xattr_support(path.parent)
    subprocess.run(["setfacl", "-d", "-m", "u:nobody:rwx", str(path.parent)], check=True)
    _caption(path, "plain")
    assert "system.posix_acl_access" not in os.listxattr(path)


@needs_xattr_tools
def test_xattr_that_cannot_be_copied_is_refused(
    make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_jpeg()
    _xattr_support(path.parent)
    os.setxattr(path, "user.xdg.tags", b"keep me")
    before = path.read_bytes()

    def setxattr(target: object, name: str, value: bytes, *args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "setxattr", setxattr)
    with pytest.raises(UnsafeWriteError, match=r"extended attribute user\.xdg\.tags could not be"):
        _caption(path, "x")
    assert path.read_bytes() == before and os.getxattr(path, "user.xdg.tags") == b"keep me"
    assert _temp_files(path.parent) == []


def test_filesystem_without_xattrs_saves(make_jpeg: MakeJpeg,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_jpeg()

    def listxattr(*args: object, **kwargs: object) -> list[str]:
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(os, "listxattr", listxattr, raising=False)
    _caption(path, "no xattrs here")
    assert read_photo(path).metadata.caption == "no xattrs here"


@pytest.mark.parametrize("stem", ["a" * 251, "é" * 125, "평" * 83, "x" * 200],
                         ids=["ascii-255", "latin-254", "hangul-253", "ascii-204"])
def test_names_up_to_the_limit_save_and_their_temp_is_recognised(
    make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch, stem: str
) -> None:
    name = stem + ".jpg"
    assert len(name.encode()) <= 255
    path = make_jpeg(name)
    temps: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, tmp = real_mkstemp(*args, **kwargs)
        temps.append(tmp)
        return fd, tmp

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    _caption(path, "long name")
    assert read_photo(path).metadata.caption == "long name"
    (tmp,) = temps
    temp = Path(tmp)
    assert temp.parent == path.parent and len(os.fsencode(temp.name)) <= 255
    assert safe_write.is_temp_file(temp)
    if len(name.encode()) + 27 <= 255:
        assert temp.name.startswith(f".{name}.photocaption-")  # short names as before
    # a leftover with this name is found and tidied like any other
    temp.write_bytes(b"left by a crash")
    os.utime(temp, (1, 1))
    assert safe_write.stale_temp_files(path.parent) == [temp]
    assert safe_write.remove_stale_temp_files(path.parent) == 1 and path.is_file()


def test_temp_prefix_shortens_on_whole_characters(tmp_path: Path) -> None:
    prefix = safe_write.temp_prefix(tmp_path, "평" * 84 + ".jpg")
    assert len(os.fsencode(prefix)) + len("12345678.tmp") <= 255
    stem = prefix[1 : -len(".photocaption-")]
    assert set(stem.split("~")[0]) == {"평"} and len(stem.split("~")[1]) == 8
    other = safe_write.temp_prefix(tmp_path, "평" * 84 + ".png")
    assert other != prefix  # two long names that share a beginning get different temps


@needs_xattr_tools
def test_xattr_that_cannot_be_read_is_refused_but_a_kernel_label_is_left_to_the_kernel(
    make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_jpeg()
    _xattr_support(path.parent)
    os.setxattr(path, "user.xdg.tags", b"keep me")
    before = path.read_bytes()
    real_list, real_get = os.listxattr, os.getxattr
    unreadable = {"user.xdg.tags"}

    def listxattr(target: Any, *args: Any, **kwargs: Any) -> list[str]:
        return [*real_list(target, *args, **kwargs), "security.label"]

    def getxattr(target: Any, name: str, *args: Any, **kwargs: Any) -> bytes:
        if name in unreadable or name == "security.label":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_get(target, name, *args, **kwargs)

    monkeypatch.setattr(os, "listxattr", listxattr)
    monkeypatch.setattr(os, "getxattr", getxattr)
    with pytest.raises(UnsafeWriteError, match=r"user\.xdg\.tags could not be read"):
        _caption(path, "x")
    assert path.read_bytes() == before and _temp_files(path.parent) == []
    unreadable.clear()  # only the kernel's label left unreadable: the save goes on
    _caption(path, "labelled")
    assert read_photo(path).metadata.caption == "labelled"
    assert real_get(path, "user.xdg.tags") == b"keep me"


def test_own_files_are_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one home of the journal's, story order's, profiles', code list's and publish
    record's atomic write: a failed rename keeps the old file and leaves no temp behind."""
    path = tmp_path / "data" / "unsaved-edits.json"
    safe_write.replace_own_file(path, b"first", ".journal-")
    assert path.read_bytes() == b"first"

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "replace", refuse)
    with pytest.raises(OSError):
        safe_write.replace_own_file(path, b"second", ".journal-")
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in path.parent.iterdir()) == ["unsaved-edits.json"]
