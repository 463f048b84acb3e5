"""Generate a realistic library for benchmarks: many sessions and takes, made in about a second.

    python -m bench.make_library DIR --takes 10000 [--seed 1] [--with-audio]

The real storage layer makes the library (schema, migrations, sessions through `Library`), and the
takes go in with one `executemany` in one transaction, with exactly the columns
`Library.begin_take` and `Library.finish_take` set. The history looks like a real user's: about
400 sessions over the last ~120 days, each walking the default deck's questions in order with a
few takes of each; lengths around each question's target; ratings that improve over time (some
unrated); notes on ~30% of takes; a starred model answer for most questions; a few takes in the
trash. Audio paths follow the library's naming and are unique; with --with-audio each take also
gets a real (tiny: 0.2 s of silence) WAV file, so playing or backing up works. Without it, the
files do not exist. The same seed gives the same library, apart from uids and the dates (which end
yesterday).
"""

from __future__ import annotations

import argparse
import io
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from closer_desktop.domain.deck import Deck, Question, load_deck
from closer_desktop.paths import default_deck_path, ensure_private_dir
from closer_desktop.storage.library import TRASH_DIR, Library

DAYS = 120
TAKES_PER_SESSION = 25  # 10,000 takes -> 400 sessions
SILENCE_S = 0.2
NOTE_SHARE = 0.30
UNRATED_SHARE = 0.12
TRASHED_SHARE = 0.004
STARRED_QUESTIONS = 6  # of the deck's 8: the rest have no model answer yet
SAMPLE_RATES = (44100, 44100, 44100, 48000)

NOTES = (
    "Too fast at the start.",
    "Better eye contact with the camera this time.",
    "Said 'um' twice.",
    "Good pace, clear ending.",
    "Sounded rehearsed; relax.",
    "Pause before the question, not after.",
    "Tone went up at the end: sounds unsure.",
    "Much calmer than yesterday.",
    "Forgot to mention the team.",
    "Try it shorter.",
    "Voice too quiet, speak up.",
    "This is the one to copy.",
    "Mumbled the last words.",
    "Nice smile in the voice.",
    "Rushed after the cue line.",
    "Remember to say their name.",
)

_INSERT = (
    "INSERT INTO takes (session_id, deck_id, question_id, question_text, stage, recorded_at, "
    "duration_s, sample_rate, audio_path, professionalism, clarity, note, recovered, status, "
    "uid, starred, trashed_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'complete', ?, ?, ?)"
)


@dataclass
class _Row:
    session_id: int
    question: Question
    recorded_at: datetime
    duration_s: float
    sample_rate: int
    audio_path: str
    professionalism: int | None
    clarity: int | None
    note: str
    starred: bool = False
    trashed_at: datetime | None = None


def make_library(
    data_dir: Path, takes: int = 10000, seed: int = 1, with_audio: bool = False
) -> None:
    """Fill the library in `data_dir` (created if needed, must hold no takes yet) with `takes` takes."""
    if takes < 0:
        raise ValueError(f"takes must not be negative, not {takes}")
    rng = random.Random(seed)
    deck = load_deck(default_deck_path())
    library = Library(data_dir)
    try:
        if library.db.execute("SELECT COUNT(*) FROM takes").fetchone()[0]:
            raise ValueError(f"{data_dir} already holds takes; give an empty or new folder")
        sessions = _session_starts(rng, max(1, round(takes / TAKES_PER_SESSION)) if takes else 0)
        session_ids = [library.start_session(deck.id, started) for started in sessions]
        rows = _takes(rng, deck, sessions, session_ids, takes)
        _choose_stars_and_trash(rng, deck, rows)
        with library.db.transaction() as conn:
            conn.executemany(_INSERT, (_values(deck, row) for row in rows))
            ends: dict[int, datetime] = {}
            for row in rows:
                ends[row.session_id] = row.recorded_at + timedelta(seconds=round(row.duration_s))
            conn.executemany(
                "UPDATE sessions SET ended_at = ? WHERE id = ?",
                [(end.isoformat(), session_id) for session_id, end in ends.items()],
            )
        if with_audio:
            _write_audio(library.data_dir, rows)
    finally:
        library.close()


def _session_starts(rng: random.Random, count: int) -> list[datetime]:
    """Session start times over the DAYS days before today, oldest first, mostly mornings and evenings."""
    first_day = date.today() - timedelta(days=DAYS)
    starts = []
    for _ in range(count):
        day = first_day + timedelta(days=rng.randrange(DAYS))
        hour = rng.choice((7, 8, 12, 18, 19, 20, 21, 22)) + rng.random()
        naive = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
        starts.append(naive.replace(microsecond=0).astimezone())  # the local offset of that day
    starts.sort()
    return starts


def _takes(
    rng: random.Random,
    deck: Deck,
    starts: list[datetime],
    session_ids: list[int],
    total: int,
) -> list[_Row]:
    """Spread `total` takes over the sessions; each session walks the deck in order."""
    counts = [0] * len(starts)
    for _ in range(total):
        counts[rng.randrange(len(starts))] += 1
    questions = deck.questions
    numbers: dict[str, int] = {}
    rows: list[_Row] = []
    span = max(1.0, (starts[-1] - starts[0]).total_seconds()) if starts else 1.0
    for started, session_id, count in zip(starts, session_ids, counts, strict=True):
        progress = (started - starts[0]).total_seconds() / span  # 0 at first, 1 at last
        rate = rng.choice(SAMPLE_RATES)
        clock = started + timedelta(seconds=rng.randint(5, 40))
        index = rng.randrange(len(questions)) if rng.random() < 0.2 else 0
        while count > 0:
            question = questions[index % len(questions)]
            for _ in range(min(count, rng.choice((1, 1, 2, 2, 3, 4)))):
                numbers[question.id] = numbers.get(question.id, 0) + 1
                duration = round(question.target_seconds * rng.lognormvariate(0.05, 0.25), 2)
                rows.append(
                    _Row(
                        session_id=session_id,
                        question=question,
                        recorded_at=clock,
                        duration_s=duration,
                        sample_rate=rate,
                        audio_path=Library._audio_name(clock, question, numbers[question.id]),
                        professionalism=_rating(rng, progress),
                        clarity=_rating(rng, progress),
                        note=rng.choice(NOTES) if rng.random() < NOTE_SHARE else "",
                    )
                )
                count -= 1
                clock += timedelta(seconds=int(duration + rng.uniform(6, 45)))
            index += 1
    return rows


def _rating(rng: random.Random, progress: float) -> int | None:
    if rng.random() < UNRATED_SHARE:
        return None
    return max(1, min(5, round(rng.gauss(2.4 + 1.8 * progress, 0.9))))


def _choose_stars_and_trash(rng: random.Random, deck: Deck, rows: list[_Row]) -> None:
    """One starred model answer for most questions (a well-rated take), and a few trashed takes."""
    by_question: dict[str, list[_Row]] = {}
    for row in rows:
        by_question.setdefault(row.question.id, []).append(row)
    for question in rng.sample(list(deck.questions), min(STARRED_QUESTIONS, len(deck))):
        candidates = by_question.get(question.id, [])
        if candidates:
            best = max(candidates, key=lambda r: (r.professionalism or 0) + (r.clarity or 0))
            best.starred = True
    unstarred = [row for row in rows if not row.starred]
    latest = datetime.now().astimezone()
    for row in rng.sample(unstarred, round(len(rows) * TRASHED_SHARE)):
        row.trashed_at = min(latest, row.recorded_at + timedelta(days=rng.uniform(0.01, 3)))


def _values(deck: Deck, row: _Row) -> tuple[object, ...]:
    return (
        row.session_id,
        deck.id,
        row.question.id,
        row.question.text,
        row.question.stage_title,
        row.recorded_at.isoformat(),
        row.duration_s,
        row.sample_rate,
        row.audio_path,
        row.professionalism,
        row.clarity,
        row.note,
        uuid.uuid4().hex,
        int(row.starred),
        row.trashed_at.replace(microsecond=0).isoformat() if row.trashed_at else None,
    )


def _write_audio(data_dir: Path, rows: list[_Row]) -> None:
    """A real 0.2 s silent WAV per take (in trash/ for trashed takes), one encoding per rate."""
    import numpy as np
    import soundfile

    encoded: dict[int, bytes] = {}
    made: set[Path] = set()
    for row in rows:
        if row.sample_rate not in encoded:
            buffer = io.BytesIO()
            silence = np.zeros(round(SILENCE_S * row.sample_rate), dtype=np.int16)
            soundfile.write(buffer, silence, row.sample_rate, "PCM_16", format="WAV")
            encoded[row.sample_rate] = buffer.getvalue()
        base = data_dir / TRASH_DIR if row.trashed_at else data_dir
        path = base / row.audio_path
        if path.parent not in made:
            ensure_private_dir(path.parent)
            made.add(path.parent)
        path.write_bytes(encoded[row.sample_rate])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, metavar="DIR", help="the library folder to fill")
    parser.add_argument("--takes", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--with-audio", action="store_true", help="also write a tiny silent WAV for every take"
    )
    args = parser.parse_args()
    began = time.perf_counter()
    try:
        make_library(args.data_dir, args.takes, args.seed, with_audio=args.with_audio)
    except ValueError as exc:
        raise SystemExit(f"make_library: {exc}") from exc
    elapsed = time.perf_counter() - began
    audio = " with audio files" if args.with_audio else " (paths only, no audio files)"
    print(f"made {args.takes:,} takes in {args.data_dir}{audio} in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
