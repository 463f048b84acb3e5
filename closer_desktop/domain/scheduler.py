"""Practice order: in order, shuffled within stages, or weakest first.

"Weakest first" is a small spaced-repetition queue (also described in README.md, "Practice order").
Each question carries an *interval*, replayed from its rated takes, oldest first. A take's score is
the lower of its two ratings (domain.progress.take_score: a take is only as good as its weaker
side):

- score 4 or 5: the interval grows: 1 day the first time, then x2.5 (at most 30 days). Pushed back.
- score 3: the interval stays (at least half a day).
- score 1 or 2: the interval drops to 0: the question is due again at once. Brought forward.

A take said from memory (or in an interview run, where the line is hidden too) that matched its
line below RECALLED_AT, or left out one of its key phrases, or was said only once the hint
ladder had shown the whole line (then it was read, not recalled), scores at most WEAK_RECALL (2),
whatever its ratings: a line the user cannot yet recall comes back at once, however well it was
delivered.

A question is due at its last take's time plus its interval. Its *need* is the sum of:

- overdue: days past due (negative when not due yet), divided by 7 and kept within -4 and +4;
- weakness: 5 minus the mean score of its last three rated takes (2 when it has none);
- scarcity: 3 / (1 + number of takes), so a question said only once or never comes early.

Questions are practised by need, highest first; equal needs keep the deck's order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from closer_desktop.domain.deck import Question
from closer_desktop.domain.recall import WHOLE_LINE

FIRST_INTERVAL = timedelta(days=1)
GROWTH = 2.5
MAX_INTERVAL = timedelta(days=30)
MIN_PASSING_INTERVAL = timedelta(hours=12)
RECENT = 3
UNRATED_WEAKNESS = 2.0
RECALLED_AT = 0.8  # line match of a take said without the line on screen
WEAK_RECALL = 2
RECALL_MODES = frozenset({"memory", "run"})


class PracticeOrder(Enum):
    IN_ORDER = "in-order"
    SHUFFLED = "shuffled"
    WEAKEST_FIRST = "weakest-first"

    @property
    def label(self) -> str:
        return {
            PracticeOrder.IN_ORDER: "In order",
            PracticeOrder.SHUFFLED: "Shuffled within stages",
            PracticeOrder.WEAKEST_FIRST: "Weakest first",
        }[self]


@dataclass(frozen=True)
class PracticePlan:
    """Per deck: which questions to practise (by leaving some out) and in which order.

    Unticked questions are stored, not ticked ones, so a question added to the deck later is
    practised unless the user leaves it out.
    """

    order: PracticeOrder = PracticeOrder.IN_ORDER
    skipped: frozenset[str] = frozenset()

    def chosen(self, questions: Sequence[Question]) -> list[Question]:
        return [q for q in questions if q.id not in self.skipped]


@dataclass(frozen=True)
class RatedTake:
    """What the scheduler needs from one take of a question."""

    recorded_at: datetime
    professionalism: int | None
    clarity: int | None
    mode: str = "read"  # "read", "memory" or "run"
    line_match: float | None = None  # None: not checked (no transcript yet)
    key_missed: bool = False
    hint_level: int | None = None  # the hint ladder's step reached (domain/recall.py)

    @property
    def recall_failed(self) -> bool:
        if self.mode not in RECALL_MODES:
            return False
        if self.hint_level is not None and self.hint_level >= WHOLE_LINE:
            return True  # the whole line was on screen: read, however well it matched
        return self.key_missed or (self.line_match is not None and self.line_match < RECALLED_AT)

    @property
    def score(self) -> int | None:
        # Here, not at the top: the session rules import this module at start-up, and the
        # progress rules are needed only once takes are ranked, after the first paint.
        from closer_desktop.domain.progress import take_score

        score = take_score(self.professionalism, self.clarity)
        if self.recall_failed:
            return WEAK_RECALL if score is None else min(score, WEAK_RECALL)
        return score


@dataclass(frozen=True)
class Need:
    """Why a question sits where it does in the queue (shown as a tooltip)."""

    question_id: str
    due_at: datetime | None
    interval: timedelta
    overdue: float
    weakness: float
    scarcity: float

    @property
    def total(self) -> float:
        return self.overdue + self.weakness + self.scarcity


def assess(question_id: str, takes: Iterable[RatedTake], now: datetime) -> Need:
    """Replay a question's takes into its interval, due time and need."""
    history = sorted(takes, key=lambda t: t.recorded_at)
    interval = timedelta(0)
    for take in history:
        score = take.score
        if score is None:
            continue
        if score >= 4:
            interval = FIRST_INTERVAL if not interval else min(interval * GROWTH, MAX_INTERVAL)
        elif score <= 2:
            interval = timedelta(0)
        else:
            interval = max(interval, MIN_PASSING_INTERVAL)
    scores = [s for s in (t.score for t in history) if s is not None]
    weakness = 5 - sum(scores[-RECENT:]) / len(scores[-RECENT:]) if scores else UNRATED_WEAKNESS
    due_at = history[-1].recorded_at + interval if history else None
    if due_at is None:
        overdue = 4.0  # never practised: as due as can be
    else:
        days = (now - due_at).total_seconds() / 86400
        overdue = max(-4.0, min(4.0, days / 7))
    return Need(question_id, due_at, interval, overdue, weakness, 3 / (1 + len(history)))


def weakest_first(
    questions: Sequence[Question], takes: dict[str, list[RatedTake]], now: datetime
) -> list[Question]:
    """`questions` by need, highest first (a stable sort: ties keep the deck order)."""
    needs = {q.id: assess(q.id, takes.get(q.id, []), now).total for q in questions}
    return sorted(questions, key=lambda q: -needs[q.id])


def shuffled_within_stages(questions: Sequence[Question], rng: random.Random) -> list[Question]:
    """Stages stay in the article's order; the questions inside each are shuffled."""
    stages: dict[str, list[Question]] = {}
    for q in questions:
        stages.setdefault(q.stage_id, []).append(q)
    ordered: list[Question] = []
    for group in stages.values():
        group = list(group)
        rng.shuffle(group)
        ordered += group
    return ordered


def practice_queue(
    questions: Sequence[Question],
    order: PracticeOrder,
    takes: dict[str, list[RatedTake]] | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    """The questions of one session, in the chosen order."""
    if order is PracticeOrder.SHUFFLED:
        return shuffled_within_stages(questions, rng or random.Random())
    if order is PracticeOrder.WEAKEST_FIRST:
        return weakest_first(questions, takes or {}, now or datetime.now().astimezone())
    return list(questions)
