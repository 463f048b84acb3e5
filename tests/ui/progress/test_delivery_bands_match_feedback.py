"""Each shaded band of the Progress delivery chart has the verdict the take's feedback gives a
figure inside it (domain.delivery): a pitch spread of 1.5 semitones is "a little flat" (watch) on
the feedback tile and in History, so its band is shaded in the watch colour, not as flat."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from closer_desktop.domain.delivery import (
    Verdict,
    fillers_verdict,
    pace_verdict,
    pitch_verdict,
)
from closer_desktop.ui.design import PALETTES
from closer_desktop.ui.progress.charts import MEASURES, DeliveryChart, Measure
from closer_desktop.ui.theme import light_palette
from tests.ui.progress.test_chart_look import sessions, shaded

# How the feedback judges one take's figure; fillers as a rate over a minute of speech.
JUDGED: dict[str, Callable[[float], Verdict]] = {
    "words_per_minute": pace_verdict,
    "fillers_per_minute": lambda rate: fillers_verdict(round(rate * 10), 600.0),
    "pitch_spread_semitones": pitch_verdict,
}


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.key)
def test_each_band_has_the_feedbacks_verdict(measure: Measure) -> None:
    judged = JUDGED[measure.key]
    for band in measure.bands:
        inside = [band.low + (band.high - band.low) * share for share in (0.1, 0.5, 0.9)]
        assert {judged(value) for value in inside} == {band.verdict}, band.name


def test_the_pitch_chart_shades_a_little_flat_in_the_watch_colour(qtbot: QtBot) -> None:
    tokens = PALETTES["light"]
    chart = DeliveryChart()
    qtbot.addWidget(chart)
    chart.apply_palette(light_palette(chart.palette()))
    pitch = next(m for m in MEASURES if m.key == "pitch_spread_semitones")
    chart.show_points(sessions([1.5, 3.0]), pitch)
    colours = {(low, high): colour for low, high, colour, _, _ in shaded(chart)}
    assert colours == {(0.0, 1.0): tokens.work, (1.0, 2.0): tokens.watch}
