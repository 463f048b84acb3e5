"""The practice page's list of takes shows each take whole at 800x600 (issue 19: no text cut):
Qt sized an item by its unwrapped lines, so a first line that wrapped in the narrow side panel
pushed the ratings line out of the item, painted as "11:44…" (ui/widgets/wrapped_items.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from closer_desktop.ui.design import SPACE_XS
from closer_desktop.ui.main_window import MainWindow
from tests.e2e.test_desktop_app import library_with_a_take, wait_for_take
from tests.ui.practice.test_practice_layout import styled


def test_each_take_is_as_tall_as_its_wrapped_lines_at_800x600(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_a_take(data_dir)
    window: MainWindow = styled(open_window(data_dir))
    window.resize(800, 600)
    wait_for_take(qtbot, window)
    qtbot.wait(100)  # laid out at the new size
    takes = window.practice.take_list
    item = takes.item(0)
    text = item.text()
    assert "\n" in text  # the take's line over its ratings
    rect = takes.visualRect(takes.indexFromItem(item))
    metrics = takes.fontMetrics()
    # The text's lines at the text's width (the item's less its padding and margins).
    bound = QRect(0, 0, rect.width() - 16, 1 << 16)
    needed = metrics.boundingRect(bound, int(Qt.TextFlag.TextWordWrap), text).height()
    assert needed >= 3 * metrics.lineSpacing()  # the narrow panel does wrap it
    assert rect.height() >= needed + 2 * SPACE_XS, (text, rect.height(), needed)  # and padding
