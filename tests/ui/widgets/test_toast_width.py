"""A toast is as wide as its message on one line (issue 19): a short one was wrapped onto three
or four lines, because the width came from the wrapping label's guess; a long one wraps at
HOST_SHARE of the window, at most MAX_WIDTH, and shows all of its text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.ui.design import style_sheet
from closer_desktop.ui.widgets.toast import HOST_SHARE, MAX_WIDTH, Toast

LONG = (
    "The take could not be kept: the library's folder is on a disk that is full; free some "
    "room or move the library in Settings, then record it again."
)


HOSTS: list[QWidget] = []  # kept alive until the test's end (qtbot holds them weakly)


def shown(qtbot: QtBot, width: int, text: str, theme: str = "light") -> Toast:
    host = QWidget()
    HOSTS.append(host)
    host.setStyleSheet(style_sheet(theme))  # the paddings and fonts the app gives toasts
    qtbot.addWidget(host)
    host.resize(width, 600)
    host.show()
    qtbot.waitExposed(host)
    toast = Toast(host)
    toast.show_message("info", text, ("Undo", lambda: None))
    QApplication.processEvents()
    return toast


@pytest.fixture(autouse=True)
def _hosts() -> Iterator[None]:
    yield
    HOSTS.clear()


def lines(toast: Toast) -> int:
    """How many lines the label wraps its text into at its width (its padding aside)."""
    label = toast.label
    one = label.heightForWidth(100_000)
    padding = one - label.fontMetrics().lineSpacing()
    return round((label.heightForWidth(label.width()) - padding) / (one - padding))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 800])
def test_a_short_message_is_one_line(qtbot: QtBot, width: int, theme: str) -> None:
    toast = shown(qtbot, width, "Professionalism changed 3 → 5.", theme)
    assert toast.action_button.isVisible()
    assert lines(toast) == 1, toast.geometry()
    assert toast.label.height() < toast.label.heightForWidth(100_000) + 4
    assert toast.width() < MAX_WIDTH  # as wide as it needs, not as wide as it may be


@pytest.mark.parametrize("width", [1280, 800])
def test_a_long_message_wraps_at_a_readable_width_and_shows_all(qtbot: QtBot, width: int) -> None:
    toast = shown(qtbot, width, LONG)
    assert toast.width() <= min(MAX_WIDTH, int(width * HOST_SHARE))
    assert toast.width() >= min(MAX_WIDTH, int(width * HOST_SHARE)) - 1  # it uses the room
    assert lines(toast) >= 2
    label = toast.label
    assert label.height() >= label.heightForWidth(label.width())  # none of it cut
    host = toast.parentWidget()
    assert host is not None and host.rect().contains(toast.geometry())
