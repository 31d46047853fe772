"""File > Export…: outlet profiles, options, what copies leave out, progress, summary."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import PhotoCaptionError
from editor.core.export import (
    CREDIT_TEMPLATES,
    BurnIn,
    ExportEvent,
    ExportFinished,
    ExportItem,
    ExportOptions,
    ExportResult,
    MetadataPreset,
    PhotoFailed,
    Sharpen,
    alt_text_warnings,
    available_formats,
    export_photos,
    preview_removal,
)
from editor.core.export.profiles import (
    BUILTIN,
    Profile,
    all_profiles,
    delete_profile,
    rename_profile,
    save_profile,
)
from editor.core.model import PhotoMetadata
from editor.gui.workers import Done, Failed, TaskHandle, WorkerPool

_FORMAT_LABELS = {"jpeg": "JPEG", "webp": "WebP", "avif": "AVIF"}
_SHARPEN_LABELS = {Sharpen.NONE: "None", Sharpen.LOW: "Low", Sharpen.STANDARD: "Standard",
                   Sharpen.HIGH: "High"}
_METADATA_LABELS = {
    MetadataPreset.CAPTION_AND_RIGHTS: "Caption and rights only",
    MetadataPreset.ALL_BUT_CAMERA_AND_LOCATION: "All but camera serials and location",
    MetadataPreset.ALL: "Everything (location only if kept)",
}


class ExportDialog(QDialog):
    """Export the given photos (with their current, possibly unsaved, metadata).

    The dialog stays open beside the main window while the photographer goes on editing: when
    given ``current`` (paths -> their values now, in the grid's order now), Export uses what it
    answers at the moment Export is pressed, and ``values_changed`` keeps the "Alt text to
    review" list in step with the edits. The export generator and the removal preview run on
    ``pool`` (the app's export pool; a dialog made without one gets its own). Export events
    arrive one by one on the GUI thread.
    """

    exported = Signal(object)  # ExportResult

    def __init__(self, items: list[tuple[Path, PhotoMetadata]], parent: QWidget | None = None,
                 settings: dict[str, object] | None = None,
                 pool: WorkerPool | None = None,
                 current: Callable[[list[Path]], list[tuple[Path, PhotoMetadata]]] | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for an article")
        self._items = [ExportItem(Path(p), m) for p, m in items]
        self._current = current
        self._review_timer = QTimer(self)
        self._review_timer.setSingleShot(True)
        self._review_timer.setInterval(150)  # typing: one refresh per pause, not per key
        self._review_timer.timeout.connect(self._refresh_values)
        self._settings = dict(settings or {})
        self._pool = pool or WorkerPool(2, "export", self, nice=0)
        self._cancel = threading.Event()
        self._worker: TaskHandle | None = None
        self._removal: TaskHandle | None = None
        self._running: set[int] = set()  # ids of this dialog's tasks that have not reported
        self._removal_pending = False
        self.result_value: ExportResult | None = None
        self._profiles: dict[str, Profile] = {}
        self._build()
        self._restore()
        self._refresh_removal()

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # The dialog grows to fit its rows instead of squeezing the form when results appear.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        count = len(self._items)
        layout.addWidget(QLabel(f"{count} photo{'s' if count != 1 else ''} to export."))

        form = QFormLayout()
        profile_row = QHBoxLayout()
        self.profile = QComboBox()
        self.profile.setObjectName("profileCombo")
        self.profile.setToolTip("Outlet profiles: saved export settings. The built-in ones "
                                "cannot be changed; Save as… keeps the settings below.")
        self.profile_save = QPushButton("Save as…")
        self.profile_rename = QPushButton("Rename…")
        self.profile_delete = QPushButton("Delete")
        profile_row.addWidget(self.profile, 1)
        for button in (self.profile_save, self.profile_rename, self.profile_delete):
            profile_row.addWidget(button)
        self.profile_save.clicked.connect(lambda: self.save_profile_as())
        self.profile_rename.clicked.connect(lambda: self.rename_profile())
        self.profile_delete.clicked.connect(lambda: self.delete_profile())
        self._fill_profiles()
        self.profile.currentIndexChanged.connect(self._apply_profile)
        form.addRow("Profile:", profile_row)

        folder_row = QHBoxLayout()
        self.out_dir = QLineEdit()
        self.out_dir.setPlaceholderText("Choose a folder for the exported files")
        self.out_dir.textChanged.connect(self._update_buttons)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.out_dir)
        folder_row.addWidget(choose)
        form.addRow("Output folder:", folder_row)

        self.long_edge = QSpinBox()
        self.long_edge.setRange(0, 20000)
        self.long_edge.setSingleStep(100)
        self.long_edge.setSpecialValueText("Original size")
        self.long_edge.setSuffix(" px")
        form.addRow("Long edge:", self.long_edge)
        self.sizes = QLineEdit()
        self.sizes.setPlaceholderText("e.g. 640, 1024, 1600 (responsive set; replaces long edge)")
        form.addRow("Responsive widths:", self.sizes)

        formats_row = QHBoxLayout()
        self.formats: dict[str, QCheckBox] = {}
        for fmt in available_formats():
            box = QCheckBox(_FORMAT_LABELS[fmt])
            box.toggled.connect(self._update_buttons)
            self.formats[fmt] = box
            formats_row.addWidget(box)
        formats_row.addStretch()
        form.addRow("Formats:", formats_row)
        self.quality = QSpinBox()
        self.quality.setRange(1, 100)
        form.addRow("Quality:", self.quality)

        self.metadata = QComboBox()
        for preset, label in _METADATA_LABELS.items():
            self.metadata.addItem(label, preset.value)
        self.metadata.currentIndexChanged.connect(self._refresh_removal)
        form.addRow("Metadata on copies:", self.metadata)
        self.keep_location = QCheckBox("Keep GPS position")
        self.keep_location.toggled.connect(self._refresh_removal)
        form.addRow("", self.keep_location)
        self.keep_place_names = QCheckBox("Keep place names (city, country...)")
        self.keep_place_names.toggled.connect(self._refresh_removal)
        form.addRow("", self.keep_place_names)
        self.keep_persons = QCheckBox("Keep names of people shown")
        self.keep_persons.toggled.connect(self._refresh_removal)
        form.addRow("", self.keep_persons)
        self.ai_disclosure = QCheckBox("Say under AI-generated photos that they are")
        self.ai_disclosure.setToolTip(
            "Photos whose digital source type is generative AI get the line \"Image created with"
            " generative AI\" in their figcaption.")
        self.ai_disclosure.setChecked(True)
        form.addRow("", self.ai_disclosure)

        self.credit = QComboBox()
        self.credit.setEditable(True)
        self.credit.addItems(list(CREDIT_TEMPLATES))
        form.addRow("Credit line:", self.credit)
        self.name_template = QLineEdit()
        self.name_template.setPlaceholderText("{slug}  (also {stem} {index} {date} {title} "
                                              "{creator})")
        form.addRow("File names:", self.name_template)

        size_row = QHBoxLayout()
        self.max_kb = QSpinBox()
        self.max_kb.setRange(0, 100_000)
        self.max_kb.setSingleStep(50)
        self.max_kb.setSpecialValueText("No limit")
        self.max_kb.setSuffix(" KB")
        self.max_kb.setToolTip("Lower the quality of any image file larger than this")
        self.sharpen = QComboBox()
        for level, label in _SHARPEN_LABELS.items():
            self.sharpen.addItem(label, level.value)
        size_row.addWidget(QLabel("Limit each file to"))
        size_row.addWidget(self.max_kb)
        size_row.addSpacing(12)
        size_row.addWidget(QLabel("Sharpen for screen:"))
        size_row.addWidget(self.sharpen)
        size_row.addStretch()
        form.addRow("File size:", size_row)

        extras = QHBoxLayout()
        self.burn_credit = QCheckBox("Burn in credit")
        self.burn_caption = QCheckBox("Burn in caption band")
        for box in (self.burn_credit, self.burn_caption):
            extras.addWidget(box)
        form.addRow("Pixels:", extras)

        web_row = QHBoxLayout()
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://… where the images will live (optional)")
        self.content_width = QSpinBox()
        self.content_width.setRange(0, 10_000)
        self.content_width.setSpecialValueText("Image width")
        self.content_width.setSuffix(" px")
        self.content_width.setToolTip("The article column's width, for the sizes attribute")
        web_row.addWidget(self.base_url, 1)
        web_row.addWidget(QLabel("Column:"))
        web_row.addWidget(self.content_width)
        form.addRow("Image URLs:", web_row)

        snippets = QHBoxLayout()
        self.snippets = {"html": QCheckBox("HTML"), "md": QCheckBox("Markdown"),
                         "hugo": QCheckBox("Hugo shortcodes")}
        for box in self.snippets.values():
            snippets.addWidget(box)
        form.addRow("Article snippets:", snippets)
        self.overwrite = QCheckBox("Replace existing files")
        form.addRow("", self.overwrite)
        layout.addLayout(form)

        before = QGroupBox("Before exporting")
        before_layout = QVBoxLayout(before)
        self.removal_label = QLabel("Checking what the copies will leave out…")
        self.removal_label.setWordWrap(True)
        before_layout.addWidget(self.removal_label)
        self.alt_warnings = QListWidget()
        self.alt_warnings.setMaximumHeight(110)
        self.alt_warnings.setWordWrap(True)  # read whole warnings without scrolling sideways
        self.alt_warnings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.alt_label = QLabel("Alt text to review (export is not blocked):")
        before_layout.addWidget(self.alt_label)
        before_layout.addWidget(self.alt_warnings)
        self._fill_alt_warnings()
        layout.addWidget(before)

        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, len(self._items)))
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # A long result (a warning per photo) scrolls inside a bounded box.
        self.status_box = QScrollArea()
        self.status_box.setWidget(self.status)
        self.status_box.setWidgetResizable(True)
        self.status_box.setFrameShape(QFrame.Shape.NoFrame)
        self.status_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.status_box.setMaximumHeight(160)
        self.status_box.hide()
        layout.addWidget(self.status_box)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = self.buttons.addButton("Open folder",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = self.buttons.addButton("Copy HTML",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.hide()
        self.copy_button.hide()
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.open_button.clicked.connect(self._open_folder)
        self.copy_button.clicked.connect(self._copy_html)
        layout.addWidget(self.buttons)

    # --- the values ------------------------------------------------------------------------

    def _fill_alt_warnings(self) -> None:
        lines = [f"{item.path.name}: {warning}" for item in self._items
                 for warning in alt_text_warnings(item.metadata.alt_text, item.metadata.caption)]
        if lines != [self.alt_warnings.item(i).text() for i in range(self.alt_warnings.count())]:
            self.alt_warnings.clear()
            self.alt_warnings.addItems(lines)
        self.alt_label.setVisible(bool(lines))
        self.alt_warnings.setVisible(bool(lines))

    def values_changed(self, paths: Sequence[Path]) -> None:
        """Some photos' values changed (the main window tells); refresh after a short pause."""
        if self._current is not None and not {i.path for i in self._items}.isdisjoint(paths):
            self._review_timer.start()

    @Slot()
    def _refresh_values(self) -> None:
        """Take the photos' values (and order) of this moment."""
        if self._current is None:
            return
        now = self._current([i.path for i in self._items])
        if now:
            self._items = [ExportItem(Path(p), m) for p, m in now]
        self._fill_alt_warnings()

    # --- settings ----------------------------------------------------------------------------

    def _restore(self) -> None:
        s = self._settings
        wanted = str(s.get("profile", s.get("preset", "")))
        index = self.profile.findData(wanted)
        self.profile.setCurrentIndex(max(0, index))
        self._apply_profile(self.profile.currentIndex())
        self.out_dir.setText(str(s.get("out_dir", "")))
        for key, box in (("keep_location", self.keep_location),
                         ("keep_place_names", self.keep_place_names),
                         ("keep_persons", self.keep_persons)):
            if key in s:
                box.setChecked(bool(s[key]))
        if "credit_template" in s:
            self.credit.setCurrentText(str(s["credit_template"]))
        if "snippets" in s:
            chosen = s["snippets"]
            for key, box in self.snippets.items():
                box.setChecked(key in chosen)  # type: ignore[operator]
        self._update_buttons()

    def settings(self) -> dict[str, object]:
        """The choices to remember for next time (a plain dict for the caller to persist)."""
        return {
            "profile": self.profile.currentData(),
            "out_dir": self.out_dir.text().strip(),
            "keep_location": self.keep_location.isChecked(),
            "keep_place_names": self.keep_place_names.isChecked(),
            "keep_persons": self.keep_persons.isChecked(),
            "credit_template": self.credit.currentText(),
            "snippets": [k for k, box in self.snippets.items() if box.isChecked()],
        }

    # --- profiles ------------------------------------------------------------------------------

    def _fill_profiles(self, select: str | None = None) -> None:
        current = select if select is not None else self.profile.currentData()
        self._profiles = {p.name: p for p in all_profiles()}
        self.profile.blockSignals(True)
        self.profile.clear()
        for profile in self._profiles.values():
            self.profile.addItem(profile.title, profile.name)
        index = self.profile.findData(current) if current else -1
        self.profile.setCurrentIndex(max(0, index))
        self.profile.blockSignals(False)
        self._update_profile_buttons()

    def _update_profile_buttons(self) -> None:
        profile = self._profiles.get(str(self.profile.currentData()))
        own = profile is not None and not profile.builtin
        self.profile_rename.setEnabled(own)
        self.profile_delete.setEnabled(own)

    @Slot(int)
    def _apply_profile(self, index: int) -> None:
        profile = self._profiles.get(str(self.profile.itemData(max(0, index))))
        self._update_profile_buttons()
        if profile is None:
            return
        o = profile.options
        self.long_edge.setValue(o.long_edge or 0)
        self.sizes.setText(", ".join(str(s) for s in o.sizes))
        for fmt, box in self.formats.items():
            box.setChecked(fmt in o.formats)
        self.quality.setValue(o.quality)
        self.metadata.setCurrentIndex(self.metadata.findData(o.metadata.value))
        self.keep_location.setChecked(o.keep_location)
        self.keep_place_names.setChecked(o.keep_place_names)
        self.keep_persons.setChecked(o.keep_persons)
        self.ai_disclosure.setChecked(o.ai_disclosure)
        for key, box in self.snippets.items():
            box.setChecked(key in o.snippets)
        self.credit.setCurrentText(o.credit_template)
        self.name_template.setText("" if o.name_template == "{slug}" else o.name_template)
        self.content_width.setValue(o.content_width or 0)
        self.base_url.setText(o.base_url)
        self.max_kb.setValue(o.max_kb or 0)
        self.sharpen.setCurrentIndex(self.sharpen.findData(o.sharpen.value))

    def _ask_name(self, title: str, text: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, "Profile name:", text=text)
        return name if ok else None

    def save_profile_as(self, name: str | None = None) -> bool:
        """Save the settings shown as the photographer's profile ``name`` (asked when None)."""
        if name is None:
            current = self._profiles.get(str(self.profile.currentData()))
            name = self._ask_name("Save profile", "" if current is None or current.builtin
                                  else current.name)
            if name is None:
                return False
            same = [p for p in self._profiles.values()
                    if not p.builtin and p.name.casefold() == " ".join(name.split()).casefold()]
            if same and (current is None or same[0].name != current.name) and \
                    QMessageBox.question(self, "Save profile",
                                         f"Replace the profile “{same[0].name}”?") \
                    != QMessageBox.StandardButton.Yes:
                return False
        try:
            profile = save_profile(name, self.options())
        except ValueError:
            self._set_status("Responsive widths must be numbers, e.g. 640, 1024, 1600.")
            return False
        except PhotoCaptionError as err:
            self._set_status(f"Cannot save the profile: {err}")
            return False
        self._fill_profiles(select=profile.name)
        self._set_status(f"Saved the profile “{profile.name}”.")
        return True

    def rename_profile(self, new: str | None = None) -> bool:
        old = str(self.profile.currentData())
        if new is None:
            new = self._ask_name("Rename profile", old)
            if new is None:
                return False
        try:
            profile = rename_profile(old, new)
        except PhotoCaptionError as err:
            self._set_status(f"Cannot rename the profile: {err}")
            return False
        self._fill_profiles(select=profile.name)
        return True

    def delete_profile(self, confirm: bool = True) -> bool:
        name = str(self.profile.currentData())
        if confirm and QMessageBox.question(
                self, "Delete profile", f"Delete the export profile “{name}”?") \
                != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_profile(name)
        except PhotoCaptionError as err:
            self._set_status(f"Cannot delete the profile: {err}")
            return False
        self._fill_profiles(select=BUILTIN[0].name)
        self._apply_profile(self.profile.currentIndex())
        return True

    def options(self) -> ExportOptions:
        """The options as the widgets say; raises ValueError for unreadable widths."""
        sizes = tuple(int(v) for v in self.sizes.text().replace(" ", "").split(",") if v)
        return ExportOptions(
            out_dir=Path(self.out_dir.text().strip()).expanduser(),
            long_edge=self.long_edge.value() or None,
            sizes=sizes,
            formats=tuple(f for f, box in self.formats.items() if box.isChecked()),
            quality=self.quality.value(),
            metadata=MetadataPreset(self.metadata.currentData()),
            keep_location=self.keep_location.isChecked(),
            keep_place_names=self.keep_place_names.isChecked(),
            keep_persons=self.keep_persons.isChecked(),
            ai_disclosure=self.ai_disclosure.isChecked(),
            credit_template=self.credit.currentText(),
            snippets=tuple(k for k, box in self.snippets.items() if box.isChecked()),
            overwrite=self.overwrite.isChecked(),
            sharpen=Sharpen(self.sharpen.currentData()),
            name_template=self.name_template.text().strip() or "{slug}",
            content_width=self.content_width.value() or None,
            base_url=self.base_url.text().strip(),
            max_kb=self.max_kb.value() or None,
            burn=BurnIn(credit=self.burn_credit.isChecked(),
                        caption=self.burn_caption.isChecked()),
        )

    # --- before exporting --------------------------------------------------------------------

    def _is_running(self, handle: TaskHandle | None) -> bool:
        return handle is not None and handle.id in self._running

    def _submit(self, fn: Callable[..., Any], *args: Any, on_done: Done,
                on_error: Failed, on_item: Done | None = None) -> TaskHandle:
        """Run ``fn`` on the pool, remembering the task until it reports (done or failed)."""
        holder: list[TaskHandle] = []

        def ended(result: object) -> None:
            self._running.discard(holder[0].id)
            on_done(result)

        def failed(reason: str) -> None:
            self._running.discard(holder[0].id)
            on_error(reason)

        handle = self._pool.submit(fn, *args, on_done=ended, on_error=failed, on_item=on_item)
        holder.append(handle)
        if not handle.cancelled:
            self._running.add(handle.id)
        return handle

    @Slot()
    def _refresh_removal(self) -> None:
        if self._is_running(self._removal):
            self._removal_pending = True
            return
        options = ExportOptions(Path("."), metadata=MetadataPreset(self.metadata.currentData()),
                                keep_location=self.keep_location.isChecked(),
                                keep_place_names=self.keep_place_names.isChecked(),
                                keep_persons=self.keep_persons.isChecked())
        self._removal = self._submit(preview_removal, list(self._items), options,
                                     on_done=self._show_removal, on_error=self._no_removal)

    def _show_removal(self, lines: object) -> None:
        assert isinstance(lines, list)
        self.removal_label.setText(
            "\n".join(f"{line}." for line in lines) if lines
            else "Nothing is removed: the copies carry all of their metadata.")
        self._removal_checked()

    def _no_removal(self, reason: str) -> None:
        self.removal_label.setText(f"Cannot tell what the copies will leave out: {reason}")
        self._removal_checked()

    def _removal_checked(self) -> None:
        if self._removal_pending:
            self._removal_pending = False
            self._refresh_removal()

    # --- export ------------------------------------------------------------------------------

    @Slot()
    def _update_buttons(self) -> None:
        running = self._is_running(self._worker)
        ready = bool(self.out_dir.text().strip()) and any(
            b.isChecked() for b in self.formats.values()) and bool(self._items)
        self.export_button.setEnabled(ready and not running)

    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    @Slot()
    def start_export(self) -> None:
        if self._is_running(self._worker):
            return
        try:
            options = self.options()
        except ValueError:
            self._set_status("Responsive widths must be numbers, e.g. 640, 1024, 1600.")
            return
        self._review_timer.stop()
        self._refresh_values()  # the values of this moment, unsaved edits included
        self._cancel = threading.Event()
        self.progress.setValue(0)
        self._set_status("Exporting…")
        self.open_button.hide()
        self.copy_button.hide()
        self._worker = self._submit(
            export_photos, list(self._items), options, self._cancel,
            on_item=self._on_event, on_done=lambda _r: self._update_buttons(),
            on_error=self._on_crash,
        )
        self.cancel_button.setText("Cancel")
        self._update_buttons()

    def _on_event(self, event: object) -> None:
        assert isinstance(event, ExportEvent)
        self.progress.setMaximum(max(1, event.total))
        self.progress.setValue(event.done)
        if isinstance(event, PhotoFailed):
            self._set_status(f"{event.source.name}: {event.reason}")
        elif isinstance(event, ExportFinished):
            self._show_result(event.result)

    def _on_crash(self, reason: str) -> None:
        self._set_status(f"Export failed: {reason}")
        self._update_buttons()

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status_box.setVisible(bool(text))
        lines = max(1, text.count("\n") + 1)
        height = self.status.fontMetrics().lineSpacing() * min(lines, 8) + 8
        self.status_box.setMinimumHeight(min(height, self.status_box.maximumHeight()))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        want = self.sizeHint().height()
        if self.height() < want:  # grow rather than squeeze the form's rows
            self.resize(self.width(), want)

    def _show_result(self, result: ExportResult) -> None:
        self.result_value = result
        images = sum(len(p.outputs) for p in result.photos)
        lines = [
            ("Cancelled after " if result.cancelled else "Exported ")
            + f"{len(result.photos)} of {len(self._items)} photos: {images} image files"
            + (f" and {', '.join(result.snippet_files)}." if result.snippet_files else ".")
        ]
        lines += [f"{line}." for line in result.removed_summary]
        lines += [f"Could not export {path.name}: {reason}" for path, reason in result.failures]
        lines += [f"{photo.source.name}: {warning}"
                  for photo in result.photos for warning in photo.warnings]
        if result.alt_text_warnings:
            lines.append("Alt text to review:")
            lines += [f"  {path.name}: {w}" for path, w in result.alt_text_warnings]
        self._set_status("\n".join(lines))
        self.cancel_button.setText("Close")
        self.open_button.setVisible(bool(result.photos))
        self.copy_button.setVisible("article.html" in result.snippet_files)
        self.exported.emit(result)

    def summary_text(self) -> str:
        return self.status.text()

    @Slot()
    def _open_folder(self) -> None:
        if self.result_value is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_value.out_dir)))

    @Slot()
    def _copy_html(self) -> None:
        if self.result_value is None:
            return
        path = self.result_value.out_dir / "article.html"
        try:
            QGuiApplication.clipboard().setText(path.read_text(encoding="utf-8"))
        except OSError as err:
            self._set_status(f"Cannot read article.html: {err.strerror}")

    @Slot()
    def _cancel_or_close(self) -> None:
        if self._is_running(self._worker):
            self._cancel.set()
            self._set_status("Cancelling…")
            return
        self.reject()

    def done(self, result: int) -> None:
        """Closing stops the export and waits for it: no task outlives the dialog."""
        self._cancel.set()
        if self._running:
            self._pool.pool.waitForDone()  # the export pool runs only this dialog's tasks
        for handle in (self._worker, self._removal):
            if handle is not None:
                self._pool.cancel(handle)  # results still queued are dropped
        self._running.clear()
        super().done(result)
