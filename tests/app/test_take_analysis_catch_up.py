"""A new analyser version: every take's stored delivery feedback is brought up to date in the
background, newest first, one at a time, while the practice page stays usable; it waits while
the user records, stops cleanly on quit, and computes nothing while analysis is switched off."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from closer_desktop import settings as S
from closer_desktop.analysis import metrics as metrics_module
from closer_desktop.analysis import transcribe
from closer_desktop.analysis.metrics import ANALYSER_VERSION
from closer_desktop.app import take_analysis
from closer_desktop.app.settings import Settings
from closer_desktop.app.take_analysis import TakeAnalyser
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import metrics_by_take, save_metrics
from closer_desktop.ui.main_window import MainWindow
from closer_desktop.ui.widgets.catch_up_status import CatchUpStatus
from closer_desktop.ui.widgets.transcript import WAITING
from tests.support.delivery import analyse_here_without_speech
from tests.support.library_here import RunsHere
from tests.ui.history.test_view import DECK
from tests.ui.widgets.test_feedback import METRICS
from tests.ui.widgets.test_take_player import RATE, voice_like

TZ = timezone(timedelta(hours=1))
OLD = {**METRICS, "analyser_version": 0}


class Gate:
    """Stands in for analysis.metrics.analyse_file: records each call, holds it on the analysis
    thread until `release`, then runs the real analysis."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = threading.Event()
        self.paths: list[Path] = []
        self.threads: list[threading.Thread] = []
        self.cancels: list[threading.Event | None] = []
        real = metrics_module.analyse_file

        def held(path: Path, **kwargs: Any) -> Any:
            self.paths.append(path)
            self.threads.append(threading.current_thread())
            self.cancels.append(kwargs.get("cancel"))
            self.opened.wait(30)
            return real(path, **kwargs)

        monkeypatch.setattr(metrics_module, "analyse_file", held)

    def release(self) -> None:
        self.opened.set()


@pytest.fixture(autouse=True)
def acoustics_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No speech recognition (quick, and independent of the extra): pauses, level and pitch."""
    analyse_here_without_speech(monkeypatch)


def library_with_old_metrics(data_dir: Path, count: int = 4) -> tuple[list[int], int]:
    """`count` takes of the second question, oldest first: the newest with no metrics, the
    others with metrics of analyser version 0; and a take in the trash with old metrics."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    ids = []
    for n in range(count + 1):
        when = datetime(2026, 11, 20, 18, n, tzinfo=TZ)
        take = library.begin_take(session, DECK.id, DECK.questions[1], RATE, when)
        soundfile.write(library.audio_file(take), voice_like(1.0), RATE)
        library.finish_take(take.id, 1.0, RATE)
        if n != count:  # the newest: never analysed
            save_metrics(library, take.id, OLD)
        ids.append(take.id)
    trashed = ids.pop(0)
    library.trash_take(trashed)
    library.close()
    return ids, trashed


def stored_versions(data_dir: Path) -> dict[int, int]:
    library = Library(data_dir, read_only=True)
    try:
        return {i: m["analyser_version"] for i, m in metrics_by_take(library).items()}
    finally:
        library.close()


def test_old_feedback_is_recomputed_in_the_background_while_the_page_stays_usable(
    qtbot: QtBot,
    open_window: Any,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(take_analysis, "CATCH_UP_DELAY_MS", 0)
    ids, trashed = library_with_old_metrics(data_dir)
    assert stored_versions(data_dir) == {i: 0 for i in ids[:-1]} | {trashed: 0}
    gate = Gate(monkeypatch)
    window: MainWindow = open_window(data_dir)
    c = window.controller
    status = window.catch_up_status

    # The first (the newest take) is held on the analysis thread: the catch-up is under way.
    qtbot.waitUntil(lambda: len(gate.paths) == 1, timeout=10000)
    assert c.analysis.catching_up
    assert status.isVisible() and status.text() == "Updating delivery feedback: 1 of 4"
    assert gate.threads[0] is not threading.main_thread()
    newest = ids[-1]

    # Meanwhile the practice page works: the next question, its takes, the newest selected.
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert c.index == 1
    qtbot.waitUntil(lambda: len(c.takes) == len(ids), timeout=5000)
    assert c.current_take is not None and c.current_take.id == newest
    feedback = window.practice.feedback
    transcript = window.practice.take_player.transcript
    assert transcript is not None
    qtbot.waitUntil(lambda: "Analysing" in feedback.summary.text(), timeout=5000)
    assert transcript.toPlainText() == WAITING
    qtbot.waitUntil(lambda: c.player.is_loaded, timeout=5000)  # its audio is in: playable

    gate.release()
    qtbot.waitUntil(lambda: not c.analysis.catching_up, timeout=30000)
    assert stored_versions(data_dir) == {i: ANALYSER_VERSION for i in ids} | {trashed: 0}
    assert len(gate.paths) == len(ids)  # one analysis each: the page's request was not repeated
    assert gate.paths[0] == data_dir / c.current_take.audio_path  # newest first
    assert status.isHidden()
    # The take shown got its new feedback (and its transcript says how to get one).
    qtbot.waitUntil(lambda: feedback.metrics is not None, timeout=5000)
    assert transcript.toPlainText() == transcribe.ENABLE_HINT


def test_with_analysis_switched_off_nothing_is_recomputed(
    qtbot: QtBot,
    open_window: Any,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(take_analysis, "CATCH_UP_DELAY_MS", 0)
    ids, trashed = library_with_old_metrics(data_dir, count=2)
    before = stored_versions(data_dir)
    Settings(tmp_path / "settings.ini").set(S.ANALYSIS, False)  # what the window will read
    gate = Gate(monkeypatch)
    gate.release()
    window: MainWindow = open_window(data_dir)
    c = window.controller
    assert c.settings.get(S.ANALYSIS) is False
    qtbot.waitUntil(lambda: c.library.library_is_open, timeout=10000)
    c.analysis.catch_up()  # asked again, by hand: still nothing
    qtbot.wait(1000)
    assert gate.paths == [] and not c.analysis.catching_up
    assert stored_versions(data_dir) == before
    assert window.catch_up_status.isHidden()

    # Switched on again: the catch-up runs.
    c.settings.set(S.ANALYSIS, True)
    c.analysis.catch_up()
    qtbot.waitUntil(lambda: stored_versions(data_dir)[ids[0]] == ANALYSER_VERSION, timeout=30000)
    qtbot.waitUntil(lambda: not c.analysis.catching_up, timeout=30000)
    assert stored_versions(data_dir) == {i: ANALYSER_VERSION for i in ids} | {trashed: 0}


@pytest.fixture
def library(data_dir: Path) -> Any:
    ids, _ = library_with_old_metrics(data_dir, count=3)
    opened = Library(data_dir)
    yield opened, ids
    opened.close()


def analyser_on(library: Library, data_dir: Path) -> TakeAnalyser:
    """An analyser whose library work runs at once, on this thread (as in test_take_analysis)."""

    return TakeAnalyser(RunsHere(library), data_dir)


def test_the_catch_up_waits_while_the_user_records(
    qtbot: QtBot, library: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(take_analysis, "RESUME_DELAY_MS", 0)
    lib, ids = library
    analyser = analyser_on(lib, data_dir)
    status = CatchUpStatus(analyser)
    qtbot.addWidget(status)
    cancelled: list[threading.Event] = []
    real = metrics_module.analyse_file

    def transcribing(path: Path, **kwargs: Any) -> Any:
        cancel = kwargs["cancel"]
        if not cancelled:  # the first one is still transcribing when a recording starts
            cancelled.append(cancel)
            assert cancel.wait(20)
            raise transcribe.Cancelled
        return real(path, **kwargs)

    monkeypatch.setattr(metrics_module, "analyse_file", transcribing)
    analyser.set_recording(True)  # recording already: nothing starts
    analyser.catch_up()
    qtbot.wait(300)
    assert not cancelled and not analyser.busy and analyser.catching_up
    analyser.set_recording(False)
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)
    assert status.text() == "Updating delivery feedback: 1 of 3"

    analyser.set_recording(True)  # stops the transcript in progress, which is done again later
    assert cancelled[0].is_set()
    assert status.text() == "Updating delivery feedback: 1 of 3 (waits while you record)"
    qtbot.waitUntil(lambda: not analyser.busy, timeout=5000)
    assert ids[-1] not in metrics_by_take(lib, ids)  # the newest: not stored, waiting
    assert analyser.catching_up
    analyser.set_recording(False)
    qtbot.waitUntil(lambda: not analyser.catching_up, timeout=30000)
    assert {m["analyser_version"] for m in metrics_by_take(lib, ids).values()} == {ANALYSER_VERSION}
    assert status.isHidden()
    analyser.shutdown()


def test_quitting_stops_the_catch_up_in_its_transcript(
    qtbot: QtBot, library: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, ids = library
    analyser = analyser_on(lib, data_dir)
    started = threading.Event()

    def transcribing(path: Path, **kwargs: Any) -> Any:
        started.set()
        assert kwargs["cancel"].wait(20)  # the recogniser checks between chunks
        raise transcribe.Cancelled

    monkeypatch.setattr(metrics_module, "analyse_file", transcribing)
    failures: list[tuple[int, str]] = []
    analyser.failed.connect(lambda take_id, why: failures.append((take_id, why)))
    analyser.catch_up()
    assert started.wait(10)
    before = time.monotonic()
    analyser.shutdown()  # returns once the transcript has stopped
    assert time.monotonic() - before < 5
    qtbot.wait(100)
    assert failures == []  # quitting is not a failure
    assert all(m["analyser_version"] == 0 for m in metrics_by_take(lib, ids).values())
