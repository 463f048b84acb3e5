"""A pause the recogniser heard words through is not a pause (transcribe.unspoken_pauses): a
hoarse voice can be as quiet as the room, and the level alone split its words."""

from __future__ import annotations

from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.transcribe import Word, unspoken_pauses

PAUSES = (Interval(6.39, 6.94), Interval(9.0, 9.9), Interval(22.15, 22.66))


def test_a_pause_mostly_under_words_is_dropped() -> None:
    words = [
        Word("than", 6.3, 6.94),  # all of the first pause
        Word("purpose.", 8.42, 9.2),  # a fifth of the second: its tail, timed loosely
        Word("and", 21.62, 22.42),  # with "I", nine tenths of the third
        Word("I", 22.42, 22.62),
    ]
    assert unspoken_pauses(PAUSES, words) == (PAUSES[1],)


def test_words_with_no_length_and_no_words_leave_every_pause() -> None:
    instants = [Word("so", 6.5, 6.5), Word("this", 6.6, 6.62), Word("is", 9.1, 9.15)]
    assert unspoken_pauses(PAUSES, instants) == PAUSES
    assert unspoken_pauses(PAUSES, []) == PAUSES
