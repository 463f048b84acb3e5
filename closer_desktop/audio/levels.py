"""Input level maths for the meter: dB conversion, peak hold with fall-off, silence and clip flags.

Pure and time-injected, so it is tested without audio or clocks (Friture's ballistic peak idea).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FLOOR_DB = -60.0  # the bottom of the meter's scale
SILENCE_DB = -50.0  # peaks below this count as "no sound" (a quiet room sits around -60 dBFS)
SILENCE_WARN_S = 3.0
CLIP_LEVEL = 0.999  # a sample this close to full scale is taken as clipped
CLIP_SHOW_S = 2.0
HOLD_S = 1.5
FALL_DB_PER_S = 20.0


def to_db(amplitude: float) -> float:
    """Linear amplitude (full scale = 1.0) to dBFS, floored at FLOOR_DB."""
    if amplitude <= 0.0:
        return FLOOR_DB
    return max(FLOOR_DB, 20.0 * math.log10(amplitude))


@dataclass(frozen=True)
class BlockLevel:
    """Peak and RMS amplitude of one captured block (linear, full scale 1.0)."""

    peak: float
    rms: float


@dataclass(frozen=True)
class MeterReading:
    level_db: float  # RMS of the latest blocks
    peak_db: float  # the latest peak
    hold_db: float  # the held peak (falls after HOLD_S)
    silent: bool  # nothing above SILENCE_DB for SILENCE_WARN_S
    clipping: bool  # a clipped sample within the last CLIP_SHOW_S


class LevelMeter:
    """Turns a stream of block levels into what the meter shows at time `now` (seconds)."""

    def __init__(self) -> None:
        self.reset(0.0)

    def reset(self, now: float) -> None:
        self._level_db = FLOOR_DB
        self._peak_db = FLOOR_DB
        self._hold_db = FLOOR_DB
        self._hold_since = now
        self._last_sound = now
        self._last_clip = -math.inf

    def update(self, blocks: list[BlockLevel], now: float) -> MeterReading:
        if blocks:
            peak = max(b.peak for b in blocks)
            rms = math.sqrt(sum(b.rms * b.rms for b in blocks) / len(blocks))
            self._peak_db = to_db(peak)
            self._level_db = to_db(rms)
            if self._peak_db > SILENCE_DB:
                self._last_sound = now
            if peak >= CLIP_LEVEL:
                self._last_clip = now
            if self._peak_db >= self._hold_db:
                self._hold_db = self._peak_db
                self._hold_since = now
        held_for = now - self._hold_since
        if held_for > HOLD_S:
            fallen = self._hold_db - FALL_DB_PER_S * (held_for - HOLD_S)
            self._hold_db = max(fallen, self._peak_db, FLOOR_DB)
            self._hold_since = now - HOLD_S  # keep falling smoothly from here
        return MeterReading(
            level_db=self._level_db,
            peak_db=self._peak_db,
            hold_db=self._hold_db,
            silent=now - self._last_sound >= SILENCE_WARN_S,
            clipping=now - self._last_clip <= CLIP_SHOW_S,
        )
