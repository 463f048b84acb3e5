"""The debrief after an interview run: the whole close, question by question (response latency,
length, line match, delivery), each answer playable (P) and rateable (the digits, or a click), and
the close's total time. Delivery and the line check fill in as the analysis finishes each take."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from closer_desktop.app import operations as ops
from closer_desktop.app.interview_run import RunResult
from closer_desktop.app.playback import Playback
from closer_desktop.app.rating import Rating
from closer_desktop.domain import recall
from closer_desktop.domain.delivery import words_a_minute
from closer_desktop.domain.practice import RatingScale, Take, format_duration
from closer_desktop.domain.text import counted, ratings_in_words, shorten
from closer_desktop.ui.practice.summary import fit_first_column, lay_out_page
from closer_desktop.ui.widgets.rating import RatingPanel

if TYPE_CHECKING:
    from closer_desktop.analysis.line_check import LineMatch
    from closer_desktop.app.practice import PracticeController

COLUMNS = ("Question", "First word after", "Length", "Line match", "Delivery", "Ratings")
SELECTED_QUESTION_CHARS = 70  # beside Play: the selected answer's line, shortened at a word
QUESTION_SHARE = 0.4  # of the table's width, the question's at least (see _fit_columns)
LONG_COLUMNS = (COLUMNS.index("Line match"), COLUMNS.index("Delivery"))
# (take, metrics, done): the take's line check, `done` with it later (app/memory.py check_later)
LineMatcher = Callable[[Take, dict[str, Any], Callable[["LineMatch | None"], None]], None]


class DebriefView(QWidget):
    """Signals:
    back(): back to the practice page.
    run_again(): another run of the same questions.
    """

    back = Signal()
    run_again = Signal()

    def __init__(
        self,
        controller: PracticeController,
        line_match: LineMatcher,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.line_match = line_match
        self.result: RunResult | None = None
        self.takes: list[Take | None] = []
        self.playback = Playback(controller.files, controller.data_dir, None, self)
        self.playback.message.connect(controller.message)
        self.playback.changed.connect(self._show_playing)
        self.title = QLabel("Debrief: your close, question by question")
        self.title.setObjectName("summaryTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.total_label.setAccessibleName("The whole close")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Answers of the run")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # One line a row: a long question is elided to its column's width (whole in its
        # tooltip), so the close reads as a list of questions however narrow the window.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        fit_first_column(self.table)
        for column in range(1, len(COLUMNS)):  # sized by _fit_columns, the question stretches
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.table.viewport().installEventFilter(self)  # a new width: the columns again
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.play_button = QPushButton("▶ Play (P)")
        self.play_button.setAccessibleName("Play the selected answer")
        self.play_button.setToolTip("Play or pause the selected answer (P)")
        self.play_button.clicked.connect(self.toggle_playback)
        self.selected_label = QLabel()
        self.selected_label.setWordWrap(True)
        self.ratings = RatingPanel()
        # The selected answer's, as in practice; an Undo finds the answer as listed now.
        self.rating = Rating(
            controller.library,
            self,
            lambda i: next((t for t in self.takes if t and t.id == i), None),
        )
        self.rating.target_changed.connect(self.ratings.show_target)
        self.rating.rated.connect(self._rated)
        # A third digit changes a rating visibly, with Undo, as on the practice page.
        self.rating.notice.connect(controller.notice)
        self.rating.undone.connect(self._show_take_ratings)
        self.ratings.rated.connect(self.rating.rate)
        self.ratings.targeted.connect(self.rating.set_target)
        self.ratings.note_edited.connect(
            lambda take_id, note: ops.set_note(take_id, note).run(controller.library)
        )
        self.back_button = QPushButton("◀ Back to practice")
        self.back_button.setAccessibleName("Back to practice")
        self.back_button.setToolTip("Back to the practice page (Ctrl+1)")
        self.back_button.clicked.connect(self.back)
        self.again_button = QPushButton("Run again (Ctrl+R)")
        self.again_button.setAccessibleName("Run again")
        self.again_button.setToolTip("Another interview run of the same questions (Ctrl+R)")
        self.again_button.clicked.connect(self.run_again)
        self.table.setToolTip("Select an answer to play it (P) and rate it (the digits)")
        play_row = QHBoxLayout()
        play_row.addWidget(self.play_button)
        play_row.addWidget(self.selected_label, 1)
        rows: list[QWidget | QLayout] = [self.title, self.total_label, self.table, play_row]
        lay_out_page(self, [*rows, self.ratings], self.back_button, self.again_button)
        controller.analysis.metrics_ready.connect(self._show_metrics)

    # What to show ---------------------------------------------------------------------------

    def show_result(self, result: RunResult) -> None:
        self.result = result
        self.takes = [a.take for a in result.answers]
        self.table.setRowCount(len(result.answers))
        for row, answer in enumerate(result.answers):
            take = answer.take
            latency = "—" if answer.latency_s is None else f"{answer.latency_s:.1f} s"
            length = format_duration(take.duration_s) if take else "not recorded"
            self._show_question(row, answer.question.text)
            for column, text in enumerate((latency, length, "…", "…", ""), 1):
                self._set(row, column, text)
            self._show_ratings(row)
            if take is not None:
                self.controller.analysis.request(take)  # stored, or measured meanwhile
            else:
                for column in (3, 4):
                    self._set(row, column, "—")
        self._fit_columns()
        spoken = sum(a.take.duration_s for a in result.answers if a.take)
        self.total_label.setText(
            f"The whole close took {format_duration(result.total_s)}, "
            f"{counted(len(result.answers), 'answer')}, {format_duration(spoken)} of them spoken."
        )
        if result.answers:
            self.table.setCurrentCell(0, 0)
        # Also when the cell stayed (0, 0) from the last run: the new run's answer is the one
        # to play and rate (no currentCellChanged says so then).
        self._select(self.table.currentRow())
        self.table.setFocus()

    def _show_metrics(self, take_id: int, metrics: dict[str, Any]) -> None:
        for row, take in enumerate(self.takes):
            if take is None or take.id != take_id:
                continue
            self.line_match(take, dict(metrics), partial(self._show_line_match, take))
            self._set(row, 4, _delivery(metrics))
            self._fit_columns()

    def _show_line_match(self, take: Take, match: LineMatch | None) -> None:
        if take not in self.takes:
            return  # another run is shown by now
        row = self.takes.index(take)
        if match is None:
            text = "no transcript"
        elif match.different:
            text = "another line"
        else:
            text = f"{round(match.score * 100)} %"
            if match.key_missed:
                text += " · left out " + ", ".join(match.key_missed)
        if take.hint_level:  # the line was asked for (H): not said from memory alone
            text += f" · hint: {recall.LEVELS[take.hint_level]}"
        self._set(row, 3, text)
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """The figures' columns fit their contents and the question takes the room left, but
        never less than QUESTION_SHARE of the table: when a narrow window or long notes ("left
        out next steps, hiring process · hint: key words") would leave it less, the line match
        and delivery columns give up room, elided (whole in their tooltips), not the question."""
        table, header = self.table, self.table.horizontalHeader()
        sizes = {
            c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(1, table.columnCount())
        }
        short = table.viewport().width() * (1 - QUESTION_SHARE) - sum(sizes.values())
        if short < 0:
            wide = sum(sizes[c] for c in LONG_COLUMNS)
            for c in LONG_COLUMNS:
                sizes[c] = max(header.minimumSectionSize(), sizes[c] + int(short * sizes[c] / wide))
        for column, size in sizes.items():
            header.resizeSection(column, size)
        table.resizeRowsToContents()

    def _show_question(self, row: int, text: str) -> None:
        """The question's own words (elided to the column); the whole line in the tooltip."""
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        self.table.setItem(row, 0, item)

    def _show_ratings(self, row: int) -> None:
        take = self.takes[row]
        text = "" if take is None else ratings_in_words(take.professionalism, take.clarity)
        self._set(row, 5, text)

    def _set(self, row: int, column: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setToolTip(text)  # the whole of it, when the column elides it
        self.table.setItem(row, column, item)

    # Playing and rating -----------------------------------------------------------------------

    @property
    def current(self) -> Take | None:
        row = self.table.currentRow()
        return self.takes[row] if 0 <= row < len(self.takes) else None

    def _select(self, row: int) -> None:
        take = self.takes[row] if 0 <= row < len(self.takes) else None
        self.playback.show(take)
        self.ratings.show_take(take)
        self.rating.show(take)
        if take is not None and take.professionalism is not None and take.clarity is None:
            self.rating.set_target(RatingScale.CLARITY)  # half rated: its other scale
        self.play_button.setEnabled(take is not None)
        if take is not None:
            self.selected_label.setText(f"“{shorten(take.question_text, SELECTED_QUESTION_CHARS)}”")
            self.selected_label.setToolTip(take.question_text)

    def toggle_playback(self) -> None:
        self.playback.toggle()

    def rate_digit(self, value: int) -> None:
        """A digit key: professionalism first, then clarity, as on the practice page."""
        self.rating.rate_next(value)

    def _rated(self, take: Take) -> None:
        self.ratings.show_take(take)
        self._show_take_ratings(take)

    def _show_take_ratings(self, take: Take) -> None:
        if take in self.takes:
            self._show_ratings(self.takes.index(take))

    def leave(self) -> None:
        self.playback.stop()

    def _show_playing(self, playing: bool) -> None:
        self.play_button.setText("❚❚ Pause (P)" if playing else "▶ Play (P)")


def _delivery(m: dict[str, Any]) -> str:
    parts = []
    wpm = m.get("words_per_minute")
    if wpm is not None:
        parts.append(f"{words_a_minute(wpm)} words a minute")
    fillers = m.get("fillers")
    if fillers is not None and m.get("transcribed", True):
        parts.append(counted(len(fillers), "filler"))
    longest = m.get("longest_pause_s")
    if longest:
        parts.append(f"longest pause {longest:.1f} s")
    return " · ".join(parts) or "—"
