"""Closer's style (ui/closer_style.py CloserStyle): no fallback icons on dialog buttons, and mnemonic
underlines only while Alt is held, not scattered over every button and label."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from closer_desktop.ui.launch import create_app
from closer_desktop.ui.theme import apply_theme
from tests.support.xserver import x_display


def image(widget: QWidget) -> QImage:
    return widget.grab().toImage()


BUTTON_ICONS = """
import sys
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from closer_desktop.ui.launch import create_app
from closer_desktop.ui.theme import apply_theme
app = create_app()
if sys.argv[1] != "fusion":
    apply_theme(app, sys.argv[1])
box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
message = QMessageBox(QMessageBox.Icon.Question, "Delete", "Delete it?")
message.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
print(sum(not b.icon().isNull() for b in [*box.buttons(), *message.buttons()]))
"""


def test_dialog_buttons_have_no_icons() -> None:
    """Under X (xcb), where the desktop theme gives Fusion its fallback icons for OK/Cancel."""
    with x_display() as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}

        def icons(theme: str) -> int:
            run = subprocess.run(
                [sys.executable, "-c", BUTTON_ICONS, theme],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert run.returncode == 0, run.stderr
            return int(run.stdout.split()[-1])

        assert icons("fusion") == 4, "plain Fusion shows them here (else this proves nothing)"
        assert icons("light") == 0
        assert icons("dark") == 0


def test_mnemonics_are_not_underlined_until_alt(qtbot: QtBot) -> None:
    apply_theme(create_app(), "light")
    host = QWidget()
    qtbot.addWidget(host)
    with_mnemonic = QPushButton("&Move library…", host)
    plain = QPushButton("Move library…", host)
    for button in (with_mnemonic, plain):
        button.setFixedSize(160, 32)
    plain.move(0, 40)
    host.show()
    qtbot.waitExposed(host)
    # Drawn exactly as the same text without "&": no underline under the M.
    assert image(with_mnemonic) == image(plain)
    QTest.keyPress(with_mnemonic, Qt.Key.Key_Alt, Qt.KeyboardModifier.AltModifier)
    try:
        assert QApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier
        with_mnemonic.repaint()
        assert image(with_mnemonic) != image(plain), "Alt shows where the shortcut is"
    finally:
        QTest.keyRelease(with_mnemonic, Qt.Key.Key_Alt)
    assert image(with_mnemonic) == image(plain)


def test_a_theme_switch_keeps_the_style(qtbot: QtBot) -> None:
    """Closer's style is set once: applying a theme again keeps the same style object (a new
    proxy style at every switch made Qt restyle every widget)."""
    from shiboken6 import Shiboken

    def pointer() -> int:
        style = app.style()
        assert style is not None
        return int(Shiboken.getCppPointer(style)[0])

    app = create_app()
    for theme in ("light", "dark", "light"):
        apply_theme(app, theme)
        before = pointer()
        apply_theme(app, theme)  # the same sheet: nothing to redo
        assert pointer() == before, theme
