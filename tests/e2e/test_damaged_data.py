"""Damaged, missing, foreign or unwritable data, through the real window: the app starts, says
what it found in plain words, and never deletes or overwrites anything to "fix" it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.database import SCHEMA_VERSION
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.take_player import MISSING_TEXT
from tests.support.filesystems import remount

DECK = load_deck(default_deck_path())


def library_with_takes(data_dir: Path, count: int = 2) -> list[str]:
    """`count` rated takes of the first question; returns their audio paths, oldest first."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    paths = []
    for n in range(count):
        take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
        soundfile.write(library.audio_file(take), np.full(8000, 0.1, dtype=np.float32), 16000)
        library.finish_take(take.id, 0.5, 16000)
        library.set_rating(take.id, RatingScale.PROFESSIONALISM, 2 + n)
        paths.append(take.audio_path)
    library.close()
    return paths


def files_of(data_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def test_a_damaged_database_is_set_aside_and_the_library_rebuilt(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_takes(data_dir)
    database = data_dir / "closer.sqlite3"
    damaged = database.read_bytes()[:5000]  # truncated
    database.write_bytes(damaged)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 2, timeout=10000)
    (copy,) = data_dir.glob("closer.sqlite3.damaged-*")
    assert copy.read_bytes() == damaged
    text = window.message_label.text()
    assert "damaged" in text and copy.name in text and "rebuilt" in text
    assert window.message_label.isVisible()
    assert QApplication.activeModalWidget() is None
    assert [t.professionalism for t in c.takes] == [2, 3]  # ratings came back with the audio
    assert c.library.library_error is None


def test_a_newer_library_is_refused_untouched_with_a_clear_message(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_takes(data_dir, 1)
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = files_of(data_dir)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.library.library_error is not None, timeout=10000)
    text = window.message_label.text()
    assert "newer version of Closer" in text and "not changed" in text
    assert not c.can_record
    window.close()
    assert files_of(data_dir) == before


def test_a_read_only_data_folder_is_refused_with_a_clear_message(
    qtbot: QtBot, open_window: Any, tmpfs: Any
) -> None:
    data_dir = tmpfs(8 * 1024 * 1024) / "library"
    library_with_takes(data_dir, 1)
    remount(data_dir.parent, read_only=True)
    before = files_of(data_dir)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: c.library.library_error is not None, timeout=10000)
    text = window.message_label.text()
    assert "cannot be written" in text and "untouched" in text
    assert "Recording is off" in text
    qtbot.keyClick(window, Qt.Key.Key_Space)  # nothing happens but a message
    assert not c.is_recording
    window.close()
    assert files_of(data_dir) == before


def test_a_missing_audio_file_is_shown_as_missing_and_the_player_says_so(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    paths = library_with_takes(data_dir)
    (data_dir / paths[1]).unlink()  # the latest take's file is gone
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 2, timeout=10000)
    assert c.current_take is not None and c.current_take.audio_missing
    assert "audio file missing" in window.practice.take_list.item(0).text()  # newest on top
    assert "audio file missing" not in window.practice.take_list.item(1).text()
    player = window.practice.take_player
    assert player.time_label.text() == MISSING_TEXT
    assert not player.play_button.isEnabled()
    qtbot.waitUntil(lambda: "missing" in window.message_label.text(), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_P)  # nothing to play, nothing breaks
    assert not c.player.is_playing

    window.show_history()
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    assert history.model.index(0, 2).data() == "missing"
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: "audio file missing" in history.detail_title.text(), timeout=5000)
    assert history.take_player.time_label.text() == MISSING_TEXT


def test_a_take_whose_file_is_not_audio_gives_a_message_not_a_crash(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    paths = library_with_takes(data_dir, 1)
    (data_dir / paths[0]).write_bytes(b"RIFF....WAVEfmt but then nothing sensible" * 10)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    qtbot.waitUntil(lambda: window.practice.take_list.count() == 1, timeout=10000)
    qtbot.waitUntil(lambda: "cannot be read" in window.message_label.text(), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert not c.player.is_playing
    window.practice.take_player.waveform.repaint()  # type: ignore[union-attr]


def test_a_stray_file_with_an_audio_name_is_listed_and_kept(
    qtbot: QtBot, open_window: Any, data_dir: Path
) -> None:
    library_with_takes(data_dir, 1)
    stray = data_dir / "audio" / "someone-put-this-here.wav"
    stray.write_bytes(b"\x00\x01" * 3000)
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: "cannot be read as audio" in window.message_label.text(), timeout=10000)
    assert "someone-put-this-here.wav" in window.message_label.text()
    assert stray.read_bytes() == b"\x00\x01" * 3000
