"""Issue 19, "one value, one wording": a pitch spread of 1 to 2 semitones is "a little flat" on
the feedback tile, so it must read the same in History's cell and tooltip, on Progress's chart
bands and caption, and in the HTML report, never "a bit flat" or "monotone"."""

from __future__ import annotations

from closer_desktop.domain.coaching import Aspect, tiles
from closer_desktop.domain.delivery import PITCH_BANDS, Delivery, Verdict, pitch_words
from closer_desktop.ui.history.view import PITCH_COLUMN, _delivery_text, _delivery_tip
from closer_desktop.ui.progress.charts import MEASURES
from closer_desktop.ui.progress.view import _delivery_caption


def _tile_value(spread: float) -> str:
    pitch = [t for t in tiles({"pitch_spread_semitones": spread}) if t.aspect is Aspect.PITCH]
    return pitch[0].value


def test_history_cell_and_tooltip_use_the_tiles_words() -> None:
    for spread, words in ((0.5, "flat"), (1.4, "a little flat"), (3.0, "lively")):
        assert _tile_value(spread) == words == pitch_words(spread)
        delivery = Delivery(pitch_spread_semitones=spread)
        assert _delivery_text(delivery, PITCH_COLUMN) == words
        tip = _delivery_tip(delivery, PITCH_COLUMN)
        assert f"semitones: {words} (" in tip
        assert "monotone" not in tip and "bit" not in tip


def test_progress_bands_and_caption_use_the_tiles_words() -> None:
    (pitch,) = [m for m in MEASURES if m.key == "pitch_spread_semitones"]
    names = {band.verdict: band.name for band in pitch.bands}
    assert names[Verdict.WORK].startswith("Flat (")
    assert names[Verdict.WATCH].startswith("A little flat (")
    assert PITCH_BANDS in _delivery_caption("pitch_spread_semitones")
    assert "a little flat" in PITCH_BANDS and "monotone" not in PITCH_BANDS
