"""The line check stored with each take (issue 18): computed once its transcript is stored,
against the wording and key phrases the take answered, beside that transcript in its metrics;
replaced when the take is analysed again; added to metrics stored before it existed; and fed to
the weakest-first queue."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from closer_desktop.app import operations as ops
from closer_desktop.app.deck_queue import DeckQueue
from closer_desktop.app.library import LibraryService
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain.deck import Question
from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import LINE_MATCH, metrics_by_take
from tests.support.line_library import (
    DECISION,
    DECK,
    NEXT_STEPS,
    START,
    analyse,
    line_library,
    record,
    said_metrics,
)


def stored_line(library: Library, take_id: int) -> object:
    return metrics_by_take(library, [take_id])[take_id].get(LINE_MATCH, "absent")


def test_each_take_is_checked_against_the_wording_it_answered(data_dir: Path) -> None:
    ids = line_library(data_dir)
    library = Library(data_dir)
    keyless = stored_line(library, ids["keyless"])
    assert isinstance(keyless, dict)
    assert keyless["changed"] == [{"said": "stages", "expected": "steps"}]
    assert keyless["missed"] == [] and keyless["added"] == []
    assert keyless["key_missed"] == ["next steps"]  # the take's own key phrases
    assert keyless["score"] == 0.75
    other = stored_line(library, ids["other"])
    assert isinstance(other, dict) and other["different"] is True
    assert other["other_line"] == NEXT_STEPS.text  # another line of the deck, named
    assert stored_line(library, ids["untranscribed"]) is None  # checked: no transcript
    library.close()


def test_a_later_edit_of_the_line_never_changes_an_earlier_take(data_dir: Path) -> None:
    """The deck's line is edited after a take: the take keeps (and is checked by) what it
    answered, the new take by the new wording and key phrases."""
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    before = record(
        library, session, NEXT_STEPS, "What are the next steps in the hiring process?", 0, "memory"
    )
    edited = Question(
        id=NEXT_STEPS.id,
        text="What happens next in the process?",
        tip=NEXT_STEPS.tip,
        target_seconds=NEXT_STEPS.target_seconds,
        stage_id=NEXT_STEPS.stage_id,
        stage_title=NEXT_STEPS.stage_title,
        key_phrases=("happens next",),
    )
    after = record(
        library, session, edited, "What are the next steps in the hiring process?", 1, "memory"
    )
    assert analyse(library, before, "What are the next steps in the hiring process?")  # again
    first, second = stored_line(library, before.id), stored_line(library, after.id)
    assert isinstance(first, dict) and first["score"] == 1.0 and first["key_missed"] == []
    assert isinstance(second, dict) and second["key_missed"] == ["happens next"]
    assert second["score"] < 0.8
    library.close()


def test_a_new_analysis_replaces_the_check_with_its_transcript(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    take = record(library, session, DECISION, "When will you be making a decision?", 0, "memory")
    first = stored_line(library, take.id)
    assert isinstance(first, dict) and first["score"] == 1.0
    assert analyse(library, take, "When will you be deciding?")  # a newer analyser heard this
    again = stored_line(library, take.id)
    assert isinstance(again, dict) and again["key_missed"] == ["making a decision"]
    assert again["changed"] == [{"said": "deciding", "expected": "decision"}]
    assert again["missed"] == ["making", "a"]
    library.close()


def test_metrics_stored_before_the_line_check_get_one(data_dir: Path) -> None:
    """Metrics saved by an earlier Closer (no line_match key) get their check when the
    catch-up starts, from their stored transcript; the rest of the JSON is left as it was."""
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    take = record(library, session, DECISION, None, 0)
    old = said_metrics("When will you make a decision?")
    library.db.execute(
        "UPDATE take_metrics SET metrics = ? WHERE take_id = ?", (json.dumps(old), take.id)
    )
    assert stored_line(library, take.id) == "absent"

    assert ops.takes_needing_metrics().work(library) == []  # the catch-up's first step
    check = stored_line(library, take.id)
    assert isinstance(check, dict)
    assert check["changed"] == [{"said": "make", "expected": "making"}]
    stored = metrics_by_take(library, [take.id])[take.id]
    assert {k: v for k, v in stored.items() if k != LINE_MATCH} == old
    assert ops.fill_line_matches(library) == 0  # nothing left to fill
    library.close()


def test_weakest_first_brings_back_a_line_not_yet_recalled(qtbot: QtBot, data_dir: Path) -> None:
    """Two questions rated alike (5 and 5) a day ago; one was said from memory with a key
    phrase left out: the queue, fed from storage, puts that one first."""
    library = Library(data_dir)
    session = library.start_session(DECK.id, START)
    recalled = record(
        library,
        session,
        NEXT_STEPS,
        "What are the next steps in the hiring process?",
        0,
        "memory",
        rating=5,
    )
    forgot = record(library, session, DECISION, "When will you be deciding?", 1, "memory", rating=5)
    history = library.rated_history(DECK.id)
    assert (history[DECISION.id][0].mode, history[DECISION.id][0].key_missed) == ("memory", True)
    assert history[NEXT_STEPS.id][0].line_match == 1.0
    assert history[DECISION.id][0].recall_failed and not history[NEXT_STEPS.id][0].recall_failed
    library.set_hint_level(recalled.id, 3)  # the same take, said once H showed the whole line
    history = library.rated_history(DECK.id)
    assert history[NEXT_STEPS.id][0].hint_level == 3
    assert history[NEXT_STEPS.id][0].recall_failed
    library.set_hint_level(recalled.id, 0)
    library.close()
    del recalled, forgot

    plan = PracticePlan(
        PracticeOrder.WEAKEST_FIRST,
        frozenset(q.id for q in DECK.questions if q not in (NEXT_STEPS, DECISION)),
    )
    service = LibraryService(data_dir)
    files = TaskRunner("files")
    try:
        with qtbot.waitSignal(service.ready, timeout=10_000):
            service.open()
        arrived: list[list[Question]] = []
        assert DeckQueue(data_dir, files, service).order(DECK, plan, arrived.append)
        qtbot.waitUntil(lambda: bool(arrived), timeout=10_000)
        assert [q.id for q in arrived[0]] == [DECISION.id, NEXT_STEPS.id]
    finally:
        files.shutdown()
        service.close()
