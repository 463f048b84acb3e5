"""The app's analysis process: same results as analysing here, and it fails alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile

from closer_desktop.analysis.metrics import analyse_file
from closer_desktop.analysis.service import AnalysisFailed, AnalysisProcess, AnalysisStopped
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
    """About 25 s of speech: its transcript takes a few seconds, time to interrupt it."""
    require_espeak()
    answer = build_answer(SENTENCES, [0.8] * (len(SENTENCES) - 1))
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
    time.sleep(0.5)
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
    started = time.monotonic()
    with pytest.raises(Cancelled):
        process.analyse(path, cancel)
    assert time.monotonic() - started < 4.0  # after the chunk in progress, not the whole take
    assert process.started == 1 and process.pid is not None  # still there for the next take


def test_the_process_ends_with_the_app_even_one_killed(
    tmp_path: Path, recognizer: Recognizer
) -> None:
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from closer_desktop.analysis.service import AnalysisProcess\n"
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
