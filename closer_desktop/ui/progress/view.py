"""Progress: are the self-ratings improving? Charts over time, per question, the calendar, totals,
and the questions that need work, with one click to practise exactly those. A second tab charts
delivery (pace, fillers, pitch variety) per session, from the takes' stored metrics.

Everything on the page comes from one `load_progress` call on the library's thread (all figures
are SQL aggregates). The chart module (QtCharts) is imported when the page first loads, while the
library works on the figures, never at start-up.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app import operations as ops
from closer_desktop.app.library import LibraryService
from closer_desktop.app.practice import PracticeController
from closer_desktop.app.practise_only import practise_only
from closer_desktop.domain.delivery import (
    FILLERS_PER_MINUTE,
    PACE_WPM,
    PITCH_BANDS,
)
from closer_desktop.domain.practice import format_duration
from closer_desktop.domain.progress import (
    SESSION_WINDOW,
    TAKE_WINDOW,
    TREND_AFTER,
    Trend,
    format_score,
    format_spoken,
    headline,
)
from closer_desktop.domain.recall import WHOLE_LINE
from closer_desktop.domain.scheduler import RECALLED_AT
from closer_desktop.domain.text import counted, first_to_recent, ratings_in_words, shorten
from closer_desktop.storage.queries.progress import Progress, RecallPoint, Scope
from closer_desktop.ui.design import SPACE_M, SPACE_S, SPACE_XS, TYPE_HEADING
from closer_desktop.ui.progress.calendar import PracticeCalendar
from closer_desktop.ui.theme import tokens_for

if TYPE_CHECKING:
    from closer_desktop.ui.history.view import HistoryView
    from closer_desktop.ui.progress.charts import DeliveryChart, Measure, ScoreChart

EACH_TAKE = "takes"
SESSIONS = "sessions"
QUESTION_COLUMNS = (
    "Question",
    "Takes",
    "Professionalism, last 3",
    "Clarity, last 3",
    "Trend since the first 3",
    "Last practised",
)
CHART_HEIGHT = 300  # a chart's tab at least: axis labels and dots stay readable at 800x600
# (DeliveryPoint attribute, what the chooser says): progress_charts.MEASURES has the rest, and is
# imported with QtCharts, only once the Delivery tab is shown.
DELIVERY_MEASURES = (
    ("words_per_minute", "Pace (words a minute)"),
    ("fillers_per_minute", "Fillers a minute"),
    ("pitch_spread_semitones", "Pitch variety (semitones)"),
)
NOT_ANALYSED = (
    "Delivery trends appear once takes have been analysed: each new take is measured after you "
    "record it (pace, fillers, pauses, pitch), while delivery analysis is on in Settings."
)
BY_HEART_COLUMNS = ("Question", "By heart", "Line match, oldest to latest", "Latest")
BY_HEART_SHOWN = 8  # the trend column's latest takes
NOT_BY_HEART = (
    "The by-heart trend appears once you say a line without reading it: from memory "
    "(Practice > Say it from memory, Ctrl+M) or in an interview run. Each such take's line "
    "match (the share of the line said, in order) shows here, per question, over time."
)
NO_TAKES = (
    "<h3>No takes yet</h3><p>Go to the practice page (Ctrl+1), press <b>Space</b>, say the "
    "line aloud as you would in the room, and press <b>Space</b> again. Then rate the take with "
    "two digits, professionalism first, then clarity.</p><p>Your ratings show here as you "
    "practise: how they move over time, the days you practised, and the questions that need "
    "work.</p>"
)


class ProgressView(QWidget):
    """The Progress page.

    Signals:
        take_requested(object): a TakePoint to open in History (a clicked dot or take link).
        message(str, str): (level, text) for the window's message area.
        loaded(object): the Progress just shown (tests and the benchmark wait for it).
    """

    take_requested = Signal(object)
    message = Signal(str, str)
    loaded = Signal(object)

    def __init__(
        self, controller: PracticeController, library: LibraryService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller  # the deck practised, and practising the weakest
        self.library = library
        self.progress: Progress | None = None
        self.chart: ScoreChart | None = None
        self.delivery_chart: DeliveryChart | None = None
        self._generation = 0
        self._build()
        controller.deck_changed.connect(lambda _: self._fill_questions())
        library.ready.connect(self._library_ready)

    # Construction ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("summaryTitle")
        self.question = QComboBox()
        self.question.setAccessibleName("Question shown in the chart")
        self.question.setToolTip("All questions of the deck, or one")
        self.question.setMinimumContentsLength(28)
        self.question.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.granularity = QComboBox()
        self.granularity.setAccessibleName("Points in the chart")
        self.granularity.setToolTip("A dot per take, or per session (the mean of its takes)")
        self.granularity.addItem("Each take", EACH_TAKE)
        self.granularity.addItem("Session averages", SESSIONS)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.question)
        header.addWidget(self.granularity)
        # The headline: in one sentence, how it is going and what is weakest.
        self.headline = QLabel()
        self.headline.setObjectName("progressHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # it quotes a question's own text
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("How it is going")
        font = self.headline.font()
        font.setPointSize(TYPE_HEADING)
        font.setBold(True)
        self.headline.setFont(font)
        self.totals = QLabel()
        self.totals.setObjectName("keysHint")  # secondary text: the figures behind it
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName("Totals")

        self.empty = QLabel(NO_TAKES)
        self.empty.setObjectName("progressEmpty")
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setAccessibleName("No takes yet")

        self.chart_note, self.chart_stack, self.chart_caption = _chart_place()
        self.best_latest = QLabel()
        self.best_latest.setWordWrap(True)
        self.best_latest.setTextFormat(Qt.TextFormat.RichText)
        self.best_latest.setAccessibleName("Best and latest take")
        self.best_latest.setToolTip("Click a take to open it in History")
        self.best_latest.linkActivated.connect(self._link)
        ratings_page = QWidget()
        ratings_page.setMinimumHeight(CHART_HEIGHT)
        ratings_layout = QVBoxLayout(ratings_page)
        ratings_layout.setContentsMargins(4, 4, 4, 4)
        ratings_layout.addWidget(self.chart_stack, 1)
        ratings_layout.addWidget(self.chart_caption)
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setAccessibleName("Charts")
        self.chart_tabs.addTab(ratings_page, "Ratings")
        self.delivery_page = self._build_delivery_page()
        self.chart_tabs.addTab(self.delivery_page, "Delivery")
        self.chart_tabs.setTabToolTip(0, "Your self-ratings over time")
        self.chart_tabs.setTabToolTip(1, "Pace, fillers and pitch variety per session")
        self.by_heart_page = self._build_by_heart_page()
        self.chart_tabs.addTab(self.by_heart_page, "By heart")
        self.chart_tabs.setTabToolTip(
            2, "Per question: the line match of takes said from memory or in a run, over time"
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.chart_tabs, 1)
        left_layout.addWidget(self.best_latest)

        needs_title = QLabel("Needs work")
        needs_title.setObjectName("takesTitle")
        self.needs_hint = QLabel()
        self.needs_hint.setWordWrap(True)
        self.needs_hint.setObjectName("keysHint")
        # A row per question (its text, its recent ratings, a Practise button), not a list box:
        # each question is one click from practice.
        self.needs_box = QWidget()
        self.needs_box.setAccessibleName("Questions that need work")
        self.needs_rows = QGridLayout(self.needs_box)
        self.needs_rows.setContentsMargins(0, 0, 0, 0)
        self.needs_rows.setHorizontalSpacing(SPACE_S)
        self.needs_rows.setVerticalSpacing(SPACE_XS)
        self.needs_rows.setColumnStretch(0, 1)
        self.needs_buttons: list[QPushButton] = []
        self.practise_button = QPushButton("Practise these")
        self.practise_button.setObjectName("againButton")
        self.practise_button.setAccessibleName("Practise the questions that need work")
        self.practise_button.setToolTip(
            "Practise exactly these questions now (your usual choice of questions is kept)"
        )
        self.practise_button.clicked.connect(self.practise_needs_work)
        calendar_title = QLabel("Days practised")
        calendar_title.setObjectName("takesTitle")
        self.calendar = PracticeCalendar()
        self.streak = QLabel()
        self.streak.setWordWrap(True)
        self.streak.setObjectName("keysHint")

        self.table = QTableWidget(0, len(QUESTION_COLUMNS))
        self.table.setHorizontalHeaderLabels(QUESTION_COLUMNS)
        self.table.setAccessibleName("Progress per question")
        self.table.setToolTip(
            "Per question: the mean of its last three ratings of each scale, and its trend from "
            "its first three takes to its last three. Click a question to chart it alone."
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        # Rows fit their text at the table's current width; the table is as tall as its rows:
        # the page scrolls, not the table.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().sectionResized.connect(lambda *_: self._fit_table())
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(QUESTION_COLUMNS)):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellClicked.connect(self._question_clicked)

        # Chart on the left; on the right what to do next (needs work), then the calendar.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(SPACE_XS)
        right_layout.addWidget(needs_title)
        right_layout.addWidget(self.needs_hint)
        right_layout.addWidget(self.needs_box)
        right_layout.addWidget(self.practise_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addSpacing(SPACE_S)
        right_layout.addWidget(calendar_title)
        right_layout.addWidget(self.calendar)
        right_layout.addWidget(self.streak)
        right_layout.addStretch(1)
        right.setMinimumWidth(self.calendar.sizeHint().width() + 40)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(SPACE_M)
        top.addWidget(left, 3)
        top.addWidget(right, 2)
        per_question = QLabel("Per question")
        per_question.setObjectName("takesTitle")
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, SPACE_XS, 0)
        body_layout.setSpacing(SPACE_XS)
        body_layout.addLayout(top)
        body_layout.addSpacing(SPACE_S)
        body_layout.addWidget(per_question)
        body_layout.addWidget(self.table)
        body_layout.addStretch(1)
        # One scroll for the whole page (at 800x600 the chart keeps a readable height).
        self.content = QScrollArea()
        self.content.setWidgetResizable(True)
        self.content.setFrameShape(QFrame.Shape.NoFrame)
        self.content.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content.setWidget(body)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE_M, SPACE_S, SPACE_M, SPACE_S)
        layout.setSpacing(SPACE_XS)
        layout.addLayout(header)
        layout.addWidget(self.headline)
        layout.addWidget(self.totals)
        layout.addWidget(self.pages, 1)
        self._fill_questions()
        self.totals.setText("Loading your progress…")
        self.question.currentIndexChanged.connect(lambda _: self.reload())
        self.granularity.currentIndexChanged.connect(lambda _: self._show_chart())
        self.measure.currentIndexChanged.connect(lambda _: self._show_delivery())
        self.chart_tabs.currentChanged.connect(lambda _: self._tab_changed())

    def _build_delivery_page(self) -> QWidget:
        self.measure = QComboBox()
        self.measure.setAccessibleName("Delivery measure shown in the chart")
        self.measure.setToolTip("Which delivery figure to chart, one dot per session")
        for key, text in DELIVERY_MEASURES:
            self.measure.addItem(text, key)
        self.delivery_note, self.delivery_stack, self.delivery_caption = _chart_place(NOT_ANALYSED)
        chooser = QHBoxLayout()
        chooser.addWidget(self.measure)
        chooser.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(chooser)
        layout.addWidget(self.delivery_stack, 1)
        layout.addWidget(self.delivery_caption)
        return page

    def _build_by_heart_page(self) -> QWidget:
        self.by_heart_note = QLabel(NOT_BY_HEART)
        self.by_heart_note.setWordWrap(True)
        self.by_heart_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.by_heart_note.setAccessibleName("No takes said by heart yet")
        self.by_heart_table = QTableWidget(0, len(BY_HEART_COLUMNS))
        self.by_heart_table.setHorizontalHeaderLabels(BY_HEART_COLUMNS)
        self.by_heart_table.setAccessibleName("Lines by heart, per question")
        self.by_heart_table.setToolTip(
            f"Line match of each take said from memory or in a run; a line counts as by heart "
            f"from {round(RECALLED_AT * 100)} %, with every key phrase said (* marks a take "
            "that left one out) and the line not shown: a take said once the hints showed the "
            "whole line was read"
        )
        self.by_heart_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.by_heart_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.by_heart_table.verticalHeader().setVisible(False)
        head = self.by_heart_table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(BY_HEART_COLUMNS)):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.by_heart_stack = QStackedWidget()
        self.by_heart_stack.addWidget(self.by_heart_note)
        self.by_heart_stack.addWidget(self.by_heart_table)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.by_heart_stack, 1)
        return page

    def _show_by_heart(self, progress: Progress) -> None:
        """Per question said by heart: how many of its takes were recalled, the line match of
        the latest ones in order, and the latest; the empty state until there is one."""
        trends = progress.by_heart
        if not trends:
            self.by_heart_stack.setCurrentWidget(self.by_heart_note)
            return
        texts = {q.question_id: q.question_text for q in progress.questions}
        order = [q.question_id for q in progress.questions if q.question_id in trends]
        order += [qid for qid in trends if qid not in order]
        self.by_heart_table.setRowCount(len(order))
        for row, question_id in enumerate(order):
            points = trends[question_id]
            recalled = sum(1 for p in points if p.recalled)
            trend = " · ".join(_line_text(p) for p in points[-BY_HEART_SHOWN:])
            if len(points) > BY_HEART_SHOWN:
                trend = "… " + trend
            latest = points[-1]
            cells = (
                texts.get(question_id, question_id),
                f"{recalled} of {counted(len(points), 'take')}",
                trend,
                "yes" if latest.recalled else "not yet",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(text)
                self.by_heart_table.setItem(row, column, item)
        self.by_heart_stack.setCurrentWidget(self.by_heart_table)

    def _fill_questions(self) -> None:
        """The question chooser lists the current deck's questions (kept when still there)."""
        deck = self.controller.deck
        self.title.setText(f"Progress · {deck.name}")
        chosen = self.question.currentData()
        with QSignalBlocker(self.question):
            self.question.clear()
            self.question.addItem("All questions", None)
            for q in deck.questions:
                self.question.addItem(shorten(q.text, 60), q.id)
                self.question.setItemData(
                    self.question.count() - 1, q.text, Qt.ItemDataRole.ToolTipRole
                )
            self.question.setCurrentIndex(max(0, self.question.findData(chosen)))
        if self.isVisible():
            self.reload()

    # Loading -----------------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return Scope(self.controller.deck.id, self.question.currentData())

    def reload(self) -> None:
        """Load every figure for the current scope on the library's thread, then show it."""
        if not self.library.library_is_open:
            return  # the library's ready reloads
        self._generation += 1
        generation, scope = self._generation, self.scope

        def arrived(progress: Progress) -> None:
            if generation == self._generation:
                self.show_progress(progress)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.totals.setText("Your progress could not be read.")
                self.message.emit("error", f"Your progress could not be read: {exc}")

        ops.load_progress(scope).run(self.library, arrived, failed)
        if self.chart is None:  # build it (and import QtCharts) while the library works
            QTimer.singleShot(0, self, self._chart)

    def _library_ready(self) -> None:
        if self.isVisible():
            self.reload()

    # Showing -----------------------------------------------------------------------------------

    def show_progress(self, progress: Progress) -> None:
        self.progress = progress
        totals, streaks = progress.totals, progress.streaks
        for chooser in (self.question, self.granularity):  # nothing to choose from yet
            chooser.setVisible(not progress.empty)
        self.headline.setVisible(not progress.empty)
        if progress.empty:
            self.totals.setText("")
            self.pages.setCurrentWidget(self.empty)
            self.loaded.emit(progress)
            return
        self.totals.setText(
            f"All decks: {counted(totals.sessions, 'session')} · {counted(totals.takes, 'take')} "
            f"({totals.rated} rated) · {format_spoken(totals.spoken_s)} spoken · "
            f"{counted(totals.days, 'day')} practised · current streak "
            f"{counted(streaks.current, 'day')} (longest {streaks.longest})"
        )
        self.headline.setText(self._headline(progress))
        self.pages.setCurrentWidget(self.content)
        self._show_chart()
        self._show_delivery()
        self._show_by_heart(progress)
        self._show_best_latest(progress)
        self._show_needs_work(progress)
        self._show_questions(progress)
        self.calendar.set_days(progress.days, progress.today)
        self.streak.setText(_streak_text(progress))
        self.loaded.emit(progress)

    def _headline(self, progress: Progress) -> str:
        """The page's first sentence (domain.progress.headline) for the scope shown: the weakest
        question is named when all questions are shown (the report's headline is the same)."""
        if not progress.questions:  # takes elsewhere, none in this deck or of this question
            which = "this question" if progress.scope.question_id else "this deck"
            return f"No takes of {which} yet: practise it (Ctrl+1) and how it goes shows here."
        return headline(progress.sessions, progress.weakest)

    def _show_chart(self) -> None:
        progress = self.progress
        if progress is None or progress.empty:
            return
        by_session = self.granularity.currentData() == SESSIONS
        if not progress.rated_in_scope:
            in_scope = "this question" if progress.scope.question_id else "this deck"
            self.chart_note.setText(
                f"No takes of {in_scope} yet: practise it (Ctrl+1) and its ratings show here."
                if not progress.questions
                else "No rated takes here yet. Rate your takes with two digits (professionalism, "
                "then clarity), on the practice page or in History, and they show here."
            )
            self.chart_stack.setCurrentWidget(self.chart_note)
            self.chart_caption.setText("")
            return
        chart = self._chart()
        if by_session:
            chart.show_sessions(progress.sessions)
            of = "its takes of this question" if progress.scope.question_id else "its takes"
            self.chart_caption.setText(
                f"One dot per session: the mean of {of}; lines: the moving average of the last "
                f"{SESSION_WINDOW} sessions. Hover a dot for details."
            )
        else:
            chart.show_takes(progress.takes)
            shown = len(progress.takes)
            which = (
                f"the latest {shown} of {progress.rated_in_scope} rated takes"
                if progress.rated_in_scope > shown
                else f"{counted(shown, 'rated take')}"
            )
            self.chart_caption.setText(
                f"One dot per take ({which}); lines: the moving average of the last "
                f"{TAKE_WINDOW}. Hover a dot to see the take, click it to open it in History."
            )
        self.chart_stack.setCurrentWidget(chart)

    def _tab_changed(self) -> None:
        """Each-take or session dots are a choice for the ratings chart only."""
        self.granularity.setEnabled(self.chart_tabs.currentWidget() is not self.delivery_page)
        self._show_delivery()

    def _show_delivery(self) -> None:
        """The chosen delivery measure per session, or why there is none yet. The chart (and
        QtCharts) is made only once the Delivery tab is shown."""
        progress = self.progress
        if progress is None or progress.empty:
            return
        points = progress.delivery
        key = self.measure.currentData()
        if not points:
            self._delivery_note(NOT_ANALYSED)
            return
        if all(getattr(p, key) is None for p in points):
            self._delivery_note(
                "No analysed take here has a transcript yet: pace and fillers need speech "
                "recognition (see the feedback under a take on the practice page)."
                if key != "pitch_spread_semitones"
                else "No analysed take here has enough voiced speech to measure pitch."
            )
            return
        if self.chart_tabs.currentWidget() is not self.delivery_page:
            return  # drawn when shown
        chart = self._delivery_chart()
        chart.show_points(points, _measure(key))
        self.delivery_stack.setCurrentWidget(chart)
        sessions = counted(len(points), "session")
        self.delivery_caption.setText(f"{_delivery_caption(key)} ({sessions}).")

    def _delivery_note(self, text: str) -> None:
        self.delivery_note.setText(text)
        self.delivery_stack.setCurrentWidget(self.delivery_note)
        self.delivery_caption.setText("")

    def _delivery_chart(self) -> DeliveryChart:
        if self.delivery_chart is None:
            from closer_desktop.ui.progress.charts import DeliveryChart

            self.delivery_chart = DeliveryChart()
            self.delivery_chart.apply_palette(self.palette())
            self.delivery_stack.addWidget(self.delivery_chart)
        return self.delivery_chart

    def _chart(self) -> ScoreChart:
        if self.chart is None:
            from closer_desktop.ui.progress.charts import ScoreChart

            self.chart = ScoreChart()
            self.chart.apply_palette(self.palette())
            self.chart.take_clicked.connect(self.take_requested)
            self.chart_stack.addWidget(self.chart)
        return self.chart

    def _show_best_latest(self, progress: Progress) -> None:
        link = _readable_link(self.palette())
        parts = []
        for label, point in (("Best", progress.best), ("Latest", progress.latest)):
            if point is not None:
                parts.append(
                    f"<b>{label}:</b> <a style='color: {link}' href='take:{point.take_id}'>"
                    f"{ratings_in_words(point.professionalism, point.clarity)} · "
                    f"{point.recorded_at:%a %d %b, %H:%M}</a> · {escape(shorten(point.question_text, 50))}"
                )
        self.best_latest.setText("<br>".join(parts))

    def _show_needs_work(self, progress: Progress) -> None:
        """A row per question that needs work, weakest first: its text, its recent ratings, and
        a Practise button that goes to the practice page on it (or says why it cannot)."""
        deck_ids = {q.id for q in self.controller.deck.questions}
        while self.needs_rows.count():
            item = self.needs_rows.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        self.needs_buttons = []
        for row, q in enumerate(progress.needs_work):
            text = QLabel(
                f"{escape(shorten(q.question_text, 50))}<br><span style='color: "
                f"{tokens_for(self.palette()).text_secondary}'>professionalism "
                f"{format_score(q.recent_professionalism)} · clarity "
                f"{format_score(q.recent_clarity)}</span>"
            )
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)
            text.setToolTip(q.question_text)
            button = QPushButton("Practise")
            button.setAccessibleName(f"Practise “{shorten(q.question_text, 60)}”")
            button.setProperty("question_id", q.question_id)
            in_deck = q.question_id in deck_ids
            button.setEnabled(in_deck)
            button.setToolTip(
                "Practise this question now, alone (your usual choice of questions is kept)"
                if in_deck
                else "No longer in this deck"
            )
            button.clicked.connect(lambda _=False, qid=q.question_id: self.practise([qid]))
            self.needs_rows.addWidget(text, row, 0)
            self.needs_rows.addWidget(button, row, 1, Qt.AlignmentFlag.AlignTop)
            self.needs_buttons.append(button)
        practisable = self.needs_work_ids()
        # With one question to practise, its own button says it all.
        self.practise_button.setEnabled(len(practisable) > 1)
        self.practise_button.setVisible(len(practisable) > 1)
        self.practise_button.setText(f"Practise all {len(practisable)}")
        if progress.needs_work:
            self.needs_hint.setText("Lowest scores over the last three takes of each:")
        elif any(q.recent_score is not None for q in progress.questions):
            self.needs_hint.setText(
                "Nothing: the recent takes of every question score 4 or more on both scales."
            )
        else:
            self.needs_hint.setText("Rate a few takes first: the weakest questions show here.")
        self.needs_box.setVisible(bool(progress.needs_work))

    def needs_work_ids(self) -> list[str]:
        """The needs-work questions that are in the current deck, weakest first."""
        if self.progress is None:
            return []
        deck_ids = {q.id for q in self.controller.deck.questions}
        return [q.question_id for q in self.progress.needs_work if q.question_id in deck_ids]

    def _show_questions(self, progress: Progress) -> None:
        """Per question: takes, the last three ratings of each scale, and its trend once its
        first three and last three takes are different takes (before: how many more)."""
        order = {q.id: i for i, q in enumerate(self.controller.deck.questions)}
        rows = sorted(progress.questions, key=lambda q: order.get(q.question_id, len(order)))
        tokens = tokens_for(self.palette())
        self.table.setRowCount(len(rows))
        for row, q in enumerate(rows):
            trend = q.trend
            cells = (
                q.question_text,
                f"{q.takes} · {format_duration(q.spoken_s)}",
                format_score(q.recent_professionalism),
                format_score(q.recent_clarity),
                trend.text(),
                f"{q.last_at:%a %d %b %Y}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, q.question_id)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                else:
                    item.setToolTip(q.question_text)
                self.table.setItem(row, column, item)
            trend_item = self.table.item(row, 4)
            assert trend_item is not None
            colour = {Trend.BETTER: tokens.good, Trend.WORSE: tokens.work}.get(
                trend.trend or Trend.SAME, tokens.text_secondary if trend.change is None else ""
            )
            if colour:
                trend_item.setForeground(QColor(colour))
            trend_item.setToolTip(
                f"Mean of the first three ratings → the last three (best): professionalism "
                f"{first_to_recent(q.first_professionalism, q.recent_professionalism, q.best_professionalism)}"
                f", clarity {first_to_recent(q.first_clarity, q.recent_clarity, q.best_clarity)}"
                if trend.change is not None
                else f"A trend shows once a scale has {TREND_AFTER} ratings: then its first "
                "three and last three takes are different takes."
            )
        self._fit_table()

    def _fit_table(self) -> None:
        """The table as tall as its rows: the page scrolls, not the table."""
        table = self.table
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(row) for row in range(table.rowCount()))
        table.setFixedHeight(height)

    # Actions -----------------------------------------------------------------------------------

    def practise_needs_work(self) -> None:
        """Practise exactly the questions that need work, now, without changing the deck's
        remembered choice (a plan for this time only: everything else is skipped)."""
        self.practise(self.needs_work_ids())

    def practise(self, question_ids: list[str]) -> None:
        """Go to the practice page on exactly these questions (app/practise_only.py)."""
        wanted = [
            qid for qid in question_ids if qid in {q.id for q in self.controller.deck.questions}
        ]
        if not practise_only(self.controller, wanted):
            return
        which = "this question" if len(wanted) == 1 else f"these {len(wanted)} questions"
        self.message.emit(
            "info",
            f"Practising {which}, this time only: Practice > Decks and questions (Ctrl+D) "
            "keeps your usual choice.",
        )

    def _question_clicked(self, row: int, _: int) -> None:
        item = self.table.item(row, 0)
        if item is None:
            return
        index = self.question.findData(item.data(Qt.ItemDataRole.UserRole))
        if index >= 0:
            self.question.setCurrentIndex(index)

    def _link(self, href: str) -> None:
        if self.progress is None or not href.startswith("take:"):
            return
        take_id = int(href.removeprefix("take:"))
        for point in (self.progress.best, self.progress.latest):
            if point is not None and point.take_id == take_id:
                self.take_requested.emit(point)
                return

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            for chart in (self.chart, self.delivery_chart):
                if chart is not None:
                    chart.apply_palette(self.palette())
            if self.progress is not None and not self.progress.empty:
                # Colours written into items and rich text follow the theme too.
                self._show_best_latest(self.progress)
                self._show_needs_work(self.progress)
                self._show_questions(self.progress)
        super().changeEvent(event)


def reveal_take(history: HistoryView, deck_id: str, question_id: str, take_id: int) -> None:
    """Select one take in History: its question's takes with no other filter, paged in until the
    take is there. A later change of filters by the user ends the search."""
    for old in history.model.findChildren(_TakeFinder):
        old.stop()
    deck_index = history.deck.findData(deck_id)
    if deck_index >= 0 and deck_index != history.deck.currentIndex():
        history.deck.setCurrentIndex(deck_index)  # History lists that deck's questions again
    with history.filters_held():
        history.search.clear()
        history.group.setCurrentIndex(0)
        history.no_filters()
        history.question.setCurrentIndex(max(0, history.question.findData(question_id)))
    history.apply_filters()
    _TakeFinder(history, take_id)


class _TakeFinder(QObject):
    """Watches History's rows arrive and selects one take when it does (then goes away)."""

    def __init__(self, history: HistoryView, take_id: int) -> None:
        super().__init__(history.model)
        self.history = history
        self.take_id = take_id
        self.done = False
        history.model.rowsInserted.connect(self.look)
        history.model.modelReset.connect(self.stop)

    def look(self) -> None:
        model = self.history.model
        if self.done:
            return
        for row, take in enumerate(model.takes):
            if take.id == self.take_id:
                self.stop()
                self.history.table.selectRow(row)
                self.history.table.scrollTo(model.index(row, 0))
                self.history.table.setFocus()
                return
        if model.canFetchMore():
            model.fetchMore()

    def stop(self) -> None:
        if self.done:
            return
        self.done = True
        model = self.history.model
        model.rowsInserted.disconnect(self.look)
        model.modelReset.disconnect(self.stop)
        self.deleteLater()


def _readable_link(palette: QPalette) -> str:
    """The palette's link colour, or its text colour where the link would be hard to read
    (contrast under 3:1, as with a light theme's blue links on a dark window)."""
    link = palette.color(QPalette.ColorRole.Link)
    window = palette.color(QPalette.ColorRole.Window)
    if contrast(link, window) < 3.0:
        link = palette.color(QPalette.ColorRole.WindowText)
    return str(link.name())


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _measure(key: str) -> Measure:
    from closer_desktop.ui.progress.charts import MEASURES

    return next(m for m in MEASURES if m.key == key)


def _chart_place(note: str = "") -> tuple[QLabel, QStackedWidget, QLabel]:
    """Where a chart goes once made: a stack showing `note` until then (and instead of the chart
    whenever there is nothing to draw), and the caption below it."""
    shown = QLabel(note)
    shown.setWordWrap(True)
    shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
    stack = QStackedWidget()
    stack.addWidget(shown)
    caption = QLabel()
    caption.setObjectName("keysHint")
    caption.setWordWrap(True)
    return shown, stack, caption


def _delivery_caption(key: str) -> str:
    if key == "words_per_minute":
        low, high = PACE_WPM
        return (
            "One dot per session: the words said per minute of speech in its analysed takes. "
            f"Shaded: a comfortable pace, {low:g} to {high:g} words a minute"
        )
    if key == "fillers_per_minute":
        unnoticed, watch = FILLERS_PER_MINUTE
        return (
            "One dot per session: filler words (um, uh, like, you know…) per minute of speech, "
            f"in its takes with a transcript. Shaded: up to {unnoticed:g} a minute go unnoticed, "
            f"up to {watch:g} are worth watching; above, work on them"
        )
    return (
        "One dot per session: how far the pitch of its takes varies, in semitones. Shaded: "
        f"{PITCH_BANDS}"
    )


def _streak_text(progress: Progress) -> str:
    streaks = progress.streaks
    if streaks.current:
        today = progress.streaks.last_day == progress.today
        return (
            f"Current streak: {counted(streaks.current, 'day')}"
            + ("" if today else " (practise today to keep it)")
            + f". Longest: {counted(streaks.longest, 'day')}."
        )
    last = streaks.last_day
    since = f" Last practised {last:%a %d %b}." if last else ""
    return f"No current streak.{since} Longest: {counted(streaks.longest, 'day')}."


def _line_text(point: RecallPoint) -> str:
    """One take of the by-heart trend: its line match, or that it said another question."""
    if point.different:
        return "other question"
    read = point.hint_level is not None and point.hint_level >= WHOLE_LINE
    return (
        f"{round(point.line_match * 100)} %"
        + ("*" if point.key_missed else "")
        + (" read" if read else "")
    )
