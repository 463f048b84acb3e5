"""Speech recognition on real and synthetic speech: complete transcripts, fillers kept, none made up.

These share one loaded model (the `recognizer` session fixture); the chunking and retry logic is
also tested with a stand-in model, so it runs without the speech extra.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.audio_input import load_audio, to_mono
from closer_desktop.analysis.metrics import analyse
from closer_desktop.analysis.transcribe import (
    CHUNK_PAD_S,
    ENCODER_MIN_S,
    ENCODER_PAD_S,
    MAX_CHUNK_S,
    SAMPLE_RATE,
    Cancelled,
    Recognizer,
    Word,
    plan_chunks,
    snap_to_speech,
)
from tests.support.speech import build_answer, require_espeak, word_error_rate

JFK_TEXT = (
    "and so my fellow americans ask not what your country can do for you "
    "ask what you can do for your country"
)

# A closing answer of a dozen sentences (no commas: espeak pauses at them) and the silences
# after each: 0.6 s to 2.8 s, about 60 s in all.
ANSWER = [
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
ANSWER_GAPS = [1.2, 0.8, 1.5, 2.8, 1.0, 0.6, 1.8, 1.2, 0.9, 1.4, 2.0]


def test_chunks_group_speech_up_to_the_limit() -> None:
    speech = [Interval(0.5, 6.0), Interval(7.0, 15.0), Interval(16.0, 22.0), Interval(23.0, 60.0)]
    chunks = plan_chunks(speech, duration_s=61.0, max_len_s=20.0)
    assert chunks == [
        Interval(0.5 - CHUNK_PAD_S, 15.0 + CHUNK_PAD_S),
        Interval(16.0 - CHUNK_PAD_S, 22.0 + CHUNK_PAD_S),
        Interval(23.0 - CHUNK_PAD_S, 60.0 + CHUNK_PAD_S),  # one long stretch stays whole
    ]
    assert plan_chunks(speech, duration_s=61.0, max_len_s=MAX_CHUNK_S)[0] == Interval(
        0.5 - CHUNK_PAD_S, 22.0 + CHUNK_PAD_S
    )
    assert plan_chunks([Interval(0.1, 2.0)], duration_s=2.1) == [Interval(0.0, 2.1)]
    assert plan_chunks([], duration_s=5.0) == []


def test_word_times_are_moved_out_of_silences() -> None:
    speech = [Interval(0.3, 2.0), Interval(3.3, 4.3), Interval(5.4, 7.6)]
    words = [
        Word("And", 0.1, 0.7),  # starts before any speech
        Word("ask", 2.2, 3.9),  # starts in the first pause
        Word("not", 3.9, 4.9),  # ends in the second
        Word("what", 5.5, 5.7),  # inside speech: untouched
        Word("um", 4.5, 4.6),  # all in a pause: kept, zero length where it ended
    ]
    assert [(w.start_s, w.end_s) for w in snap_to_speech(words, speech)] == [
        (0.3, 0.7),
        (3.3, 3.9),
        (3.9, 4.3),
        (5.5, 5.7),
        (4.6, 4.6),
    ]


class _SkippingModel:
    """Stands in for WhisperModel: hears only the first second of any chunk longer than 3 s
    (as tiny.en sometimes skips the rest of a long chunk), everything in shorter ones."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def transcribe(self, audio: Any, **options: Any) -> tuple[list[Any], None]:
        seconds = len(audio) / SAMPLE_RATE
        self.calls.append(seconds)
        word = SimpleNamespace(word=f" w{len(self.calls)}", start=0.3, end=0.6)
        return [SimpleNamespace(words=[word])], None


def test_a_stretch_that_comes_back_empty_is_transcribed_again() -> None:
    engine = object.__new__(Recognizer)
    model = _SkippingModel()
    engine._model = model
    engine._lock = threading.Lock()
    speech = [Interval(0.5, 2.0), Interval(3.0, 5.0), Interval(6.0, 6.2)]
    transcript = engine.transcribe(np.zeros(7 * SAMPLE_RATE, np.float32), speech)
    # One chunk, then the second stretch again on its own; the third is too short to retry.
    assert model.calls == pytest.approx([6.2, 2.5])
    assert [(w.text, w.start_s) for w in transcript.words] == [("w1", 0.55), ("w2", 3.05)]
    assert transcript.text == "w1 w2"


class _SegmentsModel:
    """Stands in for WhisperModel: answers every decoding with the given segments."""

    def __init__(self, *segments: Any) -> None:
        self.segments = list(segments)

    def transcribe(self, audio: Any, **options: Any) -> tuple[list[Any], None]:
        return self.segments, None


def _segment(no_speech: float, *words: tuple[str, float, float, float], seek: int = 180) -> Any:
    """A segment as faster-whisper gives it; `seek`, its window's start in frames (by default
    a window after the first: what is left of the chunk after the first window's segments)."""
    said = [SimpleNamespace(word=w, start=a, end=b, probability=p) for w, a, b, p in words]
    return SimpleNamespace(no_speech_prob=no_speech, words=said, seek=seek)


def _engine(model: Any) -> Recognizer:
    engine = object.__new__(Recognizer)
    engine._model = model
    engine._lock = threading.Lock()
    return engine


SAID = _segment(
    0.01, (" Go", 0.3, 0.8, 0.5), (" forward", 0.8, 1.2, 0.97), (" now.", 1.2, 1.6, 0.9), seek=0
)


@pytest.mark.parametrize(
    ("after", "kept"),
    [
        (_segment(0.86, (" Thank", 2.0, 2.2, 0.25), (" you.", 2.2, 2.6, 0.99)), False),
        (_segment(0.3, (" Thanks.", 2.0, 2.5, 0.09)), False),  # improbable
        (_segment(0.2, (" Thank", 2.0, 2.3, 0.5), (" you.", 2.3, 2.3, 0.98)), False),  # 0 s long
        (_segment(0.05, (" Thank", 2.0, 2.3, 0.8), (" you.", 2.3, 2.7, 0.98)), True),
        # The first window's own segments are kept whatever their scores: they are heard speech
        # whose window as a whole the model rated doubtful.
        (_segment(0.86, (" Thank", 2.0, 2.2, 0.25), (" you.", 2.2, 2.6, 0.99), seek=0), True),
        (_segment(0.3, (" Thanks.", 2.0, 2.5, 0.09), seek=0), True),
    ],
)
def test_a_made_up_segment_after_the_last_word_is_dropped(after: Any, kept: bool) -> None:
    words = _engine(_SegmentsModel(SAID, after)).transcribe(
        np.zeros(3 * SAMPLE_RATE, np.float32), [Interval(0.3, 2.7)]
    )
    after_words = [w.word.strip() for w in after.words]
    assert [w.text for w in words.words] == ["Go", "forward", "now."] + (
        after_words if kept else []
    )


def test_a_decoding_of_one_segment_is_kept_and_lone_punctuation_is_not_a_word() -> None:
    only = _segment(0.9, (" Um.", 0.3, 0.6, 0.1), (" .", 0.6, 0.7, 0.5), seek=0)
    words = _engine(_SegmentsModel(only)).transcribe(
        np.zeros(SAMPLE_RATE, np.float32), [Interval(0.3, 0.7)]
    )
    assert [w.text for w in words.words] == ["Um."]


def test_the_encoder_reads_a_window_the_length_of_the_chunk(recognizer: Recognizer) -> None:
    """Not Whisper's fixed 30 s: faster-whisper still pads with the function we replace."""
    assert recognizer.short_windows
    frames: list[int] = []
    model = recognizer._model
    encode = model.encode

    def counting_encode(features: Any) -> Any:
        frames.append(features.shape[-1])
        return encode(features)

    model.encode = counting_encode
    try:
        audio = (0.01 * np.random.default_rng(3).standard_normal(25 * SAMPLE_RATE)).astype(
            np.float32
        )
        recognizer.transcribe(audio, [Interval(1.0, 3.0)])  # one short chunk
        recognizer.transcribe(audio, [Interval(1.0, 19.0)])  # a long one
    finally:
        del model.encode
    assert frames, "the encoder was never called"
    assert frames[0] == round(ENCODER_MIN_S * 100)
    long_chunk = 18.0 + 2 * CHUNK_PAD_S + ENCODER_PAD_S
    assert abs(max(frames) - long_chunk * 100) <= 2, frames  # its first window


def test_jfk_word_error_rate_and_no_fillers(speech_dir: Path, recognizer: Recognizer) -> None:
    data, rate = load_audio(speech_dir / "jfk.flac")
    metrics = analyse(data, rate, recognizer=recognizer)
    assert metrics.transcript is not None
    assert word_error_rate(JFK_TEXT, metrics.transcript) <= 0.10, metrics.transcript
    assert metrics.fillers == ()
    assert len(metrics.words) >= 20
    starts = [w.start_s for w in metrics.words]
    assert starts == sorted(starts) and 0.0 <= starts[0] < 1.0 and starts[-1] < 11.0
    assert all(w.end_s >= w.start_s for w in metrics.words)
    # "country" ends the first half (before the 5.4 s pause ends) and the last word.
    assert metrics.words[-1].text.lower().startswith("country") and metrics.words[-1].end_s > 9.0
    span = metrics.words[-1].end_s - metrics.words[0].start_s
    assert metrics.words_per_minute == pytest.approx(22 / span * 60, rel=0.1)
    assert (
        metrics.words_per_minute is not None and 110 <= metrics.words_per_minute <= 140
    )  # JFK's line: about 127, pauses included


def test_jfk_with_its_pauses_stretched_to_three_seconds(
    speech_dir: Path, recognizer: Recognizer
) -> None:
    """Real speech with long pauses of room noise (the pauses' own, repeated): all heard."""
    data, rate = load_audio(speech_dir / "jfk.flac")
    mono = to_mono(data)
    pieces, previous = [], 0
    for start, end in [(2.1, 3.2), (4.35, 5.35), (7.6, 8.1)]:  # inside the README's pauses
        a, b = int(start * rate), int(end * rate)
        pieces += [mono[previous:a], np.tile(mono[a:b], int(3.0 / (end - start)) + 1)]
        previous = b
    pieces.append(mono[previous:])
    metrics = analyse(np.concatenate(pieces), rate, recognizer=recognizer)
    assert metrics.transcript is not None
    assert word_error_rate(JFK_TEXT, metrics.transcript) <= 0.10, metrics.transcript
    assert len(metrics.long_pauses) == 3
    assert metrics.fillers == ()


@pytest.fixture(scope="module")
def long_answer() -> Any:
    require_espeak()
    return build_answer(ANSWER, ANSWER_GAPS, words_per_minute=125)


def test_a_sixty_second_answer_is_transcribed_completely(
    long_answer: Any, recognizer: Recognizer
) -> None:
    assert 55.0 <= long_answer.duration_s <= 70.0
    metrics = analyse(long_answer.samples, long_answer.rate, recognizer=recognizer)
    assert metrics.transcript is not None
    assert word_error_rate(long_answer.text, metrics.transcript) <= 0.15, metrics.transcript
    # Every sentence is there: most of its words are in the transcript near where it was said.
    heard = [w.text.lower().strip(".,?!") for w in metrics.words]
    for sentence in ANSWER:
        said = sentence.lower().split()
        assert sum(w in heard for w in said) >= 0.7 * len(said), (sentence, metrics.transcript)
    # Every pause is found, at its place. The clips are trimmed at -60 dBFS, below the faint
    # onset of a "th" or an "h" that a -25 dB speech threshold (Praat's too) leaves out: 0.25 s.
    found = [(p.start_s, p.end_s) for p in metrics.pauses]
    assert len(found) == len(long_answer.pauses), found
    for (start, end), (a, b) in zip(long_answer.pauses, found, strict=True):
        assert abs(a - start) <= 0.25 and abs(b - end) <= 0.25, ((start, end), found)
    assert [h.kind for h in metrics.hints() if h.kind == "long_pause"] == ["long_pause"]
    assert metrics.fillers == ()


FILLED = [
    ("Um thank you for taking the time to meet with me today", 1),
    ("What are the next steps in your hiring process", 0),
    ("When do you uh expect to make a decision", 1),
    ("I am very interested in this position", 0),
    ("Uh may I have your business card", 1),
    ("The projects you described sound exciting to me", 0),
    ("I believe um my skills match what you need", 1),
    ("Who else will I meet before an offer is made", 0),
    ("Um I look forward to hearing from you", 1),
    ("Thank you again for your time today", 0),
]


def test_inserted_fillers_are_found_and_none_invented(recognizer: Recognizer) -> None:
    require_espeak()
    sentences = [s.replace(" um ", ", um, ").replace(" uh ", ", uh, ") for s, _ in FILLED]
    sentences = [s.replace("Um ", "Um, ").replace("Uh ", "Uh, ") for s in sentences]
    answer = build_answer(sentences, [1.0] * (len(FILLED) - 1), words_per_minute=150)
    metrics = analyse(answer.samples, answer.rate, recognizer=recognizer)
    # Where each sentence was said: from the end of the pause before it to the start of the next.
    bounds = [0.0] + [end for _, end in answer.pauses]
    ends = [start for start, _ in answer.pauses] + [answer.duration_s]
    found_in = [0] * len(FILLED)
    for filler in metrics.fillers:
        assert filler.word in ("um", "uh"), metrics.fillers
        index = max(i for i, b in enumerate(bounds) if b <= filler.start_s + 0.3)
        assert filler.start_s <= ends[index] + 0.3
        found_in[index] += 1
    for (sentence, expected), got in zip(FILLED, found_in, strict=True):
        if expected == 0:
            assert got == 0, (sentence, metrics.transcript)  # none invented
    inserted = sum(n for _, n in FILLED)
    assert (
        sum(min(got, n) for (_, n), got in zip(FILLED, found_in, strict=True)) >= 0.8 * inserted
    ), metrics.transcript


def test_a_cancelled_transcription_stops_before_its_next_chunk() -> None:
    engine = object.__new__(Recognizer)
    model = _SkippingModel()
    engine._model = model
    engine._lock = threading.Lock()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        engine.transcribe(np.zeros(3 * SAMPLE_RATE, np.float32), [Interval(0.5, 2.0)], cancel)
    assert model.calls == []


def test_one_stretch_longer_than_a_window_is_transcribed(recognizer: Recognizer) -> None:
    """A noisy room can make a whole take one stretch of "speech": 55 s asks Whisper for its
    windows one by one, and the token budget must fit each window (it was refused outright)."""
    rng = np.random.default_rng(7)
    audio = (0.05 * rng.standard_normal(55 * SAMPLE_RATE)).astype(np.float32)
    transcript = recognizer.transcribe(audio, [Interval(0.0, 55.0)])
    assert all(0.0 <= w.start_s <= w.end_s <= 55.0 for w in transcript.words)
