"""What each rating sounds like: an anchor for every level of both scales.

A self-rating with no anchor drifts (is today's 4 yesterday's 3?), so each level says what it
sounds like in the room. The rating buttons show them on hover, the keyboard help and the
README's rating section list them; one wording, here.
"""

from __future__ import annotations

from closer_desktop.domain.practice import RATING_MAX, RATING_MIN, RatingScale

ANCHORS: dict[RatingScale, dict[int, str]] = {
    RatingScale.PROFESSIONALISM: {
        1: "Apologetic or awkward: hedges, says sorry, sounds unsure it may ask",
        2: "Polite but tentative: the words are right, the voice asks permission",
        3: "Courteous and steady: would pass in the room, nothing stands out",
        4: "Warm and composed: sounds like a peer, a small hedge at most",
        5: "Poised, warm and confident: asks as an equal and owns the silence after",
    },
    RatingScale.CLARITY: {
        1: "Hard to follow: rushed or mumbled, the point is lost",
        2: "Followable with effort: fillers, restarts or a run-on sentence",
        3: "Clear enough: the point comes through, a word or two blurred",
        4: "Clear and well paced: every word heard, one slip at most",
        5: "Every word clear, well paced, the point lands at once",
    },
}


def anchor(scale: RatingScale, value: int) -> str:
    """What `value` on `scale` sounds like."""
    return ANCHORS[scale][value]


def anchors_text(scale: RatingScale) -> str:
    """Every level of `scale`, one a line: '1 – Apologetic or awkward: …'."""
    return "\n".join(
        f"{value} – {anchor(scale, value)}" for value in range(RATING_MIN, RATING_MAX + 1)
    )


def anchor_summary(scale: RatingScale) -> str:
    """Levels 1, 3 and 5 in short ('1 apologetic or awkward · 3 courteous and steady · …'): the
    words before each anchor's colon, for a help text with no room for all five."""
    short = (anchor(scale, value).split(":", 1)[0].lower() for value in (1, 3, 5))
    return " · ".join(f"{value} {text}" for value, text in zip((1, 3, 5), short, strict=True))
