"""``python -m editor.gui.screenshot OUT.png``: the main window on the bundled samples, as a PNG.

``--panel --files A.jpg ...`` shows copies of the given photos instead and saves the metadata
panel alone, every section and sub-group open, at its full height (docs/panel-iptc.png).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", default="1400x900", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--scheme", choices=("dark", "light", "system"), default="dark")
    parser.add_argument("--photo", default="astronaut", help="select the photo whose name has this")
    parser.add_argument(
        "--folder", type=Path, help="shoot this folder (copied first) instead of the samples"
    )
    parser.add_argument("--files", nargs="+", type=Path, help="copies of these instead of samples")
    parser.add_argument("--panel", action="store_true", help="the panel alone, every section open")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

    from editor.app import app_icon, build_window
    from editor.demo import copy_samples
    from editor.gui.theme import apply_scheme

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if args.scheme != "system" and hasattr(app.styleHints(), "setColorScheme"):
        scheme = Qt.ColorScheme.Dark if args.scheme == "dark" else Qt.ColorScheme.Light
        app.styleHints().setColorScheme(scheme)
    if args.scheme != "system":
        # The offscreen platform has no desktop to ask: tell the app what the desktop would
        # say, through the same function the app uses to follow the desktop's scheme.
        apply_scheme(app, Qt.ColorScheme.Dark if args.scheme == "dark" else Qt.ColorScheme.Light)
    app.setWindowIcon(app_icon())

    scratch = Path(tempfile.mkdtemp(prefix="photocaption-shot-"))
    if args.folder is not None:
        folder = scratch / args.folder.name
        shutil.copytree(args.folder, folder)
    elif args.files:
        folder = scratch / "photos"
        folder.mkdir()
        for path in args.files:
            shutil.copy2(path, folder / path.name)
    else:
        folder = copy_samples(scratch / "Article - Space and Science")
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    window = build_window(settings, scratch / "cache")
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)
    window.show()
    window.open_paths([folder])
    status = {"code": 1}

    def when(condition: Callable[[], bool], then: Callable[[], None], budget: int = 400) -> None:
        """Poll ``condition`` on a timer (the event loop keeps running), then run ``then``."""
        if condition():
            then()
        elif budget <= 0:
            print("timed out waiting for the window", file=sys.stderr)
            finish()
        else:
            QTimer.singleShot(50, lambda: when(condition, then, budget - 1))

    def loaded() -> bool:
        lib = window.library
        return (
            len(lib) > 0
            and not window.loader.busy
            and all(it.record is not None or it.error for it in lib.items)
            and all(
                window.thumbnails.is_sharp(p) or window.thumbnails.failure(p)
                for p in window.grid.visible_paths()
            )
        )

    def select() -> None:
        lib = window.library
        # An unsaved edit on another photo shows the unsaved marker in the grid and title.
        cat = next((p for p in lib.paths if "cat" in p.name), None)
        if cat is not None:
            lib.set_field([cat], "caption", "Chelsea, a tabby cat, looks straight into the lens")
        captioned = [p for p in lib.paths if lib.item(p).edited.caption or args.files]
        target = next((p for p in captioned if args.photo in p.name), None)
        target = target or (captioned[0] if captioned else lib.paths[0])
        window.grid.select_path(target)
        when(lambda: window.preview.path == target and not window.preview.loading, settle)

    def settle() -> None:
        QTimer.singleShot(300, shoot)  # let the last repaint land

    def shoot() -> None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if args.panel:
            panel = window.panel
            panel.set_section_states(dict.fromkeys(panel.section_states(), True))
            body = panel.findChild(QScrollArea).widget()
            QTimer.singleShot(300, lambda: (body.adjustSize(), save(body)))  # its full height
        else:
            save(window)

    def save(widget: QWidget) -> None:
        if widget.grab().save(str(args.output)):
            status["code"] = 0
            print(f"wrote {args.output}")
        finish()

    def finish() -> None:
        window.close_discarding()
        shutil.rmtree(scratch, ignore_errors=True)
        app.quit()

    when(loaded, select)
    app.exec()
    return status["code"]


if __name__ == "__main__":
    raise SystemExit(main())
