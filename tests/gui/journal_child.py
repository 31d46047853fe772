"""Drives the real app in a child process for test_journal.py: ``type`` or ``restore`` mode.

Started as ``python -m tests.gui.journal_child MODE FOLDER``; the app is built by ``run_gui``
exactly as ``photocaption`` builds it. Prints one JSON line per step on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor.app import run_gui
from editor.core.library import ItemState
from editor.gui.main_window import MainWindow

TYPED = {"IMG_1.jpg": ("caption", "Typed before the crash"), "IMG_2.jpg": ("title", "Kept title")}


def say(**kw: object) -> None:
    print(json.dumps(kw), flush=True)


def window(app: QApplication) -> MainWindow | None:
    return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)


def loaded(win: MainWindow, n: int) -> bool:
    lib = win.library
    return len(lib) == n and all(it.state is ItemState.READY for it in lib.items)


def type_mode(app: QApplication, folder: Path) -> None:
    steps = list(TYPED.items())

    def step() -> None:
        win = window(app)
        if win is None or not loaded(win, 2):
            QTimer.singleShot(50, step)
            return
        if not steps:
            say(typed=True)
            return
        name, (field, text) = steps[0]
        path = folder / name
        if win.shown_paths != [path]:
            win.grid.select_path(path)
            QTimer.singleShot(50, step)
            return
        steps.pop(0)
        editor = win.panel.editor(field)
        editor.setFocus()
        QTest.keyClicks(editor, text)
        QTimer.singleShot(50, step)

    QTimer.singleShot(0, step)


def restore_mode(app: QApplication, folder: Path) -> None:
    def ask() -> None:
        win = window(app)
        dialog = win.restorer.dialog if win is not None and hasattr(win, "restorer") else None
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, ask)
            return
        say(offer=dialog.text(), listed=dialog.informativeText())
        dialog.restore_button.click()
        QTimer.singleShot(50, lambda: check(win))

    def check(win: MainWindow) -> None:
        if not loaded(win, 2) or not win.library.has_unsaved:
            QTimer.singleShot(50, lambda: check(win))
            return
        items = {it.path.name: it for it in win.library.items}
        say(
            captions={n: it.edited.caption for n, it in items.items()},
            titles={n: it.edited.title for n, it in items.items()},
            unsaved=sorted(p.name for p in win.library.dirty_paths()),
            undo=win.undo_stack.count(),
        )
        win.close_discarding()

    QTimer.singleShot(0, ask)


def main() -> int:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    (type_mode if mode == "type" else restore_mode)(app, folder)
    return run_gui([str(folder)] if mode == "type" else [])


if __name__ == "__main__":
    sys.exit(main())
