"""Self-rating: professionalism and clarity from 1 to 5, plus a short note.

The row the next digit key will set is highlighted; clicking a row's label makes it the target.
Each button says on hover what its level sounds like (domain/anchors.py), and a line above the
rows says what the digits do next, or that both ratings are saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.domain.anchors import anchor, anchors_text
from closer_desktop.domain.practice import MAX_NOTE, RATING_MAX, RATING_MIN, RatingScale, Take
from closer_desktop.domain.text import ratings_in_words
from closer_desktop.ui.theme import set_style_property

P, C = RatingScale.PROFESSIONALISM, RatingScale.CLARITY


def rating_status(take: Take | None, target: RatingScale | None) -> tuple[str, bool]:
    """What the line above the rows says, and whether it is the saved state."""
    if take is None:
        return "", False
    p, c = take.professionalism, take.clarity
    if p is not None and c is not None:
        return f"✓ Saved: {ratings_in_words(p, c)}. A digit rates again.", True
    if target is C or (target is None and p is not None):
        return "Now clarity: press 1–5.", False
    if target is P and c is not None:
        return "Now professionalism: press 1–5.", False
    return "Rate this take: 1–5 for professionalism, then for clarity.", False


class NoteEdit(QLineEdit):
    """The note field takes the keyboard only when the user asks (click, Tab, or a shortcut).

    Qt hands focus to the next widget when the focused one is disabled (the record button
    while a take is saved, say); if that were this field, Space would type instead of record.
    """

    USER_REASONS = (
        Qt.FocusReason.MouseFocusReason,
        Qt.FocusReason.TabFocusReason,
        Qt.FocusReason.BacktabFocusReason,
        Qt.FocusReason.ShortcutFocusReason,
    )

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() not in self.USER_REASONS:
            self.window().setFocus(Qt.FocusReason.OtherFocusReason)


class RatingRow(QFrame):
    """One scale: its name and five buttons.

    Signals:
        rated(int): a button was clicked.
        targeted(): the row itself was clicked (make it the digit keys' target).
    """

    rated = Signal(int)
    targeted = Signal()

    def __init__(self, scale: RatingScale, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.setObjectName("ratingRow")
        self.setProperty("target", False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            f"{scale.label}\n{anchors_text(scale)}\nClick the row to rate it with the digit keys."
        )
        self.setAccessibleName(f"{scale.label} rating")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(scale.label)
        self.label.setObjectName("ratingLabel")
        self.label.setMinimumWidth(120)
        layout.addWidget(self.label)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        for value in range(RATING_MIN, RATING_MAX + 1):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setObjectName("ratingButton")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(f"{scale.label} {value} of {RATING_MAX}")
            button.setToolTip(f"{scale.label} {value}: {anchor(scale, value)} (key {value})")
            self.group.addButton(button, value)
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.idClicked.connect(self._clicked)

    def _clicked(self, value: int) -> None:
        self.targeted.emit()
        self.rated.emit(value)

    def set_value(self, value: int | None) -> None:
        self.group.setExclusive(False)
        for number, button in enumerate(self.buttons, start=RATING_MIN):
            button.setChecked(number == value)
        self.group.setExclusive(True)

    def set_target(self, is_target: bool) -> None:
        if self.property("target") != is_target:
            set_style_property(self, "target", is_target)
            self.label.setText(f"▶ {self.scale.label}" if is_target else self.scale.label)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.targeted.emit()
        super().mousePressEvent(event)


class RatingPanel(QWidget):
    """Both rating rows and the note field for the current take.

    Signals:
        rated(object, int): (RatingScale, value) chosen with the mouse.
        targeted(object): a RatingScale row was clicked.
        note_edited(int, str): the note of the take with that id was changed and the field left
            (or Enter pressed, or another take shown while it was being typed).
    """

    rated = Signal(object, int)
    targeted = Signal(object)
    note_edited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.status = QLabel()  # what the digits do next, or "✓ Saved"
        self.status.setObjectName("ratingStatus")
        self.status.setAccessibleName("Rating status")
        self.status.setProperty("saved", False)
        self.status.setMinimumHeight(self.status.fontMetrics().height())
        layout.addWidget(self.status)
        self._take: Take | None = None
        self._target: RatingScale | None = None
        self.rows: dict[RatingScale, RatingRow] = {}
        for scale in RatingScale:
            row = RatingRow(scale)
            row.rated.connect(lambda value, s=scale: self.rated.emit(s, value))
            row.targeted.connect(lambda s=scale: self.targeted.emit(s))
            self.rows[scale] = row
            layout.addWidget(row)
        self.note = NoteEdit()
        self.note.setPlaceholderText(
            'Note for this take (optional), e.g. "slow down on the question"'
        )
        self.note.setMaxLength(MAX_NOTE)
        self.note.setAccessibleName("Note for this take")
        self.note.setToolTip(
            "A short note to yourself about this take. Saved when you press Enter or leave the field."
        )
        self._take_id: int | None = None  # whose note the field holds
        self._saved_note = ""  # that note as last shown or sent
        self.note.editingFinished.connect(self.flush_note)
        self.note.returnPressed.connect(self._leave_note)
        layout.addWidget(self.note)
        self.show_take(None)

    def _leave_note(self) -> None:
        window = self.window()
        window.setFocus(Qt.FocusReason.OtherFocusReason)

    def flush_note(self) -> None:
        """Send the note being typed, if it changed, for the take it was typed for."""
        text = self.note.text()
        if self._take_id is not None and text != self._saved_note:
            self._saved_note = text
            self.note_edited.emit(self._take_id, text)

    def show_take(self, take: Take | None) -> None:
        self._take = take
        self._show_status()
        for scale, row in self.rows.items():
            row.set_value(take.rating(scale) if take else None)
            row.setEnabled(take is not None)
        new_id = take.id if take is not None else None
        if new_id != self._take_id:
            # Another take (a click in the list, Next, a new recording) while a note was being
            # typed: it is the old take's note, saved as such, and the field shows the new one's.
            self.flush_note()
            self._take_id = new_id
            self._saved_note = take.note if take is not None else ""
            self.note.setText(self._saved_note)
        elif take is not None and not self.note.hasFocus():
            self._saved_note = take.note
            self.note.setText(take.note)
        self.note.setEnabled(take is not None)

    def show_target(self, target: RatingScale | None) -> None:
        self._target = target
        self._show_status()
        for scale, row in self.rows.items():
            row.set_target(scale is target)

    def _show_status(self) -> None:
        text, saved = rating_status(self._take, self._target)
        self.status.setText(text)
        if self.status.property("saved") != saved:
            set_style_property(self.status, "saved", saved)
