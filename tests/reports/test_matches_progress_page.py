"""The report says what the Progress page says: its headline, its per-question table (a trend only
once a question's first three and last three takes are different takes, never "3.5 → 3.5 (4)"),
the ratings spelt out, and the same needs-work lines. Real libraries; the page in the real window."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from closer_desktop.reports.html import report_html
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Progress, Scope, load_progress
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.progress.view import QUESTION_COLUMNS
from tests.reports.test_html import Page
from tests.support.progress_library import DECK, add, at, build

TIMEOUT = 10000
WHEN = datetime(2026, 11, 6, 8, 0).astimezone()
RATINGS = re.compile(r"professionalism [^,·]+, clarity [^·]+?(?= ·)|not rated yet")
NEEDS = re.compile(r"professionalism [\d.–]+ · clarity [\d.–]+")


def trending_library(library: Library, first: int = 0) -> None:
    """Question `first` rises over six takes, the next falls, the third has four (its first and
    last three share two)."""
    session = library.start_session(DECK.id, at("2026-11-04", "08:00"))
    rising = [(2, 2), (2, 3), (3, 2), (3, 3), (4, 4), (4, 4)]  # 2.3 → 3.7 on both scales
    falling = [(4, 4), (4, 4), (4, 4), (3, 3), (3, 3), (2, 3)]
    for n, ((p1, c1), (p2, c2)) in enumerate(zip(rising, falling, strict=True)):
        add(library, session, first, at("2026-11-04", f"09:{2 * n:02d}"), p1, c1)
        add(library, session, first + 1, at("2026-11-04", f"09:{2 * n + 1:02d}"), p2, c2)
    for n in range(4):
        add(library, session, first + 2, at("2026-11-04", f"10:{n:02d}"), 3, 4)


def report_of(data_dir: Path) -> tuple[Progress, Page]:
    library = Library(data_dir)
    try:
        progress = load_progress(library, Scope(), today=date(2026, 11, 6))
    finally:
        library.close()
    page = Page(report_html(progress, WHEN))
    assert page.problems == []
    return progress, page


def test_a_question_trends_only_once_it_has_six_takes(data_dir: Path) -> None:
    library = Library(data_dir)
    trending_library(library)
    library.close()
    _, page = report_of(data_dir)
    q = DECK.questions
    assert page.rows[0] == list(QUESTION_COLUMNS)  # the page's column names
    assert page.row_for(q[0].text)[1:5] == ["6 · 1:00", "3.7", "3.7", "▲ up 1.4"]
    assert page.row_for(q[1].text)[4] == "▼ down 1.1"  # 4 → 2.7 and 4 → 3: a mean of 1.15
    # Four takes: their first and last three share two, so no "3 → 3 (3)" yet.
    assert page.row_for(q[2].text)[2:5] == ["3", "4", "2 more takes to see a trend"]
    table = " ".join(" ".join(row) for row in page.rows if row and row[0] in {x.text for x in q})
    assert "→" not in table and "P 3" not in table
    # One session: the headline says so, as the page's does (means of 50/16 and 55/16).
    assert "First session: professionalism 3.1, clarity 3.4 on average" in page.plain


def test_no_rated_take_asks_for_ratings_not_nothing_to_work_on(data_dir: Path) -> None:
    library = Library(data_dir)
    add(library, library.start_session(DECK.id), 0, at("2026-11-04", "09:00"), None, None)
    library.close()
    _, page = report_of(data_dir)
    plain = page.plain
    assert "Rate your takes (two digits after each) to see how you are doing." in plain
    assert "Latest take not rated yet · Wed 04 Nov 2026, 09:00" in plain
    assert "Rate a few takes first: the weakest questions show here." in plain
    assert "Nothing: the recent takes" not in plain
    assert page.row_for(DECK.questions[0].text)[4] == "6 more takes to see a trend"


def test_the_report_says_what_the_progress_page_says(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library = Library(data_dir)
    build(library)  # four sessions, trends not yet shown, three questions needing work
    trending_library(library, 4)  # and questions with six takes: trends up and down
    library.close()
    progress, report = report_of(data_dir)  # before the window takes the library
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    window.show_progress()
    view = window.progress
    qtbot.waitUntil(lambda: view.progress is not None, timeout=TIMEOUT)

    headline = view.headline.text()
    # Plain text on the page, escaped in the report: a question's "<" or "&" is shown as typed.
    assert view.headline.textFormat() == Qt.TextFormat.PlainText
    assert "since your first session; weakest: “" in headline
    assert [p for t, n, p in report.attributes if t == "p" and n == "class"].count("headline") == 1
    assert headline in report.plain

    shown: dict[str, list[str]] = {}
    for row in range(view.table.rowCount()):
        items = [view.table.item(row, column) for column in range(len(QUESTION_COLUMNS))]
        texts = [item.text() if item is not None else "" for item in items]
        shown[texts[0]] = texts
    assert len(shown) == len(progress.questions) == 7
    assert {"▲ up 1.4", "▼ down 1.1", "2 more takes to see a trend"} <= {
        cells[4] for cells in shown.values()
    }
    for text, cells in shown.items():
        assert report.row_for(text) == cells

    best_latest = view.best_latest.text()
    page_ratings = RATINGS.findall(re.sub(r"<[^>]+>", "", best_latest))
    report_ratings = [
        RATINGS.findall(report.plain[report.plain.index(label) :])[0]
        for label in ("Best take", "Latest take")
    ]
    # Best: t7 (5, 4), the highest sum; latest: the last of the four takes at 10:03 (3, 4).
    assert page_ratings == report_ratings
    assert report_ratings == ["professionalism 5, clarity 4", "professionalism 3, clarity 4"]

    page_needs = [
        NEEDS.findall(label.text())[0]
        for label in view.needs_box.findChildren(QLabel)
        if NEEDS.search(label.text())
    ]
    needs = report.plain[report.plain.index("Needs work") :]
    assert page_needs == NEEDS.findall(needs)
    assert len(page_needs) == 5  # six under 4, the five weakest named
