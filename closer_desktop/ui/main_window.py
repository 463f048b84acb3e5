"""The main window: menus, the keyboard contract, messages, and the practice and summary pages.

Keyboard (also in Help > Keyboard shortcuts and the README):
Space record/stop · P play/pause · 1-5 rate (professionalism, then clarity) · N/Right next ·
B/Left previous · Ctrl+Q quit (a recording in progress is saved first).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

# `Qt` (the namespace of Qt's enums) is imported where it is used, never here: creating its
# Python enums takes milliseconds that the first paint would wait for (see finish_start_up).
from PySide6.QtCore import QByteArray, QSignalBlocker, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from closer_desktop import APP_NAME
from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.domain.deck import Deck
from closer_desktop.ui.practice.start_card import StartCard
from closer_desktop.ui.widgets.toast import Toast
from closer_desktop.ui.window_state import MINIMUM_SIZE, default_window_size

# The practice page, the controller and the library's actions are imported by finish_start_up,
# after the first paint (see MainWindow): tests/e2e/test_startup_imports.py keeps them out.
if TYPE_CHECKING:
    from closer_desktop.app import operations as ops
    from closer_desktop.app.cue import CueSpeaker
    from closer_desktop.app.interview_run import InterviewRun, RunResult
    from closer_desktop.app.library import LibraryService
    from closer_desktop.app.practice import PracticeController
    from closer_desktop.app.record_when_ready import RecordWhenReady
    from closer_desktop.domain.practice import Take
    from closer_desktop.domain.session import SessionSummary
    from closer_desktop.storage.queries.progress import TakePoint
    from closer_desktop.ui.actions.library import LibraryActions
    from closer_desktop.ui.actions.report import ReportActions
    from closer_desktop.ui.decks.manager import DeckManagerDialog
    from closer_desktop.ui.history.compare import CompareView
    from closer_desktop.ui.history.view import HistoryView
    from closer_desktop.ui.practice.debrief import DebriefView
    from closer_desktop.ui.practice.first_run import FirstRunGuide
    from closer_desktop.ui.practice.run_view import RunView
    from closer_desktop.ui.practice.summary import SummaryView
    from closer_desktop.ui.practice.view import PracticeView
    from closer_desktop.ui.progress.view import ProgressView
    from closer_desktop.ui.widgets.catch_up_status import CatchUpStatus

SHORTCUTS = (
    ("Space", "Start or stop recording (when no text field has focus)"),
    ("P", "Play or pause the current take"),
    ("1 – 5", "Rate the take: the first digit sets professionalism, the second clarity"),
    ("N or Right", "Next question"),
    ("B or Left", "Previous question"),
    ("Ctrl+H", "History: every past take (P plays, Left/Right seek 5 s, Ctrl+Z undoes a delete)"),
    ("Ctrl+1", "Back to practice"),
    ("Ctrl+G", "Progress: your ratings over time, days practised, what needs work"),
    ("X", "Compare: switch between take A and take B at the same point"),
    ("Ctrl+E", "Export the selected take's audio (FLAC or WAV)"),
    ("Ctrl+D", "Decks and questions: edit, choose what to practise and in which order"),
    ("Ctrl+M", "Say it from memory: the line is hidden until your take is in"),
    ("H", "From memory or in a run: a hint (the first words, then the key words, the line)"),
    ("Ctrl+R", "Interview run: the cues spoken, each answer recorded hands-free"),
    ("Space / Esc", "In a run: end the answer now / end the run (the answer is kept)"),
    ("Ctrl+,", "Settings (microphone)"),
    ("Ctrl+Q", "Quit (a recording in progress is stopped and saved first)"),
)
MESSAGE_MS = 9000


Parts = Callable[[], "tuple[PracticeController, LibraryService]"]


class MainWindow(QMainWindow):
    """Hosts the pages and routes the keyboard contract to the controller.

    Built in two steps, so that the window reaches the screen before the parts nobody can use
    in its first tenth of a second. The constructor makes the frame: menus, keys and the
    question card (ui/practice/start_card.py), from the deck and the settings.
    `finish_start_up` then makes the controller and the library service (`parts`), the real
    practice page, the library's menu entries and the status bar's feedback; launch runs it on
    the turn after the first paint. Whatever needs those sooner (a key pressed at once, a test,
    a window never shown) gets them through `controller`, `library` and `practice`, which
    finish the start-up first: a key is never lost to it.
    """

    def __init__(self, deck: Deck, settings: Settings, data_dir: Path, parts: Parts) -> None:
        super().__init__()
        self.settings = settings
        self.data_dir = data_dir
        self._parts: Parts | None = parts
        self._controller: PracticeController | None = None
        self._library: LibraryService | None = None
        self._practice: PracticeView | None = None
        self._library_actions: LibraryActions | None = None  # made with the controller
        self._report_actions: ReportActions | None = None
        self._catch_up_status: CatchUpStatus | None = None
        self._record_when_ready: RecordWhenReady | None = None
        self._quitting = False
        self.setWindowTitle(f"{APP_NAME} · {deck.name}")
        self.setMinimumSize(*MINIMUM_SIZE)  # fits 800x600 with its frame

        self.start_card: StartCard | None = StartCard(deck, settings.get(S.FROM_MEMORY))
        # Its one live button: a click before the page exists finishes the start-up, then acts.
        self.start_card.next_button.clicked.connect(lambda: self._controller_does("next_question"))
        self._summary: SummaryView | None = None  # built when first needed
        self._history: HistoryView | None = None
        self._compare: CompareView | None = None
        self._progress: ProgressView | None = None
        self.deck_dialog: DeckManagerDialog | None = None
        self._first_run: FirstRunGuide | None = None  # made with the practice page
        self.pages = QStackedWidget()
        self.pages.addWidget(self.start_card)

        central = QWidget()
        # Messages float over the page (a toast), so showing one moves nothing under the mouse.
        self.toast = Toast(central)
        self.message_label = self.toast.label
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_shortcuts()
        self.cue_speaker: CueSpeaker | None = None
        self.interview_run: InterviewRun | None = None  # made at the first Ctrl+R
        self._run_view: RunView | None = None
        self._debrief: DebriefView | None = None
        self.statusBar().showMessage(f"Library: {data_dir}")
        geometry = settings.get(S.WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray.fromHex(geometry.encode()))
        else:
            self.resize(default_window_size(self.screen()))

    # The second step of start-up ------------------------------------------------------------

    @property
    def start_up_pending(self) -> bool:
        """Whether finish_start_up has yet to build (not once it has, nor after an early close)."""
        return self._parts is not None

    @property
    def started_up(self) -> bool:
        """Whether finish_start_up has run (the controller and the practice page exist)."""
        return self._controller is not None

    def finish_start_up(self) -> None:
        """Make the controller, the library service and the practice page (once)."""
        if self._parts is None:
            return
        parts, self._parts = self._parts, None
        from PySide6.QtCore import Qt

        from closer_desktop.app.record_when_ready import RecordWhenReady
        from closer_desktop.ui.actions.library import LibraryActions
        from closer_desktop.ui.actions.report import ReportActions
        from closer_desktop.ui.practice.first_run import FirstRunGuide
        from closer_desktop.ui.practice.view import PracticeView
        from closer_desktop.ui.widgets.catch_up_status import CatchUpStatus

        # Set here, not with the frame: `Qt`'s Python enums take milliseconds to create.
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # in dialogs
        controller, library = parts()
        self._controller, self._library = controller, library
        self._record_when_ready = kept = RecordWhenReady(controller)
        kept.elsewhere = lambda: QApplication.activeModalWidget() is not None  # Settings, say
        kept.dropped.connect(self._kept_press_dropped)
        self._practice = practice = PracticeView(controller)
        self.pages.insertWidget(0, practice)
        self.pages.setCurrentWidget(practice)
        if self.start_card is not None:
            self.pages.removeWidget(self.start_card)
            self.start_card.deleteLater()
            self.start_card = None
        self._report_actions = ReportActions(self)
        self._library_actions = LibraryActions(self)
        self._add_library_actions(self._report_actions, self._library_actions)
        controller.message.connect(self.show_message)
        controller.notice.connect(self.show_message)  # with an action: "Keep it", "Undo"
        controller.summary_ready.connect(self._show_summary)
        controller.deck_changed.connect(self._deck_changed)
        library.changed.connect(self._library_changed)
        controller.question_changed.connect(lambda _: self.speak_cue())
        controller.recording_changed.connect(
            lambda recording: self.cue_speaker.stop() if recording and self.cue_speaker else None
        )
        if self.settings.get(S.SPEAK_CUES):
            QTimer.singleShot(0, lambda: self.set_speak_cues(True))
        controller.question_changed.connect(lambda _: self._show_question_page())
        self.pages.currentChanged.connect(self._page_changed)
        # The first run's three steps, over the practice page until the first rated take.
        self._first_run = FirstRunGuide(controller, practice, practice.review)
        practice.memory.changed.connect(self._first_run.refresh)
        self._catch_up_status = CatchUpStatus(controller.analysis)  # "Updating delivery feedback"
        self.statusBar().addPermanentWidget(self._catch_up_status)

    @property
    def first_run(self) -> FirstRunGuide:
        """The first run's steps over the practice page (hidden once done or skipped)."""
        self.finish_start_up()
        assert self._first_run is not None
        return self._first_run

    def _page_changed(self, _: int) -> None:
        shown = self.pages.currentWidget()
        kept = self._record_when_ready
        if shown is not self._practice and kept is not None and kept.waiting:
            kept.cancel()  # a take kept for later would start out of sight
            self._kept_press_dropped()
        if shown is not self._debrief and self._debrief is not None:
            self._debrief.leave()  # its own player: no other page's P would reach it

    def _kept_press_dropped(self) -> None:
        from closer_desktop.app.record_when_ready import WAITING

        if self.message_label.text() == WAITING:
            self.toast.dismiss()  # it promised a take that will not come now

    @property
    def controller(self) -> PracticeController:
        self.finish_start_up()
        assert self._controller is not None
        return self._controller

    @property
    def library(self) -> LibraryService:
        """The pages and actions reach the library through it."""
        self.finish_start_up()
        assert self._library is not None
        return self._library

    @property
    def practice(self) -> PracticeView:
        self.finish_start_up()
        assert self._practice is not None
        return self._practice

    @property
    def library_actions(self) -> LibraryActions:
        """File > Back up, Restore, Export take audio; Edit > Empty trash."""
        self.finish_start_up()
        assert self._library_actions is not None
        return self._library_actions

    @property
    def report_actions(self) -> ReportActions:
        self.finish_start_up()
        assert self._report_actions is not None
        return self._report_actions

    @property
    def catch_up_status(self) -> CatchUpStatus:
        self.finish_start_up()
        assert self._catch_up_status is not None
        return self._catch_up_status

    @property
    def record_when_ready(self) -> RecordWhenReady:
        self.finish_start_up()
        assert self._record_when_ready is not None
        return self._record_when_ready

    # Construction -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        """The menus; the report and library entries join them in finish_start_up (their
        actions belong to objects that work on the library)."""
        file_menu = self.menuBar().addMenu("&File")
        self.export_action = _action(self, "&Export library as JSON…", self.export_library)
        file_menu.addAction(self.export_action)
        self._file_menu = file_menu
        self._after_exports = file_menu.addSeparator()
        self._after_backups = file_menu.addSeparator()
        file_menu.addAction(_action(self, "&Settings…", self.open_settings, "Ctrl+,"))
        file_menu.addSeparator()
        self.quit_action = _action(self, "&Quit", self.close, "Ctrl+Q")
        file_menu.addAction(self.quit_action)

        practice_menu = self.menuBar().addMenu("&Practice")
        practice_menu.addAction(_action(self, "&Record / stop\tSpace", self._record_menu))
        # As P: the shown page's take (History's, the debrief's), never one out of sight.
        practice_menu.addAction(
            _action(self, "&Play / pause\tP", partial(self._key, self._play_key))
        )
        for text, intent in (
            ("&Next question\tN", "next_question"),
            ("Pre&vious question\tB", "previous_question"),
            ("&Finish and see the summary", "finish_deck"),
        ):
            practice_menu.addAction(_action(self, text, partial(self._controller_does, intent)))
        practice_menu.addSeparator()
        practice_menu.addAction(_action(self, "&Decks and questions…", self.open_decks, "Ctrl+D"))
        self.memory_action = _action(
            self, "Say it from &memory", lambda on: self.practice.memory.set_on(on), "Ctrl+M"
        )
        self.memory_action.setCheckable(True)
        self.memory_action.setChecked(self.settings.get(S.FROM_MEMORY))
        self.memory_action.setToolTip("Hide the line; H shows a hint, one step at a time")
        practice_menu.addAction(self.memory_action)
        self.run_action = _action(self, "&Interview run", self.start_interview_run, "Ctrl+R")
        self.run_action.setToolTip(
            "The cues spoken, each answer recorded hands-free; Space ends an answer, Esc the run"
        )
        practice_menu.addAction(self.run_action)
        self.cue_action = _action(self, "Speak the interviewer's &cue", self.set_speak_cues)
        self.cue_action.setCheckable(True)
        self.cue_action.setToolTip("Before each question, hear what the interviewer would say")
        practice_menu.addAction(self.cue_action)

        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(_action(self, "&Practice", self.show_practice, "Ctrl+1"))
        view_menu.addAction(_action(self, "&History", self.show_history, "Ctrl+H"))
        view_menu.addAction(_action(self, "Pro&gress", self.show_progress, "Ctrl+G"))
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(_action(self, "&Undo delete", self._undo_delete, "Ctrl+Z"))
        edit_menu.addSeparator()
        self._edit_menu = edit_menu

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(_action(self, "&Keyboard shortcuts", self.show_shortcuts, "F1"))
        help_menu.addAction(_action(self, "Open &log folder", self.open_log_folder))
        help_menu.addAction(_action(self, "&About Closer", self.show_about))

    def _add_library_actions(self, report: ReportActions, library: LibraryActions) -> None:
        """The report and library entries, where the menus keep their places."""
        file_menu = self._file_menu
        for action in (report.export_action, report.print_action, library.export_audio_action):
            file_menu.insertAction(self._after_exports, action)
        for action in (library.backup_action, library.restore_action):
            file_menu.insertAction(self._after_backups, action)
        self._edit_menu.addAction(library.empty_trash_action)
        self._edit_menu.aboutToShow.connect(library.refresh_trash_state)

    def _controller_does(self, intent: str) -> None:
        if self._run_in_the_way():  # the Practice menu's moves: not under a run
            return
        getattr(self.controller, intent)()

    def toggle_recording(self) -> None:
        """Space and Practice > Record / stop; pressed while the app is still starting, the take
        starts once it can (app/record_when_ready.py) rather than the press being refused."""
        self.record_when_ready.toggle()

    def _record_menu(self) -> None:
        """Practice > Record / stop: Space where the user is; from another page (the summary,
        History) the practice page comes first, so no take is recorded out of sight."""
        self.finish_start_up()
        if not self._on_run() and self.pages.currentWidget() is not self.practice:
            self.show_practice()
        self._space_key()

    def open_decks(self) -> None:
        """The deck manager; on close, the practice page picks up edits to its deck."""
        from PySide6.QtCore import Qt

        from closer_desktop.ui.decks.manager import DeckManagerDialog

        if self._run_in_the_way():
            return
        self.controller.leave_practice()
        if self.controller.is_recording:
            self.show_message("info", "Stop recording first, then open the decks.")
            return
        dialog = DeckManagerDialog(self.controller.data_dir, self.controller.deck.id, self)
        dialog.default_target_s = self.controller.settings.get(S.DEFAULT_TARGET_S)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.practise.connect(self.controller.choose_deck)
        dialog.finished.connect(lambda _: self.controller.reload_deck())
        dialog.finished.connect(lambda _: setattr(self, "deck_dialog", None))
        self.deck_dialog = dialog
        dialog.open()

    # The interviewer's cue ------------------------------------------------------------------

    def set_speak_cues(self, on: bool) -> None:
        """Turn spoken cues on or off; on starts the speech engine in the background."""
        self.controller.settings.set(S.SPEAK_CUES, on)
        with QSignalBlocker(self.cue_action):
            self.cue_action.setChecked(on)
        if not on:
            if self.cue_speaker is not None:
                self.cue_speaker.stop()
            return
        if self.cue_speaker is None:
            from closer_desktop.app.cue import CueSpeaker

            self.cue_speaker = CueSpeaker(parent=self)
            self.cue_speaker.unavailable.connect(self._no_speech_engine)
            self.cue_speaker.start()
        self.speak_cue()

    def speak_cue(self) -> None:
        cue = self.controller.question.cue
        if self.cue_action.isChecked() and self.cue_speaker is not None and cue:
            self.cue_speaker.say(cue)

    def _no_speech_engine(self, message: str) -> None:
        self.controller.settings.set(S.SPEAK_CUES, False)
        with QSignalBlocker(self.cue_action):
            self.cue_action.setChecked(False)
        self.cue_action.setEnabled(False)
        self.cue_action.setText("Speak the interviewer's cue (no speech engine)")
        self.cue_action.setToolTip(message)
        self.show_message("warning", message)

    def _deck_changed(self, deck: object) -> None:
        self.setWindowTitle(f"{APP_NAME} · {getattr(deck, 'name', '')}")
        self._show_question_page()

    def _show_question_page(self) -> None:
        """A question shown goes with the practice page, unless the deck was only reloaded
        after the deck manager (the window stays on the page it was opened from)."""
        if not self.controller.keeping_place:
            self.pages.setCurrentWidget(self.practice)

    def _build_shortcuts(self) -> None:
        """The keyboard contract. QShortcut yields to a focused text field (it overrides them).
        A key pressed before the practice page exists finishes the start-up, then acts."""
        practice_only = self._on_practice_page
        bindings = [
            ("Space", self._space_key),
            ("Escape", self._escape_key),
            ("P", self._play_key),
            ("N", practice_only(partial(self._controller_does, "next_question"))),
            ("Right", self._right_key),
            ("B", self._previous),
            ("Left", self._left_key),
            ("X", self._switch_key),
            ("H", self._hint_key),
        ]
        bindings += [(str(d), partial(self._digit_key, d)) for d in range(1, 6)]
        self.shortcuts: list[QShortcut] = []
        for key, slot in bindings:
            shortcut = QShortcut(QKeySequence(key), self)  # (a window shortcut, Qt's default)
            shortcut.activated.connect(partial(self._key, slot))
            self.shortcuts.append(shortcut)

    def _key(self, slot: Callable[[], None]) -> None:
        self.finish_start_up()
        slot()

    @property
    def summary(self) -> SummaryView:
        """The end-of-deck page (built on first use: it is not needed to start)."""
        if self._summary is None:
            from closer_desktop.ui.practice.summary import SummaryView

            self._summary = SummaryView()
            self._summary.practise_again.connect(self.controller.practise_again)
            self._summary.back_to_deck.connect(lambda: self.pages.setCurrentWidget(self.practice))
            self._summary.practise_questions.connect(self._practise_only)
            self.pages.addWidget(self._summary)
        return self._summary

    def _practise_only(self, question_ids: list[str]) -> None:
        """The summary's "Practise the weakest two": a new session on exactly those, now."""
        from closer_desktop.app.practise_only import practise_only

        practise_only(self.controller, question_ids, new_session=True)

    # The interview run ------------------------------------------------------------------------

    def start_interview_run(self) -> None:
        """Practice > Interview run (Ctrl+R): the practised questions as a conversation."""
        from closer_desktop.app.interview_run import InterviewRun
        from closer_desktop.ui.practice.run_view import RunView

        if self.interview_run is not None and self.interview_run.active:
            return
        if self.interview_run is None:
            if self.cue_speaker is None:
                from closer_desktop.app.cue import CueSpeaker

                self.cue_speaker = CueSpeaker(parent=self)
                self.cue_speaker.start()
            self.interview_run = InterviewRun(self.controller, self.cue_speaker, self)
        run = self.interview_run
        if self._run_view is None or self._run_view.run is not run:
            self._run_view = RunView(run)
            self.pages.addWidget(self._run_view)
            run.finished.connect(self._run_finished)
            run.message.connect(self.show_message)
        if self._debrief is not None:
            self._debrief.leave()
        self.controller.leave_practice()
        self.controller.player.stop()
        if run.start():
            self.pages.setCurrentWidget(self._run_view)

    @property
    def debrief(self) -> DebriefView:
        if self._debrief is None:
            from closer_desktop.ui.practice.debrief import DebriefView

            self._debrief = DebriefView(self.controller, self.practice.memory.check_later)
            self._debrief.back.connect(self._leave_debrief)
            self._debrief.run_again.connect(self.start_interview_run)
            self.pages.addWidget(self._debrief)
        return self._debrief

    def _leave_debrief(self) -> None:
        self.debrief.leave()
        self.pages.setCurrentWidget(self.practice)

    def _run_finished(self, result: RunResult) -> None:
        self.debrief.show_result(result)
        self.pages.setCurrentWidget(self.debrief)

    def _on_run(self) -> bool:
        return self.interview_run is not None and self.interview_run.active

    def _run_in_the_way(self) -> bool:
        """A run in progress keeps its page: it speaks and records hands-free, and would go on
        out of sight (as a take must be stopped before another page opens)."""
        if not self._on_run():
            return False
        self.show_message("info", "End the interview run first (Esc); its answers are kept.")
        return True

    def _space_key(self) -> None:
        if self._on_run():
            assert self.interview_run is not None
            self.interview_run.end_answer()
        elif self.pages.currentWidget() is self.practice:
            self.toggle_recording()

    def _hint_key(self) -> None:
        """H: the hint ladder, in an interview run as in from-memory practice."""
        if self._on_run():
            assert self.interview_run is not None
            self.interview_run.climb()
        elif self.pages.currentWidget() is self.practice:
            self.practice.memory.climb()

    def _escape_key(self) -> None:
        if self._on_run():
            assert self.interview_run is not None
            self.interview_run.stop()
        elif self._first_run is not None and self._first_run.isVisible():
            self._first_run.skip()

    def _digit_key(self, value: int) -> None:
        page = self.pages.currentWidget()
        if page is self.practice:
            self.controller.rate_digit(value)
        elif self._debrief is not None and page is self._debrief:
            self._debrief.rate_digit(value)

    def _on_practice_page(self, action: Callable[[], None]) -> Callable[[], None]:
        """Keys of the practice page do nothing while another page (the summary) is shown."""

        def guarded() -> None:
            if self.pages.currentWidget() is self.practice:
                action()

        return guarded

    def _previous(self) -> None:
        page = self.pages.currentWidget()
        if self._summary is not None and page is self._summary:
            self.pages.setCurrentWidget(self.practice)
        elif page is self.practice:
            self.controller.previous_question()

    def _on_history_page(self) -> bool:
        return self._history is not None and self.pages.currentWidget() is self._history

    def _play_key(self) -> None:
        if self._on_compare_page():
            self.compare.toggle_playback()
        elif self._on_history_page():
            self.history.toggle_playback()
        elif self.pages.currentWidget() is self.practice:
            self.controller.toggle_playback()
        elif self._debrief is not None and self.pages.currentWidget() is self._debrief:
            self._debrief.toggle_playback()

    def _right_key(self) -> None:
        if self._on_history_page():
            self.history.seek_by(5.0)
        elif self._on_compare_page():
            self.compare.seek_by(5.0)
        elif self.pages.currentWidget() is self.practice:
            self.controller.next_question()

    def _left_key(self) -> None:
        if self._on_history_page():
            self.history.seek_by(-5.0)
        elif self._on_compare_page():
            self.compare.seek_by(-5.0)
        else:
            self._previous()

    @property
    def history(self) -> HistoryView:
        """The History page (built on first use)."""
        if self._history is None:
            from PySide6.QtCore import Qt

            from closer_desktop.ui.history.view import HistoryView

            self._history = HistoryView(self.controller, self.library)
            self._history.message.connect(self.show_message)
            self._history.notice.connect(self.show_message)  # a delete's Undo
            self._history.compare_requested.connect(self.show_compare)
            table = self._history.table
            if table.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:
                table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
                table.addAction(self.library_actions.export_audio_action)
            self.pages.addWidget(self._history)
        return self._history

    def show_history(self) -> None:
        if self._run_in_the_way():
            return
        self.controller.leave_practice()
        if self.controller.is_recording:
            self.show_message("info", "Stop recording first (Space), then open History.")
            return
        self.controller.player.pause()
        self.pages.setCurrentWidget(self.history)
        self.history.refresh_decks()
        self.history.apply_filters()
        self.history.table.setFocus()

    @property
    def compare(self) -> CompareView:
        """The Compare page (built on first use)."""
        if self._compare is None:
            from closer_desktop.ui.history.compare import CompareView

            self._compare = CompareView(self.controller)
            self._compare.message.connect(self.show_message)
            self._compare.closed.connect(self.show_history)
            self.pages.addWidget(self._compare)
        return self._compare

    def show_compare(self, takes: list[Take]) -> None:
        self.compare.compare(takes)
        self.pages.setCurrentWidget(self.compare)

    def _on_compare_page(self) -> bool:
        return self._compare is not None and self.pages.currentWidget() is self._compare

    def _switch_key(self) -> None:
        if self._on_compare_page():
            self.compare.switch()

    def show_practice(self) -> None:
        if self._run_in_the_way():
            return
        for page in (self._history, self._compare):
            if page is not None:
                page.player.pause()
        if self.pages.currentWidget() is self.practice:
            return  # (Ctrl+1 on the practice page: nothing to do, and a take goes on)
        self.pages.setCurrentWidget(self.practice)
        self.controller.go_to(self.controller.index)  # takes may have changed in History

    def _undo_delete(self) -> None:
        if self._history is not None:
            self._history.undo_delete()
        else:
            self.show_message("info", "Nothing to undo.")

    def take_in_view(self) -> Take | None:
        """The take the user is looking at: History's selection, or the practice page's take."""
        if self._on_history_page():
            return self.history.selected_take()
        if self.pages.currentWidget() is self.practice:
            return self.controller.current_take
        return None

    def _library_changed(self, change: ops.Change) -> None:
        from closer_desktop.app import operations as ops

        if not change & ops.Change.TAKES:
            return  # the page that made the change shows it already
        if self._history is not None:
            self._history.apply_filters()  # takes were restored or deleted for good
        if self._progress is not None and self.pages.currentWidget() is self._progress:
            self._progress.reload()

    @property
    def progress(self) -> ProgressView:
        """The Progress page (built on first use; its charts load QtCharts only then)."""
        if self._progress is None:
            from closer_desktop.ui.progress.view import ProgressView

            self._progress = ProgressView(self.controller, self.library)
            self._progress.message.connect(self.show_message)
            self._progress.take_requested.connect(self.open_take)
            self.pages.addWidget(self._progress)
        return self._progress

    def show_progress(self) -> None:
        if self._run_in_the_way():
            return
        self.controller.leave_practice()
        if self.controller.is_recording:
            self.show_message("info", "Stop recording first (Space), then open Progress.")
            return
        self.controller.player.pause()
        self.pages.setCurrentWidget(self.progress)
        self.progress.reload()

    def open_take(self, point: TakePoint) -> None:
        """Show a take picked on the Progress page in History, selected and ready to play."""
        from closer_desktop.ui.progress.view import reveal_take

        self.show_history()
        if self._on_history_page():
            reveal_take(self.history, point.deck_id, point.question_id, point.take_id)

    # Reactions ---------------------------------------------------------------------------

    def show_message(
        self, level: str, text: str, action: tuple[str, Callable[[], object]] | None = None
    ) -> None:
        """A toast over the page; errors stay until dismissed, `action` is e.g. ("Undo", undo)."""
        self.toast.show_message(level, text, action, MESSAGE_MS)

    def _show_summary(self, summary: SessionSummary) -> None:
        self.summary.show_summary(summary)
        self.pages.setCurrentWidget(self.summary)

    def open_settings(self) -> None:
        from closer_desktop.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.controller, self)
        dialog.finished.connect(lambda _: self._settings_closed())
        dialog.open()

    def _settings_closed(self) -> None:
        """The from-memory setting may have changed there."""
        with QSignalBlocker(self.memory_action):
            self.memory_action.setChecked(self.practice.memory.on)
        self.practice.memory.refresh()

    def show_shortcuts(self) -> None:
        from PySide6.QtCore import Qt

        from closer_desktop.ui.dialogs.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(SHORTCUTS, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_about(self) -> None:
        from closer_desktop.ui.dialogs.about import show_about

        show_about(self, self.controller.data_dir)

    def open_log_folder(self) -> None:
        from closer_desktop.ui.dialogs.about import open_log_folder

        open_log_folder(self)

    def export_library(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self, "Export library as JSON", str(Path.home() / "closer-export.json"), "JSON (*.json)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the JSON export from the library's own thread; the outcome comes as a message."""
        from closer_desktop.app import operations as ops

        ops.export_json(path).run(
            self.library,
            lambda _: self.show_message("info", f"Library exported to {path}"),
            lambda exc: self.show_message("error", f"The export failed: {exc}"),
        )

    # Closing -----------------------------------------------------------------------------

    def _close_now(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry = bytes(self.saveGeometry().toHex().data()).decode()
        if not self.started_up:  # closed before its first paint was followed up: nothing ran
            self._parts = None
            self.settings.set(S.WINDOW_GEOMETRY, geometry)
            event.accept()
            return
        if self.library_actions.defer_close():
            event.ignore()  # a backup or restore finishes first; the window closes after it
            return
        run = self.interview_run
        if run is not None and run.active:
            event.ignore()  # the answer being recorded is saved first, as Esc does
            if not self._quitting:
                self._quitting = True
                self.show_message("info", "Saving the answer before quitting…")
                run.finished.connect(lambda _: self._close_now())
                run.stop()
            return
        if self.controller.is_recording:
            event.ignore()  # every close waits for the take to be saved
            if not self._quitting:
                self._quitting = True
                self.show_message("info", "Saving the take before quitting…")
                self.controller.when_saved(self._close_now)
            return
        self.settings.set(S.WINDOW_GEOMETRY, geometry)
        from closer_desktop.ui.window_state import save_window_state

        save_window_state(self, self.controller.settings)  # splitters and the page shown
        self.practice.ratings.flush_note()  # a note being typed, while its library is open
        if self.deck_dialog is not None:
            self.deck_dialog.save_now()  # a question being edited
        if self._history is not None:
            self._history.ratings.flush_note()
        for page in (self._history, self._compare):
            if page is not None:
                page.shutdown()
        if self._debrief is not None:
            self._debrief.playback.close()  # its own output stream
        self.controller.shutdown()
        if self.cue_speaker is not None:
            self.cue_speaker.shutdown()
        event.accept()


def _action(window: QMainWindow, text: str, slot: object, shortcut: str | None = None) -> QAction:
    action = QAction(text, window)
    if shortcut:
        # The list form: setShortcut's overloads make PySide create the `Qt` namespace's enums.
        action.setShortcuts([QKeySequence(shortcut)])
    action.triggered.connect(slot)
    return action
