"""Hesitations are moved onto the stretch of speech they were said in (fillers.place_hesitations):
Whisper writes an "um" with no length at the onset of the next word, after the pause that
followed it, so clicking it played the wrong syllable."""

from __future__ import annotations

from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.fillers import find_fillers, place_hesitations
from closer_desktop.analysis.transcribe import Word

# The acoustic corpus's end, as Whisper timed it: "words. Um... And that should be all."
# said as "words" (to 22.3 s), a pause, "um" (22.9-23.5 s), a pause, "and that ..." (24.2 s).
SPEECH = (Interval(20.4, 22.3), Interval(22.9, 23.54), Interval(24.19, 25.3))
WORDS = [
    Word("words.", 21.8, 22.3),
    Word("Um...", 24.19, 24.19),
    Word("And", 24.19, 24.4),
    Word("that", 24.4, 24.6),
]


def test_an_unplaced_um_moves_to_the_stretch_no_word_claims() -> None:
    placed = place_hesitations(WORDS, SPEECH)
    assert placed[1] == Word("Um...", 22.9, 22.9)
    assert placed[0] == WORDS[0] and placed[2:] == WORDS[2:]  # words keep their times
    assert [f.start_s for f in find_fillers(placed)] == [22.9]


def test_a_hesitation_on_a_stretch_of_its_own_stays() -> None:
    words = [WORDS[0], Word("Um,", 23.0, 23.4), *WORDS[2:]]
    assert place_hesitations(words, SPEECH) == words


def test_with_every_stretch_claimed_it_moves_to_the_start_of_its_own() -> None:
    """ "Um, this is" with the um's sound merged into the stretch of "this": the um goes to
    where that sound began, unless a word before it was heard in that stretch too (a run of
    "uh, um, uh" would otherwise pile up at one instant)."""
    speech = (Interval(6.0, 7.5), Interval(8.05, 11.8))
    words = [
        Word("cares.", 7.0, 7.5),
        Word("Um,", 8.66, 8.66),
        Word("this", 8.66, 8.84),
        Word("is", 8.84, 9.08),
    ]
    placed = place_hesitations(words, speech)
    assert placed[1] == Word("Um,", 8.05, 8.05)
    before = [Word("cares.", 8.2, 8.3), *words[1:]]  # the word before is inside the stretch
    assert place_hesitations(before, speech) == before


def test_two_hesitations_do_not_share_one_free_stretch() -> None:
    speech = (Interval(1.0, 2.0), Interval(2.5, 3.0), Interval(3.5, 4.0), Interval(4.5, 6.0))
    words = [
        Word("so", 1.0, 2.0),
        Word("uh,", 4.5, 4.5),
        Word("um,", 4.5, 4.5),
        Word("yes", 4.5, 6.0),
    ]
    placed = place_hesitations(words, speech)
    assert [(w.text, w.start_s) for w in placed[1:3]] == [("uh,", 3.5), ("um,", 4.5)]
