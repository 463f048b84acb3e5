"""The recovery message counts in words that agree with the count: one take "is listed with its
question", several "are listed with their questions" (issue 19's copy slip)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.storage.recovery import open_library

DECK = load_deck(default_deck_path())


def killed_mid_take(data_dir: Path, takes: int) -> None:
    """`takes` takes begun, their audio written, never finished (the app was killed)."""
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for index in range(takes):
        take = library.begin_take(session, DECK.id, DECK.questions[index], 16000)
        soundfile.write(library.audio_file(take), np.full(16000, 0.1, np.float32), 16000)
    library.close()


def test_one_recovered_take_is_listed_with_its_question(data_dir: Path) -> None:
    killed_mid_take(data_dir, 1)
    library, report = open_library(data_dir)
    library.close()
    message = report.message() or ""
    assert "Recovered 1 take (1 s) that had not been saved" in message
    assert "It is listed with its question" in message
    assert "They are" not in message


def test_several_recovered_takes_are_listed_with_their_questions(data_dir: Path) -> None:
    killed_mid_take(data_dir, 2)
    library, report = open_library(data_dir)
    library.close()
    message = report.message() or ""
    assert "Recovered 2 takes (2 s) that had not been saved" in message
    assert "They are listed with their questions" in message


def test_one_adopted_recording_is_listed_now(data_dir: Path) -> None:
    Library(data_dir).close()
    folder = data_dir / "audio" / "2020-01"
    folder.mkdir(parents=True)
    stray = folder / "2020-01-02_030405_next-steps_take-7.wav"  # no sidecar, no row
    soundfile.write(stray, np.full(4000, 0.1, dtype=np.float32), 8000)
    library, report = open_library(data_dir)
    library.close()
    message = report.message() or ""
    assert "Found 1 recording" in message and "it is listed now" in message
