"""Filler words from recognised words: hesitations always, discourse fillers only when set off."""

from __future__ import annotations

import pytest

from closer_desktop.analysis.fillers import Filler, find_fillers, is_hesitation, normalise
from closer_desktop.analysis.metrics import Metrics
from closer_desktop.analysis.transcribe import Word


def words(text: str) -> list[Word]:
    """Whisper-like words, one every 0.5 s."""
    return [Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(text.split())]


def named(text: str) -> list[str]:
    return [f.word for f in find_fillers(words(text))]


def test_hesitations_in_any_spelling() -> None:
    found = find_fillers(words("Umm, thank you. Uh, when do you, um, decide? Er... Hmm. Uhh"))
    assert found == [
        Filler("um", 0.0),
        Filler("uh", 1.5),
        Filler("um", 3.5),
        Filler("er", 4.5),
        Filler("hmm", 5.0),
        Filler("uh", 5.5),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was, like, a great project.", ["like"]),
        ("Like, I said before.", ["like"]),
        ("I would like to ask about the team.", []),
        ("I'd like to know the next steps.", []),
        ("Like most people I prepared.", []),
        ("It looks like a good fit.", []),
        ("We, you know, shipped it.", ["you know"]),
        ("You know, I really want this.", ["you know"]),
        ("Do you know when you will decide?", []),
        ("It was hard, you know.", ["you know"]),
        ("I mean, the role fits.", ["I mean"]),
        ("That is what I mean.", []),
        ("I mean the second one.", []),
    ],
)
def test_discourse_fillers_only_when_set_off(text: str, expected: list[str]) -> None:
    assert named(text) == expected


@pytest.mark.parametrize(
    "spelling",
    ["um", "Umm,", "uhm", "uh", "Uhh...", "er", "erm", "ah", "hm", "Hmm.", "mm", "Mmm..."],
)
def test_every_spelling_whisper_uses_is_a_hesitation_and_no_word(spelling: str) -> None:
    (filler,) = find_fillers(words(f"So {spelling} we start."))
    assert filler.word in {"um", "uh", "er", "ah", "hmm"}
    assert is_hesitation(spelling)
    metrics = Metrics(
        duration_s=3.0,
        speaking_time_s=2.0,
        pauses=(),
        speech_level_dbfs=-20.0,
        peak_dbfs=-3.0,
        clipped_fraction=0.0,
        pitch_spread_semitones=3.0,
        transcript="",
        words=tuple(words(f"So {spelling} we start.")),
    )
    assert metrics.spoken_word_count == 3


def test_words_are_not_hesitations() -> None:
    assert not any(is_hesitation(w) for w in ("mum", "hum", "umbrella", "her", "am", "m", "a"))


def test_a_stutter_is_one_stutter_not_three_uhs() -> None:
    stutter = [Word("I", 0.0, 0.2), *(Word("uh,", 0.3 + 0.2 * k, 0.4 + 0.2 * k) for k in range(4))]
    stutter.append(Word("want", 1.2, 1.5))
    assert find_fillers(stutter) == [Filler("stutter", 0.3)]
    # Hesitations a second or more apart are each a hesitation.
    assert named("Uh, um, uh, hm") == ["uh", "um", "uh", "hmm"]


def test_a_deliberate_repeat_is_not_a_filler() -> None:
    assert named("here are some more words, words, words, words.") == []
    assert named("It was very, very good.") == []


def test_repeated_words() -> None:
    found = find_fillers(words("I, I think the the team is great."))
    assert found == [Filler("I, I", 0.0), Filler("the, the", 1.5)]
    assert named("I I I want it.") == ["I, I", "I, I"]
    assert named("I think that that is right.") == []
    assert named("We ship. We test.") == []


def test_the_jfk_sentence_has_no_filler() -> None:
    text = (
        "And so, my fellow Americans, ask not what your country can do for you. "
        "Ask what you can do for your country."
    )
    assert named(text) == []


def test_normalise() -> None:
    assert normalise(" Um,") == "um"
    assert normalise("I’d") == "i'd"
    assert normalise("'quoted'") == "quoted"
