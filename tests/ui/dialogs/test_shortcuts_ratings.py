"""Help > Keyboard shortcuts says what the ratings mean (issue 19: anchors in the help too)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from closer_desktop.domain.anchors import anchor
from closer_desktop.domain.practice import RatingScale
from closer_desktop.ui.dialogs.shortcuts import ShortcutsDialog


def test_the_help_names_what_a_one_a_three_and_a_five_sound_like(qtbot: QtBot) -> None:
    dialog = ShortcutsDialog((("1 – 5", "Rate the take"),))
    qtbot.addWidget(dialog)
    text = dialog.ratings_help.text()
    for scale in RatingScale:
        for value in (1, 3, 5):
            assert f"{value} {anchor(scale, value).split(':')[0].lower()}" in text
