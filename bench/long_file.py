"""Memory of `closer analyze` on a long file: a 2-hour 48 kHz take (issue 16 §4 saw 6.8 GB).

Writes the take a second at a time in a temporary folder (48 kHz mono 16-bit WAV, 660 MiB):
a gliding tone 3 s on and 2 s off for the first 20 s of every 10 minutes, silence between. Then
runs `closer analyze --no-transcript --json` on it in a child process and prints its time and
resident peak (and, for scale, the child's peak on a 20 s take). With `--transcript` the
transcript runs too (needs the speech extra).

    .venv/bin/python -m bench.long_file [--minutes 120] [--rate 48000] [--transcript]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from bench.harness import ROOT, private_environment


def write_take(path: Path, minutes: float, rate: int) -> None:
    with soundfile.SoundFile(path, "w", rate, 1, subtype="PCM_16") as out:
        for second in range(round(minutes * 60)):
            if (second // 60) % 10 == 0 and second % 60 < 20 and second % 5 < 3:
                t = (np.arange(rate) + second * rate) / rate
                wave = 0.3 * np.sin(2 * np.pi * (150 + 30 * np.sin(2 * np.pi * 0.3 * t)) * t)
                out.write(wave.astype(np.float32))
            else:
                out.write(np.zeros(rate, np.float32))


def analyse(path: Path, transcript: bool) -> tuple[float, float]:
    """(seconds, peak resident MiB) of a fresh `closer analyze` process on `path`."""
    argv = ["analyze", "--json", str(path)] + ([] if transcript else ["--no-transcript"])
    code = (
        "import resource, sys; from closer_desktop.cli import main; "
        f"rc = main({argv!r}); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rc, file=sys.stderr)"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"analyze failed: {done.stderr[-2000:]}")
    peak_kib, _ = done.stderr.split()[-2:]
    return elapsed, int(peak_kib) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120.0)
    parser.add_argument("--rate", type=int, default=48000)
    parser.add_argument("--transcript", action="store_true")
    args = parser.parse_args()
    private_environment()
    with tempfile.TemporaryDirectory(prefix="closer-long-") as folder:
        short, long = Path(folder) / "short.wav", Path(folder) / "long.wav"
        write_take(short, 20 / 60, args.rate)
        started = time.perf_counter()
        write_take(long, args.minutes, args.rate)
        size = long.stat().st_size / 2**20
        print(
            f"wrote {args.minutes:g} min at {args.rate} Hz ({size:.0f} MiB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        seconds, peak = analyse(short, args.transcript)
        print(f"20 s take:  {seconds:.1f} s, peak resident {peak:.0f} MiB")
        seconds, peak = analyse(long, args.transcript)
        print(f"long take:  {seconds:.1f} s, peak resident {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
