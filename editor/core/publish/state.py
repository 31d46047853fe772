"""What was published where: photo -> media item, photo set -> post, per site.

One small JSON file per site in the user's data folder,
``$XDG_DATA_HOME/photocaption/publish/<host>-<hash of the site URL>.json`` (default
``~/.local/share``), not beside the photos: publishing must never write into the photographer's
folders (originals are only read), the same folder may go to several sites, and the file holds
nothing secret (ids and hashes; the password lives in the keyring). Written atomically (temp file,
fsync, rename) after every photo, so an interrupted publish is continued by the next one.

Shape: ``{"site": URL, "photos": {PATH: {"media_id": N, "image_hash": H}},
"posts": {SET_KEY: POST_ID}}``; PATH is the original's resolved path, H the hash of the exported
JPEG's image data (without its metadata segments), SET_KEY a hash of the set's sorted paths (so
re-ordering the story updates the same post).
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.core.errors import UnsafeWriteError
from editor.core.safe_write import replace_own_file


def data_home() -> Path:
    env = os.environ.get("XDG_DATA_HOME", "").strip()
    return Path(env) if env and Path(env).is_absolute() else Path.home() / ".local" / "share"


def state_path(site: str, folder: Path | None = None) -> Path:
    host = urllib.parse.urlsplit(site).netloc.replace(":", "_") or "site"
    digest = hashlib.sha256(site.encode("utf-8")).hexdigest()[:12]
    return (folder or data_home() / "photocaption" / "publish") / f"{host}-{digest}.json"


def set_key(paths: Iterable[Path]) -> str:
    joined = "\n".join(sorted(str(p) for p in paths))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def image_hash(jpeg: bytes) -> str:
    """Hash of a JPEG's image data only: from the first SOS marker on (metadata segments,
    which carry the caption, come before it), so a caption edit is not a new picture."""
    pos = 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        marker = jpeg[pos + 1]
        if marker == 0xDA:
            break
        pos += 2 + int.from_bytes(jpeg[pos + 2:pos + 4], "big")
    return hashlib.sha256(jpeg[pos:] if pos < len(jpeg) else jpeg).hexdigest()


@dataclass
class PublishState:
    path: Path
    site: str
    photos: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, site: str, folder: Path | None = None) -> PublishState:
        path = state_path(site, folder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, site)  # missing or damaged: start afresh (duplicates, never loss)
        if not isinstance(data, dict) or data.get("site") != site:
            return cls(path, site)
        photos = {str(k): dict(v) for k, v in dict(data.get("photos") or {}).items()
                  if isinstance(v, dict) and isinstance(v.get("media_id"), int)}
        posts = {str(k): int(v) for k, v in dict(data.get("posts") or {}).items()
                 if isinstance(v, int)}
        return cls(path, site, photos, posts)

    def save(self) -> None:
        text = json.dumps({"site": self.site, "photos": self.photos, "posts": self.posts},
                          indent=1, ensure_ascii=False, sort_keys=True)
        try:
            replace_own_file(self.path, text.encode("utf-8"), ".publish-")
        except OSError as err:
            raise UnsafeWriteError(f"cannot save the publish record {self.path} "
                                   f"({err.strerror or err})") from err
