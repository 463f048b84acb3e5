"""The printed report (File > Print report to PDF) lays the per-question table out on an A4 page
without breaking a word of its column names or cells in two: Qt's rich text sized the columns
it was not told about by their longest line and split "Professionalism" as "Professionalis m"."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextDocument, QTextTable
from pytestqt.qtbot import QtBot

from closer_desktop.reports.html import COLUMN_WIDTHS, QUESTION_COLUMNS, report_html
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, load_progress
from tests.reports.test_matches_progress_page import trending_library
from tests.support.progress_library import build

A4_TEXT_WIDTH = 680  # px at 96 dpi: A4 less 15 mm margins, as ui/actions/report.write_pdf lays it


def broken_words(table: QTextTable, row: int) -> list[str]:
    """The words of a row's cells that a line break cuts in two."""
    broken = []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        block = cell.firstCursorPosition().block()
        while block.isValid() and block.position() <= cell.lastCursorPosition().position():
            text, layout = block.text(), block.layout()
            assert layout.lineCount() >= 1, text  # laid out
            for index in range(1, layout.lineCount()):
                start = layout.lineAt(index).textStart()
                if text[start - 1].isalnum() and text[start].isalnum():
                    broken.append(text)
            block = block.next()
    return broken


def test_no_word_is_broken_on_an_a4_page(qtbot: QtBot, data_dir: Path) -> None:
    assert sum(COLUMN_WIDTHS) == 100 and len(COLUMN_WIDTHS) == len(QUESTION_COLUMNS)
    library = Library(data_dir)
    build(library)
    trending_library(library, 4)  # long questions, "N more takes to see a trend"
    progress = load_progress(library, Scope(), today=date(2026, 11, 6))
    library.close()
    document = QTextDocument()
    document.setHtml(report_html(progress, datetime(2026, 11, 6, 8).astimezone(), False))
    document.setPageSize(QSizeF(A4_TEXT_WIDTH, 1000))  # as write_pdf does
    assert document.pageCount() > 1  # laid out now (Qt lays a document out when asked)
    tables = [
        frame
        for frame in document.rootFrame().childFrames()
        if isinstance(frame, QTextTable)
        and frame.cellAt(0, 0).firstCursorPosition().block().text() == QUESTION_COLUMNS[0]
    ]
    assert len(tables) == 1
    table = tables[0]
    assert table.rows() == 1 + len(progress.questions)
    for row in range(table.rows()):
        assert broken_words(table, row) == [], row
