"""Speech for analysis tests: espeak-ng sentences joined by known pauses, and word error rate."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

FloatArray = npt.NDArray[np.float32]


def require_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")


def speak(text: str, words_per_minute: int = 150, voice: str = "en-us") -> tuple[FloatArray, int]:
    """espeak-ng's rendering of `text`, trimmed to its first and last audible sample."""
    wav = subprocess.run(
        ["espeak-ng", "--stdout", "-s", str(words_per_minute), "-v", voice, text],
        capture_output=True,
        check=True,
    ).stdout
    data, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    audible = np.flatnonzero(np.abs(data) > 1e-3)
    return np.ascontiguousarray(data[audible[0] : audible[-1] + 1]), int(rate)


@dataclass(frozen=True)
class Answer:
    """Sentences spoken one after another with silences between them."""

    samples: FloatArray
    rate: int
    text: str
    pauses: list[tuple[float, float]]  # (start_s, end_s) of each silence between sentences

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate


def build_answer(
    sentences: Sequence[str],
    gaps_s: Sequence[float],
    words_per_minute: int = 150,
    lead_s: float = 0.5,
    noise: float = 0.0005,
) -> Answer:
    """The sentences with `gaps_s[i]` of silence after sentence i, over a faint noise floor
    (a quiet room, about -66 dBFS), so pauses are not digital silence."""
    assert len(gaps_s) == len(sentences) - 1
    parts: list[FloatArray] = []
    pauses: list[tuple[float, float]] = []
    rate = 0
    t = lead_s
    for i, sentence in enumerate(sentences):
        clip, rate = speak(sentence, words_per_minute)
        if not parts:
            parts.append(np.zeros(round(lead_s * rate), np.float32))
        parts.append(clip)
        t += len(clip) / rate
        if i < len(gaps_s):
            gap = round(gaps_s[i] * rate)
            parts.append(np.zeros(gap, np.float32))
            pauses.append((t, t + gap / rate))
            t += gap / rate
    parts.append(np.zeros(round(lead_s * rate), np.float32))
    samples = np.concatenate(parts)
    rng = np.random.default_rng(6)
    samples = samples + (noise * rng.standard_normal(len(samples))).astype(np.float32)
    return Answer(samples.astype(np.float32), rate, " ".join(sentences), pauses)


def words_of(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'")).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, on lower-case words."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        previous, row = row, [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (r != h))
    return row[-1] / max(1, len(ref))
