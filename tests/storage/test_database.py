from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from closer_desktop.storage.database import (
    SCHEMA_VERSION,
    Database,
    DatabaseEnvironmentError,
    NewerDatabaseError,
)


def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    assert db.user_version == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "takes"} <= tables
    db.close()


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    db = Database(path)
    with db.transaction() as conn:
        conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', 'now')")
    db.close()
    again = Database(path)
    assert again.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1
    again.close()


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', 'now')")
        raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    db.close()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    with pytest.raises(sqlite3.IntegrityError), db.transaction() as conn:
        conn.execute(
            "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, "
            "recorded_at, sample_rate, audio_path) VALUES (99, 'd', 'q', 't', 's', 'now', 1, 'a')"
        )
    db.close()


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of Closer"):
        Database(path)
    assert path.read_bytes() == before


def test_garbage_file_is_an_environment_error(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseEnvironmentError):
        Database(path)
    assert path.read_bytes() == b"this is not a database" * 100


def test_version_1_library_is_upgraded_in_place(tmp_path: Path) -> None:
    from closer_desktop.storage.database import MIGRATIONS, split_sql

    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path)
    for statement in split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', 'then')")
    for n in range(3):
        conn.execute(
            "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, "
            f"recorded_at, sample_rate, audio_path) VALUES (1, 'd', 'q', 't', 's', 'then', 1, 'a{n}')"
        )
    conn.commit()
    conn.close()
    db = Database(path)
    assert db.user_version == SCHEMA_VERSION
    uids = [r[0] for r in db.execute("SELECT uid FROM takes")]
    assert len(set(uids)) == 3 and all(len(u) == 32 for u in uids)
    assert db.execute("SELECT uid FROM sessions").fetchone()[0]
    assert [r[0] for r in db.execute("SELECT starred FROM takes")] == [0, 0, 0]
    db.close()


def spy_on_connections(monkeypatch: pytest.MonkeyPatch) -> list[sqlite3.Connection]:
    """Every connection sqlite3.connect opens from now on (until the monkeypatch is undone)."""
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def spy(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", spy)
    return opened


def test_a_failed_commit_is_rolled_back_and_the_connection_stays_usable(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    with pytest.raises(sqlite3.IntegrityError), db.transaction() as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # the violation surfaces at COMMIT
        conn.execute(
            "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, "
            "recorded_at, sample_rate, audio_path) VALUES (99, 'd', 'q', 't', 's', 'now', 1, 'a')"
        )
    assert not db._conn.in_transaction
    assert db.execute("SELECT COUNT(*) FROM takes").fetchone()[0] == 0
    with db.transaction() as conn:  # a later transaction can begin
        conn.execute("INSERT INTO sessions (deck_id, started_at) VALUES ('d', 'now')")
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1
    db.close()


def test_a_failing_migration_closes_the_connection_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from closer_desktop.storage import database

    path = tmp_path / "lib.sqlite3"
    Database(path).close()
    opened = spy_on_connections(monkeypatch)
    broken = "CREATE TABLE extra (x); CREATE TABLE sessions (x)"  # the second one fails
    monkeypatch.setattr(database, "MIGRATIONS", (*database.MIGRATIONS, broken))
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        Database(path)
    (conn,) = opened
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        conn.execute("SELECT 1")
    monkeypatch.undo()
    again = Database(path)
    assert again.user_version == SCHEMA_VERSION
    tables = {r[0] for r in again.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "extra" not in tables
    again.close()


def test_an_unreadable_file_does_not_leave_its_connection_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    opened = spy_on_connections(monkeypatch)
    with pytest.raises(DatabaseEnvironmentError):
        Database(path)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0].execute("SELECT 1")
