"""The transcript under the take player's waveform: the take's words, the word being said
highlighted as the player's position moves, a click on a word seeks the player; on its own, in
the take player, and on the practice and Compare pages of the real window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.analysis.metrics import ANALYSER_VERSION
from closer_desktop.analysis.transcribe import ENABLE_HINT
from closer_desktop.app.settings import Settings
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio.player import Player
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.take_player import TakePlayer
from closer_desktop.ui.widgets.transcript import (
    MAX_LINES,
    MIN_LINES,
    NO_WORDS,
    WAITING,
    TranscriptView,
)
from closer_desktop.ui.widgets.waveform import READY, PeaksSource
from tests.ui.history.test_view import DECK
from tests.ui.widgets.test_feedback import METRICS
from tests.ui.widgets.test_take_player import RATE, click_at, voice_like


def click_word(qtbot: QtBot, view: TranscriptView, index: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.word_rect(index).center())


def long_metrics(count: int) -> dict[str, Any]:
    words = [{"word": f"word{i}", "start_s": i * 0.4, "end_s": i * 0.4 + 0.3} for i in range(count)]
    return {**METRICS, "words": words, "fillers": [], "transcript": ""}


def test_the_words_are_shown_and_the_word_being_said_is_highlighted(qtbot: QtBot) -> None:
    view = TranscriptView()
    qtbot.addWidget(view)
    assert view.isHidden()  # no take: nothing at all
    view.show_take(7)
    assert not view.isHidden() and view.note == WAITING
    assert view.toPlainText() == "Transcript appears after analysis."
    view.show_metrics(8, METRICS)  # another take's: ignored
    assert view.metrics is None
    view.show_metrics(7, METRICS)
    assert view.toPlainText() == "Um, thank you. I, I agree."
    assert view.note == ""

    view.set_position(1.1)
    assert view.highlighted_word == "thank"
    (selection,) = view.extraSelections()
    assert selection.cursor.selectedText() == "thank"
    view.set_position(1.95)  # just after a word: still that word (timings are loose)
    assert view.highlighted_word == "you."
    view.set_position(3.0)  # in the pause: nothing is being said
    assert view.highlighted_word is None and view.extraSelections() == []
    view.set_position(5.2)
    assert view.highlighted_word == "agree."
    view.set_position(-1.0)
    assert view.highlighted_word is None

    view.show_take(7)  # the same take again (a rating changed): kept
    assert view.metrics is METRICS
    view.show_take(9)
    assert view.metrics is None and view.toPlainText() == WAITING
    view.show_failed(9, "delivery analysis is off (Settings, Practice tab)")
    assert view.toPlainText() == "No transcript: delivery analysis is off (Settings, Practice tab)"
    view.show_take(None)
    assert view.isHidden()


def test_without_speech_recognition_it_says_how_to_enable_it(qtbot: QtBot) -> None:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.show_take(1)
    untranscribed = {
        **METRICS,
        "transcribed": False,
        "transcript": "",
        "words": [],
        "fillers": [],
        "transcript_note": ENABLE_HINT,
    }
    view.show_metrics(1, untranscribed)
    assert view.toPlainText() == ENABLE_HINT
    assert "pip install 'closer-desktop[speech]'" in view.toPlainText()
    view.set_position(1.0)
    assert view.highlighted_word is None
    view.show_metrics(1, {**METRICS, "words": [], "fillers": [], "transcript": ""})
    assert view.toPlainText() == NO_WORDS


def test_a_long_take_wraps_scrolls_and_follows_the_word_being_said(qtbot: QtBot) -> None:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(500, 100)
    view.show()
    qtbot.waitExposed(view)
    view.show_take(1)
    view.show_metrics(1, long_metrics(400))
    line = view.fontMetrics().lineSpacing()
    wanted = view.sizeHint().height()
    assert line * MAX_LINES <= wanted < line * (MAX_LINES + 1)  # a few lines: the rest scrolls
    assert line * MIN_LINES <= view.minimumSizeHint().height() < wanted  # fewer in a small window
    view.resize(500, wanted)
    assert view.verticalScrollBar().maximum() > 0
    assert view.verticalScrollBar().value() == 0
    view.set_position(350 * 0.4 + 0.1)
    assert view.highlighted_word == "word350"
    rect = view.word_rect(350)
    assert view.verticalScrollBar().value() > 0
    assert rect.top() >= line // 2 and rect.bottom() <= view.viewport().height()  # 2nd line
    view.set_position(0.1)  # back to the start: scrolled back
    assert view.verticalScrollBar().value() == 0 and view.highlighted_word == "word0"
    view.show_take(2)
    view.show_metrics(2, long_metrics(3))  # a short take: one line, nothing to scroll
    assert view.sizeHint().height() < line * 2 and view.verticalScrollBar().maximum() == 0


def test_the_take_player_highlights_as_it_moves_and_a_click_on_a_word_seeks(
    qtbot: QtBot, player: Player, runner: TaskRunner, tmp_path: Path
) -> None:
    path = tmp_path / "take.wav"
    samples = voice_like(6.0)
    soundfile.write(str(path), samples, RATE)
    widget = TakePlayer(player, PeaksSource(runner, tmp_path), Settings(tmp_path / "s.ini"))
    qtbot.addWidget(widget)
    widget.resize(640, 160)
    widget.show()
    qtbot.waitExposed(widget)
    transcript = widget.transcript
    assert transcript is not None
    widget.show_take(path, 6.0)  # no take id: no transcript
    assert transcript.isHidden()
    widget.show_take(path, 6.0, take_id=3)
    assert transcript.isVisible() and transcript.toPlainText() == WAITING
    waveform = widget.waveform
    assert waveform is not None
    assert transcript.geometry().top() >= waveform.geometry().bottom()  # right under it
    assert transcript.geometry().bottom() <= widget.play_button.geometry().top()
    transcript.show_metrics(3, METRICS)
    player.load(samples, RATE)
    widget.refresh()
    qtbot.waitUntil(lambda: waveform.state == READY)

    widget.seek(1.1)  # the player's position drives the highlight
    assert transcript.highlighted_word == "thank"
    click_at(qtbot, waveform, 5.2 / 6.0)
    assert transcript.highlighted_word == "agree."
    with qtbot.waitSignal(transcript.seek_requested) as asked:
        click_word(qtbot, transcript, 3)  # "I,"
    assert asked.args == [4.6]
    assert player.position_s == pytest.approx(4.6, abs=0.01)
    assert transcript.highlighted_word == "I,"

    widget.show_take(None)
    assert transcript.isHidden()


def library_with_analysed_takes(data_dir: Path) -> list[int]:
    """Two takes of the first question, both analysed by the current analyser."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    ids = []
    for words in (METRICS["words"], [{"word": "Hello.", "start_s": 0.2, "end_s": 0.6}]):
        take = library.begin_take(session, DECK.id, DECK.questions[0], RATE)
        soundfile.write(library.audio_file(take), voice_like(6.0), RATE)
        library.finish_take(take.id, 6.0, RATE)
        save_metrics(
            library, take.id, {**METRICS, "analyser_version": ANALYSER_VERSION, "words": words}
        )
        ids.append(take.id)
    library.close()
    return ids


def test_the_practice_and_compare_pages_show_the_transcript_under_the_waveform(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    first, latest = library_with_analysed_takes(data_dir)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    player = window.practice.take_player
    transcript, waveform = player.transcript, player.waveform
    assert transcript is not None and waveform is not None
    qtbot.waitUntil(lambda: transcript.take_id == latest and transcript.metrics is not None)
    assert transcript.toPlainText() == "Hello."
    assert not hasattr(window.practice.feedback, "transcript")  # shown once on the page
    window.practice.take_list.setCurrentRow(1)  # the older take
    qtbot.waitUntil(lambda: transcript.toPlainText() == "Um, thank you. I, I agree.")
    qtbot.waitUntil(lambda: c.player.is_loaded and waveform.state == READY, timeout=5000)
    click_at(qtbot, waveform, 1.1 / 6.0)
    assert transcript.highlighted_word == "thank"
    click_word(qtbot, transcript, 5)
    assert c.player.position_s == pytest.approx(5.0, abs=0.01)
    assert transcript.highlighted_word == "agree."

    window.show_compare(list(c.takes))
    compare = window.compare
    a, b = compare.transcripts["A"], compare.transcripts["B"]
    qtbot.waitUntil(lambda: a.metrics is not None and b.metrics is not None, timeout=5000)
    assert (a.take_id, b.take_id) == (first, latest)
    assert b.toPlainText() == "Hello."
    qtbot.waitUntil(lambda: compare.audio["A"] is not None and compare.audio["B"] is not None)
    click_word(qtbot, a, 1)  # "thank": side A plays from there
    assert compare.active == "A" and compare.player.position_s == pytest.approx(1.0, abs=0.01)
    assert a.highlighted_word == "thank" and b.highlighted_word is None
    click_word(qtbot, b, 0)  # a word of B: B becomes the side played
    assert compare.active == "B" and compare.player.position_s == pytest.approx(0.2, abs=0.01)
    assert b.highlighted_word == "Hello." and a.highlighted_word is None


def test_a_filler_phrase_is_marked_whole(qtbot: QtBot) -> None:
    """'you know' is one filler stored at its first word: both of its words are marked, the
    word after it is not (only 'you' was, and the phrase read half highlighted)."""
    view = TranscriptView()
    qtbot.addWidget(view)
    said = ["We,", "you", "know,", "shipped", "it."]
    words = [{"word": w, "start_s": i * 0.5, "end_s": i * 0.5 + 0.4} for i, w in enumerate(said)]
    metrics = {**METRICS, "words": words, "fillers": [{"word": "you know", "start_s": 0.5}]}
    view.show_take(3)
    view.show_metrics(3, metrics)
    view.resize(600, 200)

    def colour_of(index: int) -> str:
        cursor = view.cursorForPosition(view.word_rect(index).center())
        return cursor.charFormat().foreground().color().name()

    filler, plain = colour_of(1), colour_of(0)
    assert filler != plain  # the filler has its own colour
    assert colour_of(2) == filler  # "know," as well as "you"
    assert colour_of(3) == plain and colour_of(4) == plain
