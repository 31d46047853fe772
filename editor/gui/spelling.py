"""Spell checking while typing in the panel's prose fields.

Misspelt words are underlined with a wavy line: a QSyntaxHighlighter on QPlainTextEdit fields,
and for QLineEdit fields (which have no highlighter) a line painted over the field after it
paints itself, placed from the field's cursor rectangle. Right-click on an underlined word
offers suggestions and "Add to Dictionary" above the field's usual menu.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QPainter,
    QPen,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from editor.core.errors import PhotoCaptionError
from editor.core.spelling import Speller, word_at
from editor.gui.workers import WorkerPool

CHECKED_FIELDS = ("caption", "title", "headline", "alt_text", "extended_description")
UNDERLINE = QColor("#e0322b")


class SpellHighlighter(QSyntaxHighlighter):
    def __init__(
        self, document: QTextDocument, speller: Speller, need: Callable[[], None]
    ) -> None:
        super().__init__(document)
        self._speller = speller
        self._need = need  # asks for the dictionary (loaded off the GUI thread)
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(UNDERLINE)

    def highlightBlock(self, text: str) -> None:
        if not text:
            return
        if not self._speller.ready:
            self._need()
            return
        for start, end in self._speller.misspelt(text):
            self.setFormat(start, end - start, self._format)


def _wavy(painter: QPainter, x0: float, x1: float, y: float) -> None:
    points = []
    x, up = x0, True
    while x < x1:
        points.append(QPointF(x, y - (1.5 if up else 0.0)))
        x += 2.0
        up = not up
    points.append(QPointF(x1, y - (1.5 if up else 0.0)))
    painter.drawPolyline(points)


class SpellChecking(QObject):
    """Installs spell checking on fields and answers for them: spans, menus, the dictionary."""

    dictionaryChanged = Signal()

    def __init__(self, speller: Speller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speller = speller
        self._highlighters: list[SpellHighlighter] = []
        self._lines: list[QLineEdit] = []
        self._viewports: dict[QObject, QPlainTextEdit] = {}
        self.fields: list[QWidget] = []  # the fields it checks
        self._pool = WorkerPool(1, "spelling", self)
        self._loading = ""  # the language being loaded on the pool

    # --- the dictionary -----------------------------------------------------------------------
    def load(self) -> None:
        """Load the speller's dictionary on a worker thread unless it is there or coming."""
        speller = self.speller
        if speller.ready or self._loading == speller.language:
            return
        language = self._loading = speller.language
        self._pool.submit(
            Speller.build, language, on_done=lambda d, lang=language: self._loaded(lang, d)
        )

    def _loaded(self, language: str, dictionary: object) -> None:
        if self._loading == language:
            self._loading = ""
        if self.speller.set_dictionary(language, dictionary):
            self.recheck()
            self.dictionaryChanged.emit()
        else:
            self.load()  # the language changed while this one loaded

    def close(self) -> None:
        self._pool.shutdown()

    # --- installing ---------------------------------------------------------------------------
    def install(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            self.fields.append(widget)
        if isinstance(widget, QPlainTextEdit):
            self._highlighters.append(SpellHighlighter(widget.document(), self.speller, self.load))
            self._viewports[widget.viewport()] = widget
            widget.viewport().installEventFilter(self)
        elif isinstance(widget, QLineEdit):
            self._lines.append(widget)
            widget.installEventFilter(self)

    def install_on_panel(self, panel: QWidget) -> int:
        count = 0
        for name in CHECKED_FIELDS:
            widget = panel.findChild(QWidget, f"field_{name}")
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                self.install(widget)
                count += 1
        return count

    def recheck(self) -> None:
        """After the language, the personal list or the extra words changed."""
        for highlighter in self._highlighters:
            highlighter.rehighlight()
        for line in self._lines:
            line.update()

    # --- the menu -----------------------------------------------------------------------------
    def menu_for(self, widget: QWidget, pos: QPoint) -> QMenu:
        """The context menu at ``pos`` (widget coordinates; a text edit's viewport's)."""
        if isinstance(widget, QPlainTextEdit):
            menu = widget.createStandardContextMenu(pos)
            cursor = widget.cursorForPosition(pos)
            block = cursor.block()
            found = word_at(block.text(), cursor.positionInBlock())
            offset = block.position()
        else:
            assert isinstance(widget, QLineEdit)
            menu = widget.createStandardContextMenu()
            found = word_at(widget.text(), widget.cursorPositionAt(pos))
            offset = 0
        menu.setParent(widget, menu.windowFlags())
        if found is None or widget.property("readOnly") or self.speller.is_correct(found[2]):
            return menu
        start, end, word = found
        first = menu.actions()[0] if menu.actions() else None
        items: list[QAction] = []
        suggestions = self.speller.suggestions(word)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = QFont(action.font())
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(
                lambda _c=False, s=suggestion: self.replace(widget, offset + start, offset + end, s)
            )
            items.append(action)
        if not suggestions:
            none = QAction("No suggestions", menu)
            none.setEnabled(False)
            items.append(none)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.setObjectName("addToDictionary")
        add.triggered.connect(lambda _c=False: self.add_word(word))
        items.append(add)
        separator = QAction(menu)
        separator.setSeparator(True)
        items.append(separator)
        menu.insertActions(first, items)  # type: ignore[arg-type]
        return menu

    def replace(self, widget: QWidget, start: int, end: int, text: str) -> None:
        """Replace ``start:end`` as a user edit (the field reports it; undo merges it)."""
        if isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(text)
            widget.setTextCursor(cursor)
        elif isinstance(widget, QLineEdit):
            widget.setSelection(start, end - start)
            widget.insert(text)

    def add_word(self, word: str) -> None:
        try:
            self.speller.add_word(word)
        except PhotoCaptionError as err:  # kept for the session; the user is told why not after
            QMessageBox.warning(QApplication.activeWindow(), "Add to Dictionary", str(err))
        self.recheck()
        self.dictionaryChanged.emit()

    # --- events -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            widget = self._viewports.get(watched, watched)
            assert isinstance(widget, QWidget)
            menu = self.menu_for(widget, event.pos())
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(event.globalPos())
            return True
        if kind == QEvent.Type.Paint and isinstance(watched, QLineEdit):
            watched.event(event)  # the field paints itself first, then the underlines go on top
            self._underline(watched)
            return True
        return False

    def _underline(self, line: QLineEdit) -> None:
        text = line.displayText()
        if not text or line.echoMode() is not QLineEdit.EchoMode.Normal:
            return
        if not self.speller.ready:
            self.load()
            return
        spans = self.speller.misspelt(text)
        if not spans:
            return
        # Where each character is drawn: QTextLayout knows kerning and right-to-left text;
        # the cursor rectangle says where the field put the text (margins, scrolling).
        layout = QTextLayout(text, line.font())
        layout.beginLayout()
        text_line = layout.createLine()
        text_line.setLineWidth(1e6)
        layout.endLayout()
        cursor = line.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).toRectF()
        origin = cursor.center().x() - text_line.cursorToX(line.cursorPosition())[0]
        y = cursor.bottom() - 1.0
        painter = QPainter(line)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(line.contentsRect())
        pen = QPen(UNDERLINE)
        pen.setWidthF(1.0)
        painter.setPen(pen)
        for start, end in spans:
            a = origin + text_line.cursorToX(start)[0]
            b = origin + text_line.cursorToX(end)[0]
            _wavy(painter, min(a, b), max(a, b), y)
        painter.end()
