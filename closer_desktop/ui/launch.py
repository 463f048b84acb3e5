"""Building and running the GUI: the QApplication, the style sheet, the controller and the window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from closer_desktop import APP_ID, APP_NAME, __version__
from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.domain.deck import Deck, DeckError, load_deck
from closer_desktop.paths import default_deck_path, resource_path
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.theme import BASE_STYLE_SHEET, apply_theme, complete_theme

if TYPE_CHECKING:
    from closer_desktop.app.library import LibraryService
    from closer_desktop.app.practice import PracticeController
    from closer_desktop.storage.lock import LibraryLock


def create_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fusion everywhere (closer.qss is drawn for it), chosen on the command line Qt reads:
    # QApplication.setStyle() would hand Python a QStyle, whose hundreds of enum members are
    # slow to create, at every start.
    args = list(argv if argv is not None else sys.argv[:1])
    app = QApplication([*args[:1], "-style", "fusion", *args[1:]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    style = resource_path("styles", "closer.qss")
    if style.exists():  # applied by build_window, once the widget tree exists (see there)
        app.setProperty(BASE_STYLE_SHEET, style.read_text(encoding="utf-8"))
    return app


def set_window_icon(app: QApplication) -> None:
    """Closer's icon on its windows. After the first paint (build_window): an SVG icon loads
    Qt's SVG icon engine, a plugin that the first frame does not need."""
    icon = resource_path("icons", "closer.svg")
    if icon.exists() and app.windowIcon().isNull():
        app.setWindowIcon(QIcon(str(icon)))


def build_window(
    data_dir: Path,
    deck: Deck | None = None,
    settings: Settings | None = None,
    lock: LibraryLock | None = None,
) -> MainWindow:
    """The main window on `data_dir`, as its first paint shows it: the frame and the question
    card. The rest follows on the event-loop turns after that paint, so that a key pressed
    meanwhile is handled first: the controller and the practice page (MainWindow.finish_start_up)
    with Closer's style, the library's opening and the microphone scan (on their worker threads),
    then the last page shown, then the window icon. A window that is not shown (or not painted)
    does all of that after a second anyway; anything that needs the controller sooner gets it at
    once (MainWindow.controller). The library's lock, taken by the caller, comes before all of it.

    The theme is applied to the finished frame: with an application style sheet in force, every
    reparenting while the tree is assembled re-resolves the style of the whole moved subtree,
    again and again; applied once at the end, each widget is styled once. Closer's proxy style
    (ui/closer_style.py) comes with the practice page, after the paint: it is a Python subclass
    of QStyle, whose Python type alone takes milliseconds to create, and Qt asks it for hints a
    thousand times while a frame is laid out; the first frame differs from it only by the
    underlines of the menus' Alt keys.
    """
    from closer_desktop.ui.window_state import after_first_paint, restore_window_state

    chosen_deck = deck or load_deck(default_deck_path())
    chosen_settings = settings or Settings()

    def parts() -> tuple[PracticeController, LibraryService]:
        from closer_desktop.app.library import LibraryService
        from closer_desktop.app.practice import PracticeController

        library = LibraryService(data_dir, lock=lock)
        return PracticeController(chosen_deck, library, chosen_settings), library

    window = MainWindow(chosen_deck, chosen_settings, data_dir, parts)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, chosen_settings.get(S.THEME), proxy_style=False)
    # Each page's splitters when it is first shown (the practice page's once it is built); the
    # last page shown after the first paint.
    restore_window_state(window, chosen_settings)

    finished: list[bool] = []

    def finish() -> None:
        if finished:
            return  # after the first paint, or a second after start, whichever came first
        finished.append(True)
        building = window.start_up_pending
        if building and isinstance(app, QApplication):
            # The page is assembled with no style sheet in force (as the frame was), then styled
            # once, with Closer's style, before it is first painted.
            app.setStyleSheet("")
        try:
            window.finish_start_up()
        finally:
            if isinstance(app, QApplication) and (building or window.started_up):
                complete_theme(app)  # the theme in force now (another window may have set one)
        if not window.started_up:
            return  # closed before: nothing is started, nothing of the app's style touched
        shown = window.pages.currentWidget()
        window.controller.start()  # before the last page is shown again (restore_window_state)
        # Its first question_changed shows the practice page: a page the user went to with a key
        # pressed right after the first paint (History, a run) stays.
        if shown is not None:
            window.pages.setCurrentWidget(shown)
        QTimer.singleShot(0, window, icon)

    def icon() -> None:
        if isinstance(app, QApplication):
            set_window_icon(app)

    after_first_paint(window, finish)
    QTimer.singleShot(1000, window, finish)
    return window


GC_FREEZE_AFTER_MS = 10_000


def freeze_start_up_objects(window: MainWindow) -> None:
    """Some seconds after start (the library open, numpy and the analysis code imported), move
    every object then alive into the garbage collector's permanent generation (gc.freeze).

    Python's full collections walk every tracked object, tens of thousands once Closer is up,
    with the interpreter lock held: the soak benchmark (bench/soak.py) saw them as GUI stalls
    every few hundred actions. Frozen objects are never walked again (nor freed: start-up
    objects live as long as the app anyway). Not while a take is recorded: the one collection
    done first would hold up the audio callback too.
    """
    import gc

    def freeze() -> None:
        if window.started_up and window.controller.is_recording:
            QTimer.singleShot(GC_FREEZE_AFTER_MS, window, freeze)
            return
        gc.collect()  # garbage of the start-up is freed, not kept for ever
        gc.freeze()

    QTimer.singleShot(GC_FREEZE_AFTER_MS, window, freeze)


def run_gui(data_dir: Path) -> int:
    from closer_desktop.ui.single_instance import activate_running, listen_after, socket_path
    from closer_desktop.ui.window_state import after_first_paint

    app = create_app()
    instance = socket_path(data_dir)
    if activate_running(instance):
        print(
            f"closer: already open on {data_dir}: that window was brought forward", file=sys.stderr
        )
        return 0
    from closer_desktop.logs import log, setup_logging

    setup_logging()
    log.info("Closer %s starting on %s", __version__, data_dir)
    settings = Settings()
    try:
        deck = load_deck(default_deck_path())
    except DeckError as exc:
        log.error("the built-in deck cannot be read: %s", exc)
        print(f"closer: the built-in deck cannot be read: {exc}", file=sys.stderr)
        return 2
    lock = _lock_library(data_dir, instance)
    if lock is None:
        return 0  # the user chose Quit, or the running window was brought forward
    window = build_window(data_dir, deck, settings, lock)
    server = listen_after(instance, window, after_first_paint)  # later launches raise this window
    after_first_paint(window, lambda: _close_on_signals(window))  # logout, Ctrl+C: as Ctrl+Q
    freeze_start_up_objects(window)
    window.show()
    code = app.exec()
    from closer_desktop.ui.os_signals import restore_default_signals

    restore_default_signals()  # nothing handles them any more: a signal now ends Closer
    server.close()
    if window.started_up:
        window.controller.shutdown()  # the library is closed before its lock is given up
    lock.release()
    log.info("Closer stopped (exit code %d)", code)
    return code


def _lock_library(data_dir: Path, instance: Path) -> LibraryLock | None:
    """The library's lock (storage/lock.py), taken before anything can repair the library;
    when another process holds it, wait for it or quit at the user's word."""
    from closer_desktop.storage.lock import LibraryLock, LibraryLocked

    try:
        return LibraryLock.acquire(data_dir, "Closer")
    except LibraryLocked as locked:
        from closer_desktop.ui.dialogs.library_wait import wait_for_library

        return wait_for_library(data_dir, locked, instance)
    except OSError:
        # No folder can be made there: start anyway, and the library's own opening says why
        # (a read-only or missing place), with recording off.
        return LibraryLock(data_dir, None)


def _close_on_signals(window: MainWindow) -> None:
    from closer_desktop.ui.os_signals import close_on_signals

    close_on_signals(window)
