"""A hesitation that was a short word misheard is dropped (fillers.without_misheard_hesitations):
the disfluent prompt tipped tiny.en into writing "but who cares" as "but, uh, cares." on the
acoustic corpus, a false hesitation in the feedback. Only a hesitation with every sign of it
goes: the model's doubt, no sound of its own, and words on both sides."""

from __future__ import annotations

import pytest

from closer_desktop.analysis.fillers import without_misheard_hesitations
from closer_desktop.analysis.metrics import Metrics, analyse_file
from closer_desktop.analysis.transcribe import Recognizer, Word
from tests.support.real_speech import Clip

# How tiny.en decoded "... speech errors but who cares" after the disfluent prompt: the "uh"
# with no length and probability 0.07, between two words.
ERRORS = Word("errors,", 6.44, 6.61)
BUT = Word("but,", 7.04, 7.04)
UH = Word("uh,", 7.26, 7.26)
CARES = Word("cares.", 7.62, 7.62)


def test_a_doubtful_soundless_hesitation_between_words_is_dropped() -> None:
    words = [ERRORS, BUT, UH, CARES]
    assert without_misheard_hesitations(words, [0.98, 1.0, 0.07, 0.39]) == [ERRORS, BUT, CARES]


@pytest.mark.parametrize(
    ("words", "probabilities"),
    [
        ([ERRORS, BUT, UH, CARES], [0.98, 1.0, 0.95, 0.39]),  # the model is sure of it
        ([ERRORS, BUT, Word("uh,", 7.26, 7.42), CARES], [0.98, 1.0, 0.07, 0.39]),  # it is held
        ([UH, CARES], [0.02, 0.39]),  # it opens the decoding (the cold speaker's first "Uh,")
        ([BUT, UH], [1.0, 0.07]),  # it closes it
        ([BUT, UH, Word("um,", 7.3, 7.3), CARES], [1.0, 0.07, 0.4, 0.39]),  # among hesitations
    ],
)
def test_a_hesitation_missing_any_sign_stays(words: list[Word], probabilities: list[float]) -> None:
    assert without_misheard_hesitations(words, probabilities) == words


def test_words_are_never_dropped() -> None:
    """Only hesitations: a doubtful, soundless word between two others is the model's reading."""
    words = [BUT, Word("who", 7.26, 7.26), CARES]
    assert without_misheard_hesitations(words, [1.0, 0.01, 0.39]) == words


def test_no_hesitation_in_but_who_cares_on_the_real_clip(analysed_acoustic_corpus: Metrics) -> None:
    """The real decoding, through the whole analysis: the hesitations the speaker said (um, uh,
    um) are kept, and nothing is reported between "but" and "cares"."""
    words = [w.text.lower().strip(",.!?") for w in analysed_acoustic_corpus.words]
    k = words.index("cares")
    assert words[k - 1] == "but", words[k - 3 : k + 1]
    fillers = [f.word for f in analysed_acoustic_corpus.fillers if f.word in ("um", "uh")]
    assert fillers == ["um", "uh", "um"], analysed_acoustic_corpus.fillers


@pytest.fixture(scope="module")
def analysed_acoustic_corpus(real_clips: list[Clip], recognizer: Recognizer) -> Metrics:
    clip = next(c for c in real_clips if c.name == "mfa_acoustic_corpus")
    return analyse_file(clip.path, recognizer=recognizer)
