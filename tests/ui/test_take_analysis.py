"""Delivery feedback computed in the background after a take and stored with it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.analysis import metrics as metrics_module
from closer_desktop.analysis import transcribe
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take
from closer_desktop.ui import take_analysis
from closer_desktop.ui.take_analysis import TakeAnalyser

DECK = load_deck(default_deck_path())


def test_a_take_is_analysed_off_the_gui_thread_and_stored(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without speech recognition (fast and independent of the extra): acoustics only.
    monkeypatch.setattr(take_analysis, "_background_recognizer", lambda: None)
    monkeypatch.setattr(metrics_module, "speech_unavailable", lambda: transcribe.ENABLE_HINT)
    threads: list[threading.Thread] = []
    real_analyse_file = metrics_module.analyse_file

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real_analyse_file(*args, **kwargs)

    monkeypatch.setattr(metrics_module, "analyse_file", spy)
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    t = np.arange(16000) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    soundfile.write(library.audio_file(take), np.concatenate([tone, np.zeros(8000), tone]), 16000)
    take = library.finish_take(take.id, 2.5, 16000)

    def run_on_library(fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        try:
            result = fn(library)
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)

    analyser = TakeAnalyser(run_on_library, data_dir)
    with qtbot.waitSignal(analyser.metrics_ready, timeout=20000) as ready:
        analyser.analyse(take)
    take_id, metrics = ready.args
    assert take_id == take.id
    assert threads and threads[0] is not threading.main_thread()
    assert metrics["duration_s"] == 2.5 and len(metrics["pauses"]) == 1
    assert metrics["transcript_note"] == transcribe.ENABLE_HINT
    assert metrics_by_take(library) == {take.id: metrics}

    with qtbot.waitSignal(analyser.failed, timeout=20000) as failed:
        library.audio_file(take).write_bytes(b"not audio")
        analyser.analyse(take)
    assert failed.args[0] == take.id and "not an audio file" in failed.args[1]

    # Switched off in the settings: nothing is computed; stored metrics are still shown.
    analyser.enabled = lambda: False
    calls = len(threads)
    with qtbot.waitSignal(analyser.failed, timeout=5000) as off:
        analyser.analyse(take)
    assert "off" in off.args[1] and len(threads) == calls
    with qtbot.waitSignal(analyser.metrics_ready, timeout=5000) as shown:
        analyser.request(take)
    assert shown.args == [take.id, metrics]
    analyser.shutdown()
    library.close()
