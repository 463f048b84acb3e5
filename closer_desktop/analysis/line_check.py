"""The line check: what a take said against the line the user meant to say.

No coaching product can check this, because none of them knows what the user meant to say; Closer
does: the deck holds the line. The transcript and the line are normalised the same way (lower
case, punctuation dropped, contractions spelled out, numbers and ordinals in words, hesitations
left out), then aligned word by word (an edit-distance alignment), which names the line's words
that were said, missed, or changed ("said X for Y"), and the words added.

The **line match** is the share of the line's content words (not "the", "to", "I") said in order:
a reordered or paraphrased line scores lower than a complete one, and a filler word or a dropped
article costs nothing. Key phrases (the deck's `key`, such as "next steps") must each be said,
whatever the score. A take that matches the line this poorly is judged a different question
entirely (named, when it is another line of the deck) rather than given a percentage; an answer
cut short, whose few words are all the line's, is not.

Pure Python, no Qt: the app, History's recompute and `closer analyze --line` all use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from closer_desktop.analysis.fillers import is_hesitation
from closer_desktop.domain.recall import FUNCTION_WORDS
from closer_desktop.domain.text import counted

DIFFERENT_BELOW = 0.34  # under a third of the line's content words: not an attempt at this line
OTHER_LINE_AT_LEAST = 0.6  # ... and if another line of the deck matches this well, it was that one

CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "n't": " not",
    "'re": " are",
    "'ve": " have",
    "'ll": " will",
    "'d": " would",
    "'m": " am",
    "let's": "let us",
    "it's": "it is",
    "that's": "that is",
    "what's": "what is",
    "there's": "there is",
    "here's": "here is",
    "who's": "who is",
    "where's": "where is",
    "how's": "how is",
    "he's": "he is",
    "she's": "she is",
}
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """An integer below a million in words ("twenty one", "three hundred five")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    rest = n % 1000
    return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))


_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def ordinal_words(n: int) -> str:
    """An ordinal below a million in words ("twenty first", "one hundredth")."""
    *head, last = number_words(n).split()
    if last in _ORDINALS:
        last = _ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*head, last])


def words_of(text: str) -> list[str]:
    """The words of `text` as the check compares them (see the module docstring)."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)  # 1,000 -> 1000
    text = re.sub(  # 2nd -> second: what is said for it ("two nd" matched nothing)
        r"(\d+)(?:st|nd|rd|th)\b",
        lambda m: f" {ordinal_words(int(m.group(1)))} " if len(m.group(1)) < 7 else m.group(),
        text,
    )
    text = re.sub(
        r"\d+",
        lambda m: f" {number_words(int(m.group()))} " if len(m.group()) < 7 else m.group(),
        text,
    )
    text = re.sub(r"[-/]", " ", text)
    words: list[str] = []
    for raw in re.findall(r"[a-z']+", text):
        word = raw.strip("'")
        if not word or is_hesitation(word):
            continue
        if word in CONTRACTIONS:
            word = CONTRACTIONS[word]
        else:
            for ending in ("n't", "'re", "'ve", "'ll", "'d", "'m"):
                if word.endswith(ending):
                    word = word[: -len(ending)] + CONTRACTIONS[ending]
                    break
        words += [w for w in word.replace("'s", "").split() if w]
    return words


@dataclass(frozen=True)
class Change:
    said: str
    expected: str


@dataclass(frozen=True)
class Step:
    """One step of the alignment, for showing the line: `kind` is "said", "missed", "changed"
    or "added"; `expected` is the line's word (empty for an addition), `said` the take's."""

    kind: str
    expected: str
    said: str


@dataclass(frozen=True)
class LineMatch:
    score: float  # 0.0-1.0: the line's content words said, in order
    missed: tuple[str, ...]
    changed: tuple[Change, ...]
    added: tuple[str, ...]
    key_missed: tuple[str, ...]
    different: bool = False  # not an attempt at this line at all
    other_line: str | None = None  # the deck's line it matched instead, when there is one
    steps: tuple[Step, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 3),
            "missed": list(self.missed),
            "changed": [{"said": c.said, "expected": c.expected} for c in self.changed],
            "added": list(self.added),
            "key_missed": list(self.key_missed),
            "different": self.different,
            "other_line": self.other_line,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineMatch:
        return cls(
            score=float(data["score"]),
            missed=tuple(str(w) for w in data.get("missed", ())),
            changed=tuple(
                Change(str(c["said"]), str(c["expected"])) for c in data.get("changed", ())
            ),
            added=tuple(str(w) for w in data.get("added", ())),
            key_missed=tuple(str(k) for k in data.get("key_missed", ())),
            different=bool(data.get("different", False)),
            other_line=data.get("other_line"),
        )

    def summary(self) -> str:
        """One plain sentence for the feedback ("All of the line, in order." / ...)."""
        if self.different:
            if self.other_line:
                return f"That was another line of the deck: \u201c{self.other_line}\u201d"
            return "That was a different question entirely."
        parts = []
        if self.score >= 0.999 and not self.key_missed:
            small = len(self.missed) + len(self.changed)
            if small == 0:
                parts.append("All of the line, in order.")
            else:
                differs = "differs" if small == 1 else "differ"
                parts.append(
                    f"Every word that carries the line, in order "
                    f"({counted(small, 'small word')} {differs})."
                )
        else:
            parts.append(f"{round(self.score * 100)} % of the line, in order.")
        if self.key_missed:
            said = ", ".join(f"\u201c{k}\u201d" for k in self.key_missed)
            parts.append(f"Left out: {said}.")
        return " ".join(parts)


def check_line(
    said: str | Sequence[str],
    line: str,
    key_phrases: Sequence[str] = (),
    other_lines: Sequence[str] = (),
) -> LineMatch:
    """Compare what was said (a transcript, or its words) with `line`; see the module docstring."""
    heard = words_of(said if isinstance(said, str) else " ".join(said))
    expected = words_of(line)
    steps = _align(expected, heard)
    score = _content_share(expected, steps)
    key_missed = tuple(k for k in key_phrases if not _has_phrase(heard, words_of(k)))
    different = bool(heard) and score < DIFFERENT_BELOW and _on_line_share(heard, steps) < 0.5
    other = None
    if different:
        best = max(
            ((_content_score(heard, words_of(o)), o) for o in other_lines if o != line),
            default=(0.0, ""),
        )
        other = best[1] if best[0] >= OTHER_LINE_AT_LEAST else None
    return LineMatch(
        score=score,
        missed=tuple(s.expected for s in steps if s.kind == "missed"),
        changed=tuple(Change(s.said, s.expected) for s in steps if s.kind == "changed"),
        added=tuple(s.said for s in steps if s.kind == "added"),
        key_missed=key_missed,
        different=different,
        other_line=other,
        steps=tuple(steps),
    )


def _content_score(heard: list[str], expected: list[str]) -> float:
    return _content_share(expected, _align(expected, heard))


def _on_line_share(heard: list[str], steps: list[Step]) -> float:
    """The share of the take's own content words that belong to the line: an answer cut short
    ("What are the next...") says little of the line but nothing else, a different question says
    mostly other words."""
    content = [w for w in heard if w not in FUNCTION_WORDS] or heard
    if not content:
        return 0.0
    said = sum(1 for s in steps if s.kind == "said" and s.said not in FUNCTION_WORDS)
    return said / len(content)


def _content_share(expected: list[str], steps: list[Step]) -> float:
    """The share of the line's content words the alignment found said (all its words, for a
    line made of function words only)."""
    content = {w for w in expected if w not in FUNCTION_WORDS} or set(expected)
    total = sum(1 for w in expected if w in content)
    said = sum(1 for s in steps if s.kind == "said" and s.expected in content)
    return said / total if total else 0.0


def _has_phrase(heard: list[str], phrase: list[str]) -> bool:
    """The phrase's words in order, allowing one extra word between two of them ("next few
    steps" holds "next steps"), so a natural rewording of a key phrase still counts."""
    if not phrase:
        return True
    for start, word in enumerate(heard):
        if word != phrase[0]:
            continue
        at, gaps = start, 0
        for wanted in phrase[1:]:
            nxt = at + 1
            while nxt < len(heard) and heard[nxt] != wanted and nxt - at <= 1:
                nxt += 1
            if nxt >= len(heard) or heard[nxt] != wanted:
                break
            gaps += nxt - at - 1
            at = nxt
        else:
            if gaps <= 1:
                return True
    return False


def _substitution(a: str, b: str) -> float:
    """What saying `b` for `a` costs: 0 for the word itself, less than a miss plus an addition
    (2) always, and less for a word that looks like it ("stages" for "steps"), so that a
    changed word is paired with the word it stands for rather than any word nearby."""
    if a == b:
        return 0.0
    return 1.5 - 0.5 * SequenceMatcher(None, a, b).ratio()


def _align(expected: list[str], heard: list[str]) -> list[Step]:
    """An edit-distance alignment (a miss or an addition costs 1, a change 1-1.5)."""
    n, m = len(expected), len(heard)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = float(i)
    for j in range(m + 1):
        cost[0][j] = float(j)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + _substitution(expected[i - 1], heard[j - 1]),
                cost[i - 1][j] + 1,
                cost[i][j - 1] + 1,
            )
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = expected[i - 1] == heard[j - 1]
            diagonal = cost[i - 1][j - 1] + _substitution(expected[i - 1], heard[j - 1])
            if abs(cost[i][j] - diagonal) < 1e-9:
                kind = "said" if same else "changed"
                steps.append(Step(kind, expected[i - 1], heard[j - 1]))
                i, j = i - 1, j - 1
                continue
        if i > 0 and abs(cost[i][j] - (cost[i - 1][j] + 1)) < 1e-9:
            steps.append(Step("missed", expected[i - 1], ""))
            i -= 1
        else:
            steps.append(Step("added", "", heard[j - 1]))
            j -= 1
    return steps[::-1]


@dataclass(frozen=True)
class LineToken:
    """One word of the line as it is written in the deck (its capitals, punctuation and
    contractions), marked from the alignment: "said", "missed", "changed" (`said` holds what
    was said instead), or "plain" (nothing in it is compared: a dash, a hesitation)."""

    text: str
    kind: str
    said: str = ""


def line_tokens(match: LineMatch, line: str) -> list[LineToken] | None:
    """The line's own words marked with the check: the alignment runs on normalised words
    ("don't" is "do not", "5" is "five"), so each written word takes the steps of the words it
    normalises to. A written word all of whose words were said is said, all missed is missed,
    anything else is changed to the words that were said for it. None when `match` holds no
    alignment (a check read back from storage) or it was not made against this wording."""
    steps = [s for s in match.steps if s.kind != "added"]
    if not steps:
        return None
    written = line.split()
    per_word = [words_of(w) for w in written]
    if [w for words in per_word for w in words] != [s.expected for s in steps]:
        return None
    out: list[LineToken] = []
    at = 0
    for text, words in zip(written, per_word, strict=True):
        mine, at = steps[at : at + len(words)], at + len(words)
        kinds = {s.kind for s in mine}
        if not mine:
            out.append(LineToken(text, "plain"))
        elif kinds == {"said"}:
            out.append(LineToken(text, "said"))
        else:
            said = " ".join(s.said for s in mine if s.kind != "missed")
            out.append(LineToken(text, "changed", said) if said else LineToken(text, "missed"))
    return out


def check_transcript(
    metrics: dict[str, Any],
    line: str,
    key_phrases: Sequence[str] = (),
    other_lines: Sequence[str] = (),
) -> LineMatch | None:
    """The line check of a take from its stored metrics (analysis.metrics.Metrics.to_json()):
    its transcript against `line`; None when the take has no transcript (speech recognition
    was off). An empty transcript is a check: none of the line was said."""
    transcript = metrics.get("transcript")
    if not metrics.get("transcribed", True) or not isinstance(transcript, str):
        return None
    return check_line(transcript, line, key_phrases, other_lines)
