"""A toast never covers the page's buttons (the bottom row's Next, Previous, Compare…): it sits
above them, over the page, still moving nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.toast import Toast


def covered_buttons(toast: Toast, host: QWidget) -> list[str]:
    area = toast.geometry()
    found = []
    for button in host.findChildren(QAbstractButton):
        if not button.isVisible() or toast.isAncestorOf(button):
            continue
        shown = button.visibleRegion().boundingRect()
        where = shown.translated(button.mapTo(host, QPoint(0, 0)))
        if not shown.isEmpty() and where.intersects(area):
            found.append(button.text() or button.accessibleName())
    return found


def test_a_toast_sits_above_a_button_at_the_bottom(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(800, 600)
    button = QPushButton("Practise the weakest two", host)
    button.setGeometry(300, 550, 200, 36)
    host.show()
    toast = Toast(host)
    toast.show_message("info", "Take 2 discarded.", ("Undo", lambda: None))
    assert toast.isVisible()
    assert not covered_buttons(toast, host)
    assert toast.geometry().bottom() < button.geometry().top()
    assert toast.geometry().bottom() > 400, "still at the bottom, just above the row"
    button.hide()
    toast.place()
    assert toast.geometry().bottom() > button.geometry().top(), "the room is used when free"


def test_on_every_page_the_bottom_buttons_stay_uncovered(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=10_000)
    central = window.centralWidget()
    assert central is not None
    for size in ((784, 544), (1200, 720)):
        window.resize(*size)
        for show in (window.show_practice, window.show_history, window.show_progress):
            show()
            qtbot.wait(50)
            window.show_message("warning", "The microphone is quiet: move closer. " * 3)
            qtbot.wait(20)
            assert window.toast.isVisible()
            assert not covered_buttons(window.toast, central), (size, show.__name__)
            assert central.rect().contains(window.toast.geometry())
            window.toast.dismiss()
    assert isinstance(window.toast.geometry(), QRect)
