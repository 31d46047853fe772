"""The real main window, offscreen: one photo of fifty fails to save; the other forty-nine are
saved, the failure shows on that photo (badge and tooltip) and its edit is kept for a retry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from editor.core.metadata import read_photo
from editor.gui.main_window import MainWindow
from editor.gui.photo_model import Role
from tests.gui.conftest import loaded, select, window  # noqa: F401  (the window fixture)

COUNT = 50
BAD = 24


def test_one_failing_photo_among_fifty(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    make_photo: Callable[..., Path],
    tmp_path: Path,
) -> None:
    folder = tmp_path / "fifty"
    paths = [
        make_photo(f"IMG_{i:04d}.jpg", folder=folder, size=(160, 107)) for i in range(COUNT)
    ]
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, COUNT), timeout=30000)
    select(qtbot, window)
    window.panel.fieldEdited.emit("caption", "Harbour at dusk")
    lib = window.library
    assert len(lib.dirty_paths()) == COUNT

    # Another program rewrites one photo after it was opened: that save must be refused.
    bad = paths[BAD]
    make_photo(bad.name, folder=folder, size=(160, 107), caption="Theirs", color=(0, 90, 200))
    theirs = bad.read_bytes()
    finished: list[tuple[int, int]] = []
    window.saver.finished.connect(lambda ok, failed: finished.append((ok, failed)))
    assert window.save_all() == COUNT
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=30000)

    assert finished[-1] == (COUNT - 1, 1)
    assert lib.dirty_paths() == [bad]
    item = lib.item(bad)
    assert item.edited.caption == "Harbour at dusk" and "another program" in item.save_error
    assert bad.read_bytes() == theirs  # the other program's version is untouched
    index = window.proxy.index_of(bad)
    assert index.data(Role.PROBLEMS)
    assert "Not saved" in index.data(Qt.ItemDataRole.ToolTipRole)
    for path in paths:
        if path != bad:
            assert read_photo(path).metadata.caption == "Harbour at dusk", path.name
            assert window.proxy.index_of(path).data(Role.PROBLEMS) == []
