"""The end-of-deck summary as a debrief: time spoken, the most improved and the weakest question,
the change since the previous session on each question (▲ better / ▼ worse / = same, in colour
and in words), and "practise the weakest two" or "practise again" in one click."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
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
from closer_desktop.domain.progress import (
    Comparison,
    Trend,
    format_score,
    format_spoken,
    most_improved,
    weakest_of_session,
)
from closer_desktop.domain.session import SessionSummary
from closer_desktop.domain.text import counted, shorten
from closer_desktop.ui.design import SPACE_M, SPACE_S, Palette
from closer_desktop.ui.theme import tokens_for

# Each header says what its cells are: the latest take's ratings (best in brackets), not a mean.
COLUMNS = (
    "Question",
    "Takes",
    "Latest professionalism",
    "Latest clarity",
    "Spoken",
    "Since your last session",
)


def fit_first_column(table: QTableWidget) -> None:
    """The question column takes the room left; the figures beside it fit their contents."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def lay_out_page(
    page: QWidget,
    rows: list[QWidget | QLayout],
    back: QPushButton,
    forward: QPushButton,
    beside: QPushButton | None = None,
) -> None:
    """A results page (the summary, the debrief): its rows top to bottom, the table among them
    taking the height left, then back on the left and the way on at the right (`beside` just
    before it)."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(SPACE_M, SPACE_S, SPACE_M, SPACE_S)
    for row in rows:
        if isinstance(row, QLayout):
            layout.addLayout(row)
        else:
            layout.addWidget(row, 1 if isinstance(row, QTableWidget) else 0)
    buttons = QHBoxLayout()
    buttons.addWidget(back)
    buttons.addStretch(1)
    if beside is not None:
        buttons.addWidget(beside)
    buttons.addWidget(forward)
    layout.addLayout(buttons)


class SummaryView(QWidget):
    """The session's debrief: time spoken, the most improved and the weakest question, the
    change since the previous session, and practising the weakest two in one click.

    Signals:
        practise_again(): start a new session from the first question.
        back_to_deck(): return to the last question of this session.
        practise_questions(list): practise exactly these question ids now (the weakest two).
    """

    practise_again = Signal()
    back_to_deck = Signal()
    practise_questions = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: SessionSummary | None = None
        self.weakest: list[str] = []
        self.title = QLabel("Session summary")
        self.title.setObjectName("summaryTitle")
        self.totals = QLabel()  # the debrief: a few sentences, arrows in colour
        self.totals.setObjectName("summaryTotals")
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setAccessibleName("How the session went")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Takes and ratings per question")
        self.table.setToolTip(
            "Each question of the deck: this session's takes, its latest take's ratings (best "
            "in brackets), time spoken and the change since your last session with it"
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        # Rows fit their wrapped text at the table's width now, not at the width it had when
        # filled (rows sized before the page was laid out were three times too tall).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        fit_first_column(self.table)
        self.again_button = QPushButton("↻ Practise again")
        self.again_button.setObjectName("againButton")
        self.again_button.setAccessibleName("Practise again")
        self.again_button.setToolTip("Start a new session from the first question (Enter)")
        self.again_button.setDefault(True)
        self.weakest_button = QPushButton("Practise the weakest two")
        self.weakest_button.setObjectName("againButton")
        self.weakest_button.setToolTip(
            "Practise only the two questions whose latest takes scored lowest, now "
            "(your usual choice of questions is kept)"
        )
        self.back_button = QPushButton("◀ Back to the questions")
        self.back_button.setAccessibleName("Back to the questions")
        self.back_button.setToolTip("Return to the last question (B)")
        self.again_button.clicked.connect(self.practise_again)
        self.weakest_button.clicked.connect(lambda: self.practise_questions.emit(self.weakest))
        self.back_button.clicked.connect(self.back_to_deck)
        lay_out_page(
            self,
            [self.title, self.totals, self.table],
            self.back_button,
            self.again_button,
            self.weakest_button,
        )

    def show_summary(self, summary: SessionSummary) -> None:
        self.summary = summary
        tokens = tokens_for(self.palette())
        self.weakest = weakest_of_session(summary.questions)
        self.totals.setText(_debrief(summary, self.weakest, tokens))
        self.weakest_button.setVisible(bool(self.weakest))
        # The label and tooltip say what a click practises: two questions, or the one rated.
        two = len(self.weakest) > 1
        self.weakest_button.setText(
            "Practise the weakest two" if two else "Practise the weakest one"
        )
        self.weakest_button.setToolTip(
            "Practise only the two questions whose latest takes scored lowest, now "
            "(your usual choice of questions is kept)"
            if two
            else "Practise only the one question rated this session, now "
            "(your usual choice of questions is kept)"
        )
        self.weakest_button.setAccessibleName(self.weakest_button.text())
        self.table.setRowCount(len(summary.questions))
        for row, q in enumerate(summary.questions):
            practised = bool(q.takes)
            cells = (
                q.question_text,
                str(q.takes) if practised else "",
                _rating(q.latest_professionalism, q.best_professionalism) if practised else "",
                _rating(q.latest_clarity, q.best_clarity) if practised else "",
                format_duration(q.spoken_s) if practised else "",
            )
            trend_text, trend_tip, trend = _since_last_time(summary.comparisons.get(q.question_id))
            for column, text in enumerate((*cells, trend_text)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                elif not practised:
                    item.setForeground(QColor(tokens.text_secondary))
                    item.setToolTip("Not practised this session")
                if column == len(cells):
                    item.setToolTip(trend_tip)
                    colour = _trend_colour(trend, tokens)
                    if colour:
                        item.setForeground(QColor(colour))
                self.table.setItem(row, column, item)
        self.again_button.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch redraws the arrows in the new theme's colours."""
        if event.type() == QEvent.Type.PaletteChange and self.summary is not None:
            self.show_summary(self.summary)
        super().changeEvent(event)


def _rating(latest: int | None, best: int | None) -> str:
    if latest is None:
        return "–"
    return f"{latest}" if best == latest else f"{latest} (best {best})"


def _trend_colour(trend: Trend | None, tokens: Palette) -> str:
    """Better in the good colour, worse in the "work on it" one; the arrow and word say it too."""
    return {Trend.BETTER: tokens.good, Trend.WORSE: tokens.work}.get(trend, "") if trend else ""


def _since_last_time(comparison: Comparison | None) -> tuple[str, str, Trend | None]:
    """The "Since your last session" cell, its tooltip and its trend. Blank for a question not
    practised, or practised for the first time (the debrief says that once, above)."""
    if comparison is None:
        return "", "Not practised this session", None
    if not comparison.has_previous:
        return "", "First time: no earlier session with a rated take of this question", None
    trend = comparison.trend
    assert comparison.previous_at is not None
    when = f"{comparison.previous_at:%a %d %b}"
    if trend is None:
        return "not rated", f"Rate this session's takes to compare with {when}", None
    return (
        f"{trend.symbol} {trend.value}",
        (
            f"Mean ratings then ({when}) → now: professionalism "
            f"{format_score(comparison.previous_professionalism)} → "
            f"{format_score(comparison.professionalism)}, clarity "
            f"{format_score(comparison.previous_clarity)} → {format_score(comparison.clarity)}"
        ),
        trend,
    )


def _coloured(text: str, colour: str) -> str:
    return f"<span style='color: {colour}'>{escape(text)}</span>"


def _named(summary: SessionSummary, question_id: str) -> str:
    text = next(q.question_text for q in summary.questions if q.question_id == question_id)
    return f"“{escape(shorten(text, 45))}”"


def _debrief(summary: SessionSummary, weakest: list[str], tokens: Palette) -> str:
    """The debrief above the table, as rich text: time spoken, the most improved and the
    weakest question, and the change since the previous session (arrows coloured, and said)."""
    if not summary.total_takes:
        return "No takes this session yet. Go back to the questions and press Space to record one."
    practised = sum(1 for q in summary.questions if q.takes)
    lines = [
        f"<b>Time spoken:</b> {format_spoken(summary.spoken_s)} in "
        f"{counted(summary.total_takes, 'take')}, on {practised} of "
        f"{counted(len(summary.questions), 'question')}."
    ]
    comparisons = [
        c for q in summary.questions if (c := summary.comparisons.get(q.question_id)) is not None
    ]
    improved = most_improved(comparisons)
    if improved is not None and improved.change is not None:
        lines.append(
            f"<b>Most improved:</b> {_named(summary, improved.question_id)} "
            + _coloured(f"▲ up {format_score(improved.change)}", tokens.good)
            + " since last time."
        )
    if weakest:
        named = []
        for question_id in weakest:  # what "Practise the weakest two" practises
            q = next(q for q in summary.questions if q.question_id == question_id)
            ratings = rating_pair_words(q.latest_professionalism, q.latest_clarity)
            named.append(f"{_named(summary, question_id)} ({ratings})")
        lines.append(f"<b>Weakest:</b> {', then '.join(named)}.")
    counts = {trend: 0 for trend in Trend}
    first_time = 0
    for comparison in comparisons:
        if not comparison.has_previous:
            first_time += 1
        elif comparison.trend is not None:
            counts[comparison.trend] += 1
    parts = [
        _coloured(f"{symbol} {name} on {counted(counts[trend], 'question')}", colour)
        for trend, symbol, name, colour in (
            (Trend.BETTER, "▲", "better", tokens.good),
            (Trend.WORSE, "▼", "worse", tokens.work),
            (Trend.SAME, "=", "the same", tokens.text),
        )
        if counts[trend]
    ]
    if parts:
        lines.append(f"<b>Since your previous session:</b> {', '.join(parts)}.")
    if first_time:
        lines.append(
            f"First time for {counted(first_time, 'question')}: your next session shows "
            f"{'its' if first_time == 1 else 'their'} change."
        )
    return "<br>".join(lines)


def rating_pair_words(professionalism: int | None, clarity: int | None) -> str:
    """'latest take: professionalism 2, clarity 3' ('not rated' for a scale without one)."""
    return (
        f"latest take: professionalism "
        f"{professionalism if professionalism is not None else 'not rated'}, "
        f"clarity {clarity if clarity is not None else 'not rated'}"
    )
