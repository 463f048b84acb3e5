"""History: every past take, newest first or by question, filtered, heard, re-rated, starred, deleted.

The table's model loads pages of rows on demand from the library's thread (Qt's fetchMore), so
opening it costs the same with 10 takes or 10,000. Each page brings its takes' delivery figures
(pace, fillers, longest pause, pitch spread); a take analysed while History is open shows its
figures as soon as they are stored. A figure outside its band (domain/delivery.py) is drawn as
a chip in its verdict's colour (ui/design.py), so colour says something: most cells are plain.
Grouped by question, each question heads its takes with their count and mean ratings.

The filters live in a pop-over behind one "Filters" button, whose badge counts those in force:
the page shows the search field, the grouping and the takes, not eleven controls.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app import operations as ops
from closer_desktop.app.library import LibraryService
from closer_desktop.app.practice import PracticeController
from closer_desktop.audio.player import Player, read_audio
from closer_desktop.domain.deck import Deck
from closer_desktop.domain.delivery import (
    LONG_PAUSE_S,
    MONOTONE_SEMITONES,
    PACE_WPM,
    PITCH_BANDS,
    PITCH_WORDS,
    Delivery,
    Verdict,
    fillers_verdict,
    judge_pace,
    pace_verdict,
    pauses_verdict,
    pitch_verdict,
    pitch_words,
    words_a_minute,
)
from closer_desktop.domain.practice import RatingScale, Take, format_duration
from closer_desktop.domain.scheduler import RECALLED_AT
from closer_desktop.domain.text import counted, shorten
from closer_desktop.storage.queries.history import (
    DeliveryFilter,
    GroupBy,
    HistoryPage,
    LineFigure,
    Pacing,
    QuestionGroup,
    TakeFilter,
)
from closer_desktop.storage.take_metrics import LINE_MATCH
from closer_desktop.ui.design import RADIUS, SPACE_M, SPACE_S, SPACE_XS
from closer_desktop.ui.theme import tokens_for
from closer_desktop.ui.widgets.rating import RatingPanel
from closer_desktop.ui.widgets.take_player import TakePlayer
from closer_desktop.ui.widgets.waveform import PeaksSource

PAGE = 200
COLUMNS = (
    "When",
    "Question",
    "Length",
    "Professionalism",
    "Clarity",
    "Starred",
    "Words/min",
    "Fillers",
    "Longest pause",
    "Pitch range",
    "Line match",
    "Note",
)
DATE_FORMAT = "%a %d %b %Y, %H:%M"
CHIP_TINT = 0.14  # a chip's fill: its verdict's colour this opaque, light enough for AA text
CHIP_ROLE = Qt.ItemDataRole.UserRole + 1  # the Verdict of a figure outside its band, else None
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2  # a group heading's figures line (its column 0)
WPM_COLUMN, FILLERS_COLUMN, PAUSE_COLUMN, PITCH_COLUMN, LINE_COLUMN, NOTE_COLUMN = range(6, 12)
_LOW, _HIGH = PACE_WPM
HEADER_TIPS = {
    3: "Your professionalism rating, 1 to 5",
    4: "Your clarity rating, 1 to 5",
    5: "★: your model answer for its question",
    WPM_COLUMN: f"Pace: words a minute (comfortable: {_LOW:g}–{_HIGH:g})",
    FILLERS_COLUMN: "Filler words: um, uh, like, you know…",
    PAUSE_COLUMN: f"Longest pause, in seconds ({LONG_PAUSE_S:g} s or more can read as lost)",
    PITCH_COLUMN: f"Pitch variety, from its spread in semitones: {PITCH_BANDS}",
    LINE_COLUMN: "Line match: the share of the line's words said, in order",
}
DELIVERY_FILTERS = (
    ("Any delivery", DeliveryFilter.ANY),
    ("Not analysed yet", DeliveryFilter.NOT_ANALYSED),
    ("Fillers found", DeliveryFilter.FILLERS),
    (f"Pace outside {_LOW:g}–{_HIGH:g} wpm", DeliveryFilter.PACE_OUTSIDE),
    (f"Flat or a little flat (under {MONOTONE_SEMITONES:g} semitones)", DeliveryFilter.MONOTONE),
    (f"Long pause ({LONG_PAUSE_S:g} s or more)", DeliveryFilter.LONG_PAUSE),
)
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    """Rows of takes for one filter, fetched a page at a time; grouped by question, each
    question's takes come under a heading row (not selectable, skipped by the arrow keys).

    Signals:
        counted(int): how many takes match the filter (again after a delete).
    """

    counted = Signal(int)

    def __init__(self, library: LibraryService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.take_filter = TakeFilter()
        self.group_by = GroupBy.DATE
        self.takes: list[Take] = []
        self.rows: list[Take | str] = []  # the takes, and by question the headings' texts
        self.groups: dict[str, QuestionGroup] = {}  # by question text: its heading's figures
        self.delivery: dict[int, Delivery] = {}  # by take id: the analysed takes' figures
        self.pacing: dict[int, Pacing] = {}  # by take id: speech time and long pauses
        self.unreadable: set[int] = set()  # takes whose stored figures could not be read
        self.line: dict[int, LineFigure] = {}  # by take id: the line check of those transcribed
        self.total = 0
        self.short_dates = False  # a narrow window: "06 Dec, 10:51" for "Sun 06 Dec 2026, 10:51"
        self._generation = 0
        self._fetching = False

    def set_short_dates(self, short: bool) -> None:
        if short != self.short_dates:
            self.short_dates = short
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def reload(self, take_filter: TakeFilter, group_by: GroupBy) -> None:
        self.beginResetModel()
        self.take_filter, self.group_by = take_filter, group_by
        self.takes, self.rows, self.groups, self.delivery, self.line = [], [], {}, {}, {}
        self.pacing, self.unreadable, self.total = {}, set(), 0
        self._generation += 1
        self._fetching = False
        self.endResetModel()
        generation = self._generation

        def counted(total: int) -> None:
            if generation == self._generation:
                self.total = total
                self.counted.emit(total)
                self._fetch(generation)

        ops.count_takes(take_filter).run(self.library, counted)

    def _fetch(self, generation: int) -> None:
        if self._fetching or len(self.takes) >= self.total:
            return
        self._fetching = True
        offset, take_filter, group_by = len(self.takes), self.take_filter, self.group_by

        def arrived(page: HistoryPage) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            if page.takes:
                new: list[Take | str] = []
                previous = self.takes[-1].question_text if self.takes else None
                for take in page.takes:
                    if group_by is GroupBy.QUESTION and take.question_text != previous:
                        new.append(take.question_text)
                    previous = take.question_text
                    new.append(take)
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
                self.rows.extend(new)
                self.takes.extend(page.takes)
                self.groups.update(page.groups)
                self.delivery.update(page.delivery)
                self.pacing.update(page.pacing)
                self.unreadable |= page.unreadable
                self.line.update(page.line)
                self.endInsertRows()

        ops.find_page(take_filter, group_by, offset, PAGE).run(self.library, arrived)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.takes) < self.total and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        self._fetch(self._generation)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def take_at(self, row: int) -> Take | None:
        """The take in `row`; None for a group heading or no row."""
        item = self.rows[row] if 0 <= row < len(self.rows) else None
        return item if isinstance(item, Take) else None

    def row_of(self, take_id: int) -> int:
        """The row of the take with this id, -1 when it is not loaded."""
        return next(
            (
                r
                for r, item in enumerate(self.rows)
                if isinstance(item, Take) and item.id == take_id
            ),
            -1,
        )

    def is_heading(self, row: int) -> bool:
        return 0 <= row < len(self.rows) and isinstance(self.rows[row], str)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.is_heading(index.row()):
            # Neither enabled nor selectable: the arrow keys go past it, a click selects nothing.
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # Two words on two lines: the figures' columns stay as narrow as their figures.
            return COLUMNS[section].replace(" ", "\n", 1) if section >= 6 else COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        if isinstance(item, str):
            return self._heading_data(item, column, role)
        take = item
        if WPM_COLUMN <= column <= PITCH_COLUMN:
            return self._delivery_data(take.id, column, role)
        if column == LINE_COLUMN:
            return self._line_data(self.line.get(take.id), take, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(take, column, index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{take.question_text}\n{take.note}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, 4, 5):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def _heading_data(self, question: str, column: int, role: int) -> Any:
        """A group's heading: the question, then how many takes and their mean ratings."""
        if column != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return question
        if role == GROUP_ROLE:
            return group_figures(self.groups.get(question))
        return None

    def _delivery_data(self, take_id: int, column: int, role: int) -> Any:
        """A delivery cell: empty until the take is analysed, "–" for a figure not measured
        (no transcript: no pace or fillers), a chip when outside its band."""
        delivery = self.delivery.get(take_id)
        if delivery is None:
            if role == Qt.ItemDataRole.ToolTipRole:
                if take_id in self.unreadable:
                    return "The stored figures of this take could not be read"
                return "Not analysed yet"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _delivery_text(delivery, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _delivery_tip(delivery, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == CHIP_ROLE:
            return _chip(_verdict(delivery, self.pacing.get(take_id, Pacing()), column))
        return None

    def _line_data(self, line: LineFigure | None, take: Take, role: int) -> Any:
        """The line check's cell: the line match as a percent, or "different question"; a chip
        when the line is not yet by heart; empty until there is a transcript."""
        if line is None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return "No line check yet (it needs the take's transcript)"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "different question" if line.different else f"{round(line.score * 100)} %"
        if role == Qt.ItemDataRole.ToolTipRole:
            said = {"memory": "said from memory", "run": "said in an interview run"}
            how = said.get(take.mode, "read from the screen")
            if line.different:
                text = "The take said a different question entirely"
            else:
                text = f"{round(line.score * 100)} % of the line's words said, in order"
            missed = (
                f"; {counted(line.key_missed, 'key phrase')} left out" if line.key_missed else ""
            )
            return f"{text}{missed} ({how})"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == CHIP_ROLE and line.weak:
            return Verdict.WORK if line.different else Verdict.WATCH
        return None

    def _text(self, take: Take, column: int, row: int) -> str:
        if column == 0:
            if self.group_by is GroupBy.DATE and row and self._same_day(row):
                return take.recorded_at.strftime("%H:%M")  # the day heads its group
            return take.recorded_at.strftime("%d %b, %H:%M" if self.short_dates else DATE_FORMAT)
        if column == 1:
            return take.question_text
        if column == 2:
            return "missing" if take.audio_missing else format_duration(take.duration_s)
        if column == 3:
            return str(take.professionalism or "–")
        if column == 4:
            return str(take.clarity or "–")
        if column == 5:
            return "★" if take.starred else ""
        note = take.note  # NOTE_COLUMN
        return note if len(note) <= 60 else note[:59] + "…"

    def _same_day(self, row: int) -> bool:
        above = self.take_at(row - 1)
        below = self.take_at(row)
        return (
            above is not None
            and below is not None
            and above.recorded_at.date() == below.recorded_at.date()
        )

    def metrics_arrived(self, take_id: int, metrics: dict[str, Any]) -> None:
        """A take's metrics were just stored (TakeAnalyser.metrics_ready): show its figures.
        The rows stay as they are, as after a re-rating: the filters apply at the next reload."""
        row = self.row_of(take_id)
        if row < 0:
            return
        self.delivery[take_id] = Delivery.from_metrics(metrics)
        speaking, long_pauses = metrics.get("speaking_time_s"), metrics.get("long_pause_count")
        self.pacing[take_id] = Pacing(
            float(speaking) if isinstance(speaking, int | float) else None,
            long_pauses if isinstance(long_pauses, int) else None,
        )
        self.unreadable.discard(take_id)
        line = LineFigure.of(metrics.get(LINE_MATCH))
        if line is not None:
            self.line[take_id] = line
        self.dataChanged.emit(self.index(row, WPM_COLUMN), self.index(row, LINE_COLUMN))

    def take_changed(self, take: Take) -> None:
        row = self.row_of(take.id)
        if row >= 0:
            old = self.rows[row]
            group = self.groups.get(take.question_text)
            if isinstance(old, Take) and group is not None:  # a re-rating moves its group's means
                self.groups[take.question_text] = _regrouped(group, old, take)
                heading = max((r for r in range(row) if self.is_heading(r)), default=-1)
                if heading >= 0:
                    self.dataChanged.emit(self.index(heading, 0), self.index(heading, 0))
            self.rows[row] = take
            self.takes = [take if t.id == take.id else t for t in self.takes]
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def remove(self, take_id: int) -> None:
        """Take a deleted take out: its row, its group's count and means (its heading too when
        it was the group's last take) and the total, which `counted` announces at once."""
        row = self.row_of(take_id)
        if row < 0:
            return
        take = self.rows[row]
        assert isinstance(take, Take)
        first = last = row
        if self.group_by is GroupBy.QUESTION:
            group = self.groups.get(take.question_text)
            if group is not None:
                self.groups[take.question_text] = group.without(take)
            below = self.take_at(row + 1)
            alone = below is None or below.question_text != take.question_text
            if self.is_heading(row - 1) and alone:  # its group's only row: the heading goes too
                first = row - 1
        self.beginRemoveRows(QModelIndex(), first, last)
        del self.rows[first : last + 1]
        self.takes = [t for t in self.takes if t.id != take_id]
        self.delivery.pop(take_id, None)
        self.pacing.pop(take_id, None)
        self.line.pop(take_id, None)
        self.total -= 1
        self.endRemoveRows()
        if first == row and self.group_by is GroupBy.QUESTION and row > 0:
            heading = max(r for r in range(row) if self.is_heading(r))  # its count and means
            self.dataChanged.emit(self.index(heading, 0), self.index(heading, len(COLUMNS) - 1))
        self.counted.emit(self.total)


class HistoryView(QWidget):
    """Filter bar, the table of takes, and the selected take's player, ratings and actions.

    Signals:
        message(str, str): (level, text) for the window's message area.
        notice(str, str, object): the same with an action, (label, callback): a delete's Undo.
    """

    message = Signal(str, str)
    notice = Signal(str, str, object)
    compare_requested = Signal(list)
    _player_done = Signal()
    _player_error = Signal(str)

    def __init__(
        self, controller: PracticeController, library: LibraryService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller  # the deck practised, the files runner, the analyser
        self.library = library
        self.model = HistoryModel(library, self)
        self.selected: Take | None = None
        self.deleted: list[int] = []  # undo stack of trashed take ids
        self.player = Player(self._player_done.emit, self._player_error.emit)
        self._player_done.connect(self._show_playing)
        self._player_error.connect(self._playback_failed)
        self._refilter = QTimer(self)  # typing in the search box settles before querying
        self._refilter.setSingleShot(True)
        self._refilter.setInterval(200)
        self._refilter.timeout.connect(self.apply_filters)
        self._build()

    def _build(self) -> None:
        deck = self.controller.deck
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search notes and questions")
        self.search.setAccessibleName("Search notes and questions")
        self.search.setToolTip("Search in your notes and in the question text")
        self.search.setClearButtonEnabled(True)
        self.group = _combo(
            "Group by", [("By date", GroupBy.DATE), ("By question", GroupBy.QUESTION)]
        )
        self.deck = _combo("Deck", [(deck.name, deck.id), ("All decks", None)])
        self.stage = _combo("Stage", [])
        self.question = _combo("Question", [])
        self._fill_deck_filters(deck)
        limits = [("Any rating", None), ("1", 1)] + [(f"{n} or lower", n) for n in range(2, 5)]
        self.max_p = _combo("Professionalism at most", limits)
        self.max_c = _combo("Clarity at most", limits)
        self.delivery = _combo("Delivery", list(DELIVERY_FILTERS))
        self.delivery.setToolTip(
            "Takes by their measured delivery: pace, filler words, pauses and pitch"
        )
        self.has_note = QCheckBox("Has a note")
        self.starred = QCheckBox("★ Starred")
        self.line_weak = QCheckBox(f"Line under {round(RECALLED_AT * 100)} %")
        self.use_dates = QCheckBox("Only between")
        self.date_from = QDateEdit(QDate.currentDate().addDays(-30))
        self.date_to = QDateEdit(QDate.currentDate())
        named: tuple[tuple[QWidget, str], ...] = (
            (self.has_note, "Only takes with a note"),
            (self.starred, "Only starred model answers"),
            (
                self.line_weak,
                f"Only takes whose line match is under {round(RECALLED_AT * 100)} %, or that "
                "left out a key phrase: lines not yet by heart",
            ),
            (self.use_dates, "Only takes between two dates"),
            (self.date_from, "From date"),
            (self.date_to, "To date"),
        )
        for widget, name in named:
            widget.setAccessibleName(name)
            widget.setToolTip(name)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.search.setMinimumWidth(160)
        self.filters_popup = self._filters_popup()
        self.filters_button = QPushButton()
        self.filters_button.setToolTip("Narrow the list: deck, question, ratings, delivery, dates")
        self.filters_button.setAutoDefault(False)
        button_row = self._filters_row = QHBoxLayout(self.filters_button)
        button_row.setContentsMargins(SPACE_S, 0, SPACE_XS, 0)
        button_row.setSpacing(SPACE_XS)
        self.filters_text = QLabel("Filters ▾")
        self.filters_badge = QLabel()  # how many filters are in force; hidden at none
        self.filters_badge.setObjectName("filterBadge")
        self.filters_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (self.filters_text, self.filters_badge):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            button_row.addWidget(label)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of takes found")
        filters = QHBoxLayout()
        filters.setSpacing(SPACE_S)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.group)
        filters.addWidget(self.filters_button)
        filters.addWidget(self.count_label)
        self._show_filter_count()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Past takes")
        self.table.setToolTip("Every take that matches the filters: select one to play it (P)")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The question takes what the fixed columns leave; the note, shown in full under the
        # table, gets a start of it (and goes in a narrow window: resizeEvent).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(NOTE_COLUMN, 180)
        # Each figure's column as wide as its heading says (the headings are words now).
        for column in range(2, NOTE_COLUMN):
            self.table.setColumnWidth(column, header.sectionSizeHint(column) + SPACE_XS)
        bold = self.font()
        bold.setBold(True)
        chip = QFontMetrics(bold).horizontalAdvance(PITCH_WORDS[Verdict.WATCH]) + 3 * SPACE_XS
        self.table.setColumnWidth(PITCH_COLUMN, max(self.table.columnWidth(PITCH_COLUMN), chip))
        self.table.setItemDelegate(HistoryDelegate(self.table))
        self.table.setWordWrap(False)  # one line a take; the whole question is in its tooltip
        self.model.modelReset.connect(self.table.clearSpans)
        self.model.rowsInserted.connect(self._span_headings)
        # Delete on the table moves the selected take to the trash (Ctrl+Z brings it back); in
        # the search or the note field it stays the text key it is.
        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_shortcut.activated.connect(self.delete_selected)

        self.detail_title = QLabel("Select a take to hear it, re-rate it or add a note.")
        self.detail_title.setWordWrap(True)
        self.detail_title.setObjectName("historyDetailTitle")
        self.take_player = TakePlayer(
            self.player,
            PeaksSource(self.controller.files, self.controller.data_dir),
            self.controller.settings,
        )
        self.take_player.use_analyser(self.controller.analysis)  # the transcript under the waveform
        self.play_button = self.take_player.play_button
        self.play_button.setAccessibleName("Play or pause the selected take")
        self.position = self.take_player.time_label
        self.star_button = QPushButton("☆ Star as model answer")
        self.star_button.setCheckable(True)
        self.star_button.setAccessibleName("Star as the model answer")
        self.star_button.setToolTip("Mark this take as your model answer for its question")
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setAccessibleName("Compare takes of this question")
        self.compare_button.setToolTip("Compare two takes of this question side by side")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete the selected take")
        self.delete_button.setToolTip("Move the take to the trash (Ctrl+Z undoes)")
        heading = QHBoxLayout()  # the take's title beside its actions: room for the table
        heading.addWidget(self.detail_title, 1)
        for button in (self.compare_button, self.star_button, self.delete_button):
            heading.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.ratings = RatingPanel()
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addLayout(heading)
        detail_layout.addWidget(self.take_player)
        detail_layout.addWidget(self.ratings)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, False)  # the take's player and ratings are never squeezed
        self.detail = detail
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self._show_selected(None)

        self.search.textChanged.connect(lambda _: self._refilter.start())
        self.deck.currentIndexChanged.connect(lambda _: self._deck_chosen())
        self.controller.deck_changed.connect(self._practised_deck_changed)
        for combo in (self.group, self.stage, self.question, self.max_p, self.max_c, self.delivery):
            combo.currentIndexChanged.connect(lambda _: self.apply_filters())
        self.controller.analysis.metrics_ready.connect(self.model.metrics_arrived)
        for box in (self.has_note, self.starred, self.line_weak, self.use_dates):
            box.toggled.connect(lambda _: self.apply_filters())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _: self.apply_filters())
        self.model.counted.connect(self._show_count)
        self.filters_button.clicked.connect(self.open_filters)
        self.library.ready.connect(self._library_ready)
        self.model.modelReset.connect(lambda: self._show_selected(None))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.take_player.play_clicked.connect(self.toggle_playback)
        self.star_button.clicked.connect(self._star)
        self.delete_button.clicked.connect(self.delete_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.ratings.rated.connect(self._rate)
        self.ratings.note_edited.connect(self._note)

    # Filters -------------------------------------------------------------------------------

    def _filters_popup(self) -> QFrame:
        """The pop-over holding every filter but the search: opened by the Filters button,
        closed by a click outside or Esc, as a combo box's list is."""
        popup = QFrame(self, Qt.WindowType.Popup)
        popup.setObjectName("filtersPopup")
        popup.setFrameShape(QFrame.Shape.StyledPanel)
        popup.setAccessibleName("Filters")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Deck", self.deck)
        form.addRow("Stage", self.stage)
        form.addRow("Question", self.question)
        form.addRow("Professionalism", self.max_p)
        form.addRow("Clarity", self.max_c)
        form.addRow("Delivery", self.delivery)
        checks = QVBoxLayout()
        for box in (self.has_note, self.starred, self.line_weak):
            checks.addWidget(box)
        form.addRow("Only", checks)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from, 1)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.date_to, 1)
        form.addRow("Dates", dates)
        self.clear_filters_button = QPushButton("Clear filters")
        self.clear_filters_button.setAccessibleName("Clear every filter")
        self.clear_filters_button.setToolTip("Show every take of the deck practised again")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.clear_filters_button)
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(SPACE_S, SPACE_S, SPACE_S, SPACE_S)
        layout.addLayout(form)
        layout.addLayout(bottom)
        self.question.setMinimumContentsLength(24)
        self.question.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.has_note.setText("takes with a note")
        self.starred.setText("★ model answers")
        self.line_weak.setText(f"line match under {round(RECALLED_AT * 100)} %")
        return popup

    def open_filters(self) -> None:
        """Show the filters under their button (kept on the screen)."""
        popup = self.filters_popup
        popup.adjustSize()
        button = self.filters_button
        corner = button.mapToGlobal(button.rect().bottomRight())
        x = corner.x() - popup.width()
        screen = button.screen().availableGeometry()
        x = max(screen.left(), min(x, screen.right() - popup.width()))
        y = min(corner.y() + 2, screen.bottom() - popup.height())
        popup.move(x, y)
        popup.show()
        self.deck.setFocus()

    def active_filters(self) -> int:
        """How many filters narrow the list now (the search and the grouping are not counted;
        another deck than the one practised is)."""
        return sum(
            (
                self.deck.currentData() != self.controller.deck.id,
                self.stage.currentData() is not None,
                self.question.currentData() is not None,
                self.max_p.currentData() is not None,
                self.max_c.currentData() is not None,
                self.delivery.currentData() is not DeliveryFilter.ANY,
                self.has_note.isChecked(),
                self.starred.isChecked(),
                self.line_weak.isChecked(),
                self.use_dates.isChecked(),
            )
        )

    def _show_filter_count(self) -> None:
        active = self.active_filters()
        self.filters_badge.setText(str(active))
        self.filters_badge.setVisible(active > 0)
        self.filters_button.setAccessibleName(
            f"Filters, {active} in use" if active else "Filters, none in use"
        )
        self.filters_button.setMinimumWidth(self._filters_row.sizeHint().width())

    def clear_filters(self) -> None:
        """Every filter back to none, in the deck practised; then one reload."""
        with self.filters_held():
            practised = self.deck.findData(self.controller.deck.id)
            if practised >= 0 and practised != self.deck.currentIndex():
                self.deck.setCurrentIndex(practised)
                self._fill_deck_filters(self.controller.deck)
            self.no_filters()
        self.apply_filters()

    @contextmanager
    def filters_held(self) -> Iterator[None]:
        """Filters changed together without a reload for each change: the caller reloads once
        (apply_filters) after the block."""
        widgets = (
            self.search,
            self.group,
            self.deck,
            self.stage,
            self.question,
            self.max_p,
            self.max_c,
            self.delivery,
            self.has_note,
            self.starred,
            self.line_weak,
            self.use_dates,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            yield
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def no_filters(self) -> None:
        """Stage, question, ratings, delivery and the check boxes back to none (the deck, the
        search and the grouping stay); inside filters_held."""
        for combo in (self.stage, self.question, self.max_p, self.max_c, self.delivery):
            combo.setCurrentIndex(0)
        for box in (self.has_note, self.starred, self.line_weak, self.use_dates):
            box.setChecked(False)

    def current_filter(self) -> TakeFilter:
        since = until = None
        if self.use_dates.isChecked():
            since = _to_date(self.date_from.date())
            until = _to_date(self.date_to.date())
        return TakeFilter(
            deck_id=self.deck.currentData(),
            stage=self.stage.currentData(),
            question_id=self.question.currentData(),
            since=since,
            until=until,
            max_professionalism=self.max_p.currentData(),
            max_clarity=self.max_c.currentData(),
            has_note=self.has_note.isChecked(),
            starred_only=self.starred.isChecked(),
            text=self.search.text(),
            delivery=self.delivery.currentData(),
            line_weak=self.line_weak.isChecked(),
        )

    def _fill_deck_filters(self, deck: Deck | None) -> None:
        """Stage and question choices of the chosen deck (none to choose across all decks)."""
        for combo in (self.stage, self.question):
            combo.blockSignals(True)
            combo.clear()
        self.stage.addItem("All stages", None)
        self.question.addItem("All questions", None)
        if deck is not None:
            for stage in deck.stages:
                self.stage.addItem(stage.title, stage.title)
            for q in deck:
                self.question.addItem(shorten(q.text, 48), q.id)
        for combo in (self.stage, self.question):
            combo.setEnabled(deck is not None)
            combo.blockSignals(False)

    def refresh_decks(self) -> None:
        """List the library's decks (read in the background), keeping the current choice."""

        def read() -> list[tuple[str, str]]:
            from closer_desktop.storage.decks import DeckStore

            return [(e.name, e.id) for e in DeckStore(self.controller.data_dir).entries()]

        def listed(decks: list[tuple[str, str]]) -> None:
            chosen = self.deck.currentData()
            practised = self.controller.deck
            if practised.id not in {deck_id for _, deck_id in decks}:
                decks.insert(0, (practised.name, practised.id))
            self.deck.blockSignals(True)
            self.deck.clear()
            for name, deck_id in decks:
                self.deck.addItem(name, deck_id)
            self.deck.addItem("All decks", None)
            self.deck.setCurrentIndex(max(0, self.deck.findData(chosen)))
            self.deck.blockSignals(False)

        self.controller.files.run(read, listed)

    def _deck_chosen(self) -> None:
        deck_id = self.deck.currentData()
        if deck_id is None:
            self._fill_deck_filters(None)
            self.apply_filters()
        elif deck_id == self.controller.deck.id:
            self._fill_deck_filters(self.controller.deck)
            self.apply_filters()
        else:

            def read() -> Deck:
                from closer_desktop.storage.decks import DeckStore

                return DeckStore(self.controller.data_dir).load(deck_id)

            def loaded(deck: Deck) -> None:
                if self.deck.currentData() == deck.id:
                    self._fill_deck_filters(deck)
                    self.apply_filters()

            self.controller.files.run(read, loaded, lambda _: self.apply_filters())

    def _practised_deck_changed(self, deck: Deck) -> None:
        """Another deck is practised: History follows it (the user can still pick any)."""
        if self.deck.findData(deck.id) < 0:
            self.deck.insertItem(0, deck.name, deck.id)
        self.deck.setItemText(self.deck.findData(deck.id), deck.name)
        self.deck.blockSignals(True)
        self.deck.setCurrentIndex(self.deck.findData(deck.id))
        self.deck.blockSignals(False)
        self._fill_deck_filters(deck)
        self.apply_filters()

    def apply_filters(self) -> None:
        self._show_filter_count()
        # Grouped by question, each heading names the question: its column would repeat it.
        self.table.setColumnHidden(1, self.group.currentData() is GroupBy.QUESTION)
        if self.library.library_is_open:
            self.model.reload(self.current_filter(), self.group.currentData())

    def _library_ready(self) -> None:
        if self.isVisible():
            self.apply_filters()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(counted(total, "take"))
        if total == 0:
            nothing_at_all = self.current_filter() == TakeFilter(deck_id=self.deck.currentData())
            self.detail_title.setText(
                "No takes yet. Record one on the Practice page (Ctrl+1), then come back here."
                if nothing_at_all
                else "No takes match these filters. Loosen them to see more."
            )

    # The selected take ----------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        self._show_selected(self.model.take_at(current.row()))

    def _span_headings(self, _: QModelIndex, first: int, last: int) -> None:
        """A group heading spans the row: the question reads across the columns."""
        for row in range(first, last + 1):
            if self.model.is_heading(row):
                self.table.setSpan(row, 0, 1, len(COLUMNS))

    def resizeEvent(self, event: Any) -> None:
        # In a narrow window the note and star columns go first (both show under the table).
        narrow = self.width() < 1000
        self.table.setColumnHidden(NOTE_COLUMN, narrow)
        self.table.setColumnHidden(5, narrow)
        self.model.set_short_dates(narrow)
        metrics = self.fontMetrics()
        when = "06 Dec, 10:00" if narrow else "Wed 30 Sep 2026, 10:00"
        self.table.setColumnWidth(0, metrics.horizontalAdvance(when) + SPACE_M)
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_title)  # once the title has its new width
        self._fit_detail()

    def _fit_title(self) -> None:
        if self.selected is not None:
            self._show_title(self.selected)
            self._fit_detail()

    def _fit_detail(self) -> None:
        """Keep room under the table for the whole take: its title wraps (height for width),
        which the splitter does not count, and the ratings were squeezed to half their height
        in an 800x600 window."""
        layout = self.detail.layout()
        if layout is None:
            return
        width = self.detail.width()
        need = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth() and width > 0
            else layout.totalMinimumSize().height()
        )
        self.detail.setMinimumHeight(max(need, layout.totalMinimumSize().height()))

    def _show_selected(self, take: Take | None) -> None:
        self.player.unload()
        self._show_playing()
        self.selected = take
        for widget in (self.play_button, self.star_button, self.delete_button, self.compare_button):
            widget.setEnabled(take is not None)
        self.ratings.show_take(take)
        self.ratings.show_target(None)
        if take is None:
            if self.model.total:
                self.detail_title.setText("Select a take to hear it, re-rate it or add a note.")
            self.take_player.show_take(None)
            return
        QTimer.singleShot(0, self._fit_detail)  # once the new title is laid out
        self._show_title(take)
        self.star_button.setChecked(take.starred)
        self.star_button.setText("★ Model answer" if take.starred else "☆ Star as model answer")
        path = self.controller.data_dir / take.audio_path
        # The waveform first: it is quicker.
        self.take_player.show_take(path, take.duration_s, take.audio_missing, take_id=take.id)
        self.controller.analysis.request(
            take
        )  # its transcript: stored, or analysed in the background

        def loaded(result: tuple[Any, int]) -> None:
            if self.selected is not None and self.selected.id == take.id:
                self.player.load(*result)
                self.take_player.refresh()

        self.controller.files.run(
            lambda: read_audio(path, compact=True),
            loaded,
            lambda exc: self.message.emit("error", f"{exc}. The take's ratings and note are kept."),
        )

    def _show_title(self, take: Take) -> None:
        """The take's question on one line (elided: the table and its tooltip have it whole,
        and a wrapped one took three lines from the table at 800x600), then when and how long."""
        bold = self.detail_title.font()
        bold.setBold(True)
        room = max(80, self.detail_title.width())
        question = QFontMetrics(bold).elidedText(
            take.question_text, Qt.TextElideMode.ElideRight, room
        )
        self.detail_title.setToolTip(take.question_text)
        self.detail_title.setText(
            f"<b>{html.escape(question)}</b><br>{html.escape(take.stage)} · "
            f"{take.recorded_at:%a %d %b %Y, %H:%M} · {format_duration(take.duration_s)}"
            + (" · recovered" if take.recovered else "")
            + (" · <b>audio file missing</b>" if take.audio_missing else "")
        )

    def toggle_playback(self) -> None:
        if not self.player.is_loaded:
            return
        self.controller.player.pause()
        self.player.toggle()
        self._show_playing()

    def seek_by(self, seconds: float) -> None:
        self.take_player.seek_by(seconds)

    def _show_playing(self) -> None:
        self.take_player.refresh()

    def _playback_failed(self, text: str) -> None:
        self.take_player.refresh()
        self.message.emit("error", text)

    def _updated(self, take: Take) -> None:
        self.model.take_changed(take)
        if self.selected is not None and self.selected.id == take.id:
            self.selected = take
            self.ratings.show_take(take)

    def _rate(self, scale: RatingScale, value: int) -> None:
        if self.selected is None:
            return
        ops.rate_take(self.selected.id, scale, value).run(self.library, self._updated)

    def _note(self, take_id: int, note: str) -> None:
        ops.note_take(take_id, note).run(self.library, self._updated)

    def _star(self, starred: bool) -> None:
        if self.selected is None:
            return
        take_id = self.selected.id

        def saved(take: Take) -> None:
            if take.starred:  # one model answer per question: the others lose their star
                for other in self.model.takes:
                    same = (other.deck_id, other.question_id) == (take.deck_id, take.question_id)
                    if same and other.starred and other.id != take.id:
                        self.model.take_changed(replace(other, starred=False))
            self._updated(take)

        ops.star_take(take_id, starred).run(self.library, saved)
        self.star_button.setText("★ Model answer" if starred else "☆ Star as model answer")

    def compare_selected(self) -> None:
        take = self.selected
        if take is None:
            return
        self.player.pause()
        ops.takes_for_question(take.deck_id, take.question_id).run(
            self.library, self.compare_requested.emit
        )

    def delete_selected(self) -> None:
        take = self.selected
        if take is None:
            return
        self.player.unload()

        def trashed(_: None) -> None:
            self.deleted.append(take.id)
            row = self.model.row_of(take.id)
            self.model.remove(take.id)
            self._select_near(row)
            self.notice.emit(
                "info",
                "Take deleted (moved to the trash folder; Ctrl+Z also undoes).",
                ("Undo", lambda: self.undo_delete(take.id)),
            )

        ops.trash_take(take.id).run(
            self.library,
            trashed,
            lambda exc: self.message.emit("error", f"The take could not be deleted: {exc}"),
        )

    def _select_near(self, row: int) -> None:
        """After a delete: the take now in the deleted one's row (or the one above, at the end)
        is selected for real, shown and current, so clicks and keys act on it at once."""
        model = self.model
        below = [r for r in range(max(0, row), model.rowCount()) if model.take_at(r)]
        above = [r for r in range(min(row, model.rowCount()) - 1, -1, -1) if model.take_at(r)]
        target = (below or above or [-1])[0]
        take = model.take_at(target)
        if take is None:
            self.table.selectionModel().clearSelection()
            self._show_selected(None)
            return
        flags = (
            self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(model.index(target, 0), flags)
        if self.selected is None or self.selected.id != take.id:
            self._show_selected(take)

    def undo_delete(self, take_id: int | None = None) -> None:
        """Bring back the latest deleted take (Ctrl+Z), or `take_id` (its toast's Undo)."""
        if take_id is None and self.deleted:
            take_id = self.deleted[-1]
        if take_id is None or take_id not in self.deleted:
            self.message.emit("info", "Nothing to undo.")
            return
        self.deleted.remove(take_id)

        def restored(take: Take) -> None:
            self.apply_filters()
            self.message.emit("info", f"Restored the take of “{shorten(take.question_text, 48)}”.")

        ops.restore_take(take_id).run(self.library, restored)

    def selected_take(self) -> Take | None:
        """The take selected in the table, if any (File > Export take audio acts on it)."""
        return self.selected

    def shutdown(self) -> None:
        self.player.close()


def group_figures(group: QuestionGroup | None) -> str:
    """A group heading's second part: "3 takes · professionalism 3.5 · clarity 4"."""
    if group is None:
        return ""
    parts = [counted(group.takes, "take")]
    for name, mean in (
        ("professionalism", group.mean_professionalism),
        ("clarity", group.mean_clarity),
    ):
        if mean is not None:
            parts.append(f"{name} {mean:.1f}".removesuffix(".0"))
    if len(parts) == 1 and group.takes:
        parts.append("not rated yet")
    return " · ".join(parts)


def _regrouped(group: QuestionGroup, old: Take, new: Take) -> QuestionGroup:
    """The group once one of its takes is rated `new` where it was rated `old`."""
    less = group.without(old)
    p, c = new.professionalism, new.clarity
    return QuestionGroup(
        less.takes + 1,
        less.professionalism_sum + (p or 0),
        less.professionalism_rated + (1 if p else 0),
        less.clarity_sum + (c or 0),
        less.clarity_rated + (1 if c else 0),
    )


def _verdict(delivery: Delivery, pacing: Pacing, column: int) -> Verdict | None:
    """How a figure sounds, by the bands of domain/delivery.py; None where not measured."""
    if column == WPM_COLUMN:
        wpm = delivery.words_per_minute
        return None if wpm is None else pace_verdict(wpm)
    if column == FILLERS_COLUMN:
        if delivery.fillers is None or pacing.speaking_s is None:
            return None
        return fillers_verdict(delivery.fillers, pacing.speaking_s)
    if column == PAUSE_COLUMN:
        pause = delivery.longest_pause_s
        if pause is None:
            return None
        long_pauses = pacing.long_pauses
        return pauses_verdict(
            int(delivery.long_pause) if long_pauses is None else long_pauses, pause
        )
    spread = delivery.pitch_spread_semitones
    return None if spread is None else pitch_verdict(spread)


def _chip(verdict: Verdict | None) -> Verdict | None:
    """Only what is worth a look gets a chip: a good figure stays plain text."""
    return None if verdict is None or verdict is Verdict.GOOD else verdict


class HistoryDelegate(QStyledItemDelegate):
    """Draws group headings across the row, and out-of-band figures as chips in their
    verdict's colour (the tokens of ui/design.py for the table's theme)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if isinstance(model, HistoryModel) and model.is_heading(index.row()):
            self._paint_heading(painter, option, index)
            return
        verdict = index.data(CHIP_ROLE)
        if not isinstance(verdict, Verdict):
            super().paint(painter, option, index)
            return
        palette = option.palette
        tokens = tokens_for(palette)
        colour = QColor(tokens.watch if verdict is Verdict.WATCH else tokens.work)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        blank = QStyleOptionViewItem(option)
        self.initStyleOption(blank, index)
        blank.text = ""
        widget = blank.widget
        if widget is not None:  # the row's own background and selection first
            widget.style().drawControl(
                QStyle.ControlElement.CE_ItemViewItem, blank, painter, widget
            )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = min(rect.width() - 4, metrics.horizontalAdvance(text) + 2 * SPACE_XS)
        height = min(rect.height() - 4, metrics.height() + 4)
        chip = QRectF(rect.right() - width - 2, rect.center().y() - height / 2, width, height)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        fill = QColor(tokens.surface) if selected else QColor(colour)
        if not selected:
            fill.setAlphaF(CHIP_TINT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, RADIUS, RADIUS)
        painter.setPen(colour)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def _paint_heading(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        tokens = tokens_for(option.palette)
        rect = QRectF(option.rect)
        painter.save()
        painter.fillRect(rect, QColor(tokens.surface_alt))
        painter.setPen(QColor(tokens.border))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        figures = str(index.data(GROUP_ROLE) or "")
        inner = rect.adjusted(SPACE_XS, 0, -SPACE_S, 0)
        figures_width = painter.fontMetrics().horizontalAdvance(figures) + SPACE_S
        painter.setPen(QColor(tokens.text_secondary))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(inner, right, figures)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        question = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        room = max(0, int(inner.width() - figures_width))
        shown = painter.fontMetrics().elidedText(question, Qt.TextElideMode.ElideRight, room)
        painter.setPen(QColor(tokens.text))
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(inner, left, shown)
        painter.restore()


def _delivery_text(delivery: Delivery, column: int) -> str:
    if column == WPM_COLUMN:
        return _figure(delivery.shown_words_per_minute, "{}")
    if column == FILLERS_COLUMN:
        return "–" if delivery.fillers is None else str(delivery.fillers)
    if column == PAUSE_COLUMN:
        pause = delivery.longest_pause_s
        return "none" if pause is not None and pause < 0.05 else _figure(pause, "{:.1f} s")
    spread = delivery.pitch_spread_semitones
    return "–" if spread is None else pitch_words(spread)


def _delivery_tip(delivery: Delivery, column: int) -> str:
    no_transcript = "Not measured: pace and fillers need a transcript (speech recognition)"
    if column == WPM_COLUMN:
        wpm = delivery.words_per_minute
        if wpm is None:  # fillers are counted wherever there is a transcript
            return no_transcript if delivery.fillers is None else "Too few words to judge the pace"
        shown = words_a_minute(wpm)
        return f"{shown} words a minute: {judge_pace(wpm)} (comfortable: {_LOW:g}–{_HIGH:g})"
    if column == FILLERS_COLUMN:
        count = delivery.fillers
        if count is None:
            return no_transcript
        return f"{counted(count, 'filler word')} (um, uh, like, you know…)"
    if column == PAUSE_COLUMN:
        pause = delivery.longest_pause_s
        if pause is None:
            return "Not measured"
        long = " (can read as lost)" if delivery.long_pause else ""
        return f"Longest pause {pause:.1f} s{long}"
    spread = delivery.pitch_spread_semitones
    if spread is None:
        return "Not measured: too little voiced speech for pitch"
    return f"Pitch varies by {spread:.1f} semitones: {pitch_words(spread)} ({PITCH_BANDS})"


def _figure(value: float | None, form: str) -> str:
    return "–" if value is None else form.format(value)


def _combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
