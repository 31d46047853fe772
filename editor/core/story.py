"""Story order: the order of the article, arranged by hand, remembered per folder (Qt-free).

Kept in the user's data folder, ``$XDG_DATA_HOME/photocaption/story/<hash of the folder>.json``
(default ``~/.local/share``), keyed by the folder's resolved path; not in the photo folder itself,
which PhotoCaption never writes into unasked (a read-only card, a shared or synced folder, a
camera-import folder watched by other tools). The file holds ``{"folder": PATH, "order":
[file names]}``; photos not listed (new files) come after the listed ones, by name. Written
atomically (temp file, fsync, rename); a missing or damaged file is no order at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from editor.core.errors import UnsafeWriteError
from editor.core.publish.state import data_home
from editor.core.safe_write import replace_own_file


def story_dir() -> Path:
    return data_home() / "photocaption" / "story"


def story_file(folder: Path, base: Path | None = None) -> Path:
    key = str(folder.resolve())
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return (base or story_dir()) / f"{digest}.json"


def load_order(folder: Path, base: Path | None = None) -> list[str]:
    """The file names of ``folder`` in story order, as last saved ([] when none)."""
    try:
        data = json.loads(story_file(folder, base).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("folder") != str(folder.resolve()):
        return []
    order = data.get("order")
    return [str(n) for n in order if isinstance(n, str)] if isinstance(order, list) else []


def save_order(folder: Path, names: Sequence[str], base: Path | None = None) -> Path:
    """Remember ``names`` (file names in ``folder``) as its story order; UnsafeWriteError if the
    data folder cannot be written."""
    path = story_file(folder, base)
    text = json.dumps({"folder": str(folder.resolve()), "order": list(names)},
                      ensure_ascii=False, indent=0)
    try:
        replace_own_file(path, text.encode("utf-8"), ".story-")
    except OSError as err:
        raise UnsafeWriteError(f"cannot remember the story order in {path.parent} "
                               f"({err.strerror or err})") from err
    return path


def save_paths(paths: Iterable[Path], base: Path | None = None) -> list[Path]:
    """Save the story order of every folder among ``paths`` (in the order given)."""
    by_folder: dict[Path, list[str]] = {}
    for p in paths:
        by_folder.setdefault(p.parent, []).append(p.name)
    return [save_order(folder, names, base) for folder, names in by_folder.items()]


def story_sorted(paths: Sequence[Path], base: Path | None = None) -> list[Path]:
    """``paths`` in each folder's saved story order (folders in the order they first appear;
    photos no order lists keep their relative place after the listed ones)."""
    groups: dict[Path, list[Path]] = {}
    for p in paths:
        groups.setdefault(p.parent, []).append(p)
    out: list[Path] = []
    for folder, members in groups.items():
        saved = {name: i for i, name in enumerate(load_order(folder, base))}
        out.extend(sorted(members, key=lambda p: (p.name not in saved, saved.get(p.name, 0))))
    return out


def moved(order: Sequence[Path], paths: Iterable[Path], before: Path | None) -> list[Path]:
    """``order`` with ``paths`` taken out and put, in their current order, just before
    ``before`` (at the end when None or when ``before`` is itself moved and last)."""
    chosen = set(paths)
    block = [p for p in order if p in chosen]
    rest = [p for p in order if p not in chosen]
    if before is not None and before in chosen:
        # Dropping a block onto one of its own members: keep it where it is.
        return list(order)
    at = rest.index(before) if before is not None and before in rest else len(rest)
    return rest[:at] + block + rest[at:]


def step(order: Sequence[Path], paths: Iterable[Path], delta: int) -> list[Path]:
    """``order`` with the chosen photos moved one place up (-1) or down (+1), as a block
    that passes over the neighbour just before (or after) its first (or last) member."""
    chosen = set(paths)
    rows = [i for i, p in enumerate(order) if p in chosen]
    if not rows:
        return list(order)
    if delta < 0:
        if rows[0] == 0:
            return list(order)
        return moved(order, chosen, order[rows[0] - 1])
    if rows[-1] == len(order) - 1:
        return list(order)
    after = rows[-1] + 2
    return moved(order, chosen, order[after] if after < len(order) else None)
