"""Filler words in a transcript: hesitations ("um", "uh", "er"), discourse fillers ("like",
"you know", "I mean"), repeated words ("I, I") and stutters.

Pure functions over recognised words. Hesitations are always fillers. "Like", "you know" and
"I mean" are ordinary words too ("I would like to ask", "do you know when", "Like most
people"), so they count only where the transcript sets them off with a comma before or a
punctuation mark after (Whisper writes "it was, like, great"), and never after the words that
make them ordinary ("would like,"). A repeated function word counts unless a sentence ends
between the two ("... that. That is"); a content word said again is emphasis, not a filler.
Three hesitations or more within a second are one stutter (Whisper writes a stuttered word
as "uh, uh, uh").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from closer_desktop.analysis.acoustics import Interval
from closer_desktop.analysis.transcribe import Word

# How Whisper spells hesitations (any number of repeated letters) -> the name reported. "Mmm" is
# its spelling of "hm".
HESITATION_SPELLINGS = (
    (re.compile(r"u+h*m+"), "um"),  # um, umm, uhm
    (re.compile(r"u+h+"), "uh"),  # uh, uhh
    (re.compile(r"e+r+m*|e+h+"), "er"),  # er, err, erm, eh
    (re.compile(r"a+h+"), "ah"),  # ah, ahh
    (re.compile(r"h+m+|m{2,}"), "hmm"),  # hm, hmm, mm, mmm
)
STUTTER_RUN = 3  # this many hesitations ...
STUTTER_SPAN_S = 1.0  # ... starting within this long are one stutter on a word, not three "uh"s
PLACED_S = 0.1  # a word at least this long has been placed on audio by Whisper (not an instant)
IMPROBABLE = 0.15  # a word the model gives less probability than this is doubtful (Whisper's bar)


def hesitation_name(text: str) -> str | None:
    """ "um", "uh", "er", "ah" or "hmm" for any spelling of a hesitation; None for a word."""
    name = normalise(text)
    for pattern, reported in HESITATION_SPELLINGS:
        if pattern.fullmatch(name):
            return reported
    return None


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
# A word said twice is a disfluency when it is a function word ("I, I", "the the", "we we"):
# speakers restart on those. A content word said again ("very very", "words words words") is
# said on purpose, and "that that", "had had" are grammar.
REPEATABLE = _words(
    "i i'm i've i'd i'll you you're we we're they he she it it's the a an and but or so to of "
    "in on at for with this is was are be my our your their his her if as what when where "
    "which who how there do can will would"
)
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
    return hesitation_name(text) is not None


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    """Every filler in `words` (in time order), at the start of its first word."""
    names = [normalise(w.text) for w in words]
    hesitations = [hesitation_name(w.text) for w in words]
    fillers: list[Filler] = []
    i = 0
    while i < len(words):
        if hesitations[i] is not None:
            run = _stutter_at(words, hesitations, i)
            if run > 1:
                fillers.append(Filler("stutter", words[i].start_s))
                i += run
                continue
            fillers.append(Filler(str(hesitations[i]), words[i].start_s))
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


def _stutter_at(words: Sequence[Word], hesitations: list[str | None], i: int) -> int:
    """How many hesitations from `i` on form a stutter (1 when they do not)."""
    j = i
    while (
        j < len(words)
        and hesitations[j] is not None
        and words[j].start_s - words[i].start_s < STUTTER_SPAN_S
    ):
        j += 1
    return j - i if j - i >= STUTTER_RUN else 1


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
        if names[j] and not is_hesitation(names[j]):
            return names[j]
    return None


def _repeats(words: Sequence[Word], names: list[str], i: int) -> bool:
    if i + 1 >= len(words) or not names[i] or names[i] != names[i + 1]:
        return False
    return names[i] in REPEATABLE and not words[i].text.endswith(_SENTENCE_END)


def without_misheard_hesitations(
    words: Sequence[Word], probabilities: Sequence[float]
) -> list[Word]:
    """`words` (one decoding, in order) less the hesitations that were short words misheard.

    Every chunk is decoded after a disfluent prompt (transcribe.DISFLUENT_PROMPT), which makes
    tiny.en write the hesitations it would otherwise drop, and also tips a barely said short
    word into one ("but who cares" written "but, uh, cares"). Such a hesitation carries all
    three signs of it: the model itself rates it improbable (below IMPROBABLE, the bar of
    Whisper's own test for made-up words), it is given no sound of its own (shorter than
    PLACED_S: no held vowel for the model's attention to land on), and it sits between two
    words of the decoding, where a short word fits. A hesitation with any sign missing stays:
    one that opens or closes a decoding, is held, or comes among other hesitations (a stutter,
    "uh, um") is the model's confident or only reading of that sound.
    """
    kept: list[Word] = []
    for k, w in enumerate(words):
        between_words = (
            0 < k < len(words) - 1
            and not is_hesitation(words[k - 1].text)
            and not is_hesitation(words[k + 1].text)
        )
        if (
            between_words
            and is_hesitation(w.text)
            and probabilities[k] < IMPROBABLE
            and w.end_s - w.start_s < PLACED_S
        ):
            continue
        kept.append(w)
    return kept


def place_hesitations(words: Sequence[Word], speech: Sequence[Interval]) -> list[Word]:
    """Move each hesitation onto the stretch of speech that holds it, so a click on it plays it.

    Whisper times words by where its attention lands, and a hesitation gets almost none: it
    often comes back with (next to) no length at the onset of the next word, after the pause
    that followed the real "um" (an "um" said at 22.9 s written at 24.2 s, where "and"
    begins). A stretch of speech (`speech`, split at pauses) is claimed by the placed words
    (PLACED_S or longer) and hesitations overlapping it. A hesitation already on a stretch no
    one else claims stays. Otherwise it moves back to the latest unclaimed stretch that starts
    no later than where Whisper put it and ends after the word before it (in the transcript's
    order): sound nobody else was heard saying is where it was said. When there is none, it
    moves to the start of the stretch it falls in (the sound before the next word began), if it
    is the first word there. The text is kept, and it never moves before the word before it.
    """
    placed = [w.end_s - w.start_s >= PLACED_S for w in words]
    spans = [(w.start_s, w.end_s) for w in words]
    result = list(words)

    def claimed(s: Interval, k: int) -> bool:
        return any(
            (placed[i] or is_hesitation(words[i].text))
            and i != k
            and min(s.end_s, spans[i][1]) > max(s.start_s, spans[i][0])
            for i in range(len(words))
        )

    for k, w in enumerate(words):
        if not is_hesitation(w.text):
            continue
        earliest = spans[k - 1][0] if k else 0.0
        around = [s for s in speech if s.start_s <= w.start_s < s.end_s]
        if around and placed[k] and not claimed(around[0], k):
            continue
        free = [
            s for s in speech if s.end_s > earliest and s.start_s <= w.start_s and not claimed(s, k)
        ]
        if free:
            stretch = free[-1]
        elif around and around[0].start_s >= earliest:
            stretch = around[0]
        else:
            continue
        start = max(stretch.start_s, earliest)
        if start >= w.start_s:
            continue
        end = max(start, min(stretch.end_s, start + (w.end_s - w.start_s)))
        result[k] = Word(w.text, round(start, 3), round(end, 3))
        spans[k] = (start, max(end, start + 1e-3))  # it claims its new stretch
    return result
