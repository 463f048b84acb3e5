"""The practice order, with a fixed clock: the documented rule, case by case."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from closer_desktop.domain.deck import Question
from closer_desktop.domain.scheduler import (
    FIRST_INTERVAL,
    GROWTH,
    MAX_INTERVAL,
    PracticeOrder,
    RatedTake,
    assess,
    practice_queue,
    shuffled_within_stages,
    weakest_first,
)

NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def q(qid: str, stage: str = "s1") -> Question:
    return Question(qid, f"text {qid}", "", 10, stage, stage.upper())


def take(days_ago: float, professionalism: int | None, clarity: int | None) -> RatedTake:
    return RatedTake(NOW - timedelta(days=days_ago), professionalism, clarity)


def test_a_good_take_pushes_the_question_back_and_grows_the_interval() -> None:
    once = assess("a", [take(0, 5, 4)], NOW)
    assert once.interval == FIRST_INTERVAL
    assert once.due_at == NOW + FIRST_INTERVAL
    twice = assess("a", [take(2, 5, 4), take(0, 4, 4)], NOW)
    assert twice.interval == FIRST_INTERVAL * GROWTH


def test_the_interval_is_capped() -> None:
    takes = [take(100 - i, 5, 5) for i in range(20)]
    assert assess("a", takes, NOW).interval == MAX_INTERVAL


def test_a_low_rating_on_either_scale_brings_it_forward_at_once() -> None:
    need = assess("a", [take(3, 5, 5), take(2, 5, 5), take(1, 5, 2)], NOW)
    assert need.interval == timedelta(0)
    assert need.due_at == NOW - timedelta(days=1)
    assert need.overdue > 0


def test_a_middling_rating_keeps_at_least_half_a_day() -> None:
    assert assess("a", [take(0, 3, 4)], NOW).interval == timedelta(hours=12)
    grown = assess("a", [take(2, 5, 5), take(1, 5, 5), take(0, 3, 3)], NOW)
    assert grown.interval == FIRST_INTERVAL * GROWTH


def test_unrated_takes_count_as_takes_but_not_as_scores() -> None:
    need = assess("a", [take(1, None, None), take(0, None, None)], NOW)
    assert need.interval == timedelta(0)
    assert need.weakness == 2.0
    assert need.scarcity == 1.0


def test_weakness_uses_the_last_three_scores_only() -> None:
    need = assess("a", [take(5, 1, 1), take(4, 5, 5), take(3, 5, 4), take(2, 4, 5)], NOW)
    assert need.weakness == 5 - (5 + 4 + 4) / 3


def test_weakest_first_orders_by_need() -> None:
    questions = [q("strong"), q("never"), q("weak"), q("stale")]
    history = {
        "strong": [take(1, 5, 5), take(0.5, 5, 5)],
        "weak": [take(0.2, 2, 4)],
        "stale": [take(60, 4, 4)],  # good once, but two months ago
    }
    order = [x.id for x in weakest_first(questions, history, NOW)]
    assert order[-1] == "strong"
    assert order.index("never") < order.index("strong")
    assert order.index("weak") < order.index("strong")
    assert order.index("stale") < order.index("strong")


def test_a_question_rated_well_moves_down_and_badly_moves_up() -> None:
    questions = [q("a"), q("b"), q("c")]
    base = {x.id: [take(2, 3, 3)] for x in questions}
    assert [x.id for x in weakest_first(questions, base, NOW)] == [
        "a",
        "b",
        "c",
    ]  # ties: deck order
    better = dict(base, a=[take(2, 3, 3), take(0, 5, 5)])
    assert [x.id for x in weakest_first(questions, better, NOW)][-1] == "a"
    worse = dict(base, c=[take(2, 3, 3), take(0, 1, 3)])
    assert next(x.id for x in weakest_first(questions, worse, NOW)) == "c"


def test_shuffled_keeps_stages_in_order_and_every_question() -> None:
    questions = [q("a1", "a"), q("a2", "a"), q("a3", "a"), q("b1", "b"), q("b2", "b")]
    seen_orders = set()
    for seed in range(20):
        order = shuffled_within_stages(questions, random.Random(seed))
        assert sorted(x.id for x in order) == sorted(x.id for x in questions)
        assert [x.stage_id for x in order] == ["a", "a", "a", "b", "b"]
        seen_orders.add(tuple(x.id for x in order))
    assert len(seen_orders) > 1


def test_practice_queue_in_order_is_the_deck_order() -> None:
    questions = [q("a"), q("b")]
    assert practice_queue(questions, PracticeOrder.IN_ORDER) == questions
    assert PracticeOrder("weakest-first") is PracticeOrder.WEAKEST_FIRST


def test_a_line_not_yet_recalled_comes_back_at_once() -> None:
    """Said from memory below 0.8 line match, or with a key phrase left out, a take counts as
    weak (at most 2) however well it was rated; read aloud, the same take is not."""

    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    when = now - timedelta(hours=1)
    read = RatedTake(when, 5, 5, mode="read", line_match=0.5)
    forgotten = RatedTake(when, 5, 5, mode="memory", line_match=0.5)
    key_left_out = RatedTake(when, 5, 5, mode="run", line_match=1.0, key_missed=True)
    recalled = RatedTake(when, 5, 5, mode="memory", line_match=0.9)
    unrated_forgotten = RatedTake(when, None, None, mode="memory", line_match=0.3)
    assert read.score == 5 and recalled.score == 5
    assert forgotten.score == 2 and key_left_out.score == 2 and unrated_forgotten.score == 2
    assert assess("q", [forgotten], now).due_at == when  # due again at once
    assert assess("q", [recalled], now).due_at == when + timedelta(days=1)
    assert assess("q", [forgotten], now).total > assess("q", [recalled], now).total


def test_a_line_said_once_the_hints_showed_it_whole_was_read_not_recalled() -> None:
    """From memory or in a run, a take said after H showed the whole line matches it well
    because it was read: it counts as weak; a lower hint step with a good match does not."""
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    when = now - timedelta(hours=1)
    read_off_the_hint = RatedTake(when, 5, 5, mode="memory", line_match=1.0, hint_level=3)
    read_in_the_run = RatedTake(when, 5, 5, mode="run", line_match=1.0, hint_level=3)
    key_words_only = RatedTake(when, 5, 5, mode="memory", line_match=1.0, hint_level=2)
    read_mode = RatedTake(when, 5, 5, mode="read", line_match=1.0, hint_level=3)
    assert read_off_the_hint.score == 2 and read_in_the_run.score == 2
    assert key_words_only.score == 5 and read_mode.score == 5
