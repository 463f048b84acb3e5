"""A second Closer on a library in use says who holds it, waits for it, or quits at the user's word."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from closer_desktop.storage.lock import LibraryLock, LibraryLocked
from closer_desktop.ui.dialogs.library_wait import wait_for_library


def locked_by(lock: LibraryLock) -> LibraryLocked:
    with pytest.raises(LibraryLocked) as refused:
        LibraryLock.acquire(lock.data_dir, "Closer")
    return refused.value


def the_dialog() -> QMessageBox:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QMessageBox)
    return dialog


def test_it_opens_the_library_once_the_holder_lets_go(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = LibraryLock.acquire(tmp_path, "closer restore")
    seen: list[str] = []

    def look_then_let_go() -> None:
        seen.append(the_dialog().informativeText())
        holder.release()

    QTimer.singleShot(300, look_then_let_go)
    lock = wait_for_library(tmp_path, locked_by(holder))
    assert lock is not None and lock.held
    assert "closer restore (process" in seen[0]
    assert "in use by closer restore" in capsys.readouterr().err
    lock.release()


def test_quit_leaves_the_library_to_its_holder(qtbot: QtBot, tmp_path: Path) -> None:
    holder = LibraryLock.acquire(tmp_path, "Closer")

    def quit_() -> None:
        dialog = the_dialog()
        quit_button = next(b for b in dialog.buttons() if b.text() == "Quit")
        quit_button.click()

    QTimer.singleShot(300, quit_)
    assert wait_for_library(tmp_path, locked_by(holder)) is None
    with pytest.raises(LibraryLocked):
        LibraryLock.acquire(tmp_path, "Closer")  # still the holder's
    holder.release()
