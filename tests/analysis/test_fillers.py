"""Filler words from recognised words: hesitations always, discourse fillers only when set off."""

from __future__ import annotations

import pytest

from closer_desktop.analysis.fillers import Filler, find_fillers, normalise
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
