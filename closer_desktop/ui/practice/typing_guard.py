"""Typing on the practice page never starts a take.

Space is "record" whenever no text field has focus. A user who starts typing a note without
clicking into the field first used to record two stray takes, one per word gap. So: a letter
typed while no field has focus goes into the note field (focused, visibly) when there is a take
to note, and a Space within a moment of such typing is taken as part of it, never as "record".
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

TYPING_PAUSE_S = 1.5  # a Space this soon after a stray letter belongs to the typing
TYPING_HINT = "Typing? Click the note field to write a note; Space records once you pause."


class TypingGuard(QObject):
    """Watches the keys that reach `window` (none a focused field took) while `page` is shown."""

    def __init__(
        self,
        page: QWidget,
        note: QLineEdit,
        space_would_record: Callable[[], bool],
        hint: Callable[[str], None],
    ) -> None:
        super().__init__(page)
        self.page = page
        self.note = note
        self.space_would_record = space_would_record
        self.hint = hint
        self.typed_at = -float("inf")
        self._window: QWidget | None = None

    def watch(self, window: QWidget) -> None:
        """Watch `window` (the page's, once it has one); again is harmless."""
        if window is not self._window:
            if self._window is not None:
                self._window.removeEventFilter(self)
            window.installEventFilter(self)
            self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not self.page.isVisible() or not isinstance(event, QKeyEvent):
            return False
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if event.key() == Qt.Key.Key_Space and plain:
            return self._space(event)
        text = event.text()
        if kind == QEvent.Type.KeyPress and plain and text.isprintable() and text.strip():
            self.typed_at = time.monotonic()
            if self.note.isEnabled():  # the letter goes where it was meant to go
                self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
                self.note.insert(text)
            return True
        return False

    def _space(self, event: QKeyEvent) -> bool:
        if time.monotonic() - self.typed_at > TYPING_PAUSE_S or not self.space_would_record():
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the Space shortcut does not fire: the key comes as a key press
        else:
            self.typed_at = time.monotonic()  # still typing
            self.hint(TYPING_HINT)
        return True
