"""Edit > Preferences: one dialog over the preference fields of ``Settings``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.spelling import LANGUAGES
from editor.gui.settings import Settings

IIM_CHOICES = (
    ("always", "Always (WordPress and older programs read IIM)"),
    ("when_present", "Only in files that already have it"),
)
TIMESTAMP_CHOICES = ((False, "Set to the time of saving"), (True, "Keep the file's time"))
SIDECAR_CHOICES = (
    (False, "IMG_0001.xmp (Lightroom, Photo Mechanic)"),
    (True, "IMG_0001.NEF.xmp (darktable, digiKam)"),
)
SEPARATORS = ("; ", ", ", ";", ",")
THEME_CHOICES = (("system", "Follow the desktop"), ("light", "Light"), ("dark", "Dark"))


def _combo(
    parent: QWidget, name: str, choices: tuple[tuple[object, str], ...], now: object
) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for value, text in choices:
        combo.addItem(text, value)
    index = combo.findData(now)
    combo.setCurrentIndex(max(0, index))
    return combo


class PreferencesDialog(QDialog):
    """Shows ``settings``; OK writes the choices back into it (the window then applies them)."""

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        default_code_file: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self._settings = settings
        s = settings

        saving = QGroupBox("Saving", self)
        form = QFormLayout(saving)
        self.iim = _combo(saving, "iim_policy", IIM_CHOICES, s.iim_policy)
        self.iim.setToolTip(
            "IPTC-IIM is the oldest copy of caption, credit and keywords. WordPress reads only it."
        )
        form.addRow("Write IPTC-IIM:", self.iim)
        self.timestamp = _combo(saving, "timestamp", TIMESTAMP_CHOICES, s.keep_mtime)
        form.addRow("File modification time:", self.timestamp)
        self.sidecar = _combo(saving, "sidecar_fullname", SIDECAR_CHOICES, s.sidecar_fullname)
        self.sidecar.setToolTip("How new XMP sidecars of RAW files are named")
        form.addRow("XMP sidecar name:", self.sidecar)

        typing = QGroupBox("Typing", self)
        form = QFormLayout(typing)
        self.separator = QComboBox(typing)
        self.separator.setObjectName("list_separator")
        self.separator.setEditable(True)
        self.separator.addItems(list(SEPARATORS))
        self.separator.setCurrentText(s.list_separator)
        self.separator.setToolTip("Between keywords and other lists typed on one line")
        form.addRow("List separator:", self.separator)
        languages = tuple(LANGUAGES.items())
        self.language = _combo(typing, "spell_language", languages, s.spell_language)
        form.addRow("Spelling language:", self.language)
        self.code_file = QLineEdit(s.code_file, typing)
        self.code_file.setObjectName("code_file")
        if default_code_file is not None:
            self.code_file.setPlaceholderText(str(default_code_file))
        browse = QPushButton("Choose…", typing)
        browse.clicked.connect(self._choose_code_file)
        row = QHBoxLayout()
        row.addWidget(self.code_file, 1)
        row.addWidget(browse)
        form.addRow("Code replacement file:", row)
        self.delimiter = QLineEdit(s.code_delimiter, typing)
        self.delimiter.setObjectName("code_delimiter")
        self.delimiter.setMaxLength(1)
        self.delimiter.setMaximumWidth(40)
        self.delimiter.setToolTip("Codes are typed between two of these, e.g. =rw=")
        form.addRow("Code delimiter:", self.delimiter)

        look = QGroupBox("Appearance", self)
        form = QFormLayout(look)
        self.theme = _combo(look, "theme", THEME_CHOICES, s.theme)
        form.addRow("Theme:", self.theme)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (saving, typing, look):
            layout.addWidget(box)
        layout.addWidget(buttons)

    def _choose_code_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Code Replacement File",
            self.code_file.text(),
            "Text files (*.txt *.tsv);;All files (*)",
        )
        if name:
            self.code_file.setText(name)

    def accept(self) -> None:
        s = self._settings
        s.iim_policy = str(self.iim.currentData())
        s.keep_mtime = bool(self.timestamp.currentData())
        s.sidecar_fullname = bool(self.sidecar.currentData())
        s.list_separator = self.separator.currentText() or "; "
        s.spell_language = str(self.language.currentData())
        s.code_file = self.code_file.text().strip()
        s.code_delimiter = self.delimiter.text() or "="
        s.theme = str(self.theme.currentData())
        super().accept()
