"""Composition root: builds the QApplication, settings, library, pools and main window."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QSize, QStandardPaths
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from editor import __version__
from editor.core.library import PhotoLibrary
from editor.core.thumb_cache import ThumbCache, default_cache_dir
from editor.gui.main_window import MainWindow
from editor.gui.settings import SettingsStore
from editor.gui.theme import follow_desktop_scheme
from editor.gui.thumbnailer import SHARP_PX, Thumbnailer
from editor.gui.workers import Pools

log = logging.getLogger("photocaption")

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def app_icon() -> QIcon:
    """The app icon at every size we ship, so high-DPI screens get crisp pixels."""
    icon = QIcon()
    for png in sorted(ICONS.glob("photocaption-*.png")):
        size = png.stem.rsplit("-", 1)[-1]
        if size.isdigit():
            icon.addFile(str(png), QSize(int(size), int(size)))
    svg = ICONS / "photocaption.svg"
    if icon.isNull() and svg.is_file():
        icon.addFile(str(svg))
    return icon


SWITCH_INTERVAL_S = float(os.environ.get("PHOTOCAPTION_SWITCH_INTERVAL", "0.0005"))


def share_the_gil() -> None:
    """Hand the GIL between threads ten times as often as Python's default.

    Worker threads run Python between their GIL-free decodes; a GUI thread that needs the GIL
    back (every model or paint callback) waits up to the switch interval for it. Python's
    default 5 ms made the first 40 thumbnails of a 1,000-photo folder take 0.4-4 s to paint
    (bench/open_folder.py); 0.5 ms brings that to about 0.3 s.
    """
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))


def build_window(
    qsettings: QSettings, cache_dir: Path | None, data_dir: Path | None = None
) -> MainWindow:
    """A main window with its own library, pools and thumbnail caches (tests and the benchmarks
    use this too, so it also sets the one process-wide setting the pools rely on)."""
    share_the_gil()
    pools = Pools()
    disk = ThumbCache(cache_dir) if cache_dir is not None else None
    screen = QGuiApplication.primaryScreen()
    dpr = screen.devicePixelRatio() if screen is not None else 1.0
    # Sharp thumbnails cover the largest grid size in device pixels on high-DPI screens.
    thumbnails = Thumbnailer(
        pools.thumbs,
        disk,
        sharp_px=min(768, round(SHARP_PX * max(1.0, dpr))),
        decode_pool=pools.decode,
    )
    window = MainWindow(
        SettingsStore(qsettings), PhotoLibrary(), pools, thumbnails, data_dir=data_dir
    )
    window.setWindowIcon(app_icon())
    return window


def install_excepthook(show: Callable[[str], None]) -> None:
    """Unexpected errors are logged with their traceback and shown as one calm sentence."""

    def hook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        with contextlib.suppress(Exception):  # the window may be gone already
            show(f"Something went wrong: {value}. Your edits are kept; details are in the log.")

    sys.excepthook = hook


def freeze_startup_heap() -> None:
    """Everything built at start-up lives as long as the app: keep it out of the cyclic garbage
    collector, whose full passes over it (12 ms here) would otherwise pause whichever thread
    triggers them, the GUI thread included, while a folder loads."""
    gc.collect()
    gc.freeze()


def _cache_dir() -> Path:
    """The shared freedesktop.org thumbnail cache (the platform's cache folder elsewhere)."""
    return default_cache_dir()


def _data_dir() -> Path | None:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else None


def run_gui(paths: list[str]) -> int:
    """Open the main window (on ``paths`` if given) and run until it closes."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("PhotoCaption")
    app.setApplicationName("PhotoCaption")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("photocaption")
    app.setWindowIcon(app_icon())
    follow_desktop_scheme(app)
    window = build_window(QSettings(), _cache_dir(), _data_dir())
    install_excepthook(window.show_error)
    freeze_startup_heap()
    window.show()
    if paths:
        window.open_paths([Path(p) for p in paths])
    window.offer_restore()
    return int(app.exec())
