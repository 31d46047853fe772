"""A folder of RAW files in the real window: shown with thumbnails from their embedded JPEGs,
captioned into sidecars (the RAW untouched), and what was skipped said in the status bar."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bench.raw_files import write_raw
from editor.core.library import ItemState
from editor.gui.main_window import MainWindow
from tests.gui.conftest import drop, loaded, select

MakePhoto = Callable[..., Path]


def test_raw_folder_loads_saves_to_sidecar_and_reports_skipped(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "card"
    nef = write_raw(folder / "DSC_0001.NEF", orientation=6)
    make_photo("IMG_0002.jpg", folder=folder)
    (folder / "clip1.MOV").write_bytes(b"\x00\x00\x00\x18ftypqt  ")
    (folder / "clip2.MOV").write_bytes(b"\x00\x00\x00\x18ftypqt  ")
    (folder / "broken.NEF").write_bytes(b"not a raw file" * 10)
    (folder / "other.xmp").write_bytes(b"<x:xmpmeta/>")  # a sidecar is never "skipped"
    sha = hashlib.sha256(nef.read_bytes()).hexdigest()

    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 3), timeout=10000)
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=10000)
    item = window.library.item(nef)
    assert item.record is not None and item.record.format == "NEF" and item.writable
    assert window.library.item(folder / "broken.NEF").state is ItemState.ERROR
    qtbot.waitUntil(window.skipped_button.isVisible, timeout=5000)
    assert window.skipped_button.text() == "3 skipped: 2 .MOV, 1 damaged .NEF"
    assert any("broken.NEF" in line for line in window._skipped_lines)

    select(qtbot, window, nef)
    window.panel.fieldEdited.emit("caption", "Harbour at dawn")
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy and not window.library.has_unsaved,
                    timeout=10000)
    assert hashlib.sha256(nef.read_bytes()).hexdigest() == sha
    assert b"Harbour at dawn" in (folder / "DSC_0001.xmp").read_bytes()


def test_sidecar_name_setting_names_new_sidecars(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "card"
    nef = write_raw(folder / "DSC_0009.NEF")
    window.act_sidecar_fullname.setChecked(True)
    assert window.settings.sidecar_fullname
    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    select(qtbot, window, nef)
    window.panel.fieldEdited.emit("caption", "Pier")
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy and not window.library.has_unsaved,
                    timeout=10000)
    assert (folder / "DSC_0009.NEF.xmp").is_file() and not (folder / "DSC_0009.xmp").exists()


def test_raw_jpeg_pair_is_one_photo_with_a_badge_and_saves_into_both(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    from editor.gui.photo_model import Role

    folder = tmp_path / "pairs"
    jpeg = make_photo("IMG_0001.JPG", folder=folder)
    nef = write_raw(folder / "IMG_0001.NEF")
    sha = hashlib.sha256(nef.read_bytes()).hexdigest()
    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=10000)
    assert window.library.paths == [jpeg]
    index = window.proxy.index_of(jpeg)
    assert index.data(Role.CARD).companion == "NEF"
    assert "IMG_0001.NEF is saved along with it" in index.data(Qt.ItemDataRole.ToolTipRole)
    select(qtbot, window, jpeg)
    window.panel.fieldEdited.emit("caption", "Both carry it")
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy and not window.library.has_unsaved,
                    timeout=10000)
    from editor.core.metadata import read_photo

    assert read_photo(jpeg).metadata.caption == "Both carry it"
    assert read_photo(nef).metadata.caption == "Both carry it"
    assert hashlib.sha256(nef.read_bytes()).hexdigest() == sha


def test_view_setting_shows_raw_and_jpeg_apart(
    qtbot: QtBot, window: MainWindow, make_photo: MakePhoto, tmp_path: Path
) -> None:
    folder = tmp_path / "pairs"
    make_photo("IMG_0001.JPG", folder=folder)
    write_raw(folder / "IMG_0001.NEF")
    window.act_raw_apart.setChecked(True)
    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 2), timeout=10000)
    assert len(window.library) == 2 and not window.library.companions


def test_dng_sidecar_setting_applies_to_the_next_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "dng"
    dng = write_raw(folder / "L100.DNG", dng=True)
    sha = hashlib.sha256(dng.read_bytes()).hexdigest()
    window.act_dng_sidecar.setChecked(True)
    drop(window, [folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    record = window.library.item(dng).record
    assert record is not None and record.metadata_store == "sidecar"
    select(qtbot, window, dng)
    window.panel.fieldEdited.emit("caption", "Beside the DNG")
    window.save_all()
    qtbot.waitUntil(lambda: not window.saver.busy and not window.library.has_unsaved,
                    timeout=10000)
    assert hashlib.sha256(dng.read_bytes()).hexdigest() == sha
    assert b"Beside the DNG" in (folder / "L100.xmp").read_bytes()
    # Unchecked while photos are open: those keep their store until the next folder.
    window.act_dng_sidecar.setChecked(False)
    assert window.saver.policy.dng_sidecar


def test_a_sidecar_changed_by_another_program_reloads_its_photo(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "watch"
    nef = write_raw(folder / "DSC_0003.NEF")
    side = folder / "DSC_0003.xmp"
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
        b'<rdf:li xml:lang="x-default">First</rdf:li></rdf:Alt></dc:description>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    side.write_bytes(packet)
    window.open_paths([folder])
    qtbot.waitUntil(loaded(window, 1), timeout=10000)
    assert window.library.item(nef).original.caption == "First"
    # Another editor saves the sidecar the usual way: a new file renamed over it.
    tmp = folder / "DSC_0003.xmp.tmp"
    tmp.write_bytes(packet.replace(b"First", b"From darktable"))
    tmp.replace(side)
    qtbot.waitUntil(
        lambda: window.library.item(nef).original.caption == "From darktable", timeout=5000
    )
    # And again: the watch survived the rename.
    tmp.write_bytes(packet.replace(b"First", b"Again"))
    tmp.replace(side)
    qtbot.waitUntil(lambda: window.library.item(nef).original.caption == "Again", timeout=5000)
