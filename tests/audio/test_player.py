"""The player's audio callback, driven directly with a fake output buffer: gain, speed, seeking.

The callback is called as PortAudio would call it, block after block, so the sample maths are
checked exactly and on any machine; one test then plays through a real stream (PulseAudio).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from closer_desktop.audio.player import Player
from closer_desktop.audio.stretch import time_stretch
from tests.support.virtual_mic import VirtualMic

RATE = 16000
BLOCK = 800  # 50 ms
Samples = npt.NDArray[np.float32]


class Stop(Exception):
    """Stands in for sounddevice.CallbackStop."""


def make_player() -> Player:
    errors: list[str] = []
    player = Player(lambda: None, errors.append)
    player._callback_stop = Stop
    return player


def voice_like(seconds: float) -> Samples:
    """A vowel-ish tone (150 Hz with harmonics) under a syllable envelope."""
    t = np.arange(round(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 6))
    envelope = 0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 3 * t))
    return (0.3 * tone * envelope).astype(np.float32)


def pull(player: Player, frames: int = BLOCK) -> tuple[Samples, bool]:
    """One callback block: what was written, and whether the callback said "stop"."""
    out = np.full((frames, 1), np.nan, dtype=np.float32)
    try:
        player._callback(player._generation, out, frames)
    except Stop:
        return out[:, 0], True
    return out[:, 0], False


def drain(player: Player) -> Samples:
    """Everything the player plays from its position to the end."""
    blocks = []
    while True:
        block, stopped = pull(player)
        blocks.append(block)
        if stopped:
            return np.concatenate(blocks)


def test_gain_scales_every_sample_in_the_callback() -> None:
    player = make_player()
    samples = np.linspace(-1.0, 1.0, 1000, dtype=np.float32)
    player.load(samples, RATE)
    block, stopped = pull(player, 600)
    np.testing.assert_array_equal(block, samples[:600])  # gain 1: an exact copy
    assert not stopped
    player.set_gain(0.25)
    block, stopped = pull(player, 600)
    np.testing.assert_allclose(block[:400], samples[600:] * 0.25, rtol=0, atol=1e-7)
    np.testing.assert_array_equal(block[400:], 0.0)  # past the end: silence, then stop
    assert stopped
    player.set_gain(3.0)
    assert player.gain == 1.0  # never louder than recorded
    player.set_gain(-1.0)
    assert player.gain == 0.0
    player.close()


def test_seek_moves_the_next_block() -> None:
    player = make_player()
    samples = np.arange(RATE, dtype=np.float32) / RATE
    player.load(samples, RATE)
    pull(player)
    assert player.position_s == pytest.approx(BLOCK / RATE)
    player.seek(0.5)
    assert player.position_s == pytest.approx(0.5)  # before the callback picks it up
    block, _ = pull(player)
    np.testing.assert_array_equal(block, samples[RATE // 2 : RATE // 2 + BLOCK])
    player.close()


def test_speed_keeps_the_position_and_plays_a_stretched_copy() -> None:
    player = make_player()
    samples = voice_like(3.0)
    player.load(samples, RATE)
    player.seek(1.0)
    player.set_speed(1.5)
    player.wait_rendered()
    assert not player.rendering
    assert player.speed == 1.5
    assert player.position_s == pytest.approx(1.0, abs=1 / RATE)
    assert player.duration_s == pytest.approx(3.0)  # positions stay in seconds of the take
    assert player.playing_length_s == pytest.approx(3.0 / 1.5, abs=1 / RATE)

    played = drain(player)
    stretched = time_stretch(samples, RATE, 1.5)
    start = round(1.0 * RATE / 1.5)
    assert len(stretched) == round(len(samples) / 1.5)
    np.testing.assert_array_equal(played[: len(stretched) - start], stretched[start:])
    assert player.position_s == pytest.approx(3.0, abs=2 / RATE)  # the end, in take seconds
    player.close()


def test_changing_speed_while_playing_continues_from_the_same_point() -> None:
    player = make_player()
    samples = voice_like(3.0)
    player.load(samples, RATE)
    for _ in range(10):  # half a second at 1x
        pull(player)
    assert player.position_s == pytest.approx(0.5)
    player.set_speed(0.75)
    player.wait_rendered()
    block, _ = pull(player)
    stretched = time_stretch(samples, RATE, 0.75)
    index = round(0.5 * RATE / 0.75)
    np.testing.assert_array_equal(block, stretched[index : index + BLOCK])
    assert player.position_s == pytest.approx(0.5 + BLOCK * 0.75 / RATE, abs=1 / RATE)

    player.set_speed(1.0)  # back to the take itself: no render, the same point
    assert not player.rendering
    block, _ = pull(player)
    position = round((index + BLOCK) * 0.75)
    np.testing.assert_array_equal(block, samples[position : position + BLOCK])
    player.close()


def test_rendered_speeds_are_reused_for_the_loaded_take() -> None:
    player = make_player()
    samples = voice_like(2.0)
    player.load(samples, RATE)
    player.set_speed(1.25)
    assert player.rendering  # not cached yet: rendered on the worker
    player.wait_rendered()
    player.set_speed(1.0)
    player.set_speed(1.25)
    assert not player.rendering  # from the cache, at once
    player.load(samples, RATE)  # the same take again (e.g. Compare switching back)
    assert not player.rendering and player.position_s == 0.0
    player.load(voice_like(1.0), RATE)  # another take: rendered anew, at the chosen speed
    assert player.rendering and player.speed == 1.25
    player.wait_rendered()
    assert player.playing_length_s == pytest.approx(1.0 / 1.25, abs=1 / RATE)
    player.close()


def test_quick_switching_renders_each_speed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """1.25, 1.5, 1.25 asked before any render ran: 1.25 is stretched once, not twice."""
    import closer_desktop.audio.stretch as stretch

    rendered: list[float] = []
    real = stretch.time_stretch

    def counting(samples: np.ndarray, rate: int, speed: float) -> np.ndarray:
        rendered.append(speed)
        return real(samples, rate, speed)

    monkeypatch.setattr(stretch, "time_stretch", counting)
    player = make_player()
    player.load(voice_like(2.0), RATE)
    gate = threading.Event()
    player._renderer.submit(gate.wait)  # hold the renderer while the user switches
    player.set_speed(1.25)
    player.set_speed(1.5)
    player.set_speed(1.25)
    gate.set()
    player.wait_rendered()
    assert rendered == [1.25]  # 1.5 was no longer wanted; the second 1.25 found the first
    assert not player.rendering and player.speed == 1.25
    player.close()


def test_speed_outside_the_stretchable_range_is_refused() -> None:
    player = make_player()
    with pytest.raises(ValueError):
        player.set_speed(3.0)
    with pytest.raises(ValueError):
        player.set_speed(float("nan"))
    player.close()


@pytest.mark.real_audio
def test_a_real_stream_plays_the_stretched_copy_to_the_end(virtual_mic: VirtualMic) -> None:
    """Through PulseAudio: play, asked while the 1.5x copy renders, plays that copy to its end.

    (Wall time says little here: a null sink may pull a whole buffer's worth at once.)
    """
    finished = threading.Event()
    errors: list[str] = []
    player = Player(finished.set, errors.append)
    try:
        samples = voice_like(2.0)
        player.load(samples, RATE)
        player.set_speed(1.5)
        assert player.rendering
        player.play()
        assert player.is_playing  # the user sees "Pause" while the copy renders
        assert finished.wait(10.0), errors
        assert errors == []
        data, speed, index = player._now  # what the callback played last
        assert speed == 1.5 and data is not samples
        assert len(data) == round(len(samples) / 1.5) == index
        assert player.position_s == pytest.approx(2.0, abs=0.01)
        assert not player.is_playing
    finally:
        player.close()


@pytest.mark.real_audio
def test_back_to_a_ready_speed_while_another_renders_plays_and_ends_its_stream(
    virtual_mic: VirtualMic,
) -> None:
    """Play pressed while 1.5x renders, then 1x chosen (ready at once): it plays (it stayed
    "playing" with no stream), and once played to the end its output stream is closed."""
    finished = threading.Event()
    errors: list[str] = []
    player = Player(finished.set, errors.append)
    try:
        player.load(voice_like(20.0), RATE)
        player.set_speed(1.5)
        player.play()
        assert player.rendering and player.is_playing
        player.set_speed(1.0)
        player.seek(19.5)
        assert finished.wait(10.0), errors  # it played to the end
        assert errors == []
        deadline = threading.Event()
        for _ in range(50):
            if player._stream is None:
                break
            deadline.wait(0.05)
        assert player._stream is None  # the device is let go at the end
    finally:
        player.close()


def test_a_compact_take_plays_like_its_float_copy(tmp_path: Path) -> None:
    """16-bit takes load as int16 (half the memory); the callback and the speeds scale them."""
    import soundfile

    from closer_desktop.audio.player import read_audio

    path = tmp_path / "take.wav"
    soundfile.write(path, voice_like(1.0), RATE, subtype="PCM_16")
    compact, rate = read_audio(path, compact=True)
    wide, _ = read_audio(path)
    assert compact.dtype == np.int16 and wide.dtype == np.float32 and rate == RATE
    assert compact.nbytes * 2 == wide.nbytes
    player = make_player()
    player.load(compact, RATE)
    player.set_gain(0.5)
    np.testing.assert_allclose(drain(player)[: len(wide)], wide * 0.5, rtol=0, atol=1e-7)
    player.set_speed(1.25)
    player.wait_rendered()
    player.seek(0.0)
    expected = time_stretch(wide, RATE, 1.25) * 0.5
    np.testing.assert_allclose(drain(player)[: len(expected)], expected, rtol=0, atol=1e-6)
    player.close()
