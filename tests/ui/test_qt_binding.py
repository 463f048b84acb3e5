"""Guards against binding bugs that would crash a long session rather than fail a quick test."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication

from closer_desktop.ui.launch import create_app


def test_painting_does_not_consume_references_to_none() -> None:
    """PySide6 6.12.0 lost a reference to None per QPainter call: fatal on Python 3.11."""
    assert isinstance(create_app(), QApplication)
    image = QImage(64, 32, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.setPen(QPen(QColor("red"), 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("blue"))
        painter.drawRect(QRectF(0, 0, 5, 5))
        painter.drawRoundedRect(QRectF(0, 0, 5, 5), 2, 2)
        painter.drawLine(1, 2, 3, 4)
        painter.drawText(1, 20, "-6")
    after = sys.getrefcount(None)
    painter.end()
    assert after - before > -100, f"None lost {before - after} references in 3500 QPainter calls"
