"""The practice session's rules, without Qt: moving through the queue, which rating a digit
sets next, when a rated take moves on to the next question, and the end-of-deck summary.

The practice controller (app/practice.py) applies them to what the user does; the queue's order
itself is the scheduler's (domain/scheduler.py), and the per-question figures are `summarize`'s
(domain/practice.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from closer_desktop.domain.deck import Question
from closer_desktop.domain.practice import QuestionSummary, RatingScale, Take, summarize
from closer_desktop.domain.scheduler import PracticePlan

if TYPE_CHECKING:  # the progress rules load with the summary page, not at start-up
    from closer_desktop.domain.progress import Comparison


def questions_to_practise(questions: Sequence[Question], plan: PracticePlan) -> list[Question]:
    """The plan's questions; a plan that leaves every question out practises them all."""
    return plan.chosen(questions) or list(questions)


def in_queue(index: int, length: int) -> bool:
    return 0 <= index < length


def next_index(index: int, length: int) -> int | None:
    """The question after `index`, or None at the end of the deck (the summary comes next)."""
    return index + 1 if index + 1 < length else None


def record_blocker(
    library_problem: str | None,
    looking: bool,
    microphone_problem: str | None,
    library_open: bool,
    queue_pending: bool,
) -> str | None:
    """Why a take may not start, in words for the user, or None. `library_problem`: damaged, or
    busy with a backup; `looking`: devices are being scanned; `queue_pending`: a weakest-first
    queue is still being read (a take now would be filed under the question shown before it)."""
    if library_problem:
        return library_problem
    if looking:
        return "Looking for a microphone…"
    if microphone_problem:
        return microphone_problem
    if not library_open:
        return "Opening your library…"
    if queue_pending:
        return "Putting the weakest questions first…"
    return None


MIN_TAKE_S = 0.7  # shorter than this, no answer was given: Space pressed twice by mistake
MIN_SOUNDING_S = 0.25  # with less sound than this in it, nothing was said (only a click or two)


def accidental_take(duration_s: float, sounding_s: float) -> str | None:
    """Why a take just stopped looks like a mistake (too short, or nothing said in it), in
    words for the user; None for a real take. Such a take is set aside with an undo, never
    counted: two stray presses of Space must not become the question's latest take."""
    if duration_s < MIN_TAKE_S:
        return "That take lasted under a second, so it was set aside."  # no "0.0 s long"
    if sounding_s < MIN_SOUNDING_S:
        return "Nothing was heard in that take, so it was set aside."
    return None


def first_rating_target(take: Take | None) -> RatingScale | None:
    """A take just shown is rated professionalism first, or clarity when only that is missing;
    with no take, digits rate nothing; a take with both ratings is shown as saved, with no scale
    waiting for a digit."""
    if take is None or (take.professionalism is not None and take.clarity is not None):
        return None
    if take.professionalism is not None:
        return RatingScale.CLARITY
    return RatingScale.PROFESSIONALISM


def rating_target_after(rated: RatingScale, take: Take) -> RatingScale | None:
    """After a digit: clarity follows professionalism; once both are set the take is saved and
    no scale is targeted (a further digit starts again at professionalism, visibly: see
    rating_change); after clarity alone, professionalism is still to rate."""
    if rated is RatingScale.PROFESSIONALISM:
        return RatingScale.CLARITY
    return None if take.professionalism is not None else RatingScale.PROFESSIONALISM


def rating_change(scale: RatingScale, old: int | None, new: int) -> str | None:
    """What to tell the user when a digit changes a rating already set ('Professionalism
    changed 3 → 4'); None when nothing was overwritten."""
    if old is None or old == new:
        return None
    return f"{scale.label} changed {old} → {new}."


def auto_advances(rated: RatingScale, take: Take, enabled: bool) -> bool:
    """With auto-advance on, the next question follows once clarity (the second scale) is rated
    and the take has both ratings."""
    return (
        enabled
        and rated is RatingScale.CLARITY
        and take.professionalism is not None
        and take.clarity is not None
    )


@dataclass(frozen=True)
class SessionSummary:
    """How a session went: per question in queue order, and against the previous session."""

    questions: list[QuestionSummary] = field(default_factory=list)
    # By question id: this session's ratings against the previous session with that question.
    comparisons: dict[str, Comparison] = field(default_factory=dict)

    @property
    def total_takes(self) -> int:
        return sum(q.takes for q in self.questions)

    @property
    def spoken_s(self) -> float:
        return sum(q.spoken_s for q in self.questions)


def summarize_session(
    queue: Sequence[Question],
    takes: list[Take],
    comparisons: dict[str, Comparison] | None = None,
) -> SessionSummary:
    """The summary of a session over `queue`, from its takes (none when nothing was saved)."""
    questions = [(q.id, q.text) for q in queue]
    return SessionSummary(summarize(questions, takes), comparisons or {})
