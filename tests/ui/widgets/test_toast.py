"""Messages are a toast over the page: nothing moves when one shows, errors wait to be dismissed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.toast import Toast


def geometries(window: MainWindow) -> list[tuple[str, QRect]]:
    """Where the pages and every widget on the current page are, in window coordinates."""
    page = window.pages.currentWidget()
    assert page is not None
    widgets = [window.pages, page, *page.findChildren(QWidget)]
    return [
        (w.objectName() or type(w).__name__, QRect(w.mapTo(window, w.rect().topLeft()), w.size()))
        for w in widgets
        if w.isVisible()
    ]


def test_toast_does_not_move_the_page(open_window: Any, tmp_path: Path, qtbot: QtBot) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    qtbot.wait(100)  # layouts settled
    before = geometries(window)
    window.show_message("warning", "The microphone is quiet. " * 6)
    qtbot.wait(100)  # a message in the layout would have pushed the page down by now
    assert window.toast.isVisible()
    assert window.message_label.isVisible()
    assert geometries(window) == before
    # Over the page, at the bottom centre, inside the window.
    toast = window.toast.geometry()
    central = window.centralWidget()
    assert central is not None
    host = central.rect()
    assert host.contains(toast)
    assert abs(toast.center().x() - host.center().x()) <= 1
    assert toast.bottom() > host.height() * 2 // 3
    window.toast.dismiss()
    qtbot.wait(100)
    assert geometries(window) == before


def test_toast_action_and_timeout(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(800, 600)
    host.show()
    toast = Toast(host)
    undone: list[bool] = []
    toast.show_message("info", "Take discarded.", ("Undo", lambda: undone.append(True)), 200)
    assert toast.action_button.isVisible()
    assert toast.action_button.text() == "Undo"
    toast.action_button.click()
    assert undone == [True]
    assert not toast.isVisible()
    toast.show_message("info", "Saved.", timeout_ms=100)
    assert not toast.action_button.isVisible()
    qtbot.waitUntil(lambda: not toast.isVisible(), timeout=2000)
    host.resize(600, 400)  # follows its host
    toast.show_message("info", "Saved.")
    assert toast.geometry().bottom() < 400


def test_errors_stay_until_dismissed(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(800, 600)
    host.show()
    toast = Toast(host)
    toast.show_message("error", "The export failed: disk full.", timeout_ms=50)
    qtbot.wait(200)
    assert toast.isVisible()
    assert toast.label.property("level") == "error"
    toast.close_button.click()
    assert not toast.isVisible()
