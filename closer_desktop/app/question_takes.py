"""The takes of the question the practice page shows, and which of them play and rate act on.

They are read on the library's thread, so they arrive a moment after the question is shown; a
list that arrives for a question the user has left meanwhile is dropped. A take just saved joins
the list at once, without a read. The practice controller says which question is shown and when
the list is stale (takes added or removed elsewhere); what the current take is played and rated
with is app/playback.py's and app/rating.py's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from closer_desktop.app import operations as ops
from closer_desktop.app.library import LibraryService
from closer_desktop.domain.practice import Take


class QuestionTakes(QObject):
    """Every take of one question, oldest first, and the current one.

    Signals:
        changed(list): the list of takes (also when a take in it was rated or annotated).
        current_changed(object): the Take that play and rate act on, or None.
    """

    changed = Signal(list)
    current_changed = Signal(object)

    def __init__(
        self,
        library: LibraryService,
        shown: Callable[[], tuple[str, str]],
        parent: QObject | None = None,
    ) -> None:
        """`shown()` is the (deck id, question id) the page shows right now."""
        super().__init__(parent)
        self.library = library
        self.shown = shown
        self.takes: list[Take] = []
        self.current: Take | None = None

    def new_question(self) -> None:
        """Another question is shown: its takes are read afresh, the latest becomes current."""
        self.takes = []
        self.set_current(None)
        self.changed.emit([])
        self.reload(select_latest=True)

    def reload(self, select_latest: bool, select_id: int | None = None) -> None:
        """Read the list again; then `select_id` is current if it is still there, else the
        latest when `select_latest`. A list left empty clears the current take (deleted)."""
        if not self.library.library_is_open:
            return
        asked = self.shown()

        def loaded(takes: list[Take]) -> None:
            if asked != self.shown():
                return  # the user moved on meanwhile
            self.takes = takes
            self.changed.emit(takes)
            wanted = next((t for t in takes if t.id == select_id), None)
            if wanted is None and select_latest and takes:
                wanted = takes[-1]
            if wanted is not None:
                self.set_current(wanted)
            elif not takes and self.current is not None:
                self.set_current(None)

        ops.takes_for_question(*asked).run(self.library, loaded)

    def add(self, take: Take) -> None:
        """A take of the shown question was just saved: list it and make it current."""
        if take.question_id != self.shown()[1]:
            return
        self.takes = [*self.takes, take]
        self.changed.emit(self.takes)
        self.set_current(take)

    def select(self, take_id: int) -> None:
        take = next((t for t in self.takes if t.id == take_id), None)
        if take is not None and take is not self.current:
            self.set_current(take)

    def set_current(self, take: Take | None) -> None:
        self.current = take
        self.current_changed.emit(take)

    def edited(self) -> None:
        """A take in the list was rated in place: the list again."""
        self.changed.emit(self.takes)

    def set_note(self, take_id: int, note: str) -> None:
        """Save the note of the take `take_id` (not necessarily the current one by now)."""
        for take in self.takes:
            if take.id == take_id:
                take.note = note
                self.changed.emit(self.takes)
        ops.set_note(take_id, note).run(self.library)
