"""Long files are measured in blocks: `closer analyze` of an hour-long file fits in a memory cap
that reading it whole exceeded, and a file measured in blocks gives the figures it gives whole
(issue 16 §4: a 2-hour WAV peaked at 6.8 GB)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

import closer_desktop.analysis.acoustics as acoustics
from closer_desktop.analysis.acoustics import measure_decoded
from closer_desktop.analysis.audio_input import decode_array, load_audio, read_mono, resample

RATE = 16000
# Room above a short file's peak address space: enough for an hour of mono float32 at 16 kHz
# (230 MB) and its blocks; reading the file whole took over 800 MB more.
HEADROOM = 400 * 2**20
# One thread per math library, one malloc arena: the address space a process reserves would
# otherwise grow with the machine's cores, not with the file.
ENV = {
    **os.environ,
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}


def talk(seconds: float, start_s: float) -> npt.NDArray[np.float32]:
    """A voiced-like tone gliding around 150 Hz, 3 s on and 2 s off."""
    t = start_s + np.arange(round(seconds * RATE)) / RATE
    wave = 0.3 * np.sin(2 * np.pi * (150 + 30 * np.sin(2 * np.pi * 0.3 * t)) * t)
    wave[(t % 5) >= 3] = 0.0
    return wave.astype(np.float32)


def write_long_file(path: Path, minutes: int) -> None:
    """An hour-long take written a second at a time: 20 s of talk every 10 minutes, silence
    between (so Praat tracks only a few blocks and the test stays quick)."""
    with soundfile.SoundFile(path, "w", RATE, 1, subtype="PCM_16") as out:
        for second in range(minutes * 60):
            talking = (second // 60) % 10 == 0 and second % 60 < 20
            out.write(talk(1.0, second) if talking else np.zeros(RATE, np.float32))


def peak_address_space(audio: Path) -> int:
    """Bytes of address space `closer analyze` reserves at most on `audio`, in a child process."""
    code = (
        "import sys; from closer_desktop.cli import main; "
        f"main(['analyze', '--no-transcript', '--json', {str(audio)!r}]); "
        "status = open('/proc/self/status').read().split('VmPeak:')[1]; "
        "print(int(status.split()[0]) * 1024, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return int(done.stderr.strip().splitlines()[-1])


def test_an_hour_long_file_is_analysed_under_a_memory_cap(tmp_path: Path) -> None:
    short = tmp_path / "short.wav"
    soundfile.write(short, talk(20.0, 0.0), RATE, subtype="PCM_16")
    cap = peak_address_space(short) + HEADROOM
    long = tmp_path / "hour.wav"
    write_long_file(long, 60)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "analyze", "--no-transcript", "--json", str(long)],
        capture_output=True,
        text=True,
        env=ENV,
        preexec_fn=limit,
        timeout=120,
    )
    assert "Traceback" not in done.stderr and done.returncode == 0, done.stderr[-2000:]
    metrics = json.loads(done.stdout)
    assert metrics["duration_s"] == 3600.0
    assert metrics["speaking_time_s"] == pytest.approx(6 * 4 * 3.0, abs=1.0)  # 6 talks of 4x3 s
    assert metrics["long_pause_count"] == 5  # the silences of over 9 minutes between talks
    assert metrics["pitch_spread_semitones"] is not None


def test_reading_in_blocks_gives_the_same_numbers_as_reading_whole(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    left = np.concatenate([talk(13.0, 0.0), 0.001 * rng.standard_normal(RATE * 4)])
    stereo = np.stack([left, 0.5 * left], axis=1).astype(np.float32)
    stereo[1000:1050, 0] = 1.0  # clipped in one channel only
    stereo[2000, 1] = np.nan
    path = tmp_path / "take.wav"
    soundfile.write(path, stereo, RATE, subtype="FLOAT")
    whole = decode_array(*load_audio(path))
    for block_s in (0.37, 1.0, 60.0):
        blocks = read_mono(path, block_s=block_s)
        assert np.array_equal(blocks.mono, whole.mono)
        assert (blocks.rate, blocks.peak, blocks.clipped_frames) == (RATE, 1.0, 50)


def test_measuring_in_blocks_gives_the_figures_of_one_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    parts: list[npt.NDArray[np.floating[Any]]] = []
    for n in range(12):  # 3 minutes: talk, then pauses of different lengths
        parts += [talk(10.0, n * 15.0), (0.002 * rng.standard_normal(RATE * (1 + n % 5)))]
    mono = np.concatenate(parts).astype(np.float32)
    audio = decode_array(mono, RATE)
    one_piece = measure_decoded(audio)
    monkeypatch.setattr(acoustics, "BLOCK_S", 7.3)  # levels and loudness 7.3 s at a time
    in_blocks = measure_decoded(audio)
    assert in_blocks.speech == one_piece.speech
    assert in_blocks.pauses == one_piece.pauses
    assert in_blocks.speech_level_dbfs == pytest.approx(one_piece.speech_level_dbfs, abs=0.01)
    assert in_blocks.peak_dbfs == one_piece.peak_dbfs
    assert in_blocks.pitch_spread_semitones == one_piece.pitch_spread_semitones


@pytest.mark.parametrize("rate", [44100, 48000, 22050, 8000])
def test_resampling_in_blocks_matches_one_piece(rate: int) -> None:
    rng = np.random.default_rng(5)
    seconds = 75.3
    t = np.arange(round(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 300 * t) + 0.02 * rng.standard_normal(len(t))).astype(
        np.float32
    )
    whole = resample(mono, rate, RATE, block_s=1e9)
    blocks = resample(mono, rate, RATE, block_s=10.0)
    assert len(blocks) == len(whole) == round(seconds * RATE)
    inside = slice(RATE // 10, -RATE // 10)  # the FFT wraps the two ends differently in each
    assert np.max(np.abs(blocks[inside] - whole[inside])) < 2e-3
