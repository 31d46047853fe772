"""The one way PhotoCaption writes to a photo: temp file beside it, fsync, verify, atomic rename.

Every failure leaves the original untouched and raises UnsafeWriteError with a one-line reason.
Temp files are named ``.<name>.photocaption-<random>.tmp`` (a long name shortened so the temp
name fits the folder's limit) so a leftover is easy to recognise (``is_temp_file``) and is
hidden from folder scans. The new file keeps the original's mode, owner, group, extended
attributes and POSIX ACLs.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from editor.core.errors import FileChangedError, PhotoCaptionError, UnsafeWriteError, VerifyError
from editor.core.model import FileStamp

HEAD_BYTES = 256 * 1024
"""What a read takes of a file first, and what its stamp hashes: a JPEG's metadata segments (EXIF,
XMP, Photoshop, each up to 64 KB) all lie in it. Thumbnails read less
(``thumbnails.EMBEDDED_HEAD_BYTES``: only EXIF and MPF's index)."""
TEMP_MARKER = ".photocaption-"
_TEMP_EXTRA = len(f".{TEMP_MARKER}12345678.tmp")  # what mkstemp adds around the name (27 bytes)
NAME_MAX = 255  # bytes in one file name, where the folder does not say
# Labels the kernel sets on every new file itself (SELinux, SMACK, IMA...): copied when allowed.
_KERNEL_XATTRS = ("security.", "trusted.")


_locks_guard = threading.Lock()
_locks: dict[str, tuple[threading.Lock, int]] = {}  # real path -> (lock, threads holding/waiting)


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the file at ``path`` (by its real path, so links to it count) against writes from
    other threads of this process, from the read that checks it until the rename."""
    key = os.path.realpath(path)
    with _locks_guard:
        lock, users = _locks.get(key, (threading.Lock(), 0))
        _locks[key] = (lock, users + 1)
    try:
        with lock:
            yield
    finally:
        with _locks_guard:
            lock, users = _locks[key]
            if users == 1:
                del _locks[key]
            else:
                _locks[key] = (lock, users - 1)


def is_temp_file(path: Path) -> bool:
    return path.name.startswith(".") and TEMP_MARKER in path.name and path.suffix == ".tmp"


def stale_temp_files(folder: Path, older_than: float = 60.0) -> list[Path]:
    """Our temp files left in ``folder`` by a crash (not ones a running save may still own)."""
    import time

    now = time.time()
    found = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name  # checked as text first: a folder may hold thousands of photos
            if name.startswith(".") and TEMP_MARKER in name and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                        found.append(Path(entry.path))
    return found


def remove_stale_temp_files(folder: Path, older_than: float = 60.0) -> int:
    """Delete leftovers of interrupted saves; the originals never depend on them."""
    removed = 0
    for path in stale_temp_files(folder, older_than):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def stamp_of(st: os.stat_result, head: bytes) -> FileStamp:
    return FileStamp(st.st_size, st.st_mtime_ns, hashlib.sha256(head[:HEAD_BYTES]).hexdigest())


def describe_os_error(err: OSError, what: str = "the file") -> str:
    """A one-line reason for an OSError, in the photographer's terms."""
    code = err.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return "the disk is full"
    if code == errno.EFBIG:
        return "the file would be larger than this disk or account allows"
    if code == errno.EROFS:
        return "the disk is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return f"no permission to write {what}"
    if code == errno.ENOENT:
        return f"{what} no longer exists"
    return f"{what} could not be written ({err.strerror or err})"


def read_only_reason(path: Path) -> str:
    """Why ``path`` cannot be written ("" when it can): a read-only disk, or the file's mode."""
    with contextlib.suppress(OSError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "the disk is read-only (a locked memory card or a read-only mount)"
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    return ""


def check_unchanged(expected: FileStamp | None, data: bytes, st: os.stat_result) -> None:
    """Refuse when the file differs from what was read earlier (another program changed it)."""
    if expected is None:
        return
    now = stamp_of(st, data)
    if now != expected:
        raise FileChangedError(
            "the file was changed by another program since it was opened"
        )


def temp_prefix(folder: Path, name: str) -> str:
    """``.<name>.photocaption-`` for mkstemp, the name shortened (whole characters, then ``~`` and
    8 hex digits of its hash) when the temp name would pass the folder's file-name limit."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = NAME_MAX
    budget = max(16, min(limit, NAME_MAX) - _TEMP_EXTRA)
    raw = os.fsencode(name)
    if len(raw) > budget:
        kept, size = [], 0
        for char in name:  # whole characters only
            size += len(os.fsencode(char))
            if size > budget - 9:
                break
            kept.append(char)
        name = "".join(kept) + "~" + hashlib.sha256(raw).hexdigest()[:8]
    return f".{name}{TEMP_MARKER}"


def _xattrs(path: str | int) -> dict[str, bytes]:
    """The extended attributes of ``path`` (ACLs included); {} where there are none or the
    filesystem has no such thing."""
    try:
        names = os.listxattr(path)
    except OSError as err:
        if err.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            return {}
        raise
    found = {}
    for name in names:
        try:
            found[name] = os.getxattr(path, name)
        except OSError as err:
            if err.errno == errno.ENODATA or name.startswith(_KERNEL_XATTRS):
                continue  # removed meanwhile, or a label this process may not read
            raise UnsafeWriteError(
                f"its extended attribute {name} could not be read ({err.strerror or err}), so it "
                "could not be kept; the file was left as it was"
            ) from err
    return found


def copy_file_attributes(original: os.stat_result, source: Path, fd: int) -> None:
    """Give the new file (open as ``fd``) the original's mode, owner, group, extended attributes
    and POSIX ACLs, exactly: attributes the folder gave the new file (a default ACL) and the
    original lacks are removed. Raises UnsafeWriteError when one cannot be kept."""
    if hasattr(os, "fchown"):
        with contextlib.suppress(OSError):  # not allowed: the new file may match anyway (FAT)
            os.fchown(fd, original.st_uid, original.st_gid)
        now = os.fstat(fd)
        if now.st_uid != original.st_uid:
            raise UnsafeWriteError(
                "the file belongs to another user; saving would make it yours and could lock "
                "them out of it (save as its owner)"
            )
        if now.st_gid != original.st_gid:
            raise UnsafeWriteError(
                "the file belongs to a group you are not in; saving would change its group "
                "and could lock others out of it"
            )
    os.fchmod(fd, stat.S_IMODE(original.st_mode))
    if not hasattr(os, "listxattr"):
        return
    wanted = _xattrs(str(source))
    given = _xattrs(fd)  # what the new file got from the folder or the kernel
    for name in given:
        if name not in wanted and not name.startswith(_KERNEL_XATTRS):
            os.removexattr(fd, name)  # e.g. the folder's default ACL
    for name, value in wanted.items():
        if given.get(name) == value:
            continue  # already so (a label or an inherited ACL): nothing to ask for
        try:
            os.setxattr(fd, name, value)
        except OSError as err:
            if name.startswith(_KERNEL_XATTRS):
                continue  # the kernel labels the new file itself
            raise UnsafeWriteError(
                f"its extended attribute {name} could not be kept ({err.strerror or err}); the "
                "file was left as it was"
            ) from err
    os.fchmod(fd, stat.S_IMODE(original.st_mode))  # an ACL sets the group bits (its mask)


def replace_file(
    path: Path,
    data: bytes,
    *,
    original: os.stat_result,
    verify: Callable[[bytes], None],
    keep_mtime: bool = False,
    tail: tuple[bytes, int] | None = None,
) -> None:
    """Atomically replace ``path`` with ``data`` (followed by ``tail``).

    ``tail`` is ``(source, offset)``: the file goes on with ``source[offset:]``, written and
    compared in place, never copied (a photo's image data, straight from the original's bytes).

    The temp file is read back from disk and compared with ``data`` byte for byte; ``verify``
    then checks those bytes (the photo's fields, its image data) and raises PhotoCaptionError if
    they are not what was intended. ``original`` is the stat taken when the original was read: the
    write is refused if the file changed since. A symlink is kept; its target is replaced. The
    new file keeps the original's mode, owner, group, xattrs and ACLs (copy_file_attributes).
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    reason = read_only_reason(target)
    if reason:
        raise UnsafeWriteError(reason)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnsafeWriteError("the folder is read-only, so the file cannot be replaced safely")
    tmp_name = ""
    try:
        spans = [(data, 0)] if tail is None else [(data, 0), tail]
        tmp_name = _verified_temp(
            folder, target.name, spans, verify,
            lambda fileno: copy_file_attributes(original, target, fileno),
        )  # fmt: skip
        now = os.stat(target)
        if (now.st_size, now.st_mtime_ns, now.st_ino) != (
            original.st_size,
            original.st_mtime_ns,
            original.st_ino,
        ):
            raise FileChangedError("the file was changed by another program while saving")
        os.replace(tmp_name, target)
        tmp_name = ""
        if keep_mtime:
            # After the rename: a temp file never carries an old time, which would make it
            # look abandoned to another window tidying the folder (remove_stale_temp_files).
            os.utime(target, ns=(original.st_atime_ns, original.st_mtime_ns))
        fsync_folder(folder)
    except PhotoCaptionError:
        raise
    except OSError as err:
        raise UnsafeWriteError(describe_os_error(err)) from err
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _verified_temp(
    folder: Path,
    name: str,
    spans: list[tuple[bytes, int]],
    verify: Callable[[bytes], None],
    before_sync: Callable[[int], None],
) -> str:
    """A temp file for ``name`` in ``folder`` holding ``spans``: written, ``before_sync(fd)``
    (attributes, mode), fsynced, read back from disk identical, then ``verify``-ed on the first
    span's bytes. Returns its path; on any failure it is removed and the error raised."""
    fd = -1
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(folder, name), suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            fd = -1
            for source, offset in spans:
                out.write(memoryview(source)[offset:])
            out.flush()
            before_sync(out.fileno())
            os.fsync(out.fileno())
        if not _reads_back_as(tmp_name, spans):
            raise VerifyError("the written file did not read back identically")
        verify(spans[0][0])  # the very bytes now on disk, as the read-back just showed
        return tmp_name
    except BaseException:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise


READ_BACK_CHUNK = 1 << 20


def _reads_back_as(path: str, spans: list[tuple[bytes, int]]) -> bool:
    """Read the file back from disk and compare it with the spans, a megabyte at a time.

    Each span is ``(source, offset)``: ``source[offset:]``. Comparing in place (memcmp) against
    one reused buffer, rather than reading a new 10 MB bytes object, halves the cost.
    """
    chunk = bytearray(READ_BACK_CHUNK)
    view = memoryview(chunk)
    with open(path, "rb", buffering=0) as back:
        for source, offset in spans:
            while offset < len(source):
                n = back.readinto(view[: min(READ_BACK_CHUNK, len(source) - offset)])
                if not n or not source.startswith(view[:n], offset):
                    return False
                offset += n
        return not back.read(1)  # nothing more than intended


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be fsynced)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def create_file(path: Path, data: bytes, *, verify: Callable[[bytes], None]) -> None:
    """Create ``path`` (a new sidecar) the way ``replace_file`` replaces one: temp file beside
    it, fsync, read back and ``verify``, then linked into place only if the name is still free
    (a file another program created meanwhile is never overwritten), and the folder fsynced.
    The new file gets the usual mode (0666 less the umask)."""
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnsafeWriteError("the folder is read-only, so no sidecar can be written there")
    tmp_name = ""
    try:
        mode = 0o666 & ~_umask()
        tmp_name = _verified_temp(
            folder, path.name, [(data, 0)], verify, lambda fileno: os.fchmod(fileno, mode)
        )
        try:
            os.link(tmp_name, path)  # fails if the name was taken meanwhile
        except FileExistsError as err:
            raise FileChangedError(
                f"{path.name} was created by another program while saving"
            ) from err
        fsync_folder(folder)
    except PhotoCaptionError:
        raise
    except OSError as err:
        raise UnsafeWriteError(describe_os_error(err, "the sidecar")) from err
    finally:
        if tmp_name:  # linked into place, or not: the temp name goes
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def replace_own_file(path: Path, data: bytes, prefix: str) -> None:
    """Replace one of PhotoCaption's own small files (journal, story order, profile, code list,
    publish record) with ``data``: its folder made, a temp file ``prefix``* beside it, fsync,
    ``os.replace``, the folder fsynced. A failure leaves the previous file whole; raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(path.parent)
