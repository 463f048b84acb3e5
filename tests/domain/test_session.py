"""The practice session's rules without Qt: queue moves, rating targets, auto-advance, summary."""

from __future__ import annotations

from dataclasses import replace

import pytest

from closer_desktop.domain.deck import Question
from closer_desktop.domain.practice import RatingScale
from closer_desktop.domain.progress import Comparison
from closer_desktop.domain.scheduler import PracticePlan
from closer_desktop.domain.session import (
    SessionSummary,
    accidental_take,
    auto_advances,
    first_rating_target,
    in_queue,
    next_index,
    questions_to_practise,
    rating_change,
    rating_target_after,
    record_blocker,
    summarize_session,
)
from tests.domain.test_practice import make_take

P, C = RatingScale.PROFESSIONALISM, RatingScale.CLARITY


def question(qid: str) -> Question:
    return Question(qid, qid.upper(), "", 20.0, "s", "Stage")


QUESTIONS = [question(q) for q in "abc"]


def test_the_plan_leaves_questions_out_but_never_all_of_them() -> None:
    plan = PracticePlan(skipped=frozenset({"b"}))
    assert [q.id for q in questions_to_practise(QUESTIONS, plan)] == ["a", "c"]
    everything_left_out = PracticePlan(skipped=frozenset({"a", "b", "c"}))
    assert [q.id for q in questions_to_practise(QUESTIONS, everything_left_out)] == ["a", "b", "c"]


def test_moves_stay_inside_the_queue_and_the_end_of_the_deck_is_none() -> None:
    assert [in_queue(i, 3) for i in (-1, 0, 2, 3)] == [False, True, True, False]
    assert next_index(0, 3) == 1
    assert next_index(2, 3) is None  # the summary comes next
    assert next_index(0, 1) is None


def test_digits_rate_professionalism_then_clarity_and_then_the_take_is_saved() -> None:
    take = make_take(1, "a", 0, None, None)
    assert first_rating_target(take) is P
    assert first_rating_target(None) is None
    assert first_rating_target(make_take(2, "a", 0, 3, None)) is C  # half rated: the other
    assert first_rating_target(make_take(3, "a", 0, 3, 4)) is None  # both set: shown saved
    assert rating_target_after(P, make_take(1, "a", 0, 3, None)) is C
    assert rating_target_after(C, make_take(1, "a", 0, 3, 4)) is None  # saved: nothing targeted
    assert rating_target_after(C, make_take(1, "a", 0, None, 4)) is P  # clarity clicked first


def test_a_digit_that_changes_a_rating_says_so_and_one_that_sets_it_does_not() -> None:
    assert rating_change(P, 3, 4) == "Professionalism changed 3 → 4."
    assert rating_change(C, 5, 2) == "Clarity changed 5 → 2."
    assert rating_change(P, None, 4) is None
    assert rating_change(C, 4, 4) is None


@pytest.mark.parametrize(
    ("rated", "p", "c", "enabled", "expected"),
    [
        (C, 3, 4, True, True),  # clarity rated last, both in: on to the next question
        (C, 3, 4, False, False),  # the setting is off
        (P, 3, 4, True, False),  # professionalism rated again: the user may go on to clarity
        (C, None, 4, True, False),  # professionalism still missing
    ],
)
def test_auto_advance_waits_for_both_ratings_and_the_setting(
    rated: RatingScale, p: int | None, c: int | None, enabled: bool, expected: bool
) -> None:
    assert auto_advances(rated, make_take(1, "a", 0, p, c), enabled) is expected


def test_the_summary_follows_the_queue_and_adds_up_takes_and_time() -> None:
    queue = [QUESTIONS[2], QUESTIONS[0]]  # weakest-first put c before a
    takes = [make_take(1, "a", 0, 2, 3), make_take(2, "a", 1, 4, None), make_take(3, "c", 2, 5, 5)]
    takes[1] = replace(takes[1], duration_s=12.5)
    comparison = Comparison("a", 3.0, 3.0, previous_professionalism=2.0)
    summary = summarize_session(queue, takes, {"a": comparison})
    assert [q.question_id for q in summary.questions] == ["c", "a"]
    assert (summary.total_takes, summary.spoken_s) == (3, 32.5)
    assert summary.questions[1].best_professionalism == 4
    assert summary.comparisons == {"a": comparison}


def test_a_session_with_nothing_saved_sums_to_nothing() -> None:
    summary = summarize_session(QUESTIONS, [])
    assert (summary.total_takes, summary.spoken_s, summary.comparisons) == (0, 0.0, {})
    assert SessionSummary().total_takes == 0


def test_what_keeps_a_take_from_starting_comes_in_the_order_the_user_can_act_on() -> None:
    assert record_blocker(None, False, None, True, False) is None
    damaged = "Your library is damaged."
    assert record_blocker(damaged, True, "No microphone.", False, True) == damaged
    assert record_blocker(None, True, "No microphone.", False, True) == "Looking for a microphone…"
    assert record_blocker(None, False, "No microphone.", False, True) == "No microphone."
    assert record_blocker(None, False, None, False, True) == "Opening your library…"
    assert record_blocker(None, False, None, True, True) == "Putting the weakest questions first…"


@pytest.mark.parametrize(
    ("duration", "sounding", "kept"),
    [
        (0.1, 0.1, False),  # Space twice while typing: too short
        (0.69, 0.6, False),
        (0.7, 0.6, True),  # "Yes." is an answer
        (4.0, 0.1, False),  # four seconds of a quiet room: nothing said
        (4.0, 0.25, True),
        (12.0, 9.0, True),
    ],
)
def test_a_take_too_short_or_with_nothing_said_is_accidental(
    duration: float, sounding: float, kept: bool
) -> None:
    reason = accidental_take(duration, sounding)
    assert (reason is None) is kept
    if duration < 0.7:
        assert reason == "That take lasted under a second, so it was set aside."
