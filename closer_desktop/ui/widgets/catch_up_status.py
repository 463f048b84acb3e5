"""The status bar's word on the delivery feedback catch-up (app/take_analysis.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from closer_desktop.app.take_analysis import TakeAnalyser


class CatchUpStatus(QLabel):
    """The status bar's word on the catch-up ("Updating delivery feedback: 12 of 340"), hidden
    when there is nothing to update: the user knows why the computer is busy, and that it ends."""

    def __init__(self, analyser: TakeAnalyser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analyser = analyser
        self.setObjectName("catchUpStatus")
        self.setAccessibleName("Delivery feedback update")
        self.setToolTip(
            "Takes analysed by an older version of Closer, or not yet, are analysed again in "
            "the background, newest first. It waits while you record."
        )
        self.hide()
        analyser.catch_up_progress.connect(self.show_progress)

    def show_progress(self, number: int, total: int) -> None:
        if total <= 0:
            self.clear()
            self.hide()
            return
        waiting = " (waits while you record)" if self.analyser.recording else ""
        self.setText(f"Updating delivery feedback: {number} of {total}{waiting}")
        self.show()
