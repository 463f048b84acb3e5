"""How a take was said (issue 18): mode, hint level, key phrases and response latency are stored
with the take, migrated into an old library, carried by its sidecar and rebuilt from it."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage import sidecar
from closer_desktop.storage.database import MIGRATIONS, SCHEMA_VERSION, split_sql
from closer_desktop.storage.library import Library
from closer_desktop.storage.recovery import open_library

DECK = load_deck(default_deck_path())
KEYED = next(q for q in DECK.questions if q.key_phrases)


def said(library: Library, session: int, **how: object) -> Take:
    """A finished take with real audio, begun with `how` (mode, hint_level, key_phrases)."""
    take = library.begin_take(session, DECK.id, KEYED, 16000, **how)  # type: ignore[arg-type]
    soundfile.write(library.audio_file(take), np.full(8000, 0.01, dtype=np.float32), 16000)
    return library.finish_take(take.id, 0.5, 16000)


def how(take: Take) -> tuple[object, ...]:
    return (take.mode, take.hint_level, take.key_phrases, take.response_latency_s)


def test_a_take_keeps_how_it_was_said(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    read = said(library, session)
    memory = said(library, session, mode="memory", hint_level=0, key_phrases=KEYED.key_phrases)
    library.set_hint_level(memory.id, 2)  # climbed the ladder while recording
    run = said(library, session, mode="run", hint_level=0, key_phrases=("next steps",))
    library.set_response_latency(run.id, 1.25)

    assert how(library.take(read.id)) == ("read", None, (), None)
    assert how(library.take(memory.id)) == ("memory", 2, KEYED.key_phrases, None)
    assert how(library.take(run.id)) == ("run", 0, ("next steps",), 1.25)
    library.set_response_latency(run.id, None)  # no word was heard after all
    assert library.take(run.id).response_latency_s is None
    library.close()

    again = Library(data_dir)  # stored, not remembered
    assert how(again.take(memory.id)) == ("memory", 2, KEYED.key_phrases, None)
    again.close()


@pytest.mark.parametrize(
    ("begin", "error"),
    [
        ({"mode": "sing"}, "mode"),
        ({"mode": "memory", "hint_level": 4}, "hint level"),
        ({"mode": "memory", "hint_level": True}, "hint level"),
        ({"key_phrases": ("",)}, "key phrases"),
        ({"key_phrases": ("x" * 61,)}, "key phrases"),
        ({"key_phrases": tuple(f"k{n}" for n in range(9))}, "key phrases"),
    ],
)
def test_values_no_take_can_have_are_refused_before_anything_is_stored(
    data_dir: Path, begin: dict[str, object], error: str
) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    with pytest.raises(ValueError, match=error):
        library.begin_take(session, DECK.id, KEYED, 16000, **begin)  # type: ignore[arg-type]
    assert library.db.execute("SELECT COUNT(*) FROM takes").fetchone()[0] == 0
    library.close()


@pytest.mark.parametrize("latency", [-0.1, math.nan, math.inf])
def test_a_latency_that_is_no_time_is_refused(data_dir: Path, latency: float) -> None:
    library = Library(data_dir)
    take = said(library, library.start_session(DECK.id), mode="run", hint_level=0)
    with pytest.raises(ValueError, match="latency"):
        library.set_response_latency(take.id, latency)
    with pytest.raises(ValueError, match="hint level"):
        library.set_hint_level(take.id, -1)
    assert how(library.take(take.id)) == ("run", 0, (), None)
    library.close()


def test_the_database_refuses_what_the_api_refuses(data_dir: Path) -> None:
    """The schema's own checks: a row written some other way cannot hold a bad value either."""
    library = Library(data_dir)
    take = said(library, library.start_session(DECK.id))
    for column, value in [
        ("mode", "sing"),
        ("hint_level", 7),
        ("key_phrases", "not json"),
        ("key_phrases", '{"a": 1}'),
        ("response_latency_s", -2.0),
    ]:
        with pytest.raises(sqlite3.IntegrityError):
            library.db.execute(f"UPDATE takes SET {column} = ? WHERE id = ?", (value, take.id))
    library.close()


def test_an_old_library_is_migrated_and_its_takes_were_read(data_dir: Path) -> None:
    """A schema-3 library (written before issue 18): its takes become read takes."""
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    for migration in MIGRATIONS[:3]:
        for statement in split_sql(migration):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO sessions (deck_id, started_at, uid) VALUES ('d', ?, 'sess0001')",
        ("2026-01-05T09:30:00+01:00",),
    )
    conn.execute(
        "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, recorded_at, "
        "duration_s, sample_rate, audio_path, uid) VALUES (1, 'd', 'q', 'What are the next "
        "steps?', 'Stage', '2026-01-05T09:31:00+01:00', 1.0, 16000, "
        "'audio/2026-01/old_take-1.wav', 'take0001')"
    )
    conn.commit()
    conn.close()

    library = Library(data_dir)
    assert library.db.user_version == SCHEMA_VERSION == 4
    (take,) = library.takes_for_question("d", "q")
    assert how(take) == ("read", None, (), None)
    assert take.question_text == "What are the next steps?"
    library.close()


def test_the_sidecar_carries_it_and_a_lost_database_is_rebuilt_with_it(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    memory = said(library, session, mode="memory", hint_level=1, key_phrases=KEYED.key_phrases)
    library.set_hint_level(memory.id, 3)
    run = said(library, session, mode="run", hint_level=0, key_phrases=("decision",))
    library.set_response_latency(run.id, 0.8)
    read = said(library, session)
    audio = {t.id: library.audio_file(t) for t in (memory, run, read)}
    library.close()

    on_disk = json.loads(sidecar.sidecar_path(audio[run.id]).read_text("utf-8"))
    assert on_disk["mode"] == "run" and on_disk["hint_level"] == 0
    assert on_disk["key_phrases"] == ["decision"] and on_disk["response_latency_s"] == 0.8

    (data_dir / "closer.sqlite3").unlink()  # lost: only the audio and its sidecars are left
    rebuilt, report = open_library(data_dir)
    assert len(report.adopted) == 3  # adopted from their sidecars
    by_file = {rebuilt.audio_file(t): t for t in rebuilt.takes_for_question(DECK.id, KEYED.id)}
    assert how(by_file[audio[memory.id]]) == ("memory", 3, KEYED.key_phrases, None)
    assert how(by_file[audio[run.id]]) == ("run", 0, ("decision",), 0.8)
    assert how(by_file[audio[read.id]]) == ("read", None, (), None)
    rebuilt.close()


def test_a_sidecar_from_before_or_with_damaged_fields_still_adopts_its_take(tmp_path: Path) -> None:
    """Older sidecars lack the fields (a read take); a damaged field is "not known", alone."""
    audio = tmp_path / "take.wav"
    base = {
        "format": "closer-take",
        "format_version": 1,
        "uid": "abcdef0123",
        "session": {"uid": "s0123456", "started_at": "2026-01-05T09:30:00+01:00"},
        "deck": "d",
        "question_id": "q",
        "question_text": "Line",
        "recorded_at": "2026-01-05T09:31:00+01:00",
        "status": "complete",
        "professionalism": 4,
    }
    sidecar.sidecar_path(audio).write_text(json.dumps(base), "utf-8")
    old = sidecar.read(audio)
    assert old is not None and old.mode == "read" and old.hint_level is None
    assert old.key_phrases == () and old.response_latency_s is None

    damaged = base | {
        "mode": "karaoke",
        "hint_level": 9,
        "key_phrases": "next steps",
        "response_latency_s": -1,
    }
    sidecar.sidecar_path(audio).write_text(json.dumps(damaged), "utf-8")
    record = sidecar.read(audio)
    assert record is not None and record.professionalism == 4 and record.uid == "abcdef0123"
    assert (record.mode, record.hint_level, record.key_phrases) == ("read", None, ())
    assert record.response_latency_s is None
