"""Real recordings with known words (../shared/data/speech/real/) and how Closer is scored on them.

The clips, their references and word alignments live outside the project (never copied in).
Scoring: word error rate with hesitations left out of both sides, hesitation recall and
precision (any spelling of a hesitation matches any other), pauses against the forced-aligned
gaps between words, and word times against the alignment. Used by tests/analysis and
bench/accuracy.py alike, so the figures the bench prints are the ones the tests hold.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "speech" / "real"
HESITATION_SPELLINGS = frozenset(
    [
        "um",
        "umm",
        "ummm",
        "uhm",
        "uh",
        "uhh",
        "uhhh",
        "er",
        "erm",
        "err",
        "ah",
        "ahh",
        "hm",
        "hmm",
        "hmmm",
        "mm",
        "mmm",
    ]
)
MIN_PAUSE_S = 0.3
PAUSE_EDGE_S = 0.15


@dataclass(frozen=True)
class AlignedWord:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Clip:
    path: Path
    reference: str
    style: str
    has_hesitations: bool
    overall_wpm: float
    alignment: tuple[AlignedWord, ...] | None  # forced-aligned words, when the clip has them

    @property
    def name(self) -> str:
        return self.path.stem

    def true_pauses(self) -> list[tuple[float, float]]:
        """Gaps of MIN_PAUSE_S or more between aligned words (what a listener hears as a pause)."""
        assert self.alignment is not None
        words = self.alignment
        return [
            (a.end_s, b.start_s)
            for a, b in itertools.pairwise(words)
            if b.start_s - a.end_s >= MIN_PAUSE_S - 1e-9
        ]


def available() -> bool:
    return (REAL_DIR / "manifest.json").is_file()


def clips() -> list[Clip]:
    manifest = json.loads((REAL_DIR / "manifest.json").read_text(encoding="utf-8"))
    found = []
    for entry in manifest:
        grid = entry.get("word_alignment")
        found.append(
            Clip(
                path=REAL_DIR / entry["file"],
                reference=entry["reference"],
                style=entry["style"],
                has_hesitations=bool(entry["has_hesitations"]),
                overall_wpm=float(entry["overall_wpm"]),
                alignment=read_textgrid_words(REAL_DIR / grid) if grid else None,
            )
        )
    return found


def clip(name: str) -> Clip:
    return next(c for c in clips() if c.name == name)


def read_textgrid_words(path: Path) -> tuple[AlignedWord, ...]:
    """The labelled intervals of a TextGrid's first tier (short or long text format)."""
    text = path.read_text(encoding="utf-8")
    if "intervals [" in text:  # the long format: xmin = ..., xmax = ..., text = "..."
        triples = re.findall(
            r"xmin = ([\d.]+)\s+xmax = ([\d.]+)\s+text = \"([^\"]*)\"", text.split("item [2]")[0]
        )
    else:  # the short format: after the tier's header, xmin, xmax and "text" a line each
        lines = [line.strip() for line in text.splitlines()]
        first = lines.index('"IntervalTier"')
        count = int(lines[first + 4])
        body = lines[first + 5 : first + 5 + 3 * count]
        triples = [(body[i], body[i + 1], body[i + 2].strip('"')) for i in range(0, len(body), 3)]
    return tuple(
        AlignedWord(label.strip(), float(a), float(b)) for a, b, label in triples if label.strip()
    )


def normalise(text: str) -> str:
    """Lower case, letters, digits and apostrophes (hyphens split words)."""
    text = text.lower().replace("’", "'").replace("-", " ")
    return re.sub(r"[^a-z0-9' ]+", " ", text).replace(" '", " ").strip()


def tokens(text: str | Sequence[str]) -> list[str]:
    words = text.split() if isinstance(text, str) else list(text)
    return [t for w in words for t in normalise(w).split() if t.strip("'")]


def is_hesitation(token: str) -> bool:
    return token in HESITATION_SPELLINGS


@dataclass(frozen=True)
class WordScore:
    errors: int  # substitutions + deletions + insertions
    reference_words: int
    insertions: int
    deletions: int
    hesitations_true: int  # in the reference
    hesitations_found: int  # in the transcript
    hesitations_matched: int

    @property
    def wer(self) -> float:
        return self.errors / max(1, self.reference_words)


def _align(ref: list[str], hyp: list[str]) -> list[tuple[str | None, str | None]]:
    """Levenshtein alignment of two token lists: pairs (ref, hyp), None for a gap."""
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = ref[i - 1] == hyp[j - 1] or (
                is_hesitation(ref[i - 1]) and is_hesitation(hyp[j - 1])
            )
            cost[i][j] = min(
                cost[i - 1][j - 1] + (0 if same else 1), cost[i - 1][j] + 1, cost[i][j - 1] + 1
            )
    pairs: list[tuple[str | None, str | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = ref[i - 1] == hyp[j - 1] or (
                is_hesitation(ref[i - 1]) and is_hesitation(hyp[j - 1])
            )
            if cost[i][j] == cost[i - 1][j - 1] + (0 if same else 1):
                pairs.append((ref[i - 1], hyp[j - 1]))
                i, j = i - 1, j - 1
                continue
        if i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((ref[i - 1], None))
            i -= 1
        else:
            pairs.append((None, hyp[j - 1]))
            j -= 1
    return pairs[::-1]


def score_words(reference: str, hypothesis: Sequence[str]) -> WordScore:
    ref_all, hyp_all = tokens(reference), tokens(hypothesis)
    ref = [t for t in ref_all if not is_hesitation(t)]
    hyp = [t for t in hyp_all if not is_hesitation(t)]
    pairs = _align(ref, hyp)
    errors = sum(1 for r, h in pairs if r != h)
    insertions = sum(1 for r, _ in pairs if r is None)
    deletions = sum(1 for _, h in pairs if h is None)
    matched = sum(
        1 for r, h in _align(ref_all, hyp_all) if r and h and is_hesitation(r) and is_hesitation(h)
    )
    return WordScore(
        errors=errors,
        reference_words=len(ref),
        insertions=insertions,
        deletions=deletions,
        hesitations_true=sum(map(is_hesitation, ref_all)),
        hesitations_found=sum(map(is_hesitation, hyp_all)),
        hesitations_matched=matched,
    )


@dataclass(frozen=True)
class PauseScore:
    true: int
    found: int
    matched: int  # both edges within PAUSE_EDGE_S
    edge_errors: tuple[float, ...]  # of the matched pauses' edges

    @property
    def f1(self) -> float:
        if self.true == 0 and self.found == 0:
            return 1.0
        return 2 * self.matched / (self.true + self.found)


def score_pauses(
    truth: Sequence[tuple[float, float]], found: Sequence[tuple[float, float]]
) -> PauseScore:
    used: set[int] = set()
    edges: list[float] = []
    for a, b in truth:
        best = None
        for k, (c, d) in enumerate(found):
            if k in used:
                continue
            err = max(abs(a - c), abs(b - d))
            if err <= PAUSE_EDGE_S and (best is None or err < best[1]):
                best = (k, err)
        if best is not None:
            used.add(best[0])
            c, d = found[best[0]]
            edges += [abs(a - c), abs(b - d)]
    return PauseScore(len(truth), len(found), len(used), tuple(edges))


def word_time_errors(
    alignment: Sequence[AlignedWord], words: Sequence[tuple[str, float]]
) -> tuple[list[float], list[float]]:
    """|start error| of each transcript word matched to the same aligned word (in order):
    (all words, hesitations only)."""
    ref = [normalise(w.text).replace(" ", "") for w in alignment]
    hyp = [normalise(t).replace(" ", "") for t, _ in words]
    pairs = _align(ref, hyp)
    i = j = 0
    every: list[float] = []
    hesitations: list[float] = []
    for r, h in pairs:
        if r is not None and h is not None and (r == h or (is_hesitation(r) and is_hesitation(h))):
            error = abs(alignment[i].start_s - words[j][1])
            every.append(error)
            if is_hesitation(r):
                hesitations.append(error)
        i += r is not None
        j += h is not None
    return every, hesitations


def plain_peer_words(model: Any, clip: Clip) -> list[tuple[str, float]]:
    """The plain peer's words and start times for `clip`: `model`, a faster-whisper WhisperModel
    of the same tiny.en Closer uses, on the whole file, beam 5, no prompt, word times on (the
    issue's bar for word accuracy; bench/accuracy.py and the tests read it the same way)."""
    from closer_desktop.analysis.audio_input import load_audio, resample, to_mono

    data, rate = load_audio(clip.path)
    audio = resample(to_mono(data), rate, 16000)
    segments, _ = model.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
    return [(w.word.strip(), w.start) for s in segments for w in (s.words or [])]
