"""The end-of-deck summary: takes per question, ratings, time spoken and the change since the
previous session on each question (better / worse / same), with "practise again"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.domain.practice import format_duration
from closer_desktop.domain.progress import Comparison, Trend, format_score
from closer_desktop.domain.session import SessionSummary
from closer_desktop.domain.text import counted

COLUMNS = ("Question", "Takes", "Professionalism", "Clarity", "Spoken", "Since last time")


def fit_first_column(table: QTableWidget) -> None:
    """The question column takes the room left; the figures beside it fit their contents."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def lay_out_page(
    page: QWidget, rows: list[QWidget | QLayout], back: QPushButton, forward: QPushButton
) -> None:
    """A results page (the summary, the debrief): its rows top to bottom, the table among them
    taking the height left, then back on the left and the way on at the right."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 12, 16, 12)
    for row in rows:
        if isinstance(row, QLayout):
            layout.addLayout(row)
        else:
            layout.addWidget(row, 1 if isinstance(row, QTableWidget) else 0)
    buttons = QHBoxLayout()
    buttons.addWidget(back)
    buttons.addStretch(1)
    buttons.addWidget(forward)
    layout.addLayout(buttons)


class SummaryView(QWidget):
    """Signals:
    practise_again(): start a new session from the first question.
    back_to_deck(): return to the last question of this session.
    """

    practise_again = Signal()
    back_to_deck = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Session summary")
        self.title.setObjectName("summaryTitle")
        self.totals = QLabel()
        self.totals.setObjectName("summaryTotals")
        self.totals.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Takes and ratings per question")
        self.table.setToolTip("Latest rating of each question this session (best in brackets)")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        fit_first_column(self.table)
        self.again_button = QPushButton("↻ Practise again")
        self.again_button.setObjectName("againButton")
        self.again_button.setAccessibleName("Practise again")
        self.again_button.setToolTip("Start a new session from the first question (Enter)")
        self.again_button.setDefault(True)
        self.back_button = QPushButton("◀ Back to the questions")
        self.back_button.setAccessibleName("Back to the questions")
        self.back_button.setToolTip("Return to the last question (B)")
        self.again_button.clicked.connect(self.practise_again)
        self.back_button.clicked.connect(self.back_to_deck)
        lay_out_page(
            self, [self.title, self.totals, self.table], self.back_button, self.again_button
        )

    def show_summary(self, summary: SessionSummary) -> None:
        practised = sum(1 for q in summary.questions if q.takes)
        if summary.total_takes:
            self.totals.setText(
                f"{counted(summary.total_takes, 'take')} of "
                f"{practised} of {len(summary.questions)} questions · "
                f"{format_duration(summary.spoken_s)} spoken. "
                + _trends_sentence(summary.comparisons)
                + "Well done: say them once more tomorrow and compare."
            )
        else:
            self.totals.setText(
                "No takes this session yet. Go back to the questions and press Space to record one."
            )
        self.table.setRowCount(len(summary.questions))
        for row, q in enumerate(summary.questions):
            cells = (
                q.question_text,
                str(q.takes) if q.takes else "–",
                _rating(q.latest_professionalism, q.best_professionalism),
                _rating(q.latest_clarity, q.best_clarity),
                format_duration(q.spoken_s) if q.takes else "–",
            )
            comparison = summary.comparisons.get(q.question_id)
            trend_text, trend_tip = _since_last_time(comparison)
            for column, text in enumerate((*cells, trend_text)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == len(cells):
                    item.setToolTip(trend_tip)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.again_button.setFocus()


def _rating(latest: int | None, best: int | None) -> str:
    if latest is None:
        return "–"
    return f"{latest}" if best == latest else f"{latest} (best {best})"


def _since_last_time(comparison: Comparison | None) -> tuple[str, str]:
    """The "Since last time" cell and its tooltip (the means compared, and when last time was)."""
    if comparison is None:
        return "–", "Not practised this session"
    if not comparison.has_previous:
        return "first time", "No earlier session with a rated take of this question"
    trend = comparison.trend
    assert comparison.previous_at is not None
    when = f"{comparison.previous_at:%a %d %b}"
    if trend is None:
        return "not rated", f"Rate this session's takes to compare with {when}"
    return f"{trend.symbol} {trend.value}", (
        f"Mean ratings then ({when}) → now: professionalism "
        f"{format_score(comparison.previous_professionalism)} → "
        f"{format_score(comparison.professionalism)}, clarity "
        f"{format_score(comparison.previous_clarity)} → {format_score(comparison.clarity)}"
    )


def _trends_sentence(comparisons: dict[str, Comparison]) -> str:
    """'Since your previous session: better on 2 questions, worse on 1. ' (empty if no change)."""
    counts = {trend: 0 for trend in Trend}
    for comparison in comparisons.values():
        if comparison.trend is not None:
            counts[comparison.trend] += 1
    parts = [
        f"{name} on {counted(counts[trend], 'question')}"
        for trend, name in (
            (Trend.BETTER, "better"),
            (Trend.WORSE, "worse"),
            (Trend.SAME, "the same"),
        )
        if counts[trend]
    ]
    return f"Since your previous session: {', '.join(parts)}. " if parts else ""
