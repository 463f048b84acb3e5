"""Compare shows a question's text and a take's note as written: they are the user's words, so
'<b>', '<' and '&' in them are text, not markup (the title and the panels are rich text)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow

DECK = load_deck(default_deck_path())
QUESTION = "Is <the> role & its team <b>still</b> open?"
NOTE = "Said it <i>slowly</i> & calmly (<3 s pause)"


def shown(rich: str) -> str:
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def test_the_question_and_note_read_as_written(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for day in range(2):
        when = datetime(2026, 11, 20 + day, 18, 0, tzinfo=timezone(timedelta(hours=1)))
        take = library.begin_take(session, DECK.id, DECK.questions[0], 16000, when)
        soundfile.write(library.audio_file(take), np.full(16000, 0.01, np.float32), 16000)
        library.finish_take(take.id, 1.0, 16000)
        if day:
            library.set_note(take.id, NOTE)
    library.db.execute("UPDATE takes SET question_text = ?", (QUESTION,))
    library.close()
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    history.table.selectRow(0)
    qtbot.mouseClick(history.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.compare, timeout=5000)
    compare = window.compare
    assert shown(compare.title.text()) == f"Compare takes of “{QUESTION}”"
    assert shown(compare.panels["B"].text()).endswith(NOTE)
