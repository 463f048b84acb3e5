"""File > Back up / Restore / Export take audio and Edit > Empty trash, on real libraries and files.

Only the file dialogs' static functions are replaced (they would wait for a person); everything
else is the real window, the real workers, SQLite and the files on disk.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from closer_desktop.audio.convert import readable_take_name
from closer_desktop.audio.peaks import PeakCache, cache_dir_for
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.transfer.backup import create_backup
from closer_desktop.transfer.restore import restore_backup
from closer_desktop.ui.actions.library import WAV_FILTER, LibraryActions
from closer_desktop.ui.main_window import MainWindow
from tests.support.virtual_mic import VirtualMic

DECK = load_deck(default_deck_path())
TZ = timezone(timedelta(hours=1))
RATE = 16000


def tone(seed: int, seconds: float = 0.5) -> np.ndarray:
    """A short int16 signal that differs per take (so a mix-up would show)."""
    t = np.arange(int(seconds * RATE)) / RATE
    rng = np.random.default_rng(seed)
    signal = 0.3 * np.sin(2 * np.pi * (220 + 40 * seed) * t) + 0.01 * rng.standard_normal(t.size)
    return (signal * 32767).astype(np.int16)


def add_take(
    library: Library, session: int, question: int, when: datetime, seed: int, note: str = ""
) -> int:
    take = library.begin_take(session, DECK.id, DECK.questions[question], RATE, when)
    soundfile.write(library.audio_file(take), tone(seed), RATE, subtype="PCM_16")
    library.finish_take(take.id, 0.5, RATE)
    library.set_rating(take.id, RatingScale.CLARITY, 1 + seed % 5)
    library.set_note(take.id, note)
    return take.id


def build(data_dir: Path, questions: list[int], day: int = 20, seed: int = 0) -> list[int]:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    ids = [
        add_take(
            library,
            session,
            q,
            datetime(2026, 11, day, 9, n, tzinfo=TZ),
            seed + n,
            note=f"take {n}",
        )
        for n, q in enumerate(questions)
    ]
    library.close()
    return ids


def open_ready(qtbot: QtBot, open_window: Any, data_dir: Path) -> MainWindow:
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.library.library_is_open and not c.library.runner.busy, timeout=10000)
    return window


def finish(qtbot: QtBot, actions: LibraryActions, trigger: Any) -> str:
    """Run `trigger()` and wait for the flow to end; returns the level of its last message."""
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        trigger()
    level: str = blocker.args[0]
    return level


def confirm(qtbot: QtBot, actions: LibraryActions, verb: str) -> str:
    """Click `verb` in the open confirmation; returns the level of the flow's last message."""
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
    box = actions.dialog
    assert box is not None
    button = next(b for b in box.buttons() if b.text() == verb)
    return finish(qtbot, actions, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton))


def menu(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        found = action.menu()
        if isinstance(found, QMenu) and found.title().replace("&", "") == title:
            return found
    raise AssertionError(f"no {title} menu")


def library_state(data_dir: Path) -> dict[str, Any]:
    """Every take (by uid: ratings, note, trash, audio bytes) and every file of a library."""
    library = Library(data_dir)
    try:
        rows = library.db.execute(
            "SELECT uid, question_id, recorded_at, professionalism, clarity, note, "
            "trashed_at IS NOT NULL AS trashed, audio_path FROM takes"
        ).fetchall()
        takes = {}
        for row in rows:
            where = data_dir / ("trash/" if row["trashed"] else "") / row["audio_path"]
            values = dict(row)
            values.pop("audio_path")
            values["audio"] = where.read_bytes()
            takes[row["uid"]] = values
    finally:
        library.close()
    return takes


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith("closer.sqlite3")
    }


def test_backup_from_the_menu_writes_an_archive_that_restores_the_same_library(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = build(data_dir, [0, 0, 2])
    library = Library(data_dir)
    library.trash_take(ids[1])  # trashed takes are backed up too
    library.close()
    older = tmp_path / "backups" / "my backup.zip"  # "my backup" + ".zip" must not replace it
    older.parent.mkdir()
    older.write_bytes(b"last week's backup")
    window = open_ready(qtbot, open_window, data_dir)
    actions = window.library_actions
    asked: list[str] = []

    def save_as(parent: object, title: str, suggested: str, filters: str, *_: object) -> Any:
        asked.append(suggested)
        return str(tmp_path / "backups" / "my backup"), filters  # no suffix typed

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    assert actions.backup_action in menu(window, "File").actions()
    assert actions.restore_action in menu(window, "File").actions()

    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.backup_action.trigger()
        # While it runs: a second job and recording both wait, and the status bar says so.
        assert not actions.restore_action.isEnabled()
        assert window.controller.record_blocker == "Backing up your library…"
        assert not window.controller.can_record
        assert actions.busy_label.isVisible() and actions.busy_bar.isVisible()
    assert blocker.args == ["info"]
    assert Path(asked[0]).name == f"closer-backup-{date.today():%Y-%m-%d}.zip"
    archive = tmp_path / "backups" / "my backup (2).zip"
    assert zipfile.is_zipfile(archive)
    assert older.read_bytes() == b"last week's backup"
    assert re.search(
        r"Backed up 3 takes in 1 session \(.*\) to .*my backup \(2\)\.zip",
        window.message_label.text(),
    )
    assert window.controller.record_blocker != "Backing up your library…"
    assert not actions.busy_bar.isVisible()
    assert actions.restore_action.isEnabled()

    fresh = tmp_path / "fresh"
    summary = restore_backup(archive, fresh)
    assert summary.takes_added == 3
    assert library_state(fresh) == library_state(data_dir)


def test_restore_from_the_menu_merges_and_history_and_practice_show_the_new_takes(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other-computer"
    every_question = list(range(len(DECK.questions)))
    build(other, every_question, day=10, seed=10)  # a take for whichever question is shown
    archive = tmp_path / "from-the-other-computer.zip"
    create_backup(other, archive)
    build(data_dir, [1, 3], day=25)
    window = open_ready(qtbot, open_window, data_dir)
    c = window.controller
    actions = window.library_actions
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    before_here = len(c.takes)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_: (str(archive), "Closer backups (*.zip)")
    )

    # Cancelling the confirmation changes nothing.
    actions.restore_action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None)
    assert actions.dialog is not None
    assert "Nothing is overwritten" in actions.dialog.informativeText()
    assert confirm(qtbot, actions, "Cancel") == "info"
    assert "Cancelled" in window.message_label.text()
    assert len(library_state(data_dir)) == 2

    actions.restore_action.trigger()
    assert confirm(qtbot, actions, "Restore") == "info"
    total = 2 + len(DECK.questions)
    assert (
        f"Restored {len(DECK.questions)} takes from {archive.name}" in window.message_label.text()
    )
    qtbot.waitUntil(lambda: history.model.rowCount() == total, timeout=5000)
    assert history.count_label.text() == f"{total} takes"
    # The practice page lists the restored take of its question too.
    qtbot.waitUntil(lambda: len(c.takes) == before_here + 1, timeout=5000)
    restored_uids = set(library_state(other))
    assert any(t.uid in restored_uids for t in c.takes)
    assert set(library_state(data_dir)) >= restored_uids

    actions.restore_action.trigger()  # the same backup again adds nothing
    assert confirm(qtbot, actions, "Restore") == "info"
    assert (
        f"Restored 0 takes from {archive.name}; {len(DECK.questions)} takes were already here"
        in window.message_label.text()
    )
    assert len(library_state(data_dir)) == total


def test_a_damaged_backup_shows_the_error_and_writes_nothing(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    build(other, [0, 1, 2], seed=3)
    archive = tmp_path / "damaged.zip"
    create_backup(other, archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # damage inside the audio
    archive.write_bytes(bytes(data))
    build(data_dir, [4])
    window = open_ready(qtbot, open_window, data_dir)  # its lock file is made as it opens
    before_takes = library_state(data_dir)
    before_files = files_of(data_dir)
    actions = window.library_actions
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_: (str(archive), "Closer backups (*.zip)")
    )

    actions.restore_action.trigger()
    assert confirm(qtbot, actions, "Restore") == "error"
    text = window.message_label.text()
    assert text.startswith("Nothing was restored.")
    assert "damaged.zip" in text and "nothing was written" in text
    assert re.search(r"checksum|damaged|truncated", text)
    assert window.message_label.property("level") == "error"
    assert window.controller.record_blocker != "Restoring from the backup…"
    assert library_state(data_dir) == before_takes
    assert files_of(data_dir) == before_files


def test_export_take_audio_writes_flac_and_wav_under_a_readable_name(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(data_dir, list(range(len(DECK.questions))) * 2)  # two takes of every question
    window = open_ready(qtbot, open_window, data_dir)
    c = window.controller
    actions = window.library_actions
    qtbot.waitUntil(lambda: c.current_take is not None and len(c.takes) == 2, timeout=5000)
    take = c.current_take
    assert take is not None and take is c.takes[1]
    original, _ = soundfile.read(data_dir / take.audio_path, dtype="int16")
    out = tmp_path / "exports"
    out.mkdir()
    asked: list[tuple[str, str]] = []

    def save_as(parent: object, title: str, suggested: str, filters: str, chosen: str) -> Any:
        asked.append((suggested, filters))
        return str(out / Path(suggested).name), chosen  # the suggested name, FLAC

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    level = finish(
        qtbot,
        actions,
        lambda: qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
    )
    assert level == "info"
    suggested, filters = asked[0]
    name = Path(suggested).name
    when = take.recorded_at
    assert name == readable_take_name(take.question_text, when, 2, "flac")
    assert name.startswith(f"{when:%Y-%m-%d %H%M} - ") and name.endswith(" - take 2.flac")
    assert "FLAC" in filters and "WAV" in filters
    flac = out / name
    info = soundfile.info(str(flac))
    assert (info.format, info.subtype, info.samplerate) == ("FLAC", "PCM_16", RATE)
    assert np.array_equal(soundfile.read(flac, dtype="int16")[0], original)
    assert str(flac) in window.message_label.text()

    # From History: the selected take, as WAV, with the format taken from the filter.
    window.show_history()
    history = window.history
    assert actions.export_audio_action in history.table.actions()  # also its context menu
    qtbot.waitUntil(lambda: history.model.rowCount() > 0, timeout=5000)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.selected_take() is not None)
    chosen = history.selected_take()
    assert chosen is not None
    expected, _ = soundfile.read(data_dir / chosen.audio_path, dtype="int16")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_: (str(out / "for my coach"), WAV_FILTER)
    )
    assert finish(qtbot, actions, actions.export_audio_action.trigger) == "info"
    wav = out / "for my coach.wav"
    info = soundfile.info(str(wav))
    assert (info.format, info.subtype) == ("WAV", "PCM_16")
    assert np.array_equal(soundfile.read(wav, dtype="int16")[0], expected)
    assert "for my coach.wav" in window.message_label.text()

    # A place that cannot be written: the reason is shown and nothing is left behind.
    blocked = out / "a file, not a folder"
    blocked.write_bytes(b"")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(blocked / "take.flac"), ""))
    assert finish(qtbot, actions, actions.export_audio_action.trigger) == "error"
    assert window.message_label.text().startswith("The take was not exported.")
    assert "Not a directory" in window.message_label.text()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [name, "for my coach.wav", "a file, not a folder"]
    )


def test_export_with_no_take_in_view_says_what_to_do(
    qtbot: QtBot, open_window: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(data_dir, [5])
    window = open_ready(qtbot, open_window, data_dir)
    window.show_history()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: pytest.fail("no dialog"))
    actions = window.library_actions
    assert finish(qtbot, actions, actions.export_audio_action.trigger) == "info"
    assert "Select a take first" in window.message_label.text()


def test_empty_trash_asks_then_removes_only_trashed_takes_and_their_peaks(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    kept, trashed_here, trashed_in_history = build(data_dir, [0, 1, 2])
    library = Library(data_dir)
    library.trash_take(trashed_here)
    cache = PeakCache(cache_dir_for(data_dir))
    for take_id in (kept, trashed_here):
        take = library.take_including_unfinished(take_id)
        folder = data_dir / ("trash" if take_id == trashed_here else "")
        cache.get_or_compute(folder / take.audio_path, 100)
    kept_audio = library.audio_file(library.take(kept))
    library.close()
    kept_entry, trashed_entry = sorted(
        cache.cache_dir.glob("*.npz"), key=lambda f: f.stat().st_mtime_ns
    )
    window = open_ready(qtbot, open_window, data_dir)
    c = window.controller
    actions = window.library_actions

    # One more through History's Delete button, as a person would.
    window.show_history()
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    row = next(i for i, t in enumerate(history.model.takes) if t.id == trashed_in_history)
    history.table.selectRow(row)
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    trash_files = sorted((data_dir / "trash").rglob("*.wav"))
    assert len(trash_files) == 2
    size = sum(f.stat().st_size for f in trash_files)
    elsewhere = PeakCache(tmp_path / "other-cache")  # which cache names the trashed files get
    for file in trash_files:
        copy = tmp_path / "copies" / file.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(file.read_bytes())
        elsewhere.get_or_compute(copy, 100)
    trashed_keys = {f.name.split("-")[0] for f in elsewhere.cache_dir.glob("*.npz")}
    assert len(trashed_keys) == 2 and trashed_entry.name.split("-")[0] in trashed_keys
    assert kept_entry.name.split("-")[0] not in trashed_keys

    def cached_for_trashed() -> list[Path]:
        return [f for f in cache.cache_dir.glob("*.npz") if f.name.split("-")[0] in trashed_keys]

    edit_menu = menu(window, "Edit")
    assert actions.empty_trash_action in edit_menu.actions()
    edit_menu.aboutToShow.emit()  # opening the menu labels the action with what is in the trash
    qtbot.waitUntil(lambda: "2 takes" in actions.empty_trash_action.text(), timeout=5000)
    assert f"{size / 1000:.0f} KB" in actions.empty_trash_action.text()

    actions.empty_trash_action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
    assert actions.dialog is not None
    assert actions.dialog.text() == "Delete the 2 takes in the trash for good?"
    assert f"{size / 1000:.0f} KB" in actions.dialog.informativeText()
    assert actions.dialog.defaultButton() is actions.dialog.button(
        QMessageBox.StandardButton.Cancel
    )
    assert confirm(qtbot, actions, "Cancel") == "info"
    assert all(f.exists() for f in trash_files)
    assert {t for t in library_state(data_dir)} and len(library_state(data_dir)) == 3
    assert kept_entry.exists() and trashed_entry.exists()

    actions.empty_trash_action.trigger()
    assert confirm(qtbot, actions, "Delete for good") == "info"
    assert f"Deleted 2 takes from the trash ({size / 1000:.0f} KB freed)." in (
        window.message_label.text()
    )
    assert not any(f.exists() for f in trash_files)
    assert kept_audio.exists()
    state = library_state(data_dir)
    assert len(state) == 1 and not next(iter(state.values()))["trashed"]
    assert cached_for_trashed() == []  # the deleted takes' peaks are dropped
    assert kept_entry.exists()  # the kept take's stay
    qtbot.waitUntil(lambda: actions.empty_trash_action.text() == "Trash is empty", timeout=5000)
    assert not actions.empty_trash_action.isEnabled()
    assert c.record_blocker != "Emptying the trash…"

    # Undoing the delete now says plainly that the take is gone.
    window.activateWindow()  # the closed question box handed activation back (no WM here)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "no longer in the library" in window.message_label.text(), timeout=5000)

    assert finish(qtbot, actions, actions.empty_trash) == "info"  # asked directly: says so
    assert "The trash is empty" in window.message_label.text()


@pytest.mark.real_audio
def test_backup_and_restore_wait_until_the_take_is_recorded(
    qtbot: QtBot,
    open_window: Any,
    virtual_mic: VirtualMic,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_ready(qtbot, open_window, data_dir)
    c = window.controller
    actions = window.library_actions
    qtbot.waitUntil(lambda: c.can_record, timeout=10000)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: pytest.fail("no dialog"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: pytest.fail("no dialog"))
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.recorder.is_active, timeout=5000)
    for action in (actions.backup_action, actions.restore_action, actions.empty_trash_action):
        assert finish(qtbot, actions, action.trigger) == "info"
        assert window.message_label.text().startswith("Stop recording first (Space)")
    virtual_mic.play_file(virtual_mic.speak("Thank you.", tmp_path / "t.wav"))  # an answer
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not c.is_recording and not c.library.runner.busy, timeout=10000)
    assert len(c.takes) == 1  # the take was saved, untouched by the refused jobs


def test_closing_during_a_backup_waits_for_it(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(data_dir, [0, 1])
    window = open_ready(qtbot, open_window, data_dir)
    archive = tmp_path / "at-exit.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(archive), ""))
    window.library_actions.backup_action.trigger()
    window.close()
    assert window.isVisible()  # still backing up: the window stays until it is done
    assert "quit as soon as it is finished" in window.message_label.text()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert zipfile.is_zipfile(archive)
    restore_backup(archive, tmp_path / "check")
    assert len(library_state(tmp_path / "check")) == 2
