"""JSON nested deeper than Python's recursion limit (json.loads raises RecursionError, not
ValueError) in a file or row Closer reads: the damaged item is ignored with defaults or a
warning, never a crash (issue 16 §4)."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
from closer_desktop.paths import DATABASE_NAME
from closer_desktop.storage.decks import DECKS_DIR, PLANS_FILE, DeckStore
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take, save_metrics
from tests.support.progress_library import build_in

DEEP = "[" * 200_000 + "]" * 200_000


def test_a_deep_practice_file_gives_the_defaults(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    (tmp_path / DECKS_DIR).mkdir()
    (tmp_path / DECKS_DIR / PLANS_FILE).write_text(DEEP)
    assert store.current_deck_id() is None
    assert store.plan("closing-an-interview") == PracticePlan()
    store.save_plan("closing-an-interview", PracticePlan(PracticeOrder.SHUFFLED, frozenset()))
    assert store.plan("closing-an-interview").order is PracticeOrder.SHUFFLED  # rewritten


def test_deep_stored_metrics_skip_that_take_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build_in(tmp_path)
    library = Library(tmp_path)
    first, second = (row[0] for row in library.db.execute("SELECT id FROM takes LIMIT 2"))
    good = {"analyser_version": 2, "duration_s": 1.0}
    assert save_metrics(library, first, good) and save_metrics(library, second, good)
    library.close()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        db.execute("UPDATE take_metrics SET metrics = ? WHERE take_id = ?", (DEEP, second))
    db.close()
    library = Library(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert metrics_by_take(library) == {first: good}
    library.close()
    assert f"ignoring the stored metrics of take {second}" in caplog.text
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "export", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    exported = {
        take["id"]: take["metrics"]
        for session in json.loads(done.stdout)["sessions"]
        for take in session["takes"]
    }
    assert exported[first] == good and exported[second] is None


def test_deep_window_state_gives_default_sizes(tmp_path: Path) -> None:
    from closer_desktop import settings as S
    from closer_desktop.app.settings import Settings
    from closer_desktop.ui.window_state import _load

    settings = Settings(tmp_path / "settings.ini")
    settings.set(S.WINDOW_STATE, DEEP)
    assert _load(settings) == {}
