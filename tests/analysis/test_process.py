"""The app's side of the analysis process: same results as analysing here, and it fails alone."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile

from closer_desktop.analysis import process as app_side
from closer_desktop.analysis.metrics import analyse_file
from closer_desktop.analysis.process import (
    MAX_FAILED_STARTS,
    AnalysisFailed,
    AnalysisProcess,
    AnalysisStopped,
)
from closer_desktop.analysis.transcribe import Cancelled, Recognizer
from tests.support.speech import build_answer, require_espeak, speak

SENTENCES = [
    "Thank you for taking the time to meet with me today.",
    "Is there anything about my background that concerns you?",
    "What are the next steps in your hiring process?",
    "When do you expect to make a decision?",
    "I am very interested in this role and in joining your team.",
    "Could I have your business card, please?",
]


@pytest.fixture
def process() -> Iterator[AnalysisProcess]:
    analysis = AnalysisProcess()
    yield analysis
    analysis.close()


def spoken(tmp_path: Path, text: str = "Thank you for your time today.") -> Path:
    require_espeak()
    data, rate = speak(text)
    path = tmp_path / "take.flac"
    soundfile.write(path, data, rate)
    return path


def long_answer(tmp_path: Path) -> Path:
    """About 45 s of speech in three chunks: time to interrupt its transcript between two
    (one chunk can take under half a second on a fast machine)."""
    require_espeak()
    answer = build_answer(SENTENCES * 2, [0.8] * (2 * len(SENTENCES) - 1))
    path = tmp_path / "answer.flac"
    soundfile.write(path, answer.samples, answer.rate)
    return path


def alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_process_gives_what_analysing_here_gives(
    process: AnalysisProcess, tmp_path: Path, recognizer: Recognizer
) -> None:
    path = spoken(tmp_path)
    theirs = process.analyse(path)
    ours = analyse_file(path, recognizer=recognizer).to_json()
    assert process.pid is not None and process.pid != os.getpid()
    for key in ("duration_s", "speaking_time_s", "pauses", "speech_level_dbfs", "peak_dbfs"):
        assert theirs[key] == ours[key], key
    assert theirs["pitch_spread_semitones"] == ours["pitch_spread_semitones"]
    assert "thank you" in theirs["transcript"].lower()
    assert theirs["words"] and theirs["analyser_version"] == ours["analyser_version"]


def test_a_bad_file_fails_alone_and_the_process_serves_the_next(
    process: AnalysisProcess, tmp_path: Path, recognizer: Recognizer
) -> None:
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"not audio at all" * 100)
    with pytest.raises(AnalysisFailed, match="not an audio file"):
        process.analyse(garbage)
    pid = process.pid
    assert pid is not None
    assert process.analyse(spoken(tmp_path))["words"]
    assert process.pid == pid and process.started == 1


def test_a_crash_fails_that_take_only_and_the_next_starts_a_new_process(
    process: AnalysisProcess, tmp_path: Path, recognizer: Recognizer
) -> None:
    path = long_answer(tmp_path)
    process.warm_up()  # the model is loaded: what follows is the transcript itself
    pid = process.pid
    assert pid is not None
    outcome: list[BaseException] = []

    def analyse() -> None:
        try:
            process.analyse(path)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=analyse)
    worker.start()
    deadline = time.monotonic() + 10
    while process._last_id < 2 and time.monotonic() < deadline:  # the request is on its way
        time.sleep(0.01)
    time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)  # as a native crash would end it
    worker.join(10)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], AnalysisStopped)
    assert "stopped unexpectedly" in str(outcome[0])
    assert process.analyse(spoken(tmp_path))["transcript"]
    assert process.started == 2 and process.pid not in (None, pid)


def test_cancel_stops_a_transcript_in_progress(
    process: AnalysisProcess, tmp_path: Path, recognizer: Recognizer
) -> None:
    path = long_answer(tmp_path)
    process.warm_up()
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    with pytest.raises(Cancelled):  # had it run to the end, it would have returned metrics
        process.analyse(path, cancel)
    assert process.started == 1 and process.pid is not None  # still there for the next take


def test_the_process_ends_with_the_app_even_one_killed(
    tmp_path: Path, recognizer: Recognizer
) -> None:
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from closer_desktop.analysis.process import AnalysisProcess\n"
            "import time\n"
            "p = AnalysisProcess()\n"
            "p.warm_up()\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    ready, _, _ = select.select([app.stdout], [], [], 60)
    assert ready, "the app never reported its analysis process"
    child = int(app.stdout.readline())
    assert alive(child)
    app.kill()  # kill -9: no chance to close anything
    app.wait()
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)


def test_close_ends_the_process(process: AnalysisProcess, recognizer: Recognizer) -> None:
    process.warm_up()
    pid = process.pid
    assert pid is not None and alive(pid)
    process.close()
    assert not alive(pid)
    with pytest.raises(AnalysisStopped):
        process.warm_up()


def test_close_ends_a_request_waiting_on_the_process(
    tmp_path: Path, recognizer: Recognizer
) -> None:
    process = AnalysisProcess()
    process.warm_up()
    pid = process.pid
    assert pid is not None
    outcome: list[BaseException] = []

    def analyse() -> None:
        try:
            process.analyse(long_answer(tmp_path))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=analyse)
    worker.start()
    deadline = time.monotonic() + 10
    while process._last_id < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.close()  # quitting while a take is transcribed
    worker.join(5)
    assert not worker.is_alive() and not alive(pid)
    assert len(outcome) == 1 and "shutting down" in str(outcome[0])


def test_a_process_that_cannot_start_is_not_started_for_every_take() -> None:
    broken = [sys.executable, "-c", "import sys; sys.stderr.write('no model here\\n'); sys.exit(3)"]
    process = AnalysisProcess(broken)
    for _ in range(MAX_FAILED_STARTS):
        with pytest.raises(AnalysisStopped, match=r"exit code 3\): no model here"):
            process.warm_up()
    started = time.monotonic()
    with pytest.raises(AnalysisStopped, match="cannot start: no model here"):
        process.warm_up()
    assert process.started == MAX_FAILED_STARTS and time.monotonic() - started < 0.5


def test_a_garbled_reply_is_a_clear_failure_and_the_child_is_ended() -> None:
    garbling = [
        sys.executable,
        "-c",
        "import sys; sys.stdin.readline(); print('garbage', flush=True); sys.stdin.read()",
    ]
    process = AnalysisProcess(garbling)
    with pytest.raises(AnalysisStopped, match="invalid reply"):
        process.analyse(Path("take.flac"))
    assert process.pid is None
    process.close()


# A stand-in child: warms up at once; a file named bad* crashes it (as native code can), one
# named hang* is never answered, any other is "analysed".
FAKE_CHILD = [
    sys.executable,
    "-c",
    """
import json, os, sys, time
for line in sys.stdin:
    request = json.loads(line)
    name = os.path.basename(request.get("path", ""))
    if name.startswith("bad"):
        os.abort()
    if name.startswith("hang"):
        time.sleep(3600)
    reply = {"id": request["id"], "ok": True, "metrics": {"file": name}}
    print(json.dumps(reply), flush=True)
""",
]


def test_a_hung_process_is_killed_after_its_patience_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_side, "PATIENCE_BASE_S", 0.3)
    monkeypatch.setattr(app_side, "PATIENCE_PER_AUDIO_S", 0.1)
    process = AnalysisProcess(FAKE_CHILD)
    process.warm_up()
    started = time.monotonic()
    with pytest.raises(AnalysisStopped, match=r"no answer in 1 s"):
        process.analyse(Path("hang.flac"), audio_s=7.0)  # 0.3 + 0.1 x 7 = 1.0 s of patience
    assert 0.9 < time.monotonic() - started < 5.0
    assert process.pid is None  # killed
    assert process.analyse(Path("take.flac")) == {"file": "take.flac"}  # a new one serves on
    process.close()


def test_takes_that_crash_the_process_never_stop_the_analysis_of_others() -> None:
    process = AnalysisProcess(FAKE_CHILD)
    for number in range(MAX_FAILED_STARTS + 2):
        with pytest.raises(AnalysisStopped, match="stopped unexpectedly"):
            process.analyse(Path(f"bad{number}.flac"))
    assert process.analyse(Path("good.flac")) == {"file": "good.flac"}
    assert process.started == MAX_FAILED_STARTS + 3  # a new child after each crash
    process.close()


def test_close_does_not_wait_long_for_a_child_stuck_in_a_request() -> None:
    process = AnalysisProcess(FAKE_CHILD)
    process.warm_up()
    outcome: list[BaseException] = []

    def analyse() -> None:
        try:
            process.analyse(Path("hang.flac"))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=analyse)
    worker.start()
    time.sleep(0.3)
    pid = process.pid
    started = time.monotonic()
    process.close()  # on the GUI thread, at quit
    assert time.monotonic() - started < 1.0
    worker.join(5)
    assert not worker.is_alive() and pid is not None and not alive(pid)
    assert len(outcome) == 1 and "shutting down" in str(outcome[0])


def test_a_request_cancelled_before_it_begins_is_not_sent() -> None:
    process = AnalysisProcess(FAKE_CHILD)
    cancel = threading.Event()
    cancel.set()  # a recording started while the catch-up's request waited its turn
    with pytest.raises(Cancelled):
        process.analyse(Path("take.flac"), cancel)
    assert process.started == 0  # not even a process for it
    assert process.analyse(Path("take.flac")) == {"file": "take.flac"}
    process.close()


def test_replies_are_read_without_polling_the_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where pipes cannot be polled (Windows has no select() or poll() for them) the replies,
    the watchdog and a cancel still work: a reader thread waits on the pipe instead."""
    import selectors

    def unavailable(*args: object, **kwargs: object) -> object:
        raise OSError("pipes cannot be polled here")

    for name in ("select", "poll", "epoll"):
        monkeypatch.setattr(select, name, unavailable, raising=False)
    monkeypatch.setattr(selectors, "DefaultSelector", unavailable)
    monkeypatch.setattr(app_side, "PATIENCE_BASE_S", 0.3)
    process = AnalysisProcess(FAKE_CHILD)
    assert process.analyse(Path("take.flac")) == {"file": "take.flac"}
    with pytest.raises(AnalysisStopped, match=r"no answer in 0 s"):
        process.analyse(Path("hang.flac"))
    assert process.analyse(Path("after.flac")) == {"file": "after.flac"}
    process.close()
