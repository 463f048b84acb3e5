"""A take said from memory once the hints had shown the whole line was read, not recalled: the
practice scheduler counts it so (domain/scheduler.py), and so does Progress's "By heart" table,
however well the take matched its line."""

from __future__ import annotations

from pathlib import Path

from closer_desktop.domain.recall import WHOLE_LINE
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, by_heart
from tests.support.line_library import DECK, NEXT_STEPS, START, record


def test_a_take_said_with_the_whole_line_shown_is_not_recalled(data_dir: Path) -> None:
    library = Library(data_dir)
    try:
        session = library.start_session(DECK.id, START)
        line = "What are the next steps in the hiring process?"
        take = record(library, session, NEXT_STEPS, line, 1, "memory")
        [point] = by_heart(library, Scope(DECK.id))[NEXT_STEPS.id]
        [rated] = library.rated_history(DECK.id)[NEXT_STEPS.id]
        assert point.recalled and not rated.recall_failed  # word for word, the line hidden

        library.set_hint_level(take.id, WHOLE_LINE)  # the same words, said once H showed them
        [point] = by_heart(library, Scope(DECK.id))[NEXT_STEPS.id]
        [rated] = library.rated_history(DECK.id)[NEXT_STEPS.id]
        assert rated.recall_failed
        assert not point.recalled
    finally:
        library.close()
