"""A small SQLite layer: schema version in PRAGMA user_version, numbered migrations, WAL, foreign keys.

Errors are split as qutebrowser does: `DatabaseEnvironmentError` is the machine's fault (disk full,
read-only folder, damaged file, a library written by a newer Closer) and deserves a message to the
user; anything else is a bug and propagates.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# Each entry upgrades the schema from version N to N+1. Never edit a released entry: append.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        deck_id     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        ended_at    TEXT
    );
    CREATE TABLE takes (
        id              INTEGER PRIMARY KEY,
        session_id      INTEGER NOT NULL REFERENCES sessions(id),
        deck_id         TEXT NOT NULL,
        question_id     TEXT NOT NULL,
        question_text   TEXT NOT NULL,
        stage           TEXT NOT NULL,
        recorded_at     TEXT NOT NULL,
        duration_s      REAL NOT NULL DEFAULT 0,
        sample_rate     INTEGER NOT NULL,
        audio_path      TEXT NOT NULL UNIQUE,
        professionalism INTEGER CHECK (professionalism BETWEEN 1 AND 5),
        clarity         INTEGER CHECK (clarity BETWEEN 1 AND 5),
        note            TEXT NOT NULL DEFAULT '',
        recovered       INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1)),
        status          TEXT NOT NULL DEFAULT 'complete'
                        CHECK (status IN ('recording', 'complete'))
    );
    CREATE INDEX takes_by_question ON takes (deck_id, question_id, recorded_at);
    CREATE INDEX takes_by_session ON takes (session_id, recorded_at);
    """,
    # 2: stable ids (backups merge by them), the starred "model answer", and the trash.
    """
    ALTER TABLE sessions ADD COLUMN uid TEXT;
    UPDATE sessions SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX sessions_by_uid ON sessions (uid);
    ALTER TABLE takes ADD COLUMN uid TEXT;
    UPDATE takes SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX takes_by_uid ON takes (uid);
    ALTER TABLE takes ADD COLUMN starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1));
    ALTER TABLE takes ADD COLUMN trashed_at TEXT;
    CREATE INDEX takes_by_time ON takes (recorded_at);
    """,
    # 3: delivery feedback measured from each take (storage/take_metrics.py): the JSON of
    # analysis.metrics.Metrics.to_json(), and the analyser version that computed it.
    """
    CREATE TABLE take_metrics (
        take_id          INTEGER PRIMARY KEY REFERENCES takes(id) ON DELETE CASCADE,
        analyser_version INTEGER NOT NULL,
        computed_at      TEXT NOT NULL,
        metrics          TEXT NOT NULL
    );
    """,
    # 4: how a take was said (issue 18): read from the screen, from memory or in an interview
    # run; the hint level climbed to (memory and run takes), the question's key phrases as they
    # were when it was recorded (a JSON list: the take keeps the wording it answered), and a
    # run's response latency (end of the cue to the first word).
    """
    ALTER TABLE takes ADD COLUMN mode TEXT NOT NULL DEFAULT 'read'
        CHECK (mode IN ('read', 'memory', 'run'));
    ALTER TABLE takes ADD COLUMN hint_level INTEGER CHECK (hint_level BETWEEN 0 AND 3);
    ALTER TABLE takes ADD COLUMN key_phrases TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(key_phrases) AND json_type(key_phrases) = 'array');
    ALTER TABLE takes ADD COLUMN response_latency_s REAL CHECK (response_latency_s >= 0);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseEnvironmentError(Exception):
    """The library cannot be used for a reason outside the program (disk, permissions, damage)."""


class NewerDatabaseError(DatabaseEnvironmentError):
    """The library was written by a newer Closer; it is left untouched."""


class DatabaseCorruptError(DatabaseEnvironmentError):
    """The library file is damaged (truncated, overwritten, not a database at all)."""


class DatabaseReadOnlyError(DatabaseEnvironmentError):
    """The library file or its folder cannot be written (a read-only disk or folder)."""


class DatabaseDiskFullError(DatabaseEnvironmentError):
    """The disk holding the library is full; nothing is wrong with the library itself."""


# Below this much free space an I/O error is taken for a full disk: SQLite reports a -shm it
# could not grow as SQLITE_IOERR_SHMSIZE (or a journal it could not create as CANTOPEN), not
# as SQLITE_FULL.
FULL_BELOW_BYTES = 1024 * 1024


_ENVIRONMENT_CODES = {
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
    "SQLITE_READONLY",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_PERM",
}


def is_environment_error(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return any(name.startswith(code) for code in _ENVIRONMENT_CODES)


def environment_error(
    exc: sqlite3.Error, message: str, path: Path | None = None
) -> DatabaseEnvironmentError:
    """The DatabaseEnvironmentError (subclass) that `exc` amounts to, with `message`.

    A full disk is never damage: SQLITE_FULL, or an I/O error while the disk holding `path` (the
    database) has no room left, is a DatabaseDiskFullError whose message says so, whatever
    `message` said, so that nobody sets a sound library aside for it.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return DatabaseCorruptError(message)
    full = name.startswith("SQLITE_FULL") or (
        path is not None
        and name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN"))
        and disk_is_full(path.parent)
    )
    if full:
        where = f" holding {path.parent}" if path is not None else ""
        return DatabaseDiskFullError(
            f"the disk{where} is full ({exc}); your library is not damaged: free some space "
            "and try again"
        )
    if name.startswith("SQLITE_READONLY"):
        return DatabaseReadOnlyError(message)
    return DatabaseEnvironmentError(message)


def disk_is_full(folder: Path) -> bool:
    """Whether the file system holding `folder` has (next to) no room or no free inodes left."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    no_inodes = stats.f_files > 0 and stats.f_favail == 0  # some file systems report no inodes
    return stats.f_bavail * stats.f_frsize < FULL_BELOW_BYTES or no_inodes


@contextmanager
def read_only_connection(path: Path, tidy: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection that reads the library at `path` and never writes it or its folder.

    First SQLite's read-only mode (`mode=ro`), which sees a live writer's changes. That mode needs
    a -shm beside the file (it creates one), so it fails on a read-only disk, or a full one, when
    there is none. Then, where the -wal is absent or empty, the file alone is the whole library:
    it is opened `immutable=1` (no lock, no -shm; nothing can be writing it, since a writer in WAL
    mode always has its -wal). A -wal with content holds recent changes that immutable mode would
    not see, so the file and its -wal are copied to a private temp folder and the copy is read.
    `tidy` removes the empty -wal and -shm that `mode=ro` creates for itself, for a caller that
    knows no other process can have opened the library meanwhile (a live writer's -wal would go).
    """
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    absent = not os.path.lexists(wal) and not os.path.lexists(shm)
    conn: sqlite3.Connection | None = None
    try:
        try:
            conn = _probe(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))
        except sqlite3.Error as exc:
            name = getattr(exc, "sqlite_errorname", "") or ""
            if not name.startswith(
                ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_FULL")
            ):
                raise
            log.info("reading %s without its -shm (%s)", path, exc)
        if conn is not None:
            yield conn
            return
        if not wal.exists() or wal.stat().st_size == 0:
            conn = _probe(
                sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            )
            yield conn
            return
        with tempfile.TemporaryDirectory(prefix="closer-read-") as work:
            copy = Path(work) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, f"{copy}-wal")
            conn = _probe(sqlite3.connect(copy))
            try:
                yield conn
            finally:
                conn.close()
    finally:
        if conn is not None:
            conn.close()
        if tidy and absent:  # this connection's own, not the library's
            with contextlib.suppress(OSError):
                if wal.stat().st_size == 0:
                    wal.unlink()
                    shm.unlink(missing_ok=True)


def _probe(conn: sqlite3.Connection) -> sqlite3.Connection:
    """`conn`, once it has read the schema (SQLite opens lazily: errors come at the first read)."""
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def snapshot_database(source: Path, target: Path | sqlite3.Connection) -> None:
    """The one copy of a library database: a consistent snapshot of `source`, read through
    `read_only_connection` (so it works on a read-only or full disk and never writes there), made
    with SQLite's backup API into `target` (a file, created or replaced, or an open connection).
    """
    with read_only_connection(source) as origin:
        if isinstance(target, sqlite3.Connection):
            origin.backup(target)
            return
        copy = sqlite3.connect(target)
        try:
            origin.backup(copy)
            copy.commit()
        finally:
            copy.close()


def header_user_version(path: Path) -> int | None:
    """PRAGMA user_version read from the file's header, without SQLite (None: not a database).

    Lets a newer library be refused before SQLite creates its -wal and -shm files beside it.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    return int.from_bytes(header[60:64], "big", signed=True)


def check_file_integrity(path: Path) -> None:
    """SQLite's quick check of an existing library file, on a read-only connection; raises
    DatabaseCorruptError when it fails (or the file is not a database at all).

    Run before the file is opened to be written: that runs WAL mode and the migrations, and
    closing such a connection copies the -wal into the file and deletes it, so a damaged library
    would no longer be set aside as it was found. A read-only connection changes nothing.
    """
    if not path.exists():
        return
    try:
        with read_only_connection(path, tidy=True) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = int(conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error as exc:
        if is_environment_error(exc):
            error = environment_error(exc, f"the library {path} cannot be read: {exc}", path)
            if isinstance(error, DatabaseCorruptError):
                error = DatabaseCorruptError(f"the library {path} is damaged: {exc}")
            raise error from exc
        raise
    problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
    if version < 0 or (version == 0 and tables):  # the header's version field is damaged
        problems.append(f"its schema version reads {version}, but it holds {tables} tables")
    if problems:
        raise DatabaseCorruptError(f"the library {path} is damaged: {'; '.join(problems[:3])}")


class Database:
    """One connection to the library file. Used from one thread at a time (the library worker)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        version = header_user_version(path)
        if version is not None and version > SCHEMA_VERSION:
            raise NewerDatabaseError(_newer_message(path, version))
        _create_private(path)  # SQLite gives its -wal and -shm files the same mode
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            if is_environment_error(exc):
                message = f"cannot open the library {path}: {exc}"
                raise environment_error(exc, message, path) from exc
            raise
        try:
            self._conn.row_factory = sqlite3.Row
            self._refuse_newer()  # before anything (even WAL mode) writes to the file
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except BaseException as exc:
            # A half-opened library must not keep its file open (or locked) behind the error.
            self._conn.close()
            if isinstance(exc, sqlite3.Error) and is_environment_error(exc):
                message = f"cannot open the library {path}: {exc}"
                raise environment_error(exc, message, path) from exc
            raise

    @classmethod
    def read_only_copy(cls, path: Path) -> Database:
        """An in-memory copy of the library at `path`, brought to this schema.

        For readers that must not change the library (`closer export`, reports): the file is
        read through `snapshot_database` (consistent while Closer writes; works on a read-only or
        full disk), and only the copy is migrated. A newer library is refused as always.
        """
        version = header_user_version(path)
        if version is not None and version > SCHEMA_VERSION:
            raise NewerDatabaseError(_newer_message(path, version))
        self = cls.__new__(cls)
        self.path = path
        self._conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            snapshot_database(path, self._conn)
        except BaseException as exc:
            self._conn.close()
            if isinstance(exc, sqlite3.Error) and is_environment_error(exc):
                message = f"cannot read the library {path}: {exc}"
                raise environment_error(exc, message, path) from exc
            if isinstance(exc, OSError):  # the temp copy of a library with its -wal
                raise DatabaseEnvironmentError(
                    f"cannot read the library {path}: {exc.strerror or exc}"
                ) from exc
            raise
        try:
            self._conn.row_factory = sqlite3.Row
            self._refuse_newer()
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except BaseException as exc:
            self._conn.close()
            if isinstance(exc, sqlite3.Error) and is_environment_error(exc):
                raise environment_error(exc, f"cannot read the library {path}: {exc}") from exc
            raise
        return self

    @property
    def user_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self) -> None:
        version = self.user_version
        if version > SCHEMA_VERSION:
            self._conn.close()
            raise NewerDatabaseError(_newer_message(self.path, version))

    def _migrate(self) -> None:
        version = self.user_version
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in split_sql(MIGRATIONS[target - 1]):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {target}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception, a failed COMMIT included.

        A COMMIT can fail and leave the transaction open (SQLITE_BUSY, a deferred constraint);
        without the rollback every later BEGIN on this connection would fail too.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        except sqlite3.Error as exc:
            if is_environment_error(exc):
                raise environment_error(exc, str(exc)) from exc
            raise

    def _rollback(self) -> None:
        """Roll back whatever is open; a failure here must not hide the error that caused it."""
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.warning("ROLLBACK failed on %s", self.path, exc_info=True)

    def execute(
        self, sql: str, params: tuple[object, ...] | dict[str, object] = ()
    ) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            if is_environment_error(exc):
                raise environment_error(exc, str(exc)) from exc
            raise

    def close(self) -> None:
        self._conn.close()


def _newer_message(path: Path, version: int) -> str:
    return (
        f"the library {path} was written by a newer version of Closer "
        f"(schema {version}, this version knows {SCHEMA_VERSION}); it was not changed"
    )


def _create_private(path: Path) -> None:
    """Create the library file readable by its owner only (0600); make an existing one so too."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        with contextlib.suppress(OSError):  # someone else's file: it may still be readable
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, 0o600)
    except OSError:
        pass  # a read-only folder, say: sqlite3.connect says what is wrong


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (they hold no semicolons inside literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
