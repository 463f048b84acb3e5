"""The Progress page on real libraries with no, one and many takes; the report from the File menu;
and the session summary's comparison with the previous session."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QMenu, QTableWidget, QTableWidgetItem, QToolTip
from pytestqt.qtbot import QtBot

from closer_desktop.domain.scheduler import PracticePlan
from closer_desktop.storage.decks import DeckStore
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.main_window import SHORTCUTS, MainWindow
from closer_desktop.ui.progress.view import ProgressView, contrast
from tests.support.delivery import delivery_metrics
from tests.support.progress_library import DECK, Q, add, at, build_in

TIMEOUT = 10000


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def needs_work(view: ProgressView) -> list[str]:
    """The question ids of the needs-work rows, top to bottom (each row's Practise button)."""
    return [str(button.property("question_id")) for button in view.needs_buttons]


def open_progress(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> tuple[MainWindow, ProgressView]:
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    view = window.progress
    assert window.pages.currentWidget() is view
    qtbot.waitUntil(lambda: view.progress is not None, timeout=TIMEOUT)
    return window, view


def test_no_takes_says_what_to_do(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    _window, view = open_progress(qtbot, open_window, data_dir)
    assert view.pages.currentWidget() is view.empty
    assert view.empty.isVisible()
    text = view.empty.text()
    assert "No takes yet" in text and "press <b>Space</b>" in text and "Ctrl+1" in text
    assert not view.content.isVisible()
    assert "Progress" in dict(SHORTCUTS)["Ctrl+G"]


def test_one_take(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take_id = add(library, session, 2, at("2026-11-04", "09:00"), 3, 2, 14)
    library.close()
    _window, view = open_progress(qtbot, open_window, data_dir)
    assert view.pages.currentWidget() is view.content
    assert "1 session · 1 take (1 rated) · 14 s spoken · 1 day practised" in view.totals.text()
    chart = view.chart
    assert chart is not None and view.chart_stack.currentWidget() is chart
    assert chart.dots["professionalism"].count() == chart.dots["clarity"].count() == 1
    assert chart.lines["professionalism"].points()[0].y() == 3.0
    assert view.table.rowCount() == 1 and cell(view.table, 0, 1).text() == "1 · 0:14"
    assert needs_work(view) == [Q[2]]
    assert not view.practise_button.isVisible()  # one question: its own button says it
    assert "Best:" in view.best_latest.text() and f"take:{take_id}" in view.best_latest.text()
    assert "professionalism 3, clarity 2 · Wed 04 Nov, 09:00" in view.best_latest.text()
    view.granularity.setCurrentIndex(view.granularity.findData("sessions"))
    assert chart.dots["clarity"].count() == 1
    assert "Session of Wed 04 Nov 2026" in chart.tooltip(0)


def test_one_unrated_take_asks_for_ratings(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    library = Library(data_dir)
    add(library, library.start_session(DECK.id), 0, at("2026-11-04", "09:00"), None, None)
    library.close()
    _window, view = open_progress(qtbot, open_window, data_dir)
    assert view.chart_stack.currentWidget() is view.chart_note
    assert "Rate your takes" in view.chart_note.text()
    assert "Rate a few takes first" in view.needs_hint.text()
    assert not view.practise_button.isEnabled()
    # The words of domain.text.ratings_in_words, as in the report and the practice page.
    assert "Latest:" in view.best_latest.text()
    assert "not rated yet · Wed 04 Nov" in view.best_latest.text()


def test_many_takes_charts_questions_and_needs_work(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    ids = build_in(data_dir)
    _window, view = open_progress(qtbot, open_window, data_dir)
    assert "4 sessions · 9 takes (8 rated) · 1 min 31 s spoken · 4 days practised" in (
        view.totals.text()
    )
    chart = view.chart
    assert chart is not None
    assert [p.take_id for p in chart.points] == [  # type: ignore[union-attr]
        ids[n] for n in ("t10", "t1", "t2", "t3", "t4", "t6", "t7", "t8")
    ]
    assert chart.dots["professionalism"].count() == 8 and chart.dots["clarity"].count() == 7
    tip = chart.tooltip(4)  # t4
    assert DECK.questions[0].text[:40] in tip and "Tue 03 Nov 2026, 23:30" in tip
    assert "professionalism 4 · clarity 3" in tip
    # Per question, in deck order: takes and spoken, the last three of each scale, and no
    # trend before six ratings (q0's four: its first three and last three share two takes).
    rows = {
        cell(view.table, r, 0).text(): [cell(view.table, r, c).text() for c in range(1, 5)]
        for r in range(view.table.rowCount())
    }
    assert list(rows) == [q.text for q in DECK.questions[:4]]
    assert rows[DECK.questions[0].text] == ["4 · 0:43", "4", "3", "2 more takes to see a trend"]
    assert needs_work(view) == [Q[2], Q[3], Q[0]]
    assert view.needs_work_ids() == [Q[2], Q[3], Q[0]]
    # The calendar names each day; today's square is where the calendar says.
    calendar = view.calendar
    assert calendar.describe(date(2026, 11, 3)) == "Tue 03 Nov 2026: 3 takes, 36 s spoken"
    assert calendar.describe(date(2026, 11, 1)) == "Sun 01 Nov 2026: no practice"
    today = calendar.today
    assert calendar.day_at(calendar.cell(today).center()) == today
    assert "Longest: 3 days." in view.streak.text()
    # One question alone.
    view.table.cellClicked.emit(0, 0)
    assert view.question.currentData() == Q[0]
    qtbot.waitUntil(lambda: len(chart.points) == 4, timeout=TIMEOUT)
    assert [chart.value("professionalism", i) for i in range(4)] == [2, 3, 4, 5]
    assert view.needs_work_ids() == [Q[0]]


def test_clicking_a_dot_opens_the_take_in_history(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    ids = build_in(data_dir)
    window, view = open_progress(qtbot, open_window, data_dir)
    chart = view.chart
    assert chart is not None
    index = 4  # t4: q0's third take
    sizes = [chart.size()]  # the page's labels fill in after the figures: the layout settles

    def settled() -> bool:
        sizes.append(chart.size())
        return len(sizes) > 5 and len(set(map(str, sizes[-5:]))) == 1

    qtbot.waitUntil(settled, timeout=TIMEOUT)
    position = chart.position_of("professionalism", index).toPoint()
    assert chart.viewport().rect().contains(position)
    qtbot.mouseMove(chart.viewport(), position)  # hovering names the take
    qtbot.waitUntil(QToolTip.isVisible, timeout=TIMEOUT)
    assert "Tue 03 Nov 2026, 23:30 · professionalism 4 · clarity 3" in QToolTip.text()
    assert DECK.questions[0].text[:40] in QToolTip.text()
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window._history, timeout=TIMEOUT)
    history = window.history
    qtbot.waitUntil(
        lambda: history.selected is not None and history.selected.id == ids["t4"], timeout=TIMEOUT
    )
    assert history.current_filter().question_id == Q[0]
    assert history.model.total == 4  # q0's takes: t1, t2, t4, t7
    row = history.table.currentIndex().row()
    assert history.model.takes[row].id == ids["t4"]


def test_best_link_opens_the_take(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    ids = build_in(data_dir)
    window, view = open_progress(qtbot, open_window, data_dir)
    window.history.max_c.setCurrentIndex(1)  # filters that would hide the best take
    window.history.delivery.setCurrentIndex(1)  # not analysed yet: every take, but a filter
    window.history.deck.setCurrentIndex(window.history.deck.findData(None))  # all decks
    window.show_progress()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is view, timeout=TIMEOUT)
    view.best_latest.linkActivated.emit(f"take:{ids['t7']}")
    history = window.history
    qtbot.waitUntil(
        lambda: history.selected is not None and history.selected.id == ids["t7"], timeout=TIMEOUT
    )
    assert history.max_c.currentIndex() == 0  # filters that would hide it were cleared
    assert history.delivery.currentIndex() == 0
    assert history.current_filter().deck_id == DECK.id
    assert history.current_filter().question_id == Q[0]


def test_practise_exactly_the_questions_that_need_work(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    build_in(data_dir)
    window, view = open_progress(qtbot, open_window, data_dir)
    assert view.practise_button.text() == "Practise all 3"
    qtbot.mouseClick(view.practise_button, Qt.MouseButton.LeftButton)
    controller = window.controller
    assert [q.id for q in controller.queue] == [Q[0], Q[2], Q[3]]  # the deck's order
    assert controller.plan.skipped == frozenset(Q) - {Q[0], Q[2], Q[3]}
    assert window.pages.currentWidget() is window.practice
    assert "Practising these 3 questions, this time only" in window.message_label.text()
    qtbot.wait(50)  # the deck's remembered choice is untouched (nothing saved for this time)
    assert DeckStore(data_dir).plan(DECK.id) == PracticePlan()


def test_light_and_dark_palettes(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    build_in(data_dir)
    _window, view = open_progress(qtbot, open_window, data_dir)
    chart = view.chart
    assert chart is not None and not chart.dark
    light_labels = chart.y_axis.labelsBrush().color()
    dark = QPalette(view.palette())
    for role, colour in (
        (QPalette.ColorRole.Window, "#1e1f22"),
        (QPalette.ColorRole.Base, "#16171a"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#3d7eff"),
    ):
        dark.setColor(role, QColor(colour))
    view.setPalette(dark)
    assert chart.dark
    labels = chart.y_axis.labelsBrush().color()
    background = chart.chart().backgroundBrush().color()
    assert labels.lightness() > 160 and background.lightness() < 60  # light on dark
    assert contrast(labels, background) >= 4.5
    assert light_labels.lightness() < 100  # and dark on light before
    dots = chart.dots["professionalism"].color()
    assert abs(dots.lightness() - background.lightness()) > 80
    assert "color: #e6e6e6" in view.best_latest.text()  # a blue link would not show on it
    image = chart.grab().toImage()
    assert QColor(image.pixel(QPoint(2, 2))).lightness() < 80  # drawn dark, not just set


def test_export_and_print_the_report_from_the_window(
    qtbot: QtBot,
    open_window: Any,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from closer_desktop.ui.actions import report as report_actions

    pdf_threads: list[threading.Thread] = []
    real_write_pdf = report_actions.write_pdf

    def spy(*args: Any, **kwargs: Any) -> None:
        pdf_threads.append(threading.current_thread())
        real_write_pdf(*args, **kwargs)

    monkeypatch.setattr(report_actions, "write_pdf", spy)
    build_in(data_dir)
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=TIMEOUT)
    actions = window.report_actions
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert actions.export_action in file_menu.actions()
    assert actions.print_action in file_menu.actions()
    html = tmp_path / "report.html"
    with qtbot.waitSignal(actions.finished, timeout=TIMEOUT) as done:
        actions.export_to(html)
    assert done.args == ["info"]
    text = html.read_text(encoding="utf-8")
    assert "Takes</dt><dd>9 (8 rated)" in text and "http" not in text
    pdf = tmp_path / "report.pdf"
    with qtbot.waitSignal(actions.finished, timeout=TIMEOUT) as done:
        actions.print_to(pdf)
    assert done.args == ["info"]
    assert pdf.read_bytes().startswith(b"%PDF")
    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    assert document.pageCount() >= 1
    words = " ".join(document.getAllText(p).text() for p in range(document.pageCount()))
    assert "Closer progress report" in words and "9 (8 rated)" in words
    document.close()
    assert pdf_threads and threading.main_thread() not in pdf_threads  # the GUI never waits
    with qtbot.waitSignal(actions.finished, timeout=TIMEOUT) as done:
        actions.print_to(tmp_path / "missing" / "report.pdf")
    assert done.args == ["error"]
    assert "could not be saved" in window.message_label.text()


def test_summary_compares_with_the_previous_session(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library = Library(data_dir)
    before, now = library.start_session(DECK.id), library.start_session(DECK.id)
    add(library, before, 0, at("2026-11-02", "10:00"), 2, 2)
    add(library, before, 1, at("2026-11-02", "10:01"), 5, 5)
    add(library, now, 0, at("2026-11-03", "10:00"), 4, 4)
    add(library, now, 1, at("2026-11-03", "10:01"), 3, 3)
    add(library, now, 2, at("2026-11-03", "10:02"), 3, 3)
    library.close()
    window: MainWindow = open_window(data_dir)
    controller = window.controller
    qtbot.waitUntil(lambda: controller.library.library_is_open, timeout=TIMEOUT)
    controller.session_id = now
    controller.finish_deck()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window._summary, timeout=TIMEOUT)
    table = window.summary.table
    column = table.columnCount() - 1
    header = table.horizontalHeaderItem(column)
    assert header is not None and header.text() == "Since your last session"
    cells = [cell(table, row, column).text() for row in range(4)]
    assert cells == ["▲ better", "▼ worse", "", ""]  # first time: said once, above
    assert "professionalism 2 → 4" in cell(table, 0, column).toolTip()
    assert "Mon 02 Nov" in cell(table, 0, column).toolTip()
    totals = window.summary.totals.text()
    assert "▲ better on 1 question" in totals and "▼ worse on 1 question" in totals
    assert "First time for 1 question" in totals


def test_delivery_trends_per_session(qtbot: QtBot, open_window: Any, data_dir: Path) -> None:
    ids = build_in(data_dir)
    window, view = open_progress(qtbot, open_window, data_dir)
    assert view.delivery_chart is None  # QtCharts' second chart waits for its tab
    view.chart_tabs.setCurrentWidget(view.delivery_page)
    assert view.delivery_stack.currentWidget() is view.delivery_note
    assert "Delivery trends appear once takes have been analysed" in view.delivery_note.text()
    assert view.delivery_chart is None and not view.granularity.isEnabled()

    analysed = {  # sessions: A t1-t3, B t4 (t5, t6 not analysed), D t10 (the earliest)
        "t1": delivery_metrics(120, fillers=2, pitch=3.0, speaking_s=60),
        "t2": delivery_metrics(180, fillers=1, pitch=1.0, speaking_s=30),
        "t3": delivery_metrics(None, pitch=5.0),
        "t4": delivery_metrics(90, pitch=None, speaking_s=40),
        "t10": delivery_metrics(150, pitch=2.5),
    }
    saved: list[object] = []
    window.library.run(
        lambda lib: [save_metrics(lib, ids[name], m) for name, m in analysed.items()], saved.append
    )
    qtbot.waitUntil(lambda: bool(saved), timeout=TIMEOUT)
    view.reload()
    qtbot.waitUntil(lambda: view.delivery_chart is not None, timeout=TIMEOUT)
    chart = view.delivery_chart
    assert chart is not None and view.delivery_stack.currentWidget() is chart

    def dots() -> list[tuple[float, float]]:
        assert chart is not None
        return [(p.x(), round(p.y(), 3)) for p in chart.dots.points()]

    assert dots() == [(0, 150.0), (1, 140.0), (2, 90.0)]  # D, A (weighted by speech), B
    band = chart.shades[0]
    assert [p.y() for p in band.lower.points()] == [100.0, 100.0]
    assert [p.y() for p in band.upper.points()] == [165.0, 165.0]
    assert band.area.isVisible() and band.area.name() == "Comfortable pace (100–165)"
    assert not chart.shades[1].area.isVisible()
    assert "100 to 165 words a minute" in view.delivery_caption.text()
    assert "(3 sessions)" in view.delivery_caption.text()
    assert chart.tooltip(1) == (
        "Session of Mon 02 Nov 2026, 10:00 (3 analysed takes)\nPace: 140 words a minute"
    )
    view.measure.setCurrentIndex(view.measure.findData("fillers_per_minute"))
    assert dots() == [(0, 0.0), (1, 2.0), (2, 0.0)]  # A: 3 fillers in 90 s of speech
    assert band.area.isVisible() and chart.shades[1].area.isVisible()  # 2 and 5 a minute
    assert "up to 2 a minute go unnoticed, up to 5 are worth watching" in (
        view.delivery_caption.text()
    )
    view.measure.setCurrentIndex(view.measure.findData("pitch_spread_semitones"))
    assert dots() == [(0, 2.5), (1, 3.0)]  # B measured no pitch: no dot
    # flat under 1, a little flat up to 2, as the feedback judges pitch
    assert [p.y() for p in band.upper.points()] == [1.0, 1.0]
    assert [p.y() for p in chart.shades[1].upper.points()] == [2.0, 2.0]
    assert chart.shades[1].area.isVisible()
    assert "under 1, flat; 1 to 2, a little flat" in view.delivery_caption.text()
    # One question: q0's analysed takes are t1 and t2 (A) and t4 (B).
    view.question.setCurrentIndex(view.question.findData(Q[0]))
    qtbot.waitUntil(lambda: len(chart.points) == 2, timeout=TIMEOUT)
    assert dots() == [(0, 2.0)]
    view.chart_tabs.setCurrentIndex(0)
    assert view.granularity.isEnabled()
