"""The app's restore can be stopped: its Cancel button, or quitting, stop it mid-way and leave the
library as it was (before, quitting waited for a restore that could run for ever)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from closer_desktop.transfer.backup import create_backup
from closer_desktop.ui.actions.library import LibraryActions
from tests.transfer.test_backup import entry, read_archive, write_archive
from tests.ui.actions.test_library import build, files_of, library_state, open_ready


def long_archive(tmp_path: Path) -> Path:
    """A real backup plus thousands of small members: seconds of unpacking to stop in."""
    other = tmp_path / "other"
    build(other, [0, 1, 2], seed=5)
    good = tmp_path / "good.zip"
    create_backup(other, good)
    files, manifest = read_archive(good)
    extra = {f"audio/2026-02/{n}.wav": b"RIFF %d" % n for n in range(6000)}
    manifest["files"] += [entry(name, data) for name, data in extra.items()]
    archive = tmp_path / "long.zip"
    write_archive(archive, {**files, **extra}, manifest)
    return archive


def start_restore(qtbot: QtBot, actions: LibraryActions) -> None:
    actions.restore_action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
    assert actions.dialog is not None
    button = next(b for b in actions.dialog.buttons() if b.text() == "Restore")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.cancel_button.isVisible(), timeout=5000)


def no_workspace_left(data_dir: Path) -> bool:
    return not [
        p for p in [*data_dir.iterdir(), *data_dir.parent.iterdir()] if ".closer-" in p.name
    ]


def test_cancel_stops_the_restore_and_keeps_the_library_as_it_was(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = long_archive(tmp_path)
    build(data_dir, [4])
    before_takes, before_files = library_state(data_dir), files_of(data_dir)
    window = open_ready(qtbot, open_window, data_dir)
    actions = window.library_actions
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: (str(archive), ""))

    start_restore(qtbot, actions)
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        qtbot.mouseClick(actions.cancel_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["info"]
    assert window.message_label.text() == "Restore cancelled: nothing of the backup was added."
    assert not actions.cancel_button.isVisible() and actions.restore_action.isEnabled()
    assert library_state(data_dir) == before_takes
    assert {k: v for k, v in files_of(data_dir).items() if k != "closer.lock"} == {
        k: v for k, v in before_files.items() if k != "closer.lock"
    }
    assert no_workspace_left(data_dir)


def test_quitting_during_a_restore_stops_it_and_quits(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = long_archive(tmp_path)
    build(data_dir, [4])
    before_takes = library_state(data_dir)
    window = open_ready(qtbot, open_window, data_dir)
    actions = window.library_actions
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: (str(archive), ""))

    start_restore(qtbot, actions)
    window.close()
    assert "Stopping the restore" in window.message_label.text()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert library_state(data_dir) == before_takes
    assert no_workspace_left(data_dir)
