"""Finding past takes: filters and pages of results as indexed SQL, for the History view.

Pages are fetched on demand (offset/limit) so that 10,000 takes open as fast as 10.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from closer_desktop.domain.practice import Take
from closer_desktop.storage.library import _TAKE_COLUMNS, LIVE, Library, _take_from_row


class GroupBy(Enum):
    DATE = "date"
    QUESTION = "question"


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
    where, params = take_filter.where()
    rows = library.db.execute(
        f"SELECT {_TAKE_COLUMNS} FROM takes WHERE {where} ORDER BY {ORDER[group_by]} "
        "LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return library.mark_missing([_take_from_row(row) for row in rows])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
