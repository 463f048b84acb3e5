"""Closer's style underlines mnemonics only while Alt is held: pressing Alt must redraw the window
so the underlines appear on screen, and letting it go must redraw it so they go. (A widget grab
paints afresh and would show them either way: this reads what the window shows.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.ui.launch import create_app
from closer_desktop.ui.theme import apply_theme


def on_screen(host: QWidget, widget: QWidget) -> QImage:
    screen = QApplication.primaryScreen()
    return screen.grabWindow(host.winId()).toImage().copy(widget.geometry())


def test_holding_alt_shows_the_underlines_and_letting_go_hides_them(qtbot: QtBot) -> None:
    apply_theme(create_app(), "light")
    host = QWidget()
    qtbot.addWidget(host)
    button = QPushButton("&Move library…", host)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus ring to tell the images apart
    button.setFixedSize(160, 32)
    host.resize(200, 60)
    host.show()
    qtbot.waitExposed(host)
    qtbot.wait(50)
    plain = on_screen(host, button)
    QTest.keyPress(host, Qt.Key.Key_Alt, Qt.KeyboardModifier.AltModifier)
    try:
        qtbot.waitUntil(lambda: on_screen(host, button) != plain, timeout=2000)
        painted = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        assert on_screen(host, button) == painted, "the underline, as a fresh paint draws it"
    finally:
        QTest.keyRelease(host, Qt.Key.Key_Alt)
    qtbot.waitUntil(lambda: on_screen(host, button) == plain, timeout=2000)
