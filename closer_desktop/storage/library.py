"""The library: sessions and takes in SQLite, audio files in the data folder beside it.

All methods are synchronous and meant to run on one worker thread (see app/tasks.py); the CLI calls
them directly. Times are stored as ISO 8601 text with the local UTC offset.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import re
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from closer_desktop.domain.deck import MAX_KEY_PHRASE, MAX_KEY_PHRASES, Question
from closer_desktop.domain.practice import (
    TAKE_MODES,
    PracticeSession,
    RatingScale,
    Take,
    check_hint_level,
    check_latency,
    check_mode,
    check_note,
    check_rating,
    slug,
)
from closer_desktop.domain.scheduler import RatedTake
from closer_desktop.paths import AUDIO_DIR, DATABASE_NAME, ensure_private_dir
from closer_desktop.storage import sidecar
from closer_desktop.storage.database import Database, DatabaseEnvironmentError
from closer_desktop.storage.files import audio_length, move_no_clobber
from closer_desktop.storage.lock import LibraryLock
from closer_desktop.storage.sidecar import TakeRecord

TAKE_COLUMNS = (
    "id, session_id, deck_id, question_id, question_text, stage, recorded_at, duration_s, "
    "sample_rate, audio_path, professionalism, clarity, note, recovered, starred, uid, "
    "mode, hint_level, key_phrases, response_latency_s"
)
# A row holding values no Closer writes (a damaged library, or one restored before restores
# checked rows) is skipped by every reader, never allowed to blank a view or crash an export.
SOUND = (
    "typeof(recorded_at) = 'text' AND julianday(recorded_at) IS NOT NULL "
    "AND recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
    "AND typeof(duration_s) IN ('integer', 'real') AND typeof(sample_rate) = 'integer'"
)
LIVE = f"status = 'complete' AND trashed_at IS NULL AND {SOUND}"  # takes the user sees
TRASH_DIR = "trash"

log = logging.getLogger(__name__)


def now() -> datetime:
    """The current local time with its UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


class Library:
    """Everything the user has recorded, in one data folder."""

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        """Open (or create) the library in `data_dir`.

        `read_only` works on an in-memory copy of the database and creates nothing: for readers
        such as `closer export`, which must not migrate or otherwise change a library. Either way a
        library written by a newer Closer is refused before anything is created.
        """
        self._lock: LibraryLock | None = None
        if read_only:
            self.data_dir = data_dir
            self.db = Database.read_only_copy(data_dir / DATABASE_NAME)
            return
        self.data_dir = ensure_private_dir(data_dir)
        self.db = Database(self.data_dir / DATABASE_NAME)  # refuses a newer library first
        try:
            ensure_private_dir(self.data_dir / AUDIO_DIR)
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.release()

    def hold_lock(self, lock: LibraryLock) -> None:
        """Keep the library's lock (storage/lock.py) until this library is closed."""
        self._lock = lock

    # Sessions -----------------------------------------------------------------------------

    def start_session(self, deck_id: str, started_at: datetime | None = None) -> int:
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (deck_id, started_at, uid) VALUES (?, ?, ?)",
                (deck_id, (started_at or now()).isoformat(), uuid.uuid4().hex),
            )
        return int(cur.lastrowid or 0)

    def touch_session(self, session_id: int, ended_at: datetime | None = None) -> None:
        """Record the session's latest activity as its end (so a crash still leaves an end time)."""
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ?",
                ((ended_at or now()).isoformat(), session_id),
            )

    def sessions(self) -> list[PracticeSession]:
        """Every session with its takes, oldest first."""
        rows = self.db.execute(
            "SELECT id, deck_id, started_at, ended_at FROM sessions ORDER BY started_at, id"
        ).fetchall()
        takes_by_session: dict[int, list[Take]] = {}
        for take in self._takes(LIVE):
            takes_by_session.setdefault(take.session_id, []).append(take)
        sessions = []
        for row in rows:
            try:
                started = datetime.fromisoformat(row["started_at"])
                ended = datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None
            except (TypeError, ValueError):
                log.warning("skipped session %s: its times are damaged", row["id"])
                continue
            sessions.append(
                PracticeSession(
                    id=row["id"],
                    deck_id=row["deck_id"],
                    started_at=started,
                    ended_at=ended,
                    takes=takes_by_session.get(row["id"], []),
                )
            )
        return sessions

    # Takes --------------------------------------------------------------------------------

    def begin_take(
        self,
        session_id: int,
        deck_id: str,
        question: Question,
        sample_rate: int,
        recorded_at: datetime | None = None,
        mode: str = "read",
        hint_level: int | None = None,
        key_phrases: Iterable[str] = (),
    ) -> Take:
        """Reserve a take and its audio file name before recording starts (status 'recording').

        Listing the take before any audio exists means a crash mid-take leaves a row that
        points at the partial file, so nothing spoken is ever unaccounted for. `mode` says how
        it is said ("read", "memory", "run"), `hint_level` the hint shown as it starts (None for
        a read take), `key_phrases` the question's at this moment: the take keeps them, as it
        keeps `question.text`, so a later edit of the deck never changes what it is checked by.
        """
        check_mode(mode)
        check_hint_level(hint_level)
        phrases = tuple(key_phrases)
        if len(phrases) > MAX_KEY_PHRASES or not all(
            isinstance(p, str) and 0 < len(p) <= MAX_KEY_PHRASE for p in phrases
        ):  # what a deck allows, and a restore accepts
            raise ValueError(
                f"a take keeps at most {MAX_KEY_PHRASES} short key phrases: {phrases!r}"
            )
        when = recorded_at or now()
        with self.db.transaction() as conn:
            # The highest number so far plus one: a count would repeat a number after deletes.
            paths = conn.execute(
                "SELECT audio_path FROM takes WHERE deck_id = ? AND question_id = ?",
                (deck_id, question.id),
            ).fetchall()
            number = 1 + max((_take_number(str(row[0])) for row in paths), default=0)
            relative = self._audio_name(when, question, number)
            while self._name_in_use(relative):  # never record over a file that is already there
                number += 1
                relative = self._audio_name(when, question, number)
            cur = conn.execute(
                "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, "
                "recorded_at, sample_rate, audio_path, status, uid, mode, hint_level, key_phrases) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'recording', ?, ?, ?, ?)",
                (
                    session_id,
                    deck_id,
                    question.id,
                    question.text,
                    question.stage_title,
                    when.isoformat(),
                    sample_rate,
                    relative,
                    uuid.uuid4().hex,
                    mode,
                    hint_level,
                    json.dumps(list(phrases), ensure_ascii=False),
                ),
            )
        take_id = int(cur.lastrowid or 0)
        ensure_private_dir((self.data_dir / relative).parent)
        self.write_sidecar(take_id, durable=False)  # recording waits for this: no fsync
        return Take(
            id=take_id,
            session_id=session_id,
            deck_id=deck_id,
            question_id=question.id,
            question_text=question.text,
            stage=question.stage_title,
            recorded_at=when,
            duration_s=0.0,
            sample_rate=sample_rate,
            audio_path=relative,
            mode=mode,
            hint_level=hint_level,
            key_phrases=phrases,
        )

    def finish_take(self, take_id: int, duration_s: float, sample_rate: int) -> Take:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE takes SET duration_s = ?, sample_rate = ?, status = 'complete' "
                "WHERE id = ?",
                (duration_s, sample_rate, take_id),
            )
            conn.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = "
                "(SELECT session_id FROM takes WHERE id = ?)",
                (now().isoformat(), take_id),
            )
        self.write_sidecar(take_id)
        return self.take(take_id)

    def set_rating(self, take_id: int, scale: RatingScale, value: int | None) -> None:
        check_rating(value)
        column = scale.value  # from the enum, never from user text
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE takes SET {column} = ? WHERE id = ?", (value, take_id))
        self.write_sidecar(take_id)

    def set_hint_level(self, take_id: int, level: int | None) -> None:
        """The hint level a take reached: the user may climb the ladder while recording."""
        check_hint_level(level)
        with self.db.transaction() as conn:
            conn.execute("UPDATE takes SET hint_level = ? WHERE id = ?", (level, take_id))
        self.write_sidecar(take_id)

    def set_response_latency(self, take_id: int, seconds: float | None) -> None:
        """A run take's response latency: from the end of the interviewer's cue to the first
        word (None: not measured, e.g. no word was heard)."""
        latency = check_latency(seconds)
        with self.db.transaction() as conn:
            conn.execute("UPDATE takes SET response_latency_s = ? WHERE id = ?", (latency, take_id))
        self.write_sidecar(take_id)

    def set_note(self, take_id: int, note: str) -> None:
        check_note(note)
        with self.db.transaction() as conn:
            conn.execute("UPDATE takes SET note = ? WHERE id = ?", (note, take_id))
        self.write_sidecar(take_id)

    def take(self, take_id: int) -> Take:
        takes = self._takes(f"id = ? AND {LIVE}", (take_id,))
        if not takes:
            raise KeyError(take_id)
        return takes[0]

    def recover_unfinished_takes(self) -> list[Take]:
        """Finish takes left in 'recording' by a crash: whatever audio reached disk is kept.

        Each becomes a complete take marked `recovered`, its length read from the file (the WAV
        header is kept current while recording). A reserved take whose file holds no audio is
        forgotten. Call once when the library is opened, before any new recording starts.
        """
        recovered = []
        rows = self.db.execute("SELECT id FROM takes WHERE status = 'recording'").fetchall()
        for (take_id,) in rows:
            take = self.take_including_unfinished(take_id)
            path = self.audio_file(take)
            frames, rate, _ = audio_length(path)
            if frames <= 0 and not (path.exists() and path.stat().st_size > 44):
                self.discard_empty_take(take_id)
                continue
            with self.db.transaction() as conn:
                conn.execute(
                    "UPDATE takes SET status = 'complete', recovered = 1, duration_s = ?, "
                    "sample_rate = ? WHERE id = ?",
                    (frames / rate if rate else 0.0, rate or take.sample_rate, take_id),
                )
            self.write_sidecar(take_id)
            recovered.append(self.take(take_id))
        return recovered

    def take_including_unfinished(self, take_id: int) -> Take:
        takes = self._takes("id = ?", (take_id,))
        if not takes:
            raise KeyError(take_id)
        return takes[0]

    def takes_for_question(self, deck_id: str, question_id: str) -> list[Take]:
        """Every finished take of a question, from every session, oldest first."""
        return self._takes(f"deck_id = ? AND question_id = ? AND {LIVE}", (deck_id, question_id))

    def rated_history(self, deck_id: str) -> dict[str, list[RatedTake]]:
        """Each question's takes in a deck, as the practice scheduler reads them: ratings, and
        for a take said from memory or in a run its line check and hint step (a line not yet
        recalled comes back sooner: domain/scheduler.py)."""
        from closer_desktop.storage.take_metrics import line_figures, line_json_sql

        rows = self.db.execute(
            f"SELECT question_id, recorded_at, professionalism, clarity, mode, hint_level, "
            f"CASE WHEN mode <> 'read' THEN {line_json_sql()} END AS line "
            f"FROM takes LEFT JOIN take_metrics m ON m.take_id = takes.id "
            f"WHERE deck_id = ? AND {LIVE} ORDER BY recorded_at, id",
            (deck_id,),
        ).fetchall()
        history: dict[str, list[RatedTake]] = {}
        for row in rows:
            line = line_figures(row["line"])
            history.setdefault(row["question_id"], []).append(
                RatedTake(
                    datetime.fromisoformat(row["recorded_at"]),
                    row["professionalism"],
                    row["clarity"],
                    mode=row["mode"] if row["mode"] in TAKE_MODES else "read",
                    line_match=None if line is None else line.score,
                    key_missed=line is not None and line.key_missed > 0,
                    hint_level=row["hint_level"],
                )
            )
        return history

    def takes_for_session(self, session_id: int) -> list[Take]:
        return self._takes(f"session_id = ? AND {LIVE}", (session_id,))

    def audio_file(self, take: Take) -> Path:
        return self.data_dir / take.audio_path

    def set_starred(self, take_id: int, starred: bool) -> None:
        """Star a take as the model answer for its question (one per question), or unstar it."""
        unstarred: list[int] = []
        with self.db.transaction() as conn:
            if starred:
                unstarred = [
                    int(row[0])
                    for row in conn.execute(
                        "SELECT id FROM takes WHERE starred = 1 AND id <> ? AND (deck_id, "
                        "question_id) = (SELECT deck_id, question_id FROM takes WHERE id = ?)",
                        (take_id, take_id),
                    )
                ]
                conn.execute(
                    "UPDATE takes SET starred = 0 WHERE starred = 1 AND (deck_id, question_id) = "
                    "(SELECT deck_id, question_id FROM takes WHERE id = ?)",
                    (take_id,),
                )
            conn.execute("UPDATE takes SET starred = ? WHERE id = ?", (int(starred), take_id))
        for changed in (take_id, *unstarred):
            self.write_sidecar(changed)

    def trash_take(self, take_id: int) -> None:
        """Delete a take, undoably: its file moves to trash/ inside the data folder.

        A different file already in the trash under the same name is never replaced: the take's
        file (and its audio_path) then gets the first free name `<name>_<n>.wav`.
        """
        self._move_take(self.take(take_id), into_trash=True)

    def restore_take(self, take_id: int) -> Take:
        """Undo trash_take: the file comes back (under a free name if its own is taken now)."""
        try:
            take = self.take_including_unfinished(take_id)
        except KeyError:
            raise TakeGoneError(take_id) from None
        self._move_take(take, into_trash=False)
        return self.take(take_id)

    def trashed_takes(self) -> list[Take]:
        return self._takes("trashed_at IS NOT NULL", in_trash=True)

    def trash_contents(self) -> TrashContents:
        """What emptying the trash would delete: the trashed takes and their files' total size."""
        trashed = self.trashed_takes()
        size = 0
        for take in trashed:
            file = self._trash_file(take)
            with contextlib.suppress(OSError):
                if file is not None and file.is_file():
                    size += file.stat().st_size
        return TrashContents(tuple(t.id for t in trashed), size)

    def empty_trash(self, take_ids: Iterable[int] | None = None) -> EmptiedTrash:
        """Delete trashed takes and their files for good (only ever on the user's request).

        Only takes still in the trash are touched (of `take_ids`, when given: what the user
        confirmed), and only files inside trash/: a take whose path would lead elsewhere loses
        its row but no file. Each file goes before its row, so a file that cannot be deleted
        keeps its take in the trash (reported in `failed`); a missing file just loses its row.
        """
        wanted = None if take_ids is None else set(take_ids)
        removed: list[Take] = []
        failed: list[tuple[Take, str]] = []
        freed = 0
        for take in self.trashed_takes():
            if wanted is not None and take.id not in wanted:
                continue
            file = self._trash_file(take)
            if file is not None and not file.is_symlink() and file.is_dir():
                failed.append((take, f"{file} is a folder, not an audio file"))
                continue
            if file is not None:
                try:
                    size = 0 if file.is_symlink() else file.stat().st_size
                    sidecar.remove(file)  # first: audio without its sidecar is still listed
                    file.unlink()
                    freed += size
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    failed.append((take, f"{file}: {exc.strerror or exc}"))
                    continue
            with self.db.transaction() as conn:
                conn.execute(
                    "DELETE FROM takes WHERE id = ? AND trashed_at IS NOT NULL", (take.id,)
                )
            removed.append(take)
        return EmptiedTrash(removed, freed, failed)

    def discard_empty_take(self, take_id: int) -> bool:
        """Forget a reserved take that captured nothing: its file holds no speech.

        Returns False, keeping everything, if the file holds any audio at all.
        """
        take = self.take_including_unfinished(take_id)
        path = self.audio_file(take)
        if path.exists() and _audio_frames(path) > 0:
            return False
        # The file before the row: a crash in between leaves a reserved take without audio,
        # which the next start forgets, rather than an unlisted file.
        path.unlink(missing_ok=True)
        sidecar.remove(path)
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM takes WHERE id = ?", (take_id,))
        return True

    # Sidecars -----------------------------------------------------------------------------

    def take_record(self, take_id: int) -> tuple[TakeRecord, Path] | None:
        """What the sidecar of a take says, and where its audio file is (None: no such take)."""
        row = self.db.execute(
            "SELECT takes.*, sessions.uid AS session_uid, sessions.started_at AS session_started "
            "FROM takes JOIN sessions ON sessions.id = takes.session_id WHERE takes.id = ?",
            (take_id,),
        ).fetchone()
        if row is None:
            return None
        root = self.data_dir / TRASH_DIR if row["trashed_at"] else self.data_dir
        record = TakeRecord(
            uid=row["uid"] or "",
            session_uid=row["session_uid"] or "",
            session_started_at=datetime.fromisoformat(row["session_started"]),
            deck_id=row["deck_id"],
            question_id=row["question_id"],
            question_text=row["question_text"],
            stage=row["stage"],
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            duration_s=float(row["duration_s"]),
            sample_rate=int(row["sample_rate"]),
            professionalism=row["professionalism"],
            clarity=row["clarity"],
            note=row["note"],
            starred=bool(row["starred"]),
            recovered=bool(row["recovered"]),
            complete=row["status"] == "complete",
            mode=row["mode"],
            hint_level=row["hint_level"],
            key_phrases=key_phrases_of(row["key_phrases"]),
            response_latency_s=row["response_latency_s"],
        )
        return record, root / row["audio_path"]

    def write_sidecar(self, take_id: int, durable: bool = True) -> None:
        """Bring a take's sidecar up to date with its row (after every change, on this thread).

        Never raises for the disk's sake: the change itself is safe in the database already.
        """
        try:
            found = self.take_record(take_id)
        except DatabaseEnvironmentError as exc:
            log.warning("could not read take %d for its sidecar: %s", take_id, exc)
            return
        if found is not None:
            sidecar.write(found[1], found[0], durable)

    def mark_missing(self, takes: list[Take], in_trash: bool = False) -> list[Take]:
        """Set each take's `audio_missing` from whether its file is there now."""
        root = self.data_dir / TRASH_DIR if in_trash else self.data_dir
        for take in takes:
            take.audio_missing = not os.path.exists(root / take.audio_path)
        return takes

    # Internals ----------------------------------------------------------------------------

    def _takes(
        self, where: str, params: tuple[object, ...] = (), in_trash: bool = False
    ) -> list[Take]:
        # julianday() orders by the instant: times are stored with the UTC offset of the day
        # (summer time, travel), and as text 09:30+02:00 would sort after 08:45+00:00.
        rows = self.db.execute(
            f"SELECT {TAKE_COLUMNS} FROM takes WHERE {where} ORDER BY julianday(recorded_at), id",
            params,
        ).fetchall()
        return self.mark_missing(takes_from_rows(rows), in_trash)

    def _name_in_use(self, relative: str) -> bool:
        """A take lists `relative`, or a file (live or trashed) has that name."""
        if self.db.execute("SELECT 1 FROM takes WHERE audio_path = ?", (relative,)).fetchone():
            return True
        return any(
            os.path.lexists(root / relative) for root in (self.data_dir, self.data_dir / TRASH_DIR)
        )

    def _trash_file(self, take: Take) -> Path | None:
        """Where a trashed take's file is, or None when its path would lead outside trash/."""
        relative = PurePosixPath(take.audio_path)
        if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != (AUDIO_DIR,):
            return None  # takes' files live under audio/; anything else is not ours to delete
        root = self.data_dir / TRASH_DIR
        file = root.joinpath(*relative.parts)
        try:  # the folders on the way must not be links out of the trash either
            if not file.parent.resolve().is_relative_to(root.resolve()):
                return None
        except (OSError, RuntimeError):
            return None
        return file

    def _move_take(self, take: Take, into_trash: bool) -> None:
        """Move a take's file between audio/ and trash/ and update its row, in step.

        Nothing already at the destination is replaced: the take takes the first free name
        instead. A take whose file is missing (or already moved) only has its row updated.
        """
        trash = self.data_dir / TRASH_DIR
        origin, destination = (self.data_dir, trash) if into_trash else (trash, self.data_dir)
        relative = take.audio_path
        source = origin / relative
        moved: tuple[Path, Path] | None = None
        if os.path.lexists(source) and not os.path.lexists(destination / relative):
            moved = (source, destination / relative)
        elif os.path.lexists(source):
            relative = self.free_name(take.audio_path)
            moved = (source, destination / relative)
        if moved is not None:
            ensure_private_dir(moved[1].parent)
            # The sidecar goes first: moved audio always has its sidecar (its uid) beside it,
            # which is how the next start relinks the row should a crash come before the update.
            sidecar.move(*moved)
            try:
                move_no_clobber(*moved)
            except BaseException:
                sidecar.move(moved[1], moved[0])
                raise
        try:
            with self.db.transaction() as conn:
                conn.execute(
                    "UPDATE takes SET trashed_at = ?, audio_path = ? WHERE id = ?",
                    (now().isoformat() if into_trash else None, relative, take.id),
                )
        except BaseException:
            if moved is not None:
                move_no_clobber(moved[1], moved[0])  # keep file and row in step
                sidecar.move(moved[1], moved[0])
            raise

    def free_name(self, original: str) -> str:
        """The first `<stem>_<n><suffix>` (n >= 2) that no take and no file, live or trashed, uses."""
        path = PurePosixPath(original)
        stem = re.sub(r"_\d+$", "", path.stem)  # "take-3_2" moves on to "take-3_3", not "_2_2"
        for number in itertools.count(2):
            candidate = str(path.with_name(f"{stem}_{number}{path.suffix}"))
            if not self._name_in_use(candidate):
                return candidate
        raise AssertionError("unreachable")

    @staticmethod
    def _audio_name(when: datetime, question: Question, number: int) -> str:
        """e.g. audio/2026-11/2026-11-28_041322_next-steps_take-3.wav: readable in a file browser."""
        stamp = when.strftime("%Y-%m-%d_%H%M%S")
        return f"{AUDIO_DIR}/{when:%Y-%m}/{stamp}_{slug(question.id)}_take-{number}.wav"


class TakeGoneError(KeyError):
    """The take is no longer in the library (for instance the trash was emptied since)."""

    def __str__(self) -> str:
        return "that take is no longer in the library (the trash was emptied since)"


@dataclass(frozen=True)
class TrashContents:
    """The takes in the trash and the bytes their files hold."""

    take_ids: tuple[int, ...]
    bytes: int

    @property
    def takes(self) -> int:
        return len(self.take_ids)


@dataclass(frozen=True)
class EmptiedTrash:
    """What emptying the trash did: takes deleted, bytes freed, and takes kept with the reason."""

    removed: list[Take]
    bytes_freed: int
    failed: list[tuple[Take, str]]


_TAKE_NUMBER = re.compile(r"_take-(\d+)(?=[._])")


def _take_number(audio_path: str) -> int:
    """The n of `..._take-n.wav` (also `..._take-n_restored-1.wav`); 0 for any other name."""
    found = _TAKE_NUMBER.findall(PurePosixPath(audio_path).name)
    return int(found[-1]) if found else 0


def takes_from_rows(rows: Iterable[sqlite3.Row]) -> list[Take]:
    """The takes of `rows`, skipping (with a warning in the log) any whose values are damaged."""
    takes = []
    for row in rows:
        try:
            takes.append(_take_from_row(row))
        except (TypeError, ValueError):
            log.warning("skipped take %s: its stored values are damaged", row["id"])
    return takes


def unsound_takes(library: Library) -> int:
    """How many takes readers skip because their stored values are damaged (see SOUND)."""
    row = library.db.execute(
        f"SELECT COUNT(*) FROM takes WHERE NOT coalesce(({SOUND}), 0)"
    ).fetchone()
    return int(row[0])


def _take_from_row(row: sqlite3.Row) -> Take:
    return Take(
        id=row["id"],
        session_id=row["session_id"],
        deck_id=row["deck_id"],
        question_id=row["question_id"],
        question_text=row["question_text"],
        stage=row["stage"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        duration_s=float(row["duration_s"]),
        sample_rate=int(row["sample_rate"]),
        audio_path=row["audio_path"],
        professionalism=row["professionalism"],
        clarity=row["clarity"],
        note=row["note"],
        recovered=bool(row["recovered"]),
        starred=bool(row["starred"]),
        uid=row["uid"] or "",
        mode=row["mode"] if row["mode"] in TAKE_MODES else "read",
        hint_level=row["hint_level"] if isinstance(row["hint_level"], int) else None,
        key_phrases=key_phrases_of(row["key_phrases"]),
        response_latency_s=_latency(row["response_latency_s"]),
    )


def key_phrases_of(stored: object) -> tuple[str, ...]:
    """A take's stored key phrases (a JSON list of texts); () for anything else, so damage
    costs the key-phrase check, never the take."""
    try:
        phrases = json.loads(stored) if isinstance(stored, str) else None
    except (ValueError, RecursionError):
        return ()
    if not isinstance(phrases, list):
        return ()
    return tuple(p for p in phrases if isinstance(p, str))


def _latency(stored: object) -> float | None:
    if isinstance(stored, int | float) and not isinstance(stored, bool) and stored >= 0:
        return float(stored)
    return None


def _audio_frames(path: Path) -> int:
    import soundfile

    try:
        return int(soundfile.info(str(path)).frames)
    except Exception:
        return path.stat().st_size  # unreadable but not empty: treat as holding something
