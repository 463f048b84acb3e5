"""Closer's Fusion: a proxy style that changes two of Fusion's hints (see CloserStyle).

Its own module because it is a Python subclass of QStyle: importing QStyle creates that type's
Python enums, milliseconds that the window's first paint does not wait for (ui/theme.py
install_style imports this module after the paint).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QMenu,
    QMenuBar,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)


class CloserStyle(QProxyStyle):
    """Fusion with two hints changed, as GNOME and Windows behave.

    Mnemonic underlines only while Alt is held or the menu bar is driven by the keyboard: Fusion
    underlines every "&" shortcut at all times, which scatters underlines over every button and
    label. And no icons on dialog buttons: Fusion's fallback icons on OK and Cancel match nothing
    else in the design. The shortcuts themselves work as before.
    """

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_UnderlineShortcut:
            return int(_keyboard_navigation(widget))
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, returnData)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Installed on the application (ui/theme.py install_style): Alt pressed or let go
        redraws the active window, whose underlines depend on it; nothing else asks for that
        paint, so they showed only where something happened to be drawn again."""
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Alt
        ):
            window = QApplication.activeWindow()
            if window is not None:
                window.update()
        return super().eventFilter(watched, event)


def _keyboard_navigation(widget: QWidget | None) -> bool:
    """Alt is held, or a menu bar has the keyboard (Alt pressed and let go, or F10)."""
    if QApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier:
        return True
    if isinstance(widget, QMenuBar):
        return widget.hasFocus()
    if isinstance(widget, QMenu):
        window = QApplication.activeWindow()
        bar = window.findChild(QMenuBar) if window is not None else None
        return bar is not None and bar.hasFocus()
    return False
