"""The practice page's review card: the take shown, to hear, read, check and rate: a full-width
waveform with the player, the transcript (all of it: the page scrolls, the card does not), the
line check, the ratings and the delivery feedback.

While a take is recorded the card is dimmed and disabled: the previous take's player, transcript
and ratings stayed live before, and a digit or a click there acted on a take the user was not
looking at.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.ui.design import SPACE_M, SPACE_S
from closer_desktop.ui.theme import set_style_property

DIMMED = 0.4  # the card's opacity while recording
# px of card width from which ratings (about 440) and feedback (three tiles a row) sit side by side
SIDE_BY_SIDE_FROM = 860


class ReviewCard(QFrame):
    """Lays out the page's review widgets in order; `set_recording` dims and disables them."""

    def __init__(
        self,
        player: QWidget,
        line_check: QWidget,
        line_figure: QWidget,
        ratings: QWidget,
        feedback: QWidget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCard")
        self.setProperty("recording", False)
        self.title = QLabel("Your take")
        self.title.setObjectName("reviewTitle")
        self.caption = QLabel()  # which take, or what to do when there is none
        self.caption.setObjectName("reviewCaption")
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.caption, 1)
        heading.addWidget(line_figure, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE_S, SPACE_S, SPACE_S, SPACE_S)
        layout.setSpacing(SPACE_S)
        layout.addLayout(heading)
        layout.addWidget(player)
        layout.addWidget(line_check)
        layout.addSpacing(SPACE_M - SPACE_S)
        # Ratings and feedback side by side on a wide card, so the feedback's "Next take"
        # sentence is in view at 1280x800 without scrolling; one above the other on a narrow one.
        self.pair = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.pair.setSpacing(SPACE_M)
        self.pair.addWidget(ratings, 0, Qt.AlignmentFlag.AlignTop)
        self.pair.addWidget(feedback, 1)
        layout.addLayout(self.pair)
        self._dim = QGraphicsOpacityEffect(self)
        self._dim.setOpacity(DIMMED)
        self._dim.setEnabled(False)
        self.setGraphicsEffect(self._dim)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= SIDE_BY_SIDE_FROM
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.pair.direction() != direction:
            self.pair.setDirection(direction)

    @property
    def side_by_side(self) -> bool:
        return self.pair.direction() == QBoxLayout.Direction.LeftToRight

    def set_recording(self, recording: bool) -> None:
        """Dim and disable the card while a take is recorded (or counted down to)."""
        self.setEnabled(not recording)
        self._dim.setEnabled(recording)
        if self.property("recording") != recording:
            set_style_property(self, "recording", recording)

    @property
    def dimmed(self) -> bool:
        return self._dim.isEnabled()

    def show_caption(self, text: str) -> None:
        self.caption.setText(text)
