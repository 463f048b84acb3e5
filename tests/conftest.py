"""Shared fixtures. Every test runs with private config/data folders and no real sound server.

At import (before anything imports sounddevice) the environment is pointed at temp folders and
at a PulseAudio socket that does not exist, with autospawn off: PortAudio then sees no devices
("no microphone"), and nothing touches the real home folder. Tests that record use the
`virtual_mic` fixture, which starts a private PulseAudio daemon and rescans devices.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_SANDBOX = Path(tempfile.mkdtemp(prefix="closer-tests-"))
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_SANDBOX / _name.lower())
_CLIENT_CONF = _SANDBOX / "pulse-client.conf"
_CLIENT_CONF.write_text("autospawn = no\n")
os.environ["PULSE_SERVER"] = f"unix:{_SANDBOX}/no-sound-server"
os.environ["PULSE_CLIENTCONFIG"] = str(_CLIENT_CONF)
os.environ["PULSE_COOKIE"] = str(_SANDBOX / "pulse-cookie")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from closer_desktop.audio import devices  # noqa: E402
from tests.support.fixtures import (  # noqa: E402, F401
    disposable_mic,
    library_service,
    open_window,
    player,
    real_clips,
    recognizer,
    runner,
)
from tests.support.virtual_mic import VirtualMic, VirtualMicUnavailable  # noqa: E402

SPEECH_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"


@pytest.fixture(scope="session")
def virtual_mic() -> Iterator[VirtualMic]:
    """A running virtual microphone (PulseAudio null sink). Under CI=true, failing to start fails."""
    mic = VirtualMic()
    try:
        mic.start()
    except VirtualMicUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the virtual microphone is required under CI and did not start: {exc}")
        pytest.skip(f"no virtual microphone here: {exc}")
    devices.rescan()
    try:
        yield mic
    finally:
        mic.stop()
        devices.rescan()


@pytest.fixture(autouse=True)
def no_stream_left_open() -> Iterator[None]:
    """Every PortAudio stream a test opened is closed by its end (players and windows closed):
    one left open would make every later rescan refuse, and hide a leak in the app."""
    yield
    with devices._streams:
        closed = devices._streams.wait_for(
            lambda: not devices._open_streams and not devices._opening, 3.0
        )
        left = len(devices._open_streams)
    assert closed, f"{left} audio stream(s) left open by this test"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    if not SPEECH_DIR.is_dir():
        pytest.skip(f"the shared speech clips are not here ({SPEECH_DIR})")
    return SPEECH_DIR


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A factory: tmpfs(size_bytes) mounts a real small file system for this test (root only)."""
    from tests.support.filesystems import FilesystemUnavailable, mount_tmpfs, remount, unmount

    mounted: list[Path] = []

    def factory(size_bytes: int) -> Path:
        try:
            where = mount_tmpfs(tmp_path / f"fs{len(mounted)}", size_bytes)
        except FilesystemUnavailable as exc:
            pytest.skip(f"no small file system here: {exc}")
        mounted.append(where)
        return where

    yield factory
    for where in mounted:
        with contextlib.suppress(Exception):
            remount(where, read_only=False)
        unmount(where)
