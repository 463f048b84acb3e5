from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import threading
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from closer_desktop.cli import main
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.database import SCHEMA_VERSION
from closer_desktop.storage.library import Library
from closer_desktop.transfer.archive_format import FORMAT_VERSION, BackupError
from closer_desktop.transfer.backup import create_backup
from closer_desktop.transfer.restore import restore_backup

DECK = load_deck(default_deck_path())
TZ = timezone(timedelta(hours=1))
START = datetime(2026, 1, 5, 9, 30, tzinfo=TZ)


# Building libraries with the real API -----------------------------------------------------------


def add_take(
    library: Library,
    session: int,
    question_index: int,
    when: datetime,
    seed: int,
    seconds: float = 0.3,
) -> Take:
    """A finished take whose audio is noise from `seed` (so every file's bytes differ)."""
    take = library.begin_take(session, DECK.id, DECK.questions[question_index], 16000, when)
    noise = np.random.default_rng(seed).uniform(-0.5, 0.5, int(seconds * 16000))
    soundfile.write(library.audio_file(take), noise.astype(np.float32), 16000)
    return library.finish_take(take.id, seconds, 16000)


def build_library(data_dir: Path, seed: int = 0) -> None:
    """Two sessions: rated, noted, starred, trashed, recovered and plain takes, plus an empty one."""
    library = Library(data_dir)
    first = library.start_session(DECK.id, START)
    rated = add_take(library, first, 0, START, seed + 1)
    library.set_rating(rated.id, RatingScale.PROFESSIONALISM, 4)
    library.set_rating(rated.id, RatingScale.CLARITY, 2)
    library.set_note(rated.id, "Slower — and smile ☺")
    starred = add_take(library, first, 0, START + timedelta(minutes=1), seed + 2)
    library.set_starred(starred.id, True)
    trashed = add_take(library, first, 1, START + timedelta(minutes=2), seed + 3)
    library.trash_take(trashed.id)
    library.touch_session(first, START + timedelta(minutes=5))
    second = library.start_session(DECK.id, START + timedelta(days=2))
    add_take(library, second, 2, START + timedelta(days=2), seed + 4)
    crashed = library.begin_take(
        second, DECK.id, DECK.questions[3], 16000, START + timedelta(days=2, minutes=1)
    )
    soundfile.write(library.audio_file(crashed), np.full(8000, 0.1, np.float32), 16000)
    library.start_session(DECK.id, START + timedelta(days=3))  # nothing recorded
    library.close()
    reopened = Library(data_dir)
    assert len(reopened.recover_unfinished_takes()) == 1
    reopened.close()


TAKE_FIELDS = (
    "deck_id, question_id, question_text, stage, recorded_at, duration_s, sample_rate, "
    "professionalism, clarity, note, recovered, starred, trashed_at, status"
)


def takes_by_uid(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Every take's fields, its session's, and its audio bytes, keyed by uid (ids may differ)."""
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        f"SELECT t.uid, t.audio_path, {', '.join('t.' + f.strip() for f in TAKE_FIELDS.split(','))}, "
        "s.uid AS session_uid, s.started_at, s.ended_at, s.deck_id AS session_deck "
        "FROM takes t JOIN sessions s ON s.id = t.session_id"
    ).fetchall()
    conn.close()
    result = {}
    for row in rows:
        fields = dict(row)
        folder = data_dir / "trash" if row["trashed_at"] else data_dir
        fields["audio"] = (folder / row["audio_path"]).read_bytes()
        result[row["uid"]] = fields
    return result


def sessions_by_uid(data_dir: Path) -> dict[str, tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / "closer.sqlite3")
    rows = conn.execute("SELECT uid, deck_id, started_at, ended_at FROM sessions").fetchall()
    conn.close()
    return {row[0]: tuple(row[1:]) for row in rows}


def without_path(take: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in take.items() if k != "audio_path"}


def listing(root: Path) -> dict[str, str] | None:
    """Everything under `root`: path -> kind and mode, plus the sha256 of files. None if absent."""
    if not root.exists():
        return None
    result = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        entry = f"{stat.filemode(st.st_mode)}"
        if path.is_file():
            entry += " " + hashlib.sha256(path.read_bytes()).hexdigest()
        result[str(path.relative_to(root))] = entry
    return result


# Round trips -------------------------------------------------------------------------------------


def test_round_trip_into_an_empty_folder(tmp_path: Path) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    build_library(source)
    summary = create_backup(source, archive)
    assert (summary.sessions, summary.takes, summary.missing_audio) == (3, 5, 0)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file

    restored = restore_backup(archive, target)
    assert (restored.takes_added, restored.sessions_added, restored.files_added) == (5, 3, 5)
    assert (restored.takes_skipped, restored.files_renamed, restored.takes_without_audio) == (
        0,
        0,
        0,
    )
    before, after = takes_by_uid(source), takes_by_uid(target)
    assert after == before  # every field, the same paths, identical audio bytes
    assert sessions_by_uid(target) == sessions_by_uid(source)
    flags = sorted((t["starred"], t["recovered"], bool(t["trashed_at"])) for t in after.values())
    assert flags == [(0, 0, False), (0, 0, False), (0, 0, True), (0, 1, False), (1, 0, False)]
    rated = next(t for t in after.values() if t["note"])
    assert (rated["professionalism"], rated["clarity"], rated["note"]) == (
        4,
        2,
        "Slower — and smile ☺",
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o700

    library = Library(target)  # the restored library works: trash undo brings the audio back
    (trashed,) = library.trashed_takes()
    assert library.restore_take(trashed.id).audio_path == trashed.audio_path
    assert library.audio_file(trashed).is_file()
    library.close()


def test_merge_into_an_existing_library_keeps_both(tmp_path: Path) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    build_library(source)
    create_backup(source, archive)
    # The target's own take has the same file name as the source's first take (same question,
    # same second, take 1), different audio, and a starred take for the same question.
    library = Library(target)
    session = library.start_session(DECK.id, START)
    own = add_take(library, session, 0, START, seed=99)
    library.set_starred(own.id, True)
    library.set_rating(own.id, RatingScale.CLARITY, 5)
    library.close()
    own_before = takes_by_uid(target)

    summary = restore_backup(archive, target)
    assert (summary.takes_added, summary.sessions_added, summary.files_renamed) == (5, 3, 1)
    merged = takes_by_uid(target)
    assert {k: merged[k] for k in own_before} == own_before  # untouched
    source_takes = takes_by_uid(source)
    assert set(merged) == set(own_before) | set(source_takes)
    for uid, take in source_takes.items():
        copy = merged[uid]
        if take["starred"]:  # one model answer per question: the library's own star wins
            assert copy["starred"] == 0
            take = {**take, "starred": 0}
        assert without_path(copy) == without_path(take)
    renamed = merged[next(u for u, t in source_takes.items() if t["audio_path"] == own.audio_path)]
    assert renamed["audio_path"] == own.audio_path.replace("_take-1.wav", "_take-1_restored-1.wav")
    assert (target / own.audio_path).read_bytes() == own_before[own.uid]["audio"]

    library = Library(target)
    assert len(library.sessions()) == 4
    library.close()


def test_restoring_twice_adds_nothing(tmp_path: Path) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    build_library(source)
    create_backup(source, archive)
    restore_backup(archive, target)
    files_before, rows_before = listing(target / "audio"), takes_by_uid(target)
    again = restore_backup(archive, target)
    assert (again.takes_added, again.sessions_added, again.files_added) == (0, 0, 0)
    assert (again.takes_skipped, again.sessions_skipped) == (5, 3)
    assert takes_by_uid(target) == rows_before
    assert listing(target / "audio") == files_before
    # ...and into the library it came from, too
    assert restore_backup(archive, source).takes_added == 0


def test_an_interrupted_restore_is_completed_without_duplicate_files(tmp_path: Path) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    build_library(source)
    create_backup(source, archive)
    restore_backup(archive, target)
    # A crash after the audio was copied but before the rows were written: files, no rows.
    (target / "closer.sqlite3").unlink()
    summary = restore_backup(archive, target)
    assert (summary.takes_added, summary.files_added, summary.files_renamed) == (5, 0, 0)
    assert takes_by_uid(target) == takes_by_uid(source)


def test_a_failure_before_the_rows_are_written_leaves_no_stray_audio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from closer_desktop.transfer import restore

    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    build_library(source)
    create_backup(source, archive)
    build_library(target, seed=100)
    rows, files = takes_by_uid(target), {p for p in target.rglob("*") if p.is_file()}

    def disk_full(*_: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore, "_insert", disk_full)
    with pytest.raises(BackupError, match="not enough space"):
        restore_backup(archive, target)
    assert takes_by_uid(target) == rows
    assert {p for p in target.rglob("*") if p.is_file()} == files  # no audio, no temp file


def test_an_old_schema_library_is_backed_up_with_fixed_uids(tmp_path: Path) -> None:
    from closer_desktop.storage.database import MIGRATIONS, split_sql

    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "b.zip"
    (source / "audio" / "2026-01").mkdir(parents=True)
    conn = sqlite3.connect(source / "closer.sqlite3")
    for statement in split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', ?)", (START.isoformat(),))
    conn.execute(
        "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, recorded_at, "
        "sample_rate, audio_path) VALUES (1, 'd', 'q', 't', 's', ?, 16000, 'audio/2026-01/a.wav')",
        (START.isoformat(),),
    )
    conn.commit()
    conn.close()
    (source / "audio" / "2026-01" / "a.wav").write_bytes(b"RIFF old audio")
    create_backup(source, archive)
    with zipfile.ZipFile(archive) as zf:
        assert json.loads(zf.read("manifest.json"))["schema_version"] == SCHEMA_VERSION
    assert restore_backup(archive, target).takes_added == 1
    assert restore_backup(archive, target).takes_added == 0
    assert (target / "audio" / "2026-01" / "a.wav").read_bytes() == b"RIFF old audio"


def test_manifest_describes_every_member(tmp_path: Path) -> None:
    build_library(tmp_path / "source")
    archive = tmp_path / "b.zip"
    create_backup(tmp_path / "source", archive)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "closer-backup"
        assert manifest["format_version"] == FORMAT_VERSION
        assert manifest["schema_version"] == SCHEMA_VERSION
        assert datetime.fromisoformat(manifest["created_at"]).utcoffset() is not None
        names = {e["path"] for e in manifest["files"]}
        assert names == set(zf.namelist()) - {"manifest.json"}
        assert "closer.sqlite3" in names
        assert sum(n.startswith("trash/audio/") for n in names) == 1
        for entry in manifest["files"]:
            data = zf.read(entry["path"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
            if entry["path"].endswith(".wav"):
                assert zf.getinfo(entry["path"]).compress_type == zipfile.ZIP_STORED


def test_backup_is_consistent_while_the_library_is_open_and_written(tmp_path: Path) -> None:
    source = tmp_path / "source"
    build_library(source)
    library = Library(source)  # open, with committed rows still only in its WAL
    add_take(library, library.start_session(DECK.id), 4, START + timedelta(days=9), seed=50)
    committed = {t["audio_path"] for t in takes_by_uid(source).values()}
    library.db.execute("BEGIN IMMEDIATE")  # a write in progress: must neither block nor show
    library.db.execute("UPDATE takes SET note = 'uncommitted'")
    library.db.execute("DELETE FROM sessions WHERE id = 3")
    try:
        summary = create_backup(source, tmp_path / "during.zip")
    finally:
        library.db.execute("ROLLBACK")
    assert summary.takes == 6 and summary.sessions == 4
    target = tmp_path / "target"
    restore_backup(tmp_path / "during.zip", target)
    restored = takes_by_uid(target)
    assert {t["audio_path"] for t in restored.values()} == committed
    assert all(t["note"] != "uncommitted" for t in restored.values())

    # A writer recording (and deleting) takes all the while: every snapshot lists only takes
    # whose audio is in the archive, and restores whole.
    stop = threading.Event()
    errors: list[BaseException] = []
    recorded = threading.Semaphore(0)

    def record() -> None:
        try:
            n = 0
            session = library.start_session(DECK.id)
            while not stop.is_set() and n < 400:
                n += 1
                take = add_take(library, session, n % 5, START + timedelta(days=20, seconds=n), n)
                if n % 3 == 0:
                    library.trash_take(take.id)
                recorded.release()
        except BaseException as exc:
            errors.append(exc)

    writer = threading.Thread(target=record)
    writer.start()
    counts = []
    try:
        for i in range(4):
            for _ in range(3):  # the writer has moved on since the previous snapshot
                assert recorded.acquire(timeout=10)
            archive = tmp_path / f"busy-{i}.zip"
            summary = create_backup(source, archive)
            assert summary.missing_audio == 0
            counts.append(summary.takes)
            into = tmp_path / f"busy-target-{i}"
            result = restore_backup(archive, into)
            assert result.takes_added == summary.takes and result.takes_without_audio == 0
            check = sqlite3.connect(into / "closer.sqlite3")
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            check.close()
    finally:
        stop.set()
        writer.join()
        library.close()
    assert errors == []
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_backup_never_overwrites_the_library(tmp_path: Path) -> None:
    source = tmp_path / "source"
    build_library(source)
    before = listing(source)
    for archive in (
        source / "closer.sqlite3",
        source / "closer.sqlite3-wal",
        source / "audio" / "b.zip",
    ):
        with pytest.raises(BackupError, match="choose another"):
            create_backup(source, archive)
    assert listing(source) == before
    create_backup(source, source / "backup.zip")  # beside the library is fine
    assert restore_backup(source / "backup.zip", tmp_path / "target").takes_added == 5


# The command line --------------------------------------------------------------------------------


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "out" / "b.zip"
    build_library(source)
    assert main(["backup", "--data-dir", str(source), str(archive)]) == 0
    err = capsys.readouterr().err
    assert "backed up 5 takes in 3 sessions" in err and str(archive) in err
    assert err.count("\n") == 1
    assert main(["--data-dir", str(target), "restore", str(archive)]) == 0
    assert "restored 5 takes and 3 sessions" in capsys.readouterr().err
    assert main(["restore", "--data-dir", str(target), str(archive)]) == 0
    assert "restored 0 takes and 0 sessions" in capsys.readouterr().err
    assert takes_by_uid(target) == takes_by_uid(source)


def test_cli_backup_of_a_folder_without_a_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "out" / "b.zip"
    assert main(["backup", "--data-dir", str(tmp_path / "nothing"), str(archive)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("closer: no library in") and "Traceback" not in err
    assert not (tmp_path / "nothing").exists() and not archive.parent.exists()


def test_cli_restore_of_a_missing_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restore", "--data-dir", str(tmp_path / "lib"), str(tmp_path / "no.zip")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"closer: cannot restore {tmp_path / 'no.zip'}")
    assert not (tmp_path / "lib").exists()


def test_cli_backup_into_an_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_library(tmp_path / "source")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["backup", "--data-dir", str(tmp_path / "source"), str(blocker / "b.zip")]) == 2
    assert capsys.readouterr().err.startswith("closer: cannot backup:")


# Hostile and damaged archives --------------------------------------------------------------------


def read_archive(archive: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    with zipfile.ZipFile(archive) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
        return files, json.loads(zf.read("manifest.json"))


def entry(name: str, data: bytes) -> dict[str, Any]:
    return {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def write_archive(
    path: Path,
    files: dict[str, bytes],
    manifest: dict[str, Any],
    extra: tuple[tuple[zipfile.ZipInfo, bytes], ...] = (),
) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name), data)
        for info, data in extra:
            zf.writestr(info, data)
        zf.writestr("manifest.json", json.dumps(manifest))


def with_member(name: str, data: bytes = b"RIFF evil") -> Callable[[Path, Path], None]:
    """A member listed in the manifest with its right size and checksum: only its name is wrong."""

    def make(good: Path, bad: Path) -> None:
        files, manifest = read_archive(good)
        manifest["files"].append(entry(name, data))
        write_archive(bad, {**files, name: data}, manifest)

    return make


def symlink_member(good: Path, bad: Path) -> None:
    files, manifest = read_archive(good)
    info = zipfile.ZipInfo("audio/2026-01/link.wav")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    manifest["files"].append(entry(info.filename, b"/etc/passwd"))
    write_archive(bad, files, manifest, ((info, b"/etc/passwd"),))


def bad_checksum(good: Path, bad: Path) -> None:
    files, manifest = read_archive(good)
    name = next(n for n in files if n.endswith(".wav"))
    data = bytearray(files[name])
    data[-1] ^= 0xFF  # same size; the zip's own CRC is rewritten to match: only sha256 catches it
    write_archive(bad, {**files, name: bytes(data)}, manifest)


def damaged_data(good: Path, bad: Path) -> None:
    """A flipped byte inside a stored audio member: the zip's CRC check catches it on reading."""
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".wav"))
        data = zf.read(name)
    where = raw.find(data[-200:])
    assert where > 0
    raw[where + 100] ^= 0xFF
    bad.write_bytes(bytes(raw))


def truncated(good: Path, bad: Path) -> None:
    raw = good.read_bytes()
    bad.write_bytes(raw[: len(raw) // 2])


def not_a_zip(good: Path, bad: Path) -> None:
    bad.write_bytes(b"just some text, not an archive\n" * 100)


def manifest_change(**changes: Any) -> Callable[[Path, Path], None]:
    def make(good: Path, bad: Path) -> None:
        files, manifest = read_archive(good)
        write_archive(bad, files, {**manifest, **changes})

    return make


def unlisted_member(good: Path, bad: Path) -> None:
    files, manifest = read_archive(good)
    write_archive(bad, {**files, "audio/2026-01/extra.wav": b"RIFF extra"}, manifest)


def missing_member(good: Path, bad: Path) -> None:
    files, manifest = read_archive(good)
    name = next(n for n in files if n.endswith(".wav"))
    write_archive(bad, {n: d for n, d in files.items() if n != name}, manifest)


def no_manifest(good: Path, bad: Path) -> None:
    files, _ = read_archive(good)
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def invalid_manifest(good: Path, bad: Path) -> None:
    files, _ = read_archive(good)
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", "{not json")


def evil_audio_path_in_database(good: Path, bad: Path) -> None:
    """A consistent archive whose database points a take outside the data folder."""
    files, manifest = read_archive(good)
    db = bad.parent / "evil.sqlite3"
    db.write_bytes(files["closer.sqlite3"])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE takes SET audio_path = 'audio/../../escape.wav' WHERE id = 1")
    conn.commit()
    conn.close()
    data = db.read_bytes()
    manifest["files"] = [
        entry("closer.sqlite3", data) if e["path"] == "closer.sqlite3" else e
        for e in manifest["files"]
    ]
    write_archive(bad, {**files, "closer.sqlite3": data}, manifest)


HOSTILE: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "path traversal": (with_member("../x.wav"), "'..' component"),
    "traversal inside audio": (with_member("audio/../../x.wav"), "'..' component"),
    "absolute path": (with_member("/tmp/x.wav"), "absolute path"),
    "backslash": (with_member("audio\\..\\x.wav"), "backslash"),
    "drive letter": (with_member("C:/x.wav"), "drive letter"),
    "outside the layout": (with_member("audio/2026-01/notes.txt"), "outside the archive's layout"),
    "unknown top folder": (with_member("other/x.wav"), "outside the archive's layout"),
    "symlink": (symlink_member, "symbolic link"),
    "bad checksum": (bad_checksum, "sha256 checksum"),
    "damaged data": (damaged_data, "damaged"),
    "truncated": (truncated, "truncated or damaged"),
    "not a zip": (not_a_zip, "not a zip archive"),
    "unknown format version": (
        manifest_change(format_version=99),
        "unknown backup format version 99",
    ),
    "newer schema": (manifest_change(schema_version=SCHEMA_VERSION + 1), "newer version of Closer"),
    "unlisted member": (unlisted_member, "not listed in the manifest"),
    "missing member": (missing_member, "the archive does not contain it"),
    "no manifest": (no_manifest, "no manifest.json"),
    "invalid manifest": (invalid_manifest, "not valid JSON"),
    "not our manifest": (manifest_change(format="something-else"), "not a Closer backup"),
    "unsafe path in database": (evil_audio_path_in_database, "has a '..' component"),
}


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good")
    build_library(root / "source", seed=7)
    create_backup(root / "source", root / "good.zip")
    return root / "good.zip"


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "existing library"])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_archive_is_refused_and_nothing_is_written(
    kind: str,
    existing: bool,
    good_archive: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, problem = HOSTILE[kind]
    bad = tmp_path / "bad.zip"
    make(good_archive, bad)
    target = tmp_path / "target"
    if existing:
        build_library(target, seed=100)
    before = listing(target)
    outside = listing(tmp_path)

    assert main(["restore", "--data-dir", str(target), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"closer: cannot restore {bad}: ")
    assert problem in err, err
    assert "nothing was written" in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert listing(target) == before
    assert listing(tmp_path) == outside  # nothing escaped the data folder either
    assert not (tmp_path.parent / "x.wav").exists()


def test_the_good_archive_is_accepted(good_archive: Path, tmp_path: Path) -> None:
    """The hostile archives above are all derived from this one, which restores fine."""
    files, manifest = read_archive(good_archive)
    rebuilt = tmp_path / "rebuilt.zip"
    write_archive(rebuilt, files, manifest)  # the test helpers alone break nothing
    assert restore_backup(rebuilt, tmp_path / "target").takes_added == 5


def test_restore_error_is_a_backup_error_naming_the_archive(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"")
    with pytest.raises(BackupError, match=str(bad)):
        restore_backup(bad, tmp_path / "target")
    assert not (tmp_path / "target").exists()


def test_backup_and_restore_report_progress_to_the_last_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    build_library(source)
    archive = tmp_path / "progress.zip"
    backed: list[tuple[str, int, int]] = []
    summary = create_backup(source, archive, lambda *step: backed.append(step))
    total = 1 + summary.takes  # the database, then one step per take
    assert backed == [("copying", n, total) for n in range(1, total + 1)]

    restored: list[tuple[str, int, int]] = []
    result = restore_backup(archive, tmp_path / "target", lambda *step: restored.append(step))
    members = len(zipfile.ZipFile(archive).namelist()) - 1  # everything but the manifest
    checking = [s for s in restored if s[0] == "checking"]
    adding = [s for s in restored if s[0] == "adding"]
    assert checking == [("checking", n, members) for n in range(1, members + 1)]
    assert adding == [("adding", n, result.files_added) for n in range(1, result.files_added + 1)]
    assert restored == checking + adding and result.files_added == summary.audio_files


def test_decks_travel_with_the_backup_and_existing_ones_are_kept(tmp_path: Path) -> None:
    from dataclasses import replace

    from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
    from closer_desktop.storage.decks import DeckStore

    source = tmp_path / "source"
    build_library(source)
    store = DeckStore(source)
    mine = store.create("Acme — final round")
    store.save_plan(mine.id, PracticePlan(PracticeOrder.WEAKEST_FIRST))
    builtin = store.load("closing-an-interview")
    edited = replace(builtin.questions[0], text="How well do I fit what you need?")
    store.save(builtin.with_questions([edited, *builtin.questions[1:]]))
    archive = tmp_path / "backup.zip"
    create_backup(source, archive)
    with zipfile.ZipFile(archive) as zf:
        decks = sorted(n for n in zf.namelist() if n.startswith("decks/"))
    assert len(decks) == 3 and "decks/practice.json" in decks

    fresh = tmp_path / "fresh"
    summary = restore_backup(archive, fresh)
    assert (summary.decks_added, summary.decks_kept) == (2, 0)
    restored = DeckStore(fresh)
    assert restored.load(mine.id) == store.load(mine.id)
    assert restored.load("closing-an-interview").questions[0].text.startswith("How well")
    assert restored.plan(mine.id).order is PracticeOrder.WEAKEST_FIRST

    # The destination's own version of a deck wins; restoring again adds nothing.
    restored.rename(mine.id, "Acme, my wording")
    again = restore_backup(archive, fresh)
    assert (again.decks_added, again.decks_kept) == (0, 2)
    assert restored.load(mine.id).name == "Acme, my wording"


def test_a_damaged_deck_in_an_archive_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    build_library(source)
    (source / "decks").mkdir()
    (source / "decks" / "mine.toml").write_text("version = 1\nname = 'x'\n", encoding="utf-8")
    archive = tmp_path / "backup.zip"
    create_backup(source, archive)
    target = tmp_path / "target"
    with pytest.raises(BackupError, match=r"decks/mine\.toml.*not a readable deck"):
        restore_backup(archive, target)
    assert not target.exists()
