"""ExportDialog through pytest-qt: preset, export on a worker, progress to the end, summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from editor.gui.export_dialog import ExportDialog
from editor.gui.workers import WorkerPool
from tests.core.test_export_support import make_set


def make_dialog(qtbot: QtBot, tmp_path: Path, count: int = 4) -> ExportDialog:
    items = make_set(tmp_path / "src")[:count]
    dialog = ExportDialog([(i.path, i.metadata) for i in items],
                          settings={"out_dir": str(tmp_path / "out")})
    qtbot.addWidget(dialog)
    return dialog


def test_choose_preset_export_and_see_summary(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, tmp_path)
    dialog.show()
    qtbot.waitUntil(lambda: "removed from" in dialog.removal_label.text(), timeout=5000)
    assert "GPS position" in dialog.removal_label.text()
    assert dialog.alt_warnings.count() >= 2  # photos 3 (none) and 4 ("Image of", = caption)

    dialog.profile.setCurrentIndex(1)  # Responsive set (a built-in profile)
    assert dialog.formats["webp"].isChecked() and dialog.sizes.text() == "640, 1024, 1600"
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        dialog.export_button.click()
    result = blocker.args[0]
    assert not result.failures and len(result.photos) == 4
    assert dialog.progress.value() == dialog.progress.maximum() == 4
    text = dialog.summary_text()
    assert "Exported 4 of 4 photos" in text
    assert "Alt text to review:" in text and "IMG_0003.jpg" in text
    assert dialog.open_button.isVisible() and dialog.copy_button.isVisible()
    dialog.copy_button.click()
    assert QApplication.clipboard().text().startswith("<figure>")
    assert (tmp_path / "out" / "enter-pyongyang-mansudae-at-dusk-640w.webp").is_file()
    assert dialog.settings()["profile"] == "responsive"


def test_cancel_stops_and_closing_waits(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, tmp_path)
    dialog.show()
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        dialog.export_button.click()
        dialog.cancel_button.click()  # cancel right away
    result = blocker.args[0]
    assert result.cancelled
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert "Cancelled after" in dialog.summary_text()
    dialog.close()


def test_result_never_squeezes_the_form(qtbot: QtBot, tmp_path: Path) -> None:
    """After an export with warnings, every form row keeps its height; the summary scrolls."""
    from PySide6.QtWidgets import QLineEdit, QSpinBox

    dialog = make_dialog(qtbot, tmp_path)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: "removed from" in dialog.removal_label.text(), timeout=5000)
    assert dialog.alt_warnings.wordWrap()
    rows = [w for w in dialog.findChildren(QLineEdit) + dialog.findChildren(QSpinBox)
            if w.isVisible() and w.parent() is dialog]
    before = {id(w): w.height() for w in rows}
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.status_box.isVisible())
    QApplication.processEvents()
    for w in rows:
        assert w.height() >= min(before[id(w)], w.minimumSizeHint().height()), w
        assert w.height() >= w.sizeHint().height() - 2, w
    assert dialog.status_box.height() <= dialog.status_box.maximumHeight()
    assert "Alt text to review:" in dialog.summary_text()


def test_export_runs_on_the_given_pool_and_a_refusal_is_one_sentence(
    qtbot: QtBot, tmp_path: Path
) -> None:
    pool = WorkerPool(2, "export", nice=0)
    items = make_set(tmp_path / "src")[:2]
    not_a_folder = tmp_path / "out"
    not_a_folder.write_text("a file where the output folder should be")
    dialog = ExportDialog([(i.path, i.metadata) for i in items],
                          settings={"out_dir": str(not_a_folder)}, pool=pool)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.export_button.click()
    assert pool.busy and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: "Export failed: " in dialog.summary_text(), timeout=10000)
    assert "Traceback" not in dialog.summary_text(), dialog.summary_text()
    assert dialog.export_button.isEnabled()  # the refusal ended the run: try again
    dialog.close()
    assert not pool.busy
    assert not_a_folder.read_text() == "a file where the output folder should be"
    pool.shutdown()


def test_summary_shows_each_photos_warnings(qtbot: QtBot, tmp_path: Path,
                                            samples_dir: Path) -> None:
    """A RAW exported from a preview smaller than asked says so in the dialog, as on the CLI
    (the dialog showed nothing while the copy came out 8 px wide)."""
    import shutil

    from editor.core.metadata import read_photo

    raw = tmp_path / "src" / "P.rw2"
    raw.parent.mkdir()
    shutil.copy2(samples_dir / "raw" / "exiftool-Panasonic.rw2", raw)
    dialog = ExportDialog([(raw, read_photo(raw).metadata)],
                          settings={"out_dir": str(tmp_path / "out")})
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        dialog.export_button.click()
    result = blocker.args[0]
    assert len(result.photos) == 1 and result.photos[0].warnings
    assert "P.rw2: made from the camera's embedded" in dialog.summary_text()
    assert "smaller than the 1600 px asked" in dialog.summary_text()
