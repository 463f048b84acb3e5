"""Figures in words, as the app and the report both say them."""

from __future__ import annotations

import pytest

from closer_desktop.domain.text import counted, first_to_recent, ratings_in_words, shorten


@pytest.mark.parametrize(
    ("number", "noun", "said"),
    [
        (0, "take", "0 takes"),
        (1, "pause", "1 pause"),
        (2, "pause", "2 pauses"),
        (1, "audio file", "1 audio file"),
        (12, "analysed take", "12 analysed takes"),
    ],
)
def test_counted(number: int, noun: str, said: str) -> None:
    assert counted(number, noun) == said


def test_shorten_cuts_at_a_word_and_marks_the_cut() -> None:
    text = "Why should we hire you rather than someone else?"
    assert shorten(text, len(text)) == text  # fits: unchanged
    assert shorten(text, 20) == "Why should we hire…"
    assert len(shorten(text, 20)) <= 20
    assert shorten("Supercalifragilistic", 10) == "Supercali…"  # one long word: cut inside it


def test_ratings_in_words() -> None:
    assert ratings_in_words(4, 3) == "professionalism 4, clarity 3"
    assert ratings_in_words(None, 5) == "professionalism not rated, clarity 5"
    assert ratings_in_words(None, None) == "not rated yet"


def test_first_to_recent() -> None:
    assert first_to_recent(2.5, 4.0, 5) == "2.5 → 4 (5)"
    assert first_to_recent(11 / 3, 11 / 3, 4) == "3.7 → 3.7 (4)"
    assert first_to_recent(None, None, None) == "–"  # never rated on this scale
