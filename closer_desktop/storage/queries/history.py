"""Finding past takes: filters and pages of results as indexed SQL, for the History view.

Pages are fetched on demand (offset/limit) so that 10,000 takes open as fast as 10. Each page
comes with the headline delivery figures of its takes (table take_metrics), read with SQLite's
JSON functions so that only a few numbers per take leave the database, never the whole transcript;
the line check (stored in the same JSON, see storage/take_metrics.py) comes as its own small JSON.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from closer_desktop.domain.delivery import (
    LONG_PAUSE_S,
    MIN_WORDS_FOR_PACE,
    MONOTONE_SEMITONES,
    PACE_WPM,
    Delivery,
)
from closer_desktop.domain.practice import Take
from closer_desktop.domain.scheduler import RECALLED_AT
from closer_desktop.storage.library import LIVE, TAKE_COLUMNS, Library, takes_from_rows
from closer_desktop.storage.take_metrics import (
    LineFigures,
    line_figures,
    line_json_sql,
    line_weak_sql,
)

log = logging.getLogger(__name__)

# A take's figures in its stored metrics JSON (analysis.metrics.Metrics.to_json()). Fillers are
# counted only where there is a transcript: without one, "no fillers" would be a guess.
# A pace over fewer than MIN_WORDS_FOR_PACE words is none, as the feedback tile says ("Not
# measured"): two words in a second would read 120 and be flagged, filtered and charted.
WPM_SQL = (
    f"CASE WHEN json_array_length(metrics, '$.words') >= {MIN_WORDS_FOR_PACE} "
    "THEN json_extract(metrics, '$.words_per_minute') END"
)
FILLERS_SQL = (
    "CASE WHEN json_extract(metrics, '$.transcribed') "
    "THEN json_array_length(metrics, '$.fillers') END"
)
LONGEST_PAUSE_SQL = "json_extract(metrics, '$.longest_pause_s')"
PITCH_SQL = "json_extract(metrics, '$.pitch_spread_semitones')"
SPEAKING_SQL = "json_extract(metrics, '$.speaking_time_s')"
LONG_PAUSES_SQL = "json_extract(metrics, '$.long_pause_count')"
# The metrics rows SQLite can read as JSON, the others as NULL: json_extract raises on text that
# is not JSON, and one damaged row (a restored or hand-edited library) would fail a whole page.
READABLE_METRICS = (
    "(SELECT take_id, metrics AS stored, "
    "CASE WHEN json_valid(metrics) THEN metrics END AS metrics FROM take_metrics)"
)


class GroupBy(Enum):
    DATE = "date"
    QUESTION = "question"


class DeliveryFilter(Enum):
    """Takes whose stored delivery figures call for attention (or that have none yet)."""

    ANY = "any"
    NOT_ANALYSED = "not_analysed"
    FILLERS = "fillers"
    PACE_OUTSIDE = "pace_outside"
    MONOTONE = "monotone"
    LONG_PAUSE = "long_pause"

    def where(self) -> tuple[str | None, list[object]]:
        """A condition on takes.id (None: no condition): a subquery of take_metrics, so the filter
        composes with any query of takes and SQLite runs it once, not once per take. The bounds
        are domain.delivery's, as in Delivery's flags, so the filter finds the takes flagged."""
        if self is DeliveryFilter.ANY:
            return None, []
        if self is DeliveryFilter.NOT_ANALYSED:
            return "id NOT IN (SELECT take_id FROM take_metrics)", []
        low, high = PACE_WPM
        conditions: dict[DeliveryFilter, tuple[str, list[object]]] = {
            DeliveryFilter.FILLERS: (f"{FILLERS_SQL} > 0", []),
            # ROUND: the pace as shown (delivery.words_a_minute), 165.4 is 165, inside the band
            DeliveryFilter.PACE_OUTSIDE: (f"ROUND({WPM_SQL}) NOT BETWEEN ? AND ?", [low, high]),
            DeliveryFilter.MONOTONE: (f"{PITCH_SQL} < ?", [MONOTONE_SEMITONES]),
            DeliveryFilter.LONG_PAUSE: (f"{LONGEST_PAUSE_SQL} >= ?", [LONG_PAUSE_S]),
        }
        condition, params = conditions[self]
        # CASE, not AND: SQLite may evaluate the terms of an AND in any order.
        readable = f"CASE WHEN json_valid(metrics) THEN {condition} END"
        return f"id IN (SELECT take_id FROM take_metrics WHERE {readable})", params


@dataclass(frozen=True)
class LineFigure(LineFigures):
    """A take's line check as History shows it: the line match (0-1), whether the take said a
    different question entirely, and how many key phrases it left out."""

    @classmethod
    def of(cls, stored: object) -> LineFigure | None:
        """From a stored check (storage/take_metrics.line_figures), None for none."""
        figures = line_figures(stored)
        return None if figures is None else cls(**vars(figures))

    @property
    def weak(self) -> bool:
        """Not yet by heart, by the scheduler's rule (domain/scheduler.py, RECALLED_AT)."""
        return self.different or self.key_missed > 0 or self.score < RECALLED_AT


@dataclass(frozen=True)
class Pacing:
    """What judging fillers and pauses needs beside Delivery's figures: the seconds of speech
    (fillers count per minute of it) and how many pauses were long."""

    speaking_s: float | None = None
    long_pauses: int | None = None


@dataclass(frozen=True)
class QuestionGroup:
    """A question's takes among those a filter finds, for its group's heading: how many, and
    the sums and counts of their ratings (sums, so that a delete can take one take out)."""

    takes: int
    professionalism_sum: int = 0
    professionalism_rated: int = 0
    clarity_sum: int = 0
    clarity_rated: int = 0

    @property
    def mean_professionalism(self) -> float | None:
        return _mean(self.professionalism_sum, self.professionalism_rated)

    @property
    def mean_clarity(self) -> float | None:
        return _mean(self.clarity_sum, self.clarity_rated)

    def without(self, take: Take) -> QuestionGroup:
        """The group once `take` (one of its takes) is deleted."""
        p, c = take.professionalism, take.clarity
        return QuestionGroup(
            self.takes - 1,
            self.professionalism_sum - (p or 0),
            self.professionalism_rated - (1 if p else 0),
            self.clarity_sum - (c or 0),
            self.clarity_rated - (1 if c else 0),
        )


def _mean(total: int, count: int) -> float | None:
    return total / count if count else None


@dataclass(frozen=True)
class HistoryPage:
    """One page of takes, the delivery figures of those analysed and the line check of those
    with a transcript (by take id); grouped by question, the groups of the page's questions
    (by question text, as they are ordered), over every take the filter finds."""

    takes: list[Take]
    delivery: dict[int, Delivery] = field(default_factory=dict)
    line: dict[int, LineFigure] = field(default_factory=dict)
    pacing: dict[int, Pacing] = field(default_factory=dict)
    unreadable: set[int] = field(default_factory=set)  # stored metrics that are not JSON
    groups: dict[str, QuestionGroup] = field(default_factory=dict)


@dataclass(frozen=True)
class TakeFilter:
    """What the user narrowed History to; every field is optional."""

    deck_id: str | None = None
    stage: str | None = None
    question_id: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    max_professionalism: int | None = None
    max_clarity: int | None = None
    has_note: bool = False
    starred_only: bool = False
    text: str = ""  # searched in notes and question text
    delivery: DeliveryFilter = DeliveryFilter.ANY
    line_weak: bool = False  # only takes whose line check finds the line not yet by heart

    def where(self) -> tuple[str, list[object]]:
        clauses, params = [LIVE], list[object]()
        for column, value in (
            ("deck_id", self.deck_id),
            ("stage", self.stage),
            ("question_id", self.question_id),
        ):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        # Dates are the dates on the user's clock when each take was recorded (as in Progress):
        # recorded_at starts with that local date whatever its UTC offset, so comparing the text
        # with a bare date is exact here. (Instants are compared with julianday(), see ORDER.)
        if self.since:
            clauses.append("recorded_at >= ?")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append("recorded_at < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
        for column, limit in (
            ("professionalism", self.max_professionalism),
            ("clarity", self.max_clarity),
        ):
            if limit is not None:
                clauses.append(f"{column} <= ?")  # unrated takes do not match "at most N"
                params.append(limit)
        if self.has_note:
            clauses.append("note <> ''")
        if self.starred_only:
            clauses.append("starred = 1")
        if self.text.strip():
            pattern = "%" + _escape_like(self.text.strip()) + "%"
            clauses.append("(note LIKE ? ESCAPE '\\' OR question_text LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        delivery, delivery_params = self.delivery.where()
        if delivery:
            clauses.append(delivery)
            params += delivery_params
        if self.line_weak:
            clauses.append(f"id IN (SELECT take_id FROM take_metrics m WHERE {line_weak_sql()})")
            params.append(RECALLED_AT)
        return " AND ".join(clauses), params


# By the instant (julianday reads the offset): as text, 09:30+02:00 would sort after 08:45+00:00.
ORDER = {
    GroupBy.DATE: "julianday(recorded_at) DESC, id DESC",
    GroupBy.QUESTION: "question_text, julianday(recorded_at) DESC, id DESC",
}


def count_takes(library: Library, take_filter: TakeFilter) -> int:
    where, params = take_filter.where()
    return int(
        library.db.execute(f"SELECT COUNT(*) FROM takes WHERE {where}", tuple(params)).fetchone()[0]
    )


def find_takes(
    library: Library, take_filter: TakeFilter, group_by: GroupBy, offset: int, limit: int
) -> list[Take]:
    """One page of matching takes, newest first (within each question when grouped by it)."""
    return find_page(library, take_filter, group_by, offset, limit).takes


def find_page(
    library: Library, take_filter: TakeFilter, group_by: GroupBy, offset: int, limit: int
) -> HistoryPage:
    """find_takes, with the delivery figures of the page's analysed takes.

    The page is chosen first and only its rows are joined with their metrics: the JSON of the
    other takes is never parsed, however many match. A take whose stored metrics are not JSON
    shows no figures (and is logged); the rest of the page shows as usual.
    """
    where, params = take_filter.where()
    rows = library.db.execute(
        f"""
        SELECT page.*, metrics IS NOT NULL AS analysed, stored IS NOT NULL AS stored,
            {WPM_SQL} AS wpm, {FILLERS_SQL} AS fillers, {LONGEST_PAUSE_SQL} AS longest_pause_s,
            {PITCH_SQL} AS pitch, {SPEAKING_SQL} AS speaking_s, {LONG_PAUSES_SQL} AS long_pauses,
            {line_json_sql("take_metrics")} AS line
        FROM (
            SELECT {TAKE_COLUMNS} FROM takes WHERE {where}
            ORDER BY {ORDER[group_by]} LIMIT ? OFFSET ?
        ) AS page
        LEFT JOIN {READABLE_METRICS} AS take_metrics ON take_metrics.take_id = page.id
        ORDER BY {ORDER[group_by]}
        """,
        (*params, limit, offset),
    ).fetchall()
    unreadable = {int(row["id"]) for row in rows if row["stored"] and not row["analysed"]}
    for take_id in sorted(unreadable):
        log.warning("take %s: its stored metrics are not JSON; History shows no figures", take_id)
    delivery = {
        int(row["id"]): Delivery(
            words_per_minute=row["wpm"],
            fillers=row["fillers"],
            longest_pause_s=row["longest_pause_s"],
            pitch_spread_semitones=row["pitch"],
        )
        for row in rows
        if row["analysed"]
    }
    line = {
        int(row["id"]): figure for row in rows if (figure := LineFigure.of(row["line"])) is not None
    }
    pacing = {
        int(row["id"]): Pacing(_number(row["speaking_s"]), _count(row["long_pauses"]))
        for row in rows
        if row["analysed"]
    }
    takes = library.mark_missing(takes_from_rows(rows))
    groups = {}
    if group_by is GroupBy.QUESTION and takes:
        groups = question_groups(library, take_filter, sorted({t.question_text for t in takes}))
    return HistoryPage(takes, delivery, line, pacing, unreadable, groups)


def question_groups(
    library: Library, take_filter: TakeFilter, question_texts: list[str]
) -> dict[str, QuestionGroup]:
    """The groups of these questions (by text, as History orders them) among the filter's takes."""
    where, params = take_filter.where()
    groups: dict[str, QuestionGroup] = {}
    for start in range(0, len(question_texts), 500):  # SQLite's limit on bound parameters
        part = question_texts[start : start + 500]
        marks = ",".join("?" * len(part))
        for row in library.db.execute(
            f"SELECT question_text, COUNT(*), TOTAL(professionalism), COUNT(professionalism), "
            f"TOTAL(clarity), COUNT(clarity) FROM takes "
            f"WHERE {where} AND question_text IN ({marks}) GROUP BY question_text",
            (*params, *part),
        ):
            groups[str(row[0])] = QuestionGroup(
                int(row[1]), int(row[2]), int(row[3]), int(row[4]), int(row[5])
            )
    return groups


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
