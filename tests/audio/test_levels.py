from __future__ import annotations

import pytest

from closer_desktop.audio.levels import (
    FLOOR_DB,
    HOLD_S,
    BlockLevel,
    LevelMeter,
    to_db,
)


def test_db_conversion() -> None:
    assert to_db(1.0) == 0.0
    assert to_db(0.5) == pytest.approx(-6.02, abs=0.01)
    assert to_db(0.0) == FLOOR_DB
    assert to_db(1e-9) == FLOOR_DB


def test_peak_is_held_then_falls() -> None:
    meter = LevelMeter()
    meter.reset(0.0)
    loud = meter.update([BlockLevel(0.5, 0.2)], 0.0)
    assert loud.hold_db == pytest.approx(-6.02, abs=0.01)
    quiet = meter.update([BlockLevel(0.01, 0.005)], HOLD_S - 0.1)
    assert quiet.hold_db == pytest.approx(-6.02, abs=0.01)  # still held
    later = meter.update([BlockLevel(0.01, 0.005)], HOLD_S + 1.0)
    assert -40.0 < later.hold_db < -6.5  # falling, not yet down to the current peak
    much_later = meter.update([BlockLevel(0.01, 0.005)], HOLD_S + 10.0)
    assert much_later.hold_db == pytest.approx(-40.0, abs=0.01)


def test_silence_warning_after_three_seconds_of_nothing() -> None:
    meter = LevelMeter()
    meter.reset(0.0)
    assert not meter.update([BlockLevel(0.0, 0.0)], 2.9).silent
    assert meter.update([BlockLevel(0.0, 0.0)], 3.0).silent
    assert not meter.update([BlockLevel(0.2, 0.05)], 3.1).silent  # speech clears it
    assert meter.update([BlockLevel(0.001, 0.0005)], 6.2).silent  # room noise is not speech


def test_clipping_is_flagged_for_a_while() -> None:
    meter = LevelMeter()
    meter.reset(0.0)
    assert not meter.update([BlockLevel(0.9, 0.3)], 0.1).clipping
    assert meter.update([BlockLevel(1.0, 0.5)], 0.2).clipping
    assert meter.update([BlockLevel(0.3, 0.1)], 1.5).clipping
    assert not meter.update([BlockLevel(0.3, 0.1)], 2.5).clipping
