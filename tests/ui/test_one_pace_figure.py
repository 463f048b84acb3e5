"""One value, one rounding: a take's pace reads the same number in its feedback tile, in
History's row, the run's debrief and the analyser's hint (issue 19 saw 212 beside 213 from two roundings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.analysis.metrics import Metrics
from closer_desktop.analysis.transcribe import Word
from closer_desktop.domain.coaching import Aspect
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.history.view import WPM_COLUMN
from closer_desktop.ui.main_window import MainWindow
from tests.ui.history.test_view import DECK


def fast_take_metrics() -> dict[str, Any]:
    """Ten words from 0 to 2.824 s: 212.46 words a minute, stored as 212.5. Rounded from the
    measure that is 212, from the stored figure half-to-even 212 too, and halves-up 213."""
    words = tuple(Word("word", i * 0.3138, i * 0.3138 + 0.2) for i in range(9))
    words += (Word("word", 2.7, 2.824),)
    metrics = Metrics(
        duration_s=3.0,
        speaking_time_s=2.8,
        pauses=(),
        speech_level_dbfs=-20.0,
        peak_dbfs=-3.0,
        clipped_fraction=0.0,
        pitch_spread_semitones=4.0,
        transcript=" ".join(w.text for w in words),
        words=words,
    )
    assert metrics.words_per_minute is not None and round(metrics.words_per_minute) == 212
    return metrics.to_json()


def test_the_tile_history_and_hint_show_the_same_pace(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.zeros(48000, dtype=np.float32), 16000)
    library.finish_take(take.id, 3.0, 16000)
    metrics = fast_take_metrics()
    assert metrics["words_per_minute"] == 212.5
    save_metrics(library, take.id, metrics)
    library.close()

    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    feedback = window.practice.feedback
    qtbot.waitUntil(lambda: feedback.metrics is not None, timeout=5000)
    tile = feedback.tiles[Aspect.PACE].value.text()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    model = window.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    in_history = model.index(0, WPM_COLUMN).data()
    (hint,) = [h["message"] for h in metrics["hints"] if h["kind"] == "too_fast"]

    assert tile == "213 words a minute"
    assert in_history == "213"
    assert hint.startswith("213 words a minute") and "much too fast" in hint
    assert feedback.detail_rows["Pace"].text().startswith("213 words a minute")


def test_progress_and_the_report_show_a_one_take_sessions_pace_the_same(
    qtbot: QtBot, data_dir: Path
) -> None:
    """A session's pace is the mean of its takes': with one take, that take's, read the same."""
    from datetime import datetime

    from closer_desktop.reports.html import report_html
    from closer_desktop.storage.queries.progress import Scope, load_progress
    from closer_desktop.ui.progress.charts import MEASURES, DeliveryChart
    from tests.reports.test_html import Page

    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    library.finish_take(take.id, 3.0, 16000)
    save_metrics(library, take.id, fast_take_metrics())
    progress = load_progress(library, Scope())
    library.close()
    (point,) = progress.delivery
    assert point.words_per_minute == 212.5

    page = Page(report_html(progress, datetime(2026, 12, 6, 12, 0)))
    assert page.row_for("Pace (words a minute)")[1:3] == ["213", "213"]
    chart = DeliveryChart()
    qtbot.addWidget(chart)
    chart.show_points(progress.delivery, MEASURES[0])
    assert chart.tooltip(0).endswith("Pace: 213 words a minute")


def test_the_run_debrief_shows_the_same_pace() -> None:
    from closer_desktop.ui.practice.debrief import _delivery

    assert _delivery(fast_take_metrics()).startswith("213 words a minute · 0 fillers")
