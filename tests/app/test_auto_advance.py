"""Auto-advance (app/auto_advance.py): `due` comes AUTO_ADVANCE_MS after a take's second rating
with the setting on, never after the first or with it off, and not at all once cancelled."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from closer_desktop.app.auto_advance import AUTO_ADVANCE_MS, AutoAdvance
from closer_desktop.domain.practice import RatingScale, Take
from tests.domain.test_practice import make_take

P, C = RatingScale.PROFESSIONALISM, RatingScale.CLARITY


def test_due_after_both_ratings_with_the_setting_on(qtbot: QtBot) -> None:
    advance = AutoAdvance()
    due: list[Take] = []
    advance.due.connect(due.append)
    half = make_take(1, "a", 0, 4, None)
    advance.after_rating(P, half, True)
    both = make_take(2, "a", 0, 4, 5)
    advance.after_rating(C, both, False)  # the setting off
    assert not advance.pending
    advance.after_rating(C, both, True)
    assert advance.pending and due == []  # a moment to see the rating land
    qtbot.waitUntil(lambda: bool(due), timeout=AUTO_ADVANCE_MS + 2000)
    assert due == [both] and not advance.pending


def test_cancelled_it_never_comes(qtbot: QtBot) -> None:
    advance = AutoAdvance()
    due: list[Take] = []
    advance.due.connect(due.append)
    advance.after_rating(C, make_take(1, "a", 0, 4, 5), True)
    advance.cancel()
    qtbot.wait(AUTO_ADVANCE_MS + 200)
    assert due == [] and not advance.pending
