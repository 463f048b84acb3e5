"""History and Progress read the stored line check (issue 18): History's figure per take and its
"not yet by heart" filter; Progress's by-heart trend per question (memory and run takes only)."""

from __future__ import annotations

from pathlib import Path

from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.history import GroupBy, LineFigure, TakeFilter, find_page
from closer_desktop.storage.queries.progress import Scope, load_progress
from tests.support.line_library import DECISION, DECK, NEXT_STEPS, line_library


def test_history_pages_carry_each_takes_line_figure(data_dir: Path) -> None:
    ids = line_library(data_dir)
    library = Library(data_dir)
    page = find_page(library, TakeFilter(), GroupBy.DATE, 0, 50)
    assert len(page.takes) == 6
    assert page.line == {
        ids["read"]: LineFigure(1.0, False, 0),
        ids["weak"]: LineFigure(0.5, False, 1),
        ids["keyless"]: LineFigure(0.75, False, 1),
        ids["perfect"]: LineFigure(1.0, False, 0),
        ids["other"]: LineFigure(0.0, True, 1),
    }  # the take without a transcript has none
    assert [page.line[ids[n]].weak for n in ("read", "weak", "keyless", "other")] == [
        False,
        True,
        True,
        True,
    ]
    library.close()


def test_the_not_yet_by_heart_filter_finds_weak_lines_only(data_dir: Path) -> None:
    ids = line_library(data_dir)
    library = Library(data_dir)
    weak = TakeFilter(line_weak=True)
    found = {t.id for t in find_page(library, weak, GroupBy.DATE, 0, 50).takes}
    assert found == {ids["weak"], ids["keyless"], ids["other"]}
    both = TakeFilter(line_weak=True, question_id=NEXT_STEPS.id)
    assert {t.id for t in find_page(library, both, GroupBy.DATE, 0, 50).takes} == {
        ids["weak"],
        ids["keyless"],
    }
    library.close()


def test_a_damaged_stored_check_reads_as_none(data_dir: Path) -> None:
    """A restored or damaged library may hold anything there: no figure, never an error."""
    ids = line_library(data_dir)
    library = Library(data_dir)
    library.db.execute(
        "UPDATE take_metrics SET metrics = json_set(metrics, '$.line_match.score', 'high') "
        "WHERE take_id = ?",
        (ids["weak"],),
    )
    library.db.execute(
        "UPDATE take_metrics SET metrics = json_set(metrics, '$.line_match', json('[1]')) "
        "WHERE take_id = ?",
        (ids["keyless"],),
    )
    page = find_page(library, TakeFilter(), GroupBy.DATE, 0, 50)
    assert ids["weak"] not in page.line and ids["keyless"] not in page.line
    assert ids["read"] in page.line
    library.close()


def test_progress_has_a_by_heart_trend_per_question(data_dir: Path) -> None:
    ids = line_library(data_dir)
    library = Library(data_dir)
    progress = load_progress(library, Scope(DECK.id))
    trends = progress.by_heart
    assert set(trends) == {NEXT_STEPS.id, DECISION.id}
    steps = trends[NEXT_STEPS.id]  # memory takes only, oldest first: the read take is not one
    assert [p.take_id for p in steps] == [ids["weak"], ids["keyless"], ids["perfect"]]
    assert [p.line_match for p in steps] == [0.5, 0.75, 1.0]
    assert [p.recalled for p in steps] == [False, False, True]
    (run,) = trends[DECISION.id]  # the take without a transcript has no point
    assert (run.take_id, run.mode, run.different) == (ids["other"], "run", True)
    one = load_progress(library, Scope(DECK.id, DECISION.id))
    assert set(one.by_heart) == {DECISION.id}
    library.close()


def test_progress_has_no_by_heart_trend_before_a_take_is_said_by_heart(data_dir: Path) -> None:
    ids = line_library(data_dir)
    library = Library(data_dir)
    library.db.execute("UPDATE takes SET mode = 'read', hint_level = NULL")
    assert load_progress(library, Scope(DECK.id)).by_heart == {}
    library.close()
    del ids
