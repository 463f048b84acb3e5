"""Issue 19, "one value everywhere": a take of a few words shows no pace on its tile, so its
Details must not show the raw pace (240 from four words in a second) either."""

from __future__ import annotations

from closer_desktop.domain.coaching import FEW_WORDS_DETAIL, NOT_MEASURED, Aspect, details, tiles
from tests.support.delivery import delivery_metrics


def test_details_of_a_few_word_take_say_too_few_words_like_the_tile() -> None:
    metrics = delivery_metrics(wpm=240, speaking_s=1.0)  # four words in a second
    assert len(metrics["words"]) == 4 and metrics["words_per_minute"] == 240
    (pace,) = [t for t in tiles(metrics) if t.aspect is Aspect.PACE]
    assert pace.value == NOT_MEASURED
    row = dict(details(metrics))["Pace"]
    assert row == FEW_WORDS_DETAIL == "too few words to judge the pace"
    assert "240" not in row


def test_details_of_five_words_show_the_pace_the_tile_shows() -> None:
    metrics = delivery_metrics(wpm=240, speaking_s=1.25)  # five words: enough to judge
    assert len(metrics["words"]) == 5
    (pace,) = [t for t in tiles(metrics) if t.aspect is Aspect.PACE]
    assert dict(details(metrics))["Pace"].startswith(f"{pace.value}, first word to last")
