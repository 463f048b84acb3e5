"""Transient messages as a toast over the page, at the bottom centre (like GNOME's AdwToast).

A message used to be a label above the page that pushed everything down and back up again, which
moved what the user was about to click. The toast floats over its host: it is a child of the host
but in no layout, so showing or hiding it changes no other widget's geometry.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from closer_desktop.ui.design import SPACE_L, SPACE_XS
from closer_desktop.ui.theme import set_style_property

TIMEOUT_MS = 9000
# A long message wraps at this much of the host's width, and never wider than MAX_WIDTH: a line
# of some 70 characters, which reads at a glance; a short one keeps its own width, on one line.
HOST_SHARE = 0.6
MAX_WIDTH = 520
MIN_WIDTH = 240  # px: the widest bound on a very narrow host


class Toast(QFrame):
    """One message at a time over `host`; a newer one replaces it.

    Info and warnings go after a timeout; errors stay until dismissed (✕), so none is missed.
    """

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("toast")
        self.setProperty("level", "info")
        self.setAccessibleName("Message")
        self.setAutoFillBackground(False)
        self.label = QLabel()
        self.label.setObjectName("messageLabel")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Messages")
        self.action_button = QPushButton()
        self.action_button.setObjectName("toastAction")
        self.action_button.setAccessibleName("Message action")
        self.action_button.setToolTip("Act on this message")
        self.action_button.hide()
        self.close_button = QPushButton("✕")
        self.close_button.setObjectName("toastClose")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.setToolTip("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE_XS, SPACE_XS, SPACE_XS, SPACE_XS)
        layout.setSpacing(SPACE_XS)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._action: Callable[[], object] | None = None
        self._settled = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        self.action_button.clicked.connect(self._act)
        self.close_button.clicked.connect(self.dismiss)
        host.installEventFilter(self)
        self.hide()

    def _settle(self) -> None:
        """What only a shown toast needs, set at its first message: these take Qt's `Qt`
        namespace, whose Python enums the window's first paint does not wait for (the toast
        is made with the window)."""
        from PySide6.QtCore import Qt

        self._settled = True
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for button in (self.action_button, self.close_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def show_message(
        self,
        level: str,
        text: str,
        action: tuple[str, Callable[[], object]] | None = None,
        timeout_ms: int = TIMEOUT_MS,
    ) -> None:
        """Show `text` ("info", "warning" or "error"), with an optional (label, callback) button."""
        if not self._settled:
            self._settle()
        self.label.setText(text)
        set_style_property(self.label, "level", level)
        set_style_property(self, "level", level)
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        if action:
            self.action_button.setAccessibleName(action[0])
            self.action_button.setToolTip(f"{action[0]} ({text.rstrip('.')})")
        self.action_button.setVisible(action is not None)
        self.timer.stop()
        if level != "error":
            self.timer.start(timeout_ms)
        self.place()
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.timer.stop()
        self.hide()

    def _act(self) -> None:
        action, self._action = self._action, None
        self.dismiss()
        if action is not None:
            action()

    def place(self) -> None:
        """Bottom centre of the host, as wide as the text needs on one line, up to
        HOST_SHARE of the host and MAX_WIDTH (then it wraps)."""
        host = self.parentWidget()
        if host is None:
            return
        widest = min(MAX_WIDTH, int(host.width() * HOST_SHARE))
        widest = max(widest, min(host.width() - 2 * SPACE_XS, MIN_WIDTH))
        # The width of the message on one line: the label's own hint when it wraps is a width
        # of Qt's guessing (a short message came out on three or four lines).
        self.ensurePolished()
        self.label.ensurePolished()
        self.label.setWordWrap(False)
        one_line = self.sizeHint().width()
        self.label.setWordWrap(True)
        width = min(widest, one_line)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else -1
        if height <= 0:
            height = self.sizeHint().height()
        rect = QRect((host.width() - width) // 2, host.height() - height - SPACE_L, width, height)
        self.setGeometry(self._above_buttons(host, rect))

    def _above_buttons(self, host: QWidget, rect: QRect) -> QRect:
        """`rect` moved up until it covers no button of the page (the bottom row's Next,
        Practise…), so a message never hides what the user is about to click; never above the
        middle of the host."""
        buttons = []
        for button in host.findChildren(QAbstractButton):
            if button.isVisible() and not self.isAncestorOf(button):
                shown = button.visibleRegion().boundingRect()  # less what its parents clip
                if not shown.isEmpty():
                    buttons.append(shown.translated(button.mapTo(host, QPoint(0, 0))))
        moved = QRect(rect)
        for _ in range(len(buttons) + 1):
            covered = [b for b in buttons if b.intersects(moved)]
            if not covered:
                return moved
            moved.moveBottom(min(b.top() for b in covered) - SPACE_XS)
            if moved.top() < host.height() // 2:
                break
        return rect

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = watched is self.parentWidget() and event.type() == QEvent.Type.Resize
        if resized and self.isVisible():
            self.place()
        return super().eventFilter(watched, event)
