"""History's "Line" column and its filter (issue 18), in the real window on a real library:
each take's line match as a percent, "different question" for another question entirely, and
"Line under 80 %" narrowing the list to the lines not yet by heart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.domain.delivery import Verdict
from closer_desktop.ui.history.view import CHIP_ROLE, LINE_COLUMN
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.view import reveal_take
from tests.support.line_library import DECK, NEXT_STEPS, line_library, said_metrics


def test_the_line_column_and_the_filter(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    ids = line_library(data_dir)
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history
    model = history.model
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=5000)
    header = model.headerData(LINE_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert header == "Line\nmatch"
    shown = {model.takes[row].id: model.index(row, LINE_COLUMN).data() for row in range(6)}
    assert shown == {
        ids["untranscribed"]: None,  # no transcript: no check
        ids["other"]: "different question",
        ids["perfect"]: "100 %",
        ids["keyless"]: "75 %",
        ids["weak"]: "50 %",
        ids["read"]: "100 %",
    }
    rows = {model.takes[row].id: row for row in range(6)}
    chip = model.index(rows[ids["keyless"]], LINE_COLUMN).data(CHIP_ROLE)
    assert chip is Verdict.WATCH  # a key missed: a chip, not yet by heart
    assert model.index(rows[ids["other"]], LINE_COLUMN).data(CHIP_ROLE) is Verdict.WORK
    assert model.index(rows[ids["perfect"]], LINE_COLUMN).data(CHIP_ROLE) is None
    tip = model.index(rows[ids["keyless"]], LINE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "75 %" in tip and "1 key phrase left out" in tip and "from memory" in tip

    assert history.line_weak.text() == "line match under 80 %"
    history.line_weak.setChecked(True)
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    assert {t.id for t in model.takes} == {ids["weak"], ids["keyless"], ids["other"]}
    assert history.count_label.text() == "3 takes"
    # Opening a take from Progress clears this filter too: a line said perfectly is found.
    reveal_take(history, DECK.id, NEXT_STEPS.id, ids["perfect"])
    assert not history.line_weak.isChecked()
    qtbot.waitUntil(lambda: ids["perfect"] in {t.id for t in model.takes}, timeout=5000)

    # A take analysed while History is open gets its figure at once (metrics_ready).
    row = next(r for r in range(model.rowCount()) if model.takes[r].id == ids["weak"])
    model.metrics_arrived(ids["weak"], said_metrics("x") | {"line_match": {"score": 0.9}})
    assert model.index(row, LINE_COLUMN).data() == "90 %"
