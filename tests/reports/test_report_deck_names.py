"""Issue 19: the report's Deck column names each deck as the app does ("Panel interviews"), not
by its id, in the HTML file (`closer report`, File > Export report) and in the PDF's HTML."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from closer_desktop.domain.practice import RatingScale
from closer_desktop.reports.html import deck_names, report_html, write_report
from closer_desktop.storage.decks import DeckStore
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, load_progress
from tests.reports.test_html import Page
from tests.support.progress_library import DECK, add, at


def two_decks(data_dir: Path) -> str:
    """A take in the built-in deck and one in the user's copy of it; the copy's id."""
    mine = DeckStore(data_dir).duplicate(DECK.id, "Panel interviews")
    assert mine.id != DECK.id and mine.id != "Panel interviews"
    library = Library(data_dir)
    add(library, library.start_session(DECK.id), 0, at("2026-11-02", "10:00"), 3, 4)
    session = library.start_session(mine.id)
    take = library.begin_take(session, mine.id, mine.questions[1], 16000, at("2026-11-03", "09:00"))
    library.finish_take(take.id, 10.0, 16000)
    library.set_rating(take.id, RatingScale.PROFESSIONALISM, 4)
    library.close()
    return mine.id


def deck_cells(page: Page) -> list[str]:
    header = next(row for row in page.rows if row and row[0] == "Question")
    column = header.index("Deck")
    return sorted(row[column] for row in page.rows[page.rows.index(header) + 1 :][:2])


def test_the_exported_report_names_the_decks(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    mine = two_decks(data_dir)
    out = tmp_path / "report.html"
    library = Library(data_dir)
    try:
        write_report(library, out, now=datetime(2026, 11, 4, 12, 0).astimezone())
    finally:
        library.close()
    page = Page(out.read_text(encoding="utf-8"))
    assert page.problems == []
    assert deck_cells(page) == sorted([DECK.name, "Panel interviews"])
    assert mine not in page.plain


def test_the_pdfs_html_names_the_decks_and_a_gone_deck_keeps_its_id(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    mine = two_decks(data_dir)
    library = Library(data_dir)
    progress = load_progress(library, Scope())
    library.close()
    when = datetime(2026, 11, 4, 12, 0).astimezone()
    names = deck_names(data_dir)
    assert names[mine] == "Panel interviews"
    page = Page(report_html(progress, when, inline_charts=False, deck_names=names))
    assert deck_cells(page) == sorted([DECK.name, "Panel interviews"])
    DeckStore(data_dir).delete(mine)  # its takes stay; the report still says which deck
    page = Page(report_html(progress, when, deck_names=deck_names(data_dir)))
    assert deck_cells(page) == sorted([DECK.name, mine])
