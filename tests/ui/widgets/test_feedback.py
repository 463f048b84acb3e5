"""The delivery feedback panel: tiles, the next take's change and clickable fillers; and on the practice page, a
real take analysed in the background and shown (its transcript under the player's waveform)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import soundfile
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from closer_desktop.analysis.transcribe import speech_unavailable
from closer_desktop.domain.coaching import Aspect
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.feedback import FeedbackPanel
from tests.ui.history.test_view import DECK

METRICS: dict[str, Any] = {
    "analyser_version": 1,
    "duration_s": 6.0,
    "speaking_time_s": 4.0,
    "pauses": [{"start_s": 2.0, "end_s": 4.6}],
    "longest_pause_s": 2.6,
    "speech_level_dbfs": -18.2,
    "peak_dbfs": -3.1,
    "clipped_fraction": 0.0,
    "pitch_spread_semitones": 1.4,
    "words_per_minute": 45.0,
    "transcribed": True,
    "transcript": "Um, thank you. I, I agree.",
    "transcript_note": None,
    "words": [
        {"word": "Um,", "start_s": 0.5, "end_s": 0.8},
        {"word": "thank", "start_s": 1.0, "end_s": 1.3},
        {"word": "you.", "start_s": 1.3, "end_s": 1.9},
        {"word": "I,", "start_s": 4.6, "end_s": 4.8},
        {"word": "I", "start_s": 4.9, "end_s": 5.0},
        {"word": "agree.", "start_s": 5.0, "end_s": 5.6},
    ],
    "fillers": [{"word": "um", "start_s": 0.5}, {"word": "I, I", "start_s": 4.6}],
    "hints": [
        {"kind": "long_pause", "message": "1 pause of 2.5 s or more (longest 2.6 s)."},
        {"kind": "monotone", "message": "Sounds monotone."},
    ],
}


def test_the_panel_shows_tiles_the_next_take_and_clickable_fillers(qtbot: QtBot) -> None:
    panel = FeedbackPanel()
    qtbot.addWidget(panel)
    panel.show_take(7)
    panel.show_analysing(7)
    assert "Analysing" in panel.summary.text()
    panel.show_metrics(8, METRICS)  # another take's: ignored
    assert panel.metrics is None
    panel.show_metrics(7, METRICS)
    pace = panel.tiles[Aspect.PACE]
    assert (pace.value.text(), pace.verdict.text()) == ("45 words a minute", "▲ Work on it")
    assert panel.tiles[Aspect.PAUSES].value.text() == "1 pause"  # not "1 pauses"
    assert panel.tiles[Aspect.PITCH].value.text() == "a little flat"
    assert panel.summary.text().startswith("Next take: keep the words moving")
    rows = {name: label.text() for name, label in panel.detail_rows.items()}
    assert rows["Length"] == "6.0 s, speaking 4.0 s"
    assert rows["Pauses"].startswith("1 pause, longest 2.6 s")
    assert "-18 dBFS" in rows["Loudness"] and "1.4 semitones" in rows["Pitch"]
    assert panel.fillers.text().startswith("2 fillers (30.0 a minute of speech): ")
    assert not hasattr(panel, "transcript")  # the player shows it, under the waveform

    with qtbot.waitSignal(panel.seek_requested) as seek:
        panel.fillers.linkActivated.emit("seek:4.6")
    assert seek.args == [4.6]


def test_without_a_transcript_the_panel_lists_no_fillers(qtbot: QtBot) -> None:
    panel = FeedbackPanel()
    qtbot.addWidget(panel)
    panel.show_take(1)
    note = "Install it with: pip install 'closer-desktop[speech]'"
    panel.show_metrics(
        1,
        {
            **METRICS,
            "transcribed": False,
            "transcript": "",
            "words": [],
            "fillers": [],
            "transcript_note": note,
            "words_per_minute": None,
        },
    )
    assert panel.fillers.text() == "not measured: needs speech recognition"
    assert panel.tiles[Aspect.FILLERS].tip.text() == "Needs speech recognition."
    assert panel.detail_rows["Length"].text() == "6.0 s, speaking 4.0 s"
    panel.show_take(None)
    assert panel.isHidden()


def test_the_practice_page_shows_a_takes_feedback(
    qtbot: QtBot, open_window: Any, data_dir: Path, speech_dir: Path
) -> None:
    missing = speech_unavailable()
    if missing:  # packaging/dev.sh installs the speech extra, so CI always runs this
        pytest.skip(missing)
    # A take of real speech (jfk.flac, converted into this test's own library).
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    data, rate = soundfile.read(speech_dir / "jfk.flac", dtype="float32")
    take = library.begin_take(session, DECK.id, DECK.questions[0], rate)
    soundfile.write(library.audio_file(take), data, rate)
    library.finish_take(take.id, len(data) / rate, rate)
    library.close()

    window: MainWindow = open_window(data_dir)
    panel = window.practice.feedback
    transcript = window.practice.take_player.transcript
    assert transcript is not None
    qtbot.waitUntil(lambda: panel.metrics is not None, timeout=60000)
    assert panel.isVisible() and panel.take_id == take.id
    assert transcript.isVisible() and transcript.take_id == take.id
    assert "ask not what your country" in transcript.toPlainText().lower()
    assert panel.fillers.text() == "0 fillers"
    c = window.controller
    qtbot.waitUntil(lambda: c.player.is_loaded, timeout=5000)
    ask = next(i for i, w in enumerate(transcript.words) if "ask" in w["word"].lower())
    with qtbot.waitSignal(transcript.seek_requested):
        transcript.anchorClicked.emit(QUrl(f"word:{ask}"))  # "ask", after the first pause
    assert c.player.position_s == pytest.approx(3.28, abs=0.3)
    assert transcript.highlighted_word is not None and "ask" in transcript.highlighted_word.lower()

    # Stored with the take: shown again without analysing.
    def stored() -> dict[int, Any]:
        lib = Library(data_dir, read_only=True)
        try:
            return metrics_by_take(lib)
        finally:
            lib.close()

    qtbot.waitUntil(lambda: take.id in stored(), timeout=5000)
    assert stored()[take.id]["transcript"] == panel.metrics["transcript"]  # type: ignore[index]
