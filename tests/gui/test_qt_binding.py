"""Guard against a Qt binding that corrupts the interpreter (PySide6 6.12.0 on Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    # PySide6 6.12.0 released one reference to None for every call that returns nothing; on
    # Python 3.11, where None is not immortal, the app then aborts with "deallocating None".
    label = QLabel()
    qtbot.addWidget(label)
    path = QPainterPath()
    before = sys.getrefcount(None)
    for i in range(500):
        label.setText(str(i))
        path.lineTo(float(i), 0.0)
    assert sys.getrefcount(None) - before > -50
