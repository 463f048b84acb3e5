"""The digit keys of the practice page: which take a digit rates and when (not during a
countdown, when the review card is dimmed; a take being stopped is rated once it is saved), and
the move to the next question after both ratings when Settings asks for it (app/auto_advance.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from closer_desktop import settings as S

if TYPE_CHECKING:
    from closer_desktop.app.practice import PracticeController
    from closer_desktop.domain.practice import Take


class RatingKeys(QObject):
    """Digits for the practice controller; its `rating` part keeps the target and the ratings."""

    def __init__(self, controller: PracticeController) -> None:
        super().__init__(controller)
        self.controller = controller
        controller.auto_advance.due.connect(self._advance_now)

    def digit(self, value: int) -> None:
        """Rate the target scale, then move the target (professionalism, clarity)."""
        c = self.controller
        if c.countdown.active:
            return
        if c.is_recording:
            if c.recording.is_stopping:  # rate the take being stopped and saved, once it is in
                c.recording.when_saved(lambda: self._rate_saved_take(value))
            return
        scale, take = c.rating.rate_next(value), c.current_take
        if scale and take:
            c.auto_advance.after_rating(scale, take, c.settings.get(S.AUTO_ADVANCE))

    def _rate_saved_take(self, value: int) -> None:
        take = self.controller.current_take
        if take is not None and take.id == self.controller.recording.last_saved_take_id:
            self.digit(value)

    def _advance_now(self, take: Take) -> None:
        c = self.controller
        if take is c.current_take and not c.is_recording and not c.countdown.active:
            c.next_question()  # unless another take is shown by now
