"""Saying the line from memory: the card's state (hidden line, hint level) and the line check.

In the room there is no script, so the practice page can hide the line (Practice > Say it from
memory, the FROM_MEMORY setting): the card then shows the stage and the interviewer's cue, and the
hint ladder of domain/recall.py, climbed one step per H only when the user is stuck. The level
reached is stored with the take (begin_take's `hint_level`, raised by set_hint_level when H is
pressed mid-take), so a line said unaided counts apart from one read. Once the take is saved the
line is revealed with its line check. No widgets here: ui/practice/view.py renders `changed`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from closer_desktop import settings as S
from closer_desktop.app.operations import Change, Operation
from closer_desktop.domain import recall

if TYPE_CHECKING:
    from closer_desktop.analysis.line_check import LineMatch
    from closer_desktop.app.practice import PracticeController
    from closer_desktop.domain.deck import Question
    from closer_desktop.domain.practice import Take
    from closer_desktop.storage.library import Library

READ, MEMORY, RUN = "read", "memory", "run"


class MemoryCard(QObject):
    """The from-memory card of the practice page.

    Signals:
        changed(): the mode, the hint level or the reveal changed: render the card again.
    """

    changed = Signal()

    def __init__(self, controller: PracticeController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.level = recall.HIDDEN
        self.revealed = False  # the take is in: the line is shown with its check
        self._level_at_start = recall.HIDDEN
        self._recording_take = False
        self._take_before: Take | None = None
        controller.question_changed.connect(lambda _: self._new_question())
        controller.recording_changed.connect(self._on_recording)
        controller.recording.set_aside.connect(self._set_aside)
        controller.take_options = self.take_options

    @property
    def on(self) -> bool:
        return self.controller.settings.get(S.FROM_MEMORY)

    def set_on(self, on: bool) -> None:
        """Practice > Say it from memory (Ctrl+M)."""
        self.controller.settings.set(S.FROM_MEMORY, on)
        self._new_question()

    def refresh(self) -> None:
        """The setting may have changed elsewhere (the Settings dialog)."""
        self.changed.emit()

    @property
    def mode(self) -> str:
        return MEMORY if self.on else READ

    def climb(self) -> None:
        """H: one more step of the hint ladder (up to the whole line); the level is stored with
        the take being recorded, or with the next one."""
        if not self.on or self.level >= recall.WHOLE_LINE:
            return
        self.level += 1
        self.revealed = False
        self.changed.emit()  # mid-take, the level is stored once the take is saved

    def hint_text(self, question: Question | None = None) -> str:
        question = question or self.controller.question
        return recall.hint(question.text, question.key_phrases, self.level)

    @property
    def line_hidden(self) -> bool:
        """Whether the card hides the line right now."""
        return self.on and not self.revealed and self.level < recall.WHOLE_LINE

    def take_options(self) -> dict[str, Any]:
        """What begin_take stores with a take started now (mode, hint level, key phrases)."""
        question = self.controller.question
        options: dict[str, Any] = {}
        if question.key_phrases:
            options["key_phrases"] = tuple(question.key_phrases)
        if self.on:
            options["mode"] = MEMORY
            options["hint_level"] = self.level
        return options

    def line_match(self, take: Take, metrics: dict[str, Any]) -> LineMatch | None:
        """The take's line check, from its transcript against the wording it answered (None
        without a transcript). A long take that matches no line is compared with every line of
        the deck, which takes a noticeable moment: pages use check_later."""
        return _line_match(take, metrics, [q.text for q in self.controller.deck.questions])

    def check_later(
        self, take: Take, metrics: dict[str, Any], done: Callable[[LineMatch | None], None]
    ) -> None:
        """line_match on the file worker, `done` with it on the GUI thread."""
        others = [q.text for q in self.controller.deck.questions]
        self.controller.files.run(lambda: _line_match(take, dict(metrics), others), done)

    # Internals ------------------------------------------------------------------------------

    def _new_question(self) -> None:
        self.level = recall.HIDDEN
        self.revealed = False
        self.changed.emit()

    def _on_recording(self, recording: bool) -> None:
        if recording:
            self._recording_take = True
            self._level_at_start = self.level
            self._take_before = self.controller.current_take
            if self.revealed:  # another attempt: the line hides again
                self.revealed = False
                self.changed.emit()
            return
        if not self._recording_take:
            return
        self._recording_take = False
        if not self.on:
            return
        if self.level > self._level_at_start:  # H pressed while speaking: store the level
            # The saved take becomes the current one right after this signal.
            QTimer.singleShot(0, partial(self._store_level, self.level, self._take_before))
        self.revealed = True
        self.changed.emit()

    def _set_aside(self, _take: Take, _why: str) -> None:
        """An accidental take (two stray Spaces) reveals nothing: the line stays hidden and the
        level where it was, as if no take had been made (it comes just before the end of it)."""
        if self.controller.recording.owner is self.controller:
            self._recording_take = False

    def _store_level(self, level: int, before: Take | None) -> None:
        take = self.controller.current_take
        if take is None or take is before:
            return  # not saved (too short), or the user moved on to another question
        take_id = take.id
        take.hint_level = level

        def work(lib: Library) -> None:
            lib.set_hint_level(take_id, level)

        Operation(work, Change.TAKE_EDITED).run(self.controller.library)


def _line_match(take: Take, metrics: dict[str, Any], others: list[str]) -> LineMatch | None:
    from closer_desktop.analysis.line_check import check_line

    transcript = metrics.get("transcript")
    if not metrics.get("transcribed", True) or transcript is None:
        return None
    keys = getattr(take, "key_phrases", ())  # kept with the take, as its wording is
    return check_line(str(transcript), take.question_text, keys, others)
