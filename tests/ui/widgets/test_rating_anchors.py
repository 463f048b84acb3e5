"""The rating panel (issue 19): every button says what its level sounds like; the line above the
rows says what the digits do next, and that both ratings are saved once they are."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from closer_desktop.domain.anchors import ANCHORS, anchor
from closer_desktop.domain.practice import RATING_MAX, RATING_MIN, RatingScale, Take
from closer_desktop.ui.design import LIGHT, style_sheet
from closer_desktop.ui.widgets.rating import RatingPanel

P, C = RatingScale.PROFESSIONALISM, RatingScale.CLARITY


def take(p: int | None, c: int | None) -> Take:
    return Take(
        id=1,
        session_id=1,
        deck_id="d",
        question_id="q",
        question_text="Any concerns?",
        stage="Close",
        audio_path="audio/1.wav",
        duration_s=3.0,
        sample_rate=16000,
        recorded_at=datetime(2026, 12, 6, 10, 0),
        professionalism=p,
        clarity=c,
    )


def test_every_level_of_both_scales_has_its_own_anchor() -> None:
    for scale in RatingScale:
        levels = ANCHORS[scale]
        assert sorted(levels) == list(range(RATING_MIN, RATING_MAX + 1))
        assert len(set(levels.values())) == len(levels)  # five different descriptions


def test_each_button_shows_its_anchor_on_hover(qtbot: QtBot) -> None:
    panel = RatingPanel()
    qtbot.addWidget(panel)
    for scale, row in panel.rows.items():
        for value, button in enumerate(row.buttons, start=RATING_MIN):
            assert anchor(scale, value) in button.toolTip()
        assert anchor(scale, 1) in row.toolTip() and anchor(scale, 5) in row.toolTip()


@pytest.mark.parametrize(
    ("p", "c", "target", "status", "saved"),
    [
        (None, None, P, "Rate this take: 1–5 for professionalism, then for clarity.", False),
        (4, None, C, "Now clarity: press 1–5.", False),
        (None, 3, P, "Now professionalism: press 1–5.", False),
        (4, 2, None, "✓ Saved: professionalism 4, clarity 2. A digit rates again.", True),
    ],
)
def test_the_status_line_says_what_the_digits_do_and_when_the_ratings_are_saved(
    qtbot: QtBot,
    p: int | None,
    c: int | None,
    target: RatingScale | None,
    status: str,
    saved: bool,
) -> None:
    panel = RatingPanel()
    qtbot.addWidget(panel)
    panel.show_take(take(p, c))
    panel.show_target(target)
    assert panel.status.text() == status
    assert panel.status.property("saved") is saved
    panel.show_take(None)
    assert panel.status.text() == ""


def test_a_rating_stays_readable_while_the_panel_is_disabled(qtbot: QtBot) -> None:
    """While a take is recorded the review card is disabled: the shown take's ratings still
    show as set (before, a disabled checked button looked like any other)."""
    panel = RatingPanel()
    qtbot.addWidget(panel)
    panel.setStyleSheet(style_sheet("light"))
    panel.show_take(take(4, 3))
    panel.setEnabled(False)
    panel.show()
    qtbot.waitExposed(panel)
    checked = panel.rows[P].buttons[3]
    unchecked = panel.rows[P].buttons[0]
    assert checked.isChecked() and not checked.isEnabled()

    def fill(button: QPushButton) -> str:
        image = button.grab().toImage()
        return image.pixelColor(image.width() // 5, image.height() // 2).name()

    assert fill(checked) == LIGHT.accent_fill
    assert fill(unchecked) != LIGHT.accent_fill
