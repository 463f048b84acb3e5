"""Delivery feedback on real human speech: Closer against the plain peer, clip by clip.

Runs Closer's analysis (`analyse_file`, transcript included) and the plain peer (faster-whisper
with the same tiny.en on the whole file, beam 5, no prompt, word times on) over every clip in
../shared/data/speech/real/, and prints per clip and pooled:

- word error rate with hesitations left out of both sides, and inserted words;
- hesitations: recall and precision against the reference's um/uh/hm (any spelling);
- pauses (clips with a forced alignment): F1 against the aligned gaps of 0.3 s or more, both
  edges within 0.15 s, and the median edge error;
- word and hesitation start times against the alignment (median error, per clip and pooled);
- pace (words over the elapsed time, first word to last) beside the reference's, pitch spread,
  and each side's time (models loaded and warm).

Scoring lives in tests/support/real_speech.py, shared with the tests.
"""

from __future__ import annotations

import statistics
import sys
import time

from bench.harness import private_environment


def main() -> int:
    private_environment()
    from tests.support import real_speech as rs

    if not rs.available():
        print(f"no real clips at {rs.REAL_DIR}: nothing to measure", file=sys.stderr)
        return 2
    from faster_whisper import WhisperModel

    from closer_desktop.analysis.metrics import ANALYSER_VERSION, analyse_file
    from closer_desktop.analysis.transcribe import model_path, shared_recognizer

    recognizer = shared_recognizer()
    peer = WhisperModel(str(model_path()), device="cpu", compute_type="int8", local_files_only=True)
    print(f"analyser version {ANALYSER_VERSION}")
    header = (
        f"{'clip':32} {'side':6} {'WER':>5} {'ins':>3} {'hes R':>5} {'hes P':>5} "
        f"{'pauseF1':>7} {'edge':>5} {'t-word':>6} {'t-hes':>5} {'wpm':>5} {'ref':>4} "
        f"{'pitch':>5} {'time':>5}"
    )
    print(header)
    pooled: dict[str, dict[str, float]] = {}
    starts: dict[str, tuple[list[float], list[float]]] = {}  # start errors: words, hesitations
    for clip in rs.clips():
        analyse_file(clip.path, recognizer=recognizer)  # warm
        t0 = time.perf_counter()
        metrics = analyse_file(clip.path, recognizer=recognizer)
        closer_time = time.perf_counter() - t0
        t0 = time.perf_counter()
        peer_words = rs.plain_peer_words(peer, clip)
        peer_time = time.perf_counter() - t0
        sides = {
            "closer": ([(w.text, w.start_s) for w in metrics.words], closer_time, metrics),
            "peer": (peer_words, peer_time, None),
        }
        for side, (words, seconds, m) in sides.items():
            score = rs.score_words(clip.reference, [t for t, _ in words])
            tot = pooled.setdefault(side, {})
            for key, value in (
                ("errors", score.errors),
                ("ref", score.reference_words),
                ("ins", score.insertions),
                ("hes_true", score.hesitations_true),
                ("hes_found", score.hesitations_found),
                ("hes_matched", score.hesitations_matched),
                ("time", seconds),
            ):
                tot[key] = tot.get(key, 0.0) + value
            recall = (
                score.hesitations_matched / score.hesitations_true
                if score.hesitations_true
                else None
            )
            precision = (
                score.hesitations_matched / score.hesitations_found
                if score.hesitations_found
                else None
            )
            pause_f1 = edge = t_word = t_hes = None
            if clip.alignment is not None and m is not None:
                pauses = rs.score_pauses(
                    clip.true_pauses(), [(p.start_s, p.end_s) for p in m.pauses]
                )
                pause_f1 = pauses.f1
                edge = statistics.median(pauses.edge_errors) if pauses.edge_errors else None
                for key, value in (
                    ("p_true", pauses.true),
                    ("p_found", pauses.found),
                    ("p_matched", pauses.matched),
                ):
                    tot[key] = tot.get(key, 0.0) + value
            if clip.alignment is not None:
                every, hes = rs.word_time_errors(clip.alignment, words)
                pooled_every, pooled_hes = starts.setdefault(side, ([], []))
                pooled_every += every
                pooled_hes += hes
                t_word = statistics.median(every) if every else None
                t_hes = statistics.median(hes) if hes else None
            wpm = pitch = None
            if m is not None:
                wpm = m.words_per_minute
                pitch = m.pitch_spread_semitones

            def f(value: float | None, fmt: str) -> str:
                return "-" if value is None else format(value, fmt)

            print(
                f"{clip.name[:32]:32} {side:6} {score.wer:5.1%} {score.insertions:3d} "
                f"{f(recall, '5.2f'):>5} {f(precision, '5.2f'):>5} {f(pause_f1, '7.2f'):>7} "
                f"{f(edge, '5.2f'):>5} {f(t_word, '6.2f'):>6} {f(t_hes, '5.2f'):>5} "
                f"{f(wpm, '5.0f'):>5} {clip.overall_wpm:4.0f} {f(pitch, '5.1f'):>5} {seconds:5.2f}"
            )
    print()
    for side, tot in pooled.items():
        recall = tot["hes_matched"] / tot["hes_true"] if tot["hes_true"] else 0.0
        precision = tot["hes_matched"] / tot["hes_found"] if tot["hes_found"] else 0.0
        line = (
            f"pooled {side:6}: WER {tot['errors'] / tot['ref']:.1%} ({tot['errors']:.0f} of "
            f"{tot['ref']:.0f} words), {tot['ins']:.0f} inserted; hesitations recall "
            f"{recall:.2f}, precision {precision:.2f}; time {tot['time']:.2f} s"
        )
        if "p_true" in tot:
            f1 = 2 * tot["p_matched"] / (tot["p_true"] + tot["p_found"])
            line += f"; pauses F1 {f1:.2f} ({tot['p_matched']:.0f} of {tot['p_true']:.0f} true, {tot['p_found']:.0f} found)"
        every, hes = starts.get(side, ([], []))
        if every:
            line += f"; start error median: words {statistics.median(every):.2f} s"
        if hes:
            line += f", hesitations {statistics.median(hes):.2f} s"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
