"""History, in the real window: a take of a few words shows no pace, no chip, and says why as its
feedback tile does (too few words), not that it needs a transcript, which it has."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.history.view import CHIP_ROLE, WPM_COLUMN
from closer_desktop.ui.main_window import MainWindow
from tests.support.delivery import delivery_metrics

DECK = load_deck(default_deck_path())


def test_a_few_words_show_no_pace_and_say_why(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for day, (wpm, speaking_s) in enumerate(((240.0, 1.0), (None, 1.0))):
        when = datetime(2026, 11, 20 + day, 18, 0, tzinfo=timezone(timedelta(hours=1)))
        take = library.begin_take(session, DECK.id, DECK.questions[0], 16000, when)
        library.finish_take(take.id, 2.0, 16000)
        save_metrics(library, take.id, delivery_metrics(wpm, speaking_s=speaking_s))
    library.close()
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    model = window.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    untranscribed, few_words = (model.index(row, WPM_COLUMN) for row in range(2))
    assert few_words.data() == untranscribed.data() == "–"
    assert few_words.data(CHIP_ROLE) is None
    assert few_words.data(Qt.ItemDataRole.ToolTipRole) == "Too few words to judge the pace"
    assert "need a transcript" in untranscribed.data(Qt.ItemDataRole.ToolTipRole)
