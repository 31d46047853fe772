"""The shared on-disk thumbnail cache of the freedesktop.org Thumbnail Managing Standard.

Sharp thumbnails are PNGs in ``$XDG_CACHE_HOME/thumbnails/{normal,large,x-large,xx-large}``
(128, 256, 512 and 1024 px), named by the MD5 of the file's URI and carrying ``Thumb::URI`` and
``Thumb::MTime``: the cache the desktop's file managers (Nautilus, Dolphin, Thunar...) and
digiKam read and write too, so a folder any of them has shown opens sharp at once, and ours serve
them. An entry is used only when its URI and MTime (and Size, when it has one) match the file as
it is now. Files that could
not be thumbnailed get an entry in ``fail/photocaption-<version>/``, so they are not tried again
until they change (or this version changes). Writes are atomic (a temp file renamed into place),
files 0600 and folders 0700, as the standard asks. On macOS and Windows the same layout lives in
the platform's cache folder.

The cache is bounded: past ``max_bytes`` of our own entries (those whose ``Software`` is
PhotoCaption), the oldest of ours are deleted; other programs' thumbnails are never touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from PIL import Image, PngImagePlugin

from editor import __version__

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
SOFTWARE = f"PhotoCaption {__version__}"
FAIL_DIR = f"photocaption-{__version__}"
# (folder, pixels) from smallest to largest, as the standard names them.
FLAVORS: tuple[tuple[str, int], ...] = (
    ("normal", 128), ("large", 256), ("x-large", 512), ("xx-large", 1024))
_OURS = b"Software\x00PhotoCaption"  # our tEXt chunk, in the first bytes of every entry of ours
_HEAD_BYTES = 1024
_TEMP_PREFIX = ".photocaption-"
_PRUNE_EVERY = 200  # writes between two prunes


def default_cache_dir() -> Path:
    """The shared thumbnail folder: ``$XDG_CACHE_HOME/thumbnails`` (``~/.cache/thumbnails`` when
    unset); on macOS and Windows, ``thumbnails`` in PhotoCaption's platform cache folder."""
    home = Path(os.path.expanduser("~"))
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "PhotoCaption" / "thumbnails"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(local) / "PhotoCaption" / "cache" / "thumbnails"
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is invalid and ignored
        base = str(home / ".cache")
    return Path(base) / "thumbnails"


def file_uri(path: str | os.PathLike[str]) -> str:
    """The file's absolute ``file://`` URI, escaped as GLib's ``g_filename_to_uri`` does (the
    key every implementation of the standard must agree on)."""
    absolute = os.path.abspath(os.fspath(path))
    return "file://" + quote(os.fsencode(absolute), safe="/!$&'()*+,:=@~")


def flavor(max_px: int) -> tuple[str, int]:
    """The smallest standard size (folder, pixels) holding a ``max_px`` thumbnail."""
    for name, px in FLAVORS:
        if max_px <= px:
            return name, px
    return FLAVORS[-1]


class ThumbCache:
    """Thumbnails by file and size in the shared cache; every failure is a miss, never an error.

    Safe to use from several threads (and processes): each entry is written to a temp file in its
    folder and renamed into place.
    """

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._writes = 0

    @staticmethod
    def stored_px(max_px: int) -> int:
        """The size to decode at for a ``max_px`` thumbnail: its standard size's."""
        return flavor(max_px)[1]

    def _entry(self, folder: str, uri: str) -> Path:
        return self.root / folder / f"{hashlib.md5(uri.encode()).hexdigest()}.png"

    @staticmethod
    def _facts(path: Path) -> tuple[str, str, str] | None:
        """(URI, MTime, Size) of the file as it is now, or None if it cannot be seen."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return file_uri(path), str(int(st.st_mtime)), str(st.st_size)

    @staticmethod
    def _valid(image: Image.Image, uri: str, mtime: str, size: str) -> bool:
        """URI and MTime match (the standard's rule), and Size too when the entry has one: a
        file rewritten within the same second as its thumbnail keeps its whole-second MTime."""
        # ``info`` holds the text chunks before the pixels (``image.text`` would decode them).
        info = image.info
        return (info.get("Thumb::URI") == uri and info.get("Thumb::MTime") == mtime
                and info.get("Thumb::Size", size) == size)

    def get(self, path: str | os.PathLike[str], max_px: int) -> Image.Image | None:
        """The cached thumbnail of ``path``, at most ``max_px``; None when absent or stale."""
        facts = self._facts(Path(path))
        if facts is None:
            return None
        uri, mtime, size = facts
        start = FLAVORS.index(flavor(max_px))
        for folder, px in FLAVORS[start:]:
            entry = self._entry(folder, uri)
            try:
                with Image.open(entry, formats=["PNG"]) as image:
                    # Larger than its folder's size is not a thumbnail of the standard's (and
                    # is not decoded: the folder is shared with other programs).
                    if max(image.size) > px or not self._valid(image, uri, mtime, size):
                        continue
                    image.load()
                    thumb = image if image.mode in ("RGB", "RGBA") else image.convert(
                        "RGBA" if "A" in image.mode else "RGB")
            except Exception:  # missing, damaged or unreadable: a miss
                continue
            if max(thumb.size) > max_px:
                thumb.thumbnail((max_px, max_px), Image.Resampling.BICUBIC)
            return thumb
        return None

    def put(self, path: str | os.PathLike[str], max_px: int, image: Image.Image) -> None:
        """Store ``image`` (decoded at ``stored_px(max_px)``) as the thumbnail of ``path``."""
        facts = self._facts(Path(path))
        if facts is None:
            return
        uri, mtime, size = facts
        folder, px = flavor(max_px)
        if max(image.size) > px:
            image = image.copy()
            image.thumbnail((px, px), Image.Resampling.BICUBIC)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        if self._write(self._entry(folder, uri), image, uri, mtime, size):
            self._writes += 1
            if self._writes % _PRUNE_EVERY == 0:
                self.prune()

    def failed(self, path: str | os.PathLike[str]) -> str | None:
        """Why ``path`` could not be thumbnailed by this version, if it failed as it is now."""
        facts = self._facts(Path(path))
        if facts is None:
            return None
        uri, mtime, size = facts
        try:
            with Image.open(self._entry(f"fail/{FAIL_DIR}", uri), formats=["PNG"]) as mark:
                if self._valid(mark, uri, mtime, size):
                    return str(mark.info.get("X-PhotoCaption::Error") or "cannot show this photo")
        except Exception:
            return None
        return None

    def put_failure(self, path: str | os.PathLike[str], reason: str) -> None:
        """Remember that ``path`` could not be thumbnailed (until it changes)."""
        facts = self._facts(Path(path))
        if facts is None:
            return
        uri, mtime, size = facts
        entry = self._entry(f"fail/{FAIL_DIR}", uri)
        self._write(entry, Image.new("RGBA", (1, 1)), uri, mtime, size,
                    {"X-PhotoCaption::Error": reason[:500]})

    def _write(self, entry: Path, image: Image.Image, uri: str, mtime: str, size: str,
               extra: dict[str, str] | None = None) -> bool:
        info = PngImagePlugin.PngInfo()
        # Software first: prune() recognises our entries by it in the file's first bytes.
        info.add_text("Software", SOFTWARE)
        info.add_text("Thumb::URI", uri)
        info.add_text("Thumb::MTime", mtime)
        info.add_text("Thumb::Size", size)
        for key, value in (extra or {}).items():
            info.add_itxt(key, value)
        tmp = ""
        try:
            _make_dirs(entry.parent, self.root)
            fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".png", dir=entry.parent)
            with os.fdopen(fd, "wb") as fh:  # mkstemp: 0600, as the standard asks
                image.save(fh, "PNG", pnginfo=info)
            os.replace(tmp, entry)
        except Exception:  # a full disk or a read-only cache: no thumbnail kept, no error
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return False
        return True

    def prune(self) -> None:
        """Delete the oldest of our entries until ours fit in ``max_bytes`` (and our temp files
        left behind by a crash); other programs' thumbnails are left alone."""
        ours: list[tuple[float, int, Path]] = []
        total = 0
        stale_temp = time.time() - 3600
        for folder, _px in FLAVORS:
            try:
                names = os.scandir(self.root / folder)
            except OSError:
                continue
            with names:
                for item in names:
                    try:
                        if item.name.startswith(_TEMP_PREFIX):
                            if item.stat().st_mtime < stale_temp:
                                os.unlink(item.path)
                            continue
                        if not item.name.endswith(".png"):
                            continue
                        with open(item.path, "rb") as fh:
                            if _OURS not in fh.read(_HEAD_BYTES):
                                continue
                        st = item.stat()
                    except OSError:
                        continue
                    ours.append((st.st_mtime, st.st_size, Path(item.path)))
                    total += st.st_size
        ours.sort()
        for _mtime, size, entry in ours:
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                entry.unlink()
                total -= size


def _make_dirs(folder: Path, root: Path) -> None:
    """Create ``folder`` (under ``root``) and its parents 0700, as the standard asks."""
    if folder.is_dir():
        return
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        if path == root or root in path.parents:
            os.chmod(path, 0o700)  # mkdir's mode is reduced by the umask, never raised
