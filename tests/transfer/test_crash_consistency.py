"""kill -9 at any moment leaves a library that the next start makes whole: every take has its
audio, every audio file is listed, nothing is deleted. The work runs in a child process that is
killed mid-flight (while recording, saving ratings and notes, moving files to and from the trash,
emptying it, restoring a backup), then the library is opened as the app opens it and checked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.recovery import open_library
from closer_desktop.transfer.backup import create_backup
from closer_desktop.transfer.restore import restore_backup
from tests.support.consistency import audio_files, check_consistent

ROOT = Path(__file__).resolve().parents[2]

WORK = r"""
import sys, itertools
from pathlib import Path
import numpy as np, soundfile
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.recovery import open_library

deck = load_deck(default_deck_path())
library, _ = open_library(Path(sys.argv[1]))
session = library.start_session(deck.id)
block = np.full(1600, 0.05, dtype=np.float32)
for n in itertools.count():
    question = deck.questions[n % len(deck.questions)]
    take = library.begin_take(session, deck.id, question, 16000)
    with soundfile.SoundFile(library.audio_file(take), "w", 16000, 1, "PCM_16") as sink:
        for _ in range(3):  # written block by block, as the recorder does
            sink.write(block)
            sink.flush()
    library.finish_take(take.id, 0.3, 16000)
    library.set_rating(take.id, RatingScale.PROFESSIONALISM, 1 + n % 5)
    library.set_rating(take.id, RatingScale.CLARITY, 1 + (n + 2) % 5)
    library.set_note(take.id, f"note {n} " * (n % 7))
    library.set_starred(take.id, n % 4 == 0)
    if n % 3 == 1:
        library.trash_take(take.id)
    if n % 5 == 2:
        for trashed in library.trashed_takes()[:1]:
            library.restore_take(trashed.id)
    if n % 7 == 6:
        library.empty_trash()
    print("step", n, flush=True)
"""

RESTORE = r"""
import sys
from pathlib import Path
from closer_desktop.transfer.restore import restore_backup

def progress(stage, done, total):
    if stage == "adding":
        print("adding", done, total, flush=True)

restore_backup(Path(sys.argv[2]), Path(sys.argv[1]), progress)
"""


def run_until(
    script: str, args: list[str], ready: str, delay_s: float = 0.0, timeout: float = 60
) -> str:
    """Start `script`, SIGKILL it `delay_s` after a stdout line starts with `ready`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    try:
        for line in child.stdout:
            if line.startswith(ready):
                time.sleep(delay_s)
                child.send_signal(signal.SIGKILL)
                return line.strip()
        raise AssertionError(f"the child ended first: {child.wait(timeout)}, {child.stderr}")
    finally:
        child.kill()
        child.wait(timeout)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()


def test_killed_at_any_moment_the_library_stays_whole(data_dir: Path) -> None:
    # A step (a take, rated, noted, starred, maybe trashed or restored) takes some tens of ms,
    # with a sidecar fsync per change: killing 0-45 ms after different steps lands the signal
    # in different operations each time (begin, audio, finish, rate, trash, empty...).
    for round_, kill_after in enumerate((0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12)):
        delay = (round_ * 7 % 10) * 0.005
        run_until(WORK, [str(data_dir)], f"step {kill_after}", delay)
        library, _ = open_library(data_dir)
        library.close()
        problems = check_consistent(data_dir)
        assert problems == [], f"after a kill past step {kill_after}: {problems}"
        for side in data_dir.rglob("*.wav.json"):  # atomic: the old sidecar or the new one
            json.loads(side.read_text("utf-8"))
    library = Library(data_dir)
    assert library.db.execute("SELECT COUNT(*) FROM takes").fetchone()[0] >= 7
    library.close()


def test_a_restore_killed_midway_is_adopted_then_completed(tmp_path: Path) -> None:
    deck = load_deck(default_deck_path())
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "backup.zip"
    library = Library(source)
    session = library.start_session(deck.id)
    for n in range(24):
        take = library.begin_take(session, deck.id, deck.questions[n % len(deck.questions)], 8000)
        soundfile.write(library.audio_file(take), np.full(4000, 0.1, dtype=np.float32), 8000)
        library.finish_take(take.id, 0.5, 8000)
    uids = {row[0] for row in library.db.execute("SELECT uid FROM takes")}
    library.close()
    create_backup(source, archive)

    line = run_until(RESTORE, [str(target), str(archive)], "adding 9 ")
    assert line == "adding 9 24"
    library, report = open_library(target)  # the copied audio is adopted, with its uids
    adopted = len(report.adopted)
    assert 9 <= adopted < 24
    library.close()
    assert check_consistent(target) == []

    summary = restore_backup(archive, target)  # restoring again adds only what is missing
    assert summary.takes_added == 24 - adopted
    library = Library(target)
    restored = [row[0] for row in library.db.execute("SELECT uid FROM takes")]
    library.close()
    assert sorted(restored) == sorted(uids)  # each take once
    assert len(audio_files(target)) == 24
    assert check_consistent(target) == []
