"""Restore treats an archive as untrusted input: its rows, its schema, its zip, its very file.

Every archive here is a real zip holding a real SQLite file, derived from a real backup of a
library built with the real API, then altered as an attacker (or bad luck) would.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from closer_desktop.cli import main
from closer_desktop.storage.database import MIGRATIONS, split_sql
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take, save_metrics, takes_needing_metrics
from closer_desktop.storage.workspaces import WORKSPACE_PREFIX, remove_abandoned_workspaces
from closer_desktop.transfer.archive_format import BackupError
from closer_desktop.transfer.backup import create_backup
from closer_desktop.transfer.restore import PartialRestoreError, RestoreCancelled, restore_backup
from tests.support.filesystems import FilesystemUnavailable, mount_tmpfs, unmount
from tests.transfer.test_backup import (
    START,
    build_library,
    entry,
    listing,
    read_archive,
    takes_by_uid,
    write_archive,
)


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good")
    build_library(root / "source", seed=11)
    create_backup(root / "source", root / "good.zip")
    return root / "good.zip"


def with_database(change: Callable[[sqlite3.Connection], None]) -> Callable[[Path, Path], None]:
    """An archive whose database `change` altered; manifest and checksums made to match."""

    def make(good: Path, bad: Path) -> None:
        files, manifest = read_archive(good)
        db = bad.parent / "altered.sqlite3"
        db.write_bytes(files["closer.sqlite3"])
        conn = sqlite3.connect(db, isolation_level=None)
        change(conn)
        conn.close()
        data = db.read_bytes()
        db.unlink()
        manifest["files"] = [
            entry("closer.sqlite3", data) if e["path"] == "closer.sqlite3" else e
            for e in manifest["files"]
        ]
        write_archive(bad, {**files, "closer.sqlite3": data}, manifest)

    return make


def sql(*statements: str) -> Callable[[Path, Path], None]:
    """An archive whose database ran `statements` (bypassing its CHECKs, as a crafted file can)."""

    def change(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            conn.execute(statement)

    return with_database(change)


def run_closer(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real `closer` in a process of its own: exit code and stderr as a user sees them."""
    return subprocess.run(
        [sys.executable, "-m", "closer_desktop", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_refused(err: str, archive: Path, *expected: str) -> None:
    assert err.startswith(f"closer: cannot restore {archive}: "), err
    for text in expected:
        assert text in err, err
    assert "nothing was written" in err
    assert "Traceback" not in err and err.count("\n") == 1, err


# Rows checked like user input ------------------------------------------------------------------

BAD_ROWS = {
    "time": (
        sql("UPDATE takes SET recorded_at = 'yesterday-ish' WHERE id = 2"),
        "take 2",
        "recorded_at is 'yesterday-ish'",
    ),
    "duration": (
        sql("UPDATE takes SET duration_s = 'long' WHERE id = 1"),
        "take 1",
        "duration_s is 'long'",
    ),
    "rating": (
        sql("UPDATE takes SET professionalism = 9 WHERE id = 1"),
        "take 1",
        "professionalism is 9",
    ),
    "session time": (
        sql("UPDATE sessions SET started_at = 'soon' WHERE id = 1"),
        "session 1",
        "started_at",
    ),
    "take without session": (
        sql("UPDATE takes SET session_id = 99 WHERE id = 1"),
        "take 1",
        "names no session",
    ),
    "long text": (
        sql("UPDATE takes SET note = hex(zeroblob(5000)) WHERE id = 1"),
        "take 1",
        "note is longer",
    ),
    "status": (sql("UPDATE takes SET status = 'done' WHERE id = 1"), "take 1", "status 'done'"),
    "backslash in path": (
        sql("UPDATE takes SET audio_path = 'audio\\x.wav' WHERE id = 1"),
        "take 1",
        "contains a backslash",
    ),
    "metrics of no take": (
        sql(
            "INSERT INTO take_metrics VALUES (999, 2, '2026-01-05T10:00:00+01:00', '{}')",
        ),
        "metrics row of take 999",
        "names no take",
    ),
    "metrics not json": (
        sql("INSERT INTO take_metrics VALUES (1, 2, '2026-01-05T10:00:00+01:00', '{nope')"),
        "metrics row of take 1",
        "not valid JSON",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_bad_row_is_refused_naming_it_and_nothing_is_created(
    kind: str, good_archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, row, problem = BAD_ROWS[kind]
    bad = tmp_path / "bad.zip"
    make(good_archive, bad)
    target = tmp_path / "library"
    outside = listing(tmp_path)

    assert main(["restore", "--data-dir", str(target), str(bad)]) == 2
    err = capsys.readouterr().err
    assert_refused(err, bad, f"its database's {row} is invalid", problem)
    assert "ains a backslash" not in err.replace("contains a backslash", "")
    assert not target.exists()  # no data folder, no empty database
    assert listing(tmp_path) == outside


def test_a_bad_row_leaves_an_existing_library_untouched(good_archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    sql("UPDATE takes SET duration_s = 'long' WHERE id = 3")(good_archive, bad)
    target = tmp_path / "library"
    build_library(target, seed=200)
    before = listing(target)
    with pytest.raises(BackupError, match="take 3 is invalid: duration_s is 'long'"):
        restore_backup(bad, target)
    assert listing(target) == before


# The schema holds only what Closer creates ------------------------------------------------------

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"
SCHEMA_OBJECTS = {
    "endless view for a table": (
        sql("DROP TABLE take_metrics", f"CREATE VIEW take_metrics AS {ENDLESS}"),
        "a view 'take_metrics'",
    ),
    "trigger": (
        sql(
            f"CREATE TRIGGER spin AFTER INSERT ON takes BEGIN SELECT count(*) FROM ({ENDLESS}); END"
        ),
        "a trigger 'spin'",
    ),
    "generated column": (
        sql("ALTER TABLE takes ADD COLUMN bomb BLOB AS (zeroblob(300000)) VIRTUAL"),
        "a table 'takes'",
    ),
    "extra index": (sql("CREATE INDEX mine ON takes (note)"), "an index 'mine'"),
}


@pytest.mark.parametrize("kind", list(SCHEMA_OBJECTS))
def test_a_schema_object_closer_does_not_create_is_refused(
    kind: str, good_archive: Path, tmp_path: Path
) -> None:
    make, problem = SCHEMA_OBJECTS[kind]
    bad = tmp_path / "bad.zip"
    make(good_archive, bad)
    target = tmp_path / "library"
    # A real process with a deadline: before the fix the view and the upgrade ran for ever.
    done = run_closer("restore", "--data-dir", str(target), str(bad), timeout=60)
    assert done.returncode == 2, done.stderr
    assert_refused(done.stderr, bad, problem, "Closer does not create")
    assert not target.exists()


def old_archive(path: Path, trigger: str | None = None) -> None:
    """A schema-1 archive (no uids, stars or trash), as a first version of Closer wrote it."""
    db = path.parent / "old.sqlite3"
    conn = sqlite3.connect(db)
    for statement in split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', ?)", (START.isoformat(),))
    conn.execute(
        "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, recorded_at, "
        "duration_s, sample_rate, audio_path) "
        "VALUES (1, 'd', 'q', 't', 's', ?, 1.5, 16000, 'audio/2026-01/a.wav')",
        (START.isoformat(),),
    )
    if trigger:
        conn.execute(trigger)
    conn.commit()
    conn.close()
    files = {"closer.sqlite3": db.read_bytes(), "audio/2026-01/a.wav": b"RIFF old audio"}
    db.unlink()
    manifest = {
        "format": "closer-backup",
        "format_version": 1,
        "schema_version": 1,
        "files": [entry(name, data) for name, data in files.items()],
    }
    write_archive(path, files, manifest)


def test_an_old_schema_archive_is_read_without_upgrading_it(tmp_path: Path) -> None:
    archive, target = tmp_path / "old.zip", tmp_path / "library"
    old_archive(archive)
    summary = restore_backup(archive, target)
    assert (summary.takes_added, summary.sessions_added) == (1, 1)
    assert restore_backup(archive, target).takes_added == 0  # its derived uids are stable
    take = next(iter(takes_by_uid(target).values()))
    assert (take["duration_s"], take["starred"], take["trashed_at"]) == (1.5, 0, None)
    assert take["audio"] == b"RIFF old audio"


def test_a_trigger_the_upgrade_would_fire_is_refused_not_run(tmp_path: Path) -> None:
    archive, target = tmp_path / "old.zip", tmp_path / "library"
    # Upgrading schema 1 updates every session (their new uids): this trigger would spin.
    old_archive(
        archive,
        f"CREATE TRIGGER spin AFTER UPDATE ON sessions BEGIN SELECT count(*) FROM ({ENDLESS}); END",
    )
    done = run_closer("restore", "--data-dir", str(target), str(archive), timeout=60)
    assert done.returncode == 2, done.stderr
    assert_refused(done.stderr, archive, "a trigger 'spin'")
    assert not target.exists()


# Bombs and files that are not archives --------------------------------------------------------


def test_overlapping_members_are_refused(good_archive: Path, tmp_path: Path) -> None:
    """Two directory entries sharing one compressed stream: each counted, unpacked once each."""
    data = b"\0" * (4 * 1024 * 1024)
    bad = tmp_path / "overlap.zip"
    files, manifest = read_archive(good_archive)
    names = ["audio/2026-01/a.wav", "audio/2026-01/b.wav"]
    manifest["files"] += [entry(name, data) for name in names]
    write_archive(bad, {**files, names[0]: data}, manifest)
    with zipfile.ZipFile(bad, "a") as zf:  # a second entry pointing at the first one's data
        first = zf.getinfo(names[0])
        twin = zipfile.ZipInfo(names[1], first.date_time)
        for field in ("compress_type", "CRC", "compress_size", "file_size", "header_offset"):
            setattr(twin, field, getattr(first, field))
        zf.filelist.append(twin)
        zf.NameToInfo[twin.filename] = twin
        zf._didModify = True  # type: ignore[attr-defined]  # rewrite the directory, twin in it
    with pytest.raises(BackupError, match=r"overlap \(a zip bomb"):
        restore_backup(bad, tmp_path / "library")
    assert not (tmp_path / "library").exists()


def test_a_compression_closer_does_not_write_is_refused(good_archive: Path, tmp_path: Path) -> None:
    """bzip2 packs 64 MiB of zeros into a few dozen bytes: a bomb that its manifest vouches for."""
    data = b"\0" * (64 * 1024 * 1024)
    bad = tmp_path / "bzip2.zip"
    files, manifest = read_archive(good_archive)
    manifest["files"].append(entry("audio/2026-01/zeros.wav", data))
    write_archive(bad, files, manifest)
    with zipfile.ZipFile(bad, "a", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("audio/2026-01/zeros.wav", data)
    assert bad.stat().st_size < 1024 * 1024
    with pytest.raises(BackupError, match="compression method Closer does not write"):
        restore_backup(bad, tmp_path / "library")


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    try:
        disk = mount_tmpfs(tmp_path / "disk", 32 * 1024 * 1024)
    except FilesystemUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield disk
    finally:
        unmount(disk)


def test_an_archive_larger_than_the_free_space_is_refused_before_unpacking(
    good_archive: Path, tmp_path: Path, small_disk: Path
) -> None:
    """It is unpacked beside the library, not in /tmp: its size is weighed against that disk."""
    data = b"\0" * (64 * 1024 * 1024)  # deflates to 64 KiB
    bad = tmp_path / "big.zip"
    files, manifest = read_archive(good_archive)
    manifest["files"].append(entry("audio/2026-01/zeros.wav", data))
    with zipfile.ZipFile(bad, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in {**files, "audio/2026-01/zeros.wav": data}.items():
            zf.writestr(name, content)
        zf.writestr("manifest.json", json.dumps(manifest))
    assert bad.stat().st_size < 1024 * 1024
    target = small_disk / "library"
    with pytest.raises(BackupError, match=r"not enough space in .*disk: it unpacks to 64\.\d MiB"):
        restore_backup(bad, target)
    assert listing(small_disk) == {}


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_a_device_or_fifo_is_refused_at_once(kind: str, tmp_path: Path) -> None:
    archive = Path("/dev/zero")
    if kind == "fifo":
        archive = tmp_path / "backup.zip"
        os.mkfifo(archive)
    target = tmp_path / "library"
    done = run_closer("restore", "--data-dir", str(target), str(archive), timeout=30)
    assert done.returncode == 2, done.stderr
    assert_refused(done.stderr, archive, "not a regular file")
    assert not target.exists()


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    from closer_desktop.transfer.restore import MAX_MEMBERS

    bad = tmp_path / "many.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for number in range(MAX_MEMBERS + 1):
            zf.writestr(zipfile.ZipInfo(f"audio/x/{number}.wav"), b"")
    with pytest.raises(BackupError, match=f"{MAX_MEMBERS + 1} members, more than a backup can"):
        restore_backup(bad, tmp_path / "library")


# Delivery metrics travel with their takes ------------------------------------------------------


def test_metrics_are_restored_with_their_analyser_version(tmp_path: Path) -> None:
    source, target, archive = tmp_path / "source", tmp_path / "library", tmp_path / "b.zip"
    build_library(source)
    library = Library(source)
    takes = library.db.execute("SELECT id, uid FROM takes WHERE status = 'complete'").fetchall()
    by_uid: dict[str, dict[str, Any]] = {}
    for number, (take_id, uid) in enumerate(takes):
        metrics = {"analyser_version": 1 + number % 2, "words_per_minute": 120 + number}
        assert save_metrics(library, take_id, metrics)
        by_uid[uid] = metrics
    library.close()
    create_backup(source, archive)

    summary = restore_backup(archive, target)
    assert summary.metrics_added == len(takes)
    restored = Library(target)
    uids = dict(restored.db.execute("SELECT id, uid FROM takes").fetchall())
    kept = {uids[take_id]: m for take_id, m in metrics_by_take(restored).items()}
    assert kept == by_uid
    versions = dict(
        restored.db.execute(
            "SELECT t.uid, m.analyser_version FROM take_metrics m JOIN takes t ON t.id = m.take_id"
        ).fetchall()
    )
    assert versions == {uid: m["analyser_version"] for uid, m in by_uid.items()}
    live = {
        u for (i, u) in restored.db.execute("SELECT id, uid FROM takes WHERE trashed_at IS NULL")
    }
    assert {uids[i] for i in takes_needing_metrics(restored, 2)} == {
        u for u, m in by_uid.items() if m["analyser_version"] == 1 and u in live
    }
    restored.close()


# Cancelling, and what a failed restore may remove ------------------------------------------------


def test_cancel_while_checking_writes_nothing(good_archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "library"
    checked: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        checked.append(done)

    with pytest.raises(RestoreCancelled, match="cancelled; nothing was written"):
        restore_backup(good_archive, target, progress, cancel=lambda: len(checked) >= 2)
    assert not target.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_restore_removes_its_own_files_and_never_another_writers(
    good_archive: Path, tmp_path: Path
) -> None:
    target = tmp_path / "library"
    build_library(target, seed=300)
    before = listing(target)
    added: list[Path] = []
    foreign = b"RIFF another writer's take"

    def progress(stage: str, done: int, total: int) -> None:
        if stage != "adding":
            return
        new = sorted(
            {
                p
                for p in target.rglob("*.wav")
                if str(p.relative_to(target)) not in (before or {})
                and not p.relative_to(target).parts[0].startswith(".closer-")  # its workspace
            }
            - set(added)
        )
        added.extend(new)
        if done == 1:  # another writer replaces the file this restore just put in place
            mine = next(p for p in added if not str(p).startswith(str(target / "trash")))
            spare = mine.with_name(".spare")
            spare.write_bytes(foreign)
            os.replace(spare, mine)

    with pytest.raises(RestoreCancelled):
        restore_backup(good_archive, target, progress, cancel=lambda: len(added) >= 3)
    replaced = next(p for p in added if p.exists())
    assert replaced.read_bytes() == foreign  # not this restore's file: left alone
    after = listing(target)
    assert after is not None and before is not None
    del after[str(replaced.relative_to(target))]
    for folder in {str(p.parent.relative_to(target)) for p in added}:
        after.pop(folder, None)
        before.pop(folder, None)
    assert after == before  # everything else it wrote (audio, sidecars) is gone again


def test_ctrl_c_stops_a_cli_restore_cleanly(good_archive: Path, tmp_path: Path) -> None:
    """Thousands of members: long enough to be interrupted in the middle, as a user would."""
    files, manifest = read_archive(good_archive)
    extra = {f"audio/2026-02/{n}.wav": b"RIFF %d" % n for n in range(4000)}
    manifest["files"] += [entry(name, data) for name, data in extra.items()]
    archive = tmp_path / "long.zip"
    write_archive(archive, {**files, **extra}, manifest)
    target = tmp_path / "library"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "closer_desktop",
            "restore",
            "--data-dir",
            str(target),
            str(archive),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        unpacked = 0
        start = time.monotonic()
        while unpacked < 200 and time.monotonic() - start < 60:
            unpacked = sum(
                len(os.listdir(folder / "audio" / "2026-02"))
                for folder in [*tmp_path.glob(".closer-*"), *target.glob(".closer-*")]
                if (folder / "audio" / "2026-02").is_dir()
            )
            time.sleep(0.01)
        assert unpacked >= 200 and process.poll() is None
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert err == f"closer: the restore of {archive} was cancelled; nothing was written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.zip"]  # nor a data folder


# Leftovers of a restore killed with kill -9 ---------------------------------------------------

HOLD_A_WORKSPACE = """
import sys, time
from pathlib import Path
from closer_desktop.transfer.restore import _workspace
with _workspace(Path("x.zip"), Path(sys.argv[1])) as folder:
    (folder / "audio").mkdir()
    (folder / "audio" / "big.wav").write_bytes(b"RIFF" * 1000)
    print(folder, flush=True)
    time.sleep(120)
"""


def hold_workspace(where: Path) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_WORKSPACE, str(where)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, Path(process.stdout.readline().strip())


def test_a_killed_restores_folder_is_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "library"
    build_library(data_dir)
    killed, left = hold_workspace(data_dir)
    killed.kill()
    killed.wait()
    beside, left_beside = hold_workspace(tmp_path)  # unpacked beside a library not made yet
    beside.kill()
    beside.wait()
    live, in_use = hold_workspace(data_dir)
    dead_pid = killed.pid
    lockless = data_dir / f"{WORKSPACE_PREFIX}{dead_pid}-0123456789ab"  # killed before its lock
    lockless.mkdir()
    unrelated = [data_dir / ".closer-restore-notes", tmp_path / f"{WORKSPACE_PREFIX}1-x"]
    for folder in unrelated:
        folder.mkdir()
    try:
        assert left.is_dir() and left_beside.is_dir() and in_use.is_dir()
        removed = remove_abandoned_workspaces(data_dir)
        assert sorted(removed) == sorted([left, left_beside, lockless])
        assert in_use.is_dir() and (in_use / "audio" / "big.wav").exists()
        assert all(folder.is_dir() for folder in unrelated)
    finally:
        live.kill()
        live.wait()


def test_start_up_recovery_and_the_next_restore_remove_abandoned_folders(
    good_archive: Path, tmp_path: Path
) -> None:
    from closer_desktop.storage.recovery import open_library

    data_dir = tmp_path / "library"
    build_library(data_dir)
    killed, left = hold_workspace(data_dir)
    killed.kill()
    killed.wait()
    library, _ = open_library(data_dir)
    library.close()
    assert not left.exists()

    killed, left = hold_workspace(data_dir)
    killed.kill()
    killed.wait()
    restore_backup(good_archive, data_dir)
    assert not left.exists()


# A failure after the takes are in says what was restored -----------------------------------------


def test_a_deck_failure_after_the_takes_are_saved_says_what_was_restored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from closer_desktop.storage.decks import DeckStore

    source, target, archive = tmp_path / "source", tmp_path / "library", tmp_path / "b.zip"
    build_library(source)
    DeckStore(source).create("Acme — final round")
    create_backup(source, archive)
    Library(target).close()
    (target / "decks").write_bytes(b"")  # a file where the decks folder goes: saving fails

    with pytest.raises(PartialRestoreError) as caught:
        restore_backup(archive, target)
    assert caught.value.summary.takes_added == 5
    assert len(takes_by_uid(target)) == 5  # the takes stay
    assert str(caught.value).startswith(f"restored 5 takes and 3 sessions into {target}")
    assert "its decks could not be added" in str(caught.value)

    (target / "closer.sqlite3").unlink()
    assert main(["restore", "--data-dir", str(target), str(archive)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("closer: restored 5 takes") and "Nothing" not in err
    assert err.count("\n") == 1


def test_the_archive_is_never_unpacked_in_the_system_temp_folder(
    good_archive: Path, tmp_path: Path
) -> None:
    import tempfile

    seen: list[Path] = []
    target = tmp_path / "library"

    def progress(stage: str, done: int, total: int) -> None:
        seen.extend(tmp_path.glob(f"{WORKSPACE_PREFIX}*"))

    before = set(Path(tempfile.gettempdir()).iterdir())
    restore_backup(good_archive, target, progress)
    assert seen and all(p.parent in (tmp_path, target) for p in seen)
    assert not [
        p for p in set(Path(tempfile.gettempdir()).iterdir()) - before if "restore" in p.name
    ]
    assert not list(tmp_path.glob(f"{WORKSPACE_PREFIX}*")) and not list(target.glob(".closer-*"))


def test_a_huge_file_that_is_no_zip_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.zip"
    with huge.open("wb") as f:
        f.truncate(64 * 1024**3)  # sparse: 64 GiB that would take minutes to read
    start = time.monotonic()
    with pytest.raises(BackupError, match="not a zip archive"):
        restore_backup(huge, tmp_path / "library")
    assert time.monotonic() - start < 5


def test_a_disk_filling_up_while_unpacking_says_not_enough_space(
    good_archive: Path, tmp_path: Path, small_disk: Path
) -> None:
    from tests.support.filesystems import fill

    target = small_disk / "library"
    filled: list[Path] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not filled:  # another program takes the rest of the disk after the first member
            filled.append(fill(small_disk, 0))

    with pytest.raises(BackupError, match=r"not enough space in .*disk; nothing was written"):
        restore_backup(good_archive, target, progress)
    filled[0].unlink()
    assert listing(small_disk) == {}


def test_a_restore_killed_mid_way_leaves_nothing_the_next_one_keeps(
    good_archive: Path, tmp_path: Path
) -> None:
    """A real `closer restore` killed with SIGKILL while unpacking; the next one cleans up."""
    files, manifest = read_archive(good_archive)
    extra = {f"audio/2026-02/{n}.wav": b"RIFF %d" % n for n in range(4000)}
    manifest["files"] += [entry(name, data) for name, data in extra.items()]
    archive = tmp_path / "long.zip"
    write_archive(archive, {**files, **extra}, manifest)
    target = tmp_path / "library"
    build_library(target, seed=500)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "closer_desktop",
            "restore",
            "--data-dir",
            str(target),
            str(archive),
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        start = time.monotonic()
        while time.monotonic() - start < 60 and not any(
            len(os.listdir(folder / "audio" / "2026-02")) > 200
            for folder in target.glob(".closer-restore-*")
            if (folder / "audio" / "2026-02").is_dir()
        ):
            time.sleep(0.01)
        assert process.poll() is None
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    left = list(target.glob(".closer-*"))
    assert len(left) == 1  # the kill left its unpacked archive

    summary = restore_backup(good_archive, target)
    assert summary.takes_added == 5
    assert not list(target.glob(".closer-*"))
    assert not [p for p in target.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("folder", ["new", "empty"])
def test_cancel_while_adding_takes_back_the_database_it_created(
    folder: str, good_archive: Path, tmp_path: Path
) -> None:
    """Once files are going in, cancelling still leaves no library behind: neither its audio,
    nor the empty database, nor a folder it made (an empty one, as the library's lock makes,
    stays)."""
    target = tmp_path / "library"
    if folder == "empty":
        target.mkdir()
    adding: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "adding":
            adding.append(done)

    with pytest.raises(RestoreCancelled):
        restore_backup(good_archive, target, progress, cancel=lambda: len(adding) >= 2)
    assert adding == [1, 2]
    assert listing(target) == ({} if folder == "empty" else None)


def test_cancel_interrupts_a_statement_reading_the_archives_database(
    good_archive: Path, tmp_path: Path
) -> None:
    """The progress handler looks at the cancel flag while SQLite runs, not only between steps."""
    big = tmp_path / "big.zip"
    sql(
        "INSERT INTO sessions (deck_id, started_at, uid) "
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
        "SELECT 'd', '2026-01-05T09:30:00+01:00', printf('%032x', i) FROM n"
    )(good_archive, big)
    members = len(zipfile.ZipFile(big).namelist()) - 1
    checked: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        checked.append(done)

    with pytest.raises(RestoreCancelled) as caught:
        restore_backup(big, tmp_path / "library", progress, cancel=lambda: len(checked) == members)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)  # "interrupted"
    assert "interrupt" in str(caught.value.__cause__)
    assert restore_backup(big, tmp_path / "library").sessions_added == 3 + 20000
