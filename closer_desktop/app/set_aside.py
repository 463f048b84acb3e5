"""Takes set aside as accidental (too short, or nothing said: app/recording.py decides, on the
user's own stop): the shown take stays the question's, a notice offers "Keep it", and keeping one
brings it back from the library's trash into the shown question's list. Nothing is deleted here:
a set-aside take waits in the trash until the user empties it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from closer_desktop.app import operations as ops

if TYPE_CHECKING:
    from closer_desktop.app.practice import PracticeController
    from closer_desktop.domain.practice import Take


class SetAsideTakes(QObject):
    """The practice page's side of a take set aside; the controller's signals carry the words."""

    def __init__(self, controller: PracticeController) -> None:
        super().__init__(controller)
        self.controller = controller
        self._relist_after_take = False  # a take kept (Keep it) while another was recorded
        controller.recording.set_aside.connect(self._set_aside)
        controller.recording.ended.connect(self._take_ended)

    def _set_aside(self, take: Take, why: str) -> None:
        c = self.controller
        if c.recording.owner is not c:  # an interview run's answers are the run's to show
            return
        c.rating.show(c.current_take)  # digits rate the shown take again
        c.notice.emit("info", why, ("Keep it", lambda: self.keep(take.id)))

    def keep(self, take_id: int) -> None:
        """Undo setting a take aside: it comes back from the trash, analysed and listed."""
        c = self.controller

        def restored(take: Take) -> None:
            c.analysis.analyse(take)
            here = take.question_id == c.question.id
            if here and c.is_recording:  # listed once the take in progress is: _take_ended
                self._relist_after_take = True
            elif here:
                c.question_takes.reload(select_latest=False, select_id=take.id)
            c.message.emit("info", "The take is kept.")

        ops.restore_take(take_id).run(
            c.library,
            restored,
            lambda exc: c.message.emit("error", f"The take could not be kept: {exc}"),
        )

    def _take_ended(self, _: Take | None) -> None:
        """After the take's own listing (saved, set aside or dropped): a take kept meanwhile
        joins the list, which the saved take alone would otherwise replace."""
        c = self.controller
        if self._relist_after_take and not c.is_recording:
            self._relist_after_take = False
            current = c.current_take
            c.question_takes.reload(select_latest=True, select_id=current.id if current else None)
