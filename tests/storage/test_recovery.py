"""Opening a library that a crash, a fault or damage left behind: nothing spoken is ever lost."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.cli import main as cli_main
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage import sidecar
from closer_desktop.storage.database import (
    SCHEMA_VERSION,
    DatabaseReadOnlyError,
    NewerDatabaseError,
)
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.history import GroupBy, TakeFilter, find_takes
from closer_desktop.storage.recovery import open_library
from closer_desktop.transfer.export import library_to_json
from tests.support.consistency import check_consistent
from tests.support.filesystems import remount

DECK = load_deck(default_deck_path())


def record(library: Library, question: int = 0, seconds: float = 1.0, session: int = 0) -> int:
    """A finished take with real (silent but non-zero) audio; returns its id."""
    session = session or library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[question], 16000)
    samples = np.full(int(seconds * 16000), 0.01, dtype=np.float32)
    soundfile.write(library.audio_file(take), samples, 16000)
    library.finish_take(take.id, seconds, 16000)
    return take.id


def rated_library(data_dir: Path) -> list[int]:
    """Three takes over two sessions, rated, one with a note, one starred, one in the trash."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    first = record(library, 0, 1.0, session)
    second = record(library, 1, 0.5, session)
    library.set_rating(first, RatingScale.PROFESSIONALISM, 4)
    library.set_rating(first, RatingScale.CLARITY, 2)
    library.set_note(first, "Slower — and smile ☺")
    library.set_starred(second, True)
    third = record(library, 2, 0.25)
    library.trash_take(third)
    library.close()
    return [first, second, third]


def first_rated_take(data_dir: Path) -> Take:
    """The rated library's first take (its library closed again)."""
    take_id = rated_library(data_dir)[0]
    library = Library(data_dir)
    take = library.take(take_id)
    library.close()
    return take


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(data_dir: Path) -> dict[str, tuple[str, float]]:
    """Every file's digest and mtime, to show that nothing changed."""
    return {
        str(p.relative_to(data_dir)): (digest(p), p.stat().st_mtime)
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def comparable(library: Library) -> list[tuple[object, ...]]:
    rows = library.db.execute(
        "SELECT t.uid, s.uid, t.deck_id, t.question_id, t.question_text, t.stage, t.recorded_at, "
        "round(t.duration_s, 3), t.sample_rate, t.audio_path, t.professionalism, t.clarity, "
        "t.note, t.starred, t.trashed_at IS NOT NULL FROM takes t JOIN sessions s "
        "ON s.id = t.session_id ORDER BY t.uid"
    ).fetchall()
    return [tuple(row) for row in rows]


# Sidecars -------------------------------------------------------------------------------------


def test_every_take_carries_a_sidecar_that_follows_its_changes(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[3], 16000)
    audio = library.audio_file(take)
    reserved = sidecar.read(audio)
    assert reserved is not None and not reserved.complete  # listed before the first sample
    soundfile.write(audio, np.zeros(8000, dtype=np.float32), 16000)
    library.finish_take(take.id, 0.5, 16000)
    library.set_rating(take.id, RatingScale.CLARITY, 5)
    library.set_note(take.id, "good pace")
    library.set_starred(take.id, True)
    saved = sidecar.read(audio)
    assert saved is not None
    assert saved.complete and saved.duration_s == 0.5
    assert (saved.clarity, saved.professionalism, saved.note, saved.starred) == (
        5,
        None,
        "good pace",
        True,
    )
    assert saved.uid == library.take(take.id).uid
    assert (saved.question_id, saved.question_text) == (
        DECK.questions[3].id,
        DECK.questions[3].text,
    )
    raw = json.loads(sidecar.sidecar_path(audio).read_text("utf-8"))
    assert raw["format"] == "closer-take" and raw["status"] == "complete"
    assert stat.S_IMODE(sidecar.sidecar_path(audio).stat().st_mode) == 0o600

    other = record(library, 3)  # starring another take unstars this one, in its sidecar too
    library.set_starred(other, True)
    assert sidecar.read(audio).starred is False  # type: ignore[union-attr]

    library.trash_take(take.id)  # the sidecar moves with its audio, and back
    trashed = data_dir / "trash" / take.audio_path
    assert sidecar.read(trashed) is not None and not sidecar.sidecar_path(audio).exists()
    library.restore_take(take.id)
    assert sidecar.read(audio) is not None
    library.trash_take(take.id)
    library.empty_trash()
    assert not sidecar.sidecar_path(trashed).exists()
    library.close()


def test_a_sidecar_that_cannot_be_written_costs_nothing_else(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(data_dir)
    take_id = record(library)

    def refuse(path: Path, data: bytes, durable: bool = True) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sidecar, "write_atomically", refuse)
    library.set_rating(take_id, RatingScale.PROFESSIONALISM, 3)  # no exception
    assert library.take(take_id).professionalism == 3
    library.close()


# Damaged databases ----------------------------------------------------------------------------

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 3],
    "overwritten in the middle": lambda data: data[:4096] + b"\xa5" * 8192 + data[12288:],
    "zeroed": lambda data: b"\0" * len(data),
    "empty header": lambda data: data[:50],
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_database_is_kept_and_the_library_rebuilt_from_the_audio(
    data_dir: Path, damage: str
) -> None:
    rated_library(data_dir)
    library = Library(data_dir)
    before = comparable(library)
    library.close()
    database = data_dir / "closer.sqlite3"
    damaged_bytes = DAMAGE[damage](database.read_bytes() + b"\0" * 16384)
    database.write_bytes(damaged_bytes)

    library, report = open_library(data_dir)
    assert report.damaged_copy is not None
    assert report.damaged_copy.parent == data_dir
    assert report.damaged_copy.read_bytes() == damaged_bytes  # kept, byte for byte
    message = report.message()
    assert message is not None and report.damaged_copy.name in message
    assert "rebuilt" in message and "3 takes" in message
    assert report.rebuilt == 3
    assert comparable(library) == before  # questions, times, ratings, note, uids, trash
    assert library.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 2
    (first,) = [t for t in library.takes_for_question(DECK.id, DECK.questions[0].id)]
    assert first.recovered is False  # rebuilt from a complete sidecar: the take it was
    library.close()
    assert check_consistent(data_dir) == []

    again, report = open_library(data_dir)  # the next start has nothing to say
    assert report.message() is None
    again.close()


def test_a_damaged_database_is_never_overwritten_by_a_second_rescue(data_dir: Path) -> None:
    rated_library(data_dir)
    database = data_dir / "closer.sqlite3"
    copies = []
    for _ in range(2):
        database.write_bytes(b"this is no database " * 300)
        library, report = open_library(data_dir)
        library.close()
        assert report.damaged_copy is not None
        copies.append(report.damaged_copy)
    assert copies[0] != copies[1]
    assert all(c.read_bytes() == b"this is no database " * 300 for c in copies)


def crash_with_a_wal(data_dir: Path, take_id: int) -> None:
    """A change that is only in the -wal when the process dies (as after kill -9)."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from closer_desktop.storage.library import Library\n"
        f"library = Library(Path(sys.argv[1]))\n"
        f"library.set_note({take_id}, 'written just before the crash')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    assert Path(f"{data_dir / 'closer.sqlite3'}-wal").stat().st_size > 0


def test_a_damaged_database_is_set_aside_with_its_wal_as_they_were(data_dir: Path) -> None:
    first = rated_library(data_dir)[0]
    crash_with_a_wal(data_dir, first)
    database = data_dir / "closer.sqlite3"
    wal = Path(f"{database}-wal")
    damaged = bytearray(database.read_bytes())
    page = 4096
    damaged[page : 3 * page] = b"\xa5" * (2 * page)  # pages 2-3: the sessions and takes tables
    database.write_bytes(bytes(damaged))
    wal_bytes = wal.read_bytes()

    library, report = open_library(data_dir)
    library.close()
    assert report.damaged_copy is not None
    assert report.damaged_copy.read_bytes() == bytes(damaged)  # not checkpointed into
    assert Path(f"{report.damaged_copy}-wal").read_bytes() == wal_bytes  # nor its WAL lost
    assert report.rebuilt == 3


def test_a_wal_whose_database_was_set_aside_by_a_cut_short_rescue_joins_it(
    data_dir: Path,
) -> None:
    first = rated_library(data_dir)[0]
    crash_with_a_wal(data_dir, first)
    database = data_dir / "closer.sqlite3"
    wal_bytes = Path(f"{database}-wal").read_bytes()
    # set_aside renames the database, then its -wal and -shm: a crash between the two. It names
    # the copy after the moment it moves it, after the journal was last written.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = data_dir / f"closer.sqlite3.damaged-{stamp}"
    database.rename(copy)

    library, report = open_library(data_dir)
    assert report.damaged_copy == copy
    assert Path(f"{copy}-wal").read_bytes() == wal_bytes  # kept with its database
    assert report.rebuilt == 3 and "rebuilt" in (report.message() or "")
    library.close()
    # The set-aside pair still holds the note that was only in the WAL.
    with sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True) as old:
        notes = [row[0] for row in old.execute("SELECT note FROM takes")]
    assert "written just before the crash" in notes


def test_a_wal_without_any_database_is_kept_beside_a_new_library(data_dir: Path) -> None:
    first = rated_library(data_dir)[0]
    crash_with_a_wal(data_dir, first)
    database = data_dir / "closer.sqlite3"
    wal_bytes = Path(f"{database}-wal").read_bytes()
    database.rename(data_dir.parent / "moved-away.sqlite3")  # by hand, say

    library, report = open_library(data_dir)
    library.close()
    assert report.stray_journal is not None and report.damaged_copy is None
    assert Path(f"{report.stray_journal}-wal").read_bytes() == wal_bytes
    assert f"{report.stray_journal.name}-wal" in (report.message() or "")
    assert len(report.adopted) == 3  # the recordings are listed again all the same


def test_a_damaged_schema_version_is_treated_as_damage(data_dir: Path) -> None:
    rated_library(data_dir)
    database = data_dir / "closer.sqlite3"
    for version in (-1, 0):
        raw = bytearray(database.read_bytes())
        raw[60:64] = version.to_bytes(4, "big", signed=True)
        database.write_bytes(bytes(raw))
        library, report = open_library(data_dir)
        library.close()
        assert report.damaged_copy is not None, version
        assert report.damaged_copy.read_bytes()[60:64] == bytes(raw[60:64])
        assert report.rebuilt == 3


@pytest.mark.parametrize(
    "damage",
    [
        {"session": "abc"},
        {"session": [1, 2]},
        {"sample_rate": float("inf")},
        {"sample_rate": 10**30},
        {"duration_s": float("nan")},
        {"format_version": 2, "session": []},
    ],
)
def test_a_sidecar_of_the_wrong_shape_is_ignored_and_the_audio_adopted(
    data_dir: Path, damage: dict[str, object]
) -> None:
    take = first_rated_take(data_dir)
    original = data_dir / take.audio_path
    copy = original.with_name("copy-" + original.name)
    shutil.copyfile(original, copy)
    fields = json.loads(sidecar.sidecar_path(original).read_text(encoding="utf-8"))
    sidecar.sidecar_path(copy).write_text(json.dumps({**fields, **damage}), encoding="utf-8")

    library, report = open_library(data_dir)  # it opens: one bad file does not block start-up
    assert [t.audio_path for t in report.adopted] == [str(copy.relative_to(data_dir))]
    library.close()
    assert check_consistent(data_dir) == []


def test_two_copies_of_a_moved_take_are_the_take_and_one_more(data_dir: Path) -> None:
    take = first_rated_take(data_dir)
    source = data_dir / take.audio_path
    for name in ("moved-a.wav", "moved-b.wav"):
        shutil.copyfile(source, source.with_name(name))
        shutil.copyfile(sidecar.sidecar_path(source), sidecar.sidecar_path(source.with_name(name)))
    sidecar.remove(source)
    source.unlink()

    library, report = open_library(data_dir)
    assert report.relinked == 1 and len(report.adopted) == 1
    library.close()
    assert check_consistent(data_dir) == []  # both files listed, by two takes


def sidecar_moved_to_trash(data_dir: Path, take: Take) -> tuple[Path, Path]:
    """The first step of moving a take to the trash: its sidecar is there, its audio not yet.
    Returns the audio's live path and its path in the trash."""
    source = data_dir / take.audio_path
    target = data_dir / "trash" / take.audio_path
    target.parent.mkdir(parents=True, exist_ok=True)
    sidecar.move(source, target)
    return source, target


def test_a_move_cut_short_between_link_and_unlink_is_undone(data_dir: Path) -> None:
    take = first_rated_take(data_dir)
    take_id = take.id
    # _move_take: the sidecar goes to the trash, the audio is hard-linked there, then a crash
    # before the live name is unlinked and the row updated.
    source, target = sidecar_moved_to_trash(data_dir, take)
    os.link(source, target)
    audio = source.read_bytes()

    library, report = open_library(data_dir)
    assert report.adopted == [] and report.relinked == 0 and report.message() is None
    assert take_id not in [t.id for t in library.trashed_takes()]  # as its row says
    library.close()
    assert source.read_bytes() == audio and not target.exists()
    assert sidecar.read(source) is not None  # its sidecar is back beside it
    assert check_consistent(data_dir) == []


def test_audio_without_sidecars_is_rebuilt_from_file_names(data_dir: Path) -> None:
    rated_library(data_dir)
    for side in data_dir.rglob("*.json"):
        side.unlink()
    (data_dir / "closer.sqlite3").write_bytes(b"\0" * 4096)
    library, report = open_library(data_dir)
    assert report.rebuilt == 3
    (take,) = library.takes_for_question(DECK.id, DECK.questions[0].id)
    assert take.question_text == DECK.questions[0].text
    assert take.recovered is True
    assert take.duration_s == pytest.approx(1.0)
    assert sidecar.read(library.audio_file(take)) is not None  # it carries one from now on
    library.close()
    assert check_consistent(data_dir) == []


# Orphans and moved files ----------------------------------------------------------------------


def test_audio_no_take_lists_is_adopted_never_deleted(data_dir: Path) -> None:
    take_id = rated_library(data_dir)[0]
    library = Library(data_dir)
    take = library.take(take_id)
    library.db.execute("DELETE FROM takes WHERE id = ?", (take_id,))  # a crash lost the row
    library.close()
    folder = data_dir / "audio" / "2020-01"
    folder.mkdir(parents=True)
    stray = folder / "2020-01-02_030405_next-steps_take-7.wav"  # no sidecar at all
    soundfile.write(stray, np.full(4000, 0.1, dtype=np.float32), 8000)
    garbage = folder / "not-really.wav"
    garbage.write_bytes(b"RIFF\x00\x00 certainly not a wave file")
    empty = folder / "2020-01-02_030406_next-steps_take-8.wav"
    soundfile.write(empty, np.zeros(0, dtype=np.float32), 8000)  # holds no audio: left alone
    kept = {p: digest(p) for p in (library.audio_file(take), stray, garbage, empty)}

    library, report = open_library(data_dir)
    adopted = {t.audio_path: t for t in report.adopted}
    assert set(adopted) == {
        take.audio_path,
        "audio/2020-01/2020-01-02_030405_next-steps_take-7.wav",
        "audio/2020-01/not-really.wav",
    }
    assert all(t.recovered for t in report.adopted)
    back = adopted[take.audio_path]  # from its sidecar: everything it was
    assert (back.uid, back.professionalism, back.note) == (take.uid, 4, take.note)
    named = adopted["audio/2020-01/2020-01-02_030405_next-steps_take-7.wav"]
    assert named.question_id == "next-steps" and named.duration_s == pytest.approx(0.5)
    assert named.recorded_at.replace(tzinfo=None) == datetime(2020, 1, 2, 3, 4, 5)
    assert report.unreadable == ["audio/2020-01/not-really.wav"]
    message = report.message()
    assert message is not None and "3 recordings" in message and "not-really.wav" in message
    assert {p: digest(p) for p in kept} == kept  # every byte still there
    assert library_to_json(library)["sessions"][-1]["takes"][0]["recovered"] is True
    library.close()
    problems = check_consistent(data_dir)
    assert problems == [f"audio without a take: ('{empty.relative_to(data_dir)}', False)"]

    library, report = open_library(data_dir)  # told once
    assert report.message() is None
    library.close()


def test_a_flac_cut_short_is_adopted_with_the_audio_it_still_holds(data_dir: Path) -> None:
    """A FLAC whose writer died never gets its length written ("unknown"); what it holds counts."""
    import struct

    rated_library(data_dir)
    folder = data_dir / "audio" / "2020-01"
    folder.mkdir(parents=True)
    cut = folder / "2020-01-02_030405_next-steps_take-9.flac"
    rate = 16000
    tone = 0.3 * np.sin(np.arange(rate * 3) * 2 * np.pi * 220 / rate)
    soundfile.write(cut, tone.astype(np.float32), rate)
    data = bytearray(cut.read_bytes())
    word = struct.unpack(">Q", data[18:26])[0] & ~((1 << 36) - 1)  # STREAMINFO total: unknown
    data[18:26] = struct.pack(">Q", word)
    cut.write_bytes(bytes(data[: len(data) * 2 // 3]))  # and cut short
    assert soundfile.info(str(cut)).frames >= 2**62  # libsndfile cannot tell the length

    library, report = open_library(data_dir)
    (adopted,) = report.adopted
    assert adopted.audio_path == "audio/2020-01/2020-01-02_030405_next-steps_take-9.flac"
    assert 1.2 < adopted.duration_s < 2.1  # about two thirds of 3 s, not zero and not left out
    assert report.unreadable == []
    library.close()


def test_a_take_moved_to_the_trash_before_a_crash_is_found_again(data_dir: Path) -> None:
    take = first_rated_take(data_dir)
    take_id = take.id
    # What trash_take does before it updates the row: sidecar, then audio, into trash/.
    source, target = sidecar_moved_to_trash(data_dir, take)
    source.rename(target)

    library, report = open_library(data_dir)
    assert report.relinked == 1 and report.adopted == []
    assert report.message() is None
    (trashed,) = [t for t in library.trashed_takes() if t.id == take_id]
    assert trashed.audio_path == take.audio_path and target.exists()  # nothing renamed
    library.restore_take(take_id)  # Ctrl+Z still works
    assert library.take(take_id).professionalism == 4
    library.close()
    assert check_consistent(data_dir) == []


def test_unfinished_takes_get_their_sidecar_finished_too(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.full(16000, 0.1, dtype=np.float32), 16000)
    library.close()  # killed mid-take
    library, report = open_library(data_dir)
    (recovered,) = report.recovered
    assert "Recovered 1 take (1 s)" in (report.message() or "")
    saved = sidecar.read(library.audio_file(recovered))
    assert saved is not None and saved.complete and saved.recovered
    library.close()


# Refusals: newer, read-only -------------------------------------------------------------------


def newer_library(data_dir: Path) -> None:
    rated_library(data_dir)
    shutil.rmtree(data_dir / "audio")
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def test_a_newer_library_is_refused_and_nothing_is_created(data_dir: Path) -> None:
    newer_library(data_dir)
    before = snapshot(data_dir)
    listing = sorted(os.listdir(data_dir))
    for opening in (lambda: open_library(data_dir), lambda: Library(data_dir)):
        with pytest.raises(NewerDatabaseError, match="newer version of Closer"):
            opening()
    assert sorted(os.listdir(data_dir)) == listing  # no audio/, no -wal, no -shm
    assert snapshot(data_dir) == before
    assert cli_main(["export", "--data-dir", str(data_dir)]) == 2
    assert snapshot(data_dir) == before


def test_export_and_report_never_change_the_library(data_dir: Path, tmp_path: Path) -> None:
    from closer_desktop.storage.database import MIGRATIONS, split_sql

    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "closer.sqlite3")  # as the first Closer wrote it
    for statement in split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', '2026-01-02T10:00:00')")
    conn.execute(
        "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, recorded_at, "
        "sample_rate, audio_path) VALUES (1, 'd', 'q', 't', 's', '2026-01-02T10:00:00', 1, 'a')"
    )
    conn.commit()
    conn.close()
    before = snapshot(data_dir)
    out = tmp_path / "export.json"
    assert cli_main(["export", "--data-dir", str(data_dir), "--output", str(out)]) == 0
    assert len(json.loads(out.read_text())["sessions"]) == 1
    assert cli_main(["report", "--data-dir", str(data_dir), "-o", str(tmp_path / "r.html")]) == 0
    after = snapshot(data_dir)
    assert after == before
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # not migrated
    conn.close()


def test_a_read_only_data_folder_is_refused_with_nothing_lost(
    tmpfs: Callable[[int], Path],
) -> None:
    data_dir = tmpfs(8 * 1024 * 1024) / "library"
    rated_library(data_dir)
    remount(data_dir.parent, read_only=True)
    before = snapshot(data_dir)
    with pytest.raises(DatabaseReadOnlyError, match="cannot be written") as caught:
        open_library(data_dir)
    assert "untouched" in str(caught.value) and "--data-dir" in str(caught.value)
    assert snapshot(data_dir) == before


# Files and times ------------------------------------------------------------------------------


def test_library_files_are_private(data_dir: Path) -> None:
    rated_library(data_dir)
    library, _ = open_library(data_dir)
    record(library)
    written_here = [p for p in data_dir.rglob("*") if p.suffix != ".wav"]  # the recorder's: GUI
    assert {p.suffix for p in written_here} >= {".sqlite3", ".json", ".sqlite3-wal"}
    for path in [data_dir, *written_here]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    library.close()


def test_a_missing_audio_file_shows_as_missing(data_dir: Path) -> None:
    first = rated_library(data_dir)[0]
    library = Library(data_dir)
    take = library.take(first)
    assert take.audio_missing is False
    library.audio_file(take).unlink()
    assert library.take(first).audio_missing is True
    assert [t.audio_missing for t in find_takes(library, TakeFilter(), GroupBy.DATE, 0, 10)] == [
        False,
        True,
    ]
    library.close()


def test_takes_are_ordered_by_the_instant_across_utc_offsets(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    question = DECK.questions[0]
    paris = timezone(timedelta(hours=2))
    # Recorded first in Paris (07:30 UTC), then in London (08:45 UTC): text order says otherwise.
    for when in (
        datetime(2026, 6, 1, 9, 30, tzinfo=paris),
        datetime(2026, 6, 1, 8, 45, tzinfo=UTC),
    ):
        take = library.begin_take(session, DECK.id, question, 8000, recorded_at=when)
        soundfile.write(library.audio_file(take), np.zeros(800, dtype=np.float32), 8000)
        library.finish_take(take.id, 0.1, 8000)
    takes = library.takes_for_question(DECK.id, question.id)
    assert [t.recorded_at.hour for t in takes] == [9, 8]
    newest_first = find_takes(library, TakeFilter(), GroupBy.DATE, 0, 10)
    assert [t.recorded_at.hour for t in newest_first] == [8, 9]
    # Date filters use the date on the clock where the take was recorded.
    on_the_first = TakeFilter(since=datetime(2026, 6, 1).date(), until=datetime(2026, 6, 1).date())
    assert len(find_takes(library, on_the_first, GroupBy.DATE, 0, 10)) == 2
    library.close()


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from closer_desktop.storage import files

    target = tmp_path / "take.wav.json"
    files.write_atomically(target, b"old")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    def power_cut(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError):
        files.write_atomically(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.wav.json"]


def test_audio_adopted_from_the_trash_is_not_called_missing(data_dir: Path) -> None:
    take = first_rated_take(data_dir)
    source = data_dir / take.audio_path
    stray = data_dir / "trash" / "audio" / "2026-11" / "stray.wav"
    stray.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, stray)

    library, report = open_library(data_dir)
    (adopted,) = report.adopted
    assert adopted.audio_path.endswith("stray.wav") and not adopted.audio_missing
    assert adopted.id in [t.id for t in library.trashed_takes()]
    library.close()
