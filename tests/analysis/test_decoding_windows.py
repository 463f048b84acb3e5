"""Which windows the encoder reads (transcribe._install_short_windows): no later window over the
little left of a chunk after its last word, a later window where a chunk goes on, and Whisper's
own 30 s window for any other model in the process (the plain peer bench.accuracy measures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from closer_desktop.analysis.acoustics import Interval, measure
from closer_desktop.analysis.audio_input import load_audio, resample, to_mono
from closer_desktop.analysis.transcribe import SAMPLE_RATE, Recognizer, Transcript
from tests.support.real_speech import Clip


def transcribed(
    recognizer: Recognizer, audio: np.ndarray, speech: list[Interval]
) -> tuple[Transcript, list[int]]:
    """The transcript, and the length in frames of each window the encoder read."""
    frames: list[int] = []
    model = recognizer._model
    encode = model.encode

    def counting_encode(features: Any) -> Any:
        frames.append(features.shape[-1])
        return encode(features)

    model.encode = counting_encode
    try:
        return recognizer.transcribe(audio, speech), frames
    finally:
        del model.encode


def test_a_chunk_is_not_decoded_again_after_its_last_word(
    speech_dir: Path, recognizer: Recognizer
) -> None:
    """JFK's line is one chunk. faster-whisper began a later window where the last word ended
    and read the quarter second left twice more (a "." each time): three encoder passes, most
    of a short clip's decoding time. One is read now, and every word is there."""
    data, rate = load_audio(speech_dir / "jfk.flac")
    speech = list(measure(data, rate, pitch=False).speech)
    audio = resample(to_mono(data), rate, SAMPLE_RATE)
    transcript, frames = transcribed(recognizer, audio, speech)
    assert len(frames) == 1, frames
    assert transcript.text.lower().endswith("what you can do for your country."), transcript.text


def test_a_chunk_longer_than_a_window_is_read_to_its_end(
    real_clips: list[Clip], recognizer: Recognizer
) -> None:
    """A chunk that goes on past the first window (a take heard as one 50 s stretch of speech)
    is still read on, window after window, to its last words."""
    clip = next(c for c in real_clips if c.name == "ljspeech_LJ001-0001-0008")
    data, rate = load_audio(clip.path)
    audio = resample(to_mono(data), rate, SAMPLE_RATE)
    transcript, frames = transcribed(recognizer, audio, [Interval(0.0, len(audio) / SAMPLE_RATE)])
    assert len(frames) >= 2, frames
    assert transcript.text.lower().rstrip(".").endswith("never been surpassed"), transcript.text


def test_another_model_in_the_process_keeps_whispers_window(recognizer: Recognizer) -> None:
    """The short windows are for a Recognizer's decodings only: a plain WhisperModel in the same
    process (bench.accuracy's peer) read them too, and was measured as something it is not."""
    import faster_whisper.transcribe as fw

    assert recognizer.short_windows
    five_seconds = np.zeros((80, 500), np.float32)
    assert fw.pad_or_trim(five_seconds).shape[-1] == 3000
