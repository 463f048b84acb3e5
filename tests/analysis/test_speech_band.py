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
