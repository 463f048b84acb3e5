"""Delivery feedback stored with each take (table `take_metrics`, schema version 3).

One row per take: the JSON of `analysis.metrics.Metrics.to_json()` and the analyser version that
computed it, so a newer analyser knows what to recompute. Deleting a take deletes its row
(ON DELETE CASCADE). These run on the library's thread, like every Library method; the analysis
itself runs elsewhere (app/take_analysis.py) and only hands its result here.

The line check (analysis/line_check.py, issue 18) is stored inside the same JSON, under
LINE_MATCH, next to the transcript it was computed from, rather than in a column of its own:
it is a function of that transcript and of the wording the take answered (kept with the take),
so whenever a new analysis replaces the transcript the same statement replaces the check, and
the two can never disagree; it travels wherever the metrics travel (backups, restores, the
`metrics_ready` signal the practice page listens to) without a schema change; and a take without
metrics has no check, as it has no transcript. The app computes it (storage never imports
analysis) before `save_metrics`, and `fill_line_matches` adds it to metrics stored before there
was one. Readers (History, Progress, the queue) have SQLite extract only the check
(`line_json_sql`: the metrics JSON is parsed twice per take, not once per figure) and read its
figures in Python (`line_figures`), where types are checked: a damaged or hostile value reads as
none.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from closer_desktop.storage.library import Library, key_phrases_of, now

log = logging.getLogger(__name__)

LINE_MATCH = "line_match"  # the key of the line check in a take's stored metrics


def line_json_sql(alias: str = "m") -> str:
    """An SQL expression for the line check stored in `alias`.metrics (a row of take_metrics),
    as JSON text, or NULL: the metrics are parsed twice, whatever is then read from the check
    (the figures are taken from it in Python, `line_figures`, where types are checked)."""
    metrics = f"{alias}.metrics"
    return f"(CASE WHEN json_valid({metrics}) THEN json_extract({metrics}, '$.{LINE_MATCH}') END)"


def line_weak_sql(alias: str = "m") -> str:
    """An SQL condition on `alias`.metrics: its line check found the line not yet by heart
    (the line match below the one bound parameter, a different question, or a key phrase left
    out). A value of the wrong type never matches (SQLite orders text after every number)."""
    metrics = f"{alias}.metrics"
    path = f"'$.{LINE_MATCH}"
    return (
        f"(json_valid({metrics}) AND (json_extract({metrics}, {path}.score') < ? "
        f"OR json_type({metrics}, {path}.different') = 'true' "
        f"OR json_array_length({metrics}, {path}.key_missed') > 0))"
    )


@dataclass(frozen=True)
class LineFigures:
    """What the views read of a stored line check: the line match (0-1), whether the take said
    a different question entirely, and how many key phrases it left out."""

    score: float
    different: bool = False
    key_missed: int = 0


def line_figures(stored: object) -> LineFigures | None:
    """The figures of a stored line check (JSON text from `line_json_sql`, or the parsed
    object), None when there is none or it is not what Closer writes (a damaged or restored
    library may hold anything there)."""
    if isinstance(stored, str):
        try:
            stored = json.loads(stored)
        except (ValueError, RecursionError):
            return None
    if not isinstance(stored, dict):
        return None
    score, keys = stored.get("score"), stored.get("key_missed", [])
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        return None
    return LineFigures(
        float(score), stored.get("different") is True, len(keys) if isinstance(keys, list) else 0
    )


def save_metrics(
    library: Library,
    take_id: int,
    metrics: dict[str, Any],
    computed_at: datetime | None = None,
    uid: str | None = None,
) -> bool:
    """Store (or replace) a take's metrics; False when the take no longer exists.

    With `uid`, only if the take with that id is still the one analysed: an id can be reused
    (a take deleted for good, a new one recorded) while an analysis runs.
    """
    version = int(metrics.get("analyser_version", 0))
    text = json.dumps(metrics, ensure_ascii=False, separators=(",", ":"))
    with library.db.transaction() as conn:
        row = conn.execute("SELECT uid FROM takes WHERE id = ?", (take_id,)).fetchone()
        if row is None or (uid and row[0] != uid):
            return False
        conn.execute(
            "INSERT INTO take_metrics (take_id, analyser_version, computed_at, metrics) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (take_id) DO UPDATE SET "
            "analyser_version = excluded.analyser_version, "
            "computed_at = excluded.computed_at, metrics = excluded.metrics",
            (take_id, version, (computed_at or now()).isoformat(), text),
        )
    return True


def metrics_by_take(
    library: Library, take_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Stored metrics (of any analyser version) by take id: all of them, or of `take_ids`."""
    if take_ids is None:
        rows = library.db.execute("SELECT take_id, metrics FROM take_metrics").fetchall()
    else:
        ids = list(take_ids)
        rows = []
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows += library.db.execute(
                f"SELECT take_id, metrics FROM take_metrics WHERE take_id IN ({marks})",
                tuple(part),
            ).fetchall()
    stored: dict[int, dict[str, Any]] = {}
    for take_id, text in rows:
        try:
            metrics = json.loads(text)
        except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            metrics = exc
        if isinstance(metrics, dict):
            stored[int(take_id)] = metrics
        else:  # that take shows no feedback, every other take does
            log.warning("ignoring the stored metrics of take %s: %r", take_id, metrics)
    return stored


def takes_needing_metrics(library: Library, analyser_version: int) -> list[int]:
    """Complete takes outside the trash with no metrics, or metrics of another analyser version;
    newest first (what a user most likely looks at next)."""
    rows = library.db.execute(
        "SELECT t.id FROM takes t LEFT JOIN take_metrics m ON m.take_id = t.id "
        "WHERE t.status = 'complete' AND t.trashed_at IS NULL "
        "AND (m.take_id IS NULL OR m.analyser_version != ?) "
        "ORDER BY t.recorded_at DESC, t.id DESC",
        (analyser_version,),
    ).fetchall()
    return [int(row[0]) for row in rows]


@dataclass(frozen=True)
class LineInputs:
    """What a take's line check compares its transcript with: the wording it answered and its
    key phrases (both as they were when it was recorded), and the other lines of its deck that
    the library knows (each question's latest wording), so "that was another line" is named."""

    question_text: str
    key_phrases: tuple[str, ...]
    other_lines: tuple[str, ...]


def line_inputs(library: Library, take_id: int) -> LineInputs | None:
    """The line check's inputs for a take (None: no such take)."""
    row = library.db.execute(
        "SELECT deck_id, question_id, question_text, key_phrases FROM takes WHERE id = ?",
        (take_id,),
    ).fetchone()
    if row is None:
        return None
    others = library.db.execute(
        "SELECT question_text FROM takes t WHERE deck_id = ? AND question_id <> ? "
        "AND id = (SELECT id FROM takes u WHERE u.deck_id = t.deck_id "
        "AND u.question_id = t.question_id ORDER BY u.recorded_at DESC, u.id DESC LIMIT 1)",
        (row["deck_id"], row["question_id"]),
    ).fetchall()
    return LineInputs(
        str(row["question_text"]),
        key_phrases_of(row["key_phrases"]),
        tuple(str(other[0]) for other in others),
    )


def metrics_without_line_match(library: Library) -> list[int]:
    """Takes whose stored metrics were saved before the line check existed (newest first)."""
    rows = library.db.execute(
        f"SELECT m.take_id FROM take_metrics m JOIN takes t ON t.id = m.take_id "
        f"WHERE json_valid(m.metrics) AND json_type(m.metrics, '$.{LINE_MATCH}') IS NULL "
        f"ORDER BY t.recorded_at DESC, t.id DESC"
    ).fetchall()
    return [int(row[0]) for row in rows]


def save_line_match(library: Library, take_id: int, line_match: dict[str, Any] | None) -> bool:
    """Add a take's line check (None: it has no transcript) to its stored metrics, leaving
    them otherwise as they are; False when the take has no stored metrics."""
    text = json.dumps(line_match, ensure_ascii=False, separators=(",", ":"))
    with library.db.transaction() as conn:
        cursor = conn.execute(
            f"UPDATE take_metrics SET metrics = json_set(metrics, '$.{LINE_MATCH}', json(?)) "
            f"WHERE take_id = ? AND json_valid(metrics)",
            (text, take_id),
        )
    return cursor.rowcount > 0
