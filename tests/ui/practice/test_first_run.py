"""The first run: three steps (record, listen, rate) over the practice page until the first take
is rated, then never again; Esc skips them; no welcome paragraph above every page, and in from-
memory mode nothing says to read the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.practice.first_run import LISTEN, RATE, RECORD

DECK = load_deck(default_deck_path())


def one_take(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.zeros(16000, dtype=np.float32), 16000)
    library.finish_take(take.id, 1.0, 16000)
    library.close()


def bold_step(window: MainWindow) -> int:
    bold = [i for i, label in enumerate(window.first_run.steps) if label.font().bold()]
    assert len(bold) == 1
    return bold[0]


def visible_texts(root: QWidget) -> str:
    return " ".join(w.text() for w in root.findChildren(QLabel) if w.isVisible())


def test_steps_go_with_the_first_take_and_stay_gone(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    data = tmp_path / "library"
    one_take(data)
    window: MainWindow = open_window(data)
    guide = window.first_run
    assert guide.isVisible() and guide.step == RECORD and bold_step(window) == RECORD
    qtbot.waitUntil(lambda: window.controller.current_take is not None, timeout=10_000)
    assert guide.step == LISTEN and bold_step(window) == LISTEN  # a take, not yet heard
    assert guide.isVisible()
    qtbot.waitUntil(lambda: not window.controller.microphone.checking, timeout=10_000)
    window.controller.toggle_playback()  # P (plays once the take's audio is read)
    qtbot.waitUntil(lambda: guide.step == RATE, timeout=10_000)
    assert bold_step(window) == RATE
    window.controller.toggle_playback()
    qtbot.keyClick(window, Qt.Key.Key_4)
    assert guide.isVisible(), "half rated: the third step is still to do"
    qtbot.keyClick(window, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: not guide.isVisible(), timeout=10_000)
    assert window.controller.settings.get(S.FIRST_RUN_TIP_DISMISSED)
    window.close()

    again: MainWindow = open_window(data)  # the same settings file
    qtbot.wait(100)
    assert not again.first_run.isVisible()


def test_esc_skips_them_for_good(qtbot: QtBot, open_window: Any, tmp_path: Path) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    assert window.first_run.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.first_run.isVisible()
    assert window.controller.settings.get(S.FIRST_RUN_TIP_DISMISSED)
    window.controller.go_to(1)
    assert not window.first_run.isVisible()


def test_no_welcome_paragraph_and_from_memory_wording(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    window: MainWindow = open_window(tmp_path / "library")
    central = window.centralWidget()
    assert central is not None
    outside = [f for f in central.findChildren(QFrame, "welcomeBanner") if f.parent() is central]
    assert not outside, "no banner above the pages"
    window.show_history()
    qtbot.wait(50)
    assert not window.first_run.isVisible() or not window.first_run.isVisibleTo(window)
    assert "Welcome" not in visible_texts(window)
    window.show_practice()
    assert window.first_run.isVisible()
    assert "say the line aloud" in visible_texts(window.first_run)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # from memory
    qtbot.waitUntil(lambda: "from memory" in visible_texts(window.first_run))
    words = visible_texts(window.first_run).lower()
    assert "read" not in words and "the line" not in words
    # One short block: its steps fit on their lines at 800x600, nothing cut.
    window.resize(784, 544)
    qtbot.wait(50)
    for label in window.first_run.steps:
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width() + 1
    assert window.first_run.height() <= 100


def test_the_steps_stay_in_view_when_the_page_scrolls(
    qtbot: QtBot, open_window: Any, tmp_path: Path
) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QScrollArea

    window: MainWindow = open_window(tmp_path / "library")
    window.resize(784, 544)
    qtbot.wait(50)
    guide, page = window.first_run, window.practice
    area = next(a for a in page.findChildren(QScrollArea) if a.isAncestorOf(page.review))
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "at 800x600 the page scrolls"
    viewport = area.viewport()
    for value in (bar.maximum(), 0):
        bar.setValue(value)
        qtbot.wait(20)
        shown = viewport.rect().translated(viewport.mapTo(page, QPoint(0, 0)))
        assert shown.contains(guide.geometry()), value
        anchor_top = page.review.mapTo(page, QPoint(0, 0)).y()
        expected = max(shown.top(), min(anchor_top, shown.bottom() - guide.height()))
        assert guide.geometry().top() == expected, "it follows the review card"
