"""Delivery feedback computed in the background after a take and stored with it."""

from __future__ import annotations

import sys
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


def test_the_warm_up_loads_the_model_off_the_gui_thread_and_never_during_a_take(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(take_analysis, "WARM_UP_DELAY_MS", 0)
    monkeypatch.setattr(take_analysis, "RESUME_DELAY_MS", 50)
    loaded_on: list[threading.Thread] = []
    monkeypatch.setattr(
        take_analysis,
        "_background_recognizer",
        lambda: loaded_on.append(threading.current_thread()),
    )
    analyser = TakeAnalyser(lambda *_: None, data_dir)
    analyser.recording = True  # a take is under way: the warm-up waits for it
    analyser.warm_up()
    qtbot.wait(300)
    assert loaded_on == []
    analyser.recording = False
    qtbot.waitUntil(lambda: len(loaded_on) == 1, timeout=20000)
    assert loaded_on[0] is not threading.main_thread()
    assert "parselmouth" in sys.modules and "closer_desktop.analysis.metrics" in sys.modules
    analyser.warm_up()  # once is enough: the model stays loaded
    qtbot.wait(200)
    assert len(loaded_on) == 1
    analyser.shutdown()
