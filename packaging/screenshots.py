"""Screenshots of the practice screen before, during and after a take, then of History and
Compare (with a second take of the question) and the summary, in a real X window.

Starts Xvfb at the asked size, a virtual microphone, and the app; drives it with the keyboard
contract and captures the whole screen with ImageMagick's `import`. Used to judge the layout as a
user would and for the AppStream screenshots.

    .venv/bin/python packaging/screenshots.py --size 1280x800 --out screenshots/
    .venv/bin/python packaging/screenshots.py --size 1600x1200 --scale 2   # 800x600 at 200 %

With --scale 2 Qt draws at QT_SCALE_FACTOR=2 and the window gets the screen's size divided by the
scale (1600x1200 gives the 800x600 logical pixels of a small screen at 200 %). Also shows
Progress, every tab of Settings, the deck manager, About, the keyboard shortcuts, Empty trash's
confirmation, the question to restart after a library move and the library-in-use wait. The library
starts with a week of practice (seed_library: three sessions of rated takes, whose delivery
feedback the app measures as it opens). Every page and dialog in both themes at both sizes:

    for size in 1280x800 800x600; do for theme in light dark; do
      .venv/bin/python packaging/screenshots.py --size $size --theme $theme --out shots/
    done; done

docs/screenshots/ holds the ones the README and the AppStream metainfo show, made so and
reduced to 256 colours (`convert shot.png -strip -colors 256 PNG8:docs/screenshots/name.png`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


SEEDED = (  # (days ago, hour, (professionalism, clarity) of each of the first four questions)
    (9, 19, ((2, 2), (3, 2), (2, 1), (3, 3))),
    (5, 8, ((3, 3), (3, 3), (3, 2), (4, 3))),
    (2, 20, ((4, 3), (4, 4), (3, 3), (4, 4))),
)


def seed_library(data_dir: Path, scratch: Path) -> None:
    """A library as after a week of practice: three sessions of the first four questions,
    said (espeak into WAV files), rated a little better each time. Their delivery feedback is
    measured by the app itself once it opens (the catch-up of takes without metrics)."""
    from datetime import datetime, timedelta

    import soundfile

    from closer_desktop.domain.deck import load_deck
    from closer_desktop.domain.practice import RatingScale
    from closer_desktop.paths import default_deck_path
    from closer_desktop.storage.library import Library

    deck = load_deck(default_deck_path())
    from tests.support.virtual_mic import VirtualMic

    said = [
        VirtualMic.speak(q.text, scratch / f"seed-{i}.wav")
        for i, q in enumerate(deck.questions[:4])
    ]
    library = Library(data_dir)
    try:
        now = datetime.now().astimezone().replace(minute=0, second=0, microsecond=0)
        for days, hour, ratings in SEEDED:
            start = (now - timedelta(days=days)).replace(hour=hour)
            session = library.start_session(deck.id, start)
            for i, (question, audio) in enumerate(zip(deck.questions[:4], said, strict=True)):
                samples, rate = soundfile.read(str(audio), dtype="int16")
                take = library.begin_take(
                    session, deck.id, question, rate, start + timedelta(minutes=2 * i)
                )
                soundfile.write(library.audio_file(take), samples, rate, subtype="PCM_16")
                library.finish_take(take.id, len(samples) / rate, rate)
                p, c = ratings[i]
                library.set_rating(take.id, RatingScale.PROFESSIONALISM, p)
                library.set_rating(take.id, RatingScale.CLARITY, c)
    finally:
        library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--display", default=":97")
    parser.add_argument("--scale", type=int, default=1, help="QT_SCALE_FACTOR (2 for 200 %%)")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    sandbox = Path(tempfile.mkdtemp(prefix="closer-shots-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(sandbox / name.lower())
    xvfb = subprocess.Popen(
        ["Xvfb", args.display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    os.environ["DISPLAY"] = args.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from tests.support.virtual_mic import VirtualMic

    mic = VirtualMic().start()
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from closer_desktop import settings as S
    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.launch import build_window, create_app

    seed_library(sandbox / "library", sandbox)  # past sessions, their feedback to come
    app = create_app()
    settings = Settings(sandbox / "settings.ini")
    settings.set(S.THEME, args.theme)
    window = build_window(sandbox / "library", settings=settings)
    window.setGeometry(0, 0, width // args.scale, height // args.scale)
    window.show()
    window.activateWindow()  # no window manager here: give the window the keyboard ourselves
    c = window.controller
    speech = mic.speak(
        "Based on my background and the skills and experience we discussed, how well do I fit "
        "the profile of the candidate for which you're looking?",
        sandbox / "speech.wav",
    )
    tag = f"{width}x{height}" + (f"-scale{args.scale}" if args.scale != 1 else "")
    tag += f"-{args.theme}" if args.theme != "light" else ""
    ctrl = Qt.KeyboardModifier.ControlModifier

    def grab(widget: QWidget, name: str, page: str) -> None:
        path = args.out / f"{page}-{name}-{tag}.png"  # the dialog alone, as Qt draws it
        widget.grab().save(str(path))
        print(path)

    def dialog_shots() -> None:
        """Every tab of Settings, the deck manager, Restore's confirmation, About, the keyboard
        shortcuts, Empty trash's confirmation, the restart question after a library move and
        the library-in-use wait."""
        from closer_desktop.ui.dialogs.about import show_about
        from closer_desktop.ui.dialogs.settings import SettingsDialog

        settings = SettingsDialog(c, window)
        settings.show()
        for index in range(settings.tabs.count()):
            settings.tabs.setCurrentIndex(index)
            QTest.qWait(300)
            grab(settings, f"tab{index + 1}", "settings")
        settings.close()
        window.open_decks()
        for _ in range(50):  # until its deck is listed (read on the deck manager's thread)
            dialog = window.deck_dialog
            if dialog is not None and dialog.deck is not None and not dialog.busy:
                break
            QTest.qWait(100)
        if window.deck_dialog is not None:
            QTest.qWait(300)
            grab(window.deck_dialog, "manager", "decks")
            window.deck_dialog.close()
        actions = window.library_actions  # File > Restore's confirmation (before any change)
        actions.confirm_restore(Path("closer-backup-2026-12-06.zip"))
        QTest.qWait(300)
        if actions.dialog is not None:
            grab(actions.dialog, "restore", "backup")
            actions.dialog.reject()
            QTest.qWait(100)
            window.toast.dismiss()  # "Cancelled: nothing was changed." stays off the next shots
        about = show_about(window, c.data_dir)
        QTest.qWait(300)
        grab(about, "about", "help")
        about.close()
        window.show_shortcuts()
        QTest.qWait(300)
        shortcuts = QApplication.activeModalWidget()
        if shortcuts is not None:
            grab(shortcuts, "shortcuts", "help")
            shortcuts.close()
        actions.empty_trash()  # the take set aside by the stray Space waits in the trash
        for _ in range(50):  # until the trash is counted (on the library's thread)
            if actions.dialog is not None:
                break
            QTest.qWait(100)
        if actions.dialog is not None:
            QTest.qWait(300)
            grab(actions.dialog, "empty", "trash")
            actions.dialog.reject()
            QTest.qWait(100)
            window.toast.dismiss()
        restart_shot()
        wait_shot()

    def restart_shot() -> None:
        """Settings > Library > Move…'s last question. Nothing is moved: a real move holds
        recording off until a restart, and the run records after this; the message is the
        one a move of this library would give (CopyReport.describe), with its real figures."""
        from closer_desktop.transfer.relocate import CopyReport
        from closer_desktop.ui.dialogs.settings import SettingsDialog

        files = [f for f in c.data_dir.rglob("*") if f.is_file()]
        report = CopyReport(
            source=c.data_dir,
            target=Path.home() / "Documents" / "Closer library",
            files=len(files),
            bytes=sum(f.stat().st_size for f in files),
            takes=sum(1 for f in files if f.suffix in (".wav", ".flac")),
        )
        dialog = SettingsDialog(c, window)
        dialog.show()
        dialog.offer_restart(report.describe())
        QTest.qWait(300)
        grab(dialog.restart_box, "restart", "library")
        no = dialog.restart_box.button(QMessageBox.StandardButton.No)
        if no is not None:
            no.click()  # not now: nothing restarts
        dialog.close()

    def wait_shot() -> None:
        """A second Closer on this library: the lock is really held (by this window), so the
        wait box names it; its Quit button is clicked once the box is grabbed."""
        from closer_desktop.storage.lock import LibraryLock, LibraryLocked
        from closer_desktop.ui.dialogs.library_wait import wait_for_library

        try:
            LibraryLock.acquire(c.data_dir, "Closer").release()
            return  # not held after all: no wait to show
        except LibraryLocked as exc:
            locked = exc

        def grab_and_quit() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                grab(box, "wait", "library")
                quit_button = box.escapeButton()
                if quit_button is not None:
                    quit_button.click()

        QTimer.singleShot(600, grab_and_quit)
        wait_for_library(c.data_dir, locked)  # its own event loop, until Quit

    # The from-memory take is of the deck's last line ("May I have your business card, so I can
    # follow up with you?"): one word changed and one missed, for the line check to mark.
    recalled = mic.speak("Could I have your card, so I can follow up with you?", sandbox / "r.wav")

    def once(condition: Callable[[], bool], action: Callable[[], object]) -> None:
        """Run `action` as soon as `condition` holds (polled on the GUI thread)."""
        timer = QTimer(window)

        def check() -> None:
            if condition():
                timer.stop()
                action()

        timer.timeout.connect(check)
        timer.start(100)

    def interview_run() -> None:
        """Ctrl+R: two answers ended by silence, a shot while the third is said, Esc, the
        debrief; then quit."""
        QTest.keyClick(window, Qt.Key.Key_R, ctrl)
        run = window.interview_run
        assert run is not None

        def answering(index: int) -> Callable[[], bool]:
            return lambda: run.recording and run.index == index

        # Each answer says its own question's line (the debrief then shows real line matches),
        # the first with a word changed, as people do.
        lines = [q.text for q in run.questions[:3]]
        lines[0] = lines[0].replace("discussed", "talked about", 1)
        answers = [mic.speak(line, sandbox / f"answer-{i}.wav") for i, line in enumerate(lines)]

        def say(index: int) -> None:
            mic.play_file(answers[index], wait=False)
            if index < 2:
                once(answering(index + 1), lambda: say(index + 1))
            else:  # stuck on the third: two hints (H), then the shot, then Esc
                hint = partial(QTest.keyClick, window, Qt.Key.Key_H)
                QTimer.singleShot(900, lambda: (hint(), hint()))
                QTimer.singleShot(1500, lambda: (shot("answer", "run"), window._escape_key()))

        once(answering(0), lambda: say(0))
        once(
            lambda: not run.active and window.pages.currentWidget() is window.debrief,
            lambda: QTimer.singleShot(4000, lambda: (shot("close", "debrief"), app.quit())),
        )

    def shot(name: str, page: str = "practice") -> None:
        path = args.out / f"{page}-{name}-{tag}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        print(path)

    steps = [
        (1500, lambda: shot("before")),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (300, lambda: mic.play_file(speech, wait=False)),
        (3000, lambda: shot("during")),
        (6000, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (800, lambda: QTest.keyClick(window, Qt.Key.Key_4)),
        (200, lambda: window.practice.ratings.note.setText("Slow down before “fit the profile”")),
        (300, lambda: shot("after")),
        # Space twice by mistake: the stray take is set aside, with "Keep it" on the toast.
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (400, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (1200, lambda: (shot("toast"), window.toast.dismiss())),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_2)),
        (600, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),  # a second take to compare
        (300, lambda: mic.play_file(speech, wait=False)),
        (6000, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (800, lambda: QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)),
        (1200, lambda: window.history.table.selectRow(0)),
        (1200, lambda: window.history.take_player.seek(3.0)),
        (500, lambda: shot("take", "history")),
        (100, window.history.compare_selected),
        (2000, lambda: window.compare.take_player.seek(2.0)),
        (500, lambda: shot("takes", "compare")),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)),
        (500, lambda: [QTest.keyClick(window, Qt.Key.Key_N) for _ in range(len(c.deck))]),
        (800, lambda: shot("summary")),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_G, ctrl)),
        (1500, lambda: shot("charts", "progress")),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_1, ctrl)),
        (300, lambda: (dialog_shots(), run_steps(memory_steps))),
    ]
    # From memory (the line hidden, a hint, then the take with its line check), then a run.
    memory_steps = [
        (400, window.activateWindow),  # the dialogs took the keyboard (no window manager)
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_M, ctrl)),
        (300, lambda: QTest.keyClick(window, Qt.Key.Key_H)),
        (500, lambda: shot("memory")),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (300, lambda: mic.play_file(recalled, wait=False)),
        (4500, lambda: QTest.keyClick(window, Qt.Key.Key_Space)),
        (9000, lambda: shot("memory-checked")),
        (100, lambda: QTest.keyClick(window, Qt.Key.Key_M, ctrl)),
        (300, interview_run),
    ]

    def run_steps(steps: list[tuple[int, Callable[[], object]]]) -> None:
        delay = 0
        for wait_ms, action in steps:
            delay += wait_ms
            QTimer.singleShot(delay, action)

    run_steps(steps)
    app.exec()
    if window.isVisible():  # quitting closes the windows already (Qt 6)
        window.close()
    mic.stop()
    xvfb.terminate()


if __name__ == "__main__":
    main()
