"""Progress's "By heart" table, in the real window: a take said once the hints had shown the whole
line counts as read, and its line match says so, so that "100 %" beside "not yet" explains itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from closer_desktop.domain.recall import WHOLE_LINE
from closer_desktop.storage.library import Library
from tests.support.line_library import DECK, NEXT_STEPS, START, record
from tests.ui.progress.test_by_heart import open_by_heart


def test_a_take_read_off_the_hints_is_not_by_heart(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    line = "What are the next steps in the hiring process?"
    record(library, session, NEXT_STEPS, line, 1, "memory")
    read = record(library, session, NEXT_STEPS, line, 2, "memory")
    library.set_hint_level(read.id, WHOLE_LINE)
    library.close()
    view = open_by_heart(qtbot, open_window, data_dir)
    table = view.by_heart_table
    assert view.by_heart_stack.currentWidget() is table
    cells = [table.item(0, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
    assert cells == [NEXT_STEPS.text, "1 of 2 takes", "100 % · 100 % read", "not yet"]
    assert "whole line" in table.toolTip()
