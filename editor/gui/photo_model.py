"""Qt item models over the PhotoLibrary: a sorted list model with typed roles, and a filter."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QImage

from editor.core.library import (
    Filter,
    ItemState,
    PhotoItem,
    PhotoLibrary,
    SortKey,
    matches,
)
from editor.core.library import (
    sort_key as key_for,
)
from editor.core.scan import natural_key
from editor.core.story import load_order
from editor.core.story import moved as story_moved
from editor.gui.thumbnailer import Thumbnailer

Index = QModelIndex | QPersistentModelIndex
STORY_MIME = "application/x-photocaption-story-paths"  # a move within the grid, not a file drop


class Role(IntEnum):
    PATH = Qt.ItemDataRole.UserRole + 1
    ITEM = Qt.ItemDataRole.UserRole + 2
    CAPTION = Qt.ItemDataRole.UserRole + 3
    THUMBNAIL = Qt.ItemDataRole.UserRole + 4  # QImage | None
    STATE = Qt.ItemDataRole.UserRole + 5  # ItemState value
    DIRTY = Qt.ItemDataRole.UserRole + 6
    MISSING_CAPTION = Qt.ItemDataRole.UserRole + 7
    MISSING_ALT_TEXT = Qt.ItemDataRole.UserRole + 8
    PROBLEMS = Qt.ItemDataRole.UserRole + 9  # list[str]
    READ_ONLY = Qt.ItemDataRole.UserRole + 10
    THUMB_SHARP = Qt.ItemDataRole.UserRole + 11
    CARD = Qt.ItemDataRole.UserRole + 12  # Card: everything the delegate paints, in one call
    SHOWN = Qt.ItemDataRole.UserRole + 13  # "1" when the photo passes the grid's filter


@dataclass(frozen=True)
class Card:
    """What one grid cell shows. Built per paint from the item; one model call per cell."""

    name: str
    caption: str  # first line of the caption, whitespace collapsed
    state: ItemState
    dirty: bool
    problem: bool
    read_only: bool
    missing_caption: bool
    missing_alt: bool
    image: QImage | None
    sharp: bool = False  # the image is a proper decode, not the camera's small thumbnail
    path: Path | None = None
    rating: int = 0  # stars shown on the thumbnail (0: none)
    companion: str = ""  # "NEF" for a JPEG shown with its RAW (a RAW+JPEG pair)


def _raw_label(raw: Path | None) -> str:
    return raw.suffix[1:].upper() if raw is not None else ""


def _tooltip(item: PhotoItem) -> str:
    lines = [item.name]
    if item.state is ItemState.LOADING:
        lines.append("Reading metadata…")
    if item.dirty:
        lines.append("Unsaved changes")
    if item.state is ItemState.READY:
        if not item.edited.caption.strip():
            lines.append("No caption")
        if not item.edited.alt_text.strip():
            lines.append("No alt text")
    lines.extend(item.problems())
    return "\n".join(lines)


class PhotoModel(QAbstractListModel):
    """One row per photo, kept in the current sort order.

    The rows are sorted here, in Python, rather than by a QSortFilterProxyModel: the proxy calls
    back into Python for every comparison, and each callback must win the GIL back from the
    worker threads, which made inserting a few hundred photos stall the GUI thread ~100 ms. Here
    an insert is a bisect per photo and one ``beginInsertRows`` per contiguous run (one in all
    when a folder arrives in name order). Rows are added and removed only through this model.
    """

    def __init__(
        self, library: PhotoLibrary, thumbnails: Thumbnailer, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.thumbnails = thumbnails
        self._sort = SortKey.NAME
        self._items: list[PhotoItem] = []  # in view order
        self._keys: list[tuple[object, ...]] = []  # each row's sort key
        self._row_of: dict[Path, int] = {}
        self._filter = Filter.ALL
        self._pinned: frozenset[Path] = frozenset()
        # Story order: each photo's rank; hand-placed photos (group 0) before the rest.
        self._story: dict[Path, tuple[object, ...]] = {}
        self._folders: dict[Path, int] = {}  # folder -> its number, in the order first seen
        self._saved: dict[Path, dict[str, int]] = {}  # folder -> saved story position by name
        library.add_listener(self._library_changed)
        thumbnails.thumbnailsReady.connect(self._thumbnails_ready)
        thumbnails.thumbnailFailed.connect(lambda path, _reason: self._thumbnails_ready([path]))

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag
        out = flags.ItemIsEnabled | flags.ItemIsSelectable | flags.ItemNeverHasChildren
        return out | flags.ItemIsDragEnabled if self._sort is SortKey.STORY else out

    def mimeTypes(self) -> list[str]:
        return [STORY_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged photos' paths, in view order (for a move within the story)."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        text = "\n".join(str(self._items[r].path) for r in rows if 0 <= r < len(self._items))
        mime.setData(STORY_MIME, QByteArray(text.encode("utf-8")))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._items):
            return None
        item = self._items[row]
        if role == Role.CARD:
            return self._card(item)
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = _tooltip(item)
            raw = self.library.companions.get(item.path)
            return f"{tip}\nRAW+JPEG: {raw.name} is saved along with it (in its sidecar)" if (
                raw is not None
            ) else tip
        if role == Role.PATH:
            return item.path
        if role == Role.ITEM:
            return item
        if role == Role.CAPTION:
            return item.edited.caption
        if role == Role.THUMBNAIL:
            return self.thumbnails.image(item.path)
        if role == Role.THUMB_SHARP:
            return self.thumbnails.is_sharp(item.path)
        if role == Role.STATE:
            return item.state.value
        if role == Role.DIRTY:
            return item.dirty
        if role == Role.MISSING_CAPTION:
            return item.state is ItemState.READY and not item.edited.caption.strip()
        if role == Role.MISSING_ALT_TEXT:
            return item.state is ItemState.READY and not item.edited.alt_text.strip()
        if role == Role.PROBLEMS:
            problems = item.problems()
            reason = self.thumbnails.failure(item.path)
            if reason and item.state is not ItemState.ERROR:
                problems.append(f"Cannot show: {reason}")
            return problems
        if role == Role.READ_ONLY:
            return bool(item.read_only_reason)
        if role == Role.SHOWN:
            return "1" if item.path in self._pinned or matches(item, self._filter) else "0"
        return None

    def _card(self, item: PhotoItem) -> Card:
        ready = item.state is ItemState.READY
        md = item.edited
        return Card(
            name=item.name,
            caption=" ".join(md.caption.split()),
            state=item.state,
            dirty=item.dirty,
            problem=bool(
                item.error
                or item.save_error
                or item.changed_on_disk
                or item.state is ItemState.DELETED
                or self.thumbnails.failure(item.path)
            ),
            read_only=bool(item.read_only_reason),
            missing_caption=ready and not md.caption.strip(),
            missing_alt=ready and not md.alt_text.strip(),
            image=self.thumbnails.image(item.path),
            sharp=self.thumbnails.is_sharp(item.path),
            path=item.path,
            rating=md.rating or 0,
            companion=_raw_label(self.library.companions.get(item.path)),
        )

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in Role})
        return names

    # -- rows --------------------------------------------------------------------------------
    @property
    def sort_key(self) -> SortKey:
        return self._sort

    def paths(self) -> list[Path]:
        """Every photo, in the grid's current order (filter or not)."""
        return [it.path for it in self._items]

    def story_paths(self) -> list[Path]:
        """Every photo in story order, whatever the grid's sort."""
        return sorted(self._story, key=lambda p: self._story[p])

    def move_story(self, paths: Iterable[Path], before: Path | None) -> list[Path]:
        """Put ``paths`` just before ``before`` (None: at the end) in the story order and show
        it; returns the new story order (for the caller to remember)."""
        order = story_moved(self.story_paths(), list(paths), before)
        self.set_story(order)
        return order

    def set_story(self, order: Sequence[Path]) -> None:
        """Make ``order`` the story order (photos not in it keep their place after it)."""
        for rank, path in enumerate(order):
            if path in self._story:
                self._story[path] = (0, rank, str(path))
        if self._sort is SortKey.STORY:
            self._resort()

    def _story_rank(self, path: Path, name_key: tuple[object, ...] | None = None
                    ) -> tuple[object, ...]:
        folder = path.parent
        if folder not in self._folders:
            self._folders[folder] = len(self._folders)
            self._saved[folder] = {n: i for i, n in enumerate(load_order(folder))}
        number = self._folders[folder]
        pos = self._saved[folder].get(path.name)
        if pos is not None:
            return (0, number * 1_000_000 + pos, str(path))
        return (1, number, name_key or natural_key(path.name), str(path))

    def _key(self, item: PhotoItem) -> tuple[object, ...]:
        if self._sort is SortKey.STORY:
            return self._story[item.path]
        return key_for(item, self._sort)

    def row_of(self, path: Path) -> int:
        return self._row_of.get(path, -1)

    def index_of(self, path: Path) -> QModelIndex:
        row = self._row_of.get(path, -1)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def add_paths(self, paths: Iterable[Path]) -> list[Path]:
        """Add the photos not yet in the set, each at its place in the order; returns those."""
        new = self.library.add(paths)
        if not new:
            return new
        items = [self.library.item(p) for p in new]
        by_name = self._sort is SortKey.NAME
        keyed: list[tuple[tuple[object, ...], PhotoItem]] = []
        for it in items:
            path = it.path
            if by_name:  # the name's key once for both (as key_for(it, NAME) makes it)
                name_key = natural_key(path.name)
                self._story[path] = self._story_rank(path, name_key)
                keyed.append(((name_key, str(path)), it))
            else:
                self._story[path] = self._story_rank(path)
                keyed.append((self._key(it), it))
        keyed.sort(key=lambda ki: ki[0])
        # Group by insertion point; insert the groups from the last one back, so the rows
        # already computed for earlier groups stay valid.
        groups: list[tuple[int, list[tuple[tuple[object, ...], PhotoItem]]]] = []
        for key, item in keyed:
            at = bisect.bisect_right(self._keys, key)
            if groups and groups[-1][0] == at:
                groups[-1][1].append((key, item))
            else:
                groups.append((at, [(key, item)]))
        for at, group in reversed(groups):
            self.beginInsertRows(QModelIndex(), at, at + len(group) - 1)
            self._keys[at:at] = [k for k, _ in group]
            self._items[at:at] = [it for _, it in group]
            self._renumber(at)
            self.endInsertRows()
        return new

    def remove_paths(self, paths: Iterable[Path]) -> None:
        gone = {p for p in paths if p in self._row_of}
        if not gone:
            return
        rows = sorted((self._row_of[p] for p in gone), reverse=True)
        # Contiguous runs, last first, so earlier rows keep their numbers.
        runs: list[list[int]] = []
        for row in rows:
            if runs and runs[-1][-1] == row + 1:
                runs[-1].append(row)
            else:
                runs.append([row])
        for path in gone:
            del self._row_of[path]
            self._story.pop(path, None)
        for run in runs:
            first, last = run[-1], run[0]
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._items[first : last + 1]
            del self._keys[first : last + 1]
            self._renumber(first)
            self.endRemoveRows()
        self.library.remove(gone)

    def rename_path(self, old: Path, new: Path) -> bool:
        """A photo's file was renamed or moved: its row (edits, selection) follows it."""
        row = self._row_of.get(old, -1)
        if row < 0 or new in self._row_of:
            return False
        del self._row_of[old]
        self._row_of[new] = row
        if not self.library.rename(old, new):
            del self._row_of[new]
            self._row_of[old] = row
            return False
        self._resort()  # the name (and so the place by name) changed
        index = self.index(self._row_of[new], 0)
        self.dataChanged.emit(index, index)
        return True

    def clear(self) -> None:
        self.beginResetModel()
        self.library.clear()
        self._items.clear()
        self._keys.clear()
        self._row_of.clear()
        self._story.clear()
        self._folders.clear()
        self._saved.clear()
        self.endResetModel()

    def set_sort_key(self, key: SortKey) -> None:
        if key is not self._sort:
            self._sort = key
            self._resort()

    def set_filter(self, flt: Filter, pinned: frozenset[Path]) -> None:
        """What ``Role.SHOWN`` answers: the filter, and the photos that always pass it."""
        self._filter, self._pinned = flt, pinned

    def _renumber(self, start: int) -> None:
        row_of = self._row_of
        for row in range(start, len(self._items)):
            row_of[self._items[row].path] = row

    def _resort(self) -> None:
        """Put every row in order again (after a sort change, or edits that moved photos)."""
        self.layoutAboutToBeChanged.emit()
        before = [it.path for it in self._items]
        keyed = sorted(((self._key(it), it) for it in self._items), key=lambda ki: ki[0])
        self._keys = [k for k, _ in keyed]
        self._items = [it for _, it in keyed]
        self._renumber(0)
        old = self.persistentIndexList()
        new = [
            self.index(self._row_of.get(before[i.row()], -1), 0)
            if 0 <= i.row() < len(before)
            else QModelIndex()
            for i in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- changes -----------------------------------------------------------------------------
    def _library_changed(self, paths: Sequence[Path]) -> None:
        # Edits (a new date taken) and reads (the capture time) can move a photo; by name, the
        # key never changes, so a folder's records arriving cost no key at all.
        moved = False
        fixed = self._sort in (SortKey.NAME, SortKey.STORY)
        for path in paths if not fixed else ():
            row = self._row_of.get(path, -1)
            if row < 0:
                continue
            key = self._key(self._items[row])
            if key != self._keys[row]:
                self._keys[row] = key
                keys = self._keys
                after_next = row + 1 < len(keys) and key > keys[row + 1]
                if (row > 0 and keys[row - 1] > key) or after_next:
                    moved = True
        if moved:
            self._resort()
        self._rows_changed(paths)

    def _thumbnails_ready(self, paths: Sequence[Path]) -> None:
        self._rows_changed(paths, [int(Role.THUMBNAIL), int(Role.THUMB_SHARP), int(Role.CARD)])

    def _rows_changed(self, paths: Sequence[Path], roles: Sequence[int] = ()) -> None:
        rows = sorted({self._row_of.get(p, -1) for p in paths} - {-1})
        if not rows:
            return
        # One signal per contiguous run keeps the views' work proportional to the change.
        start = prev = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, 0), list(roles))
            if row is not None:
                start = prev = row


class PhotoFilterModel(QSortFilterProxyModel):
    """The grid's view of the photos: the source's order, filtered by what still needs doing.

    The photos in ``pinned`` (the selection) always pass the filter, so a photo does not vanish
    under the user's cursor the moment they type its first caption letter. With no filter the
    proxy passes every row without calling back into Python (an empty pattern); with one, it
    matches ``Role.SHOWN``, which the source answers.
    """

    def __init__(self, source: PhotoModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._source = source
        self._filter = Filter.ALL
        self._pinned: frozenset[Path] = frozenset()
        self.setFilterRole(int(Role.SHOWN))
        self.setDynamicSortFilter(True)

    @property
    def sort_key(self) -> SortKey:
        return self._source.sort_key

    @property
    def filter(self) -> Filter:
        return self._filter

    def set_sort_key(self, key: SortKey) -> None:
        self._source.set_sort_key(key)

    def set_filter(self, flt: Filter) -> None:
        if flt is not self._filter:
            self._filter = flt
            self._apply()

    def set_pinned(self, paths: Iterable[Path]) -> None:
        pinned = frozenset(paths)
        if pinned == self._pinned:
            return
        self._pinned = pinned
        if self._filter is Filter.ALL:
            self._source.set_filter(self._filter, pinned)  # nothing to re-evaluate
        else:
            self._apply()

    def _apply(self) -> None:
        pattern = "" if self._filter is Filter.ALL else "^1$"
        if self.filterRegularExpression().pattern() != pattern:
            self._source.set_filter(self._filter, self._pinned)
            self.setFilterRegularExpression(QRegularExpression(pattern))  # re-evaluates all
            return
        # Qt 6.9 replaced invalidateFilter() with a begin/end pair; support both.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._source.set_filter(self._filter, self._pinned)
            self.endFilterChange()
        else:
            self._source.set_filter(self._filter, self._pinned)
            self.invalidateFilter()

    def path_at(self, index: QModelIndex) -> Path | None:
        value = index.data(Role.PATH) if index.isValid() else None
        return value if isinstance(value, Path) else None

    def index_of(self, path: Path) -> QModelIndex:
        return self.mapFromSource(self._source.index_of(path))
