"""Start-up in two steps (ui/launch.py build_window, MainWindow.finish_start_up): the first paint
shows the frame and the question card only; the controller and the practice page follow on the
turns after it. What the user sees first must be the real first line, and a key pressed at once,
before the second step has run, must act as it would a moment later: never be lost, never crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.app.record_when_ready import CANCELLED, WAITING
from closer_desktop.app.settings import Settings
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.ui.launch import build_window, create_app
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic

PHRASE = "Thank you for your time today."


class _AtFirstPaint(QObject):
    """On the window's first paint, queue `act` for the next turn of the event loop: the moment
    a user pressing a key as soon as the window appears is handled."""

    def __init__(self, window: MainWindow, act: Callable[[], None]) -> None:
        super().__init__(window)
        self.act = act
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.act)
        return False


def open_pressing(
    qtbot: QtBot,
    tmp_path: Path,
    data_dir: Path,
    keys: list[Qt.Key],
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> tuple[MainWindow, list[bool], list[str]]:
    """Build and show the window as the app does; press `keys` right after its first paint.
    (`modifiers` with the last). Returns the window, whether its second step had run when the
    keys came, and its messages (the first: the one shown right after the keys)."""
    create_app()
    window = build_window(data_dir, settings=Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    started_when_pressed: list[bool] = []
    messages: list[str] = []

    def press() -> None:
        started_when_pressed.append(window.started_up)
        for key in keys[:-1]:  # to the widget with the focus, as a real key goes
            QTest.keyClick(window.focusWidget() or window, key)
        QTest.keyClick(window.focusWidget() or window, keys[-1], modifiers)
        messages.append(window.message_label.text())
        window.controller.message.connect(lambda _, text: messages.append(text))

    hook = _AtFirstPaint(window, press)
    window.installEventFilter(hook)  # installed last, so it sees the paint before launch's own
    window.resize(1280, 800)
    window.show()
    window.activateWindow()  # window shortcuts need the active window
    qtbot.waitUntil(lambda: bool(started_when_pressed), timeout=5000)
    return window, started_when_pressed, messages


def test_the_first_paint_shows_the_first_line_and_nothing_is_built_yet(
    qtbot: QtBot, tmp_path: Path
) -> None:
    create_app()
    deck = load_deck(default_deck_path())
    window = build_window(tmp_path / "library", deck, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    assert not window.started_up  # this is what the first paint shows
    card = window.start_card
    assert card is not None and window.pages.currentWidget() is card
    first = deck.questions[0]
    assert card.question_label.text() == f"“{first.text}”"
    assert card.tip_label.text() == first.tip
    assert card.stage_label.text().startswith(f"Stage 1 of {len(deck.stages)}")
    assert card.progress_label.text() == f"Question 1 of {len(deck.questions)}"
    assert "Record" in card.record_button.text() and not card.record_button.isEnabled()
    assert card.mic_label.text() == "Looking for a microphone…"
    window.show()
    qtbot.waitUntil(lambda: window.started_up and window.start_card is None, timeout=5000)
    assert window.pages.currentWidget() is window.practice  # the real page took its place
    assert window.controller.question.id == first.id


@pytest.mark.parametrize("from_memory", [False, True])
def test_the_card_says_what_the_page_says_when_it_takes_over(
    qtbot: QtBot, tmp_path: Path, from_memory: bool
) -> None:
    """The card's words are the page's (ui/practice/start_card.py keeps copies, to load nothing
    of the page): a change on the page that the card misses shows as a jump at every start."""
    create_app()
    settings = Settings(tmp_path / "settings.ini")
    settings.set(S.FROM_MEMORY, from_memory)
    window = build_window(tmp_path / "library", settings=settings)
    qtbot.addWidget(window)
    card = window.start_card
    assert card is not None
    words = {
        name: getattr(card, name).text()
        for name in ("stage_label", "progress_label", "cue_label", "question_label", "tip_label")
    }
    hint = card.hint_label.text() if card.hint_label.isVisibleTo(card) else None
    record, keys, takes = card.record_button.text(), card.keys_hint.text(), card.takes_title.text()
    mic = card.mic_label.text()
    page = window.practice  # made now, before the controller starts, as a key would make it
    assert words == {
        name: getattr(page.card, name).text()
        for name in ("stage_label", "progress_label", "cue_label", "question_label", "tip_label")
    }
    assert hint == (page.hint_label.text() if page.hint_label.isVisibleTo(page) else None)
    assert (record, keys, takes) == (
        page.record_button.text(),
        page.keys_hint.text(),
        page.takes_title.text(),
    )
    assert mic == page.mic_label.text()


def test_from_memory_the_first_paint_shows_the_cue_not_the_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    create_app()
    settings = Settings(tmp_path / "settings.ini")
    settings.set(S.FROM_MEMORY, True)
    deck = load_deck(default_deck_path())
    window = build_window(tmp_path / "library", deck, settings)
    qtbot.addWidget(window)
    card = window.start_card
    assert card is not None
    first = deck.questions[0]
    assert first.text not in card.question_label.text()
    assert card.hint_label.isVisibleTo(card)
    assert window.memory_action.isChecked()


def test_keys_pressed_at_once_act_before_the_page_is_built(qtbot: QtBot, tmp_path: Path) -> None:
    """N at once moves to the second question; Space at once waits for the microphone check,
    then records, or says why it cannot. Which one depends on whether an earlier test of the
    session started the shared virtual microphone (PortAudio lists devices once a process);
    both ends are checked, and tests/e2e/test_no_microphone.py holds the no-microphone one in a
    process of its own."""
    window, started, messages = open_pressing(
        qtbot, tmp_path, tmp_path / "library", [Qt.Key.Key_N, Qt.Key.Key_Space]
    )
    assert started == [False]  # the keys came before the second step
    c = window.controller
    assert c.index == 1
    assert window.record_when_ready.waiting
    assert messages[0] == WAITING  # the page says the press is kept
    qtbot.waitUntil(lambda: not window.record_when_ready.waiting, timeout=10000)
    if c.record_blocker is None:  # a microphone: the kept press became a take
        qtbot.waitUntil(lambda: c.is_recording, timeout=10000)
        assert c.index == 1
        QTest.keyClick(window, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not c.is_recording, timeout=10000)
    else:  # none: the page says why, and records nothing
        assert not c.is_recording
        assert messages[-1] == c.record_blocker
    QTest.keyClick(window, Qt.Key.Key_N)  # and everything still works
    assert c.index == 2


def test_the_cards_next_button_clicked_at_once_moves_on(qtbot: QtBot, tmp_path: Path) -> None:
    create_app()
    window = build_window(tmp_path / "library", settings=Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    card = window.start_card
    assert card is not None
    qtbot.mouseClick(card.next_button, Qt.MouseButton.LeftButton)
    assert window.started_up and window.controller.index == 1


def test_space_twice_at_once_takes_the_press_back(qtbot: QtBot, tmp_path: Path) -> None:
    window, started, messages = open_pressing(
        qtbot, tmp_path, tmp_path / "library", [Qt.Key.Key_Space]
    )
    assert started == [False]
    assert window.record_when_ready.waiting
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert not window.record_when_ready.waiting
    assert messages[-1] == CANCELLED
    qtbot.waitUntil(lambda: not window.controller.microphone.checking, timeout=10000)
    assert not window.controller.is_recording


def test_leaving_the_page_drops_a_kept_press(qtbot: QtBot, tmp_path: Path) -> None:
    """Space at once, then History: the take must not start later, out of sight."""
    window, started, _ = open_pressing(
        qtbot,
        tmp_path,
        tmp_path / "library",
        [Qt.Key.Key_Space, Qt.Key.Key_H],
        Qt.KeyboardModifier.ControlModifier,
    )
    assert started == [False]
    assert not window.record_when_ready.waiting
    qtbot.waitUntil(lambda: type(window.pages.currentWidget()).__name__ == "HistoryView")
    qtbot.waitUntil(lambda: not window.controller.microphone.checking, timeout=10000)
    assert not window.controller.is_recording


def test_closing_before_the_second_step_builds_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    create_app()
    settings = Settings(tmp_path / "settings.ini")
    window = build_window(tmp_path / "library", settings=settings)
    qtbot.addWidget(window)
    window.close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sheet = app.styleSheet()
    other = sheet + "\n/* another window's */"
    app.setStyleSheet(other)
    try:
        qtbot.wait(1200)  # past the second step's fallback timer
        assert app.styleSheet() == other  # nothing of the app's style touched either
    finally:
        app.setStyleSheet(sheet)
    assert not window.started_up
    assert not (tmp_path / "library").exists()  # no library was opened, nothing written
    assert settings.get(S.WINDOW_GEOMETRY)


@pytest.mark.real_audio
def test_space_at_once_records_a_take_once_the_microphone_is_found(
    qtbot: QtBot, virtual_mic: VirtualMic, tmp_path: Path
) -> None:
    window, started, _ = open_pressing(qtbot, tmp_path, tmp_path / "library", [Qt.Key.Key_Space])
    assert started == [False]
    c = window.controller
    qtbot.waitUntil(lambda: c.recorder.first_block_at is not None, timeout=10000)
    assert c.is_recording and not window.record_when_ready.waiting
    virtual_mic.play_file(virtual_mic.speak(PHRASE, tmp_path / "phrase.wav"))
    QTest.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not c.is_recording and len(c.takes) == 1, timeout=10000)
    assert c.takes[0].duration_s > 0.5
    assert QApplication.activeWindow() is window
