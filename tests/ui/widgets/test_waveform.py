"""The waveform widget: seeking by mouse and keys, peaks from a real file through the disk cache,
and what it paints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio import peaks as peaks_module
from closer_desktop.audio.peaks import Peaks, cache_dir_for, compute_peaks
from closer_desktop.ui.widgets.waveform import (
    ACCENT,
    BUCKETS,
    FAILED,
    LOADING,
    PAD,
    READY,
    PeaksSource,
    WaveformView,
)

RATE = 8000


def flat_peaks(seconds: float, level: float = 0.8) -> Peaks:
    mins = np.full(BUCKETS, -level, dtype=np.float32)
    maxs = np.full(BUCKETS, level, dtype=np.float32)
    return Peaks(mins, maxs, round(seconds * RATE), RATE)


def write_take(path: Path, seconds: float = 4.0) -> Path:
    """A loud tone with a silent gap in the middle third, as 16-bit WAV."""
    t = np.arange(round(seconds * RATE)) / RATE
    samples = 0.8 * np.sin(2 * np.pi * 220 * t)
    samples[(t > seconds / 3) & (t < 2 * seconds / 3)] = 0.0
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), samples.astype(np.float32), RATE, subtype="PCM_16")
    return path


@pytest.fixture
def view(qtbot: QtBot) -> WaveformView:
    widget = WaveformView()
    qtbot.addWidget(widget)
    widget.resize(int(400 + 2 * PAD), 64)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def x_for(view: WaveformView, fraction: float) -> int:
    return round(PAD + fraction * (view.width() - 2 * PAD))


def test_click_and_drag_ask_for_the_seconds_under_the_pointer(
    qtbot: QtBot, view: WaveformView
) -> None:
    view.set_peaks(flat_peaks(10.0))
    asked: list[float] = []
    view.seek_requested.connect(asked.append)
    middle = view.height() // 2
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(x_for(view, 0.25), middle))
    qtbot.mouseMove(view, QPoint(x_for(view, 0.5), middle))
    qtbot.mouseMove(view, QPoint(x_for(view, 0.75), middle))
    qtbot.mouseMove(view, QPoint(view.width() + 50, middle))  # past the end: the end
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() + 50, middle))
    qtbot.mouseMove(view, QPoint(x_for(view, 0.1), middle))  # not dragging any more
    assert asked == pytest.approx([2.5, 5.0, 7.5, 10.0], abs=0.03)  # one pixel is 0.025 s
    assert view.position_s == pytest.approx(10.0)


def test_keys_step_five_seconds_when_the_waveform_has_focus(
    qtbot: QtBot, view: WaveformView
) -> None:
    view.set_peaks(flat_peaks(12.0))
    view.set_position(4.0)
    asked: list[float] = []
    view.seek_requested.connect(asked.append)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Home):
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert asked == [9.0, 12.0, 7.0, 0.0, 12.0]


def test_nothing_to_seek_without_a_take(qtbot: QtBot, view: WaveformView) -> None:
    asked: list[float] = []
    view.seek_requested.connect(asked.append)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x_for(view, 0.5), 30))
    assert asked == []
    assert view.accessibleDescription() == "No take"


def test_peaks_of_a_real_file_are_shown_and_match_compute_peaks(
    qtbot: QtBot, view: WaveformView, runner: TaskRunner, tmp_path: Path
) -> None:
    data_dir = tmp_path / "library"
    take = write_take(data_dir / "audio" / "take-1.wav")
    view.load(take, PeaksSource(runner, data_dir), duration_s=4.0)
    assert view.state == LOADING
    assert "loading" in view.accessibleDescription()
    qtbot.waitUntil(lambda: view.state == READY, timeout=5000)
    expected = compute_peaks(take, BUCKETS)
    assert view.peaks is not None
    np.testing.assert_array_equal(view.peaks.mins, expected.mins)
    np.testing.assert_array_equal(view.peaks.maxs, expected.maxs)
    assert view.duration_s == pytest.approx(4.0)
    assert list(cache_dir_for(data_dir).glob("*.npz"))  # kept for next time

    # Painted: the played part (the first sixth, loud) in the accent, the rest in the
    # wave colour, the silent middle third as a hairline only.
    view.set_position(2.0)
    image = view.grab().toImage()
    upper = view.height() // 2 - 12
    roles = view.palette().ColorRole
    played = image.pixel(x_for(view, 0.15), upper)
    waiting = image.pixel(x_for(view, 0.85), upper)
    silent = image.pixel(x_for(view, 0.55), upper)
    assert played == QColor(ACCENT).rgb()
    assert waiting == view.palette().color(roles.Mid).rgb()
    assert silent == view.palette().color(roles.Base).rgb()
    playhead = image.pixel(x_for(view, 0.5), 4)  # the playhead crosses the background
    assert playhead == view.palette().color(roles.WindowText).rgb()


def test_a_second_open_is_served_from_the_cache(
    qtbot: QtBot,
    runner: TaskRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "library"
    take = write_take(data_dir / "audio" / "take-1.wav")
    source = PeaksSource(runner, data_dir)
    first = WaveformView()
    qtbot.addWidget(first)
    first.load(take, source)
    qtbot.waitUntil(lambda: first.state == READY, timeout=5000)
    (entry,) = cache_dir_for(data_dir).glob("*.npz")
    written = entry.stat().st_mtime_ns

    def no_compute(path: Path, buckets: int) -> Peaks:
        raise AssertionError("peaks were computed again instead of read from the cache")

    monkeypatch.setattr(peaks_module, "compute_peaks", no_compute)
    second = WaveformView()
    qtbot.addWidget(second)
    second.load(take, source)
    qtbot.waitUntil(lambda: second.state != LOADING, timeout=5000)
    assert second.state == READY
    assert first.peaks is not None and second.peaks is not None
    np.testing.assert_array_equal(second.peaks.maxs, first.peaks.maxs)
    assert entry.stat().st_mtime_ns == written  # read, not rewritten


class HeldSource(PeaksSource):
    """Answers only when the test says so (and counts requests)."""

    def __init__(self) -> None:
        self.requests: list[tuple[Path, Callable[[Peaks], None], Callable[[BaseException], None]]]
        self.requests = []

    def request(
        self,
        path: Path,
        on_done: Callable[[Peaks], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.requests.append((path, on_done, on_error))


def test_a_late_answer_for_an_earlier_take_is_ignored(qtbot: QtBot, view: WaveformView) -> None:
    source = HeldSource()
    view.load(Path("a.wav"), source, 3.0)
    view.load(Path("b.wav"), source, 5.0)
    view.load(Path("b.wav"), source, 5.0)  # the same take again: no second request
    assert [path.name for path, _, _ in source.requests] == ["a.wav", "b.wav"]
    source.requests[0][1](flat_peaks(3.0))
    assert view.state == LOADING and view.peaks is None
    assert view.duration_s == 5.0
    source.requests[1][1](flat_peaks(5.0))
    assert view.state == READY and view.path == Path("b.wav")


def test_an_unreadable_take_says_so(qtbot: QtBot, view: WaveformView) -> None:
    source = HeldSource()
    view.load(Path("gone.wav"), source, 3.0)
    source.requests[0][2](OSError("The audio file is missing: gone.wav"))
    assert view.state == FAILED
    assert "missing" in view.toolTip()
    assert view.accessibleDescription() == "No waveform for this take"


def test_resizing_reuses_the_fetched_peaks(qtbot: QtBot, view: WaveformView) -> None:
    source = HeldSource()
    view.load(Path("a.wav"), source, 3.0)
    peaks = flat_peaks(3.0)
    source.requests[0][1](peaks)
    for width in (200, 900, 3000):  # narrower and wider than the bucket count
        view.resize(width, 64)
        image = view.grab().toImage()
        background = view.palette().color(view.palette().ColorRole.Base).rgb()
        assert image.pixel(width // 2, view.height() // 2 - 10) != background
    assert len(source.requests) == 1 and view.peaks is peaks
