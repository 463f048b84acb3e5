"""Start-up with a remembered plan: the practice starts at the plan's first question.

The first paint shows the deck's first question (from the deck alone); once the library is
open the remembered plan (here weakest first) reorders the queue. Closing the deck manager
keeps the question shown, but starting Closer must not: its first question is the weakest,
not the deck's first wherever the plan put it ('Question 2 of 2')."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
from closer_desktop.storage.decks import DeckStore
from closer_desktop.ui.main_window import MainWindow
from tests.app.test_deck_queue import DECK, FIRST, ONLY_TWO, SECOND, rated


def weakest_first_remembered(data_dir: Path) -> None:
    """The first question rated well, the second badly; weakest first chosen for the deck."""
    rated(data_dir)
    store = DeckStore(data_dir)
    store.set_current_deck(DECK.id)
    store.save_plan(DECK.id, PracticePlan(PracticeOrder.WEAKEST_FIRST, ONLY_TWO))


def test_start_up_begins_at_the_weakest_question_of_the_remembered_plan(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    weakest_first_remembered(data_dir)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(
        lambda: c.plan.order is PracticeOrder.WEAKEST_FIRST and not c.practised.pending,
        timeout=10000,
    )
    qtbot.waitUntil(lambda: not c.library.runner.busy and not c.files.busy, timeout=10000)
    assert [q.id for q in c.queue] == [SECOND.id, FIRST.id]
    assert c.index == 0 and c.question.id == SECOND.id
    assert "1 of 2" in window.practice.progress_label.text()


def test_a_page_opened_at_once_stays_when_the_remembered_plan_comes_in(
    qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    """Ctrl+H right after the first paint: the plan read once the library is open reorders the
    practice queue behind History, it does not take the user back to the practice page."""
    from PySide6.QtCore import Qt

    from tests.ui.test_start_up import open_pressing

    weakest_first_remembered(data_dir)
    window, started, _ = open_pressing(
        qtbot, tmp_path, data_dir, [Qt.Key.Key_H], Qt.KeyboardModifier.ControlModifier
    )
    assert started == [False]  # the key came before the page was built
    c = window.controller
    qtbot.waitUntil(
        lambda: c.plan.order is PracticeOrder.WEAKEST_FIRST and not c.practised.pending,
        timeout=10000,
    )
    qtbot.waitUntil(lambda: not c.library.runner.busy and not c.files.busy, timeout=10000)
    assert window.pages.currentWidget() is window.history
    assert c.index == 0 and c.question.id == SECOND.id
