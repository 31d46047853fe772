"""Notice files changed or deleted by other programs: reload clean photos, flag dirty ones.

A deleted photo keeps its edits; its folder is watched so that when the file comes back with
the same content (moved away and back, restored from the trash) it reconnects, edits kept.

The files are spread over watchers of at most ``SHARD`` paths each (Qt's add and remove cost
time in proportion to the paths a watcher already holds: adding 20,000 files to one took 0.6 s
of GUI thread); a new set of photos retires them whole, destroyed off the GUI thread
(``watch_release``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from editor.core import sidecar
from editor.core.errors import PhotoCaptionError
from editor.core.formats.heif import SPEC as HEIF_SPEC
from editor.core.formats.raw import RAW_EXTENSIONS
from editor.core.library import ItemState, PhotoLibrary
from editor.core.metadata import read_photo
from editor.core.model import PhotoRecord
from editor.core.sidecar import DEFAULT_POLICY, StorePolicy
from editor.gui import watch_release
from editor.gui.saver import PhotoSaver
from editor.gui.workers import WorkerPool

SHARD = 4096  # paths per QFileSystemWatcher: one inotify instance each (128 per user, usually)

_SIDECAR_SUFFIXES = RAW_EXTENSIONS | HEIF_SPEC.extensions
Recheck = tuple[str, PhotoRecord | str | None]  # ("deleted"|"record"|"error", payload)


def _recheck(path: Path, policy: StorePolicy = DEFAULT_POLICY) -> Recheck:
    if not os.path.exists(path):
        return ("deleted", None)
    try:
        return ("record", read_photo(path, policy=policy))
    except PhotoCaptionError as err:
        if not os.path.exists(path):
            return ("deleted", None)
        return ("error", str(err))


class FileWatch(QObject):
    """Wraps QFileSystemWatcher. Events are re-checked on a worker by re-reading the file and
    comparing its stamp with the one we hold, so our own saves are never mistaken for others'.
    """

    reloaded = Signal(object)  # Path: re-read because it had no unsaved edits
    conflict = Signal(object)  # Path: changed elsewhere while it has unsaved edits
    deleted = Signal(object)  # Path
    reconnected = Signal(object)  # Path: a deleted photo's file is back (same content)

    def __init__(
        self,
        pool: WorkerPool,
        library: PhotoLibrary,
        saver: PhotoSaver,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self._library = library
        self._saver = saver
        self._shards: list[QFileSystemWatcher] = []
        self._shard_of: dict[str, QFileSystemWatcher] = {}  # every path we asked to watch
        self._filled = 0  # paths given to the last watcher
        self._pending: set[Path] = set()
        self._photo_of: dict[str, Path] = {}  # a watched sidecar -> the photo it belongs to
        # Saves finished per photo: a re-read begun before a save is stale when it lands after.
        self._saves: dict[Path, int] = {}
        saver.saved.connect(self._note_saved)
        # Editors save by writing a temp file and renaming it: let the dust settle first.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._flush)

    def add(self, paths: Iterable[Path]) -> None:
        paths = list(paths)
        names = [str(p) for p in paths]
        names += self._sidecars(paths)
        self._ensure(names)

    def _ensure(self, names: list[str]) -> None:
        """Watch ``names``: new ones, and known files whose watch ended (renamed over, deleted
        and back)."""
        fresh: list[str] = []
        known: dict[QFileSystemWatcher, list[str]] = {}
        for name in names:
            shard = self._shard_of.get(name)
            if shard is None:
                fresh.append(name)
            else:
                known.setdefault(shard, []).append(name)
        for shard, some in known.items():
            have = set(shard.files())
            lost = [n for n in some if n not in have]
            if lost:
                shard.addPaths(lost)
        self._watch(fresh)

    def _watch(self, names: list[str]) -> None:
        """Watch ``names`` (none watched yet), filling the last watcher before starting one."""
        while names:
            if not self._shards or self._filled >= SHARD:
                shard = QFileSystemWatcher(self)
                shard.fileChanged.connect(self._changed)
                shard.directoryChanged.connect(self._folder_changed)
                self._shards.append(shard)
                self._filled = 0
            shard = self._shards[-1]
            part, names = names[: SHARD - self._filled], names[SHARD - self._filled :]
            self._filled += len(part)
            shard.addPaths(part)
            for name in part:
                self._shard_of[name] = shard

    def watched(self) -> list[str]:
        """The files and folders being watched now."""
        return [n for s in self._shards for n in (*s.files(), *s.directories())]

    def _sidecars(self, paths: Iterable[Path]) -> list[str]:
        """The existing XMP sidecars of RAW/HEIC photos among ``paths`` (and of their RAW
        companions), remembered so that a change to one rechecks its photo."""
        names: list[str] = []
        for path in paths:
            for photo in (path, self._library.companions.get(path)):
                if photo is None or photo.suffix.lower() not in _SIDECAR_SUFFIXES:
                    continue
                side = sidecar.existing(photo, self._saver.policy)
                if side is not None:
                    self._photo_of[str(side)] = path
                    names.append(str(side))
        return names

    def rewatch(self, path: Path) -> None:
        """Watch again after a file was replaced (renaming over a file ends the old watch), and
        its sidecar, which a save may have created or replaced."""
        self._ensure([str(path), *self._sidecars([path])])

    def clear(self) -> None:
        """Stop watching everything; the watches are released off the GUI thread."""
        for shard in self._shards:
            watch_release.retire(shard)
        self._shards.clear()
        self._shard_of.clear()
        self._pending.clear()
        self._photo_of.clear()

    def watch_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        name = str(folder)
        shard = self._shard_of.get(name)
        if shard is None:
            self._watch([name])
        elif name not in shard.directories():
            shard.addPath(name)

    def _folder_changed(self, name: str) -> None:
        folder = Path(name)
        gone = [
            it.path
            for it in self._library.items
            if it.state is ItemState.DELETED and it.path.parent == folder
        ]
        self.recheck(gone)

    def recheck(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self._pending.add(path)
        self._timer.start()

    def _changed(self, name: str) -> None:
        photo = self._photo_of.get(name)
        if photo is not None and photo in self._library:
            self.rewatch(photo)  # an editor's rename over the sidecar ends its watch
        self.recheck([photo or Path(name)])

    def _flush(self) -> None:
        for path in list(self._pending):
            if self._saver.is_saving(path):
                continue  # our own write; the save result brings the new stamp
            self._pending.discard(path)
            if path in self._library:
                saves = self._saves.get(path, 0)
                self._pool.submit(
                    _recheck, path, self._saver.policy,
                    on_done=lambda res, p=path, n=saves: self._result(p, res, n),
                )
        if self._pending:
            self._timer.start()

    def _note_saved(self, path: Path) -> None:
        self._saves[path] = self._saves.get(path, 0) + 1

    def _result(self, path: Path, result: Recheck, saves: int | None = None) -> None:
        item = self._library.get(path)
        if item is None or self._saver.is_saving(path):
            return
        if saves is not None and saves != self._saves.get(path, 0):
            # Read before one of our saves finished: it would put the old record back over the
            # saved one. Read again (another program may have changed it too).
            self.recheck([path])
            return
        kind, payload = result
        if kind == "deleted":
            if item.state is not ItemState.DELETED:
                self._library.mark_deleted(path)
                self.watch_folder(path.parent)  # to notice it coming back
                self.deleted.emit(path)
            return
        self.rewatch(path)
        if item.state is ItemState.DELETED and isinstance(payload, PhotoRecord):
            self._file_back(path, payload)
            return
        if kind == "error":
            if not item.dirty:
                self._library.set_error(path, str(payload))
            return
        assert isinstance(payload, PhotoRecord)
        old = item.record.stamp if item.record is not None else None
        if old is not None and old == payload.stamp and item.state is ItemState.READY:
            return  # nothing changed (our own save, or a touch that changed nothing we track)
        if item.dirty:
            self._library.mark_changed_on_disk(path)
            self.conflict.emit(path)
        else:
            self._library.set_record(path, payload)
            self.reloaded.emit(path)

    def _file_back(self, path: Path, record: PhotoRecord) -> None:
        """A deleted photo's path holds a file again: the same content reconnects (edits kept);
        another file is a change made elsewhere (flagged when there are edits, else loaded)."""
        item = self._library.get(path)
        assert item is not None
        old = item.record.stamp if item.record is not None else None
        same = (
            old is not None
            and record.stamp is not None
            and (old.size, old.head_sha256) == (record.stamp.size, record.stamp.head_sha256)
        )
        if same or not item.dirty:
            self._library.set_record(path, record)  # keeps unsaved edits
            (self.reconnected if same else self.reloaded).emit(path)
        else:
            self._library.mark_restored(path)
            self._library.mark_changed_on_disk(path)
            self.conflict.emit(path)
