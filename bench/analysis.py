"""Delivery feedback on a 60 s take: acoustic measures, transcript speed, memory with the model.

Builds a 60 s answer (a dozen espeak-ng sentences with pauses, over a faint noise floor), saved
as a take is recorded: 48 kHz mono 16-bit WAV. Then prints:

- acoustic measures: reading the file and `measure` (pauses, levels, pitch), median of 5 runs,
  and the first run (which also imports Praat);
- transcript: the model's load time, then `Recognizer.transcribe` with the model warm (median of
  3), in seconds and as a multiple of real time;
- memory: resident size of a fresh process that imports the app's GUI and opens a
  QApplication, and of the analysis process it starts, which loads the model and analyses the
  take (current and peak, and the two together).

Targets (issue 6): measures in at most 0.5 s; transcript at least 10x real time (60 s in 6 s);
the app with the model loaded under 600 MB resident.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from bench.harness import ROOT, peak_rss_mb, private_environment, rss_mb

SENTENCES = [
    "Thank you for taking the time to meet with me today",
    "Based on my background do you think I would be a good fit for this role",
    "Is there anything in my experience that concerns you",
    "I would be glad to explain any part of my work history",
    "What are the next steps in your hiring process",
    "When do you expect to make a decision",
    "Who else will I meet before an offer is made",
    "I am very interested in this position and this team",
    "The projects you described sound exciting to me",
    "I believe my skills match what you need right now",
    "May I have your business card so that I can follow up",
    "Thank you again and I look forward to hearing from you",
]
GAPS = [1.2, 0.8, 1.5, 2.8, 1.0, 0.6, 1.8, 1.2, 0.9, 1.4, 2.0]


def make_take(folder: Path) -> Path:
    from closer_desktop.analysis.audio_input import resample
    from tests.support.speech import build_answer

    answer = build_answer(SENTENCES, GAPS, words_per_minute=125)
    samples = resample(answer.samples, answer.rate, 48000)
    pad = np.zeros(48000 * 60 - len(samples), np.float32) if len(samples) < 48000 * 60 else None
    if pad is not None:
        samples = np.concatenate([samples, pad + np.float32(0.0005)])
    path = folder / "take-60s.wav"
    soundfile.write(path, samples, 48000, subtype="PCM_16")
    return path


def bench_measures(path: Path) -> None:
    from closer_desktop.analysis.acoustics import measure
    from closer_desktop.analysis.audio_input import load_audio

    times = []
    for _ in range(6):
        started = time.perf_counter()
        data, rate = load_audio(path)
        result = measure(data, rate)
        times.append(time.perf_counter() - started)
    print(
        f"acoustic measures of {result.duration_s:.1f} s: median {statistics.median(times[1:]):.3f} s"
        f" (first run, importing Praat: {times[0]:.3f} s; target <= 0.5 s); "
        f"{len(result.pauses)} pauses, pitch spread {result.pitch_spread_semitones:.2f} st"
    )


def bench_transcript(path: Path) -> None:
    from closer_desktop.analysis.acoustics import measure
    from closer_desktop.analysis.audio_input import load_audio, resample, to_mono
    from closer_desktop.analysis.transcribe import SAMPLE_RATE, Recognizer

    started = time.perf_counter()
    engine = Recognizer()
    print(f"model load: {time.perf_counter() - started:.2f} s")
    data, rate = load_audio(path)
    speech = measure(data, rate, pitch=False).speech
    audio = resample(to_mono(data), rate, SAMPLE_RATE)
    duration = len(audio) / SAMPLE_RATE
    times, cpu = [], []
    for _ in range(4):
        started, cpu_started = time.perf_counter(), _cpu_s()
        transcript = engine.transcribe(audio, speech)
        times.append(time.perf_counter() - started)
        cpu.append((_cpu_s() - cpu_started) / (os.cpu_count() or 1))
    warm = statistics.median(times[1:])
    print(
        f"transcript of {duration:.1f} s, model warm: median {warm:.2f} s = {duration / warm:.1f}x "
        f"real time (first call {times[0]:.2f} s; target >= 10x, <= 6 s); "
        f"{len(transcript.words)} words"
    )
    # Other work on the machine stretches the wall time; CPU time / cores is what the
    # transcript itself costs with every core to itself.
    print(
        f"  CPU time / {os.cpu_count()} cores: median {statistics.median(cpu[1:]):.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def memory_child(path: Path) -> None:
    """Run in a fresh process, as the app runs: its GUI modules and a QApplication here, the
    model and the analysis in the app's analysis process (analysis/process.py)."""
    private_environment()
    from PySide6.QtWidgets import QApplication

    import closer_desktop.analysis.metrics  # (the app imports it for its lookups)
    import closer_desktop.ui.main_window  # noqa: F401  (what the running app has imported)
    from closer_desktop.analysis.process import AnalysisProcess

    app = QApplication([])
    gui = rss_mb()
    process = AnalysisProcess()
    process.warm_up()
    assert process.pid is not None
    loaded = rss_mb(process.pid)
    metrics = process.analyse(path)
    after = rss_mb(process.pid)
    peak = peak_rss_mb(process.pid)
    gui_peak = max(gui, peak_rss_mb())
    print(
        f"memory: app {gui:.0f} MB (peak {gui_peak:.0f}); its analysis process: model loaded "
        f"{loaded:.0f} MB, after analysing {after:.0f} MB, peak {peak:.0f} MB; together at peak "
        f"{gui_peak + peak:.0f} MB (target < 600 MB); {len(metrics['words'])} words"
    )
    process.close()
    app.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    private_environment()
    with tempfile.TemporaryDirectory(prefix="closer-bench-analysis-") as tmp:
        path = make_take(Path(tmp))
        bench_measures(path)
        bench_transcript(path)
        subprocess.run(
            [sys.executable, "-m", "bench.analysis", "--memory-child", str(path)],
            cwd=ROOT,
            check=True,
        )


if __name__ == "__main__":
    main()
