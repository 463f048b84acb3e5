"""Window state across runs: splitter positions of every page and the page shown at exit.

The main window saves its own geometry (size and position, WINDOW_GEOMETRY). This module adds the
rest without the pages knowing: at exit it records every QSplitter of every page that was built,
by page class and the splitter's order in it; a page built later (History, Progress are built on
first use) gets its splitters back when it is first shown. The last view is shown again once the
window has been painted, so the first paint never waits for History or Progress to be built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QSplitter, QWidget

from closer_desktop import settings as S

if TYPE_CHECKING:
    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.main_window import MainWindow

VIEWS = ("practice", "history", "progress")


def _splitters(page: QWidget) -> list[QSplitter]:
    """The page's splitters in creation order: its own list when it keeps one (`splitters`),
    else found. Finding wraps every widget of the page in Python, creating Python types for
    Qt's inner widgets, work the practice page would do before its first paint."""
    listed = getattr(page, "splitters", None)
    return list(listed) if listed is not None else page.findChildren(QSplitter)


def splitter_states(page: QWidget) -> dict[str, str]:
    """`{"PageClass/0": hex state, ...}` for the splitters in `page`, in creation order."""
    name = type(page).__name__
    splitters = _splitters(page)
    return {
        f"{name}/{i}": bytes(s.saveState().toHex().data()).decode() for i, s in enumerate(splitters)
    }


def restore_splitters(page: QWidget, saved: dict[str, str]) -> None:
    name = type(page).__name__
    for i, splitter in enumerate(_splitters(page)):
        state = saved.get(f"{name}/{i}")
        if state:
            splitter.restoreState(QByteArray.fromHex(state.encode()))


def _load(settings: Settings) -> dict[str, str]:
    text = settings.get(S.WINDOW_STATE)
    if not text:
        return {}  # the first run: no json to import
    import json

    try:
        saved = json.loads(text)
    except (ValueError, RecursionError):  # damaged, or nested too deep: default sizes
        return {}
    if not isinstance(saved, dict):
        return {}
    return {str(k): str(v) for k, v in saved.items()}


def current_view(window: MainWindow) -> str:
    """Which of VIEWS is shown ("history" for Compare, "practice" for the summary)."""
    page = window.pages.currentWidget()
    name = type(page).__name__
    if name in ("HistoryView", "CompareView"):
        return "history"
    if name == "ProgressView":
        return "progress"
    return "practice"


def save_window_state(window: MainWindow, settings: Settings) -> None:
    """Record the splitters of every page built so far (merged with earlier runs) and the view."""
    saved = _load(settings)
    for index in range(window.pages.count()):
        page = window.pages.widget(index)
        if page is not None:
            saved.update(splitter_states(page))
    import json

    settings.set(S.WINDOW_STATE, json.dumps(saved, sort_keys=True))
    settings.set(S.LAST_VIEW, current_view(window))


def restore_window_state(window: MainWindow, settings: Settings) -> None:
    """Splitters now (pages built later get theirs when first shown); the last view after the
    window's first paint."""
    saved = _load(settings)
    restored: set[int] = set()

    def page_shown(index: int) -> None:
        page = window.pages.widget(index)
        if page is not None and id(page) not in restored:
            restored.add(id(page))
            restore_splitters(page, saved)

    for index in range(window.pages.count()):
        page_shown(index)
    window.pages.currentChanged.connect(page_shown)
    view = settings.get(S.LAST_VIEW)
    if view != "practice":
        after_first_paint(window, lambda: _show_view(window, view))


def _show_view(window: MainWindow, view: str) -> None:
    if current_view(window) != "practice" or window.controller.is_recording:
        return  # the user already went somewhere
    if view == "history":
        window.show_history()
    elif view == "progress":
        window.show_progress()


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            callback = self.callback
            # Two turns: what the paint itself queued (the rest of the frame reaching the
            # screen, a key pressed meanwhile) is handled before the deferred work begins.
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, callback))
            self.deleteLater()
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run `callback` once `widget` has been painted for the first time, after the events that
    were waiting then (so a burst of deferred work never holds up the frame or a key)."""
    widget.installEventFilter(_FirstPaint(widget, callback))


# A window's title bar and borders, and a desktop's top bar or panel, around the client area.
FRAME_ALLOWANCE = (80, 80)
DEFAULT_SIZE = (1200, 720)  # on a large screen: room for both columns of the practice page
MINIMUM_SIZE = (720, 520)  # an 800x600 screen (or 1600x1200 at 200 %) with its frame


def default_window_size(screen: QScreen | None) -> QSize:
    """The first window's size: DEFAULT_SIZE, or less on a smaller screen, so that with its frame
    it fits the screen's free area (a 1280x800 screen: 1200x720 with a 80 px title and top bar).
    """
    width, height = DEFAULT_SIZE
    if screen is not None:
        room = screen.availableGeometry().size()
        width = min(width, room.width() - FRAME_ALLOWANCE[0])
        height = min(height, room.height() - FRAME_ALLOWANCE[1])
    return QSize(max(width, MINIMUM_SIZE[0]), max(height, MINIMUM_SIZE[1]))
