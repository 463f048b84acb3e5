"""Settings > Practice > auto-advance: once a take has both ratings, the next question follows
after a moment, long enough to see the rating land (the rule is domain/session.py's
auto_advances). The practice controller moves on when `due` comes, unless by then another take
is shown or a take is being recorded or counted down to; leaving the page cancels it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from closer_desktop.domain import session as rules
from closer_desktop.domain.practice import RatingScale, Take

AUTO_ADVANCE_MS = 800


class AutoAdvance(QObject):
    """A pending move to the next question after a rating.

    Signals:
        due(object): the Take whose rating started the wait: time to move on from it.
    """

    due = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._take: Take | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    @property
    def pending(self) -> bool:
        return self._take is not None

    def after_rating(self, scale: RatingScale, take: Take, enabled: bool) -> None:
        """`take` was just rated on `scale`: wait, then move on if the rule says so."""
        if rules.auto_advances(scale, take, enabled):
            self._take = take
            self._timer.start(AUTO_ADVANCE_MS)

    def cancel(self) -> None:
        self._timer.stop()
        self._take = None

    def _fire(self) -> None:
        take, self._take = self._take, None
        if take is not None:
            self.due.emit(take)
