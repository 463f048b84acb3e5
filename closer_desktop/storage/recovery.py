"""Opening the library at start, and repairing whatever a crash, a full disk or damage left behind.

`open_library(data_dir)` is what the app calls (on the library's worker thread):

- a library written by a newer Closer is refused untouched, and a read-only data folder is refused
  with a message that says so (nothing is created or changed in either case);
- a damaged database (it fails to open, or SQLite's quick check fails) is never overwritten: it is
  renamed to `closer.sqlite3.damaged-<date>` (its -wal and -shm files alongside), and a new
  library is rebuilt from the audio files and their sidecars (storage/sidecar.py). It is checked
  on a read-only connection first, so the copy set aside is the file as it was found;
- a -wal left without its database (a crash while setting one aside) is never handed to a new
  database, which would discard it: it joins its set-aside database, or is kept as `.orphan-`;
- takes left `recording` by a crash are finished with whatever audio reached the disk;
- audio files in the data folder that no take lists are adopted as recovered takes (never deleted),
  and a row whose file was moved (a crash between moving a file to the trash and saving that) is
  pointed at it again, found by the uid in the sidecar.

What happened comes back as a `StartReport`, whose `message()` the app shows once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from closer_desktop.domain.practice import Take, slug
from closer_desktop.domain.text import counted
from closer_desktop.paths import AUDIO_DIR, DATABASE_NAME, ensure_private_dir
from closer_desktop.storage import sidecar
from closer_desktop.storage.database import (
    SCHEMA_VERSION,
    DatabaseCorruptError,
    DatabaseEnvironmentError,
    DatabaseReadOnlyError,
    NewerDatabaseError,
    check_file_integrity,
    header_user_version,
)
from closer_desktop.storage.files import (
    UnsafeFolderError,
    audio_length,
    data_folder_warning,
    move_no_clobber,
)
from closer_desktop.storage.library import TRASH_DIR, Library
from closer_desktop.storage.lock import LibraryLock
from closer_desktop.storage.sidecar import TakeRecord
from closer_desktop.storage.workspaces import remove_abandoned_workspaces

log = logging.getLogger(__name__)

DAMAGED_SUFFIX = ".damaged-"
ORPHAN_SUFFIX = ".orphan-"
_NAME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})_(?P<time>\d{6})_(?P<slug>.+?)_take-(?P<number>\d+)"
    r"(?:_[^.]*)?\.(?:wav|flac)",
    re.IGNORECASE,
)


@dataclass
class StartReport:
    """What opening the library repaired; `message()` tells the user once (None: nothing)."""

    recovered: list[Take] = field(default_factory=list)  # unfinished takes, finished now
    adopted: list[Take] = field(default_factory=list)  # unlisted audio, listed now
    unreadable: list[str] = field(default_factory=list)  # adopted files that are not audio
    relinked: int = 0  # rows pointed at their moved file again
    damaged_copy: Path | None = None  # where a damaged database was set aside
    rebuilt: int = 0  # takes rebuilt from audio files after the damage
    stray_journal: Path | None = None  # where the -wal of a vanished database was kept
    unsafe_folder: str | None = None  # why the data folder is not fully to be trusted

    def message(self) -> str | None:
        parts = []
        if self.unsafe_folder is not None:
            parts.append(f"Your data folder is not private: {self.unsafe_folder}.")
        if self.damaged_copy is not None:
            parts.append(
                "Your library file was damaged. It is kept, unchanged, as "
                f"{self.damaged_copy.name}, and the library was rebuilt from your recordings: "
                f"{counted(self.rebuilt, 'take')} with their questions, ratings and notes."
            )
        if self.stray_journal is not None:
            parts.append(
                "The library file was missing, but not its journal of recent changes: that is "
                f"kept as {self.stray_journal.name}-wal. A new library was started."
            )
        if self.recovered:
            seconds = sum(t.duration_s for t in self.recovered)
            one = len(self.recovered) == 1
            parts.append(
                f"Recovered {counted(len(self.recovered), 'take')} ({seconds:.0f} s) that had "
                "not been saved when Closer last stopped. "
                f"{'It is' if one else 'They are'} listed with "
                f"{'its question' if one else 'their questions'}, marked “recovered”."
            )
        if self.adopted and self.damaged_copy is None:
            one = len(self.adopted) == 1
            parts.append(
                f"Found {counted(len(self.adopted), 'recording')} in your data folder that "
                f"the library did not list; {'it is' if one else 'they are'} listed now, "
                "marked “recovered”."
            )
        if self.unreadable:
            parts.append(
                f"{counted(len(self.unreadable), 'file')} in the audio folder cannot be read as "
                f"audio ({', '.join(self.unreadable[:3])}"
                f"{', …' if len(self.unreadable) > 3 else ''}); kept as they are."
            )
        return " ".join(parts) or None


def open_library(data_dir: Path, lock: LibraryLock | None = None) -> tuple[Library, StartReport]:
    """Open the library in `data_dir` for the app, repairing what can be repaired (see above).

    Repairs run only under the library's lock (storage/lock.py): another writer's take in
    progress looks exactly like one a crash left. The app passes the lock it took at launch;
    without one, the lock is taken here (LibraryLocked if someone else holds it) and given up
    when the library is closed.

    Raises NewerDatabaseError, DatabaseReadOnlyError or DatabaseEnvironmentError (for the user)
    when the library cannot be used; nothing is changed then.
    """
    if lock is None:
        _refuse_newer(data_dir / DATABASE_NAME)  # before the lock file is made
        unsafe = _check_writable(data_dir)  # said once the library is open: it is private now
        own_lock = LibraryLock.acquire(data_dir, "Closer")
        try:
            library, report = open_library(data_dir, own_lock)
        except BaseException:
            own_lock.release()
            raise
        library.hold_lock(own_lock)
        report.unsafe_folder = report.unsafe_folder or unsafe
        return library, report
    if lock.data_dir != data_dir or lock.released:
        raise ValueError(f"open_library({data_dir}) needs that library's lock, held")
    database = data_dir / DATABASE_NAME
    _refuse_newer(database)
    unsafe = _check_writable(data_dir)
    report = StartReport(unsafe_folder=lock.folder_warning or unsafe)
    _keep_stray_journal(database, report)
    try:
        check_file_integrity(database)  # read-only first: a damaged file is set aside as found
        library = Library(data_dir)
    except DatabaseCorruptError as exc:
        log.error("the library database is damaged: %s", exc)
        report.damaged_copy = set_aside(database)
        library = Library(data_dir)
    try:
        report.recovered = library.recover_unfinished_takes()
        adopt_unlisted_audio(library, report, rebuilding=report.damaged_copy is not None)
        remove_abandoned_workspaces(data_dir)  # what a restore killed mid-way unpacked
    except BaseException:
        library.close()
        raise
    return library, report


def _refuse_newer(database: Path) -> None:
    version = header_user_version(database)
    if version is not None and version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"the library {database} was written by a newer version of Closer (schema "
            f"{version}, this version knows {SCHEMA_VERSION}); it was not changed"
        )


def set_aside(database: Path) -> Path:
    """Rename a damaged database (and its -wal, -shm) to a free `.damaged-<time>` name."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        target = database.with_name(f"{database.name}{DAMAGED_SUFFIX}{stamp}{suffix}")
        if not any(os.path.lexists(f"{target}{extra}") for extra in ("", "-wal", "-shm")):
            break
    else:
        raise FileExistsError(f"no free name to set {database} aside")
    move_no_clobber(database, target)
    for extra in ("-wal", "-shm"):  # SQLite finds them by name: keep them with their file
        companion = Path(f"{database}{extra}")
        if companion.exists():
            move_no_clobber(companion, Path(f"{target}{extra}"))
    return target


def _keep_stray_journal(database: Path, report: StartReport) -> None:
    """A -wal or -shm whose database is gone (a crash inside `set_aside`, or the file moved by
    hand) must not meet a new, empty database: SQLite would take it for that one's and discard
    it, and with it every change not yet copied into the old file. It joins a set-aside copy
    only when `_journal_belongs_to` shows it is that copy's (finishing what `set_aside` began);
    otherwise it is kept, untouched, under an `.orphan-<time>` name beside the database: a
    journal replayed over another database would write its pages into that one."""
    stray = [extra for extra in ("-wal", "-shm") if os.path.lexists(f"{database}{extra}")]
    if not stray or os.path.lexists(database):
        return
    copies = sorted(
        path
        for path in database.parent.glob(f"{database.name}{DAMAGED_SUFFIX}*")
        if not path.name.endswith(("-wal", "-shm"))
        and not any(os.path.lexists(f"{path}{extra}") for extra in ("-wal", "-shm"))
    )
    wal = Path(f"{database}-wal")
    if copies and _journal_belongs_to(wal, copies[-1], database):
        target = copies[-1]
        report.damaged_copy = target
    else:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = database.with_name(f"{database.name}{ORPHAN_SUFFIX}{stamp}")
        report.stray_journal = target
    for extra in stray:
        move_no_clobber(Path(f"{database}{extra}"), Path(f"{target}{extra}"))
    log.warning("the journal of a library file no longer there was kept as %s-wal", target)


_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_VERSION = 3007000


def _journal_belongs_to(wal: Path, copy: Path, database: Path) -> bool:
    """Whether the stray `wal` (left beside `database`) is the journal of the set-aside `copy`.

    The database file does not record its journal's salts, so nothing proves a match; these
    rule out every journal that can be shown to be another's, and the rest is what `set_aside`
    leaves when cut short between renaming a database and its -wal:
    - the -wal is a WAL at all: SQLite's magic and version, and a header checksum that holds;
    - `copy` is the newest set-aside copy, with no journal of its own (the caller's choice);
    - its page size is the copy's (a WAL holds whole pages of its own database);
    - the copy was set aside after the journal was last written: `set_aside` names it after the
      moment it moved it, and nothing writes a journal whose database has been moved away, so
      a journal written after that moment belongs to a later database (the usual case: an old
      damaged copy, then a new library whose file went);
    - if the journal's valid frames hold page 1, the newest one's change counter is not below
      the copy's (a checkpoint only ever copies a journal's own pages into its database).
    An -shm alone (no -wal) is an index of nothing: it joins nobody.
    """
    try:
        header = _read_prefix(wal, 32)
        page_size, frames = _wal_header_and_frames(wal, header)
        db_header = _read_prefix(copy, 100)
        written = wal.stat().st_mtime
    except (OSError, ValueError) as exc:
        log.info("the stray %s joins no set-aside copy: %s", wal.name, exc)
        return False
    db_page_size = int.from_bytes(db_header[16:18], "big")
    if (db_page_size if db_page_size != 1 else 65536) != page_size:
        return False
    moved_at = _set_aside_time(copy, database)
    written_at = datetime.fromtimestamp(int(written))
    if moved_at is None or moved_at < written_at:
        return False
    counters = [int.from_bytes(page[24:28], "big") for number, page in frames if number == 1]
    return not counters or counters[-1] >= int.from_bytes(db_header[24:28], "big")


def _read_prefix(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(size)
    if len(data) < size:
        raise ValueError(f"{path.name} is too short")
    return data


def _wal_header_and_frames(wal: Path, header: bytes) -> tuple[int, list[tuple[int, bytes]]]:
    """The page size of a WAL and its valid frames' (page number, first 100 bytes of the page),
    in order; ValueError when the header is not a valid WAL header."""
    magic, version, page_size = (int.from_bytes(header[i : i + 4], "big") for i in (0, 4, 8))
    if magic not in _WAL_MAGIC or version != _WAL_VERSION:
        raise ValueError("not a SQLite journal")
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise ValueError(f"page size {page_size}")
    big_endian = magic & 1 == 1
    checksum = _wal_checksum(header[:24], (0, 0), big_endian)
    if checksum != (int.from_bytes(header[24:28], "big"), int.from_bytes(header[28:32], "big")):
        raise ValueError("its header's checksum fails")
    salts = header[16:24]
    frames: list[tuple[int, bytes]] = []
    committed = 0  # frames up to the last commit frame are what SQLite would replay
    with wal.open("rb") as handle:
        handle.seek(32)
        while len(frame := handle.read(24 + page_size)) == 24 + page_size:
            if frame[8:16] != salts:
                break
            checksum = _wal_checksum(frame[:8] + frame[24:], checksum, big_endian)
            if checksum != (
                int.from_bytes(frame[16:20], "big"),
                int.from_bytes(frame[20:24], "big"),
            ):
                break
            frames.append((int.from_bytes(frame[:4], "big"), frame[24:124]))
            if int.from_bytes(frame[4:8], "big"):
                committed = len(frames)
    return page_size, frames[:committed]


def _wal_checksum(data: bytes, start: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum of `data` (a multiple of 8 bytes), continuing from `start`."""
    import array

    words = array.array("I", data)
    if big_endian != (sys.byteorder == "big"):
        words.byteswap()
    s0, s1 = start
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _set_aside_time(copy: Path, database: Path) -> datetime | None:
    """The moment `set_aside` gave `copy` its name (to the second), read from the name."""
    stamp = copy.name[len(database.name) + len(DAMAGED_SUFFIX) :][:15]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def adopt_unlisted_audio(library: Library, report: StartReport, *, rebuilding: bool) -> None:
    """List every audio file of the data folder that no take lists (see the module's doc)."""
    data_dir = library.data_dir
    by_uid: dict[str, tuple[int, str, bool]] = {}
    listed: set[tuple[str, bool]] = set()
    for take_id, uid, audio_path, trashed in library.db.execute(
        "SELECT id, uid, audio_path, trashed_at IS NOT NULL FROM takes"
    ).fetchall():
        listed.add((str(audio_path), bool(trashed)))
        if uid:
            by_uid[str(uid)] = (int(take_id), str(audio_path), bool(trashed))
    found = [
        (Path(file), relative, trashed)  # a Path only for the few unlisted: they cost
        for root, trashed in ((data_dir, False), (data_dir / TRASH_DIR, True))
        for file, relative in _audio_files(root)
        if (relative, trashed) not in listed
    ]
    if not found:
        return
    questions = _QuestionFinder(data_dir)
    sessions: dict[str, int] = {
        str(uid): int(sid)
        for sid, uid in library.db.execute("SELECT id, uid FROM sessions").fetchall()
        if uid
    }
    adopted_ids: list[int] = []
    adopted_into_trash: set[int] = set()
    stale_sidecars: list[int] = []  # adopted takes whose sidecar is missing or now wrong
    for file, relative, trashed in found:
        record = sidecar.read(file)
        frames, rate, readable = audio_length(file)
        if readable and frames <= 0:
            log.info("left alone (holds no audio): %s", relative)
            continue
        if record is not None and record.uid in by_uid:
            take_id, path, was_trashed = by_uid[record.uid]
            expected = (data_dir / TRASH_DIR if was_trashed else data_dir) / path
            if _same_file(file, expected):
                # A move to or from the trash cut short between its hard link and its unlink
                # (files.move_no_clobber): one file under two names. The row still names
                # the old one, so the move is undone: the sidecar goes back beside it and the
                # second name goes (the audio itself stays, under the name the row lists).
                if not sidecar.sidecar_path(expected).exists():
                    sidecar.move(file, expected)
                file.unlink()
                log.info("an interrupted move of take %d was undone (%s)", take_id, relative)
                continue
            if not os.path.lexists(expected):
                if relative != path:  # moved under another name: one no other take has
                    relative = _free_relative(library, file, relative, trashed)
                with library.db.transaction() as conn:
                    conn.execute(
                        "UPDATE takes SET audio_path = ?, trashed_at = ? WHERE id = ?",
                        (relative, _trash_time(file) if trashed else None, take_id),
                    )
                report.relinked += 1
                by_uid[record.uid] = (
                    take_id,
                    relative,
                    trashed,
                )  # a second copy is a take of its own
                log.info("take %d found again at %s", take_id, relative)
                continue
            record = _with_uid(record, "")  # a copy of a listed take: a take of its own
        relative = _free_relative(library, file, relative, trashed)
        take_id, stale = _insert(
            library, sessions, questions, file, relative, trashed, record, frames, rate, rebuilding
        )
        if stale:
            stale_sidecars.append(take_id)
        if record is not None and record.uid:
            by_uid.setdefault(record.uid, (take_id, relative, trashed))
        adopted_ids.append(take_id)
        if trashed:
            adopted_into_trash.add(take_id)
        if not readable:
            report.unreadable.append(relative)
    for take_id in stale_sidecars:  # not all: a rebuild of 10,000 takes rewrites none of them
        library.write_sidecar(take_id)
    adopted = [library.take_including_unfinished(take_id) for take_id in adopted_ids]
    library.mark_missing([t for t in adopted if t.id not in adopted_into_trash])
    library.mark_missing([t for t in adopted if t.id in adopted_into_trash], in_trash=True)
    if rebuilding:
        report.rebuilt = len(adopted)
    report.adopted = adopted


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _insert(
    library: Library,
    sessions: dict[str, int],
    questions: _QuestionFinder,
    file: Path,
    relative: str,
    trashed: bool,
    record: TakeRecord | None,
    frames: int,
    rate: int,
    rebuilding: bool,
) -> tuple[int, bool]:
    """Insert the take a file was; returns its id and whether its sidecar needs (re)writing."""
    given = record
    if record is None:
        record = questions.record_for(file)
        recovered = True
    else:
        recovered = record.recovered or not rebuilding or not record.complete
    uid = record.uid
    if not uid or library.db.execute("SELECT 1 FROM takes WHERE uid = ?", (uid,)).fetchone():
        uid = uuid.uuid4().hex
    # Takes found without a sidecar share one session a day (per deck).
    key = record.session_uid or questions.session_key(record)
    with library.db.transaction() as conn:
        session_id = sessions.get(key)
        if session_id is None:
            cur = conn.execute(
                "INSERT INTO sessions (deck_id, started_at, ended_at, uid) VALUES (?, ?, ?, ?)",
                (
                    record.deck_id,
                    record.session_started_at.isoformat(),
                    record.recorded_at.isoformat(),
                    record.session_uid or uuid.uuid4().hex,
                ),
            )
            session_id = int(cur.lastrowid or 0)
            sessions[key] = session_id
        else:
            conn.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ? AND "
                "(ended_at IS NULL OR julianday(ended_at) < julianday(?))",
                (record.recorded_at.isoformat(), session_id, record.recorded_at.isoformat()),
            )
        starred = (
            record.starred
            and not conn.execute(
                "SELECT 1 FROM takes WHERE starred = 1 AND deck_id = ? AND question_id = ?",
                (record.deck_id, record.question_id),
            ).fetchone()
        )
        cur = conn.execute(
            "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, "
            "recorded_at, duration_s, sample_rate, audio_path, professionalism, clarity, note, "
            "recovered, status, uid, starred, trashed_at, mode, hint_level, key_phrases, "
            "response_latency_s) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                record.deck_id,
                record.question_id,
                record.question_text,
                record.stage,
                record.recorded_at.isoformat(),
                frames / rate if rate else record.duration_s,
                rate or record.sample_rate,
                relative,
                record.professionalism,
                record.clarity,
                record.note,
                int(recovered),
                uid,
                int(starred),
                _trash_time(file) if trashed else None,
                record.mode,
                record.hint_level,
                json.dumps(list(record.key_phrases), ensure_ascii=False),
                record.response_latency_s,
            ),
        )
    log.info("adopted %s as take %s", relative, cur.lastrowid)
    stale = given is None or given.uid != uid or given.recovered != recovered or not given.complete
    return int(cur.lastrowid or 0), stale


def _free_relative(library: Library, file: Path, relative: str, trashed: bool) -> str:
    """`relative`, or a free name the file (and sidecar) is moved to when a take has that one."""
    if not library.db.execute("SELECT 1 FROM takes WHERE audio_path = ?", (relative,)).fetchone():
        return relative
    new = library.free_name(relative)
    root = library.data_dir / TRASH_DIR if trashed else library.data_dir
    target = root / new
    sidecar.move(file, target)
    move_no_clobber(file, target)
    return new


def _audio_files(root: Path) -> list[tuple[str, str]]:
    """Audio files under `root`/audio (not following links), with their path relative to root.

    os.scandir and plain strings: a Path object per file would make a large library's listing
    several times slower.
    """
    found: list[tuple[str, str]] = []
    pending = [(os.path.join(root, AUDIO_DIR), AUDIO_DIR)]
    while pending:
        folder, relative = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # missing (no audio yet) or unreadable: nothing of ours to adopt there
            continue
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{relative}/{entry.name}"))
            elif entry.is_file(follow_symlinks=False) and sidecar.is_audio_name(entry.name):
                found.append((entry.path, f"{relative}/{entry.name}"))
    return found


def _trash_time(file: Path) -> str:
    try:
        return datetime.fromtimestamp(file.stat().st_mtime).astimezone().isoformat()
    except OSError:
        return datetime.now().astimezone().isoformat()


def _with_uid(record: TakeRecord, uid: str) -> TakeRecord:
    return replace(record, uid=uid)


class _QuestionFinder:
    """Guesses what a file without a sidecar was a take of, from its name and the known decks."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._by_slug: dict[str, tuple[str, str, str, str]] | None = None
        self._default_deck = ""

    def record_for(self, file: Path) -> TakeRecord:
        match = _NAME.fullmatch(file.name)
        when: datetime | None = None
        question_slug = ""
        if match:
            with contextlib.suppress(ValueError):
                when = datetime.strptime(
                    f"{match['date']} {match['time']}", "%Y-%m-%d %H%M%S"
                ).astimezone()
            question_slug = match["slug"].lower()
        if when is None:
            try:
                when = datetime.fromtimestamp(file.stat().st_mtime).astimezone()
            except OSError:
                when = datetime.now().astimezone()
        when = when.replace(microsecond=0)
        known = self._questions().get(question_slug)
        if known is not None:
            deck_id, question_id, text, stage = known
        else:
            deck_id = self._default_deck
            question_id = question_slug or "recovered"
            text = f"Recovered recording: {file.name}"
            stage = ""
        return TakeRecord(
            uid="",
            session_uid="",
            session_started_at=when,
            deck_id=deck_id,
            question_id=question_id,
            question_text=text,
            stage=stage,
            recorded_at=when,
            duration_s=0.0,
            sample_rate=0,
            professionalism=None,
            clarity=None,
            note="",
            starred=False,
            recovered=True,
            complete=True,
        )

    def session_key(self, record: TakeRecord) -> str:
        return f"recovered:{record.deck_id}:{record.recorded_at.date().isoformat()}"

    def _questions(self) -> dict[str, tuple[str, str, str, str]]:
        if self._by_slug is None:
            self._by_slug = {}
            try:
                from closer_desktop.storage.decks import DeckStore

                store = DeckStore(self.data_dir)
                entries = store.entries()
                current = store.current_deck_id()
                for entry in entries:
                    with contextlib.suppress(Exception):
                        deck = store.load(entry.id)
                        for q in deck.questions:
                            self._by_slug.setdefault(
                                slug(q.id), (deck.id, q.id, q.text, q.stage_title)
                            )
                self._default_deck = current or (entries[0].id if entries else "")
            except Exception:
                log.warning("decks unreadable while adopting audio", exc_info=True)
        return self._by_slug


def _check_writable(data_dir: Path) -> str | None:
    """Refuse a data folder that cannot be written, or that is someone else's and anyone's to
    write in, before anything is created in it; returns why it is not private, if it is not
    (files.data_folder_warning: said before the folder is made private below)."""
    try:
        unsafe = data_folder_warning(data_dir)
    except UnsafeFolderError as exc:
        raise DatabaseEnvironmentError(
            f"the data folder {exc.filename} cannot be used: {exc.strerror}"
        ) from exc
    problem = None
    try:
        ensure_private_dir(data_dir)
    except OSError as exc:
        problem = exc.strerror or str(exc)
    if problem is None and not os.access(data_dir, os.W_OK | os.X_OK):
        problem = "it is read-only"
    if problem is not None:
        raise DatabaseReadOnlyError(
            f"the data folder {data_dir} cannot be written ({problem}), so nothing new can be "
            "saved there; your recordings in it are untouched. Make it writable, or start "
            "Closer with --data-dir and another folder"
        )
    return unsafe
