"""Every folder Closer creates in the data folder is private (0700), whatever the umask and
whichever command creates it first (issue 16 §4: `deck import` made `decks/` 0755)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from closer_desktop.paths import default_deck_path
from closer_desktop.storage.decks import DeckStore
from closer_desktop.transfer.backup import create_backup
from closer_desktop.transfer.restore import restore_backup
from tests.transfer.test_backup import build_library


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual 022: folders made with a plain mkdir come out 0755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def public_folders(data_dir: Path) -> list[str]:
    folders = [data_dir, *(p for p in data_dir.rglob("*") if p.is_dir())]
    return [
        f"{p} {oct(stat.S_IMODE(p.stat().st_mode))}"
        for p in folders
        if stat.S_IMODE(p.stat().st_mode) != 0o700
    ]


def test_deck_import_into_a_new_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "new" / "library"
    deck = str(default_deck_path())
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "deck", "import", "--data-dir", str(data), deck],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (data / "decks").is_dir()
    assert public_folders(data) == []


def test_deleting_a_deck_makes_a_private_trash(tmp_path: Path) -> None:
    data = tmp_path / "library"
    store = DeckStore(data)
    deck = store.create("Mine")
    store.delete(deck.id)
    assert (data / "trash" / "decks").is_dir()
    assert public_folders(data) == []


def test_a_restored_library_has_private_folders(tmp_path: Path) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    build_library(source)
    DeckStore(source).create("Mine")
    create_backup(source, archive)
    restore_backup(archive, target)
    assert (target / "decks").is_dir() and (target / "audio").is_dir()
    assert public_folders(target) == []
