"""The feedback panel as coaching: tiles with a plain value, a verdict in words and colour and a
tip; the next take's change; the raw figures behind Details; a height that does not change with
the take. Driven with real metrics dicts: from the analyser on real samples, and in its JSON
shape from tests/support/delivery.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from closer_desktop.analysis.metrics import analyse
from closer_desktop.domain import coaching
from closer_desktop.domain.coaching import Aspect
from closer_desktop.paths import resource_path
from closer_desktop.ui.design import DARK, LIGHT
from closer_desktop.ui.launch import create_app
from closer_desktop.ui.theme import BASE_STYLE_SHEET, apply_theme
from closer_desktop.ui.widgets.feedback import FeedbackPanel
from tests.support.delivery import delivery_metrics

RATE = 16000


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The application with Closer's style sheet, as launch.create_app leaves it; restored after."""
    app = create_app()
    before = app.property(BASE_STYLE_SHEET), QPalette(app.palette()), app.styleSheet()
    app.setProperty(BASE_STYLE_SHEET, resource_path("styles", "closer.qss").read_text("utf-8"))
    yield app
    app.setProperty(BASE_STYLE_SHEET, before[0])
    app.setPalette(before[1])
    app.setStyleSheet(before[2])


def silent_take() -> dict[str, Any]:
    """Two seconds of nothing, analysed for real (an accidental take)."""
    return analyse(np.zeros(2 * RATE, np.float32), RATE, transcribe=False).to_json()


def hum_take() -> dict[str, Any]:
    """A steady 200 Hz hum with a long gap, analysed for real without a transcript: loud enough,
    as flat as a voice can be, one long pause."""
    t = np.arange(RATE) / RATE
    tone = (0.2 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    audio = np.concatenate([tone, tone, np.zeros(3 * RATE, np.float32), tone])
    return analyse(audio, RATE, transcribe=False).to_json()


def very_fast_take() -> dict[str, Any]:
    return delivery_metrics(wpm=258, fillers=6, pause_s=0.5, pitch=4.0, speaking_s=30.0)


def good_take() -> dict[str, Any]:
    return delivery_metrics(wpm=128, fillers=1, pause_s=1.0, pitch=3.5, speaking_s=45.0)


def texts(panel: FeedbackPanel, aspect: Aspect) -> tuple[str, str, str]:
    tile = panel.tiles[aspect]
    return tile.value.text(), tile.verdict.text(), tile.tip.text()


def shown(qtbot: QtBot, width: int = 760) -> FeedbackPanel:
    panel = FeedbackPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 400)
    panel.show_take(1)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_a_very_fast_take_with_many_fillers(qtbot: QtBot) -> None:
    panel = shown(qtbot)
    panel.show_metrics(1, very_fast_take())
    assert texts(panel, Aspect.PACE) == (
        "258 words a minute",
        "▲ Work on it",
        "Much too fast: hard to follow.",
    )
    assert texts(panel, Aspect.FILLERS) == (
        "6 fillers",
        "▲ Work on it",
        "Many fillers: a silent pause sounds surer.",
    )
    assert texts(panel, Aspect.PITCH) == ("lively", "✓ Good", "Good: a lively, engaged voice.")
    assert panel.summary.text() == (
        "Next take: slow right down, to under 165 words a minute: one point, then a breath."
    )
    assert panel.tiles[Aspect.PACE].accessibleName() == (
        "Pace: 258 words a minute, work on it. Much too fast: hard to follow."
    )


def test_a_good_take_is_said_to_be_good(qtbot: QtBot) -> None:
    panel = shown(qtbot)
    panel.show_metrics(1, good_take())
    assert texts(panel, Aspect.PACE) == (
        "128 words a minute",
        "✓ Good",
        "Good pace: easy to follow.",
    )
    assert texts(panel, Aspect.FILLERS) == ("1 filler", "✓ Good", "Good: too few to notice.")
    assert texts(panel, Aspect.LOUDNESS) == ("clear", "✓ Good", "Good: clear and easy to hear.")
    assert panel.summary.text() == coaching.KEEP_NEXT


def test_a_take_without_a_transcript(qtbot: QtBot) -> None:
    panel = shown(qtbot)
    metrics = hum_take()
    assert metrics["transcribed"] is False and metrics["long_pause_count"] == 1
    panel.show_metrics(1, metrics)
    for aspect in (Aspect.PACE, Aspect.FILLERS):
        assert texts(panel, aspect) == ("–", "Not measured", "Needs speech recognition.")
    assert texts(panel, Aspect.PAUSES) == (
        "1 pause",
        "● Watch",
        "One pause ran long: it can read as lost.",
    )
    assert texts(panel, Aspect.PITCH)[0] == "flat"
    assert panel.summary.text().startswith("Next take: let your voice rise and fall")
    assert panel.fillers.text() == "not measured: needs speech recognition"


def test_a_silent_take(qtbot: QtBot) -> None:
    panel = shown(qtbot)
    metrics = silent_take()
    assert metrics["speaking_time_s"] == 0 and metrics["speech_level_dbfs"] is None
    panel.show_metrics(1, metrics)
    assert all(tile.verdict.text() == "Not measured" for tile in panel.tiles.values())
    assert texts(panel, Aspect.LOUDNESS) == (
        "no speech heard",
        "Not measured",
        "Check the microphone.",
    )
    assert panel.summary.text() == coaching.SILENT_NEXT
    assert panel.detail_rows["Loudness"].text() == "no speech heard"
    assert panel.detail_rows["Pauses"].text() == "none"


def test_details_are_collapsed_and_the_height_does_not_change_with_the_take(
    qtbot: QtBot,
) -> None:
    panel = shown(qtbot)
    heights = []
    for metrics in (good_take(), very_fast_take(), silent_take(), hum_take(), good_take()):
        panel.show_metrics(1, metrics)
        QApplication.processEvents()
        assert not panel.details.isVisible() and not panel.details_button.isChecked()
        heights.append(panel.sizeHint().height())
    panel.show_take(1)  # the next take selected, its feedback not in yet
    panel.show_analysing(1)
    QApplication.processEvents()
    heights.append(panel.sizeHint().height())
    assert len(set(heights)) == 1, heights

    panel.details_button.click()  # opening the details adds their rows, and only then
    QApplication.processEvents()
    assert panel.details.isVisible()
    assert "dBFS" in panel.detail_rows["Loudness"].text()  # the raw figures are here
    assert panel.sizeHint().height() > heights[0]
    panel.details_button.click()
    QApplication.processEvents()
    assert panel.sizeHint().height() == heights[0]


@pytest.mark.parametrize("width", [1240, 760, 460, 200])
def test_no_text_is_cut_at_any_width(qtbot: QtBot, width: int) -> None:
    """Each label has the room of the longest thing it can say at its width: whatever take is
    shown, every line of it is inside the label (a tile reflows into fewer columns)."""
    panel = shown(qtbot, width)
    takes = [very_fast_take(), good_take(), silent_take(), hum_take()]
    takes += [delivery_metrics(wpm=70, fillers=9, pause_s=6.0, pitch=0.5, speaking_s=60.0)]
    for metrics in takes:
        panel.show_metrics(1, {**metrics, "speech_level_dbfs": -40.0})
        panel.show_metrics(1, metrics)
        QApplication.processEvents()
        labels = [panel.summary] + [
            label
            for tile in panel.tiles.values()
            for label in (tile.name, tile.value, tile.verdict, tile.tip)
        ]
        for label in labels:
            needed = label.heightForWidth(label.width())
            assert needed <= label.height(), (width, label.objectName(), label.text())
    grid = [panel.tiles[a].geometry() for a in coaching.ASPECTS]
    rows = len({rect.top() for rect in grid})
    assert rows == {1240: 1, 760: 1, 460: 2, 200: 5}[width]
    assert all(r.right() <= panel.width() for r in grid)


@pytest.mark.parametrize(("theme", "palette"), [("light", LIGHT), ("dark", DARK)])
def test_verdicts_are_coloured_from_the_design_tokens(
    app: QApplication, qtbot: QtBot, theme: str, palette: Any
) -> None:
    apply_theme(app, theme)
    panel = shown(qtbot)
    panel.show_metrics(1, very_fast_take())

    def colour(label: QLabel) -> str:
        label.ensurePolished()
        return label.palette().color(QPalette.ColorRole.WindowText).name()

    assert colour(panel.tiles[Aspect.PACE].verdict) == palette.work
    assert colour(panel.tiles[Aspect.PITCH].verdict) == palette.good
    panel.show_metrics(1, {**very_fast_take(), "pitch_spread_semitones": 1.5})
    assert colour(panel.tiles[Aspect.PITCH].verdict) == palette.watch
    assert panel.tiles[Aspect.PITCH].property("verdict") == "watch"
    apply_theme(app, "light")
