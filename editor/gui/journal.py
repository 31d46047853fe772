"""Never lose typed work: unsaved edits journalled off the GUI thread, and offered back at start.

``EditJournal`` listens to the library; at most ``delay_ms`` after a change it snapshots the
unsaved edits (on the GUI thread: frozen values, so the snapshot is cheap and consistent) and
hands the write to its own one-thread pool, so writes run in order and never stall typing.
When nothing is unsaved any more (saved, reverted, discarded) the journal file is removed.

``RestoreOffer`` is the question asked at start when a journal was left behind (a crash, a
kill, a power cut): it lists the photos, and Restore opens them and puts the edits back as one
undo step, unsaved, so the user still decides whether to save them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core.journal import (
    Edits,
    apply_edits,
    changed_values,
    read_journal,
    remove_journal,
    write_journal,
)
from editor.core.library import ItemState, PhotoLibrary
from editor.core.model import PhotoMetadata
from editor.gui.workers import WorkerPool

DELAY_MS = 400
MAX_LISTED = 12


class EditJournal(QObject):
    """Keeps ``path`` holding the library's unsaved edits (plus any held for a restore)."""

    written = Signal()  # a write (or removal) reached the disk
    failed = Signal(str)  # it could not be written: why (said once until a write succeeds)

    def __init__(
        self,
        library: PhotoLibrary,
        path: Path,
        parent: QObject | None = None,
        delay_ms: int = DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self._library = library
        self._held: Edits = {}
        self._last: Edits = {}  # what was last handed to the writer ({} = no journal)
        self._closed = False
        self._warned = False
        # One journal per user: a second PhotoCaption running at the same time neither offers
        # nor overwrites the first one's edits. A lock left by a killed process is stale (its
        # process is gone), and QLockFile takes it over.
        self._lock = QLockFile(str(path) + ".lock")
        self._lock.setStaleLockTime(0)  # only a dead owner makes it stale, never its age
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.active = self._lock.tryLock(0)
        except OSError:
            self.active = False
        self._pool = WorkerPool(1, "journal", self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        library.add_listener(self._changed)

    def left_behind(self) -> Edits:
        """The edits of a previous run that ended without saving or discarding them."""
        return read_journal(self.path) if self.active else {}

    def hold(self, edits: Edits) -> None:
        """Keep ``edits`` in the journal until ``release`` (while the user decides)."""
        self._held = dict(edits)
        self._last = dict(self._held)

    def release(self, paths: Sequence[Path] | None = None) -> None:
        """Stop keeping held edits (those of ``paths``, or all); the journal follows."""
        if paths is None:
            self._held.clear()
        else:
            for p in paths:
                self._held.pop(p, None)
        self._changed(())

    def snapshot(self) -> Edits:
        edits: Edits = dict(self._held)
        for p in self._library.dirty_paths():
            item = self._library.item(p)
            values = changed_values(item.original, item.edited)
            if values:
                edits[p] = values
        return edits

    def flush(self) -> None:
        """Hand the current unsaved edits to the writer, if they changed since the last."""
        self._timer.stop()
        if self._closed or not self.active:
            return
        # Compared as values, serialised on the writer's thread: with 1,000 unsaved photos the
        # snapshot takes 3 ms here, the JSON 7.5 ms there.
        edits = self.snapshot()
        if edits == self._last:
            return
        self._last = edits
        self._pool.submit(_write, self.path, edits, on_done=self._written)

    def _written(self, error: str) -> None:
        if not error:
            self._warned = False
            self.written.emit()
            return
        self._last = {"": {}}  # try again at the next change
        if not self._warned:
            self._warned = True
            self.failed.emit(
                f"Unsaved edits could not be journalled ({error}); save often to be safe."
            )

    def close(self, remove: bool) -> None:
        """Finish pending writes; ``remove``: the user saved or discarded, so drop the file."""
        self._timer.stop()
        self._closed = True
        self._pool.shutdown()
        if remove and self.active:
            remove_journal(self.path)
        if self.active:
            self._lock.unlock()

    def _changed(self, _paths: Sequence[Path]) -> None:
        if not self._closed and not self._timer.isActive():
            self._timer.start()  # not restarted per keystroke: written within delay_ms


def _write(path: Path, edits: Edits) -> str:
    """``write_journal`` on the writer's thread: "" or why it failed."""
    try:
        write_journal(path, edits)
    except OSError as err:
        return err.strerror or str(err)
    return ""


class RestoreOffer(QMessageBox):
    """"Restore the unsaved edits of these photos?" Restore / Discard, window-modal."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreOffer")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("Restore unsaved edits")
        n = len(edits)
        self.setText(
            f"PhotoCaption was closed without saving the edits of {n} photo"
            f"{'s' if n != 1 else ''}. Restore them?"
        )
        names = [f"• {p.name} ({_describe(fields)})" for p, fields in edits.items()]
        if len(names) > MAX_LISTED:
            names = [*names[: MAX_LISTED - 1], f"… and {len(names) - MAX_LISTED + 1} more"]
        self.setInformativeText(
            "\n".join(names) + "\n\nRestored edits are not saved until you save them."
        )
        self.setDetailedText("\n".join(str(p) for p in edits))
        self.restore_button = self.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = self.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        self.setDefaultButton(self.restore_button)


def _describe(fields: dict[str, object]) -> str:
    from editor.core.fields import FIELD_BY_NAME

    labels = [FIELD_BY_NAME[n].label if n in FIELD_BY_NAME else n for n in fields]
    return ", ".join(labels[:4]) + (", …" if len(labels) > 4 else "")


class JournalRestore(QObject):
    """Asks about edits left behind and, on Restore, opens the photos and re-applies them."""

    restored = Signal(int)  # photos whose edits are back

    def __init__(
        self,
        journal: EditJournal,
        library: PhotoLibrary,
        open_paths: Callable[[Sequence[Path]], None],
        apply: Callable[[dict[Path, PhotoMetadata]], None],
        message: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._library = library
        self._open = open_paths
        self._apply = apply
        self._message = message
        self._parent = parent
        self._waiting: Edits = {}
        self._missing: list[str] = []
        self.dialog: RestoreOffer | None = None

    def offer(self) -> bool:
        """Show the question if a journal was left behind; True when it was shown."""
        edits = self._journal.left_behind()
        if not edits:
            return False
        self._journal.hold(edits)
        dialog = RestoreOffer(edits, self._parent)
        dialog.finished.connect(lambda _r: self._answered(dialog, edits))
        self.dialog = dialog
        dialog.open()
        return True

    def _answered(self, dialog: RestoreOffer, edits: Edits) -> None:
        self.dialog = None
        if dialog.clickedButton() is not dialog.restore_button:
            self._journal.release()
            return
        found = {p: f for p, f in edits.items() if p.is_file()}
        self._missing = [p.name for p in edits if p not in found]
        if self._missing:
            self._journal.release([p for p in edits if p not in found])
        if not found:
            self._report(0)
            return
        self._waiting = found
        self._library.add_listener(self._check)
        self._open(list(found))
        self._check(())

    def _check(self, _paths: Sequence[Path]) -> None:
        if not self._waiting:
            return
        items = [self._library.get(p) for p in self._waiting]
        if any(it is None or it.state is ItemState.LOADING for it in items):
            return
        waiting, self._waiting = self._waiting, {}
        values = {
            p: apply_edits(it.edited, waiting[p])
            for p in waiting
            if (it := self._library.get(p)) is not None and it.state is ItemState.READY
        }
        self._missing += [f"{p.name} (unreadable)" for p in waiting if p not in values]
        if values:
            self._apply(values)
        self._journal.release()
        # After the loader's own "Loaded ..." line, which follows in this same call.
        count = len(values)
        QTimer.singleShot(0, self, lambda: self._report(count))
        self.restored.emit(count)

    def _report(self, restored: int) -> None:
        text = f"Restored the unsaved edits of {restored} photo{'s' if restored != 1 else ''}."
        if self._missing:
            names = ", ".join(self._missing[:5]) + (" …" if len(self._missing) > 5 else "")
            text += f" Not restored: {names} (the file is no longer there or cannot be read)."
        self._message(text)
