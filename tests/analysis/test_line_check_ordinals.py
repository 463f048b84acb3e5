"""Ordinals written as digits ("2nd", "21st") are the words said for them ("second", "twenty
first"): the line check, and the line marked as written, count them as said, whichever way the
transcript writes them."""

from __future__ import annotations

import pytest

from closer_desktop.analysis.line_check import check_line, line_tokens, words_of

LINE = "Is the 2nd round on the 21st, or the 3rd?"


@pytest.mark.parametrize(
    "said",
    [
        "is the second round on the twenty first or the third",
        "Is the 2nd round on the 21st, or the 3rd?",
        "is the second round on the twenty-first or the third",
    ],
)
def test_ordinals_written_as_digits_are_said_as_words(said: str) -> None:
    match = check_line(said, LINE)
    tokens = line_tokens(match, LINE)
    assert tokens is not None
    assert [(t.text, t.kind) for t in tokens] == [(w, "said") for w in LINE.split()]


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("1st", ["first"]),
        ("2nd", ["second"]),
        ("3rd", ["third"]),
        ("4th", ["fourth"]),
        ("5th", ["fifth"]),
        ("8th", ["eighth"]),
        ("9th", ["ninth"]),
        ("12th", ["twelfth"]),
        ("20th", ["twentieth"]),
        ("90th", ["ninetieth"]),
        ("101st", ["one", "hundred", "first"]),
        ("1,000th", ["one", "thousandth"]),
        ("2nd-round", ["second", "round"]),
    ],
)
def test_ordinal_words(written: str, words: list[str]) -> None:
    assert words_of(written) == words
