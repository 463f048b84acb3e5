"""A push button as wide as the widest of its labels, so a change of label moves nothing.

The practice page's Record button reads "Record", "Record again", "Stop" or a countdown, and a
player's reads Play or Pause; sized to the label shown, each change shifted what stood beside it
(the waveform, the timer) under the user's eyes and mouse.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget


class SteadyButton(QPushButton):
    """A QPushButton whose size hint is that of its widest label in `labels` (any text it
    shows should be one of them, or no wider)."""

    def __init__(self, labels: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(labels[0], parent)
        self.labels = list(labels)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        # As QPushButton::sizeHint measures its own text, for each label (the style sheet's
        # padding and minimum sizes come in through sizeFromContents).
        hint = super().sizeHint()
        option = QStyleOptionButton()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        width = hint.width()
        for label in self.labels:
            text = metrics.size(Qt.TextFlag.TextShowMnemonic, label)
            option.text = label
            size = self.style().sizeFromContents(
                QStyle.ContentsType.CT_PushButton, option, QSize(text.width(), hint.height()), self
            )
            width = max(width, size.width())
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
