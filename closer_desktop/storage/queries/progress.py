"""Progress: how the self-ratings move over time, aggregated in SQL for the Progress view and report.

Each figure is one query (GROUP BY and window functions), so 10,000 takes cost little more than
10: Python only sees the rows that are shown (at most MAX_TAKE_POINTS takes, one row per session,
question or practised day). The `takes_by_question` and `takes_by_time` indexes serve the filters;
no other index is needed: the aggregates read every take in scope once whatever the index.
The rules that judge the figures (a take's score, "needs work", streaks, the moving-average
windows) are domain.progress's; this module only reads.

Conventions, the same in every query:

- Only live takes count (library.LIVE: complete and not in the trash).
- Time order is julianday(recorded_at), then id: SQLite reads the stored UTC offset, so takes from
  either side of a daylight-saving change sort as they happened.
- A take's *day* is the date on the user's clock when it was recorded: the first ten characters of
  recorded_at, which is stored in local time with its offset. (SQLite's date() would convert to
  UTC and move an evening take in New York to the next day.)
- *Recent* means a question's last RECENT ratings of a scale; *first*, its first RECENT. Its
  recent score is the mean score (domain.progress.take_score) of its last RECENT rated takes,
  whose ratings are read here and scored in Python.
- The *moving average* at a take is the mean of each scale's ratings among the last TAKE_WINDOW
  rated takes up to it; at a session, the mean of the last SESSION_WINDOW session means.
- Totals, practised days and streaks cover the whole library (every deck: practice is practice);
  the score series, per-question figures, best, latest and "needs work" cover the Scope.
- Delivery trends cover the Scope's analysed takes (those with a row in take_metrics, of any
  analyser version). A session's pace is its words over its speaking time (each take's pace
  weighted by how long it spoke, so a three-word take does not swing it); its fillers a minute,
  likewise, over the takes with a transcript; its pitch spread, the mean of its takes'.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from closer_desktop.domain.progress import (
    SESSION_WINDOW,
    TAKE_WINDOW,
    Comparison,
    QuestionTrend,
    Streaks,
    mean_score,
    needs_work,
    question_trend,
    streaks,
)
from closer_desktop.domain.recall import WHOLE_LINE
from closer_desktop.domain.scheduler import RECALLED_AT, RECENT
from closer_desktop.storage.library import LIVE, Library
from closer_desktop.storage.queries.history import FILLERS_SQL, PITCH_SQL, WPM_SQL
from closer_desktop.storage.take_metrics import line_figures, line_json_sql

MAX_TAKE_POINTS = 500
MAX_SESSION_POINTS = 1000

_RATED = "(professionalism IS NOT NULL OR clarity IS NOT NULL)"
_TIME = "julianday(recorded_at)"
_POINT_COLUMNS = (
    "id, session_id, deck_id, question_id, question_text, recorded_at, professionalism, clarity"
)


@dataclass(frozen=True)
class Scope:
    """Which takes the score figures cover: a deck (None: every deck), one question or all."""

    deck_id: str | None = None
    question_id: str | None = None

    def where(self) -> tuple[str, tuple[object, ...]]:
        clauses, params = [LIVE], list[object]()
        if self.deck_id is not None:
            clauses.append("deck_id = ?")
            params.append(self.deck_id)
        if self.question_id is not None:
            clauses.append("question_id = ?")
            params.append(self.question_id)
        return " AND ".join(clauses), tuple(params)


@dataclass(frozen=True)
class TakePoint:
    """One take on the charts (its moving averages are None outside a series)."""

    take_id: int
    session_id: int
    deck_id: str
    question_id: str
    question_text: str
    recorded_at: datetime
    professionalism: int | None
    clarity: int | None
    moving_professionalism: float | None = None
    moving_clarity: float | None = None


@dataclass(frozen=True)
class SessionPoint:
    """One session's mean ratings (of its takes in scope), placed at its first take."""

    session_id: int
    started_at: datetime
    takes: int
    professionalism: float | None
    clarity: float | None
    moving_professionalism: float | None
    moving_clarity: float | None


@dataclass(frozen=True)
class DeliveryPoint:
    """One session's delivery (of its analysed takes in scope), placed at its first analysed take;
    a figure is None when none of those takes measured it (no transcript: no pace, no fillers)."""

    session_id: int
    started_at: datetime
    takes: int  # analysed takes
    words_per_minute: float | None
    fillers_per_minute: float | None
    pitch_spread_semitones: float | None


@dataclass(frozen=True)
class RecallPoint:
    """One take said without the line on screen (from memory, or in an interview run) and its
    line check: a point of its question's "by heart" trend."""

    take_id: int
    question_id: str
    recorded_at: datetime
    mode: str  # "memory" or "run"
    line_match: float  # 0-1
    different: bool  # said a different question entirely
    key_missed: int  # key phrases left out
    hint_level: int | None = None  # the hint ladder's step reached (domain/recall.py)

    @property
    def recalled(self) -> bool:
        """By the scheduler's rule (domain/scheduler.py, RatedTake.recall_failed): a take said
        once the hints showed the whole line was read, however well it matched."""
        if self.hint_level is not None and self.hint_level >= WHOLE_LINE:
            return False
        return not self.different and not self.key_missed and self.line_match >= RECALLED_AT


@dataclass(frozen=True)
class QuestionProgress:
    """Everything about one question's takes; means are None when nothing of that scale is rated."""

    deck_id: str
    question_id: str
    question_text: str  # the wording of its latest take
    takes: int
    rated: int  # takes with at least one rating
    spoken_s: float
    last_at: datetime
    mean_professionalism: float | None
    mean_clarity: float | None
    best_professionalism: int | None
    best_clarity: int | None
    latest_professionalism: int | None
    latest_clarity: int | None
    first_professionalism: float | None  # mean of the first RECENT ratings
    first_clarity: float | None
    recent_professionalism: float | None  # mean of the last RECENT ratings
    recent_clarity: float | None
    recent_score: float | None  # mean of the last RECENT scores (lower rating of each take)
    latest_take_id: int
    rated_professionalism: int = 0  # takes with that scale rated (first and recent: apart?)
    rated_clarity: int = 0

    @property
    def trend(self) -> QuestionTrend:
        """Its move from the first to the recent takes (domain.progress.question_trend), read
        here once so that the Progress page and the report judge it from the same figures."""
        return question_trend(
            [
                (
                    self.rated_professionalism,
                    self.first_professionalism,
                    self.recent_professionalism,
                ),
                (self.rated_clarity, self.first_clarity, self.recent_clarity),
            ]
        )


@dataclass(frozen=True)
class Totals:
    sessions: int = 0  # sessions with at least one live take
    takes: int = 0
    rated: int = 0  # takes with at least one rating
    spoken_s: float = 0.0
    days: int = 0

    @property
    def minutes(self) -> float:
        return self.spoken_s / 60


@dataclass(frozen=True)
class PracticeDay:
    day: date
    takes: int
    spoken_s: float


@dataclass(frozen=True)
class Progress:
    """All the Progress view and the report show, loaded in one go on the library's thread."""

    scope: Scope
    today: date
    totals: Totals
    streaks: Streaks
    days: list[PracticeDay] = field(default_factory=list)
    takes: list[TakePoint] = field(default_factory=list)  # latest rated takes, oldest first
    rated_in_scope: int = 0  # how many rated takes the scope holds (`takes` may be fewer)
    sessions: list[SessionPoint] = field(default_factory=list)
    questions: list[QuestionProgress] = field(default_factory=list)
    needs_work: list[QuestionProgress] = field(default_factory=list)
    latest: TakePoint | None = None
    best: TakePoint | None = None
    delivery: list[DeliveryPoint] = field(default_factory=list)  # sessions, oldest first
    # Per question id, its takes said by heart with a line check, oldest first (none: no entry).
    by_heart: dict[str, list[RecallPoint]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.totals.takes == 0

    @property
    def weakest(self) -> str | None:
        """The text of the question that needs work most, which the headline names: None when
        none does, or when the scope is one question (there is no other to name)."""
        if self.scope.question_id is not None or not self.needs_work:
            return None
        return self.needs_work[0].question_text


def load_progress(library: Library, scope: Scope = Scope(), today: date | None = None) -> Progress:
    """Every figure of the Progress view for `scope`; `today` defaults to the local date."""
    today = today or datetime.now().astimezone().date()
    questions = question_progress(library, scope)
    days = practice_days(library)
    return Progress(
        scope=scope,
        today=today,
        totals=totals(library),
        streaks=streaks((d.day for d in days), today),
        days=days,
        takes=take_points(library, scope),
        rated_in_scope=sum(q.rated for q in questions),
        sessions=session_points(library, scope),
        questions=questions,
        needs_work=needs_work(questions),
        latest=_newest_of(library, questions),
        best=best_take(library, scope),
        delivery=delivery_points(library, scope),
        by_heart=by_heart(library, scope),
    )


# The whole library -----------------------------------------------------------------------------


def totals(library: Library) -> Totals:
    row = library.db.execute(
        f"SELECT COUNT(DISTINCT session_id), COUNT(*), COUNT(CASE WHEN {_RATED} THEN 1 END), "
        f"TOTAL(duration_s), COUNT(DISTINCT substr(recorded_at, 1, 10)) FROM takes WHERE {LIVE}"
    ).fetchone()
    return Totals(int(row[0]), int(row[1]), int(row[2]), float(row[3]), int(row[4]))


def practice_days(library: Library) -> list[PracticeDay]:
    """Each day with at least one take, oldest first."""
    rows = library.db.execute(
        "SELECT substr(recorded_at, 1, 10) AS day, COUNT(*), TOTAL(duration_s) FROM takes "
        f"WHERE {LIVE} GROUP BY day ORDER BY day"
    ).fetchall()
    return [PracticeDay(date.fromisoformat(row[0]), int(row[1]), float(row[2])) for row in rows]


# Score series ----------------------------------------------------------------------------------


def take_points(
    library: Library, scope: Scope, limit: int = MAX_TAKE_POINTS, window: int = TAKE_WINDOW
) -> list[TakePoint]:
    """The latest `limit` rated takes in scope, oldest first, with their moving averages.

    Only the takes shown and the `window - 1` before them go through the window function: the
    first take shown has the same average as it would with every take shown.
    """
    where, params = scope.where()
    before = int(window) - 1
    rows = library.db.execute(
        f"""
        WITH latest AS (
            SELECT id, professionalism, clarity, {_TIME} AS jd
            FROM takes WHERE {where} AND {_RATED} ORDER BY jd DESC, id DESC LIMIT ?
        ),
        shown AS (
            -- only ids and ratings go through the window: the text joins after
            SELECT id, jd, ROW_NUMBER() OVER (ORDER BY jd DESC, id DESC) AS back,
                AVG(professionalism) OVER moving AS moving_p, AVG(clarity) OVER moving AS moving_c
            FROM latest WINDOW moving AS (ORDER BY jd, id ROWS {before} PRECEDING)
        )
        SELECT shown.*, session_id, deck_id, question_id, question_text, recorded_at,
            professionalism, clarity
        FROM shown JOIN takes USING (id) WHERE back <= ? ORDER BY shown.jd, shown.id
        """,
        (*params, limit + before, limit),
    ).fetchall()
    return [
        replace(_point(row), moving_professionalism=row["moving_p"], moving_clarity=row["moving_c"])
        for row in rows
    ]


def session_points(
    library: Library, scope: Scope, limit: int = MAX_SESSION_POINTS
) -> list[SessionPoint]:
    """Per session (its takes in scope): mean ratings and their moving average, oldest first."""
    where, params = scope.where()
    rows = library.db.execute(
        f"""
        WITH sessions AS (
            -- a bare column beside MIN() comes from the row holding the minimum (SQLite)
            SELECT session_id, MIN({_TIME}) AS jd, recorded_at AS started_at, COUNT(*) AS takes,
                AVG(professionalism) AS p, AVG(clarity) AS c
            FROM takes WHERE {where} GROUP BY session_id
        ),
        latest AS (SELECT * FROM sessions ORDER BY jd DESC, session_id DESC LIMIT ?)
        SELECT session_id, started_at, takes, p, c,
            CASE WHEN p IS NOT NULL THEN AVG(p) OVER (PARTITION BY p IS NULL
                ORDER BY jd, session_id ROWS BETWEEN {SESSION_WINDOW - 1} PRECEDING AND CURRENT ROW)
                END AS moving_p,
            CASE WHEN c IS NOT NULL THEN AVG(c) OVER (PARTITION BY c IS NULL
                ORDER BY jd, session_id ROWS BETWEEN {SESSION_WINDOW - 1} PRECEDING AND CURRENT ROW)
                END AS moving_c
        FROM latest ORDER BY jd, session_id
        """,
        (*params, limit),
    ).fetchall()
    return [
        SessionPoint(
            session_id=row["session_id"],
            started_at=datetime.fromisoformat(row["started_at"]),
            takes=int(row["takes"]),
            professionalism=row["p"],
            clarity=row["c"],
            moving_professionalism=row["moving_p"],
            moving_clarity=row["moving_c"],
        )
        for row in rows
    ]


def delivery_points(
    library: Library, scope: Scope, limit: int = MAX_SESSION_POINTS
) -> list[DeliveryPoint]:
    """Per session with analysed takes in scope: pace, fillers a minute and pitch spread, oldest
    first (the latest `limit` sessions).

    `analysed` is MATERIALIZED so that each take's JSON is parsed once (the aggregates use each
    figure several times; inlined, SQLite would parse the JSON for every use).

    Shaped like session_points but not the same query: other takes (the analysed ones only, so a
    session sits at its first analysed take), figures weighted by speaking time, and no moving
    average; only the "latest sessions, oldest first" tail is alike.
    """
    where, params = scope.where()
    rows = library.db.execute(
        f"""
        WITH analysed AS MATERIALIZED (
            SELECT session_id, {_TIME} AS jd, recorded_at, {WPM_SQL} AS wpm,
                {FILLERS_SQL} AS fillers, {PITCH_SQL} AS pitch,
                json_extract(metrics, '$.speaking_time_s') AS speaking_s
            -- metrics that are not JSON (a damaged row) are left out, not the whole chart:
            -- json_extract raises on them, and the ON clause is tested before it runs
            FROM takes JOIN take_metrics
                ON take_metrics.take_id = takes.id AND json_valid(take_metrics.metrics)
            WHERE {where}
        ),
        sessions AS (
            -- a bare column beside MIN() comes from the row holding the minimum (SQLite)
            SELECT session_id, MIN(jd) AS jd, recorded_at AS started_at, COUNT(*) AS takes,
                SUM(CASE WHEN wpm IS NOT NULL AND speaking_s > 0 THEN wpm * speaking_s END)
                    / SUM(CASE WHEN wpm IS NOT NULL AND speaking_s > 0 THEN speaking_s END) AS wpm,
                60.0 * SUM(CASE WHEN fillers IS NOT NULL AND speaking_s > 0 THEN fillers END)
                    / SUM(CASE WHEN fillers IS NOT NULL AND speaking_s > 0 THEN speaking_s END)
                    AS fillers_pm,
                AVG(pitch) AS pitch
            FROM analysed GROUP BY session_id
        ),
        latest AS (SELECT * FROM sessions ORDER BY jd DESC, session_id DESC LIMIT ?)
        SELECT * FROM latest ORDER BY jd, session_id
        """,
        (*params, limit),
    ).fetchall()
    return [
        DeliveryPoint(
            session_id=row["session_id"],
            started_at=datetime.fromisoformat(row["started_at"]),
            takes=int(row["takes"]),
            words_per_minute=row["wpm"],
            fillers_per_minute=row["fillers_pm"],
            pitch_spread_semitones=row["pitch"],
        )
        for row in rows
    ]


def by_heart(
    library: Library, scope: Scope, limit: int = MAX_TAKE_POINTS
) -> dict[str, list[RecallPoint]]:
    """Per question in scope, the line match of its takes said from memory or in an interview
    run, oldest first (its latest `limit`): whether the line is being learnt by heart. Takes
    without a line check yet (no transcript) are left out."""
    where, params = scope.where()
    rows = library.db.execute(
        f"SELECT id, question_id, recorded_at, mode, hint_level, {line_json_sql()} AS line "
        f"FROM takes JOIN take_metrics m ON m.take_id = takes.id "
        f"WHERE {where} AND mode IN ('memory', 'run') ORDER BY {_TIME}, id",
        params,
    ).fetchall()
    trends: dict[str, list[RecallPoint]] = {}
    for row in rows:
        line = line_figures(row["line"])
        if line is None:
            continue
        trends.setdefault(row["question_id"], []).append(
            RecallPoint(
                take_id=row["id"],
                question_id=row["question_id"],
                recorded_at=datetime.fromisoformat(row["recorded_at"]),
                mode=row["mode"],
                line_match=line.score,
                different=line.different,
                key_missed=line.key_missed,
                hint_level=row["hint_level"],
            )
        )
    for question_id, points in trends.items():
        trends[question_id] = points[-limit:]
    return trends


# Per question ----------------------------------------------------------------------------------


def question_progress(library: Library, scope: Scope) -> list[QuestionProgress]:
    """Each question with takes in scope, in the order they were first practised.

    One window pass numbers each question's takes from the newest: COUNT(x) over a running frame
    is a take's rank among the takes with x rated (and, over the following frame, from the
    oldest), so unrated takes never count among the recent ones. The recent rated takes'
    ratings come out as a JSON list of pairs, scored by domain.progress.mean_score.
    """
    where, params = scope.where()
    rows = library.db.execute(
        f"""
        WITH ranked AS (
            SELECT id, deck_id, question_id, duration_s, p, c, jd, rated,
                COUNT(*) OVER (newest ROWS UNBOUNDED PRECEDING) AS newest,
                COUNT(p) OVER (newest ROWS UNBOUNDED PRECEDING) AS p_newest,
                COUNT(p) OVER (newest ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS p_oldest,
                COUNT(c) OVER (newest ROWS UNBOUNDED PRECEDING) AS c_newest,
                COUNT(c) OVER (newest ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS c_oldest,
                COUNT(rated) OVER (newest ROWS UNBOUNDED PRECEDING) AS r_newest
            FROM (
                SELECT id, deck_id, question_id, duration_s, professionalism AS p, clarity AS c,
                    {_TIME} AS jd, CASE WHEN {_RATED} THEN 1 END AS rated
                FROM takes WHERE {where}
            )
            WINDOW newest AS (PARTITION BY deck_id, question_id ORDER BY jd DESC, id DESC)
        ),
        questions AS (
            SELECT deck_id, question_id, COUNT(*) AS takes, COUNT(rated) AS rated,
                COUNT(p) AS rated_p, COUNT(c) AS rated_c,
                TOTAL(duration_s) AS spoken_s,
                MIN(jd) AS first_jd,
                MAX(CASE WHEN newest = 1 THEN id END) AS latest_take_id,
                AVG(p) AS mean_p, AVG(c) AS mean_c, MAX(p) AS best_p, MAX(c) AS best_c,
                MAX(CASE WHEN p IS NOT NULL AND p_newest = 1 THEN p END) AS latest_p,
                MAX(CASE WHEN c IS NOT NULL AND c_newest = 1 THEN c END) AS latest_c,
                AVG(CASE WHEN p IS NOT NULL AND p_oldest <= {RECENT} THEN p END) AS first_p,
                AVG(CASE WHEN c IS NOT NULL AND c_oldest <= {RECENT} THEN c END) AS first_c,
                AVG(CASE WHEN p IS NOT NULL AND p_newest <= {RECENT} THEN p END) AS recent_p,
                AVG(CASE WHEN c IS NOT NULL AND c_newest <= {RECENT} THEN c END) AS recent_c,
                json_group_array(json_array(p, c))
                    FILTER (WHERE rated IS NOT NULL AND r_newest <= {RECENT}) AS recent_ratings
            FROM ranked GROUP BY deck_id, question_id
        )
        SELECT questions.*, latest.question_text, latest.recorded_at AS last_at
        FROM questions JOIN takes AS latest ON latest.id = questions.latest_take_id
        ORDER BY first_jd, deck_id, question_id
        """,
        params,
    ).fetchall()
    return [_question(row) for row in rows]


def _question(row: sqlite3.Row) -> QuestionProgress:
    return QuestionProgress(
        deck_id=row["deck_id"],
        question_id=row["question_id"],
        question_text=row["question_text"],
        takes=int(row["takes"]),
        rated=int(row["rated"]),
        spoken_s=float(row["spoken_s"]),
        last_at=datetime.fromisoformat(row["last_at"]),
        mean_professionalism=row["mean_p"],
        mean_clarity=row["mean_c"],
        best_professionalism=row["best_p"],
        best_clarity=row["best_c"],
        latest_professionalism=row["latest_p"],
        latest_clarity=row["latest_c"],
        first_professionalism=row["first_p"],
        first_clarity=row["first_c"],
        recent_professionalism=row["recent_p"],
        recent_clarity=row["recent_c"],
        recent_score=mean_score(json.loads(row["recent_ratings"])),
        latest_take_id=int(row["latest_take_id"]),
        rated_professionalism=int(row["rated_p"]),
        rated_clarity=int(row["rated_c"]),
    )


# Best and latest -------------------------------------------------------------------------------


def latest_take(library: Library, scope: Scope) -> TakePoint | None:
    """The newest take in scope, rated or not."""
    where, params = scope.where()
    row = library.db.execute(
        f"SELECT {_POINT_COLUMNS} FROM takes WHERE {where} ORDER BY {_TIME} DESC, id DESC LIMIT 1",
        params,
    ).fetchone()
    return _point(row) if row else None


def _newest_of(library: Library, questions: list[QuestionProgress]) -> TakePoint | None:
    """latest_take, from the questions' latest takes already found (no second pass)."""
    if not questions:
        return None
    newest = max(questions, key=lambda q: (q.last_at, q.latest_take_id))
    row = library.db.execute(
        f"SELECT {_POINT_COLUMNS} FROM takes WHERE id = ?", (newest.latest_take_id,)
    ).fetchone()
    return _point(row)


def best_take(library: Library, scope: Scope) -> TakePoint | None:
    """The rated take with the highest sum of ratings; of equals, the newest."""
    where, params = scope.where()
    row = library.db.execute(
        f"SELECT {_POINT_COLUMNS} FROM takes WHERE {where} AND {_RATED} "
        "ORDER BY COALESCE(professionalism, 0) + COALESCE(clarity, 0) DESC, "
        f"{_TIME} DESC, id DESC LIMIT 1",
        params,
    ).fetchone()
    return _point(row) if row else None


def _point(row: sqlite3.Row) -> TakePoint:
    return TakePoint(
        take_id=row["id"],
        session_id=row["session_id"],
        deck_id=row["deck_id"],
        question_id=row["question_id"],
        question_text=row["question_text"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        professionalism=row["professionalism"],
        clarity=row["clarity"],
    )


# The end-of-session comparison -----------------------------------------------------------------


def compare_with_previous(library: Library, session_id: int) -> dict[str, Comparison]:
    """For each question practised in the session: its mean ratings there, and those of the most
    recent earlier session with a rated take of the same question (same deck), if any."""
    rows = library.db.execute(
        f"""
        WITH current AS (
            SELECT deck_id, question_id, AVG(professionalism) AS p, AVG(clarity) AS c,
                MIN({_TIME}) AS since
            FROM takes WHERE {LIVE} AND session_id = ? GROUP BY deck_id, question_id
        ),
        earlier AS (
            -- recorded_at beside MAX() comes from the session's last take of the question
            SELECT deck_id, question_id, session_id, AVG(professionalism) AS p,
                AVG(clarity) AS c, MAX({_TIME}) AS last_jd, recorded_at AS last_at
            FROM takes
            WHERE {LIVE} AND {_RATED} AND session_id <> ?
                AND (deck_id, question_id) IN (SELECT deck_id, question_id FROM current)
                AND {_TIME} < (SELECT MIN(since) FROM current)
            GROUP BY deck_id, question_id, session_id
        ),
        previous AS (
            SELECT *, ROW_NUMBER() OVER (
                PARTITION BY deck_id, question_id ORDER BY last_jd DESC, session_id DESC
            ) AS rank
            FROM earlier
        )
        SELECT cur.question_id, cur.p, cur.c, prev.p AS prev_p, prev.c AS prev_c, prev.last_at
        FROM current AS cur LEFT JOIN previous AS prev
            ON prev.deck_id = cur.deck_id AND prev.question_id = cur.question_id
            AND prev.rank = 1
        """,
        (session_id, session_id),
    ).fetchall()
    return {
        row["question_id"]: Comparison(
            question_id=row["question_id"],
            professionalism=row["p"],
            clarity=row["c"],
            previous_professionalism=row["prev_p"],
            previous_clarity=row["prev_c"],
            previous_at=datetime.fromisoformat(row["last_at"]) if row["last_at"] else None,
        )
        for row in rows
    }
