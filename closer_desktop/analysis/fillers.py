"""Filler words in a transcript: hesitations ("um", "uh", "er"), discourse fillers ("like",
"you know", "I mean") and repeated words ("I, I").

Pure functions over recognised words. Hesitations are always fillers. "Like", "you know" and
"I mean" are ordinary words too ("I would like to ask", "do you know when", "Like most
people"), so they count only where the transcript sets them off with a comma before or a
punctuation mark after (Whisper writes "it was, like, great"), and never after the words that
make them ordinary ("would like,"). A repeated word counts unless a sentence ends
between the two ("... that. That is").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from closer_desktop.analysis.transcribe import Word

# How Whisper spells hesitations -> the name reported.
HESITATIONS = {
    "um": "um",
    "umm": "um",
    "ummm": "um",
    "uhm": "um",
    "mm": "um",
    "uh": "uh",
    "uhh": "uh",
    "uhhh": "uh",
    "er": "er",
    "err": "er",
    "erm": "er",
    "ah": "ah",
    "ahh": "ah",
    "hmm": "hmm",
    "hm": "hmm",
    "hmmm": "hmm",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Discourse fillers, and the words before them that make them ordinary words instead.
PHRASES: dict[tuple[str, ...], frozenset[str]] = {
    ("like",): _words(
        "i you we they he she it would i'd you'd we'd they'd he'd she'd to do don't did "
        "didn't does doesn't really also feel feels felt look looks looked looking sound sounds "
        "sounded seem seems seemed something anything nothing much more most just"
    ),
    ("you", "know"): _words("do did don't didn't if as would will let you'd to"),
    ("i", "mean"): _words("what do did don't didn't"),
}
REPEAT_EXCEPTIONS = frozenset({"that", "had", "very", "bye", "no", "so"})  # grammatical or emphatic
_SENTENCE_END = (".", "?", "!")
_LETTERS = re.compile(r"[^a-z']+")


@dataclass(frozen=True)
class Filler:
    word: str  # "um", "like", "you know", "I, I", ...
    start_s: float


def normalise(text: str) -> str:
    """Lower case, letters and apostrophes only ("Um," -> "um", "I'd" -> "i'd")."""
    return _LETTERS.sub("", text.lower().replace("’", "'")).strip("'")


def is_hesitation(text: str) -> bool:
    return normalise(text) in HESITATIONS


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    """Every filler in `words` (in time order), at the start of its first word."""
    names = [normalise(w.text) for w in words]
    fillers: list[Filler] = []
    i = 0
    while i < len(words):
        name = names[i]
        if name in HESITATIONS:
            fillers.append(Filler(HESITATIONS[name], words[i].start_s))
            i += 1
            continue
        phrase = _phrase_at(words, names, i)
        if phrase:
            fillers.append(Filler(" ".join(phrase), words[i].start_s))
            i += len(phrase)
            continue
        if _repeats(words, names, i):
            shown = words[i + 1].text.strip(".,?!;:\"'-") or names[i + 1]
            fillers.append(Filler(f"{shown}, {shown}", words[i].start_s))
            i += 1  # "I, I, I" is two repeats
            continue
        i += 1
    return fillers


def _phrase_at(words: Sequence[Word], names: list[str], i: int) -> tuple[str, ...] | None:
    for phrase, ordinary_after in PHRASES.items():
        end = i + len(phrase)
        if tuple(names[i:end]) != phrase:
            continue
        if _previous_word(names, i) in ordinary_after:
            continue
        comma_before = i > 0 and words[i - 1].text.endswith(",")
        set_off_after = words[end - 1].text.endswith((",", *_SENTENCE_END))
        if comma_before or set_off_after:
            return tuple("I" if w == "i" else w for w in phrase)
    return None


def _previous_word(names: list[str], i: int) -> str | None:
    for j in range(i - 1, -1, -1):
        if names[j] and names[j] not in HESITATIONS:
            return names[j]
    return None


def _repeats(words: Sequence[Word], names: list[str], i: int) -> bool:
    if i + 1 >= len(words) or not names[i] or names[i] != names[i + 1]:
        return False
    return names[i] not in REPEAT_EXCEPTIONS and not words[i].text.endswith(_SENTENCE_END)
