"""The note under an IPTC-IIM field: its byte count near the limit, a warning past it."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from editor.core.codecs import iptc
from editor.core.fields import FIELD_BY_NAME, FieldKind
from editor.gui.panel.fields import warning_colour

_IIM_TEXT_KINDS = frozenset({FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.LIST})
# Below this many bytes the limit is a code's length (2:100 holds "FRA"): a count would be noise.
_SMALLEST_NOTED = 8


def wants_iim_note(name: str) -> bool:
    """Whether field ``name`` has an IIM text dataset with a byte limit worth counting."""
    spec = FIELD_BY_NAME[name]
    limit = iptc.iim_limit(name) if spec.iim else None
    return spec.kind in _IIM_TEXT_KINDS and limit is not None and limit >= _SMALLEST_NOTED


class IimNote(QLabel):
    """Shown when the typed text nears or passes the bytes IIM holds (the rest is cut there on
    save; XMP and EXIF keep it all)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_name = name
        self.setObjectName(f"iim_note_{name}")

    def refresh(self, value: object, shown: bool) -> None:
        """Show the note for ``value`` (str or tuple of str); ``shown`` False hides it (no photo,
        or the field shows "(multiple values)")."""
        limit = iptc.iim_limit(self.field_name)
        text, warn = "", False
        if shown and limit is not None:
            items = [str(v) for v in value] if isinstance(value, tuple) else [str(value or "")]
            sizes = [(iptc.iim_bytes(item), item) for item in items]
            over = [(n, item) for n, item in sizes if n > limit]
            if over:
                n, item = over[0]
                which = f"“{item[:20]}…” is" if isinstance(value, tuple) else "This is"
                text = (f"{which} {n} bytes; IPTC-IIM keeps {limit}, so readers of IIM (WordPress)"
                        " see it cut. XMP and EXIF keep it all.")
                warn = True
            elif sizes and max(n for n, _ in sizes) >= 0.8 * limit:
                text = f"{max(n for n, _ in sizes)} of {limit} bytes that IPTC-IIM holds"
        self.setText(text)
        set_note_colour(self, warn)
        self.setVisible(bool(text))


def set_note_colour(label: QLabel, warn: bool) -> None:
    """Amber for a problem, the placeholder grey for information."""
    pal = label.palette()
    parent = label.parentWidget() or label
    colour = (
        warning_colour(parent.palette())
        if warn
        else parent.palette().color(QPalette.ColorRole.PlaceholderText)
    )
    if pal.color(QPalette.ColorRole.WindowText) != colour:  # refreshed on every keystroke's echo
        pal.setColor(QPalette.ColorRole.WindowText, colour)
        label.setPalette(pal)
