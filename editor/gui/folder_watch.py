"""Keep the open folders in step with the disk: new, removed and renamed photos, and F5.

QFileSystemWatcher watches each folder the walk found; bursts of events (a copy of 400 photos,
an editor's temp-and-rename) are debounced, then a worker lists the folder and hashes only the
files that are new. On the GUI thread a new file with the same content (size and the hash of its
first 256 KB, as in FileStamp) as a photo that disappeared is that photo renamed: its row,
edits and selection follow it. Other new files are loaded; a photo whose file is gone leaves the
grid when it has no unsaved edits, and stays (deleted, edits kept) when it has.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from editor.core.library import ItemState, PhotoLibrary
from editor.core.safe_write import HEAD_BYTES
from editor.core.scan import is_supported_image
from editor.gui.photo_model import PhotoModel
from editor.gui.workers import WorkerPool

DEBOUNCE_MS = 300
Fingerprint = tuple[int, str]  # size, sha256 of the first HEAD_BYTES


@dataclass(frozen=True)
class FolderListing:
    folder: Path
    present: frozenset[Path]  # photos in the folder now
    new: tuple[tuple[Path, Fingerprint], ...]  # the ones not known before, with fingerprints


def fingerprint(path: Path) -> Fingerprint | None:
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return None
    return size, hashlib.sha256(head).hexdigest()


def list_folder(folder: Path, known: frozenset[Path]) -> FolderListing:
    """The photos directly in ``folder`` (hidden files skipped), fingerprinting the new ones."""
    present: set[Path] = set()
    new: list[tuple[Path, Fingerprint]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return FolderListing(folder, frozenset(), ())
    for entry in entries:
        if entry.name.startswith(".") or not is_supported_image(entry.name):
            continue
        try:
            if not entry.is_file():
                continue
        except OSError:
            continue
        path = Path(entry.path)
        present.add(path)
        if path not in known:
            fp = fingerprint(path)
            if fp is not None:
                new.append((path, fp))
    new.sort(key=lambda pf: pf[0].name)
    return FolderListing(folder, frozenset(present), tuple(new))


class FolderWatch(QObject):
    """Watches folders; applies what changed in them to the model (see the module docstring)."""

    renamed = Signal(object, object)  # old Path, new Path
    removed = Signal(list)  # list[Path] that left the grid (no unsaved edits)

    def __init__(
        self,
        pool: WorkerPool,
        model: PhotoModel,
        load: Callable[[list[Path]], None],
        mark_deleted: Callable[[Path], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self._model = model
        self._library: PhotoLibrary = model.library
        self._load = load
        self._mark_deleted = mark_deleted
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda name: self.rescan([Path(name)]))
        self._pending: set[Path] = set()
        # Files already handed to the loader: one it skips (a damaged RAW, say) is not
        # offered again on every change in its folder.
        self._offered: set[Path] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._flush)
        self.scans = 0  # folder listings applied (tests and the status line)

    def watch(self, folders: Iterable[Path]) -> None:
        names = [str(f) for f in folders if str(f) not in self.watcher.directories()]
        if names:
            self.watcher.addPaths(names)

    def folders(self) -> list[Path]:
        return [Path(d) for d in self.watcher.directories()]

    def clear(self) -> None:
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self._pending.clear()
        self._offered.clear()
        self._timer.stop()

    def rescan(self, folders: Sequence[Path] | None = None, *, now: bool = False) -> None:
        """Look at ``folders`` (all watched ones by default) after the debounce, or ``now``."""
        self._pending.update(self.folders() if folders is None else folders)
        if now:
            self._timer.stop()
            self._flush()
        else:
            self._timer.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, set()
        lib = self._library
        for folder in pending:
            # A RAW shown with its JPEG (a pair) is known too, not a new photo.
            known = frozenset(
                p
                for p in (*lib.paths, *lib.companions.values(), *self._offered)
                if p.parent == folder
            )
            self._pool.submit(list_folder, folder, known, on_done=self._apply)

    def _apply(self, listing: FolderListing) -> None:
        if str(listing.folder) not in self.watcher.directories():
            return  # closed or replaced meanwhile
        self.scans += 1
        lib = self._library
        # Offered files that were loaded, or are gone, may be offered again when they return.
        self._offered = {
            p
            for p in self._offered
            if p.parent != listing.folder or (p in listing.present and p not in lib)
        }
        missing = [
            it
            for it in lib.items
            if it.path.parent == listing.folder
            and it.path not in listing.present
            and it.state is not ItemState.LOADING
            and not os.path.exists(it.path)
        ]
        by_print: dict[Fingerprint, list[Path]] = {}
        for item in missing:
            stamp = item.record.stamp if item.record is not None else None
            if stamp is not None:
                by_print.setdefault((stamp.size, stamp.head_sha256), []).append(item.path)
        to_load: list[Path] = []
        for path, fp in listing.new:
            if path in lib:
                continue
            olds = by_print.get(fp)
            if olds:
                old = olds.pop(0)
                if self._model.rename_path(old, path):
                    self.renamed.emit(old, path)
                    continue
            to_load.append(path)
        gone_clean = []
        for item in missing:
            if item.path in listing.present or item.path not in lib:
                continue  # renamed above (the item now has its new path)
            if item.dirty:
                if item.state is not ItemState.DELETED:
                    self._mark_deleted(item.path)
            else:
                gone_clean.append(item.path)
        if gone_clean:
            self._model.remove_paths(gone_clean)
            self.removed.emit(gone_clean)
        if to_load:
            self._offered.update(to_load)
            self._load(to_load)
