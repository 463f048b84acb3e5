"""Space pressed while Closer is still starting: the take starts as soon as it can.

Right after the window appears the library is still opening and the microphones are still being
looked for (both in the background, after the first paint). A user who reads the line and
presses Space at once means "record": refusing that press with "Looking for a microphone…"
would lose the take they are about to say. So the press is kept, the page says so, and the take
starts (after the countdown, if one is set) the moment recording is possible. When start-up
ends without that being possible (no microphone, a damaged library) the kept press is dropped
and the reason shown, as for any refused press. Space again before then takes it back, and so
does leaving the practice page (the main window calls `cancel`). A modal dialog (Settings) open
when start-up ends drops it too: the user went elsewhere, and a take must not start behind a
dialog they are reading; `dropped` lets the window take back the waiting message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from closer_desktop.app.practice import PracticeController

WAITING = "Recording starts as soon as the microphone is ready (Space cancels)."
CANCELLED = "Recording cancelled."


def still_starting(controller: PracticeController) -> bool:
    """Whether recording waits only for start-up to finish: the microphone scan, the library's
    opening, or a weakest-first queue being read; not for a problem the user must solve."""
    library, microphone = controller.library, controller.microphone
    if library.library_error or library.library_busy:
        return False
    opening = not library.library_is_open
    return microphone.checking or opening or controller.practised.pending


class RecordWhenReady(QObject):
    """Space on the practice page, with a press during start-up kept until recording can start.

    `waiting` is True while such a press is kept. `elsewhere()` says whether the user is in a
    modal dialog (the window's to know); a kept press is dropped then, and `dropped` emitted.
    """

    dropped = Signal()

    def __init__(self, controller: PracticeController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.waiting = False
        self.elsewhere: Callable[[], bool] = lambda: False
        controller.microphone_changed.connect(lambda _: self._check())
        controller.library.ready.connect(self._check)
        controller.library.failed.connect(self._check)
        controller.deck_changed.connect(lambda _: self._check())  # a weakest-first queue is in

    def toggle(self) -> None:
        c = self.controller
        if self.waiting:
            self.waiting = False
            c.message.emit("info", CANCELLED)
        elif not c.is_recording and not c.countdown.active and still_starting(c):
            self.waiting = True
            c.message.emit("info", WAITING)
        else:
            c.toggle_recording()

    def cancel(self) -> None:
        """Drop a kept press without a word: the user went elsewhere (another page)."""
        self.waiting = False

    def _check(self) -> None:
        if not self.waiting or still_starting(self.controller):
            return
        self.waiting = False
        if self.elsewhere():
            self.dropped.emit()  # a take must not start behind a dialog
            return
        self.controller.toggle_recording()  # starts, or says why it cannot
