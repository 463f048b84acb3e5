"""The end-of-deck summary: takes per question, ratings and time spoken, with "practise again"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.domain.practice import format_duration
from closer_desktop.ui.practice_controller import SessionSummary

COLUMNS = ("Question", "Takes", "Professionalism", "Clarity", "Spoken")


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
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
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
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_summary(self, summary: SessionSummary) -> None:
        practised = sum(1 for q in summary.questions if q.takes)
        if summary.total_takes:
            self.totals.setText(
                f"{summary.total_takes} take{'s' if summary.total_takes != 1 else ''} of "
                f"{practised} of {len(summary.questions)} questions · "
                f"{format_duration(summary.spoken_s)} spoken. Well done: say them once more "
                "tomorrow and compare."
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
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.again_button.setFocus()


def _rating(latest: int | None, best: int | None) -> str:
    if latest is None:
        return "–"
    return f"{latest}" if best == latest else f"{latest} (best {best})"
