"""The deck manager: list, create, rename, duplicate, delete, reset, import and export decks; edit
their questions; tick which to practise and choose the order.

Every change is saved at once (deck files are small), through a worker thread: the GUI never waits
on the disk. Editing a question keeps its id, so its earlier takes stay linked to it; each take
keeps the wording it answered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain.deck import (
    MAX_KEY_PHRASE,
    MAX_KEY_PHRASES,
    MAX_NAME,
    MAX_TARGET_SECONDS,
    MAX_TEXT,
    MAX_TIP,
    Deck,
    DeckError,
    Question,
)
from closer_desktop.domain.practice import slug
from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
from closer_desktop.storage.decks import DeckEntry, DeckStore
from closer_desktop.ui.design import SPACE_XS
from closer_desktop.ui.window_state import FRAME_ALLOWANCE

T = TypeVar("T")
QUESTION_ROLE = Qt.ItemDataRole.UserRole
STAGE_ROLE = Qt.ItemDataRole.UserRole + 1


class QuestionTree(QTreeWidget):
    """Stages with their questions, checkable, reorderable by dragging questions.

    Questions can be dropped inside any stage, never at the top level; stages stay put.
    """

    reordered = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled)  # no drops at the top
        self.setAccessibleName("Questions of this deck")
        self.setAccessibleDescription(
            "Tick the questions to practise. Ctrl+Up and Ctrl+Down move the selected question; "
            "you can also drag it."
        )

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self.reordered.emit()


class DeckManagerDialog(QDialog):
    """Signals:
    practise(object, object): (Deck, PracticePlan) the user wants to practise now.
    deck_saved(object): a Deck was changed on disk (the practice page may show it).
    """

    practise = Signal(object, object)
    deck_saved = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        current_deck_id: str,
        parent: QWidget | None = None,
        store: DeckStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Decks")
        self.setObjectName("deckManager")
        self.resize(980, 640)
        screen = self.screen()  # a small screen (or one at 200 %) gets a dialog that fits on it
        if screen is not None:
            room = screen.availableGeometry().size()  # less the frame and a panel
            self.resize(
                min(980, room.width() - FRAME_ALLOWANCE[0]),
                min(640, room.height() - FRAME_ALLOWANCE[1]),
            )
        self.store = store or DeckStore(data_dir)
        self.runner = TaskRunner("decks", self)
        self.runner.failed.connect(lambda text: self._problem(text))
        self.current_deck_id = current_deck_id
        self.entries: list[DeckEntry] = []
        self.deck: Deck | None = None
        self.plan = PracticePlan()
        self._question_id: str | None = None
        self._draft_after: str | None = None  # "Add question": a new one is being written
        self._drafting = False
        self._refilling = False  # the list is rebuilt after an edit of the selected question
        self._load_generation = 0
        self._closing = False  # closed; waiting for the queued saves to be written
        self._failed_while_closing = False  # a save failed meanwhile: the dialog stays
        self._refused_on_close = False  # Close kept an unsavable edit on screen: next one goes
        self.default_target_s = 8  # a new question's target length (Settings > Practice)
        self._build()
        self.refresh(select=current_deck_id)

    # Construction -------------------------------------------------------------------------

    def _build(self) -> None:
        """A toolbar of deck and question actions over three columns: decks | questions |
        the selected question's editor; Close and Practise at the bottom."""
        self.deck_list = QListWidget()
        self.deck_list.setAccessibleName("Decks")
        self.deck_list.setWordWrap(True)  # a long name wraps in the narrow column, never scrolls
        self.deck_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.deck_list.currentRowChanged.connect(self._deck_selected)
        toolbar = QHBoxLayout()
        toolbar.setSpacing(SPACE_XS)
        self.new_button = self._button("New…", self.new_deck, toolbar)
        self.rename_button = self._button("Rename…", self.rename_deck, toolbar)
        self.duplicate_button = self._button("Duplicate", self.duplicate_deck, toolbar)
        self.delete_button = self._button("Delete…", self.delete_or_reset, toolbar)
        self.import_button = self._button("Import…", self.import_deck, toolbar)
        self.export_button = self._button("Export…", self.export_deck, toolbar)
        toolbar.addStretch(1)
        self.add_button = self._button("&Add question", self.add_question, toolbar)
        self.remove_button = self._button("Remove…", self.remove_question, toolbar)
        self.up_button = self._button("Up", lambda: self.move_question(-1), toolbar)
        self.down_button = self._button("Down", lambda: self.move_question(1), toolbar)
        for button in (self.new_button, self.rename_button, self.duplicate_button):
            button.setAccessibleName(f"{button.text().rstrip('…')} deck")
        self.delete_button.setAccessibleName("Delete deck")
        self.remove_button.setAccessibleName("Remove question")
        self.up_button.setAccessibleName("Move question up")
        self.down_button.setAccessibleName("Move question down")

        self.order_combo = QComboBox()
        self.order_combo.setAccessibleName("Practice order")
        for order in PracticeOrder:
            self.order_combo.addItem(order.label, order)
        self.order_combo.setToolTip(
            "Weakest first puts questions with low recent ratings, few takes or a long time since "
            "you last said them at the front; a 4 or 5 on both scales pushes a question back."
        )
        self.order_combo.currentIndexChanged.connect(self._order_changed)
        self.tree = QuestionTree()
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._question_selected())
        self.tree.reordered.connect(self._tree_reordered)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("selectionLabel")
        self.selection_label.setWordWrap(True)

        self.up_button.setToolTip("Move the question up (Ctrl+Up)")
        self.down_button.setToolTip("Move the question down (Ctrl+Down)")
        tips = {
            self.add_button: "Write a new question after the selected one",
            self.remove_button: "Remove the selected question (its takes stay in History)",
            self.new_button: "Make a new deck with one question to start from",
            self.rename_button: "Rename the selected deck",
            self.duplicate_button: "Copy the selected deck under a new name",
            self.delete_button: "Delete the deck (its file moves to trash/decks/); for the "
            "built-in deck, reset it to the original",
            self.import_button: "Add a deck from a TOML file",
            self.export_button: "Save the selected deck as a TOML file",
            self.deck_list: "Your decks; the one selected is shown on the right",
            self.tree: "Tick the questions to practise; drag, or Ctrl+Up/Down, to reorder",
        }
        for widget, tip in tips.items():
            widget.setToolTip(tip)
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=step: self.move_question(s))

        decks = _column("Decks", self.deck_list)
        questions = _column("Questions", self.tree)
        questions_layout = questions.layout()
        assert isinstance(questions_layout, QVBoxLayout)
        order_row = QHBoxLayout()
        order_label = QLabel("&Order:")
        order_label.setBuddy(self.order_combo)
        order_row.addWidget(order_label)
        order_row.addWidget(self.order_combo, 1)
        questions_layout.insertLayout(1, order_row)
        questions_layout.addWidget(self.selection_label)
        self.editor = self._build_editor()

        splitter = QSplitter()
        splitter.setObjectName("deckColumns")
        for column in (decks, questions, self.editor):
            splitter.addWidget(column)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 400, 400])  # deck names wrap; questions and the editor get room

        self.problem_label = QLabel()
        self.problem_label.setObjectName("messageLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.practise_button = buttons.addButton(
            "&Practise this deck", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._practise)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.problem_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    def _build_editor(self) -> QGroupBox:
        box = QGroupBox("Selected question")
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above: narrow
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName("Question text")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(64)
        self.text_edit.setPlaceholderText("The line, as you would say it in the room")
        self.stage_combo = QComboBox()
        self.stage_combo.setEditable(True)
        self.stage_combo.setAccessibleName("Stage")
        self.stage_combo.setToolTip("Pick a stage, or type a new stage's title")
        self.tip_edit = QPlainTextEdit()
        self.tip_edit.setAccessibleName("Tip")
        self.tip_edit.setTabChangesFocus(True)
        self.tip_edit.setFixedHeight(52)
        self.target_spin = QSpinBox()
        self.target_spin.setRange(1, MAX_TARGET_SECONDS)
        self.target_spin.setSuffix(" s")
        self.target_spin.setAccessibleName("Target length in seconds")
        self.cue_edit = QLineEdit()
        self.cue_edit.setAccessibleName("Interviewer cue")
        self.cue_edit.setPlaceholderText('What the interviewer says first, e.g. "Any questions?"')
        self.key_edit = QLineEdit()
        self.key_edit.setAccessibleName("Key phrases")
        self.key_edit.setPlaceholderText("e.g. next steps, decision")
        self.key_edit.setToolTip(
            "Phrases the line must keep, separated by commas: a take that leaves one out says so, "
            f"whatever its line match (optional, at most {MAX_KEY_PHRASES})"
        )
        self.text_edit.setToolTip("What you say, as you would say it (at most 500 characters)")
        self.tip_edit.setToolTip("When and how to use this line (optional)")
        self.target_spin.setToolTip("How long a calm delivery takes, in seconds")
        self.cue_edit.setToolTip("What the interviewer says before this line (optional)")
        form.addRow("&Text:", self.text_edit)
        form.addRow("&Stage:", self.stage_combo)
        form.addRow("T&ip:", self.tip_edit)
        form.addRow("Target &length:", self.target_spin)
        form.addRow("Interviewer &cue:", self.cue_edit)
        form.addRow("&Key phrases:", self.key_edit)
        # Saved shortly after typing stops, and at once when a field is left.
        self._edit_timer = QTimer(self)
        self._edit_timer.setSingleShot(True)
        self._edit_timer.setInterval(600)
        self._edit_timer.timeout.connect(self.commit_question)
        for edit in (self.text_edit, self.tip_edit):
            edit.textChanged.connect(self._edit_timer.start)
        self.cue_edit.textEdited.connect(lambda _: self._edit_timer.start())
        self.cue_edit.editingFinished.connect(self.commit_question)
        self.key_edit.textEdited.connect(lambda _: self._edit_timer.start())
        self.key_edit.editingFinished.connect(self.commit_question)
        self.target_spin.valueChanged.connect(lambda _: self._edit_timer.start())
        line_edit = self.stage_combo.lineEdit()
        if line_edit is not None:
            line_edit.editingFinished.connect(self.commit_question)
        self.stage_combo.activated.connect(lambda _: self.commit_question())
        return box

    def _fields(self) -> tuple[QWidget, ...]:
        """The editor's fields, whose signals are held while the dialog fills them."""
        return (
            self.text_edit,
            self.tip_edit,
            self.target_spin,
            self.cue_edit,
            self.key_edit,
            self.stage_combo,
        )

    @staticmethod
    def _button(
        text: str, slot: Callable[[], None], layout: QHBoxLayout | QVBoxLayout
    ) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # Background work ----------------------------------------------------------------------

    def _run(
        self,
        fn: Callable[[DeckStore], T],
        on_done: Callable[[T], None] | None = None,
    ) -> None:
        """Run a store call on the worker; a DeckError becomes a message, nothing else changes."""
        store = self.store

        def failed(exc: BaseException) -> None:
            self._failed_while_closing = self._closing
            self._problem(
                str(exc) if isinstance(exc, DeckError) else f"{type(exc).__name__}: {exc}"
            )

        self.runner.run(lambda: fn(store), on_done, failed)

    def _problem(self, text: str) -> None:
        self._refused_on_close = False  # a newer message: Close asks again before dropping
        self.problem_label.setText(text)
        self.problem_label.show()

    def _clear_problem(self) -> None:
        self.problem_label.hide()

    @property
    def busy(self) -> bool:
        return self.runner.busy

    # Decks --------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        def listed(result: tuple[list[DeckEntry], list[str]]) -> None:
            entries, problems = result
            self.entries = entries
            keep = select or (self.deck.id if self.deck else None)
            with QSignalBlocker(self.deck_list):
                self.deck_list.clear()
                for entry in entries:
                    label = entry.name
                    if entry.builtin:
                        label += " (built-in, edited)" if entry.edited else " (built-in)"
                    if entry.id == self.current_deck_id:
                        label += " · practising"
                    item = QListWidgetItem(label)
                    item.setToolTip(f"{entry.questions} questions · {entry.path}")
                    self.deck_list.addItem(item)
            if problems:
                self._problem(
                    "Some deck files cannot be read and were left as they are:\n"
                    + "\n".join(problems)
                )
            row = next((i for i, e in enumerate(entries) if e.id == keep), 0)
            with QSignalBlocker(self.deck_list):
                self.deck_list.setCurrentRow(row)
            self._deck_selected(row)

        self._run(lambda store: (store.entries(), store.problems()), listed)

    def _deck_selected(self, row: int) -> None:
        if not 0 <= row < len(self.entries):
            return
        if self._edit_timer.isActive():  # typed in the deck shown until now: saved there
            self.commit_question()
        entry = self.entries[row]
        self.delete_button.setText("Reset…" if entry.builtin else "Delete…")
        self.delete_button.setAccessibleName("Reset deck" if entry.builtin else "Delete deck")
        self.delete_button.setEnabled(entry.edited or not entry.builtin)
        self._load_generation += 1
        generation = self._load_generation

        def loaded(result: tuple[Deck, PracticePlan]) -> None:
            if generation == self._load_generation:  # not overtaken by another choice
                self._show_deck(result)

        self._run(lambda store: (store.load(entry.id), store.plan(entry.id)), loaded)

    def selected_entry(self) -> DeckEntry | None:
        row = self.deck_list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def new_deck(self) -> None:
        name, ok = QInputDialog.getText(self, "New deck", "Name of the new deck:")
        if ok:
            self._run(lambda store: store.create(name), lambda deck: self.refresh(select=deck.id))

    def rename_deck(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        name, ok = QInputDialog.getText(self, "Rename deck", "New name:", text=entry.name)
        if ok:
            self._run(lambda store: store.rename(entry.id, name), self._saved_and_listed)

    def duplicate_deck(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._run(lambda store: store.duplicate(entry.id), lambda d: self.refresh(select=d.id))

    def delete_or_reset(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if entry.builtin:
            question = (
                f"Bring back the original wording of “{entry.name}”?\n\nYour edited version "
                "is moved to the trash folder in your library, not deleted."
            )
            if self._confirm("Reset deck", question):
                self._run(lambda store: store.reset(entry.id), self._saved_and_listed)
            return
        question = (
            f"Delete the deck “{entry.name}”?\n\nIts file is moved to the trash folder in your "
            "library; takes you recorded with it stay in History."
        )
        if self._confirm("Delete deck", question):
            self._run(lambda store: store.delete(entry.id), lambda _: self.refresh())

    def import_deck(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a deck", str(Path.home()), "Deck files (*.toml);;All files (*)"
        )
        if path:
            self._clear_problem()
            self._run(
                lambda store: store.import_file(Path(path)), lambda d: self.refresh(select=d.id)
            )

    def export_deck(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        suggested = str(Path.home() / f"{slug(entry.name, 40)}.toml")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the deck", suggested, "Deck files (*.toml)"
        )
        if path:
            target = Path(path) if path.endswith(".toml") else Path(path + ".toml")
            self._run(
                lambda store: store.export_file(entry.id, target),
                lambda written: self._problem(f"Exported “{entry.name}” to {written}"),
            )

    def _saved_and_listed(self, deck: Deck) -> None:
        self.deck_saved.emit(deck)
        self.refresh(select=deck.id)

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # The selected deck's questions ----------------------------------------------------------

    def _show_deck(self, loaded: tuple[Deck, PracticePlan]) -> None:
        self.deck, self.plan = loaded
        with QSignalBlocker(self.order_combo):
            self.order_combo.setCurrentIndex(list(PracticeOrder).index(self.plan.order))
        self._fill_tree(select=self._question_id)

    def _fill_tree(self, select: str | None = None) -> None:
        deck = self.deck
        if deck is None:
            return
        chosen: QTreeWidgetItem | None = None
        with QSignalBlocker(self.tree):
            self.tree.clear()
            for stage in deck.stages:
                stage_item = QTreeWidgetItem([stage.title])
                stage_item.setData(0, STAGE_ROLE, stage.id)
                stage_item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsAutoTristate
                    | Qt.ItemFlag.ItemIsDropEnabled
                )
                font = stage_item.font(0)
                font.setBold(True)
                stage_item.setFont(0, font)
                self.tree.addTopLevelItem(stage_item)
                for q in stage.questions:
                    item = QTreeWidgetItem([q.text])
                    item.setData(0, QUESTION_ROLE, q.id)
                    item.setToolTip(0, q.tip or q.text)
                    item.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                        | Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsDragEnabled
                        | Qt.ItemFlag.ItemNeverHasChildren
                    )
                    skipped = q.id in self.plan.skipped
                    item.setCheckState(
                        0, Qt.CheckState.Unchecked if skipped else Qt.CheckState.Checked
                    )
                    stage_item.addChild(item)
                    if q.id == select:
                        chosen = item
            self.tree.expandAll()
        first = self.tree.topLevelItem(0)
        chosen = chosen or (first.child(0) if first is not None else None)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._question_selected()
        self._show_selection_count()

    def _tree_questions(self) -> list[Question]:
        """The deck's questions as the tree now orders and groups them."""
        assert self.deck is not None
        by_id = {q.id: q for q in self.deck.questions}
        ordered = []
        for s in range(self.tree.topLevelItemCount()):
            stage_item = self.tree.topLevelItem(s)
            if stage_item is None:
                continue
            stage_id = stage_item.data(0, STAGE_ROLE)
            for c in range(stage_item.childCount()):
                child = stage_item.child(c)
                q = by_id.get(child.data(0, QUESTION_ROLE)) if child is not None else None
                if q is not None:
                    ordered.append(replace(q, stage_id=stage_id, stage_title=stage_item.text(0)))
        return ordered

    def _tree_reordered(self) -> None:
        if self.deck is None:
            return
        current = self.current_question()
        self._save_deck(
            self.deck.with_questions(self._tree_questions()), current.id if current else None
        )

    def _item_changed(self, item: QTreeWidgetItem, _: int) -> None:
        """A tick changed (Qt updates the stage's tristate box and its children itself)."""
        if self.deck is None:
            return
        skipped = set()
        for s in range(self.tree.topLevelItemCount()):
            stage_item = self.tree.topLevelItem(s)
            for c in range(stage_item.childCount() if stage_item else 0):
                child = stage_item.child(c) if stage_item else None
                if child is not None and child.checkState(0) == Qt.CheckState.Unchecked:
                    skipped.add(child.data(0, QUESTION_ROLE))
        self._save_plan(replace(self.plan, skipped=frozenset(skipped)))

    def _order_changed(self, index: int) -> None:
        order = self.order_combo.itemData(index)
        if isinstance(order, PracticeOrder):
            self._save_plan(replace(self.plan, order=order))

    def _save_plan(self, plan: PracticePlan) -> None:
        if self.deck is None or plan == self.plan:
            return
        self.plan = plan
        deck_id = self.deck.id
        self._show_selection_count()
        self._run(lambda store: store.save_plan(deck_id, plan))

    def _show_selection_count(self) -> None:
        if self.deck is None:
            return
        chosen = len(self.plan.chosen(self.deck.questions))
        total = len(self.deck)
        if chosen == 0:
            self.selection_label.setText("Tick at least one question to practise this deck.")
        else:
            self.selection_label.setText(f"{chosen} of {total} questions ticked for practice.")
        self.practise_button.setEnabled(chosen > 0)

    def current_question(self) -> Question | None:
        item = self.tree.currentItem()
        question_id = item.data(0, QUESTION_ROLE) if item is not None else None
        if self.deck is None or question_id is None:
            return None
        return next((q for q in self.deck.questions if q.id == question_id), None)

    def _shown_question(self) -> Question | None:
        """The question whose fields the editor shows (None: none, or it was removed)."""
        if self.deck is None or self._question_id is None:
            return None
        return next((q for q in self.deck.questions if q.id == self._question_id), None)

    def _question_selected(self) -> None:
        if self._edit_timer.isActive():  # the edit of the question shown until now
            chosen = self.current_question()
            self.commit_question(select=chosen.id if chosen is not None else None)
        self._end_draft()
        question = self.current_question()
        # The same question again after its edit was saved (the list is rebuilt): the fields
        # keep what is typed and where the cursor is.
        refilled = self._refilling and question is not None and question.id == self._question_id
        self._question_id = question.id if question else None
        self.editor.setEnabled(question is not None)
        self.remove_button.setEnabled(
            question is not None and self.deck is not None and len(self.deck) > 1
        )
        self.up_button.setEnabled(question is not None)
        self.down_button.setEnabled(question is not None)
        if refilled:
            return
        blockers = [QSignalBlocker(w) for w in self._fields()]
        self.stage_combo.clear()
        if self.deck is not None:
            for stage in self.deck.stages:
                self.stage_combo.addItem(stage.title, stage.id)
        if question is not None:
            self.text_edit.setPlainText(question.text)
            self.tip_edit.setPlainText(question.tip)
            self.target_spin.setValue(round(question.target_seconds))
            self.cue_edit.setText(question.cue)
            self.cue_edit.setCursorPosition(0)  # its start shown, not its end
            self.key_edit.setText(", ".join(question.key_phrases))
            self.key_edit.setCursorPosition(0)
            self.stage_combo.setCurrentIndex(self.stage_combo.findData(question.stage_id))
        del blockers

    def commit_question(self, select: str | None = None) -> bool:
        """Save the editor's fields into the question they show, or add the question being
        written (refusing, never cutting, text that is empty or too long). `select`: the
        question selected after the save (this one when not given). False: the fields were
        refused (the reason is shown) and what they hold is not saved."""
        self._edit_timer.stop()
        if self._drafting:
            return self._commit_draft(select)
        # The question the fields were filled from, not the tree's current one: when another
        # is chosen (or this one removed) the edit is saved before the fields change, and by
        # then the tree's current item is already the other one.
        question = self._shown_question()
        if question is None or self.deck is None:
            return True
        edited = self._from_fields(question)
        if edited is None:
            return False
        if edited == question:
            return True
        questions = [edited if q.id == question.id else q for q in self.deck.questions]
        if edited.stage_id == question.stage_id and edited.stage_title != question.stage_title:
            questions = [
                replace(q, stage_title=edited.stage_title) if q.stage_id == edited.stage_id else q
                for q in questions
            ]
        self._save_deck(self.deck.with_questions(questions), select or question.id)
        return True

    def _from_fields(self, question: Question) -> Question | None:
        """`question` as the editor's fields have it; None (and a message) when they cannot be
        saved."""
        assert self.deck is not None
        text = self.text_edit.toPlainText().strip()
        tip = self.tip_edit.toPlainText().strip()
        stage_title = self.stage_combo.currentText().strip()
        if not text:
            self._problem("A question needs its text; the previous text is kept.")
            return None
        cue = self.cue_edit.text().strip()
        keys = list(dict.fromkeys(k.strip() for k in self.key_edit.text().split(",") if k.strip()))
        if len(keys) > MAX_KEY_PHRASES:
            self._problem(
                f"{len(keys)} key phrases; at most {MAX_KEY_PHRASES} fit. Remove some to save them."
            )
            return None
        checks = (
            ("text", text, MAX_TEXT),
            ("tip", tip, MAX_TIP),
            ("interviewer cue", cue, MAX_TEXT),
            ("stage title", stage_title, MAX_NAME),
            *(("key phrase", key, MAX_KEY_PHRASE) for key in keys),
        )
        for label, value, limit in checks:
            if len(value) > limit:
                self._problem(
                    f"The {label} is {len(value)} characters long; at most {limit} fit. "
                    "Shorten it to save it."
                )
                return None
        if not stage_title:
            self._problem("A question needs a stage.")
            return None
        self._clear_problem()
        stage_id = next((s.id for s in self.deck.stages if s.title == stage_title), None)
        if stage_id is None:
            stage_id = self._new_stage_id(stage_title)
        return replace(
            question,
            text=text,
            tip=tip,
            target_seconds=float(self.target_spin.value()),
            cue=cue,
            key_phrases=tuple(keys),
            stage_id=stage_id,
            stage_title=stage_title,
        )

    def _new_stage_id(self, title: str) -> str:
        assert self.deck is not None
        taken = {s.id for s in self.deck.stages}
        base = slug(title, 30) or "stage"
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def add_question(self) -> None:
        """An empty editor with the cursor in it; the question exists once it has its text
        (leaving the editor empty adds nothing)."""
        if self.deck is None:
            return
        if self._edit_timer.isActive():
            self.commit_question()
        current = self.current_question()
        stage = self.deck.stage(current.stage_id) if current is not None else self.deck.stages[-1]
        assert stage is not None
        self._draft_after = current.id if current is not None else None
        with QSignalBlocker(self.tree):
            self.tree.setCurrentIndex(QModelIndex())  # no question selected while writing
            self.tree.clearSelection()
        self._drafting = True
        self.editor.setTitle("New question")
        self.editor.setEnabled(True)
        self.remove_button.setEnabled(False)
        self.up_button.setEnabled(False)
        self.down_button.setEnabled(False)
        blockers = [QSignalBlocker(w) for w in self._fields()]
        self.text_edit.clear()
        self.tip_edit.clear()
        self.cue_edit.clear()
        self.key_edit.clear()
        self.target_spin.setValue(self.default_target_s)
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(stage.id))
        del blockers
        self.text_edit.setFocus()

    def _end_draft(self) -> None:
        if self._drafting:
            self._drafting = False
            self.editor.setTitle("Selected question")

    def _commit_draft(self, select: str | None = None) -> bool:
        """Add the question being written, once it has text, after the one it was added to;
        `select`: the question clicked meanwhile, selected instead of the new one."""
        assert self.deck is not None
        if not self.text_edit.toPlainText().strip():
            return True  # nothing written yet: nothing to add
        taken = {q.id for q in self.deck.questions}
        number = len(self.deck) + 1
        while f"my-line-{number}" in taken:
            number += 1
        stage = self.deck.stages[-1]
        blank = Question(
            id=f"my-line-{number}",
            text="",
            tip="",
            target_seconds=float(self.default_target_s),
            stage_id=stage.id,
            stage_title=stage.title,
        )
        new = self._from_fields(blank)
        if new is None:
            return False
        questions = list(self.deck.questions)
        after = next((i for i, q in enumerate(questions) if q.id == self._draft_after), None)
        questions.insert(after + 1 if after is not None else len(questions), new)
        self._drafting = False
        self.editor.setTitle("Selected question")
        self._question_id = new.id  # selected next unless another was clicked: fields kept
        self._save_deck(self.deck.with_questions(questions), select or new.id)
        return True

    def remove_question(self) -> None:
        question = self.current_question()
        if question is None or self.deck is None or len(self.deck) <= 1:
            return
        if not self._confirm(
            "Remove question",
            f"Remove “{question.text}” from this deck?\n\nTakes you recorded for it stay in History.",
        ):
            return
        questions = [q for q in self.deck.questions if q.id != question.id]
        self._save_deck(self.deck.with_questions(questions), None)

    def move_question(self, step: int) -> None:
        """One place up or down; past the edge of its stage, into the neighbouring stage."""
        question = self.current_question()
        if question is None or self.deck is None:
            return
        questions = list(self.deck.questions)
        i = questions.index(question)
        j = i + step
        if not 0 <= j < len(questions):
            return
        neighbour = questions[j]
        if neighbour.stage_id == question.stage_id:
            questions[i], questions[j] = neighbour, question
        else:  # cross into the next stage, staying at the same place in the list
            questions[i] = replace(
                question, stage_id=neighbour.stage_id, stage_title=neighbour.stage_title
            )
        self._save_deck(self.deck.with_questions(questions), question.id)

    def _save_deck(self, deck: Deck, select: str | None) -> None:
        self._load_generation += 1  # a load still on its way would undo this edit
        self.deck = deck
        kept = self._question_id
        self._question_id = select
        self._refilling = select == kept
        try:
            self._fill_tree(select=select)
        finally:
            self._refilling = False
        self._run(lambda store: store.save(deck), lambda _: self.deck_saved.emit(deck))

    # Closing ------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Close with the edit still waiting for a pause in typing saved, and only once every
        queued save is on disk: whoever hears `finished` (the practice page) reloads the deck
        from there."""
        if self._closing:
            return
        # Even with no typing pending: a refusal shown earlier still holds the user's text.
        forced = self._refused_on_close  # the notice below is what the user last saw
        if not self.commit_question() and not forced:
            self._problem(
                f"{self.problem_label.text()}\nClose again to close without this edit: the "
                "question keeps its last saved version."
            )
            self._refused_on_close = True
            return
        if not self.runner.busy:
            super().done(result)
            return
        self._closing = True
        self._failed_while_closing = False
        self.setEnabled(False)  # no new edit between the last save and the close
        # One worker runs the tasks in order: this one is delivered after the saves before it.
        self.runner.run(lambda: None, lambda _: self._finish_closing(result))

    def _finish_closing(self, result: int) -> None:
        """Close, unless a save failed meanwhile: then the dialog stays with the reason shown
        and the edit in its fields (Close again closes)."""
        self._closing = False
        self.setEnabled(True)
        if not self._failed_while_closing:
            QDialog.done(self, result)

    def save_now(self) -> None:
        """The app quits under the dialog: the edit being typed and every queued save are
        written before it goes (the worker's thread ends with the app). Shutdown only: the GUI
        waits on the disk here, for a bounded time (SerialWorker.shutdown)."""
        if self._edit_timer.isActive():
            self.commit_question()
        self.runner.shutdown(wait=True)

    # Practise -----------------------------------------------------------------------------

    def _practise(self) -> None:
        if not self.commit_question():
            return  # the reason is shown; practising would quietly drop the edit
        if self.deck is None or not self.plan.chosen(self.deck.questions):
            return
        self.practise.emit(self.deck, self.plan)
        self.accept()


def _column(title: str, content: QWidget) -> QWidget:
    """A titled column of the dialog (the title is the list's buddy: Alt+its letter focuses it)."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setObjectName("columnTitle")
    heading.setBuddy(content)
    layout.addWidget(heading)
    layout.addWidget(content, 1)
    return column
