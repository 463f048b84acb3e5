"""The hint ladder of a line said from memory."""

from __future__ import annotations

from closer_desktop.domain.recall import FIRST_WORDS, HIDDEN, KEY_WORDS, WHOLE_LINE, hint

LINE = "What are the next steps in the hiring process?"
KEYS = ("next steps", "hiring process")


def test_each_step_gives_away_more() -> None:
    assert hint(LINE, KEYS, HIDDEN) == ""
    assert hint(LINE, KEYS, FIRST_WORDS) == "What are the\u2026"
    assert hint(LINE, KEYS, KEY_WORDS) == "_ _ _ next steps _ _ hiring process?"
    assert hint(LINE, KEYS, WHOLE_LINE) == LINE


def test_without_key_phrases_the_long_words_show() -> None:
    shown = hint("Thank you for your time today.", (), KEY_WORDS)
    assert shown == "Thank _ _ _ time today."


def test_key_phrases_match_whatever_their_case_and_apostrophes() -> None:
    line = "I\u2019d love to be the person you hire."
    assert hint(line, ("the person you hire",), KEY_WORDS) == "_ _ _ _ the person you hire."
