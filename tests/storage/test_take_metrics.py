"""Metrics stored with takes: save, replace, find what to (re)compute, cascade, export."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.database import Database
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import (
    metrics_by_take,
    save_metrics,
    takes_needing_metrics,
)
from closer_desktop.transfer.export import export_json

DECK = load_deck(default_deck_path())


def make_takes(library: Library, count: int) -> list[int]:
    session = library.start_session(DECK.id)
    ids = []
    for question in DECK.questions[:count]:
        take = library.begin_take(session, DECK.id, question, 16000)
        soundfile.write(library.audio_file(take), np.zeros(1600, np.float32), 16000)
        library.finish_take(take.id, 0.1, 16000)
        ids.append(take.id)
    return ids


def test_the_migration_adds_the_table(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    columns = {r[1] for r in db.execute("PRAGMA table_info(take_metrics)")}
    assert columns == {"take_id", "analyser_version", "computed_at", "metrics"}
    db.close()


def test_save_replace_and_find_what_needs_computing(data_dir: Path) -> None:
    library = Library(data_dir)
    first, second, third = make_takes(library, 3)
    assert takes_needing_metrics(library, 1) == [third, second, first]  # newest first
    assert save_metrics(library, first, {"analyser_version": 1, "duration_s": 0.1})
    assert save_metrics(library, second, {"analyser_version": 0, "duration_s": 0.1})
    assert takes_needing_metrics(library, 1) == [third, second]
    assert save_metrics(library, second, {"analyser_version": 1, "duration_s": 0.2})
    assert metrics_by_take(library) == {
        first: {"analyser_version": 1, "duration_s": 0.1},
        second: {"analyser_version": 1, "duration_s": 0.2},
    }
    assert metrics_by_take(library, [second, third]) == {second: metrics_by_take(library)[second]}
    library.trash_take(third)
    assert takes_needing_metrics(library, 1) == []
    assert not save_metrics(library, 999, {"analyser_version": 1})  # no such take
    library.close()


def test_deleting_a_take_deletes_its_metrics(data_dir: Path) -> None:
    library = Library(data_dir)
    (take_id,) = make_takes(library, 1)
    save_metrics(library, take_id, {"analyser_version": 1})
    library.trash_take(take_id)
    library.empty_trash()
    assert metrics_by_take(library) == {}
    library.close()


def test_export_carries_metrics_per_take(data_dir: Path) -> None:
    library = Library(data_dir)
    first, _second = make_takes(library, 2)
    stored = {"analyser_version": 1, "pauses": [{"start_s": 1.0, "end_s": 1.5}], "words": []}
    save_metrics(library, first, stored)
    exported = json.loads(export_json(library, None))
    library.close()
    takes = exported["sessions"][0]["takes"]
    assert takes[0]["metrics"] == stored
    assert takes[1]["metrics"] is None  # not analysed yet


def test_metrics_of_a_take_whose_id_was_reused_are_not_stored(data_dir: Path) -> None:
    """An analysis that ends after its take was deleted for good and a new take got its id."""
    library = Library(data_dir)
    (first,) = make_takes(library, 1)
    analysed = library.take(first).uid
    library.db.execute("DELETE FROM takes WHERE id = ?", (first,))  # deleted for good
    (reused,) = make_takes(library, 1)
    assert reused == first and library.take(reused).uid != analysed
    assert not save_metrics(library, first, {"analyser_version": 1}, uid=analysed)
    assert metrics_by_take(library) == {}
    assert save_metrics(library, reused, {"analyser_version": 1}, uid=library.take(reused).uid)
    library.close()
