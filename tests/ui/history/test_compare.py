"""Compare in the real window on a real library (issue 19): both takes on one time axis, X at the
same word (with transcripts) or at the same time after the speech began (without), and a table
of what changed. B is said after 6 s of silence, as in the issue, where jumping by proportion
put A's "discussed" on B's "and"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import save_metrics
from closer_desktop.ui.history.compare import CompareView
from closer_desktop.ui.main_window import MainWindow
from tests.support.delivery import delivery_metrics
from tests.support.speech import require_espeak, speak

DECK = load_deck(default_deck_path())
TZ = timezone(timedelta(hours=1))
LINE = "Based on my background and the skills and experience we discussed, how well do I fit"
LEADS = (0.5, 6.0)  # seconds of silence before each take's speech


def two_takes(data_dir: Path, with_words: bool) -> None:
    """Question 0 said twice by espeak-ng: A at 170 words a minute after 0.5 s, B slower after
    6 s; with `with_words`, each with stored metrics whose words are spread over its speech."""
    require_espeak()
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for day, (lead, pace) in enumerate(zip(LEADS, (170, 120), strict=True)):
        speech, rate = speak(LINE, pace)
        samples = np.concatenate(
            [np.zeros(int(lead * rate), np.float32), speech, np.zeros(rate // 2, np.float32)]
        )
        when = datetime(2026, 11, 20 + day, 18, 0, tzinfo=TZ)
        take = library.begin_take(session, DECK.id, DECK.questions[0], rate, when)
        soundfile.write(library.audio_file(take), samples, rate, subtype="PCM_16")
        library.finish_take(take.id, len(samples) / rate, rate)
        if with_words:
            said = LINE.replace(",", "").split()
            if day:  # B leaves out "the" and says "that we discussed"
                said = said[:5] + said[6:9] + ["that"] + said[9:]
            step = len(speech) / rate / len(said)
            metrics = delivery_metrics(pace, speaking_s=len(speech) / rate)
            metrics["words"] = [
                {"word": w, "start_s": lead + i * step, "end_s": lead + (i + 0.9) * step}
                for i, w in enumerate(said)
            ]
            save_metrics(library, take.id, metrics)
    library.close()


def open_compare(qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path) -> CompareView:
    (tmp_path / "settings.ini").write_text("[analysis]\nenabled=false\n", encoding="utf-8")
    window: MainWindow = open_window(data_dir)
    qtbot.waitUntil(lambda: window.library.library_is_open, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    history.table.selectRow(0)
    qtbot.mouseClick(history.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.compare, timeout=5000)
    compare = window.compare
    qtbot.waitUntil(lambda: None not in compare.audio.values(), timeout=10000)
    return compare


def test_without_transcripts_x_keeps_the_time_since_the_speech_began(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    two_takes(data_dir, with_words=False)
    compare = open_compare(qtbot, open_window, data_dir, tmp_path)
    a, b = compare.chosen["A"], compare.chosen["B"]
    assert a is not None and b is not None and a.duration_s < b.duration_s
    # Each take's speech onset, found in its audio.
    assert compare.onsets["A"] == pytest.approx(LEADS[0], abs=0.12)
    assert compare.onsets["B"] == pytest.approx(LEADS[1], abs=0.12)
    # One time axis: both waveforms span the longer take; the shorter ends early, unstretched.
    qtbot.waitUntil(lambda: compare.waveforms["A"].state == "ready", timeout=5000)
    for waveform in compare.waveforms.values():
        assert waveform.span_s == pytest.approx(b.duration_s, abs=0.05)
    wave_a = compare.waveforms["A"]
    end_x = wave_a._x_for(wave_a.duration_s)
    assert end_x / wave_a.width() == pytest.approx(a.duration_s / b.duration_s, abs=0.02)
    assert compare.axis.span_s == pytest.approx(b.duration_s, abs=0.05)
    # X: as long after B's onset as A is after its own (not the same share of the take).
    compare.player.seek(LEADS[0] + 2.0)
    qtbot.waitUntil(lambda: compare.player.position_s > 2.0, timeout=2000)
    position = compare.player.position_s
    qtbot.keyClick(compare.window(), Qt.Key.Key_X)
    assert compare.active == "B"
    expected = compare.onsets["B"] + position - compare.onsets["A"]
    assert compare.player.position_s == pytest.approx(expected, abs=0.02)
    assert abs(compare.player.position_s - position / a.duration_s * b.duration_s) > 1.0


def test_with_transcripts_x_lands_on_the_same_word_and_the_changes_show(
    qtbot: QtBot, open_window: Any, data_dir: Path, tmp_path: Path
) -> None:
    two_takes(data_dir, with_words=True)
    compare = open_compare(qtbot, open_window, data_dir, tmp_path)
    qtbot.waitUntil(lambda: bool(compare.words("A") and compare.words("B")), timeout=5000)
    words_a, words_b = compare.words("A"), compare.words("B")
    discussed_a = next(w for w in words_a if w.text == "discussed")
    discussed_b = next(w for w in words_b if w.text == "discussed")
    compare.player.seek(discussed_a.start_s + 0.05)
    qtbot.waitUntil(lambda: compare.player.position_s >= discussed_a.start_s, timeout=2000)
    # B's dashed playhead shows where X goes: B's "discussed".
    compare._show_positions(compare.player.position_s)
    said_b = [w.text for w in words_b if w.start_s <= compare.waveforms["B"].position_s]
    assert said_b[-1] == "discussed"
    qtbot.keyClick(compare.window(), Qt.Key.Key_X)
    assert compare.active == "B"
    assert discussed_b.start_s <= compare.player.position_s < discussed_b.end_s
    # X again: back to A's "discussed".
    qtbot.keyClick(compare.window(), Qt.Key.Key_X)
    assert compare.active == "A"
    assert discussed_a.start_s <= compare.player.position_s < discussed_a.end_s

    # The table of changes: plain labels, A → B, better or worse.
    rows = {
        labels[0].text(): (labels[1].text(), labels[2].text(), labels[3].text())
        for labels in compare.change_labels[1:]
        if labels[0].text()
    }
    pace_a, pace_b, change = rows["Pace, words a minute"]
    shown_b = re.sub("<[^>]+>", "", pace_b)  # coloured by its verdict
    assert shown_b.startswith("→ ") and int(pace_a) > int(shown_b[2:]) > 100
    assert "better" in change  # 17x words a minute (a little fast) to 12x (comfortable)
    assert "Length" in rows and "Filler words" in rows and "Line match" in rows
    assert all(label.isVisible() for label in compare.change_labels[1])
