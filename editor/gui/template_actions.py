"""Metadata > Save as Template…, Apply Template ▸ and Manage Templates…, kept in the settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

from editor.core.library import PhotoLibrary
from editor.core.model import PhotoMetadata
from editor.core.templates import Template, apply_template
from editor.gui.settings import Settings, SettingsStore
from editor.gui.undo import SetMetadataCommand


class TemplateActions(QObject):
    """Owns the three menu entries; applying a template to the selection is one undo step."""

    def __init__(
        self,
        window: QWidget,
        store: SettingsStore,
        settings: Settings,
        library: PhotoLibrary,
        undo_stack: QUndoStack,
        selection: Callable[[], list[Path]],
        current: Callable[[], Path | None],
        message: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._settings = settings
        self._library = library
        self._undo = undo_stack
        self._selection = selection
        self._current = current
        self._message = message
        self.act_save = QAction("&Save as Template…", window)
        self.act_save.triggered.connect(self.save_template)
        self.act_manage = QAction("&Manage Templates…", window)
        self.act_manage.triggered.connect(self.manage_templates)
        self.apply_menu = QMenu("&Apply Template", window)
        self._fill()

    @property
    def templates(self) -> list[Template]:
        return list(self._settings.templates)

    def set_templates(self, templates: list[Template]) -> None:
        self._settings.templates = list(templates)
        self._fill()
        self._store.save(self._settings)

    def apply(self, template: Template) -> None:
        paths = self._selection()
        if not paths:
            self._message("Select the photos to apply the template to.")
            return
        values: dict[Path, PhotoMetadata] = {}
        for n, path in enumerate(paths, start=1):
            item = self._library.item(path)
            assert item.record is not None
            values[path] = apply_template(template, item.edited, item.record, n)
        self._undo.push(
            SetMetadataCommand(self._library, values, f"Apply Template “{template.name}”")
        )

    def save_template(self) -> None:
        from editor.gui.templates_dialog import SaveTemplateDialog

        current = self._current()
        item = self._library.get(current) if current is not None else None
        source = item.edited if item is not None else PhotoMetadata()
        names = [t.name for t in self._settings.templates]
        dialog = SaveTemplateDialog(source, names, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._add(dialog.template()))
        dialog.open()

    def manage_templates(self) -> None:
        from editor.gui.templates_dialog import ManageTemplatesDialog

        dialog = ManageTemplatesDialog(self.templates, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_templates(dialog.templates()))
        dialog.open()

    def _add(self, template: Template) -> None:
        name = template.name.casefold()
        others = [t for t in self._settings.templates if t.name.casefold() != name]
        self.set_templates([*others, template])

    def _fill(self) -> None:
        self.apply_menu.clear()
        for template in self._settings.templates:
            action = self.apply_menu.addAction(template.name.replace("&", "&&"))
            action.triggered.connect(lambda _c=False, t=template: self.apply(t))
        self.apply_menu.setEnabled(bool(self._settings.templates))
