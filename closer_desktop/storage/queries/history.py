"""Finding past takes: filters and pages of results as indexed SQL, for the History view.

Pages are fetched on demand (offset/limit) so that 10,000 takes open as fast as 10. Each page
comes with the headline delivery figures of its takes (table take_metrics), read with SQLite's
JSON functions so that only a few numbers per take leave the database, never the whole transcript;
the line check (stored in the same JSON, see storage/take_metrics.py) comes as its own small JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from closer_desktop.domain.delivery import LONG_PAUSE_S, MONOTONE_SEMITONES, PACE_WPM, Delivery
from closer_desktop.domain.practice import Take
from closer_desktop.domain.scheduler import RECALLED_AT
from closer_desktop.storage.library import LIVE, TAKE_COLUMNS, Library, takes_from_rows
from closer_desktop.storage.take_metrics import (
    LineFigures,
    line_figures,
    line_json_sql,
    line_weak_sql,
)

# A take's figures in its stored metrics JSON (analysis.metrics.Metrics.to_json()). Fillers are
# counted only where there is a transcript: without one, "no fillers" would be a guess.
WPM_SQL = "json_extract(metrics, '$.words_per_minute')"
FILLERS_SQL = (
    "CASE WHEN json_extract(metrics, '$.transcribed') "
    "THEN json_array_length(metrics, '$.fillers') END"
)
LONGEST_PAUSE_SQL = "json_extract(metrics, '$.longest_pause_s')"
PITCH_SQL = "json_extract(metrics, '$.pitch_spread_semitones')"


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
            DeliveryFilter.PACE_OUTSIDE: (f"{WPM_SQL} NOT BETWEEN ? AND ?", [low, high]),
            DeliveryFilter.MONOTONE: (f"{PITCH_SQL} < ?", [MONOTONE_SEMITONES]),
            DeliveryFilter.LONG_PAUSE: (f"{LONGEST_PAUSE_SQL} >= ?", [LONG_PAUSE_S]),
        }
        condition, params = conditions[self]
        return f"id IN (SELECT take_id FROM take_metrics WHERE {condition})", params


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
class HistoryPage:
    """One page of takes, the delivery figures of those analysed and the line check of those
    with a transcript (by take id)."""

    takes: list[Take]
    delivery: dict[int, Delivery] = field(default_factory=dict)
    line: dict[int, LineFigure] = field(default_factory=dict)


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
    other takes is never parsed, however many match.
    """
    where, params = take_filter.where()
    rows = library.db.execute(
        f"""
        SELECT page.*, metrics IS NOT NULL AS analysed, {WPM_SQL} AS wpm,
            {FILLERS_SQL} AS fillers, {LONGEST_PAUSE_SQL} AS longest_pause_s, {PITCH_SQL} AS pitch,
            {line_json_sql("take_metrics")} AS line
        FROM (
            SELECT {TAKE_COLUMNS} FROM takes WHERE {where}
            ORDER BY {ORDER[group_by]} LIMIT ? OFFSET ?
        ) AS page
        LEFT JOIN take_metrics ON take_metrics.take_id = page.id
        ORDER BY {ORDER[group_by]}
        """,
        (*params, limit, offset),
    ).fetchall()
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
    return HistoryPage(library.mark_missing(takes_from_rows(rows)), delivery, line)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
