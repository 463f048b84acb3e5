"""File > Back up, Restore, Export take audio and Edit > Empty trash: their dialogs and flows.

Each flow asks for what it needs (a file, a confirmation), then runs its work off the GUI thread:
library work on the library's own worker (the one thread that owns the database), audio
conversion on the file worker. The status bar shows what runs; the outcome, or the error in
plain words, comes as a message. The storage, zip and audio modules are imported only when a
flow runs, so none of this costs anything at start-up.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from closer_desktop.app import operations as ops
from closer_desktop.domain.text import counted

# The dialog and progress bar classes are imported where they are first used: creating their
# Python types costs a few milliseconds that start-up would otherwise pay.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QProgressBar, QPushButton

    from closer_desktop.domain.practice import Take
    from closer_desktop.storage.library import EmptiedTrash, TrashContents
    from closer_desktop.ui.main_window import MainWindow

BACKUP_FILTER = "Closer backups (*.zip)"
FLAC_FILTER = "FLAC audio (*.flac)"
WAV_FILTER = "WAV audio (*.wav)"
PROGRESS_INTERVAL_S = 0.1  # at most this often does a running job update the status bar
STAGES = {
    "copying": "Backing up your library…",
    "checking": "Checking the backup…",
    "adding": "Adding the restored takes…",
}
NOTHING_TO_EXPORT = (
    "Select a take first: in History, or on the Practice page, then export it (Ctrl+E)."
)


class LibraryActions(QObject):
    """The library's file operations for one main window, one at a time.

    Signals:
        finished(str): a flow ended (or was refused); the level of its last message
            (info, warning or error). Tests wait on it.
    """

    finished = Signal(str)
    _progressed = Signal(str, int, int)  # from a worker thread: (text, done, total)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller  # jobs wait while it records
        self.library = window.library
        self.busy_text: str | None = None  # what runs now, for the status bar and refusals
        self.dialog: QMessageBox | None = None  # the open confirmation, if any
        self._trash_empty: bool | None = None  # None: not looked at yet
        self._close_when_done = False
        self._folder = Path.home()  # where the next file dialog opens
        self._stop_restore: threading.Event | None = None  # set: the running restore stops
        self._cancel_button: QPushButton | None = None  # made by the first restore

        self.export_audio_action = self._action(
            "Export take &audio…",
            self.export_take_audio,
            "Save the selected take as a FLAC or WAV file where you choose",
            "Ctrl+E",
        )
        self.backup_action = self._action(
            "&Back up library…",
            self.back_up,
            "Save every take, rating and note in one zip file",
        )
        self.restore_action = self._action(
            "&Restore from backup…",
            self.restore,
            "Add the takes of a backup to this library (nothing is overwritten)",
        )
        self.empty_trash_action = self._action(
            "Empty &trash…",
            self.empty_trash,
            "Delete the takes in the trash for good",
        )

        self.busy_label = QLabel()
        self.busy_label.setAccessibleName("Running task")
        self.busy_label.hide()
        window.statusBar().addPermanentWidget(self.busy_label)
        self._busy_bar: QProgressBar | None = None  # made by the first job
        self._progressed.connect(self._show_progress)

    def _action(
        self, text: str, slot: Callable[[], None], tip: str, shortcut: str | None = None
    ) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # Busy state ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.busy_text is not None

    def _may_start(self, then: str) -> bool:
        """Refuse (with a message) while recording, while another job runs, or with no library."""
        if self.busy_text is not None:
            return self._refuse("info", f"{self.busy_text} Wait for it to finish, then {then}.")
        if self.controller.is_recording:
            return self._refuse("info", f"Stop recording first (Space), then {then}.")
        if not self.library.library_is_open:
            return self._refuse(
                "warning",
                self.library.library_error
                or "Your library is still opening; try again in a moment.",
            )
        return True

    def _refuse(self, level: str, text: str) -> bool:
        self._report(level, text)
        return False

    @property
    def busy_bar(self) -> QProgressBar:
        """The status bar's progress bar for a running job."""
        if self._busy_bar is None:
            from PySide6.QtWidgets import QProgressBar

            self._busy_bar = QProgressBar()
            self._busy_bar.setAccessibleName("Progress of the running task")
            self._busy_bar.setMaximumWidth(160)
            self._busy_bar.setTextVisible(False)
            self._busy_bar.hide()
            self.window.statusBar().addPermanentWidget(self._busy_bar)
        return self._busy_bar

    def _begin(self, text: str, holds_recording: bool) -> None:
        self.busy_text = text
        self.busy_label.setText(text)
        self.busy_bar.setRange(0, 0)  # "working" until a count arrives
        self.busy_label.show()
        self.busy_bar.show()
        if holds_recording:
            self.library.set_library_busy(text)
        self._update_enabled()

    def _end(self, level: str, text: str) -> None:
        held = self.library.library_busy is not None
        self.busy_text = None
        self.busy_label.hide()
        self._stop_restore = None
        if self._cancel_button is not None:
            self._cancel_button.hide()
        if self._busy_bar is not None:
            self._busy_bar.hide()
        if held:
            self.library.set_library_busy(None)
        self._update_enabled()
        self._report(level, text)
        if self._close_when_done:
            QTimer.singleShot(0, self.window.close)

    def _report(self, level: str, text: str) -> None:
        self.window.show_message(level, text)
        self.finished.emit(level)

    def _update_enabled(self) -> None:
        idle = self.busy_text is None
        for action in (self.backup_action, self.restore_action, self.export_audio_action):
            action.setEnabled(idle)
        self.empty_trash_action.setEnabled(idle and self._trash_empty is not True)

    def _progress_reporter(self) -> Callable[[str, int, int], None]:
        """A progress callback for the worker: throttled, and delivered on the GUI thread."""
        last = [0.0]

        def report(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if done < total and now - last[0] < PROGRESS_INTERVAL_S:
                return
            last[0] = now
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self._progressed.emit(STAGES.get(stage, "Working…"), done, total)

        return report

    @Slot(str, int, int)
    def _show_progress(self, text: str, done: int, total: int) -> None:
        if self.busy_text is None:
            return
        self.busy_label.setText(f"{text} {done} of {total} files")
        self.busy_bar.setRange(0, max(total, 1))
        self.busy_bar.setValue(done)

    def defer_close(self) -> bool:
        """True while a job runs: the window then closes once it is done, never in its middle."""
        if self.busy_text is None:
            return False
        if not self._close_when_done:
            self._close_when_done = True
            if self._stop_restore is not None:  # a restore can stop at once, leaving nothing
                self.cancel_restore()
                self.window.show_message(
                    "info", "Stopping the restore… Closer will quit as soon as it has stopped."
                )
                return True
            self.window.show_message(
                "info", f"{self.busy_text} Closer will quit as soon as it is finished."
            )
        return True

    def cancel_restore(self) -> None:
        """Ask the running restore to stop; it then takes back whatever it had added."""
        if self._stop_restore is not None:
            self._stop_restore.set()
            self.busy_label.setText("Stopping the restore…")
            if self._cancel_button is not None:
                self._cancel_button.setEnabled(False)

    @property
    def cancel_button(self) -> QPushButton:
        """The status bar's Cancel button, shown while a restore runs."""
        if self._cancel_button is None:
            from PySide6.QtWidgets import QPushButton

            self._cancel_button = QPushButton("Cancel")
            self._cancel_button.setAccessibleName("Cancel the restore")
            self._cancel_button.setToolTip("Stop restoring; nothing of the backup is kept")
            self._cancel_button.clicked.connect(self.cancel_restore)
            self._cancel_button.hide()
            self.window.statusBar().addPermanentWidget(self._cancel_button)
        return self._cancel_button

    # Backup --------------------------------------------------------------------------------

    def back_up(self) -> None:
        """Ask where, then write the whole library to one zip on the library's thread."""
        if not self._may_start("back up"):
            return
        from PySide6.QtWidgets import QFileDialog

        suggested = self._folder / f"closer-backup-{date.today():%Y-%m-%d}.zip"
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, "Back up library", str(suggested), BACKUP_FILTER
        )
        if not chosen:
            return
        archive = Path(chosen)
        if archive.suffix.lower() != ".zip":  # the dialog confirmed replacing the name typed only
            archive = _unused(archive.with_name(archive.name + ".zip"))
        self._folder = archive.parent
        self.run_backup(archive)

    def run_backup(self, archive: Path) -> None:
        if not self._may_start("back up"):
            return
        progress = self._progress_reporter()

        def done(summary: Any) -> None:
            text = (
                f"Backed up {counted(summary.takes, 'take')} in "
                f"{counted(summary.sessions, 'session')} ({_size(summary.bytes_written)}) "
                f"to {summary.archive}."
            )
            if summary.missing_audio:
                text += (
                    f" {counted(summary.missing_audio, 'take')} had no audio file to copy; "
                    "their ratings and notes are in the backup."
                )
            if summary.skipped:  # a link or a named pipe where a take was: never followed
                text += (
                    f" Left out {counted(len(summary.skipped), 'file')} that "
                    f"{'is' if len(summary.skipped) == 1 else 'are'} not a plain file (a link, "
                    f"a named pipe or a device): {', '.join(summary.skipped[:3])}"
                    f"{', …' if len(summary.skipped) > 3 else ''}."
                )
            if summary.missing_audio or summary.skipped:
                self._end("warning", text)
            else:
                self._end("info", text)

        self._begin("Backing up your library…", holds_recording=True)
        ops.back_up(archive, progress).run(
            self.library, done, lambda exc: self._failed("backup", exc)
        )

    # Restore -------------------------------------------------------------------------------

    def restore(self) -> None:
        """Ask for a backup, say what restoring does, then merge it in on the library's thread."""
        if not self._may_start("restore"):
            return
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Restore from backup", str(self._folder), f"{BACKUP_FILTER};;All files (*)"
        )
        if not chosen:
            return
        archive = Path(chosen)
        self._folder = archive.parent
        self.confirm_restore(archive)

    def confirm_restore(self, archive: Path) -> None:
        """Say what restoring `archive` does; restore it once confirmed."""
        self._confirm(
            "Restore from backup",
            f"Add the takes in “{archive.name}” to your library?",
            "Restoring merges: takes from the backup that this library does not have yet are "
            "added, with their ratings, notes and audio. Nothing is overwritten or deleted, and "
            "restoring the same backup again adds nothing. The whole backup is checked before "
            "anything is written.",
            "Restore",
            False,
            lambda: self.run_restore(archive),
        )

    def run_restore(self, archive: Path) -> None:
        if not self._may_start("restore"):
            return
        progress = self._progress_reporter()
        stop = threading.Event()

        def done(summary: Any) -> None:
            parts = [f"Restored {counted(summary.takes_added, 'take')} from {archive.name}"]
            if summary.takes_skipped:
                already = "was" if summary.takes_skipped == 1 else "were"
                parts.append(f"{counted(summary.takes_skipped, 'take')} {already} already here")
            if summary.files_renamed:
                parts.append(
                    f"{counted(summary.files_renamed, 'audio file')} renamed so that none was "
                    "overwritten"
                )
            if summary.takes_without_audio:
                parts.append(f"{counted(summary.takes_without_audio, 'take')} came without audio")
            self._end("info", "; ".join(parts) + ".")  # takes added: the lists reload

        self._begin("Restoring from the backup…", holds_recording=True)
        self._stop_restore = stop
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        ops.restore(archive, progress, stop.is_set).run(
            self.library, done, lambda exc: self._failed("restore", exc)
        )

    def _failed(self, what: str, exc: BaseException) -> None:
        from closer_desktop.transfer.restore import PartialRestoreError, RestoreCancelled

        detail = _sentence(_describe(exc))
        if isinstance(exc, RestoreCancelled):
            self._end("info", "Restore cancelled: nothing of the backup was added.")
        elif isinstance(exc, PartialRestoreError):  # the takes are in; say so
            self._end("warning", detail)
            self.library.notify_library_changed()
        elif what == "restore":
            self._end("error", f"Nothing was restored. {detail}")
        else:
            self._end("error", f"The backup was not made. {detail}")

    # Export take audio ---------------------------------------------------------------------

    def export_take_audio(self) -> None:
        """Export the take in view (History's selection, else the practice page's take)."""
        take = self.window.take_in_view()
        if take is None:
            self._report("info", NOTHING_TO_EXPORT)
            return
        if not self._may_start("export the take"):
            return

        def found(result: tuple[Take | None, int]) -> None:
            current, number = result
            if current is None:
                self._report("warning", "That take is no longer in your library.")
            else:
                self._ask_export(current, number)

        ops.find_take(take.deck_id, take.question_id, take.id).run(
            self.library,
            found,
            lambda exc: self._report("error", f"The take cannot be read: {exc}"),
        )

    def _ask_export(self, take: Take, number: int) -> None:
        from PySide6.QtWidgets import QFileDialog

        from closer_desktop.audio.convert import readable_take_name

        if not self._may_start("export the take"):
            return
        name = readable_take_name(take.question_text, take.recorded_at, number, "flac")
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self.window,
            "Export take audio",
            str(self._folder / name),
            f"{FLAC_FILTER};;{WAV_FILTER}",
            FLAC_FILTER,
        )
        if not chosen:
            return
        destination = Path(chosen)
        suffix = destination.suffix.lower()
        if suffix in (".flac", ".wav"):
            fmt = suffix[1:]
        else:  # the dialog confirmed replacing the name typed only, not this one
            fmt = "wav" if chosen_filter == WAV_FILTER else "flac"
            destination = _unused(destination.with_name(f"{destination.name}.{fmt}"))
        self._folder = destination.parent
        self.run_export(take, destination, fmt)

    def run_export(self, take: Take, destination: Path, fmt: str) -> None:
        source = self.controller.data_dir / take.audio_path

        def work() -> Path:
            from closer_desktop.audio.convert import export_take_audio

            return export_take_audio(source, destination, fmt)

        def failed(exc: BaseException) -> None:
            self._end("error", f"The take was not exported. {_sentence(_describe(exc))}")

        self._begin(f"Exporting the take as {fmt.upper()}…", holds_recording=False)
        self.controller.files.run(
            work, lambda path: self._end("info", f"Take exported to {path}"), failed
        )

    # Empty trash ---------------------------------------------------------------------------

    def refresh_trash_state(self) -> None:
        """Look at the trash (on the library's thread) and label the action with what is in it."""
        if not self.library.library_is_open or self.busy_text is not None:
            return
        ops.trash_contents().run(self.library, self._show_trash)

    def _show_trash(self, contents: TrashContents) -> None:
        self._trash_empty = contents.takes == 0
        if self._trash_empty:
            self.empty_trash_action.setText("Trash is empty")
        else:
            self.empty_trash_action.setText(
                f"Empty &trash ({counted(contents.takes, 'take')}, {_size(contents.bytes)})…"
            )
        self._update_enabled()

    def empty_trash(self) -> None:
        """Say how many takes and how much space, then delete them for good once confirmed."""
        if not self._may_start("empty the trash"):
            return

        def looked(contents: TrashContents) -> None:
            self._show_trash(contents)
            if not contents.takes:
                self._report("info", "The trash is empty: there is nothing to delete.")
                return
            if not self._may_start("empty the trash"):
                return
            takes = counted(contents.takes, "take")
            self._confirm(
                "Empty trash",
                f"Delete the {takes} in the trash for good?",
                f"This frees {_size(contents.bytes)}: the audio files are deleted from the "
                "trash folder inside your data folder, with the takes' ratings and notes. "
                "It cannot be undone. Takes that are not in the trash are not touched.",
                "Delete for good",
                True,
                lambda: self.run_empty_trash(contents.take_ids),
            )

        ops.trash_contents().run(self.library, looked)

    def run_empty_trash(self, take_ids: tuple[int, ...]) -> None:
        if not self._may_start("empty the trash"):
            return

        def done(emptied: EmptiedTrash) -> None:
            self._trash_empty = not emptied.failed
            text = (
                f"Deleted {counted(len(emptied.removed), 'take')} from the trash "
                f"({_size(emptied.bytes_freed)} freed)."
            )
            if emptied.failed:
                _, reason = emptied.failed[0]
                text += (
                    f" {counted(len(emptied.failed), 'take')} could not be deleted and "
                    f"{'stays' if len(emptied.failed) == 1 else 'stay'} in the trash ({reason})."
                )
            self._end("warning" if emptied.failed else "info", text)
            self.refresh_trash_state()  # takes removed: the lists reload (the Change)

        self._begin("Emptying the trash…", holds_recording=True)
        ops.empty_trash(take_ids).run(
            self.library,
            done,
            lambda exc: self._end("error", f"The trash was not emptied. {_sentence(str(exc))}"),
        )

    # Dialogs -------------------------------------------------------------------------------

    def _confirm(
        self,
        title: str,
        text: str,
        details: str,
        verb: str,
        destructive: bool,
        on_confirm: Callable[[], None],
    ) -> None:
        """Open a window-modal question; `on_confirm` runs only when the `verb` button is chosen.

        The box is kept in `self.dialog` while it is open.
        """
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self.window)
        box.setWindowTitle(title)
        box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
        role = (
            QMessageBox.ButtonRole.DestructiveRole
            if destructive
            else QMessageBox.ButtonRole.AcceptRole
        )
        box.setText(text)
        box.setInformativeText(details)
        confirm = box.addButton(verb, role)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter never deletes or merges by accident
        box.setEscapeButton(cancel)

        def closed(_: int) -> None:
            # Decided by the button, not the result code (opaque for custom buttons).
            if self.dialog is box:
                self.dialog = None
            chosen = box.clickedButton() is confirm
            box.deleteLater()
            if chosen:
                on_confirm()
            else:
                self._report("info", "Cancelled: nothing was changed.")

        box.finished.connect(closed)
        self.dialog = box
        box.open()


def _size(n: int) -> str:
    """Bytes as a person reads them: 812 bytes, 14 KB, 3.2 MB, 1.05 GB."""
    if n < 1000:
        return f"{n} bytes"
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        value = n / scale
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if value >= 100 or unit == "KB" else f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def _unused(path: Path) -> Path:
    """`path`, or "name (2).ext", "name (3).ext"... when a file of that name is already there."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
    return candidate


def _describe(exc: BaseException) -> str:
    """An error in words: an OSError as "file: reason" rather than "[Errno 13] ..."."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
