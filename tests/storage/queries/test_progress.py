"""Progress aggregates on a constructed library whose answers are worked out by hand.

The library is described in tests/support/progress_library.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta, timezone
from pathlib import Path

import pytest

from closer_desktop.domain.progress import (
    Comparison,
    Trend,
    format_score,
    format_spoken,
    needs_work,
    streaks,
)
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import (
    DeliveryPoint,
    Scope,
    compare_with_previous,
    delivery_points,
    load_progress,
    practice_days,
    question_progress,
    session_points,
    take_points,
)
from closer_desktop.storage.take_metrics import save_metrics
from tests.support.delivery import delivery_metrics
from tests.support.progress_library import DECK, TZ, Q, add, at, build

DECK_SCOPE = Scope(DECK.id)


@pytest.fixture
def built(data_dir: Path) -> Iterator[tuple[Library, dict[str, int]]]:
    library = Library(data_dir)
    ids = build(library)
    yield library, ids
    library.close()


@pytest.fixture
def library(built: tuple[Library, dict[str, int]]) -> Library:
    return built[0]


@pytest.fixture
def ids(built: tuple[Library, dict[str, int]]) -> dict[str, int]:
    return built[1]


def test_totals_days_and_streaks(library: Library) -> None:
    progress = load_progress(library, DECK_SCOPE, today=date(2026, 11, 5))
    totals = progress.totals
    assert (totals.sessions, totals.takes, totals.rated, totals.days) == (4, 9, 8, 4)
    assert totals.spoken_s == pytest.approx(91.0)
    assert totals.minutes == pytest.approx(91 / 60)
    # The 23:30 takes count on 3 November, the user's day, not on UTC's 4 November.
    assert [(d.day.isoformat(), d.takes, d.spoken_s) for d in progress.days] == [
        ("2026-10-30", 1, 9.0),
        ("2026-11-02", 3, 30.0),
        ("2026-11-03", 3, 36.0),
        ("2026-11-04", 2, 16.0),
    ]
    assert (progress.streaks.current, progress.streaks.longest) == (3, 3)
    assert progress.streaks.last_day == date(2026, 11, 4)
    # Today not practised yet: the run still stands; a whole day missed ends it.
    days = [d.day for d in practice_days(library)]
    assert streaks(days, date(2026, 11, 4)).current == 3
    assert streaks(days, date(2026, 11, 6)).current == 0
    assert streaks(days, date(2026, 11, 6)).longest == 3


def test_per_question_figures(library: Library, ids: dict[str, int]) -> None:
    by_id = {q.question_id: q for q in question_progress(library, DECK_SCOPE)}
    assert list(by_id) == [Q[3], Q[0], Q[1], Q[2]]  # in the order first practised
    q0 = by_id[Q[0]]
    assert (q0.takes, q0.spoken_s) == (4, 43.0)
    assert (q0.mean_professionalism, q0.mean_clarity) == (3.5, 2.5)
    assert (q0.best_professionalism, q0.best_clarity) == (5, 4)
    assert (q0.latest_professionalism, q0.latest_clarity) == (5, 4)
    assert (q0.first_professionalism, q0.first_clarity) == (3.0, 2.0)  # (2,3,4) and (1,2,3)
    assert (q0.recent_professionalism, q0.recent_clarity) == (4.0, 3.0)  # (3,4,5) and (2,3,4)
    assert q0.recent_score == 3.0  # lower ratings 2, 3, 4
    assert q0.latest_take_id == ids["t7"]
    q1 = by_id[Q[1]]  # the trashed (5,5) does not count; the unrated take counts as a take
    assert (q1.takes, q1.rated, q1.spoken_s) == (2, 1, 13.0)
    assert (q1.latest_professionalism, q1.recent_score) == (4, 4.0)
    assert q1.latest_take_id == ids["t5"]
    q2 = by_id[Q[2]]
    assert (q2.recent_professionalism, q2.recent_clarity) == (1.5, 2.0)
    assert q2.recent_score == 1.5  # min(1,2) = 1 and 2 (clarity not rated)
    assert (q2.latest_professionalism, q2.latest_clarity) == (2, 2)
    assert q2.question_text == DECK.questions[2].text
    assert by_id[Q[3]].takes == 1  # the take left recording is not counted


def test_needs_work_lowest_recent_scores_first(library: Library) -> None:
    questions = question_progress(library, DECK_SCOPE)
    # q2 1.5; then q0 and q3 both 3.0, q3 first (recent means 3+3 < 4+3); q1 at 4 is fine.
    assert [q.question_id for q in needs_work(questions)] == [Q[2], Q[3], Q[0]]
    assert [q.question_id for q in needs_work(questions, limit=1)] == [Q[2]]
    assert needs_work(questions, below=1.5) == []


def test_take_series_with_moving_average(library: Library, ids: dict[str, int]) -> None:
    everything = take_points(library, DECK_SCOPE)  # the default window holds all 8
    assert everything[-1].moving_professionalism == pytest.approx(24 / 8)  # 3 2 3 4 4 1 5 2
    assert everything[-1].moving_clarity == pytest.approx(19 / 7)  # 3 1 2 4 3 2 4 (t8: none)
    points = take_points(library, DECK_SCOPE, window=5)
    order = ["t10", "t1", "t2", "t3", "t4", "t6", "t7", "t8"]  # rated, in time order
    assert [p.take_id for p in points] == [ids[n] for n in order]
    last = points[-1]  # window: t3 t4 t6 t7 t8
    assert last.moving_professionalism == pytest.approx((4 + 4 + 1 + 5 + 2) / 5)
    assert last.moving_clarity == pytest.approx((4 + 3 + 2 + 4) / 4)
    assert points[-2].moving_professionalism == pytest.approx((3 + 4 + 4 + 1 + 5) / 5)
    assert points[0].moving_professionalism == 3.0
    # Limited to the latest three: the averages are still over everything before them.
    latest = take_points(library, DECK_SCOPE, limit=3, window=5)
    assert [p.take_id for p in latest] == [ids["t6"], ids["t7"], ids["t8"]]
    assert latest[-1].moving_professionalism == last.moving_professionalism
    one = take_points(library, Scope(DECK.id, Q[2]))
    assert [(p.professionalism, p.clarity) for p in one] == [(1, 2), (2, None)]
    assert one[-1].moving_clarity == 2.0


def test_session_series(library: Library) -> None:
    sessions = session_points(library, DECK_SCOPE)
    assert [s.takes for s in sessions] == [1, 3, 3, 2]  # D, A, B, C
    assert [s.professionalism for s in sessions] == [3.0, 3.0, 2.5, 3.5]
    assert [s.clarity for s in sessions] == pytest.approx([3.0, 7 / 3, 2.5, 4.0])
    assert sessions[0].started_at == at("2026-10-30", "18:00")
    assert sessions[-1].moving_professionalism == pytest.approx(3.0)
    assert sessions[-1].moving_clarity == pytest.approx((3 + 7 / 3 + 2.5 + 4) / 4)
    q0 = session_points(library, Scope(DECK.id, Q[0]))
    assert [(s.professionalism, s.clarity) for s in q0] == [(2.5, 1.5), (4.0, 3.0), (5.0, 4.0)]


def test_best_and_latest(library: Library, ids: dict[str, int]) -> None:
    progress = load_progress(library, DECK_SCOPE, today=date(2026, 11, 5))
    assert progress.best is not None and progress.best.take_id == ids["t7"]  # 5+4; t9 trashed
    assert progress.latest is not None and progress.latest.take_id == ids["t8"]
    assert progress.rated_in_scope == 8
    assert [q.question_id for q in progress.needs_work] == [Q[2], Q[3], Q[0]]
    other_deck = load_progress(library, Scope("another-deck"), today=date(2026, 11, 5))
    assert other_deck.takes == [] and other_deck.best is None and other_deck.questions == []
    assert other_deck.totals.takes == 9  # totals and the calendar cover every deck


def test_an_empty_library_and_a_single_take(data_dir: Path) -> None:
    library = Library(data_dir)
    empty = load_progress(library, DECK_SCOPE, today=date(2026, 11, 5))
    assert empty.empty and empty.totals.takes == 0 and empty.streaks.current == 0
    assert (empty.takes, empty.sessions, empty.questions, empty.days) == ([], [], [], [])
    assert empty.latest is None and empty.best is None
    session = library.start_session(DECK.id)
    add(library, session, 0, at("2026-11-05", "08:00"), 4, None, 12)
    one = load_progress(library, DECK_SCOPE, today=date(2026, 11, 5))
    assert (one.totals.takes, one.totals.days, one.streaks.current) == (1, 1, 1)
    assert len(one.takes) == len(one.sessions) == len(one.questions) == 1
    assert one.takes[0].moving_professionalism == 4.0 and one.takes[0].moving_clarity is None
    assert one.questions[0].recent_score == 4.0 and one.needs_work == []
    library.close()


def test_time_order_follows_the_offset_not_the_text(data_dir: Path) -> None:
    """The night clocks go back: 01:30 EDT comes before 01:10 EST, though its text sorts after."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    first = add(library, session, 0, at("2026-11-01", "01:30", timezone(timedelta(hours=-4))), 2, 2)
    second = add(library, session, 0, at("2026-11-01", "01:10", TZ), 4, 4)
    points = take_points(library, DECK_SCOPE)
    assert [p.take_id for p in points] == [first, second]
    (question,) = question_progress(library, DECK_SCOPE)
    assert (question.latest_professionalism, question.latest_take_id) == (4, second)
    library.close()


def test_compare_with_the_previous_session_on_each_question(data_dir: Path) -> None:
    library = Library(data_dir)
    s0, s1, s2 = (library.start_session(DECK.id) for _ in range(3))
    add(library, s0, 0, at("2026-11-01", "10:00"), 1, 1)  # older than s1: not the one compared
    add(library, s1, 0, at("2026-11-02", "10:00"), 4, 4)
    add(library, s1, 1, at("2026-11-02", "10:01"), 2, 2)
    add(library, s1, 2, at("2026-11-02", "10:02"), 3, 3)
    add(library, s2, 0, at("2026-11-03", "10:00"), 2, 3)  # -2 and -1: worse
    add(library, s2, 1, at("2026-11-03", "10:01"), 3, 3)  # +1 +1: better
    add(library, s2, 1, at("2026-11-03", "10:02"), 4, None)  # p mean 3.5
    add(library, s2, 2, at("2026-11-03", "10:03"), 3, 3)  # same
    add(library, s2, 3, at("2026-11-03", "10:04"), 5, 5)  # first time
    result = compare_with_previous(library, s2)
    assert {q: c.trend for q, c in result.items()} == {
        Q[0]: Trend.WORSE,
        Q[1]: Trend.BETTER,
        Q[2]: Trend.SAME,
        Q[3]: None,
    }
    assert result[Q[0]].previous_professionalism == 4.0  # s1's, not s0's
    assert result[Q[0]].change == pytest.approx(-1.5)
    assert (result[Q[1]].professionalism, result[Q[1]].clarity) == (3.5, 3.0)
    assert result[Q[1]].change == pytest.approx((1.5 + 1.0) / 2)
    assert result[Q[1]].previous_at == at("2026-11-02", "10:01")
    assert not result[Q[3]].has_previous
    assert compare_with_previous(library, s0)[Q[0]].trend is None  # nothing before it
    library.close()


@pytest.mark.parametrize(
    ("now", "then", "trend"),
    [
        ((4.0, 4.0), (3.0, 4.0), Trend.BETTER),  # +0.5
        ((3.0, 4.0), (3.0, 3.75), Trend.SAME),  # +0.125
        ((3.0, None), (3.5, 1.0), Trend.WORSE),  # only professionalism compares: -0.5
        ((3.0, None), (3.25, 1.0), Trend.SAME),  # -0.25 reads -0.2, steady (domain trend_of)
        ((None, None), (3.0, 3.0), None),
    ],
)
def test_trend_rules(
    now: tuple[float | None, float | None], then: tuple[float | None, float | None], trend: Trend
) -> None:
    comparison = Comparison("q", *now, *then, previous_at=at("2026-11-01", "10:00"))
    assert comparison.trend is trend


def test_format_spoken() -> None:
    assert [format_spoken(s) for s in (0, 44.6, 91, 3599.4, 3600, 87041)] == [
        "0 s",
        "45 s",
        "1 min 31 s",
        "59 min 59 s",
        "1 h 00 min",
        "24 h 10 min",
    ]


def test_format_score() -> None:
    assert [format_score(v) for v in (None, 4.0, 3.5, 11 / 3, 3.96)] == [
        "–",
        "4",
        "3.5",
        "3.7",
        "4",
    ]


def test_delivery_trend_per_session(library: Library, ids: dict[str, int]) -> None:
    assert delivery_points(library, DECK_SCOPE) == list[DeliveryPoint]()  # nothing analysed yet
    assert load_progress(library, DECK_SCOPE).delivery == []
    analysed = {  # session A: t1-t3, B: t4 (t5, t6 not analysed), C: only t9, in the trash
        "t1": delivery_metrics(120, fillers=2, pitch=3.0, speaking_s=60),
        "t2": delivery_metrics(180, fillers=1, pitch=1.0, speaking_s=30),
        "t3": delivery_metrics(None, pitch=5.0),  # no transcript: pitch only
        "t4": delivery_metrics(90, pitch=None, speaking_s=40),
        "t9": delivery_metrics(300, fillers=9, pitch=9.0),
        "t10": delivery_metrics(150, pitch=2.5),  # session D, the earliest
    }
    for name, metrics in analysed.items():
        assert save_metrics(library, ids[name], metrics)
    points = delivery_points(library, DECK_SCOPE)
    assert [(p.started_at, p.takes) for p in points] == [
        (at("2026-10-30", "18:00"), 1),
        (at("2026-11-02", "10:00"), 3),
        (at("2026-11-03", "23:30"), 1),
    ]
    d, a, b = points
    assert (d.words_per_minute, d.fillers_per_minute, d.pitch_spread_semitones) == (150, 0, 2.5)
    # A: pace over speaking time, (120 * 60 + 180 * 30) / 90; fillers 3 in 90 s; pitch (3+1+5)/3.
    assert a.words_per_minute == pytest.approx(140.0)
    assert a.fillers_per_minute == pytest.approx(2.0)
    assert a.pitch_spread_semitones == pytest.approx(3.0)
    assert (b.words_per_minute, b.fillers_per_minute, b.pitch_spread_semitones) == (90, 0, None)
    assert load_progress(library, DECK_SCOPE).delivery == points
    # One question: q0's analysed takes are t1, t2 (A) and t4 (B).
    q0 = delivery_points(library, Scope(DECK.id, Q[0]))
    assert [p.session_id for p in q0] == [a.session_id, b.session_id]
    assert q0[0].words_per_minute == pytest.approx(140.0) and q0[0].takes == 2
    assert q0[0].pitch_spread_semitones == pytest.approx(2.0)
    # The latest sessions only, still oldest first; another deck has none.
    assert delivery_points(library, DECK_SCOPE, limit=2) == [a, b]
    assert delivery_points(library, Scope("another-deck")) == []
