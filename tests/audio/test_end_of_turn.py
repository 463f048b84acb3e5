"""End of an answer decided on the live audio, checked on real voices: fed as the recorder's
20 ms blocks, with the forced alignments of ../shared/data/speech/real/ as the truth."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from closer_desktop.analysis.audio_input import load_audio, to_mono
from closer_desktop.audio.end_of_turn import (
    SileroGate,
    SpeechGate,
    TurnDetector,
    TurnEvent,
    VoicingGate,
    voicing,
)
from tests.support.real_speech import Clip

SILENCE_S = 2.0


@pytest.fixture(scope="module")
def silero(recognizer: object) -> type[SileroGate]:
    """The Silero gate needs the speech extra (required under CI, like the recognizer)."""
    assert SileroGate.available()
    return SileroGate


def turn(samples: npt.NDArray[np.float32], rate: int, gate: SpeechGate) -> list[TurnEvent]:
    detector = TurnDetector(silence_s=SILENCE_S, gate=gate)
    block = int(0.02 * rate)
    events: list[TurnEvent] = []
    for start in range(0, len(samples) - block + 1, block):
        events += detector.feed(samples[start : start + block], rate)
    return events


def clip_audio(clip: Clip, *, then_silence_s: float = 4.0) -> tuple[npt.NDArray[np.float32], int]:
    data, rate = load_audio(clip.path)
    mono = to_mono(data)
    return np.concatenate([mono, np.zeros(int(then_silence_s * rate), np.float32)]), rate


@pytest.mark.parametrize("name", ["mfa_acoustic_corpus", "mfa_cold_corpus"])
def test_an_answer_with_pauses_ends_once_after_its_last_word(
    real_clips: list[Clip], silero: type[SileroGate], name: str
) -> None:
    """Pauses of up to 1.3 s (one full of breathing) keep the answer going; it ends once,
    SILENCE_S after the last word, decided within 0.5 s of that."""
    clip = next(c for c in real_clips if c.name == name)
    assert clip.alignment is not None
    samples, rate = clip_audio(clip)
    started, ended = turn(samples, rate, silero())
    first, last = clip.alignment[0].start_s, clip.alignment[-1].end_s
    # The cold speaker's opening "uh" is a hoarse murmur the model hears only with his next word.
    assert started.kind == "started" and first - 0.1 <= started.at_s <= first + 0.6
    assert ended.kind == "ended" and ended.reason == "silence"
    assert ended.speech_end_s is not None and abs(ended.speech_end_s - last) <= 0.15
    assert SILENCE_S - 0.15 <= ended.at_s - last <= SILENCE_S + 0.5


def test_breathing_after_the_last_word_is_not_speech(
    real_clips: list[Clip], silero: type[SileroGate]
) -> None:
    clip = next(c for c in real_clips if c.name == "mfa_cold_corpus")
    assert clip.alignment is not None
    data, rate = load_audio(clip.path)
    mono, last = to_mono(data), clip.alignment[-1].end_s
    breath = mono[int(18.4 * rate) : int(19.6 * rate)]  # his pause: breathing and a sniff
    samples = np.concatenate(
        [mono[: int((last + 0.1) * rate)], breath, np.zeros(int(3 * rate), np.float32)]
    )
    ended = turn(samples, rate, silero())[-1]
    assert ended.speech_end_s is not None and abs(ended.speech_end_s - last) <= 0.15


@pytest.mark.parametrize("gate", ["silero", "voicing"])
def test_a_fan_and_silence_never_start_an_answer(gate: str, request: pytest.FixtureRequest) -> None:
    made: SpeechGate = request.getfixturevalue("silero")() if gate == "silero" else VoicingGate()
    fan = np.random.default_rng(1).normal(0, 0.01, 10 * 16000).astype(np.float32)
    assert turn(np.concatenate([np.zeros(16000, np.float32), fan]), 16000, made) == []


def test_the_longest_answer_ends_at_its_maximum(
    real_clips: list[Clip], silero: type[SileroGate]
) -> None:
    clip = next(c for c in real_clips if c.name == "ljspeech_LJ001-0001-0008")  # 50 s read
    samples, rate = clip_audio(clip)
    detector = TurnDetector(silence_s=SILENCE_S, max_s=20.0, gate=silero())
    block = int(0.02 * rate)
    events = [
        e
        for i in range(0, len(samples) - block, block)
        for e in detector.feed(samples[i : i + block], rate)
    ]
    assert [e.kind for e in events] == ["started", "ended"]
    assert events[1].reason == "max_length" and events[1].at_s - events[0].at_s == pytest.approx(
        20.0, abs=0.05
    )


def test_without_the_speech_extra_a_voiced_answer_still_ends(real_clips: list[Clip]) -> None:
    """The voicing gate (no Silero model): a clean read answer starts and ends about where the
    words do; it is the fallback, and misses some hoarse speech (see the module docstring)."""
    clip = next(c for c in real_clips if c.name == "librivox_ss_0870-0890")
    samples, rate = clip_audio(clip)
    started, ended = turn(samples, rate, VoicingGate())
    assert started.at_s < 0.6 and ended.speech_end_s is not None
    assert (
        14.5 <= ended.speech_end_s <= 15.4 and ended.at_s - ended.speech_end_s >= SILENCE_S - 0.05
    )


def test_voicing_tells_a_vowel_from_noise() -> None:
    rate = 16000
    t = np.arange(int(0.04 * rate)) / rate
    vowel = np.sign(np.sin(2 * np.pi * 110 * t)) * 0.2 + 0.1 * np.sin(2 * np.pi * 220 * t)
    noise = np.random.default_rng(2).normal(0, 0.2, len(t))
    assert voicing(vowel, rate) > 0.8 and voicing(noise, rate) < 0.3
    assert voicing(np.zeros(len(t)), rate) == 0.0
