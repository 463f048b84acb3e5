"""The line check under the transcript shows the line as the deck writes it (capitals,
punctuation, contractions, digits), not the normalised lower-case words it was compared as."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from closer_desktop.analysis.line_check import check_line
from closer_desktop.ui.widgets.line_check import LineCheckView

LINE = "Based on my background, how well do I fit the profile you're looking for? Don't stop at 5."
SAID = "so based on my experience how well do I fit the profile you are for do stop at five"


def test_the_line_is_shown_as_written_with_its_marks(qtbot: QtBot) -> None:
    view = LineCheckView()
    qtbot.addWidget(view)
    view.show_match(check_line(SAID, LINE), LINE)
    shown = view.line.text()
    assert shown.startswith("Based on my ")  # its capital, not "based"
    assert "<s>background</s>" in shown and ">experience</b>," in shown  # comma kept after
    assert "you&#x27;re" in shown and "you are" not in shown  # the contraction as written
    assert "<s>looking</s></span> for?" in shown  # missed, its question mark kept
    assert "<s>Don&#x27;t</s>" in shown and ">Do</b> stop" in shown  # said with its capital
    assert shown.endswith(" at 5.")  # the digit, not "five"
    assert "<i>so</i>" in view.added.text()  # additions set apart, below the line
    described = view.line.accessibleDescription()
    assert "(said experience for background)," in described
    assert "(missed: looking) for?" in described
    assert described.startswith("Based on my")
