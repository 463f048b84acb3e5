"""The practice page's fixed structure (issue 19): the question card on top, the record area,
the review card; nothing moves when the record button's label changes, while a take counts
down, records and stops, or from one question to the next; the review card is dimmed and
disabled while recording; the transcript never scrolls inside the scrolling page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.domain.practice import RatingScale
from closer_desktop.ui.design import style_sheet
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.practice.record_area import AGAIN_TEXT, RECORD_TEXT, STOP_TEXT
from tests.e2e.test_desktop_app import library_with_a_take
from tests.support.virtual_mic import VirtualMic
from tests.ui.practice.test_practice_window import wait_idle, wait_ready


def place(widget: QWidget) -> QRect:
    """Where `widget` is in its window."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def styled(window: MainWindow) -> MainWindow:
    """The window in Closer's light style (on the window alone: nothing leaks to other tests),
    whose paddings and borders decide the sizes measured here."""
    window.setStyleSheet(style_sheet("light"))
    return window


def places(window: MainWindow) -> dict[str, QRect]:
    QApplication.processEvents()
    view = window.practice
    return {
        "record button": place(view.record_button),
        "record area": place(view.record_area),
        "timer": place(view.timer_label),
        "meter slot": place(view.record_area.slot),
        "review card": place(view.review),
        "question card": place(view.card),
    }


@pytest.mark.real_audio
def test_nothing_moves_while_a_take_counts_down_records_and_stops(
    qtbot: QtBot, open_window: Any, virtual_mic: VirtualMic, data_dir: Path, tmp_path: Path
) -> None:
    window: MainWindow = styled(open_window(data_dir))
    c, view = window.controller, window.practice
    wait_ready(qtbot, window)
    c.settings.set(S.COUNTDOWN_S, 3)
    c.countdown._timer.setInterval(150)  # the same three steps, faster
    assert view.record_button.text() == RECORD_TEXT
    before = places(window)
    assert view.review.isEnabled() and view.record_area.slot.currentIndex() == 0  # mic line

    c.toggle_recording()
    assert c.countdown.active
    assert places(window) == before
    assert not view.review.isEnabled()  # dimmed from the countdown on

    qtbot.waitUntil(lambda: c.recorder.is_active, timeout=8000)
    qtbot.waitUntil(lambda: view.record_button.text() == STOP_TEXT, timeout=2000)
    assert places(window) == before
    assert view.record_area.slot.currentIndex() == 1  # the meter, in the room kept for it
    assert view.record_area.property("recording") is True
    assert not view.review.isEnabled() and view.review.dimmed
    assert not view.ratings.rows[RatingScale.PROFESSIONALISM].buttons[0].isEnabled()
    assert not view.play_button.isEnabled() and not view.ratings.note.isEnabled()

    virtual_mic.play_file(virtual_mic.speak("Thank you.", tmp_path / "t.wav"))
    c.toggle_recording()
    wait_idle(qtbot, window)
    assert len(c.takes) == 1 and view.record_button.text() == AGAIN_TEXT
    after = places(window)
    for part in ("record button", "record area", "timer", "meter slot", "question card"):
        assert after[part] == before[part], part
    assert after["review card"].topLeft() == before["review card"].topLeft()
    assert view.review.isEnabled() and not view.review.dimmed
    assert view.record_area.slot.currentIndex() == 0


def test_the_record_area_stays_put_from_question_to_question(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    """The question card keeps room for three lines of the line and two of the tip, so the
    record button does not move with each question's length (at 1280x800, every question of
    the default deck)."""
    window: MainWindow = styled(open_window(data_dir))
    c = window.controller
    first = places(window)
    for index in range(1, len(c.queue)):
        c.go_to(index)
        now = places(window)
        assert now["record button"] == first["record button"], c.queue[index].text
        assert now["review card"].topLeft() == first["review card"].topLeft()


def test_the_record_button_keeps_its_size_whatever_it_says(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    window: MainWindow = styled(open_window(data_dir))
    area = window.practice.record_area
    before = places(window)
    for show in (
        lambda: area.show_idle(True, True, None),
        lambda: area.show_countdown(5),
        area.show_recording,
        lambda: area.show_timer(754.0, 12.0),  # 12:34 of a 0:12 target
        lambda: area.show_idle(False, False, "Looking for a microphone…"),
        lambda: area.show_idle(True, True, None),
        lambda: area.button.setFocus(Qt.FocusReason.TabFocusReason),  # the focus ring
    ):
        show()
        assert places(window) == before
    assert area.button.hasFocus()


def test_the_transcript_shows_every_line_and_never_scrolls(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_a_take(data_dir)
    window: MainWindow = styled(open_window(data_dir))
    window.resize(800, 560)
    c, view = window.controller, window.practice
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=10000)
    transcript = view.take_player.transcript
    assert transcript is not None
    assert c.current_take is not None
    take_id = c.current_take.id
    words = [{"word": f"word{i}", "start_s": i * 0.3, "end_s": i * 0.3 + 0.25} for i in range(160)]
    transcript.show_metrics(take_id, {"transcribed": True, "words": words, "fillers": []})
    qtbot.waitUntil(lambda: transcript.document().size().height() > 200, timeout=3000)
    # Laid out again on the next turns of the event loop: then all of it shows.
    qtbot.waitUntil(lambda: transcript.verticalScrollBar().maximum() == 0, timeout=3000)
    assert transcript.height() >= transcript.document().size().height()
    qtbot.wait(200)
    assert transcript.verticalScrollBar().maximum() == 0  # and stays so


def test_the_waveform_takes_the_focus_only_when_given_so_right_still_moves_on(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    """The review card's waveform comes early in the focus chain; Qt handed it the focus when
    the window was activated, and a focused waveform keeps Left and Right (it seeks)."""
    library_with_a_take(data_dir)
    window: MainWindow = open_window(data_dir)
    c, view = window.controller, window.practice
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=10000)
    waveform = view.take_player.waveform
    assert waveform is not None
    window.activateWindow()
    QApplication.processEvents()
    assert not waveform.hasFocus()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Right)
    assert c.index == 1
    c.go_to(0)
    qtbot.waitUntil(lambda: c.current_take is not None, timeout=10000)
    waveform.setFocus(Qt.FocusReason.TabFocusReason)  # given by the user: it keeps its keys
    assert waveform.hasFocus()
    qtbot.keyClick(waveform, Qt.Key.Key_Right)
    assert c.index == 0
