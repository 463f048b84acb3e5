"""`closer analyze` of a short clip as a whole process, against the plain peer's whole process.

Issue 15 asks that `closer analyze FILE --json` (start-up, reading the file, the acoustic
measures, loading the model and transcribing) take no longer than the plain peer: a `python -c`
that loads faster-whisper with the same tiny.en from the same model folder and transcribes the
whole file (beam 5, no prompt). Both are run as fresh processes, one after the other in turn
(so a busy moment of the machine falls on both), after one unmeasured run of each (the disk
cache); prints each side's wall time (median, min, max), and where Closer's goes: the same
for a process that only imports what the command imports, and for one that also loads the
model.

Usage: python -m bench.analyze_cli [FILE] [--runs N]   (FILE: ../shared/data/speech/jfk.flac)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import ROOT, private_environment

JFK = ROOT.parent / "shared" / "data" / "speech" / "jfk.flac"

PEER = """
import sys
from faster_whisper import WhisperModel
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", local_files_only=True)
segments, _ = model.transcribe(sys.argv[2], language="en", beam_size=5)
print(" ".join(s.text.strip() for s in segments))
"""
# What `closer analyze` costs before any audio is read: its imports, then the model's load.
IMPORTS = """
import closer_desktop.cli
from closer_desktop.analysis.metrics import analyse_file
"""
LOAD = (
    IMPORTS
    + """
from closer_desktop.analysis.transcribe import shared_recognizer
shared_recognizer()
"""
)


def closer_command(path: Path) -> list[str]:
    """The installed `closer` entry point beside this interpreter (what a user runs)."""
    script = Path(sys.executable).parent / "closer"
    if script.exists():
        return [str(script), "analyze", str(path), "--json"]
    run = "import sys; from closer_desktop.cli import main; sys.exit(main())"
    return [sys.executable, "-c", run, "analyze", str(path), "--json"]


def timed(command: list[str]) -> tuple[float, str]:
    """Wall seconds and stdout of one run. A failed run stops the bench."""
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, done.stdout


def summary(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.2f} s, min {min(values):.2f}, "
        f"max {max(values):.2f} (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=JFK)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"no clip at {args.file}: nothing to measure", file=sys.stderr)
        return 2
    private_environment()  # the children inherit the private folders
    from closer_desktop.analysis.transcribe import model_path

    model = str(model_path())
    sides = {
        "closer analyze": closer_command(args.file),
        "plain peer": [sys.executable, "-c", PEER, model, str(args.file)],
        "closer imports": [sys.executable, "-c", IMPORTS],
        "closer imports + model": [sys.executable, "-c", LOAD],
    }
    times: dict[str, list[float]] = {name: [] for name in sides}
    for name, command in sides.items():  # unmeasured: the disk cache
        _, out = timed(command)
        if out.strip():
            print(f"{name}: {out.strip()[:160]}")
    for _ in range(args.runs):
        for name, command in sides.items():
            times[name].append(timed(command)[0])
    print(f"{args.file.name}, {args.runs} runs each, taken in turn:")
    for name in sides:
        print(f"  {name:24} {summary(times[name])}")
    closer = statistics.median(times["closer analyze"])
    peer = statistics.median(times["plain peer"])
    verdict = "no slower" if closer <= peer else "SLOWER"
    print(f"closer analyze {closer:.2f} s against the peer's {peer:.2f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
