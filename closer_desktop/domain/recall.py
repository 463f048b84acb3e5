"""Saying a line from memory: the hint ladder a user climbs only when stuck.

Level 0 hides the line (the card shows the stage and the interviewer's cue); each step up gives
away more: the first words, then the key words with the rest as gaps, then the whole line. The
level reached is stored with the take, so Progress can tell a line said unaided from one read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

HIDDEN, FIRST_WORDS, KEY_WORDS, WHOLE_LINE = range(4)
LEVELS = ("hidden", "first words", "key words", "whole line")
FIRST_WORDS_SHOWN = 3
GAP = "_"  # one gap per word left out
# Words that carry no meaning alone: a line's *content* words are the rest. The line check's
# match counts content words only (analysis/line_check.py); the hint ladder shows them.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "about",
        "as",
        "into",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "not",
        "no",
        "just",
        "very",
        "really",
        "also",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "any",
        "some",
        "all",
    ]
)


def hint(line: str, key_phrases: Sequence[str], level: int) -> str:
    """What the card shows of `line` at hint `level` (0-3)."""
    if level <= HIDDEN:
        return ""
    if level >= WHOLE_LINE:
        return line
    words = line.split()
    if level == FIRST_WORDS:
        shown = " ".join(words[:FIRST_WORDS_SHOWN])
        return shown + ("\u2026" if len(words) > FIRST_WORDS_SHOWN else "")
    return _key_words_with_gaps(words, key_phrases)


def _key_words_with_gaps(words: list[str], key_phrases: Sequence[str]) -> str:
    """The line's key phrases in place, every other word a gap (punctuation kept, so the line's
    shape shows). Without key phrases, the content words show."""
    plain = [_bare(w) for w in words]
    keep = [False] * len(words)
    for phrase in key_phrases:
        target = [_bare(w) for w in phrase.split()]
        for start in range(len(plain) - len(target) + 1):
            if plain[start : start + len(target)] == target:
                for k in range(start, start + len(target)):
                    keep[k] = True
    if not any(keep):
        keep = [p not in FUNCTION_WORDS for p in plain]
    out = []
    for word, shown in zip(words, keep, strict=True):
        if shown:
            out.append(word)
        else:
            tail = re.search(r"[^\w']+$", word)
            out.append(GAP.strip() + (tail.group() if tail else ""))
    return " ".join(out)


def _bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower().replace("\u2019", "'"))
