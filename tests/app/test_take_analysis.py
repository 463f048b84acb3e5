"""Delivery feedback computed in the background after a take and stored with it."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.analysis import metrics as metrics_module
from closer_desktop.analysis import transcribe
from closer_desktop.analysis.process import AnalysisProcess
from closer_desktop.app import take_analysis
from closer_desktop.app.take_analysis import TakeAnalyser
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take
from tests.support.delivery import analyse_here_without_speech
from tests.support.library_here import RunsHere
from tests.support.speech import require_espeak, speak

DECK = load_deck(default_deck_path())


def run_directly_on(library: Library) -> RunsHere:
    """A stand-in for the LibraryService: runs the job here, at once."""
    return RunsHere(library)


def test_a_take_is_analysed_off_the_gui_thread_and_stored(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without speech recognition (fast and independent of the extra): acoustics only.
    analyse_here_without_speech(monkeypatch)
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

    analyser = TakeAnalyser(run_directly_on(library), data_dir)
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


def test_the_process_starts_with_the_first_recording_and_goes_when_analysis_is_off(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(take_analysis, "RESUME_DELAY_MS", 50)
    made: list[AnalysisProcess] = []

    def make() -> AnalysisProcess:
        made.append(AnalysisProcess())
        return made[-1]

    monkeypatch.setattr(take_analysis, "make_engine", make)
    analyser = TakeAnalyser(RunsHere(None), data_dir)
    analyser.recording = True  # a take is under way: the import here waits for it
    analyser.warm_up()  # as when the library opens: numpy here, no process yet
    qtbot.wait(300)
    assert not analyser._warmed
    analyser.recording = False
    qtbot.waitUntil(lambda: analyser._warmed, timeout=5000)  # after the take: the import
    qtbot.waitUntil(lambda: not analyser.busy, timeout=5000)
    assert made == []  # browsing and reading cost no analysis process
    analyser.set_recording(True)  # the first take: the model loads while the user speaks
    qtbot.waitUntil(lambda: bool(made) and made[0].pid is not None, timeout=20000)
    qtbot.waitUntil(lambda: not analyser.busy, timeout=30000)  # the model is loaded there
    pid = made[0].pid
    assert pid is not None and pid != os.getpid()
    analyser.set_recording(False)
    analyser.set_recording(True)  # once is enough: the model stays loaded
    qtbot.wait(200)
    assert len(made) == 1 and made[0].started == 1
    analyser.set_recording(False)
    analyser.release()  # analysis switched off: the process and its model go
    qtbot.waitUntil(lambda: made[0].pid is None, timeout=5000)
    analyser.set_recording(True)  # the next take starts it again
    qtbot.waitUntil(lambda: made[0].started == 2 and made[0].pid is not None, timeout=20000)
    qtbot.waitUntil(lambda: not analyser.busy, timeout=30000)
    analyser.shutdown()
    assert made[0].pid is None  # it ends with the analyser


def test_a_crash_of_the_analysis_process_costs_one_analysis_and_nothing_else(
    qtbot: QtBot, data_dir: Path
) -> None:
    require_espeak()
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    data, rate = speak("Thank you for your time today.")
    soundfile.write(library.audio_file(take), data, rate)
    take = library.finish_take(take.id, len(data) / rate, rate)
    analyser = TakeAnalyser(run_directly_on(library), data_dir)  # the app's own: its process
    with qtbot.waitSignal(analyser.failed, timeout=30000) as failed:
        analyser.analyse(take)
        qtbot.waitUntil(lambda: isinstance(analyser._engine, AnalysisProcess))
        engine = analyser._engine
        assert isinstance(engine, AnalysisProcess)
        qtbot.waitUntil(lambda: engine.pid is not None)
        assert engine.pid is not None
        os.kill(engine.pid, signal.SIGKILL)  # as a crash in its native code would end it
    assert failed.args[0] == take.id and "stopped unexpectedly" in failed.args[1]
    with qtbot.waitSignal(analyser.metrics_ready, timeout=30000) as ready:
        analyser.analyse(take)  # the next analysis starts a new process
    assert "thank you" in ready.args[1]["transcript"].lower() and engine.started == 2
    assert metrics_by_take(library)[take.id] == ready.args[1]
    analyser.shutdown()
    library.close()
