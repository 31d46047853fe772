"""The main window: grid, preview and metadata panel; actions, menus and the undo stack."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from editor.core.journal import JOURNAL_NAME
from editor.core.library import Filter, ItemState, PhotoItem, PhotoLibrary, SortKey
from editor.core.metadata import SUPPORTED_EXTENSIONS, is_supported_image
from editor.core.model import PhotoMetadata, PhotoRecord
from editor.core.safe_write import remove_stale_temp_files
from editor.core.scan import skipped_summary
from editor.core.sidecar import SidecarName, StorePolicy
from editor.gui.close_state import REFUSED, AfterSave, Answer
from editor.gui.drop_zone import DropZone
from editor.gui.file_watch import FileWatch
from editor.gui.folder_watch import FolderWatch
from editor.gui.grid_pane import GridPane
from editor.gui.help import ShortcutSheet, about_box
from editor.gui.journal import EditJournal, JournalRestore
from editor.gui.loader import PhotoLoader
from editor.gui.panel.metadata_panel import STILL_READING, MetadataPanel
from editor.gui.photo_grid import paths_from_mime
from editor.gui.photo_model import PhotoFilterModel, PhotoModel
from editor.gui.preview import PreviewPane
from editor.gui.saver import PhotoSaver
from editor.gui.settings import Settings, SettingsStore, iim_policy
from editor.gui.template_actions import TemplateActions
from editor.gui.theme import apply_theme
from editor.gui.thumbnailer import Thumbnailer
from editor.gui.undo import SetFieldCommand, SetMetadataCommand
from editor.gui.workers import Pools
from editor.gui.writing_aids import WritingAids

log = logging.getLogger(__name__)
PANEL_THROTTLE_MS = 100
"""While a save runs, the panel showing the saved photos is refreshed at most this often."""
GONE_TEXT = (
    "the file was deleted or moved. Your edits are kept: put the file back to save them, "
    "or Copy Metadata to paste them onto another photo"
)

class MainWindow(QMainWindow):
    """Composes the widgets and controllers it is given; holds no metadata logic of its own."""

    selectionShown = Signal()  # the panel and preview now show the current selection

    def __init__(
        self,
        store: SettingsStore,
        library: PhotoLibrary,
        pools: Pools,
        thumbnails: Thumbnailer,
        parent: QWidget | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store = store
        self.settings: Settings = store.load()
        self.library = library
        self.pools = pools
        pools.adopt(self)
        self.thumbnails = thumbnails
        thumbnails.setParent(self)
        self.roots: list[Path] = []
        self._copied: PhotoMetadata | None = None
        self._vocabulary_shown: list[str] | None = None  # what the keyword completer offers
        self.after_save = AfterSave()  # what waits for the running save; closing or not
        self._walked: list[Path] = []  # folders opened, to tidy once they are loaded
        self._selected: list[Path] = []
        self._selected_set: frozenset[Path] = frozenset()  # the same, for membership tests
        self._title_name = ""
        self._error_box: QMessageBox | None = None
        self._warmed = False
        self._export_dialog: QWidget | None = None
        self._publish_dialog: QWidget | None = None

        self.undo_stack = QUndoStack(self)
        self.model = PhotoModel(library, thumbnails, self)
        self.proxy = PhotoFilterModel(self.model, self)
        self.loader = PhotoLoader(
            pools.scan, pools.read, self.model.library, self.model.add_paths, thumbnails, self
        )
        self.saver = PhotoSaver(pools.save, library, self)
        self.saver.keep_mtime = self.settings.keep_mtime
        self.watch = FileWatch(pools.read, library, self.saver, self)
        self.folders = FolderWatch(
            pools.scan, self.model, self.loader.load, lambda p: self.watch.recheck([p]), self
        )
        self.data_dir = data_dir  # the user's data folder (journal, codes, dictionary)
        self.journal = EditJournal(library, data_dir / JOURNAL_NAME, self) if data_dir else None
        if self.journal is not None:
            self.journal.failed.connect(self.show_message)

        self._build_widgets()
        self.aids = WritingAids(self.panel, data_dir, self)  # code replacement, spelling
        self._build_actions()
        self._build_menus()
        self._connect()
        self._restore_layout()
        self._update_title()
        self._update_actions()
        self.apply_preferences()

    # ==========================================================================================
    # construction
    # ==========================================================================================
    def _build_widgets(self) -> None:
        s = self.settings
        self.grid_box = GridPane(
            self.proxy, self.thumbnails, s.filter, s.sort, s.thumb_size, self
        )
        self.grid = self.grid_box.grid
        self.loader.on_screen = self.grid.visible_paths
        self.filter_combo = self.grid_box.filter_combo
        self.sort_combo = self.grid_box.sort_combo
        self.size_slider = self.grid_box.size_slider

        self.preview = PreviewPane(self.pools.preview, self)
        self.panel = MetadataPanel(self)
        self.panel.setObjectName("metadataPanel")
        self.panel.set_section_states(s.panel_sections)
        self.panel.show_photos([])

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.grid_box)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)

        self.drop_zone = DropZone(self)
        self.drop_zone.set_recent(self.settings.recent_folders)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)
        self.setAcceptDrops(True)

        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.counts = QLabel(self)
        # "3 skipped: 2 .MOV, 1 damaged .NEF" after a load; a click lists them with reasons.
        self.skipped_button = QToolButton(self)
        self.skipped_button.setAutoRaise(True)
        self.skipped_button.setToolTip("Files that are not photos or could not be read")
        self.skipped_button.clicked.connect(self._show_skipped)
        self.skipped_button.hide()
        self._skipped_lines: list[str] = []
        self.statusBar().addPermanentWidget(self.skipped_button)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.counts)

        # Coalesce bursts of library changes (a 200-photo edit, a load) into one refresh.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(30)
        self._refresh_timer.timeout.connect(self._refresh)
        # While a save runs, its stream of saved photos refreshes the panel at once and then
        # at most every PANEL_THROTTLE_MS, not once per photo (hundreds of them selected).
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.setInterval(PANEL_THROTTLE_MS)
        self._panel_timer.timeout.connect(self._panel_throttled)
        self._panel_dirty = False
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._show_selection)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sk = QKeySequence.StandardKey
        self.act_open = self._action("&Open Folder…", self.choose_folder, sk.Open)
        self.act_open_files = self._action("Open &Files…", self.choose_files, "Ctrl+Shift+O")
        self.act_add = self._action("&Add Folder…", lambda: self.choose_folder(add=True))
        self.act_save = self._action(
            "&Save", self.save_all, sk.Save, "Save every photo with unsaved changes"
        )
        self.act_save_selected = self._action(
            "Save Se&lected", self.save_selected, "Ctrl+Alt+S", "Save the selected photos"
        )
        self.act_export = self._action("&Export…", self.export, "Ctrl+E")
        self.act_publish = self._action(
            "&Publish to WordPress…", self.publish, None,
            "Upload the photos with their alt text and captions as a draft post, in story order",
        )
        self.act_quit = self._action("&Quit", self.close, "Ctrl+Q")
        self.act_reload = self._action(
            "&Reload Folder",
            self.reload_folders,
            "F5",
            "Pick up photos added, removed, renamed or changed by other programs",
        )

        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(sk.Undo))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(sk.Redo)])
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_copy_md = self._action("&Copy Metadata", self.copy_metadata, "Ctrl+Shift+C")
        self.act_paste_md = self._action("&Paste Metadata…", self.paste_metadata, "Ctrl+Shift+V")
        self.act_revert = self._action("Re&vert to Saved", self.revert_selected)
        self.act_select_all = self._action("Select &All Photos", self.grid.selectAll)
        self.act_select_all.setShortcut(QKeySequence(sk.SelectAll))
        # Ctrl+A selects photos from the grid; in a text field it selects the text.
        self.act_select_all.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.grid.addAction(self.act_select_all)
        self.act_keep_mtime = QAction("&Keep File Modification Time", self)
        self.act_keep_mtime.setCheckable(True)
        self.act_keep_mtime.setChecked(self.settings.keep_mtime)
        self.act_keep_mtime.toggled.connect(self._set_keep_mtime)
        self.act_sidecar_fullname = QAction("Name New Sidecars IMG.NEF.&xmp (darktable)", self)
        self.act_sidecar_fullname.setToolTip(
            "RAW and HEIC captions go to an XMP sidecar: IMG_1.xmp (Lightroom, Photo Mechanic) "
            "or, when checked, IMG_1.NEF.xmp (darktable, digiKam). An existing sidecar is used "
            "under either name."
        )
        self.act_sidecar_fullname.setCheckable(True)
        self.act_sidecar_fullname.setChecked(self.settings.sidecar_fullname)
        self.act_sidecar_fullname.toggled.connect(self._set_sidecar_fullname)
        self.act_dng_sidecar = QAction("Keep DNG Metadata in &Sidecars", self)
        self.act_dng_sidecar.setToolTip(
            "DNG files are written in place (as Lightroom does); checked, their metadata goes "
            "to an XMP sidecar instead. Applies to folders opened next."
        )
        self.act_dng_sidecar.setCheckable(True)
        self.act_dng_sidecar.setChecked(self.settings.dng_sidecar)
        self.act_dng_sidecar.toggled.connect(self._set_dng_sidecar)
        # The DNG choice holds for the set of photos open: records were read under it.
        self._session_dng_sidecar = self.settings.dng_sidecar
        self._set_sidecar_fullname(self.settings.sidecar_fullname)
        self.act_raw_apart = QAction("Show RAW and JPEG &Apart", self)
        self.act_raw_apart.setToolTip(
            "A RAW beside a JPEG of the same name is one photo (an edit saves into the JPEG and "
            "the RAW's sidecar); checked, they are two. Applies to folders opened next."
        )
        self.act_raw_apart.setCheckable(True)
        self.act_raw_apart.setChecked(self.settings.raw_jpeg_apart)
        self.act_raw_apart.toggled.connect(self._set_raw_apart)
        self._set_raw_apart(self.settings.raw_jpeg_apart)

        self.act_full = QAction("&Full-Window Preview", self)
        self.act_full.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.act_full.setCheckable(True)
        # Space only toggles from the grid and the preview; in text fields it types a space.
        self.act_full.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_full.toggled.connect(self.set_full_view)
        self.grid.addAction(self.act_full)
        self.preview.addAction(self.act_full)
        self.act_exit_full = QAction("Leave Full-Window Preview", self)
        self.act_exit_full.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.act_exit_full.triggered.connect(lambda: self.act_full.setChecked(False))
        self.act_exit_full.setEnabled(False)  # Esc belongs to other widgets outside full view
        self.addAction(self.act_exit_full)
        self.act_bigger = self._action(
            "&Larger Thumbnails", lambda: self.grid_box.step_size(+24), sk.ZoomIn
        )
        self.act_smaller = self._action(
            "S&maller Thumbnails", lambda: self.grid_box.step_size(-24), sk.ZoomOut
        )
        self.act_prefs = self._action("&Preferences…", self.edit_preferences, "Ctrl+,")
        self.act_prefs.setShortcuts(list(dict.fromkeys(
            [QKeySequence("Ctrl+,"), *QKeySequence.keyBindings(sk.Preferences)])))
        self.act_prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_shift = self._action("Shift &Dates and Times…", self.shift_dates, "Ctrl+Shift+T")
        self.act_codes = self._action("Code &Replacements…", self.aids.edit_codes)
        self.act_shortcuts = self._action("&Keyboard Shortcuts", self.show_shortcuts, "F1")
        self.act_about = self._action("&About PhotoCaption", lambda: about_box(self).open())
        # Story order: Ctrl+Shift+Up/Down from the grid (in text fields they select text).
        self.act_story_up = QAction("Move &Earlier in Story", self)
        self.act_story_down = QAction("Move La&ter in Story", self)
        for action, keys, delta in ((self.act_story_up, "Ctrl+Shift+Up", -1),
                                    (self.act_story_down, "Ctrl+Shift+Down", +1)):
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, d=delta: self.step_story(d))
            self.grid.addAction(action)
        self.act_next = self._action("&Next Photo", lambda: self.grid.step(+1), "Ctrl+]")
        self.act_prev = self._action("&Previous Photo", lambda: self.grid.step(-1), "Ctrl+[")

        self.templates = TemplateActions(
            self,
            self.store,
            self.settings,
            self.library,
            self.undo_stack,
            self._editable_selection,
            self.current_path,
            self.show_message,
        )

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        file_menu.addActions([self.act_open, self.act_open_files, self.act_add])
        self.recent_menu = QMenu("Open &Recent", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_selected])
        file_menu.addSeparator()
        file_menu.addActions([self.act_export, self.act_publish])
        file_menu.addSeparator()
        file_menu.addAction(self.act_reload)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)

        edit = mb.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_copy_md, self.act_paste_md, self.act_revert])
        edit.addSeparator()
        edit.addAction(self.act_select_all)
        edit.addSeparator()
        edit.addAction(self.act_keep_mtime)
        edit.addAction(self.act_sidecar_fullname)
        edit.addAction(self.act_dng_sidecar)
        edit.addAction(self.act_prefs)

        meta = mb.addMenu("&Metadata")
        meta.addAction(self.templates.act_save)
        meta.addMenu(self.templates.apply_menu)
        meta.addAction(self.templates.act_manage)
        meta.addSeparator()
        meta.addActions([self.act_shift, self.act_codes])

        view = mb.addMenu("&View")
        view.addAction(self.act_full)
        view.addSeparator()
        view.addActions([self.act_bigger, self.act_smaller])
        view.addSeparator()
        view.addActions([self.act_next, self.act_prev])
        view.addSeparator()
        view.addActions([self.act_story_up, self.act_story_down])
        view.addSeparator()
        view.addAction(self.act_raw_apart)
        mb.addMenu("&Help").addActions([self.act_shortcuts, self.act_about])
        self._fill_recent_menu()

    def _connect(self) -> None:
        self.grid.pathsDropped.connect(lambda paths: self.open_paths(paths, replace=False))
        self.grid.storyMoveRequested.connect(self.move_story)
        self.grid.toggleFullView.connect(self.act_full.toggle)
        self.grid.ratingRequested.connect(lambda stars: self.edit_field("rating", stars))
        self.grid.selectionModel().selectionChanged.connect(self._selection_changed)
        self.grid.selectionModel().currentChanged.connect(self._selection_changed)
        self.preview.toggleFullView.connect(self.act_full.toggle)
        self.preview.stepRequested.connect(self.grid.step)
        self.drop_zone.openFolderRequested.connect(self.choose_folder)
        self.drop_zone.openFilesRequested.connect(self.choose_files)
        self.drop_zone.recentRequested.connect(lambda f: self.open_paths([Path(f)]))
        self.grid_box.filterChanged.connect(self._filter_changed)
        self.grid_box.sortChanged.connect(self._sort_changed)
        self.grid_box.sizeChanged.connect(self._size_changed)

        self.panel.fieldEdited.connect(self.edit_field)
        self.panel.keywordsChanged.connect(self.add_remove_keywords)
        self.panel.nextPhotoRequested.connect(lambda: self.grid.step(+1))
        self.panel.previousPhotoRequested.connect(lambda: self.grid.step(-1))
        self.panel.undoRequested.connect(self.undo_stack.undo)
        self.panel.redoRequested.connect(self.undo_stack.redo)

        self.library.add_listener(self._library_changed)
        self.proxy.rowsInserted.connect(self._schedule_refresh)
        self.proxy.rowsRemoved.connect(self._schedule_refresh)
        self.proxy.modelReset.connect(self._schedule_refresh)
        self.loader.problem.connect(self.show_message)
        self.loader.foldersFound.connect(self._folders_found)
        self.loader.photosAdded.connect(self._photos_added)
        self.loader.finished.connect(self._load_finished)
        self.saver.progress.connect(self._save_progress)
        self.saver.saved.connect(self.watch.rewatch)
        # A save refused because the file changed: look at it again, so the photo is flagged as
        # changed on disk and Revert loads the new version (the watcher can miss such a change,
        # e.g. one made through another name for the same file).
        self.saver.failed.connect(lambda path, _reason: self.watch.recheck([path]))
        self.saver.finished.connect(self._save_finished)
        self.watch.reloaded.connect(self._file_reloaded)
        self.watch.conflict.connect(
            lambda p: self.show_message(
                f"{p.name} was changed by another program; your unsaved edits are kept and "
                "will not overwrite it. Revert to Saved loads the new version."
            )
        )
        self.watch.deleted.connect(lambda p: self.show_message(f"{p.name} was deleted or moved."))
        self.folders.renamed.connect(self._file_renamed)
        self.folders.removed.connect(
            lambda paths: self.statusBar().showMessage(
                f"{len(paths)} photo{'s' if len(paths) != 1 else ''} removed by another program",
                8000,
            )
        )
        self.watch.reconnected.connect(
            lambda p: self.statusBar().showMessage(
                f"{p.name} is back; its unsaved edits are kept.", 8000
            )
        )
        self.undo_stack.indexChanged.connect(lambda _i: self._update_actions())

    def _restore_layout(self) -> None:
        s = self.settings
        if s.geometry:
            self.restoreGeometry(QByteArray(s.geometry))
        else:
            self.resize(1400, 900)
        if s.window_state:
            self.restoreState(QByteArray(s.window_state))
        if len(s.splitter) == 3 and all(v > 0 for v in s.splitter):
            self.splitter.setSizes(s.splitter)
        else:
            self.splitter.setSizes([520, 560, 380])

    # ==========================================================================================
    # opening photos
    # ==========================================================================================
    def choose_folder(self, add: bool = False) -> None:
        start = self.settings.recent_folders[0] if self.settings.recent_folders else ""
        folder = QFileDialog.getExistingDirectory(self, "Open Folder of Photos", start)
        if folder:
            self.open_paths([Path(folder)], replace=not add)

    def choose_files(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in sorted(SUPPORTED_EXTENSIONS))
        files, _ = QFileDialog.getOpenFileNames(
            self, "Open Photos", "", f"Photos ({patterns});;All files (*)"
        )
        if files:
            self.open_paths([Path(f) for f in files])

    def open_paths(self, paths: Sequence[Path], replace: bool = True) -> None:
        """Open files and folders: replacing the set (after asking about unsaved edits) or
        adding to it, as a drop does."""
        paths = [Path(os.path.abspath(p)) for p in paths]
        if not paths:
            return
        if replace and len(self.library):
            if self.saver.busy:
                self.show_message("Still saving; open the folder again when saving is done.")
                return
            if self._confirm_discard(lambda: self.open_paths(paths, replace=True)) is Answer.WAIT:
                return
            self._reset()
        if not len(self.library):  # a new set of photos: the DNG choice made since applies
            self._session_dng_sidecar = self.settings.dng_sidecar
            self._apply_policy()
        for p in paths:
            if p not in self.roots:
                self.roots.append(p)
        if not self._title_name:
            # A guess without touching the disk; the walk confirms folders (_folders_found).
            first = paths[0]
            self._title_name = first.parent.name if is_supported_image(first) else first.name
        self.stack.setCurrentWidget(self.splitter)
        self.grid.setFocus()  # keyboard-first: arrows move through the photos right away
        self.statusBar().showMessage("Loading photos…")
        self._update_title()
        self.loader.load(paths)

    def _folders_found(self, folders: list[Path]) -> None:
        self._walked.extend(folders)
        self.folders.watch(folders)
        for folder in reversed(folders):
            self.settings.add_recent(str(folder))
        self._fill_recent_menu()
        self.drop_zone.set_recent(self.settings.recent_folders)

    def _update_skipped(self, not_photos: Sequence[Path], bad_items: Sequence[PhotoItem]) -> None:
        """The status bar's "N skipped" button: files that are not photos, and photos that could
        not be read (those stay in the grid, marked with !)."""
        summary = skipped_summary(not_photos, [it.path for it in bad_items])
        self._skipped_lines = [f"{p.name}: not a photo PhotoCaption opens" for p in not_photos]
        self._skipped_lines += [f"{it.name}: {'; '.join(it.problems()[:1])}" for it in bad_items]
        self.skipped_button.setText(summary)
        self.skipped_button.setVisible(bool(summary))

    def _show_skipped(self) -> None:
        lines = self._skipped_lines
        shown = lines[:200] + ([f"… and {len(lines) - 200} more"] if len(lines) > 200 else [])
        box = QMessageBox(
            QMessageBox.Icon.Information, "PhotoCaption", self.skipped_button.text(), parent=self
        )
        box.setDetailedText("\n".join(shown))
        box.setInformativeText("\n".join(shown[:12]))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

    def _reset(self) -> None:
        self.skipped_button.hide()
        self.loader.cancel()
        self.thumbnails.clear()
        self.watch.clear()
        self.folders.clear()
        self.undo_stack.clear()
        self.model.clear()
        self.roots.clear()
        self._title_name = ""
        self.preview.show_photo(None, None)
        self.panel.show_photos([])

    def _photos_added(self, paths: list[Path]) -> None:
        self.watch.add(paths)
        self.folders.watch({p.parent for p in paths})
        if not self.grid.currentIndex().isValid() and self.proxy.rowCount():
            self.grid.select_index(self.proxy.index(0, 0))
        self._schedule_refresh()

    def _load_finished(self) -> None:
        for folder in self._walked if not self.saver.busy else ():
            # Temp files of saves killed mid-way (power cut, kill -9): the originals never
            # depend on them. Only ones idle for a minute: another save may own a fresh one.
            # After loading, so the walk of a big folder does not compete with the first photos;
            # not while saving (a slow disk can keep one of our own temps idle that long).
            self.pools.scan.submit(
                remove_stale_temp_files,
                folder,
                on_done=lambda n, f=folder: n and log.info("removed %d stale temps in %s", n, f),
            )
        self._walked.clear()
        n = len(self.library)
        bad_items = [it for it in self.library.items if it.state is ItemState.ERROR]
        bad = len(bad_items)
        text = f"Loaded {n} photo{'s' if n != 1 else ''}"
        if bad:
            text += f"; {bad} could not be read (marked with !)"
        self._update_skipped(self.loader.skipped, bad_items)
        self.statusBar().showMessage(text, 8000)
        if n == 0:
            self.stack.setCurrentWidget(self.drop_zone)
            summary = self.skipped_button.text() if self.skipped_button.isVisible() else ""
            self.show_message(f"No photos found there ({summary})." if summary
                              else "No photos found there.")

    # ==========================================================================================
    # drag and drop anywhere on the window
    # ==========================================================================================
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
            self.drop_zone.highlight = True
            self.drop_zone.update()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_zone.highlight = False
        self.drop_zone.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_zone.highlight = False
        self.drop_zone.update()
        paths = paths_from_mime(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths, replace=False)
        else:
            event.ignore()

    # ==========================================================================================
    # selection -> panel and preview
    # ==========================================================================================
    def selected_paths(self) -> list[Path]:
        """Selected photos in view order."""
        rows = sorted(i.row() for i in self.grid.selectionModel().selectedIndexes())
        out = []
        for row in rows:
            path = self.proxy.path_at(self.proxy.index(row, 0))
            if path is not None:
                out.append(path)
        return out

    @property
    def shown_paths(self) -> list[Path]:
        """The selection the panel and preview currently show."""
        return list(self._selected)

    def current_path(self) -> Path | None:
        return self.proxy.path_at(self.grid.currentIndex())

    def _selection_changed(self, *_args: QItemSelection | QModelIndex) -> None:
        self._selection_timer.start()

    def _show_selection(self) -> None:
        self._selected = self.selected_paths()
        self._selected_set = frozenset(self._selected)
        self.proxy.set_pinned(self._selected)
        self._show_panel()
        current = self.current_path()
        if current is None or current not in self._selected:
            current = self._selected[0] if self._selected else None
        item = self.library.get(current) if current is not None else None
        if item is None:
            self.preview.show_photo(None, None)
        else:
            self.preview.show_photo(item.path, item.record, self.thumbnails.image(item.path))
        self._update_actions()
        self.selectionShown.emit()

    def _panel_items(self) -> list[tuple[PhotoMetadata, PhotoRecord]]:
        out = self._ready_panel_items()
        reading = sum(
            1
            for path in self._selected
            if (item := self.library.get(path)) is not None and item.state is ItemState.LOADING
        )
        if reading and out:
            # An edit now would reach only the photos read so far, not the whole selection.
            why = (
                f"{STILL_READING}{reading} of the {len(self._selected)} selected photos; "
                "they can be edited once read."
            )
            out = [
                (md, dataclasses.replace(record, writable=False, read_only_reason=why))
                for md, record in out
            ]
        return out

    def _ready_panel_items(self) -> list[tuple[PhotoMetadata, PhotoRecord]]:
        out = []
        for path in self._selected:
            item = self.library.get(path)
            if item is None or item.record is None:
                continue
            if item.state is ItemState.READY:
                out.append((item.edited, item.record))
            elif item.state is ItemState.DELETED:
                # Its edits stay on screen, read-only and copyable, until the file comes back.
                gone = dataclasses.replace(item.record, writable=False, read_only_reason=GONE_TEXT)
                out.append((item.edited, gone))
        return out

    def _show_panel(self) -> None:
        items = self._panel_items()
        message = ""
        if not items and self._selected:
            # Only unreadable (or deleted) photos are selected: say why, not "select a photo".
            reasons = [
                f"{item.name}: {item.problems()[0]}"
                for path in self._selected
                if (item := self.library.get(path)) is not None and item.problems()
            ]
            if reasons:
                message = "This photo cannot be edited.\n\n" + "\n".join(reasons[:5])
        self.panel.set_empty_message(message)
        self.panel.show_photos(items)
        self.panel.set_problems(self._selection_problems())

    def _selection_problems(self) -> list[str]:
        """What went wrong with the selected photos that the panel must say: a failed save and
        why, a file deleted or changed elsewhere (read-only reasons have their own note)."""
        lines: list[str] = []
        for path in self._selected:
            item = self.library.get(path)
            if item is None:
                continue
            for problem in item.problems():
                if (
                    problem.startswith("Read-only:")
                    or problem == item.error
                    or (item.state is ItemState.DELETED and "deleted or moved" in problem)
                ):
                    continue  # said by the read-only note / the empty panel's message
                lines.append(problem if len(self._selected) == 1 else f"{item.name}: {problem}")
        return lines

    def _editable_selection(self) -> list[Path]:
        return [
            p
            for p in self._selected
            if (it := self.library.get(p)) is not None and it.state is ItemState.READY
        ]

    # ==========================================================================================
    # editing
    # ==========================================================================================
    def edit_field(self, name: str, value: object) -> None:
        paths = self._editable_selection()
        if paths:
            self.undo_stack.push(SetFieldCommand(self.library, paths, name, value))

    def add_remove_keywords(
        self, paths: list[Path], added: tuple[str, ...], removed: tuple[str, ...]
    ) -> None:
        """Add keywords to and remove keywords from each of ``paths`` (the photos the panel
        showed), keeping the rest of each photo's keywords (one undo step)."""
        gone = set(removed)
        values: dict[Path, PhotoMetadata] = {}
        for path in paths:
            item = self.library.get(path)
            if item is None or item.state is not ItemState.READY:
                continue
            md = item.edited
            kept = [w for w in md.keywords if w not in gone]
            have = {w.casefold() for w in kept}
            new = tuple(kept + [w for w in added if w.casefold() not in have])
            if new != md.keywords:
                values[path] = md.replace(keywords=new)
        if not values:
            return
        words = ", ".join(f"“{w}”" for w in (added or removed))
        text = (f"Add {words} to" if added else f"Remove {words} from") + f" {len(values)} photos"
        self.undo_stack.push(SetMetadataCommand(self.library, values, text))

    def revert_selected(self) -> None:
        paths = self._selected or self.library.paths
        dirty = self.library.dirty_paths(paths)
        if dirty:
            values = {p: self.library.item(p).original for p in dirty}
            self.undo_stack.push(SetMetadataCommand(self.library, values, "Revert to Saved"))
        # A photo changed elsewhere while it had edits: now clean, load the new version.
        changed = [p for p in paths if (it := self.library.get(p)) and it.changed_on_disk]
        if changed:
            self.watch.recheck(changed)

    def copy_metadata(self) -> None:
        current = self.current_path()
        item = self.library.get(current) if current is not None else None
        if item is None or item.state not in (ItemState.READY, ItemState.DELETED):
            self.show_message("Select a photo to copy its metadata from.")
            return
        self._copied = item.edited
        self.statusBar().showMessage(f"Copied the metadata of {item.name}", 4000)
        self._update_actions()

    def paste_metadata(self) -> None:
        if self._copied is None or not self._editable_selection():
            return
        from editor.gui.paste_dialog import PasteFieldsDialog

        source = self._copied
        dialog = PasteFieldsDialog(source, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.paste_fields(source, dialog.selected_fields()))
        dialog.open()

    def paste_fields(self, source: PhotoMetadata, fields: set[str]) -> None:
        paths = self._editable_selection()
        if not fields or not paths:
            return
        changes = {f: getattr(source, f) for f in fields}
        values = {p: md.replace(**changes) for p, md in self.library.metadata(paths).items()}
        n = len(paths)
        self.undo_stack.push(
            SetMetadataCommand(self.library, values, f"Paste Metadata onto {n} photos")
        )

    def shift_dates(self) -> None:
        from editor.gui.time_shift_dialog import ShiftDatesDialog, with_dates

        paths = self._editable_selection()
        if not paths:
            self.show_message("Select the photos whose dates and times to shift.")
            return
        dialog = ShiftDatesDialog(self.library.field_values(paths, "date_taken"), self)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.undo_stack.push(SetMetadataCommand(
            self.library, with_dates(self.library, dialog.new_dates()), "Shift Dates and Times")))
        dialog.open()
    # -- story order ---------------------------------------------------------------------------
    def step_story(self, delta: int) -> None:
        """Move the selected photos one place earlier (-1) or later (+1) in the story; from
        another sort, first show the story order."""
        from editor.core.story import step

        paths = self.selected_paths()
        if not paths:
            return
        if self.model.sort_key is not SortKey.STORY:
            self.grid_box.set_sort(SortKey.STORY)
        order = step(self.model.story_paths(), paths, delta)
        self.model.set_story(order)
        self._remember_story(order)
        self.grid.scrollTo(self.proxy.index_of(paths[0 if delta < 0 else -1]))

    def move_story(self, paths: list[Path], before: Path | None) -> None:
        """Drag and drop in story order: ``paths`` go just before ``before`` (None: last)."""
        if self.model.sort_key is not SortKey.STORY:
            return
        self._remember_story(self.model.move_story(paths, before))

    def _remember_story(self, order: list[Path]) -> None:
        from editor.core.errors import PhotoCaptionError
        from editor.core.story import save_paths

        try:
            save_paths(order)
        except PhotoCaptionError as err:
            self.show_message(f"The story order is shown but could not be remembered: {err}")

    def export_items(self) -> list[tuple[Path, PhotoMetadata]]:
        """What Export works on, with the values of this moment (unsaved edits included): the
        selection, else every photo, in the grid's current order."""
        paths = self._selected or self.model.paths()
        return [
            (p, it.edited)
            for p in paths
            if (it := self.library.get(p)) is not None and it.state is ItemState.READY
        ]

    def _current_export_items(self, paths: Sequence[Path]) -> list[tuple[Path, PhotoMetadata]]:
        """``paths``' values now, in the grid's order now (the open export dialog asks)."""
        rows = {p: i for i, p in enumerate(self.model.paths())}
        ordered = sorted(paths, key=lambda p: rows.get(p, len(rows)))
        return [
            (p, it.edited)
            for p in ordered
            if (it := self.library.get(p)) is not None and it.state is ItemState.READY
        ]

    # -- export --------------------------------------------------------------------------------
    def export(self) -> None:
        # Imported on first use: the export code (Pillow's encoders) adds ~35 ms to start-up.
        from editor.gui.export_dialog import ExportDialog

        items = self.export_items()
        if not items:
            self.show_message("No photos to export.")
            return
        dialog = ExportDialog(items, self, settings=self.settings.export, pool=self.pools.export,
                              current=self._current_export_items)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self.settings, "export", dialog.settings()))
        dialog.finished.connect(lambda _r: setattr(self, "_export_dialog", None))
        dialog.show()
        self._export_dialog = dialog

    def publish(self) -> None:
        """File > Publish…: the selection, else every photo, in story order."""
        from editor.gui.publish_dialog import PublishDialog

        story = self.model.story_paths()
        chosen = set(self._selected) if self._selected else set(story)
        items = self._story_items([p for p in story if p in chosen])
        if not items:
            self.show_message("No photos to publish.")
            return
        dialog = PublishDialog(items, self, settings=self.settings.publish,
                               pool=self.pools.export, current=self._story_items)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self.settings, "publish", dialog.settings()))
        dialog.finished.connect(lambda _r: setattr(self, "_publish_dialog", None))
        dialog.show()
        self._publish_dialog = dialog

    def _story_items(self, paths: Sequence[Path]) -> list[tuple[Path, PhotoMetadata]]:
        """``paths``' values now, in story order now (what Publish sends)."""
        ranks = {p: i for i, p in enumerate(self.model.story_paths())}
        ordered = sorted(paths, key=lambda p: ranks.get(p, len(ranks)))
        return [
            (p, it.edited)
            for p in ordered
            if (it := self.library.get(p)) is not None and it.state is ItemState.READY
        ]

    # ==========================================================================================
    # saving and closing
    # ==========================================================================================
    def save_all(self) -> int:
        return self._save(None)

    def save_selected(self) -> int:
        return self._save(self._selected)

    def _save(self, paths: Sequence[Path] | None) -> int:
        _ok, blocked = self.saver.savable(paths)
        queued = self.saver.save(paths)
        if blocked:
            also = f" Saving the other {queued}." if queued else ""
            self.show_message(
                f"{len(blocked)} photo{'s' if len(blocked) != 1 else ''} with unsaved changes "
                f"cannot be saved; the badge on each says why.{also}"
            )
        elif not queued and not self.saver.busy:
            self.statusBar().showMessage("Nothing to save.", 3000)
        return queued

    def _save_progress(self, done: int, total: int) -> None:
        if total > 1 and done < total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"Saving {done}/{total}")
            self.progress.show()
        else:
            self.progress.hide()

    def _save_finished(self, ok: int, bad: int) -> None:
        self.progress.hide()
        if bad:
            self.show_message(
                f"Saved {ok} photo{'s' if ok != 1 else ''}; {bad} could not be saved. "
                "Their edits are kept; the badge on each says why."
            )
        else:
            self.statusBar().showMessage(f"Saved {ok} photo{'s' if ok != 1 else ''}.", 5000)
        then = self.after_save.save_finished(not bad and not self.library.has_unsaved)
        if callable(then):
            then()
        elif then is REFUSED:
            self.show_message(
                "Some photos still have unsaved changes (read-only or failed); nothing was "
                "closed. Try again and choose Discard to leave them unsaved."
            )

    def _confirm_discard(self, then: Callable[[], None]) -> Answer:
        """Ask Save / Discard / Cancel when there are unsaved edits that no running save will
        write. GO or DISCARD: go ahead now. Save: start saving and run ``then`` once everything
        is saved; WAIT meanwhile (and after Cancel)."""
        pending = [p for p in self.library.dirty_paths() if not self.saver.will_save(p)]
        if not pending:
            return Answer.GO
        n = len(pending)
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{n} photo{'s have' if n != 1 else ' has'} unsaved changes. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Discard:
            return Answer.DISCARD
        # Save or Cancel: whatever was waiting for a save to finish is replaced or called off.
        self.after_save.call_off()
        if answer == QMessageBox.StandardButton.Save:
            if self.save_all() or self.saver.busy:
                self.after_save.wait_for_save(then)
            else:
                self.show_message("Those photos cannot be saved; choose Discard to go on anyway.")
        return Answer.WAIT

    def closeEvent(self, event: QCloseEvent) -> None:
        closing = self.after_save.closing
        answer = Answer.GO if closing else self._confirm_discard(self._close_after_save)
        if answer is Answer.WAIT:
            event.ignore()
            return
        if self.saver.busy and not closing:
            # Saves are never cancelled: the window closes when the one running is done, with
            # the unsaved edits left if the user chose Discard just now, else only if all saved.
            event.ignore()
            self.after_save.wait_for_save(
                self._close_after_save, anyway=answer is Answer.DISCARD
            )
            self.show_message("Finishing the save in progress; the window closes when it is done.")
            return
        self._save_settings()
        self.shutdown()
        event.accept()

    def close_discarding(self) -> None:
        """Close without asking, dropping unsaved edits (tests, and after Discard)."""
        self.after_save.close_now()
        self.close()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._warmed:
            self._warmed = True
            QTimer.singleShot(0, self._warm_up)

    def _warm_up(self) -> None:
        # Polish, lay out and paint the hidden main page once while the user looks at the drop
        # zone, so the first drop does not pay for it while photos stream in.
        self.thumbnails.warm_up()
        if self.stack.currentWidget() is not self.splitter:
            self.splitter.resize(self.stack.size())
            self.splitter.grab()

    def offer_restore(self) -> bool:
        """At start: offer back the unsaved edits a crash or kill left in the journal."""
        if self.journal is None:
            return False
        self.restorer = JournalRestore(
            self.journal, self.library, lambda p: self.open_paths(p, replace=False),
            lambda v: self.undo_stack.push(SetMetadataCommand(self.library, v, "Restore Edits")),
            self.show_message, self,
        )
        return self.restorer.offer()

    def _close_after_save(self) -> None:
        self.after_save.close_now()
        self.close()

    def shutdown(self) -> None:
        """Stop every background thread (queued work is dropped, running work finishes)."""
        for dialog in self.findChildren(QDialog):
            dialog.close()  # an export dialog stops its own worker when closed
        self.loader.cancel()
        self.watch.clear()
        self.folders.clear()
        self.thumbnails.clear()
        self.pools.shutdown()
        self.aids.close()
        if self.journal is not None:  # closing means saved or discarded: nothing to restore
            self.journal.close(remove=True)

    def _save_settings(self) -> None:
        s = self.settings
        s.geometry = bytes(self.saveGeometry().data())
        s.window_state = bytes(self.saveState().data())
        if not self.act_full.isChecked():
            s.splitter = list(self.splitter.sizes())
        s.thumb_size = self.grid.thumb_size
        s.panel_sections = self.panel.section_states()
        self.store.save(s)

    # ==========================================================================================
    # view controls
    # ==========================================================================================
    def set_full_view(self, full: bool) -> None:
        self.grid_box.setVisible(not full)
        self.panel.setVisible(not full)
        self.act_full.setChecked(full)
        self.act_exit_full.setEnabled(full)
        if full:
            self.preview.view.setFocus()
        else:
            self.grid.setFocus()

    def _filter_changed(self, flt: Filter) -> None:
        self.settings.filter = flt
        self._schedule_refresh()

    def _sort_changed(self, key: SortKey) -> None:
        self.settings.sort = key

    def _size_changed(self, value: int) -> None:
        self.settings.thumb_size = value

    def _set_raw_apart(self, apart: bool) -> None:
        self.settings.raw_jpeg_apart = apart
        self.loader.pair_raw = not apart

    def _set_sidecar_fullname(self, fullname: bool) -> None:
        self.settings.sidecar_fullname = fullname
        self._apply_policy()

    def _set_dng_sidecar(self, sidecar: bool) -> None:
        self.settings.dng_sidecar = sidecar
        if not len(self.library):
            self._session_dng_sidecar = sidecar
            self._apply_policy()

    def _apply_policy(self) -> None:
        """Where metadata goes, for reads (loader, file watch) and saves alike."""
        name = SidecarName.FULLNAME if self.settings.sidecar_fullname else SidecarName.BASENAME
        policy = StorePolicy(sidecar_name=name, dng_sidecar=self._session_dng_sidecar)
        self.saver.policy = policy
        self.loader.policy = policy

    def _set_keep_mtime(self, keep: bool) -> None:
        self.settings.keep_mtime = keep
        self.saver.keep_mtime = keep

    def edit_preferences(self) -> None:
        from editor.gui.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self, self.aids.default_code_file())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_preferences(save=True))
        dialog.open()

    def apply_preferences(self, save: bool = False) -> None:
        """Put ``self.settings``' preferences into effect (after the dialog, and at start)."""
        self.act_keep_mtime.setChecked(self.settings.keep_mtime)
        self.saver.iim_policy = iim_policy(self.settings)
        self.act_sidecar_fullname.setChecked(self.settings.sidecar_fullname)
        if save or self.settings.theme != "system":
            apply_theme(self.settings.theme)
        self.aids.apply(self.settings)
        if save:
            self._show_panel()  # lists re-joined with the separator
            self.store.save(self.settings)

    def show_shortcuts(self) -> None:
        sheet = self.findChild(ShortcutSheet) or ShortcutSheet(self)
        sheet.show()
        sheet.raise_()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.settings.recent_folders:
            action = self.recent_menu.addAction(folder.replace("&", "&&"))
            action.triggered.connect(lambda _c=False, f=folder: self.open_paths([Path(f)]))
        self.recent_menu.setEnabled(bool(self.settings.recent_folders))

    # ==========================================================================================
    # keeping the window in step with the library
    # ==========================================================================================
    def _library_changed(self, paths: Sequence[Path]) -> None:
        dialog = self._export_dialog
        if dialog is not None and hasattr(dialog, "values_changed"):
            dialog.values_changed(paths)  # its review list follows the edits
        if self._selected_set and not self._selected_set.isdisjoint(paths):
            if not self.saver.busy:
                self._show_panel()  # an edit, undo, reload: shown at once
            elif self._panel_timer.isActive():
                self._panel_dirty = True
            else:
                self._show_panel()
                self._panel_timer.start()
        shown = self.preview.path
        if shown is not None and shown in paths and (item := self.library.get(shown)):
            self.preview.set_record(item.record)
        self._schedule_refresh()

    def _panel_throttled(self) -> None:
        if self._panel_dirty:
            self._panel_dirty = False
            self._show_panel()
            self._panel_timer.start()

    def _schedule_refresh(self, *_args: object) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh(self) -> None:
        # The library keeps these answers up to date as photos change: with thousands of
        # photos loading, scanning them here every 30 ms stalled the window.
        lib = self.library
        self._update_title()
        self._update_actions()
        vocabulary = lib.keyword_vocabulary()
        if vocabulary != self._vocabulary_shown:
            self._vocabulary_shown = vocabulary
            self.panel.set_keyword_completions(vocabulary)
        total = len(lib)
        shown = self.proxy.rowCount()
        parts = [f"{total} photo{'s' if total != 1 else ''}"]
        if shown != total:
            parts.insert(0, f"{shown} of")
        if lib.unsaved_count:
            parts.append(f"· {lib.unsaved_count} unsaved")
        if lib.loading_count:
            parts.append(f"· reading {lib.loading_count}…")
        self.counts.setText(" ".join(parts) if total else "")

    def reload_folders(self) -> None:
        """F5: look at the open folders now (new, removed, renamed photos) and re-check every
        photo's file (changed elsewhere: reloaded when clean, flagged when edited)."""
        self.folders.rescan(now=True)
        self.watch.recheck(self.library.paths)
        self.statusBar().showMessage("Reloading the folder…", 3000)

    def _file_renamed(self, old: Path, new: Path) -> None:
        self.watch.rewatch(new)
        self.thumbnails.request([new])
        if self.preview.path == old or old in self._selected_set:
            self._show_selection()
        self.statusBar().showMessage(f"{old.name} was renamed {new.name}", 8000)

    def _file_reloaded(self, path: Path) -> None:
        self.thumbnails.invalidate(path)
        if self.preview.path == path:
            self.preview.reload()
        self.statusBar().showMessage(f"{path.name} changed on disk and was reloaded.", 5000)

    def _update_title(self) -> None:
        name = self._title_name
        if name and len(self.roots) > 1:
            name += f" + {len(self.roots) - 1} more"
        self.setWindowTitle(f"PhotoCaption — {name}[*]" if name else "PhotoCaption[*]")
        self.setWindowModified(self.library.has_unsaved)

    def _update_actions(self) -> None:
        """Enable what applies."""
        lib = self.library
        has_sel = bool(self._selected)
        selected_dirty = any(lib.is_dirty(p) for p in self._selected)
        self.act_save.setEnabled(lib.has_unsaved)
        self.act_save_selected.setEnabled(selected_dirty)
        self.act_revert.setEnabled(selected_dirty if self._selected else lib.has_unsaved)
        self.act_copy_md.setEnabled(has_sel)
        self.act_paste_md.setEnabled(self._copied is not None and has_sel)
        self.act_export.setEnabled(len(lib) > 0)
        self.act_publish.setEnabled(len(lib) > 0)

    # ==========================================================================================
    # messages
    # ==========================================================================================
    def show_message(self, text: str) -> None:
        """A problem worth reading: shown in the status bar, never as a modal dialog."""
        log.info("%s", text)
        self.statusBar().showMessage(text, 12000)

    def show_error(self, text: str) -> None:
        """An unexpected error: a non-modal box (one at a time), plus the status bar."""
        self.show_message(text)
        if self._error_box is None:
            box = QMessageBox(QMessageBox.Icon.Warning, "PhotoCaption", text, parent=self)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _r: setattr(self, "_error_box", None))
            self._error_box = box
            box.show()
        else:
            self._error_box.setText(text)
