"""Qt item models over the PhotoLibrary: a list model with typed roles, and a sort/filter proxy."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
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
    sort_key,
)
from editor.gui.thumbnailer import Thumbnailer

Index = QModelIndex | QPersistentModelIndex


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
    """One row per photo in library order. Rows are added and removed only through this model."""

    def __init__(
        self, library: PhotoLibrary, thumbnails: Thumbnailer, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.thumbnails = thumbnails
        library.add_listener(self._library_changed)
        thumbnails.thumbnailsReady.connect(self._thumbnails_ready)
        thumbnails.thumbnailFailed.connect(lambda path, _reason: self._thumbnails_ready([path]))

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.library)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag
        return flags.ItemIsEnabled | flags.ItemIsSelectable | flags.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self.library):
            return None
        item = self.library.items[row]
        if role == Role.CARD:
            return self._card(item)
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(item)
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
        )

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in Role})
        return names

    # -- changes -----------------------------------------------------------------------------
    def add_paths(self, paths: Iterable[Path]) -> list[Path]:
        """Append the photos not yet in the set; returns those added."""
        new = self.library.new_paths(paths)
        if new:
            first = len(self.library)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self.library.add(new)
            self.endInsertRows()
        return new

    def remove_paths(self, paths: Iterable[Path]) -> None:
        rows = sorted({self.library.row(p) for p in paths} - {-1}, reverse=True)
        for row in rows:
            path = self.library.items[row].path
            self.beginRemoveRows(QModelIndex(), row, row)
            self.library.remove([path])
            self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.library.clear()
        self.endResetModel()

    def index_of(self, path: Path) -> QModelIndex:
        row = self.library.row(path)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def _library_changed(self, paths: Sequence[Path]) -> None:
        self._rows_changed(paths)

    def _thumbnails_ready(self, paths: Sequence[Path]) -> None:
        self._rows_changed(paths, [int(Role.THUMBNAIL), int(Role.THUMB_SHARP), int(Role.CARD)])

    def _rows_changed(self, paths: Sequence[Path], roles: Sequence[int] = ()) -> None:
        rows = sorted({self.library.row(p) for p in paths} - {-1})
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


class PhotoSortFilterModel(QSortFilterProxyModel):
    """Sort by name / date taken / capture order and filter by what still needs doing.

    The photos in ``pinned`` (the selection) always pass the filter, so a photo does not vanish
    under the user's cursor the moment they type its first caption letter.
    """

    def __init__(self, source: PhotoModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._source = source
        self._sort = SortKey.NAME
        self._filter = Filter.ALL
        self._pinned: frozenset[Path] = frozenset()
        self._keys: dict[Path, tuple[object, object, tuple[object, ...]]] = {}
        self.setDynamicSortFilter(True)
        self.sort(0)
        source.modelReset.connect(self._keys.clear)

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def filter(self) -> Filter:
        return self._filter

    def set_sort_key(self, key: SortKey) -> None:
        if key is not self._sort:
            self._sort = key
            self._keys.clear()
            self.invalidate()
            self.sort(0)

    def _refilter(self, change: Callable[[], None]) -> None:
        # Qt 6.9 replaced invalidateFilter() with a begin/end pair; support both.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def set_filter(self, flt: Filter) -> None:
        if flt is not self._filter:
            self._refilter(lambda: setattr(self, "_filter", flt))

    def set_pinned(self, paths: Iterable[Path]) -> None:
        pinned = frozenset(paths)
        if pinned == self._pinned:
            return
        if self._filter is Filter.ALL:
            self._pinned = pinned
        else:
            self._refilter(lambda: setattr(self, "_pinned", pinned))

    def _item(self, source_row: int) -> PhotoItem | None:
        items = self._source.library.items
        return items[source_row] if 0 <= source_row < len(items) else None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        item = self._item(source_row)
        if item is None:
            return False
        return item.path in self._pinned or matches(item, self._filter)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = self._item(left.row()), self._item(right.row())
        if a is None or b is None:
            return False
        return self._key(a) < self._key(b)

    def _key(self, item: PhotoItem) -> tuple[object, ...]:
        # Keys are cached per photo and reused while its metadata objects are the same ones.
        cached = self._keys.get(item.path)
        if cached is not None and cached[0] is item.edited and cached[1] is item.original:
            return cached[2]
        key = sort_key(item, self._sort)
        self._keys[item.path] = (item.edited, item.original, key)
        return key

    def path_at(self, index: QModelIndex) -> Path | None:
        value = index.data(Role.PATH) if index.isValid() else None
        return value if isinstance(value, Path) else None

    def index_of(self, path: Path) -> QModelIndex:
        return self.mapFromSource(self._source.index_of(path))
