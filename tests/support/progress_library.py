"""A small library with hand-worked progress figures, shared by the storage, report and GUI tests.

Four sessions over four days (US Eastern, UTC-5), ratings as (professionalism, clarity):

    A 2 Nov 10:00  q0 (2,1) 10 s · q0 (3,2) 12 s · q1 (4,4) 8 s
    B 3 Nov 23:30  q0 (4,3) 11 s · q1 unrated 5 s · q2 (1,2) 20 s   (already 4 Nov in UTC)
    C 4 Nov 09:00  q0 (5,4) 10 s · q2 (2,–) 6 s · q1 (5,5) trashed · q3 left recording
    D 30 Oct 18:00 q3 (3,3) 9 s   (created last, but the earliest)

Worked out: 4 sessions, 9 takes (8 rated), 91 s spoken, 4 days practised (30 Oct, 2, 3, 4 Nov),
longest streak 3. q0: 4 takes, professionalism first 3 -> recent 4 (best 5), clarity 2 -> 3
(best 4), latest (5, 4). Needs work: q2 (recent score 1.5), q3 (3.0), q0 (3.0).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library

DECK = load_deck(default_deck_path())
Q = [q.id for q in DECK.questions]
TZ = timezone(timedelta(hours=-5))


def at(day: str, clock: str, tz: timezone = TZ) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)


def add(
    library: Library,
    session: int,
    question: int,
    when: datetime,
    p: int | None,
    c: int | None,
    seconds: float = 10.0,
) -> int:
    take = library.begin_take(session, DECK.id, DECK.questions[question], 16000, when)
    library.finish_take(take.id, seconds, 16000)
    library.set_rating(take.id, RatingScale.PROFESSIONALISM, p)
    library.set_rating(take.id, RatingScale.CLARITY, c)
    return take.id


def build(library: Library) -> dict[str, int]:
    """Fill an empty library as described above; returns the take ids by name (t1 … t10)."""
    a, b, c = (library.start_session(DECK.id, at("2026-11-02", "09:00")) for _ in range(3))
    ids = {
        "t1": add(library, a, 0, at("2026-11-02", "10:00"), 2, 1, 10),
        "t2": add(library, a, 0, at("2026-11-02", "10:05"), 3, 2, 12),
        "t3": add(library, a, 1, at("2026-11-02", "10:10"), 4, 4, 8),
        "t4": add(library, b, 0, at("2026-11-03", "23:30"), 4, 3, 11),
        "t5": add(library, b, 1, at("2026-11-03", "23:35"), None, None, 5),
        "t6": add(library, b, 2, at("2026-11-03", "23:40"), 1, 2, 20),
        "t7": add(library, c, 0, at("2026-11-04", "09:00"), 5, 4, 10),
        "t8": add(library, c, 2, at("2026-11-04", "09:05"), 2, None, 6),
        "t9": add(library, c, 1, at("2026-11-04", "09:10"), 5, 5, 7),
    }
    library.trash_take(ids["t9"])
    library.begin_take(c, DECK.id, DECK.questions[3], 16000, at("2026-11-04", "09:20"))
    d = library.start_session(DECK.id, at("2026-10-30", "18:00"))
    ids["t10"] = add(library, d, 3, at("2026-10-30", "18:00"), 3, 3, 9)
    return ids


def build_in(data_dir: Path) -> dict[str, int]:
    """`build` in a new library folder, closed afterwards (for tests that open the app on it)."""
    library = Library(data_dir)
    try:
        return build(library)
    finally:
        library.close()
