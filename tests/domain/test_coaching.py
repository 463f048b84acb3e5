"""A take's delivery as coaching: the tiles' values, verdicts and tips, the "Next take" rule and
the raw figures, from real metrics dicts (analysis.metrics.Metrics.to_json via
tests/support/delivery.py)."""

from __future__ import annotations

from typing import Any

import pytest

from closer_desktop.domain import coaching
from closer_desktop.domain.coaching import Aspect, Tile, details, next_take, tiles, whole
from closer_desktop.domain.delivery import Verdict
from tests.support.delivery import delivery_metrics


def by_aspect(metrics: dict[str, Any]) -> dict[Aspect, Tile]:
    return {t.aspect: t for t in tiles(metrics)}


def test_a_good_take_is_told_so_in_every_tile() -> None:
    shown = by_aspect(delivery_metrics(wpm=128, fillers=0, pause_s=1.0, pitch=4.0))
    assert [t.aspect for t in shown.values()] == list(coaching.ASPECTS)
    assert {t.verdict for t in shown.values()} == {Verdict.GOOD}
    assert shown[Aspect.PACE].value == "128 words a minute"
    assert shown[Aspect.PACE].tip == "Good pace: easy to follow."
    assert shown[Aspect.FILLERS].value == "no fillers"
    assert shown[Aspect.PAUSES].value == "1 pause"
    assert (shown[Aspect.PITCH].value, shown[Aspect.LOUDNESS].value) == ("lively", "clear")
    assert all(t.tip.startswith("Good") and t.change is None for t in shown.values())
    assert next_take(list(shown.values())) == coaching.KEEP_NEXT


def test_a_little_fast_and_much_too_fast_are_worded_apart() -> None:
    a_little = by_aspect(delivery_metrics(wpm=170))[Aspect.PACE]
    much = by_aspect(delivery_metrics(wpm=258))[Aspect.PACE]
    assert (a_little.verdict, much.verdict) == (Verdict.WATCH, Verdict.WORK)
    assert a_little.tip.startswith("A little fast") and much.tip.startswith("Much too fast")
    assert much.value == "258 words a minute"
    slow = by_aspect(delivery_metrics(wpm=70))[Aspect.PACE]
    assert slow.verdict is Verdict.WORK and slow.tip.startswith("Much too slow")


def test_six_fillers_in_thirty_seconds_are_worth_working_on() -> None:
    shown = by_aspect(delivery_metrics(wpm=140, fillers=6, speaking_s=30.0))[Aspect.FILLERS]
    assert (shown.value, shown.verdict) == ("6 fillers", Verdict.WORK)
    one = by_aspect(delivery_metrics(wpm=140, fillers=1, speaking_s=60.0))[Aspect.FILLERS]
    assert (one.value, one.verdict, one.tip) == (
        "1 filler",
        Verdict.GOOD,
        "Good: too few to notice.",
    )


@pytest.mark.parametrize(
    ("figures", "first"),
    [
        # work on it beats watch, whatever the aspect
        ({"wpm": 170, "pitch": 0.5}, Aspect.PITCH),
        # equal severity: pace before fillers before pauses before pitch before loudness
        ({"wpm": 258, "fillers": 12, "speaking_s": 60.0}, Aspect.PACE),
        ({"wpm": 140, "fillers": 12, "speaking_s": 60.0, "pitch": 0.5}, Aspect.FILLERS),
        ({"wpm": 140, "pause_s": 2.6, "pitch": 1.5}, Aspect.PAUSES),
        ({"wpm": 140, "pitch": 1.5, "level": -33.0}, Aspect.PITCH),
        ({"wpm": 140, "level": -40.0, "fillers": 4, "speaking_s": 60.0}, Aspect.LOUDNESS),
    ],
)
def test_next_take_names_the_single_most_useful_change(
    figures: dict[str, float], first: Aspect
) -> None:
    level = figures.pop("level", -20.0)
    metrics = {**delivery_metrics(**figures), "speech_level_dbfs": level}  # type: ignore[arg-type]
    shown = tiles(metrics)
    chosen = next(t for t in shown if t.aspect is first)
    sentence = next_take(shown, metrics)
    assert sentence == f"Next take: {chosen.change}."
    assert sentence in coaching.NEXT_TAKES


def test_the_next_take_sentences_say_what_to_do() -> None:
    fast = tiles(delivery_metrics(wpm=258))
    assert next_take(fast) == (
        "Next take: slow right down, to under 165 words a minute: one point, then a breath."
    )
    quiet = tiles({**delivery_metrics(), "speech_level_dbfs": -40.0})
    assert next_take(quiet) == (
        "Next take: move closer to the microphone, or raise its input level."
    )


def test_a_take_without_a_transcript_judges_what_it_can() -> None:
    metrics = {**delivery_metrics(wpm=None), "transcript_note": "Install speech recognition"}
    shown = by_aspect(metrics)
    for aspect in (Aspect.PACE, Aspect.FILLERS):
        assert shown[aspect].verdict is None
        assert shown[aspect].value == coaching.NOT_MEASURED
        assert shown[aspect].tip == "Needs speech recognition."
    assert shown[Aspect.PITCH].verdict is Verdict.GOOD
    assert next_take(list(shown.values()), metrics) == coaching.KEEP_NEXT
    assert dict(details(metrics))["Pace"] == "Needs speech recognition."


def test_a_silent_take_asks_to_check_the_microphone() -> None:
    """An accidental or muted take: nothing measured, nothing called good."""
    metrics = {
        **delivery_metrics(wpm=None, pitch=None),
        "duration_s": 2.0,
        "speaking_time_s": 0.0,
        "pauses": [],
        "pause_count": 0,
        "longest_pause_s": 0.0,
        "speech_level_dbfs": None,
        "peak_dbfs": None,
        "transcribed": True,
        "transcript": "",
    }
    shown = by_aspect(metrics)
    assert all(t.verdict is None for t in shown.values())
    assert shown[Aspect.PACE].tip == "No words heard."
    assert shown[Aspect.LOUDNESS].value == "no speech heard"
    assert next_take(list(shown.values()), metrics) == coaching.SILENT_NEXT
    assert dict(details(metrics))["Loudness"] == "no speech heard"


def test_too_few_words_are_no_pace() -> None:
    metrics = delivery_metrics(wpm=240, speaking_s=1.0)  # four words in a second
    assert len(metrics["words"]) == 4
    pace = by_aspect(metrics)[Aspect.PACE]
    assert (pace.verdict, pace.tip) == (None, "Too few words to judge the pace.")


def test_details_have_the_raw_figures_counted_right_and_never_minus_zero() -> None:
    metrics = {
        **delivery_metrics(wpm=212.5, pause_s=2.6),
        "speech_level_dbfs": -20.4,
        "peak_dbfs": -0.3,
        "clipped_fraction": 0.0002,
    }
    rows = dict(details(metrics))
    assert rows["Pauses"] == "1 pause, longest 2.6 s; 1 of 2.5 s or more"
    assert rows["Loudness"].startswith("speech -20 dBFS, peak 0 dBFS")
    assert "-0" not in rows["Loudness"] and rows["Loudness"].endswith("; 0.02% at full scale")
    assert rows["Pace"].startswith(f"{by_aspect(metrics)[Aspect.PACE].value}, first word to last")
    assert rows["Pitch"] == "varies by 4.0 semitones (lively: 2 or more)"
    assert [whole(-0.04, 1), whole(-0.4), whole(-0.6), whole(3.25, 1)] == ["0.0", "0", "-1", "3.2"]


def test_every_sentence_a_tile_can_say_is_listed_for_the_panel() -> None:
    """The panel reserves room for the longest of TIPS and NEXT_TAKES: a tip missing from them
    could be cut or make the page jump."""
    samples = [
        delivery_metrics(wpm=w, fillers=f, pause_s=p, pitch=pitch, speaking_s=s)
        for w in (None, 60, 90, 128, 170, 258)
        for f, s in ((0, 60.0), (1, 60.0), (4, 60.0), (9, 60.0), (3, 1.0))
        for p in (0.0, 2.6, 6.0)
        for pitch in (None, 0.5, 1.5, 4.0)
    ]
    loudness = [
        {"speech_level_dbfs": v, "clipped_fraction": c}
        for v in (-20.0, -33.0, -40.0, None)
        for c in (0.0, 0.001)
    ]
    silent: dict[str, Any] = {
        "speaking_time_s": 0.0,
        "speech_level_dbfs": None,
        "words": [],
        "fillers": [],
    }
    said = set()
    for metrics in [*samples, {**delivery_metrics(), **silent}]:
        for level in loudness:
            m = {**metrics, **level}
            shown = tiles(m)
            said |= {t.tip for t in shown}
            assert next_take(shown, m) in coaching.NEXT_TAKES
            assert all(len(t.value) <= max(map(len, coaching.VALUES)) for t in shown)
    assert said == set(coaching.TIPS)
