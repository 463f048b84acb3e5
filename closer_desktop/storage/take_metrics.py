"""Delivery feedback stored with each take (table `take_metrics`, schema version 3).

One row per take: the JSON of `analysis.metrics.Metrics.to_json()` and the analyser version that
computed it, so a newer analyser knows what to recompute. Deleting a take deletes its row
(ON DELETE CASCADE). These run on the library's thread, like every Library method; the analysis
itself runs elsewhere (app/take_analysis.py) and only hands its result here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from closer_desktop.storage.library import Library, now

log = logging.getLogger(__name__)


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
