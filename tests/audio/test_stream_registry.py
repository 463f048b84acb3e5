"""The register of open PortAudio streams that keeps a rescan from restarting PortAudio under one.

A frozen sound server (a stream whose stop or open never returns) cannot be produced here, so
these tests register stand-in streams that block on an event; the real streams are covered by
the rescan tests in test_recorder.py and by the check after every test (tests/conftest.py).
"""

from __future__ import annotations

import threading
import time

import pytest

from closer_desktop.audio import devices


class StuckStream:
    """Stops only once `release` is set, like a stream on a sound server that froze."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.closed = False

    def stop(self) -> None:
        self.release.wait(10)

    def abort(self) -> None:
        self.release.wait(10)

    def close(self) -> None:
        self.closed = True


def test_a_stream_that_hangs_while_closing_is_named_as_a_frozen_device(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(devices, "HUNG_CLOSE_S", 0.1)
    stream = devices.open_stream(StuckStream)
    closing = threading.Thread(target=devices.close_stream, args=(stream,), daemon=True)
    closing.start()
    try:
        time.sleep(0.15)
        with pytest.raises(devices.AudioBusy, match="stopped responding"):
            devices.rescan(wait_s=0.1)
    finally:
        stream.release.set()
        closing.join(5)
    assert stream.closed and not devices._open_streams  # let go once it did close


def test_a_stream_still_open_is_named_as_sound_in_use() -> None:
    stream = devices.open_stream(StuckStream)
    try:
        with pytest.raises(devices.AudioBusy, match="still playing or recording"):
            devices.rescan(wait_s=0.1)
    finally:
        stream.release.set()
        devices.close_stream(stream)


def test_an_open_that_hangs_never_blocks_a_rescan_beyond_its_wait() -> None:
    """Opening happens outside the register's lock: a rescan gives up after its wait."""
    release = threading.Event()

    def stuck_open() -> StuckStream:
        release.wait(10)
        stream = StuckStream()
        stream.release.set()
        return stream

    opened: list[StuckStream] = []
    opener = threading.Thread(target=lambda: opened.append(devices.open_stream(stuck_open)))
    opener.start()
    try:
        time.sleep(0.1)
        began = time.monotonic()
        with pytest.raises(devices.AudioBusy):
            devices.rescan(wait_s=0.2)
        assert time.monotonic() - began < 2.0
    finally:
        release.set()
        opener.join(5)
        for stream in opened:
            devices.close_stream(stream)
