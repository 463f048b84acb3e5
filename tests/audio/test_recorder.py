"""The recorder and player on a real PortAudio stream from the virtual microphone."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.audio.devices import choose_input, list_input_devices
from closer_desktop.audio.player import AudioFileError, Player, read_audio
from closer_desktop.audio.recorder import Recorder, RecordingResult
from tests.support.signals import best_alignment_ncc, read_mono, rms_dbfs
from tests.support.virtual_mic import VirtualMic

pytestmark = pytest.mark.real_audio
PHRASE = "What are the next steps in the hiring process?"


class Results:
    def __init__(self) -> None:
        self.started = threading.Event()
        self.done = threading.Event()
        self.result: RecordingResult | None = None

    def on_started(self, rate: int) -> None:
        self.started.set()

    def on_finished(self, result: RecordingResult) -> None:
        self.result = result
        self.done.set()


def default_input() -> tuple[int, int]:
    device = choose_input(list_input_devices(), None)
    assert device is not None, "the virtual microphone should be listed"
    return device.index, device.default_samplerate


def test_virtual_mic_is_the_default_input(virtual_mic: VirtualMic) -> None:
    names = [d.name for d in list_input_devices()]
    assert "default" in names or "pulse" in names


def until_quiet(recorder: Recorder, timeout: float = 10.0) -> None:
    """Wait until the microphone has been quiet for 0.5 s (what it hears is shared by every test
    of the session: a sound an earlier test started may still be on its way)."""
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        for level in recorder.take_levels():
            if level.rms > 0.001:
                quiet_since = time.monotonic()
        if time.monotonic() - quiet_since >= 0.5:
            return
        time.sleep(0.02)
    pytest.fail("the virtual microphone never went quiet: something else is playing into it")


def until_heard_out(recorder: Recorder, timeout: float = 4.0) -> None:
    """Wait until the take has heard the phrase and 0.3 s of quiet after it. The sound server
    may deliver the monitored playback a little behind the player (an idle null sink wakes in
    blocks): stopping a fixed time after playing can cut the phrase off."""
    deadline = time.monotonic() + timeout
    heard = False
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        for level in recorder.take_levels():
            loud = level.rms > 0.003
            heard = heard or loud
            if loud:
                quiet_since = None
            elif heard and quiet_since is None:
                quiet_since = time.monotonic()
        if heard and quiet_since is not None and time.monotonic() - quiet_since >= 0.3:
            return
        time.sleep(0.02)


def test_recording_matches_the_spoken_phrase(virtual_mic: VirtualMic, tmp_path: Path) -> None:
    speech = virtual_mic.speak(PHRASE, tmp_path / "phrase.wav")
    index, rate = default_input()
    results = Results()
    recorder = Recorder(results.on_started, results.on_finished)
    out = tmp_path / "take.wav"
    began = time.monotonic()
    recorder.start(out, index, rate)
    assert results.started.wait(5)
    until_quiet(recorder)  # whatever an earlier test left sounding has died away
    virtual_mic.play_file(speech)  # real time: returns when the phrase has been played
    until_heard_out(recorder)
    recorder.stop()
    assert results.done.wait(5)
    wall = time.monotonic() - began
    result = results.result
    assert result is not None and result.error is None
    assert result.overflows == 0

    recorded, file_rate = read_mono(out)
    assert file_rate == rate
    assert abs(len(recorded) / rate - wall) < 0.3
    assert result.duration_s == pytest.approx(len(recorded) / rate, abs=0.01)
    assert rms_dbfs(recorded) > -40  # not silent
    reference, _ = read_mono(speech, rate)
    assert best_alignment_ncc(recorded, reference) > 0.8


def test_silence_records_as_silence(virtual_mic: VirtualMic, tmp_path: Path) -> None:
    index, rate = default_input()
    results = Results()
    recorder = Recorder(results.on_started, results.on_finished)
    recorder.start(tmp_path / "quiet.wav", index, rate)
    assert results.started.wait(5)
    time.sleep(0.5)
    recorder.stop()
    assert results.done.wait(5)
    recorded, _ = read_mono(tmp_path / "quiet.wav")
    assert len(recorded) > 0.3 * rate
    assert np.max(np.abs(recorded)) < 1e-3


def test_file_is_readable_while_still_recording(virtual_mic: VirtualMic, tmp_path: Path) -> None:
    """The WAV header is updated as blocks land, so a crash leaves a playable file."""
    index, rate = default_input()
    results = Results()
    recorder = Recorder(results.on_started, results.on_finished)
    out = tmp_path / "live.wav"
    recorder.start(out, index, rate)
    assert results.started.wait(5)
    time.sleep(0.6)
    frames_so_far = soundfile.info(str(out)).frames
    recorder.stop()
    assert results.done.wait(5)
    assert frames_so_far > 0.3 * rate


def test_player_plays_a_take_to_the_end(virtual_mic: VirtualMic, tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    rate = 44100
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(int(0.4 * rate)) / rate)
    soundfile.write(path, tone.astype(np.float32), rate)
    finished = threading.Event()
    errors: list[str] = []
    player = Player(finished.set, errors.append)
    samples, loaded_rate = read_audio(path)
    player.load(samples, loaded_rate)
    assert player.duration_s == pytest.approx(0.4, abs=0.001)
    player.play()
    assert finished.wait(5), errors
    assert errors == []
    assert player.position_s == pytest.approx(0.4, abs=0.001)
    assert not player.is_playing
    player.close()


def test_seeking_moves_playback(virtual_mic: VirtualMic, tmp_path: Path) -> None:
    path = tmp_path / "second.wav"
    rate = 44100
    soundfile.write(path, np.full(rate, 0.1, dtype=np.float32), rate)  # 1.0 s
    finished = threading.Event()
    errors: list[str] = []
    player = Player(finished.set, errors.append)
    player.load(*read_audio(path))
    player.seek(0.75)
    assert player.position_s == pytest.approx(0.75, abs=0.001)
    began = time.monotonic()
    player.play()
    assert finished.wait(5), errors
    assert time.monotonic() - began < 0.7  # only the last quarter second was played
    finished.clear()
    player.seek(0.1)
    player.play()
    time.sleep(0.2)
    player.seek(0.0)  # while playing: the callback takes it up
    time.sleep(0.1)
    assert player.position_s < 0.5
    assert finished.wait(5)
    player.close()


def test_unreadable_audio_gets_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF not really a wave file")
    with pytest.raises(AudioFileError, match="cannot be read"):
        read_audio(junk)
    with pytest.raises(AudioFileError, match="missing"):
        read_audio(tmp_path / "gone.wav")


def test_opening_a_missing_device_fails_with_a_message(tmp_path: Path) -> None:
    results = Results()
    recorder = Recorder(results.on_started, results.on_finished)
    recorder.start(tmp_path / "never.wav", 4242, 44100)
    assert results.done.wait(5)
    assert results.result is not None
    assert results.result.frames == 0
    assert results.result.error and "could not be opened" in results.result.error


def test_rescan_never_restarts_portaudio_under_an_open_stream(
    virtual_mic: VirtualMic, tmp_path: Path
) -> None:
    """Pa_Terminate frees every open stream: a rescan waits for streams being closed, and
    refuses (with words for the user) while one plays; the player works again afterwards."""
    from closer_desktop.audio.devices import AudioUnavailable, rescan

    path = tmp_path / "long.wav"
    soundfile.write(path, np.full(44100 * 5, 0.1, dtype=np.float32), 44100)  # 5 s
    finished = threading.Event()
    errors: list[str] = []
    player = Player(finished.set, errors.append)
    try:
        player.load(*read_audio(path))
        player.play()
        deadline = time.monotonic() + 5
        while player.position_s < 0.2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert player.position_s >= 0.2, errors
        with pytest.raises(AudioUnavailable, match="still playing or recording"):
            rescan(wait_s=0.2)
        assert player.is_playing and not finished.is_set()  # the playing stream was left alone
        player.pause()  # its stream is closed on the player's own thread, soon after
        rescan()  # waits for that close, then restarts PortAudio
        assert list_input_devices()  # devices listed afresh
        player.seek(4.7)
        player.play()
        assert finished.wait(5), errors
        assert errors == []
    finally:
        player.close()


def test_an_earlier_takes_stream_cannot_feed_or_end_the_next_take(
    virtual_mic: VirtualMic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stream whose closing hung goes on calling back: its blocks and its end went to whatever
    take was recording then. Here the first take's stream is really left open and running
    through the second take; the second take must hold its own audio only."""
    import closer_desktop.audio.recorder as recorder_module
    from closer_desktop.audio.devices import close_stream

    kept: list[object] = []
    monkeypatch.setattr(recorder_module, "_close_stream", kept.append)  # "hangs": never closed
    index, rate = default_input()
    first = Results()
    recorder = Recorder(first.on_started, first.on_finished)
    try:
        recorder.start(tmp_path / "first.wav", index, rate)
        assert first.started.wait(5)
        time.sleep(0.3)
        recorder.stop()
        assert first.done.wait(5)
        assert len(kept) == 1 and kept[0].active  # type: ignore[attr-defined]

        second = Results()
        recorder._on_started, recorder._on_finished = second.on_started, second.on_finished
        began = time.monotonic()
        recorder.start(tmp_path / "second.wav", index, rate)
        assert second.started.wait(5)
        time.sleep(1.0)
        recorder.stop()
        assert second.done.wait(5)
        wall = time.monotonic() - began
        assert kept[0].active  # type: ignore[attr-defined]  # the old stream ran all along
    finally:
        for stream in kept:
            close_stream(stream, keep_input=True)
    result = second.result
    assert result is not None and result.error is None  # not "stopped delivering sound"
    recorded, _ = read_mono(tmp_path / "second.wav")
    # Its own second of audio, not twice as many frames from two streams.
    assert abs(len(recorded) / rate - wall) < 0.3


@pytest.mark.real_audio
def test_a_block_listener_hears_every_written_block_and_a_failing_one_is_dropped(
    virtual_mic: VirtualMic, tmp_path: Path
) -> None:
    """The interview run listens to the take as it is written (end of turn, on the writer
    thread): it gets exactly the samples of the file; a listener that fails is dropped, never
    the take."""
    speech = virtual_mic.speak(PHRASE, tmp_path / "phrase.wav")
    index, rate = default_input()
    heard: list[np.ndarray] = []
    rates: set[int] = set()

    def listen(block: np.ndarray, block_rate: int) -> None:
        heard.append(block.copy())
        rates.add(block_rate)

    results = Results()
    recorder = Recorder(results.on_started, results.on_finished)
    out = tmp_path / "take.wav"
    recorder.start(out, index, rate, listener=listen)
    assert results.started.wait(5)
    virtual_mic.play_file(speech)
    time.sleep(0.3)
    recorder.stop()
    assert results.done.wait(5) and results.result is not None and results.result.error is None
    recorded, _ = read_mono(out)
    assert rates == {rate}
    assert np.allclose(np.concatenate(heard), recorded, atol=1e-4)

    calls: list[int] = []

    def broken(block: np.ndarray, block_rate: int) -> None:
        calls.append(len(block))
        raise RuntimeError("a listener bug")

    again = Results()
    recorder = Recorder(again.on_started, again.on_finished)
    recorder.start(tmp_path / "again.wav", index, rate, listener=broken)
    assert again.started.wait(5)
    time.sleep(0.5)
    recorder.stop()
    assert again.done.wait(5) and again.result is not None and again.result.error is None
    assert len(calls) == 1 and again.result.duration_s > 0.4  # dropped after its first failure
