"""The History view on a real library: filters, search, re-rating, star, delete and undo."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.delivery import Verdict
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.history import DeliveryFilter
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.history.view import (
    CHIP_ROLE,
    PAUSE_COLUMN,
    PITCH_COLUMN,
    WPM_COLUMN,
    HistoryView,
)
from closer_desktop.ui.main_window import MainWindow
from tests.support.delivery import analyse_here_without_speech, delivery_metrics

DECK = load_deck(default_deck_path())
TZ = timezone(timedelta(hours=-5))


def build(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for n, (index, clarity, note) in enumerate(
        [(0, 2, "too fast"), (0, 4, ""), (2, 1, "mumbled"), (4, 5, ""), (6, 3, "smile more")]
    ):
        when = datetime(2026, 11, 20 + n, 18, 0, tzinfo=TZ)
        take = library.begin_take(session, DECK.id, DECK.questions[index], 16000, when)
        soundfile.write(library.audio_file(take), np.zeros(8000, dtype=np.float32), 16000)
        library.finish_take(take.id, 0.5, 16000)
        library.set_rating(take.id, RatingScale.CLARITY, clarity)
        library.set_note(take.id, note)
    library.close()


def open_history(qtbot: QtBot, open_window: Any, data_dir: Path) -> MainWindow:
    build(data_dir)
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.history
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 5, timeout=5000)
    return window


def test_history_lists_newest_first_and_filters(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    history = open_history(qtbot, open_window, data_dir).history
    model = history.model
    assert model.takes[0].question_id == DECK.questions[6].id  # the newest
    assert history.count_label.text() == "5 takes"
    history.max_c.setCurrentIndex(history.max_c.findData(2))  # clarity at most 2
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert {t.note for t in model.takes} == {"too fast", "mumbled"}
    history.max_c.setCurrentIndex(0)
    history.has_note.setChecked(True)
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    history.has_note.setChecked(False)
    qtbot.keyClicks(history.search, "smile")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert model.takes[0].note == "smile more"
    history.search.clear()
    history.question.setCurrentIndex(history.question.findData(DECK.questions[0].id))
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    history.question.setCurrentIndex(0)
    history.group.setCurrentIndex(1)  # by question: 4 questions head their 5 takes
    qtbot.waitUntil(lambda: model.rowCount() == 9, timeout=5000)
    texts = [t.question_text for t in model.takes]
    assert texts == sorted(texts)


def test_edit_star_delete_and_undo(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    window = open_history(qtbot, open_window, data_dir)
    history = window.history
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.selected is not None)
    assert history.selected is not None
    take_id = history.selected.id
    qtbot.mouseClick(
        history.ratings.rows[RatingScale.PROFESSIONALISM].buttons[4], Qt.MouseButton.LeftButton
    )
    qtbot.mouseClick(history.star_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.model.takes[0].professionalism == 5, timeout=5000)
    qtbot.waitUntil(lambda: history.model.takes[0].starred, timeout=5000)
    qtbot.waitUntil(lambda: history.player.is_loaded, timeout=5000)

    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.model.rowCount() == 4, timeout=5000)
    assert "Ctrl+Z" in window.message_label.text()
    audio = next(data_dir.glob("trash/audio/*/*.wav"))
    assert audio.exists()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: history.model.rowCount() == 5, timeout=5000)
    assert not audio.exists()
    restored = next(t for t in history.model.takes if t.id == take_id)
    assert (restored.professionalism, restored.starred) == (5, True)
    library = Library(data_dir)
    assert library.take(take_id).professionalism == 5
    library.close()


def test_the_delete_toast_undoes_that_take(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    """The toast of a delete has Undo, which brings back that take; Ctrl+Z after it finds
    nothing left to undo."""
    window = open_history(qtbot, open_window, data_dir)
    history, toast = window.history, window.toast
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.selected is not None)
    assert history.selected is not None
    first = history.selected.id
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.model.rowCount() == 4, timeout=5000)
    assert toast.action_button.isVisible() and toast.action_button.text() == "Undo"
    qtbot.mouseClick(toast.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.model.rowCount() == 5, timeout=5000)
    assert first in {t.id for t in history.model.takes} and history.deleted == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left
    assert history.model.rowCount() == 5


def test_compare_first_and_latest_then_best_and_switch(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    from closer_desktop.ui.history.compare import best_rated

    window = open_history(qtbot, open_window, data_dir)
    history = window.history
    history.question.setCurrentIndex(history.question.findData(DECK.questions[0].id))
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    history.table.selectRow(0)
    qtbot.mouseClick(history.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.compare, timeout=5000)
    compare = window.compare
    first, latest = compare.takes
    assert first.recorded_at < latest.recorded_at
    assert compare.chosen["A"] is first and compare.chosen["B"] is latest
    qtbot.waitUntil(lambda: compare.audio["A"] is not None and compare.audio["B"] is not None)
    assert best_rated(compare.takes) is latest  # clarity 4 beats clarity 2
    compare.pickers["B"].setCurrentIndex(0)
    qtbot.mouseClick(compare.best_button, Qt.MouseButton.LeftButton)
    assert compare.chosen["B"] is latest
    qtbot.waitUntil(lambda: compare.audio["B"] is not None)
    compare.player.seek(0.25)  # half-way through A
    qtbot.keyClick(window, Qt.Key.Key_X)
    assert compare.active == "B"
    assert compare.player.position_s == pytest.approx(0.25, abs=0.01)
    qtbot.mouseClick(compare.back_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.history


def test_filter_by_deck_and_all_decks(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    from closer_desktop.storage.decks import DeckStore

    mine = DeckStore(data_dir).create("Acme final round")
    library = Library(data_dir)
    session = library.start_session(mine.id)
    take = library.begin_take(session, mine.id, mine.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.zeros(8000, dtype=np.float32), 16000)
    library.finish_take(take.id, 0.5, 16000)
    library.close()
    window = open_history(qtbot, open_window, data_dir)  # the practised deck: 5 takes
    history = window.history
    qtbot.waitUntil(lambda: history.deck.findData(mine.id) >= 0, timeout=5000)
    history.deck.setCurrentIndex(history.deck.findData(None))  # All decks
    qtbot.waitUntil(lambda: history.model.rowCount() == 6, timeout=5000)
    assert not history.question.isEnabled()
    history.deck.setCurrentIndex(history.deck.findData(mine.id))
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    assert history.model.takes[0].question_text == mine.questions[0].text
    assert history.question.isEnabled()
    assert history.question.findData(mine.questions[0].id) > 0  # that deck's questions


def choose_delivery(history: HistoryView, wanted: DeliveryFilter) -> None:
    combo = history.delivery
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemData(i) is wanted))


def test_the_selected_take_shows_its_transcript_under_the_waveform(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    build(data_dir)
    library = Library(data_dir)
    newest_first = sorted(library.takes_for_session(1), key=lambda t: t.recorded_at, reverse=True)
    metrics = delivery_metrics(20, fillers=1, speaking_s=6.0)
    for word, start in zip(metrics["words"][:2], (0.0, 0.3), strict=True):  # in its 0.5 s
        word["start_s"], word["end_s"] = start, start + 0.2
    save_metrics(library, newest_first[0].id, metrics)
    library.close()
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 5, timeout=5000)
    transcript = history.take_player.transcript
    assert transcript is not None
    history.table.selectRow(0)  # analysed: its words, the filler among them
    qtbot.waitUntil(lambda: len(transcript.words) == 3, timeout=5000)
    assert transcript.isVisible() and transcript.note == ""
    assert [w["word"] for w in transcript.words] == ["word", "word", "um"]
    qtbot.waitUntil(lambda: history.player.is_loaded, timeout=5000)  # seeking needs the audio in
    history.take_player.seek(0.35)  # the second word is being said
    assert transcript.highlighted_word == "word" and transcript._highlighted == 1
    history.table.selectRow(1)  # not analysed (analysis is off): says so, shows no words
    qtbot.waitUntil(lambda: transcript.words == [] and transcript.note != "", timeout=5000)


def test_delivery_figures_show_and_filter(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Analysis off at first (the window's settings file): nothing is analysed behind the test.
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    build(data_dir)
    library = Library(data_dir)
    newest_first = sorted(library.takes_for_session(1), key=lambda t: t.recorded_at, reverse=True)
    save_metrics(
        library, newest_first[0].id, delivery_metrics(182, fillers=2, pause_s=0.8, pitch=4.2)
    )
    save_metrics(library, newest_first[1].id, delivery_metrics(130, pause_s=3.1, pitch=1.4))
    save_metrics(library, newest_first[2].id, delivery_metrics(None, pause_s=1.0, pitch=3.0))
    library.close()
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history
    model = history.model
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=5000)
    assert [t.id for t in model.takes] == [t.id for t in newest_first]

    def figures(row: int) -> list[Any]:
        return [model.index(row, column).data() for column in range(WPM_COLUMN, PITCH_COLUMN + 1)]

    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(WPM_COLUMN, PITCH_COLUMN + 1)
    ]
    assert headers == ["Words/min", "Fillers", "Longest\npause", "Pitch\nrange"]
    assert figures(0) == ["182", "2", "0.8 s", "lively"]
    assert figures(1) == ["130", "0", "3.1 s", "a little flat"]
    assert figures(2) == ["–", "–", "1.0 s", "lively"]  # no transcript: no pace, no fillers
    assert figures(3) == figures(4) == [None] * 4  # not analysed yet: empty cells
    chip = CHIP_ROLE
    assert model.index(0, WPM_COLUMN).data(chip) is Verdict.WATCH  # 182 wpm: a little fast
    assert model.index(1, WPM_COLUMN).data(chip) is None  # 130: comfortable, plain text
    assert model.index(1, PITCH_COLUMN).data(chip) is Verdict.WATCH  # 1.4 semitones
    assert model.index(1, PAUSE_COLUMN).data(chip) is Verdict.WATCH  # one pause of 3.1 s
    assert "fast" in model.index(0, WPM_COLUMN).data(Qt.ItemDataRole.ToolTipRole)

    for wanted, expected in (
        (DeliveryFilter.FILLERS, newest_first[:1]),
        (DeliveryFilter.PACE_OUTSIDE, newest_first[:1]),
        (DeliveryFilter.LONG_PAUSE, newest_first[1:2]),
        (DeliveryFilter.MONOTONE, newest_first[1:2]),
        (DeliveryFilter.NOT_ANALYSED, newest_first[3:]),
    ):
        ids = [t.id for t in expected]
        choose_delivery(history, wanted)
        qtbot.waitUntil(lambda ids=ids: [t.id for t in model.takes] == ids, timeout=5000)  # type: ignore[misc]
        assert history.count_label.text() == f"{len(ids)} take{'s' if len(ids) > 1 else ''}"
    assert figures(0) == [None] * 4

    # A take analysed now (for real, acoustics only) shows its figures in its row at once.
    from closer_desktop import settings as S

    analyse_here_without_speech(monkeypatch)
    window.controller.settings.set(S.ANALYSIS, True)
    take = model.takes[0]
    tone = (0.3 * np.sin(2 * np.pi * 200 * np.arange(16000) / 16000)).astype(np.float32)
    speech = np.concatenate([tone, np.zeros(48000, np.float32), tone])  # a 3 s pause
    soundfile.write(data_dir / take.audio_path, speech, 16000)
    window.controller.analysis.analyse(take)
    qtbot.waitUntil(lambda: figures(0)[2] is not None, timeout=20000)
    assert figures(0)[:2] == ["–", "–"] and figures(0)[2] == "3.0 s"
    assert model.index(0, PAUSE_COLUMN).data(chip) is Verdict.WATCH  # a long pause
    choose_delivery(history, DeliveryFilter.LONG_PAUSE)
    qtbot.waitUntil(lambda: len(model.takes) == 2, timeout=5000)
    assert {t.id for t in model.takes} == {take.id, newest_first[1].id}
