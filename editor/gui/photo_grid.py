"""The thumbnail grid: a QListView in icon mode, file and folder drops, visible-row tracking."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QWidget

from editor.gui.photo_model import STORY_MIME, PhotoFilterModel, Role
from editor.gui.thumbnail_delegate import PAD, ThumbnailDelegate, cell_size
from editor.gui.thumbnailer import Thumbnailer


def paths_from_mime(mime: QMimeData) -> list[Path]:
    """Local paths named by a drag's ``text/uri-list``; other URLs are ignored."""
    urls = mime.urls() if mime.hasUrls() else []
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


LATE_LAYOUT_MS = 200  # rows inserted below the screen are laid out at most this late,
QUIET_LAYOUT_MS = 100  # or once none has come for this long (a folder has finished loading)


class PhotoGrid(QListView):
    """Shows the proxy model as cards; tells the thumbnailer which rows are on screen."""

    pathsDropped = Signal(list)  # list[Path]
    toggleFullView = Signal()
    ratingRequested = Signal(int)  # 0-5 typed in the grid: rate the selected photos
    storyMoveRequested = Signal(list, object)  # (list[Path], Path | None: put before it)

    def __init__(
        self, proxy: PhotoFilterModel, thumbnails: Thumbnailer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self._thumbs = thumbnails
        self._visible_range = range(0)  # proxy rows on screen at the last visibility update
        self._repaint_rows: set[int] = set()
        self._repaint_timer = QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.setInterval(0)
        self._repaint_timer.timeout.connect(self._repaint_changed)
        # Rows inserted below the screen: laid out once inserts pause for QUIET_LAYOUT_MS, and
        # at most LATE_LAYOUT_MS after the first of them (see rowsInserted).
        self._late_layout = QTimer(self)
        self._late_layout.setSingleShot(True)
        self._late_layout.setInterval(LATE_LAYOUT_MS)
        self._late_layout.timeout.connect(self._lay_out_late_rows)
        self._quiet_layout = QTimer(self)
        self._quiet_layout.setSingleShot(True)
        self._quiet_layout.setInterval(QUIET_LAYOUT_MS)
        self._quiet_layout.timeout.connect(self._lay_out_late_rows)
        self._deferred_region = QRegion()  # cells the last paint left for the next
        self._drop_line: QRect | None = None  # the story drag's insertion mark
        self._deferred_timer = QTimer(self)
        self._deferred_timer.setSingleShot(True)
        self._deferred_timer.setInterval(0)
        self._deferred_timer.timeout.connect(self._paint_deferred)
        self.setObjectName("photoGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setDragEnabled(False)  # on in story order only (set_reorderable)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setSpacing(0)
        self._delegate = ThumbnailDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setModel(proxy)

        # Which rows are on screen changes on scroll, resize, sort, filter and new rows; settle
        # for a moment before asking for sharp thumbnails, so a fast scroll does not queue all.
        self._visible_timer = QTimer(self)
        self._visible_timer.setSingleShot(True)
        self._visible_timer.setInterval(60)
        self._visible_timer.timeout.connect(self._update_visible)
        self.verticalScrollBar().valueChanged.connect(self.schedule_visible_update)
        for sig in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset):
            sig.connect(self.schedule_visible_update)
        self.doubleClicked.connect(lambda _index: self.toggleFullView.emit())
        self._wanted_size = self._delegate.thumb_size
        self.set_thumb_size(self._delegate.thumb_size)

    # -- size --------------------------------------------------------------------------------
    @property
    def thumb_size(self) -> int:
        """The thumbnail size asked for (the slider's); cells are fitted around it."""
        return self._wanted_size

    def set_thumb_size(self, px: int) -> None:
        self._wanted_size = px
        self.setIconSize(QSize(px, px))
        self._fit_columns()
        self.schedule_visible_update()

    def _fit_columns(self) -> None:
        """As many columns as fit, sharing the width between them: widening the pane adds a
        column or widens the cells, never leaves a strip of empty space on the right. The
        scroll bar's width is always set aside, so it coming and going cannot change the
        columns and lay the grid out again and again."""
        base = cell_size(self._wanted_size, self.font())
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        available = self.contentsRect().width() - bar - 1  # Qt wraps a row that fills it exactly
        # The nearest whole number of columns: over half a cell of room adds a column (cells
        # a little smaller than asked), less widens the cells; the width is always used.
        columns = max(1, round(available / base.width()))
        width = max(2 * PAD + 48, available // columns)
        thumb = width - 2 * PAD
        cell = cell_size(thumb, self.font())
        cell.setWidth(width)
        if thumb != self._delegate.thumb_size or cell != self.gridSize():
            self._delegate.thumb_size = thumb
            self.setGridSize(cell)
        # The disk cache's smallest sharp-enough entry is read (the 256 px one at most sizes).
        self._thumbs.view_px = round(thumb * self.devicePixelRatioF())

    # -- which rows are on screen ------------------------------------------------------------
    def schedule_visible_update(self) -> None:
        rows = self._proxy.rowCount()
        shown = self._visible_range
        filling = (
            shown.start == 0 and self.verticalOffset() == 0
            and shown.stop < self._screen_stop() and rows > shown.stop
        )
        if rows and (not shown or filling):
            # The first screenful, or new rows filling its empty places: no reason to wait
            # (the thumbnailer fetches what is on screen first; 60 ms late, those photos
            # waited behind the whole folder). Scrolls still settle first.
            self._update_visible()
        elif not self._visible_timer.isActive():
            self._visible_timer.start()

    def visible_rows(self) -> range:
        """Proxy rows intersecting the viewport, from the uniform grid's geometry.

        Computed rather than asked of the layout, which Qt does in batches after rows arrive:
        the first screenful is known the moment its rows are in the model.
        """
        n = self._proxy.rowCount()
        grid = self.gridSize()
        if n == 0 or grid.width() <= 0 or grid.height() <= 0:
            return range(0)
        viewport = self.viewport()
        columns = max(1, viewport.width() // grid.width())
        top = max(0, self.verticalOffset())
        first = top // grid.height() * columns
        last_line = (top + max(1, viewport.height()) - 1) // grid.height()
        return range(min(first, n), min(n, (last_line + 1) * columns))

    def _screen_stop(self) -> int:
        """The row after the last place on screen, whether or not a row is there yet."""
        grid = self.gridSize()
        if grid.width() <= 0 or grid.height() <= 0:
            return 1 << 62
        viewport = self.viewport()
        columns = max(1, viewport.width() // grid.width())
        top = max(0, self.verticalOffset())
        return ((top + max(1, viewport.height()) - 1) // grid.height() + 1) * columns

    def visible_paths(self) -> list[Path]:
        out = []
        for row in self.visible_rows():
            path = self._proxy.index(row, 0).data(Role.PATH)
            if isinstance(path, Path):
                out.append(path)
        return out

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,
        bottomRight: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        super().dataChanged(topLeft, bottomRight, roles)
        # Qt skips repainting a changed cell while a layout is pending ("updated later
        # anyway"); while a large folder streams in, rows arrive every pass and the layout
        # stays pending, so thumbnails on screen were not painted until loading ended.
        # Repaint them once per pass: the first visualRect places pending rows, once.
        visible = self._visible_range
        rows = range(max(topLeft.row(), visible.start), min(bottomRight.row() + 1, visible.stop))
        if rows:
            self._repaint_rows.update(rows)
            if not self._repaint_timer.isActive():
                self._repaint_timer.start()

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int,
                     end: int) -> None:
        """As QListView's, but the cells' places are kept until the new layout is made.

        QListView forgets every cell's place on an insert, and its batched layout places them
        again a pass or more later: paints in between drew an empty grid (measured: 5 blank
        frames in the first 0.3 s of a 1,000-photo folder, the first screenful a pass late).
        The grid is uniform, so row k's place does not move when rows are inserted; rows past
        the old end are drawn once laid out."""
        if start >= self._screen_stop():
            # Below the screen: nothing on screen moves. Each layout repaints the whole
            # viewport, and a folder streaming in inserts rows every pass (5,000 photos: 38
            # full repaints of 8-27 ms in the first second); these wait and are laid out
            # together: QUIET_LAYOUT_MS after the last, at most LATE_LAYOUT_MS after the first
            # (the scroll bar grows in steps while a folder streams in).
            if not self._late_layout.isActive():
                self._late_layout.start()
            self._quiet_layout.start()
        else:
            self._lay_out_late_rows()
        QAbstractItemView.rowsInserted(self, parent, start, end)

    def _lay_out_late_rows(self) -> None:
        self._late_layout.stop()
        self._quiet_layout.stop()
        self.scheduleDelayedItemsLayout()

    def _lay_out_now(self) -> None:
        """Rows waiting for a late layout are laid out before the view moves to a row."""
        if self._late_layout.isActive():
            self._lay_out_late_rows()
            self.executeDelayedItemsLayout()

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
                 ) -> None:
        self._lay_out_now()  # End, selecting a photo by code, ...
        super().scrollTo(index, hint)

    def scrollToBottom(self) -> None:
        self._lay_out_now()
        super().scrollToBottom()

    def _repaint_changed(self) -> None:
        rows, self._repaint_rows = self._repaint_rows, set()
        for row in rows:
            if row < self._proxy.rowCount():
                self.viewport().update(self.visualRect(self._proxy.index(row, 0)))

    def _update_visible(self) -> None:
        self._visible_range = self.visible_rows()
        self._thumbs.show(self.visible_paths())

    def paintEvent(self, event: QPaintEvent) -> None:
        self._delegate.begin_frame()
        super().paintEvent(event)
        if self._drop_line is not None:  # where a story drag would land
            painter = QPainter(self.viewport())
            painter.fillRect(self._drop_line, self.palette().color(QPalette.ColorRole.Highlight))
            painter.end()
        for rect in self._delegate.take_deferred():
            self._deferred_region += rect
        if not self._deferred_region.isEmpty() and not self._deferred_timer.isActive():
            self._deferred_timer.start()

    def _paint_deferred(self) -> None:
        region, self._deferred_region = self._deferred_region, QRegion()
        self.viewport().update(region)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()
        self.schedule_visible_update()

    # -- keyboard ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.toggleFullView.emit()
            return
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not mods and Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_5:
            # Rating keys, as in every photo browser (not a jump to a name starting with 3).
            self.ratingRequested.emit(int(event.key() - Qt.Key.Key_0))
            return
        super().keyPressEvent(event)

    def select_path(self, path: Path) -> None:
        index = self._proxy.index_of(path)
        if index.isValid():
            self.select_index(index)

    def select_index(self, index: QModelIndex) -> None:
        sm = self.selectionModel()
        sm.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Current,
        )
        self.scrollTo(index)

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) photo in view order."""
        n = self._proxy.rowCount()
        if n == 0:
            return
        current = self.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        self.select_index(self._proxy.index(max(0, min(n - 1, row)), 0))

    # -- drag and drop -----------------------------------------------------------------------
    def set_reorderable(self, on: bool) -> None:
        """Photos can be dragged to a new place (the grid is in story order)."""
        self.setDragEnabled(on)
        self.setDropIndicatorShown(on)

    def _story_drag(self, mime: QMimeData) -> bool:
        return self.dragEnabled() and mime.hasFormat(STORY_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._story_drag(event.mimeData()):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        elif event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._story_drag(event.mimeData()):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self._show_drop_line(event.position().toPoint())
        elif event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def _show_drop_line(self, pos: QPoint | None) -> None:
        line = None
        n = self._proxy.rowCount()
        if pos is not None and n:
            index = self.indexAt(pos)
            if index.isValid():
                rect = self.visualRect(index)
                x = rect.right() if pos.x() > rect.center().x() else rect.left()
            else:
                rect = self.visualRect(self._proxy.index(n - 1, 0))
                x = rect.right()
            line = QRect(x - 1, rect.top() + 4, 3, max(8, rect.height() - 8))
        if line != self._drop_line:
            for old in (self._drop_line, line):
                if old is not None:
                    self.viewport().update(old.adjusted(-2, -2, 2, 2))
            self._drop_line = line

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._show_drop_line(None)
        super().dragLeaveEvent(event)

    def drop_target(self, pos: QPoint) -> Path | None:
        """The photo a drop at ``pos`` goes before: the cell under it (its right half: the next
        one); None past the last photo."""
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        row = index.row()
        if pos.x() > self.visualRect(index).center().x():
            row += 1
        return self._proxy.path_at(self._proxy.index(row, 0)) if row < self._proxy.rowCount() \
            else None

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        self._show_drop_line(None)
        if self._story_drag(mime):
            raw = bytes(mime.data(STORY_MIME).data()).decode("utf-8")
            moving = [Path(line) for line in raw.splitlines() if line]
            # Accept as a copy: a MoveAction would make Qt remove the "moved" rows itself.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if moving:
                self.storyMoveRequested.emit(moving, self.drop_target(event.position().toPoint()))
            return
        paths = paths_from_mime(mime)
        if paths:
            event.acceptProposedAction()
            self.pathsDropped.emit(paths)
        else:
            event.ignore()
