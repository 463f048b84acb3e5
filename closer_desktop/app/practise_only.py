"""Practise a few chosen questions now: Progress's "Practise" buttons and the summary's
"Practise the weakest two" start practice on exactly those, in one click."""

from __future__ import annotations

from collections.abc import Iterable

from closer_desktop.app.practice import PracticeController
from closer_desktop.domain.scheduler import PracticePlan


def practise_only(
    controller: PracticeController, question_ids: Iterable[str], new_session: bool = False
) -> bool:
    """Practise exactly these questions of the practised deck, from the first in the plan's
    order, this time only (a plan that skips the others; the deck's remembered choice is kept).
    The window shows the practice page once the queue is in. `new_session`: the next take starts
    a session (from the summary, as "Practise again" does). False when none is in the deck."""
    wanted = set(question_ids)
    deck = controller.deck
    skipped = frozenset(q.id for q in deck.questions if q.id not in wanted)
    if len(skipped) == len(deck.questions):
        return False
    if new_session:
        controller.session_id = None
    controller.use_deck(deck, PracticePlan(order=controller.plan.order, skipped=skipped))
    return True
