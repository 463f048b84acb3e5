"""Every page and dialog fits an 800x600 screen (what a 1600x1200 screen gives at 200 %) with its
window frame, shows all its buttons, and cuts no text; the default window fits a 1280x800 screen.

A cut text is a label or button whose text is wider than the widget (without eliding or
wrapping): a layout squeezed below what its text needs, or a fixed width too small for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6 import QtGui
from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from closer_desktop.app.interview_run import InterviewRun, RunAnswer, RunResult
from closer_desktop.app.settings import Settings
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import summarize
from closer_desktop.domain.session import SessionSummary
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.lock import LibraryLock, LibraryLocked
from closer_desktop.ui.dialogs.about import show_about
from closer_desktop.ui.dialogs.library_wait import wait_for_library
from closer_desktop.ui.dialogs.settings import SettingsDialog
from closer_desktop.ui.dialogs.shortcuts import ShortcutsDialog
from closer_desktop.ui.launch import build_window
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.practice.run_view import RunView
from closer_desktop.ui.theme import apply_theme
from closer_desktop.ui.window_state import default_window_size

DECK = load_deck(default_deck_path())
SCREEN = QSize(800, 600)
# What a desktop takes around a window: its title bar and borders, and a top bar or panel.
FRAME = QSize(16, 56)
ROOM = SCREEN - FRAME  # 784x544: the client area a window may need at most


def library_with_takes(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for _ in range(2):
        take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
        soundfile.write(library.audio_file(take), np.zeros(16000, dtype=np.float32), 16000)
        library.finish_take(take.id, 1.0, 16000)
    trashed = library.begin_take(session, DECK.id, DECK.questions[1], 16000)
    library.finish_take(trashed.id, 1.0, 16000)
    library.trash_take(trashed.id)  # for the "Empty trash" confirmation
    library.close()


def mnemonic_free(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def clipped(widget: QWidget, top: QWidget) -> bool:
    """Part of `widget` lies outside `top` or outside one of its ancestors (which clip it)."""
    rect = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
    node = widget.parentWidget()
    while node is not None and node is not top:
        if isinstance(node, QAbstractScrollArea) or isinstance(
            node.parentWidget(), QAbstractScrollArea
        ):
            return False  # in a scrolling area (or its viewport) it is reached by scrolling
        area = QRect(node.mapTo(top, node.rect().topLeft()), node.size())
        if not area.contains(rect):
            return True
        node = node.parentWidget()
    return not top.rect().contains(rect)


def cut_text(widget: QWidget) -> str | None:
    """The text of a label or button, if it is wider than the room the widget gives it."""
    metrics = QFontMetrics(widget.font())
    if isinstance(widget, QLabel):
        text = widget.text()
        rich = widget.textFormat() == Qt.TextFormat.RichText or (
            widget.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
        )
        if not text or widget.wordWrap() or rich or not widget.pixmap().isNull():
            return None
        if widget.buddy() is not None:
            text = mnemonic_free(text)
        room = widget.contentsRect().width() - 2 * max(widget.margin(), 0)
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    elif isinstance(widget, QPushButton | QToolButton):
        text = mnemonic_free(widget.text())
        if not text or (isinstance(widget, QToolButton) and widget.icon().isNull() is False):
            return None
        room = widget.width() - 8  # the frame and the least padding of the style sheet
        needed = metrics.horizontalAdvance(text)
        if not widget.icon().isNull():
            needed += widget.iconSize().width() + 4
    else:
        return None
    return text if needed > room + 1 else None


def problems(name: str, root: QWidget) -> list[str]:
    found = []
    window = root.window()
    size = window.size()
    if size.width() > ROOM.width() or size.height() > ROOM.height():
        found.append(
            f"{name}: {size.width()}x{size.height()} does not fit {ROOM.width()}x{ROOM.height()}"
        )
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or isinstance(widget.parentWidget(), QTabBar):
            continue
        if isinstance(widget, QAbstractButton) and clipped(widget, window):
            found.append(f"{name}: button {widget.text()!r} is outside the visible area")
        text = cut_text(widget)
        if text is not None:
            found.append(f"{name}: {type(widget).__name__} {text!r} is cut ({widget.width()} px)")
    return found


def squeeze(qtbot: QtBot, top: QWidget) -> None:
    """Make `top` as small as it lets itself be within the room, as a small screen would."""
    top.resize(min(top.width(), ROOM.width()), min(top.height(), ROOM.height()))
    top.resize(top.size().boundedTo(ROOM))
    qtbot.wait(30)  # layouts settle


@pytest.fixture(params=["light", "dark"])
def window(
    request: pytest.FixtureRequest, qtbot: QtBot, open_window: Any, data_dir: Path
) -> Iterator[MainWindow]:
    """The window on a library with takes, in each theme (their sheets differ in paddings)."""
    library_with_takes(data_dir)
    opened: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: len(opened.controller.takes) == 2, timeout=10000)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, request.param)
    opened.resize(ROOM)
    qtbot.wait(30)
    yield opened
    apply_theme(app, "light")


def pages(qtbot: QtBot, window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    yield "practice", window.practice
    window.show_history()
    qtbot.waitUntil(lambda: window.history.table.model().rowCount() > 0, timeout=10000)
    yield "history", window.history
    window.show_compare(list(window.controller.takes))
    yield "compare", window.compare
    window.show_progress()
    yield "progress", window.progress
    window.summary.show_summary(
        SessionSummary(summarize([(q.id, q.text) for q in DECK.questions], []))
    )
    window.pages.setCurrentWidget(window.summary)
    yield "summary", window.summary
    takes = list(window.controller.takes)
    answers = [RunAnswer(DECK.questions[0], take, 0.8, "silence") for take in takes]
    window.debrief.show_result(RunResult(None, answers, 30.0))
    window.pages.setCurrentWidget(window.debrief)
    yield "debrief", window.debrief
    run_view = RunView(InterviewRun(window.controller, None, window))
    window.pages.addWidget(run_view)
    window.pages.setCurrentWidget(run_view)
    yield "interview run", run_view


def test_every_page_fits_with_its_buttons_and_whole_texts(qtbot: QtBot, window: MainWindow) -> None:
    found = []
    for name, page in pages(qtbot, window):
        squeeze(qtbot, window)
        found += problems(name, page)
    assert not found, "\n".join(found)


def dialogs(qtbot: QtBot, window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    settings = SettingsDialog(window.controller, window)
    qtbot.addWidget(settings)
    settings.show()
    for index in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(index)
        yield f"settings {settings.tabs.tabText(index)!r}", settings
    settings.offer_restart(  # after Move library…
        "The library was copied to /home/user/Documents/Closer library and checked: 3 sessions, "
        "14 takes, every file's checksum."
    )
    yield "restart after a library move", settings.restart_box
    settings.restart_box.close()
    settings.close()
    window.open_decks()
    qtbot.waitUntil(
        lambda: window.deck_dialog is not None and window.deck_dialog.deck is not None,
        timeout=10000,
    )
    assert window.deck_dialog is not None
    yield "decks", window.deck_dialog
    window.deck_dialog.close()
    about = show_about(window, window.controller.data_dir)
    yield "about", about
    about.close()
    window.show_shortcuts()
    shortcuts = QApplication.activeModalWidget()
    assert isinstance(shortcuts, ShortcutsDialog)
    yield "keyboard shortcuts", shortcuts
    shortcuts.close()
    actions = window.library_actions
    for name, start in (
        ("restore", lambda: actions.confirm_restore(Path("closer-backup-2026-12-06.zip"))),
        ("empty trash", actions.empty_trash),
    ):
        start()
        qtbot.waitUntil(lambda: actions.dialog is not None, timeout=10000)
        assert actions.dialog is not None
        yield name, actions.dialog
        actions.dialog.reject()


def test_every_dialog_fits_with_its_buttons_and_whole_texts(
    qtbot: QtBot, window: MainWindow
) -> None:
    found = []
    for name, dialog in dialogs(qtbot, window):
        qtbot.waitExposed(dialog)
        hint = dialog.sizeHint()  # what it opens at, unless it sizes itself for the screen
        sized = dialog.testAttribute(Qt.WidgetAttribute.WA_Resized)
        if not sized and (hint.width() > ROOM.width() or hint.height() > ROOM.height()):
            found.append(f"{name}: opens at {hint.width()}x{hint.height()}")
        squeeze(qtbot, dialog)
        found += problems(name, dialog)
    assert not found, "\n".join(found)


def test_the_library_wait_fits(qtbot: QtBot, tmp_path: Path) -> None:
    holder = LibraryLock.acquire(tmp_path, "closer restore")
    found: list[str] = []

    def look_then_let_go() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QMessageBox)
        squeeze(qtbot, dialog)
        found.extend(problems("library in use", dialog))
        holder.release()

    with pytest.raises(LibraryLocked) as refused:
        LibraryLock.acquire(tmp_path, "Closer")
    QTimer.singleShot(300, look_then_let_go)
    lock = wait_for_library(tmp_path, refused.value)
    assert lock is not None
    lock.release()
    assert not found, "\n".join(found)


def test_the_default_window_fits_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    """No remembered geometry: the first window, with its frame, fits the screen it is on; on a 1280x800 screen it is at most 1200x720."""
    window = build_window(tmp_path / "library", settings=Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    screen = window.screen()
    assert screen is not None
    room = screen.availableGeometry().size() - FRAME
    size = window.size()
    assert size.width() <= room.width() and size.height() <= room.height(), size
    assert window.minimumSize().boundedTo(ROOM) == window.minimumSize()


def test_the_default_size_on_a_1280_by_800_screen() -> None:
    class Screen1280:  # what default_window_size reads of a QScreen: the free area
        @staticmethod
        def availableGeometry() -> QRect:
            return QRect(0, 0, 1280, 800)

    size = default_window_size(Screen1280())  # type: ignore[arg-type]
    assert size.width() <= 1200 and size.height() <= 720
    assert size.width() >= 1100 and size.height() >= 700  # still the large layout


def test_the_checks_see_a_cut_text_and_a_hidden_button(qtbot: QtBot) -> None:
    """The checks above would find what they look for (a squeezed label, a button off the edge)."""
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(300, 100)
    label = QLabel("Microphone: default (system default)", host)
    label.setFixedWidth(60)
    button = QPushButton("Practise this deck", host)
    button.setGeometry(250, 70, 140, 30)
    host.show()
    qtbot.waitExposed(host)
    assert cut_text(label) == "Microphone: default (system default)"
    assert cut_text(button) is None
    assert clipped(button, host)
    label.setWordWrap(True)
    assert cut_text(label) is None
