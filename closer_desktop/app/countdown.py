"""The countdown before a take (Settings > Practice: off, 3 or 5 seconds).

Space (or the record button) during the countdown cancels it; so does moving to another question.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class Countdown(QObject):
    """Counts whole seconds down, then runs the callback it was started with.

    Signals:
        ticked(int): seconds left (3, 2, 1); 0 once it ends, whether finished or cancelled.
    """

    ticked = Signal(int)

    def __init__(self, parent: QObject | None = None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._left = 0
        self._then: Callable[[], None] | None = None

    @property
    def active(self) -> bool:
        return self._then is not None

    @property
    def left(self) -> int:
        return self._left

    def start(self, seconds: int, then: Callable[[], None]) -> None:
        self._left = seconds
        self._then = then
        self._timer.start()
        self.ticked.emit(seconds)

    def cancel(self) -> None:
        if self._then is None:
            return
        self._timer.stop()
        self._then = None
        self._left = 0
        self.ticked.emit(0)

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.ticked.emit(self._left)
            return
        then, self._then = self._then, None
        self._timer.stop()
        self.ticked.emit(0)
        if then is not None:
            then()
