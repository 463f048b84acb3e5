"""Pauses are judged by the level above the speech band's floor (acoustics.SPEECH_ABOVE_HZ):
rumble, hum and breath on the microphone below it are louder than a quiet voice, and were taken
for speech."""

from __future__ import annotations

import numpy as np

from closer_desktop.analysis.acoustics import SPEECH_ABOVE_HZ, frame_levels_db, measure

RATE = 16000


def tone(hz: float, seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_a_tone_in_the_band_reads_its_level_and_rumble_below_it_does_not() -> None:
    speech = frame_levels_db(tone(440, 1.0, 0.1), RATE, above_hz=SPEECH_ABOVE_HZ)
    assert np.allclose(speech, 20 * np.log10(0.1 / np.sqrt(2)), atol=0.1)
    rumble = frame_levels_db(tone(40, 1.0, 0.1), RATE, above_hz=SPEECH_ABOVE_HZ)
    assert rumble.max() < speech.min() - 20


def test_rumble_in_a_pause_louder_than_the_voice_is_still_a_pause() -> None:
    """A quiet "voice" (a 220 Hz buzz with harmonics, -32 dBFS), a 1 s pause full of a 40 Hz
    thump from breath on the capsule at -20 dBFS, then the voice again."""
    rng = np.random.default_rng(0)
    voice = sum(tone(220 * k, 1.0, 0.03 / k) for k in range(1, 6))
    rumble = tone(40, 1.0, 0.14)
    noise = rng.normal(0, 1e-4, 3 * RATE).astype(np.float32)
    take = np.concatenate([voice, rumble, voice]) + noise
    pauses = measure(take, RATE, pitch=False).pauses
    assert len(pauses) == 1
    assert abs(pauses[0].start_s - 1.0) <= 0.05 and abs(pauses[0].end_s - 2.0) <= 0.05, pauses


def test_a_cough_does_not_erase_the_rest_of_the_take() -> None:
    """Five 1 s "syllables" at about -38 dBFS with 0.5 s pauses, and a 0.5 s coughing fit at
    -10 dBFS before them: it fills more than 2 % of the take, so it was the take's loud end
    (its 98th percentile) and the threshold 25 dB under it sat over every word."""
    rng = np.random.default_rng(1)
    voice = sum(tone(220 * k, 1.0, 0.015 / k) for k in range(1, 6))
    gap = np.zeros(RATE // 2, np.float32)
    cough = rng.normal(0, 0.3, RATE // 2).astype(np.float32)
    take = np.concatenate([gap, cough, gap, *[np.concatenate([voice, gap]) for _ in range(5)]])
    take += rng.normal(0, 1e-4, len(take)).astype(np.float32)
    pauses = [(p.start_s, p.end_s) for p in measure(take, RATE, pitch=False).pauses]
    words_at = [1.5 + 1.5 * k for k in range(5)]
    expected = [(start + 1.0, start + 1.5) for start in words_at[:-1]]
    assert len(pauses) == len(expected) + 1, pauses  # and the one after the cough
    for (a, b), (start, end) in zip(pauses[1:], expected, strict=True):
        assert abs(a - start) <= 0.05 and abs(b - end) <= 0.05, pauses
