"""PhotoLibrary: the open photos, each with original and edited metadata, and what is wrong."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from editor.core.fields import FIELD_BY_NAME
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.core.scan import natural_key


class ItemState(Enum):
    LOADING = "loading"  # found, metadata not read yet
    READY = "ready"
    ERROR = "error"  # could not be read; see ``error``
    DELETED = "deleted"  # gone from disk while open


class SortKey(Enum):
    NAME = "name"
    DATE_TAKEN = "date"
    CAPTURE_ORDER = "capture"
    STORY = "story"  # arranged by hand; the grid's model keeps it (see core.story)


class Filter(Enum):
    ALL = "all"
    MISSING_CAPTION = "missing_caption"
    MISSING_ALT_TEXT = "missing_alt"
    UNSAVED = "unsaved"
    PROBLEMS = "problems"
    RATED_1 = "rated_1"  # rated one star or more
    RATED_2 = "rated_2"
    RATED_3 = "rated_3"
    RATED_4 = "rated_4"
    RATED_5 = "rated_5"

    @property
    def min_rating(self) -> int:
        """The least rating a photo needs to pass (0 for the filters that are not ratings)."""
        return int(self.value[-1]) if self.value.startswith("rated_") else 0


EMPTY_METADATA = PhotoMetadata()


@dataclass
class PhotoItem:
    """One photo in the set. ``edited`` is what the user sees; ``original`` what the file holds."""

    path: Path
    order: int  # position in the order photos were added: the file order
    state: ItemState = ItemState.LOADING
    record: PhotoRecord | None = None
    # One shared empty value until the record is read (it is frozen): a folder of 20,000 photos
    # built 40,000 of them on the GUI thread while it streamed in.
    original: PhotoMetadata = EMPTY_METADATA
    edited: PhotoMetadata = EMPTY_METADATA
    error: str = ""  # why it could not be read
    save_error: str = ""  # why the last save failed
    changed_on_disk: bool = False  # another program changed it while we hold unsaved edits

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def dirty(self) -> bool:
        # Identity first: a clean item holds the very record it was read with, and comparing
        # two PhotoMetadata field by field for every photo on every refresh adds up.
        return (
            self.state is not ItemState.ERROR
            and self.edited is not self.original
            and self.edited != self.original
        )

    @property
    def writable(self) -> bool:
        return self.state is ItemState.READY and self.record is not None and self.record.writable

    @property
    def read_only_reason(self) -> str:
        if self.record is not None and not self.record.writable:
            return self.record.read_only_reason or "This file cannot be written."
        return ""

    def problems(self) -> list[str]:
        """Reasons for the error badge, most serious first; empty when all is well."""
        out: list[str] = []
        if self.state is ItemState.DELETED:
            out.append("The file was deleted or moved by another program.")
        if self.error:
            out.append(self.error)
        if self.save_error:
            out.append(f"Not saved: {self.save_error}")
        if self.changed_on_disk:
            out.append(
                "Changed on disk by another program while you have unsaved edits; "
                "saving will not overwrite it. Revert to load the new version."
            )
        if self.read_only_reason:
            out.append(f"Read-only: {self.read_only_reason}")
        return out

    @property
    def capture_time(self) -> datetime | None:
        return self.original.date_taken


def _naive(dt: datetime | None) -> datetime:
    if dt is None:
        return datetime.max
    return dt.replace(tzinfo=None) if dt.tzinfo else dt


def sort_key(item: PhotoItem, key: SortKey) -> tuple[object, ...]:
    """A key for ``sorted``: name (natural), date taken (edited), or capture order."""
    name = natural_key(item.name)
    if key is SortKey.NAME:
        return (name, str(item.path))
    if key is SortKey.DATE_TAKEN:
        date = item.edited.date_taken
        return (date is None, _naive(date), name, str(item.path))
    if key is SortKey.STORY:  # the grid's model orders by hand; elsewhere, the load order
        return (item.order,)
    # Capture order: the camera's own time (with sub-seconds) as read from the file, then the
    # order the files came in, which for one card is the camera's numbering.
    date = item.capture_time
    return (date is None, _naive(date), item.order)


def matches(item: PhotoItem, flt: Filter) -> bool:
    if flt is Filter.ALL:
        return True
    if flt is Filter.MISSING_CAPTION:
        return item.state is ItemState.READY and not item.edited.caption.strip()
    if flt is Filter.MISSING_ALT_TEXT:
        return item.state is ItemState.READY and not item.edited.alt_text.strip()
    if flt is Filter.UNSAVED:
        return item.dirty
    if flt.min_rating:
        return item.state is ItemState.READY and (item.edited.rating or 0) >= flt.min_rating
    return bool(item.problems())


Listener = Callable[[Sequence[Path]], None]


class PhotoLibrary:
    """The set of open photos in the order they were added; no Qt, no file I/O.

    Whoever reads or writes files reports the results here (``set_record``, ``set_error``,
    ``mark_saved`` ...). Every change to existing items is announced to the listeners with the
    paths concerned; adding and removing are announced by the caller (the Qt model does it).

    The answers the window asks for on every refresh (what is unsaved, how many are still
    being read, the keyword vocabulary) are kept up to date as items change, so asking costs
    nothing however many thousands of photos are open.
    """

    def __init__(self) -> None:
        self._items: list[PhotoItem] = []
        self._index: dict[Path, int] = {}
        self._next_order = 0
        self._listeners: list[Listener] = []
        self._dirty: set[Path] = set()
        self._loading: set[Path] = set()
        self._keywords_of: dict[Path, tuple[str, ...]] = {}
        self._keyword_forms: dict[str, Counter[str]] = {}  # casefolded -> spellings in use
        self._vocabulary: list[str] | None = None  # sorted, rebuilt when keywords change
        # RAW+JPEG pairs shown as one photo: the JPEG's path -> its RAW (saved along with it).
        self.companions: dict[Path, Path] = {}

    # -- observation -------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, paths: Sequence[Path]) -> None:
        if paths:
            for path in paths:
                self._restate(path)
            for listener in list(self._listeners):
                listener(paths)

    # -- bookkeeping -------------------------------------------------------------------------
    def _restate(self, path: Path) -> None:
        """Bring the running answers in step with the item at ``path`` (or its absence)."""
        item = self.get(path)
        if item is not None and item.dirty:
            self._dirty.add(path)
        else:
            self._dirty.discard(path)
        if item is not None and item.state is ItemState.LOADING:
            self._loading.add(path)
        else:
            self._loading.discard(path)
        words = item.edited.keywords if item is not None else ()
        before = self._keywords_of.get(path, ())
        if words != before:
            self._count_keywords(words, 1)  # first, so a spelling kept keeps its place
            self._count_keywords(before, -1)
            if words:
                self._keywords_of[path] = words
            else:
                self._keywords_of.pop(path, None)

    def _count_keywords(self, words: Iterable[str], step: int) -> None:
        for word in words:
            spellings = self._keyword_forms.setdefault(word.casefold(), Counter())
            spellings[word] += step
            if spellings[word] == (1 if step > 0 else 0):  # a spelling came or went
                self._vocabulary = None
            if spellings[word] <= 0:
                del spellings[word]
                if not spellings:
                    del self._keyword_forms[word.casefold()]

    # -- membership --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self._index

    @property
    def items(self) -> Sequence[PhotoItem]:
        return self._items

    def item(self, path: Path) -> PhotoItem:
        return self._items[self._index[path]]

    def get(self, path: Path) -> PhotoItem | None:
        i = self._index.get(path)
        return None if i is None else self._items[i]

    def row(self, path: Path) -> int:
        return self._index.get(path, -1)

    @property
    def paths(self) -> list[Path]:
        return [it.path for it in self._items]

    def new_paths(self, paths: Iterable[Path]) -> list[Path]:
        """Those of ``paths`` not in the set yet, without duplicates, in order."""
        out: list[Path] = []
        seen: set[Path] = set()
        for p in paths:
            if p not in self._index and p not in seen:
                seen.add(p)
                out.append(p)
        return out

    def add(self, paths: Iterable[Path]) -> list[Path]:
        """Append photos not already in the set (state LOADING); returns the ones added."""
        added = self.new_paths(paths)
        for p in added:
            self._index[p] = len(self._items)
            self._items.append(PhotoItem(p, self._next_order))
            self._next_order += 1
        self._loading.update(added)
        return added

    def remove(self, paths: Iterable[Path]) -> None:
        gone = set(paths)
        self._items = [it for it in self._items if it.path not in gone]
        self._index = {it.path: i for i, it in enumerate(self._items)}
        for path in gone:
            self._restate(path)
            self.companions.pop(path, None)

    def rename(self, old: Path, new: Path) -> bool:
        """The photo at ``old`` is now at ``new`` (renamed or moved by another program): the
        item, its edits and its record follow it. False when ``old`` is unknown or ``new`` taken.
        Announced to the listeners as ``new``; the caller moves its own row (the Qt model)."""
        i = self._index.get(old)
        if i is None or new in self._index:
            return False
        del self._index[old]
        item = self._items[i]
        item.path = new
        if item.record is not None:
            item.record = dataclasses.replace(item.record, path=new)
        if item.state is ItemState.DELETED:
            item.state = ItemState.READY
        self._index[new] = i
        self._restate(old)
        self._changed([new])
        return True

    def clear(self) -> None:
        self.companions.clear()
        self._items.clear()
        self._index.clear()
        self._dirty.clear()
        self._loading.clear()
        self._keywords_of.clear()
        self._keyword_forms.clear()
        self._vocabulary = None

    # -- results of reading and writing ------------------------------------------------------
    def set_record(self, path: Path, record: PhotoRecord) -> None:
        """The file was (re)read: it becomes the saved state, and the edited state if clean."""
        if self._take_record(path, record):
            self._changed([path])

    def set_error(self, path: Path, reason: str) -> None:
        if self._take_error(path, reason):
            self._changed([path])

    def set_read_results(self, results: Iterable[tuple[Path, PhotoRecord | str]]) -> None:
        """Many reads at once, each a record or the reason the file could not be read; one
        announcement for them all (a folder's records arrive by the hundred)."""
        changed = [
            path
            for path, result in results
            if (
                self._take_error(path, result)
                if isinstance(result, str)
                else self._take_record(path, result)
            )
        ]
        self._changed(changed)

    def _take_record(self, path: Path, record: PhotoRecord) -> bool:
        item = self.get(path)
        if item is None:
            return False
        was_dirty = item.dirty
        item.record = record
        item.state = ItemState.READY
        item.error = ""
        item.changed_on_disk = False
        if not was_dirty:
            item.edited = record.metadata
            item.save_error = ""  # nothing of ours is pending any more
        item.original = record.metadata
        return True

    def _take_error(self, path: Path, reason: str) -> bool:
        item = self.get(path)
        if item is None:
            return False
        item.state = ItemState.ERROR
        item.error = reason
        return True

    def mark_deleted(self, path: Path) -> None:
        item = self.get(path)
        if item is None:
            return
        item.state = ItemState.DELETED
        self._changed([path])

    def mark_restored(self, path: Path) -> None:
        """A deleted photo's path holds a file again (its record is kept until reloaded)."""
        item = self.get(path)
        if item is not None and item.state is ItemState.DELETED:
            item.state = ItemState.READY
            self._changed([path])

    def mark_changed_on_disk(self, path: Path) -> None:
        item = self.get(path)
        if item is None:
            return
        item.changed_on_disk = True
        self._changed([path])

    def mark_saved(self, path: Path, written: PhotoMetadata, record: PhotoRecord) -> None:
        """A save of ``written`` succeeded. Edits made while it ran stay unsaved."""
        item = self.get(path)
        if item is None:
            return
        item.record = record
        item.state = ItemState.READY
        item.save_error = ""
        item.changed_on_disk = False
        if item.edited == written:
            item.edited = record.metadata
        item.original = record.metadata
        self._changed([path])

    def set_save_error(self, path: Path, reason: str) -> None:
        item = self.get(path)
        if item is None:
            return
        item.save_error = reason
        self._changed([path])

    # -- editing -----------------------------------------------------------------------------
    def metadata(self, paths: Iterable[Path]) -> dict[Path, PhotoMetadata]:
        """The edited metadata of each of ``paths`` that is in the set."""
        return {p: self._items[self._index[p]].edited for p in paths if p in self._index}

    def field_values(self, paths: Iterable[Path], name: str) -> dict[Path, object]:
        return {p: getattr(md, name) for p, md in self.metadata(paths).items()}

    def set_field(self, paths: Iterable[Path], name: str, value: object) -> list[Path]:
        """Set one field on several photos; returns the paths whose value actually changed."""
        if name not in FIELD_BY_NAME:
            raise KeyError(name)
        return self.set_field_values({p: value for p in paths}, name)

    def set_field_values(self, values: Mapping[Path, object], name: str) -> list[Path]:
        """Set one field to a per-photo value (what undo restores); returns the changed paths."""
        changed: list[Path] = []
        for path, value in values.items():
            item = self.get(path)
            if item is None or item.state is ItemState.ERROR:
                continue
            if getattr(item.edited, name) != value:
                item.edited = item.edited.replace(**{name: value})
                changed.append(path)
        self._changed(changed)
        return changed

    def set_metadata_many(self, values: Mapping[Path, PhotoMetadata]) -> list[Path]:
        changed: list[Path] = []
        for path, md in values.items():
            item = self.get(path)
            if item is None or item.state is ItemState.ERROR:
                continue
            if item.edited != md:
                item.edited = md
                changed.append(path)
        self._changed(changed)
        return changed

    def revert(self, paths: Iterable[Path]) -> list[Path]:
        """Throw away unsaved edits: edited = original."""
        return self.set_metadata_many(
            {p: it.original for p in paths if (it := self.get(p)) is not None}
        )

    # -- questions about the set -------------------------------------------------------------
    def dirty_paths(self, paths: Iterable[Path] | None = None) -> list[Path]:
        """The photos with unsaved edits: all of them in file order, or those of ``paths``."""
        if paths is None:
            return sorted(self._dirty, key=self._index.__getitem__)
        return [p for p in paths if p in self._dirty]

    def is_dirty(self, path: Path) -> bool:
        return path in self._dirty

    @property
    def has_unsaved(self) -> bool:
        return bool(self._dirty)

    @property
    def unsaved_count(self) -> int:
        return len(self._dirty)

    @property
    def loading_count(self) -> int:
        """Photos found whose metadata has not been read yet."""
        return len(self._loading)

    def keyword_vocabulary(self) -> list[str]:
        """Every keyword used in the set (edited values), case-insensitively unique, sorted;
        a word spelt several ways appears once, in the spelling first used."""
        if self._vocabulary is None:
            forms = (next(iter(spellings)) for spellings in self._keyword_forms.values())
            self._vocabulary = sorted(forms, key=str.casefold)
        return list(self._vocabulary)

    def sorted_paths(self, key: SortKey) -> list[Path]:
        return [it.path for it in sorted(self._items, key=lambda it: sort_key(it, key))]

    def filtered_paths(self, flt: Filter) -> list[Path]:
        return [it.path for it in self._items if matches(it, flt)]
