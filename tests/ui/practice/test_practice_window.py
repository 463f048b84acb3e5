"""The real main window through the practice loop, driven by the keyboard contract."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.auto_advance import AUTO_ADVANCE_MS
from closer_desktop.domain.practice import RatingScale
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from tests.support.signals import best_alignment_ncc, read_mono, rms_dbfs
from tests.support.virtual_mic import VirtualMic

PHRASE = "Given what we have discussed, do you have any concerns about my fit?"


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, text: str = "") -> None:
    qtbot.keyClick(window.focusWidget() or window, key)


def wait_ready(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.controller.can_record, timeout=10000)


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    c = window.controller
    qtbot.waitUntil(
        lambda: not c.is_recording and not c.library.runner.busy and not c.files.busy, timeout=10000
    )


def start_take_saying(
    qtbot: QtBot, window: MainWindow, mic: VirtualMic, line: str, wav: Path
) -> None:
    """Space, wait for the first block, then say `line` into the mic (returns once it is said)."""
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.recorder.first_block_at is not None, timeout=5000)
    mic.play_file(mic.speak(line, wav))


def record_phrase(qtbot: QtBot, window: MainWindow, mic: VirtualMic, speech: Path) -> float:
    """Space, speak, Space: returns the wall-clock time the recording ran."""
    c = window.controller
    began = time.monotonic()
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: c.recorder.first_block_at is not None and c.recorder.is_active, timeout=5000
    )
    mic.play_file(speech)
    qtbot.wait(300)
    press(qtbot, window, Qt.Key.Key_Space)
    stopped = time.monotonic()
    wait_idle(qtbot, window)
    return stopped - began


@pytest.mark.real_audio
def test_the_whole_loop_by_keyboard(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    view = window.practice
    assert c.index == 0
    assert view.question_label.text().startswith("“Based on my background")
    wait_ready(qtbot, window)
    assert view.record_button.isEnabled()
    speech = virtual_mic.speak(PHRASE, tmp_path / "phrase.wav")

    # Record: the take is saved, playable and matches what was spoken.
    wall = record_phrase(qtbot, window, virtual_mic, speech)
    assert len(c.takes) == 1
    take = c.takes[0]
    assert c.current_take is take
    audio = data_dir / take.audio_path
    recorded, rate = read_mono(audio)
    assert rate == take.sample_rate
    assert abs(take.duration_s - wall) < 0.3
    assert rms_dbfs(recorded) > -40
    assert best_alignment_ncc(recorded, read_mono(speech, rate)[0]) > 0.8
    assert view.take_list.count() == 1
    assert "Record again" in view.record_button.text()

    # Rate with digits: the highlighted target moves from professionalism to clarity.
    assert c.rating_target is RatingScale.PROFESSIONALISM
    assert view.ratings.rows[RatingScale.PROFESSIONALISM].property("target") is True
    press(qtbot, window, Qt.Key.Key_4)
    assert c.rating_target is RatingScale.CLARITY
    assert view.ratings.rows[RatingScale.CLARITY].property("target") is True
    assert view.ratings.rows[RatingScale.PROFESSIONALISM].property("target") is False
    press(qtbot, window, Qt.Key.Key_2)
    assert view.ratings.rows[RatingScale.PROFESSIONALISM].buttons[3].isChecked()
    assert view.ratings.rows[RatingScale.CLARITY].buttons[1].isChecked()

    # Play it back with P, to the end.
    with qtbot.waitSignal(c.playback_changed, timeout=5000) as started:
        press(qtbot, window, Qt.Key.Key_P)
    assert started.args == [True]
    qtbot.waitUntil(lambda: not c.player.is_playing, timeout=int(take.duration_s * 1000) + 5000)
    assert c.player.position_s == pytest.approx(take.duration_s, abs=0.05)

    # Record again: a second take, the first kept.
    record_phrase(qtbot, window, virtual_mic, speech)
    assert len(c.takes) == 2
    assert view.take_list.count() == 2
    assert (data_dir / c.takes[0].audio_path).exists()

    # Navigate: N and Right forward, B and Left back.
    press(qtbot, window, Qt.Key.Key_N)
    assert c.index == 1
    press(qtbot, window, Qt.Key.Key_Right)
    assert c.index == 2
    press(qtbot, window, Qt.Key.Key_Left)
    press(qtbot, window, Qt.Key.Key_B)
    assert c.index == 0
    qtbot.waitUntil(lambda: len(c.takes) == 2)  # earlier takes listed again

    # Ratings were saved in the library.
    wait_idle(qtbot, window)
    library = Library(data_dir)
    saved = library.takes_for_question(c.deck.id, c.deck.questions[0].id)
    library.close()
    assert [(t.professionalism, t.clarity) for t in saved] == [(4, 2), (None, None)]

    # To the end of the deck: the summary, then practise again.
    for _ in range(len(c.deck)):
        press(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.summary)
    table = window.summary.table
    assert table.rowCount() == len(c.deck)
    assert table.item(0, 1).text() == "2"
    assert table.item(0, 2).text() == "4"
    assert "2 takes" in window.summary.totals.text()
    first_session = c.session_id
    qtbot.mouseClick(window.summary.again_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.practice
    assert c.index == 0 and c.session_id is None
    record_phrase(qtbot, window, virtual_mic, speech)
    assert c.session_id is not None and c.session_id != first_session
    assert len(c.takes) == 3


@pytest.mark.real_audio
def test_space_types_in_the_note_field_and_notes_are_saved(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    record_phrase(qtbot, window, virtual_mic, virtual_mic.speak("Thank you.", tmp_path / "t.wav"))
    note = window.practice.ratings.note
    note.setFocus()
    qtbot.keyClicks(note, "more warmth")
    assert note.text() == "more warmth"
    assert not c.is_recording  # Space went into the text, not to the recorder
    assert c.rating_target is RatingScale.PROFESSIONALISM  # digits typed nowhere else either
    qtbot.keyClick(note, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    library = Library(data_dir)
    assert library.take(c.takes[0].id).note == "more warmth"
    library.close()


@pytest.mark.real_audio
def test_digits_typed_right_after_stop_rate_the_new_take(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    start_take_saying(qtbot, window, virtual_mic, "Thank you.", tmp_path / "t.wav")
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_5)  # before the take is saved
    press(qtbot, window, Qt.Key.Key_3)
    wait_idle(qtbot, window)
    assert c.current_take is not None
    assert (c.current_take.professionalism, c.current_take.clarity) == (5, 3)


@pytest.mark.real_audio
def test_clicking_a_rating_row_makes_it_the_target(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    record_phrase(qtbot, window, virtual_mic, virtual_mic.speak("Thank you.", tmp_path / "t.wav"))
    clarity = window.practice.ratings.rows[RatingScale.CLARITY]
    qtbot.mouseClick(clarity, Qt.MouseButton.LeftButton)
    assert c.rating_target is RatingScale.CLARITY
    press(qtbot, window, Qt.Key.Key_3)
    assert c.current_take is not None
    assert (c.current_take.professionalism, c.current_take.clarity) == (None, 3)


@pytest.mark.real_audio
def test_quit_while_recording_saves_the_take(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    start_take_saying(qtbot, window, virtual_mic, "When will you decide?", tmp_path / "q.wav")
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # impatient
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    library = Library(data_dir)
    (take,) = library.takes_for_question(c.deck.id, c.deck.questions[0].id)
    library.close()
    assert take.duration_s > 1.0
    assert soundfile.info(str(data_dir / take.audio_path)).frames > 0


@pytest.mark.real_audio
def test_takes_from_earlier_sessions_are_listed_and_playable(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    from closer_desktop.domain.deck import load_deck
    from closer_desktop.paths import default_deck_path

    deck = load_deck(default_deck_path())
    library = Library(data_dir)
    for _ in range(2):
        session = library.start_session(deck.id)
        take = library.begin_take(session, deck.id, deck.questions[0], 16000)
        soundfile.write(library.audio_file(take), np.zeros(8000, dtype=np.float32), 16000)
        library.finish_take(take.id, 0.5, 16000)
    library.close()
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 2, timeout=5000)
    assert c.current_take is not None and c.current_take.id == 2  # the latest is selected
    qtbot.waitUntil(lambda: c.player.is_loaded, timeout=5000)
    assert c.player.duration_s == pytest.approx(0.5)
    window.practice.take_list.setCurrentRow(1)  # the older one (newest is on top)
    assert c.current_take is not None and c.current_take.id == 1
    press(qtbot, window, Qt.Key.Key_P)  # plays as soon as the file is read
    qtbot.waitUntil(lambda: c.player.is_playing, timeout=5000)
    qtbot.waitUntil(lambda: not c.player.is_playing, timeout=5000)
    assert c.player.position_s == pytest.approx(0.5, abs=0.01)


def test_recovered_takes_are_listed_and_announced(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    from closer_desktop.domain.deck import load_deck
    from closer_desktop.paths import default_deck_path

    deck = load_deck(default_deck_path())
    library = Library(data_dir)
    session = library.start_session(deck.id)
    take = library.begin_take(session, deck.id, deck.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.zeros(32000, dtype=np.float32), 16000)
    library.close()  # as if Closer died mid-take
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 1, timeout=5000)
    assert "recovered" in window.practice.take_list.item(0).text()
    assert "Recovered 1 take" in window.message_label.text()
    assert window.message_label.isVisible()


@pytest.mark.real_audio
def test_moving_on_while_a_take_starts_keeps_it_with_its_question(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_N)  # before the recorder has even started
    qtbot.waitUntil(lambda: c.index == 1, timeout=5000)
    wait_idle(qtbot, window)
    assert not c.is_recording
    assert c.takes == []  # nothing was filed under question 2
    library = Library(data_dir)
    assert library.takes_for_question(c.deck.id, c.deck.questions[1].id) == []
    assert (
        library.db.execute("SELECT COUNT(*) FROM takes WHERE status = 'recording'").fetchone()[0]
        == 0
    )
    library.close()


def test_practice_keys_do_nothing_on_the_summary_page(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    c.go_to(len(c.deck) - 1)
    press(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.summary)
    assert "No takes this session" in window.summary.totals.text()
    for key in (Qt.Key.Key_Space, Qt.Key.Key_P, Qt.Key.Key_3, Qt.Key.Key_N):
        press(qtbot, window, key)
    assert not c.is_recording
    assert window.pages.currentWidget() is window.summary
    press(qtbot, window, Qt.Key.Key_B)  # back to the questions
    assert window.pages.currentWidget() is window.practice
    assert c.index == len(c.deck) - 1


@pytest.mark.real_audio
def test_device_vanishing_mid_take_keeps_the_audio(
    qtbot: QtBot, open_window: Any, disposable_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    messages: list[tuple[str, str]] = []
    c.message.connect(lambda level, text: messages.append((level, text)))
    start_take_saying(qtbot, window, disposable_mic, "Next steps?", tmp_path / "n.wav")
    disposable_mic.stop_daemon_abruptly()
    qtbot.waitUntil(lambda: not c.is_recording, timeout=10000)
    wait_idle(qtbot, window)
    assert len(c.takes) == 1
    assert c.takes[0].duration_s > 0.5
    assert any("kept as a take" in text for _, text in messages), messages
    assert window.message_label.isVisible()
    # The app runs on: Space again (the device is still gone) says so and does not hang.
    messages.clear()
    began = time.monotonic()
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    wait_idle(qtbot, window)
    assert time.monotonic() - began < 5
    assert messages[-1][0] in ("error", "warning"), messages
    assert len(c.takes) == 1
    press(qtbot, window, Qt.Key.Key_N)  # and everything else still works
    assert c.index == 1


def test_the_first_paint_already_shows_the_first_line_to_say(qtbot: QtBot, tmp_path: Path) -> None:
    """The practice page can be made before its controller starts (a key pressed right after
    the first paint makes it at once: ui/launch.py build_window); it must then show the real
    first question, not an empty card. What the first paint itself shows: tests/ui/test_start_up.py."""
    from closer_desktop.app.settings import Settings
    from closer_desktop.domain.deck import load_deck
    from closer_desktop.paths import default_deck_path
    from closer_desktop.ui.launch import build_window, create_app

    create_app()
    deck = load_deck(default_deck_path())
    window = build_window(tmp_path / "library", deck, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    assert not window.controller._started  # nothing has run yet: this is what is painted first
    first = deck.questions[0]
    view = window.practice
    assert view.question_label.text() == f"“{first.text}”"
    assert view.tip_label.text() == first.tip
    assert view.stage_label.text().startswith(f"Stage 1 of {len(deck.stages)}")
    assert "Record" in view.record_button.text() and not view.record_button.isEnabled()
    assert view.mic_label.text() == "Looking for a microphone…"
    window.close()


def hold(runner: Any) -> threading.Event:
    """Keep a task runner's worker busy (a slow disk, a long query) until the event is set."""
    released = threading.Event()
    runner._worker.submit(lambda: released.wait(10))
    return released


@pytest.mark.real_audio
def test_digits_while_the_stopped_take_is_still_being_saved_rate_it(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    start_take_saying(qtbot, window, virtual_mic, "Thank you.", tmp_path / "t.wav")
    released = hold(c.library.runner)  # the library is busy when the take is handed over for saving
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recording.take is None, timeout=5000)  # the recorder is done
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_2)
    released.set()
    wait_idle(qtbot, window)
    assert c.current_take is not None
    assert (c.current_take.professionalism, c.current_take.clarity) == (4, 2)
    library = Library(data_dir)
    saved = library.take(c.current_take.id)
    assert (saved.professionalism, saved.clarity) == (4, 2)
    library.close()


@pytest.mark.real_audio
def test_a_note_being_typed_stays_with_its_take_when_another_is_shown(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    speech = virtual_mic.speak("Thank you.", tmp_path / "t.wav")
    record_phrase(qtbot, window, virtual_mic, speech)
    record_phrase(qtbot, window, virtual_mic, speech)
    first, second = c.takes
    assert c.current_take is second
    note = window.practice.ratings.note
    note.setFocus()
    qtbot.keyClicks(note, "for the second")
    c.question_takes.select(first.id)  # a click in the list (it leaves the focus in the note)
    assert note.text() == ""  # the first take's note, not the typed text
    qtbot.keyClicks(note, "for the first")
    qtbot.mouseClick(window.practice.next_button, Qt.MouseButton.LeftButton)  # Next
    wait_idle(qtbot, window)
    library = Library(data_dir)
    assert library.take(first.id).note == "for the first"
    assert library.take(second.id).note == "for the second"
    library.close()


@pytest.mark.real_audio
def test_leaving_the_page_stops_a_countdown_and_an_auto_advance(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    c.settings.set(S.AUTO_ADVANCE, True)
    record_phrase(qtbot, window, virtual_mic, virtual_mic.speak("Thank you.", tmp_path / "t.wav"))
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_3)  # both rated: the next question follows in a moment
    window.show_history()  # Ctrl+H before it does
    qtbot.wait(AUTO_ADVANCE_MS + 300)
    assert window.pages.currentWidget() is window.history and c.index == 0
    window.show_practice()
    c.settings.set(S.COUNTDOWN_S, 3)
    press(qtbot, window, Qt.Key.Key_Space)
    assert c.countdown.active
    window.show_history()
    assert not c.countdown.active
    qtbot.wait(3300)
    assert not c.is_recording


@pytest.mark.real_audio
def test_start_up_objects_are_frozen_for_the_collector_but_never_mid_take(
    qtbot: QtBot,
    open_window: Any,
    virtual_mic: VirtualMic,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """gc.freeze spares later full collections ~45,000 objects (30 ms stalls); the collection
    done just before it must not hold up a take being recorded, so it waits for the stop."""
    import gc

    from closer_desktop.ui import launch as ui_app

    window: MainWindow = open_window(data_dir)
    c = window.controller
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=5000)
    gc.unfreeze()
    monkeypatch.setattr(ui_app, "GC_FREEZE_AFTER_MS", 50)
    try:
        ui_app.freeze_start_up_objects(window)
        qtbot.wait(400)  # several tries while recording
        assert gc.get_freeze_count() == 0
        press(qtbot, window, Qt.Key.Key_Space)
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2000)
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
