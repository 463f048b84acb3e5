"""How a take is cut into chunks for Whisper, and what a chunk's decoding keeps: cuts at the
longest pauses, no audio in two chunks, a decoding that skipped speech decoded again in parts,
and a closing phrase repeated at one instant with no audio under it dropped. Stand-in models,
so these run without the speech extra; the real clips hold the result in test_real_voices."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.transcribe import CHUNK_PAD_S, SAMPLE_RATE, Recognizer, plan_chunks


def test_chunks_are_cut_at_the_longest_pause() -> None:
    """Two chunks either way; the cut falls in the 1.5 s pause, not in a 0.2 s one (filling the
    first chunk up to the limit cut there, splitting a sentence or a word the detector missed)."""
    speech = [Interval(0.0, 4.0), Interval(4.2, 6.0), Interval(7.5, 9.9), Interval(10.1, 13.0)]
    assert plan_chunks(speech, duration_s=14.0, max_len_s=10.0) == [
        Interval(0.0, 6.0 + CHUNK_PAD_S),
        Interval(7.5 - CHUNK_PAD_S, 13.0 + CHUNK_PAD_S),
    ]


def test_no_cut_where_none_is_needed() -> None:
    """A long pause does not buy a second chunk: one chunk keeps the whole context."""
    speech = [Interval(0.0, 5.0), Interval(5.3, 9.0), Interval(11.0, 12.0), Interval(12.3, 16.0)]
    assert plan_chunks(speech, duration_s=17.0, max_len_s=16.0) == [
        Interval(0.0, 16.0 + CHUNK_PAD_S)
    ]


def test_chunks_meeting_in_a_short_pause_meet_at_its_middle() -> None:
    """A 0.3 s pause is shorter than the two paddings: the chunks share no audio, so a word
    said there is not heard twice (LJ Speech's "produced the | block books": "the" twice)."""
    speech = [Interval(0.5, 4.0), Interval(4.3, 8.0)]
    assert plan_chunks(speech, duration_s=9.0, max_len_s=5.0) == [
        Interval(0.5 - CHUNK_PAD_S, 4.15),
        Interval(4.15, 8.0 + CHUNK_PAD_S),
    ]


def _engine(model: Any) -> Recognizer:
    engine = object.__new__(Recognizer)
    engine._model = model
    engine._lock = threading.Lock()
    return engine


def _word(text: str, start: float, end: float, probability: float = 0.9) -> Any:
    return SimpleNamespace(word=text, start=start, end=end, probability=probability)


class _JumpingModel:
    """Stands in for WhisperModel: in a chunk longer than 12 s it writes one word, then lays a
    second over the rest of the chunk (tiny.en jumping ahead: "He was not" and then 17 s of
    speech under "not"); a shorter chunk is heard whole, a word a second."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def transcribe(self, audio: Any, **options: Any) -> tuple[list[Any], None]:
        seconds = len(audio) / SAMPLE_RATE
        self.calls.append(seconds)
        if seconds > 12.0:
            words = [_word(" He", 0.3, 0.6), _word(" not", 0.6, seconds - 0.3)]
        else:
            words = [_word(f" w{k}", k + 0.3, k + 0.6) for k in range(int(seconds))]
        return [SimpleNamespace(words=words, seek=0, no_speech_prob=0.0)], None


def test_a_decoding_that_skipped_speech_is_decoded_again_in_halves() -> None:
    model = _JumpingModel()
    speech = [Interval(0.5, 5.0), Interval(5.5, 9.5), Interval(10.0, 14.0), Interval(14.5, 19.5)]
    transcript = _engine(model).transcribe(np.zeros(20 * SAMPLE_RATE, np.float32), speech)
    # The whole chunk, then its halves, cut at a pause (and meeting at its middle).
    assert model.calls == pytest.approx([19.5, 9.5, 10.0])
    assert "not" not in transcript.text.split()
    assert len(transcript.words) == 19, transcript.text  # a word a second in each half


def _closing(said_at: float) -> Any:
    """One decoding of "Go forward. Alright, thanks." that ends on "Alright, thanks." again at
    `said_at`, both words with no length."""
    words = [
        _word(" Go", 0.3, 0.8),
        _word(" forward.", 0.8, 1.2),
        _word(" Alright,", 1.3, 1.6),
        _word(" thanks.", 1.6, 2.0),
        _word(" Alright,", said_at, said_at, 0.4),
        _word(" thanks.", said_at, said_at),
    ]
    return SimpleNamespace(words=words, seek=0, no_speech_prob=0.01)


class _OneDecoding:
    def __init__(self, segment: Any) -> None:
        self.segment = segment

    def transcribe(self, audio: Any, **options: Any) -> tuple[list[Any], None]:
        return [self.segment], None


@pytest.mark.parametrize(
    ("speech_end", "kept"),
    [
        (2.3, False),  # after the last speech: the model repeating itself, dropped
        (2.9, True),  # speech still going on there: left for the other checks
    ],
)
def test_a_closing_phrase_repeated_at_one_instant_after_the_speech_is_dropped(
    speech_end: float, kept: bool
) -> None:
    """tiny.en ended the cold speaker's take "Alright, thanks. Alright, thanks.", the second
    time both words at 24.98 s with no length, after the last sound of speech."""
    engine = _engine(_OneDecoding(_closing(2.4)))
    transcript = engine.transcribe(
        np.zeros(3 * SAMPLE_RATE, np.float32), [Interval(0.3, speech_end)]
    )
    said = ["Go", "forward.", "Alright,", "thanks."]
    assert [w.text for w in transcript.words] == said + (["Alright,", "thanks."] if kept else [])


def test_one_last_word_with_no_length_is_kept() -> None:
    """A single word Whisper gives no length to is a word it timed badly, not a repeat."""
    segment = SimpleNamespace(
        words=[_word(" Go", 0.3, 0.8), _word(" on.", 2.4, 2.4)], seek=0, no_speech_prob=0.01
    )
    transcript = _engine(_OneDecoding(segment)).transcribe(
        np.zeros(3 * SAMPLE_RATE, np.float32), [Interval(0.3, 2.3)]
    )
    assert [w.text for w in transcript.words] == ["Go", "on."]
