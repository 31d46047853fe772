"""On-disk thumbnail cache keyed by path, size and mtime, so a folder opens instantly next time."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from PIL import Image

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/photocaption/thumbnails`` (``~/.cache/...`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "photocaption" / "thumbnails"


class ThumbCache:
    """JPEG files named by a hash of (absolute path, file size, mtime, pixel size).

    A changed file gets a new key, so stale entries are never returned; they age out when the
    cache grows past ``max_bytes`` (oldest first). Safe to use from several threads: entries are
    written to a temp file and renamed into place, and every failure is treated as a miss.
    """

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._writes = 0

    def _key(self, path: Path, max_px: int) -> Path | None:
        try:
            st = path.stat()
        except OSError:
            return None
        text = f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{max_px}"
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / digest[:2] / f"{digest}.jpg"

    def get(self, path: str | os.PathLike[str], max_px: int) -> Image.Image | None:
        entry = self._key(Path(path), max_px)
        if entry is None:
            return None
        try:
            with Image.open(entry) as image:
                image.load()
                return image.convert("RGB")
        except Exception:  # missing or damaged entry: a miss
            return None

    def put(self, path: str | os.PathLike[str], max_px: int, image: Image.Image) -> None:
        entry = self._key(Path(path), max_px)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                image.convert("RGB").save(fh, "JPEG", quality=85)
            os.replace(tmp, entry)
        except Exception:
            with contextlib.suppress(Exception):
                os.unlink(tmp)
            return
        self._writes += 1
        if self._writes % 200 == 0:
            self.prune()

    def prune(self) -> None:
        """Delete the oldest entries until the cache fits in ``max_bytes``."""
        files: list[tuple[float, int, Path]] = []
        total = 0
        try:
            for sub in self.root.iterdir():
                for f in sub.glob("*.jpg"):
                    st = f.stat()
                    files.append((st.st_mtime, st.st_size, f))
                    total += st.st_size
        except OSError:
            return
        files.sort()
        for _mtime, size, f in files:
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                f.unlink()
                total -= size
