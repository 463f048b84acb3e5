"""Interview runs and stored takes for the window tests of the run and the practice page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from closer_desktop.app.interview_run import InterviewRun
from closer_desktop.domain.deck import Deck, Question
from closer_desktop.domain.practice import Take
from closer_desktop.storage.library import Library
from closer_desktop.ui.main_window import MainWindow


def start_run(window: MainWindow, cue_shown_s: float = 0.3) -> InterviewRun:
    """Start an interview run in `window` with no speech engine (each cue is shown briefly)."""
    run = InterviewRun(window.controller, None, window, cue_shown_s=cue_shown_s)
    window.interview_run = run
    window.start_interview_run()
    assert run.active
    return run


def tone_take(data_dir: Path, deck: Deck, question: Question, seconds: float, mode: str) -> Take:
    """A finished, unrated take of `question`: `seconds` of a quiet 220 Hz tone, in a session
    of its own."""
    library = Library(data_dir)
    try:
        session = library.start_session(deck.id)
        take = library.begin_take(session, deck.id, question, 16000, mode=mode)
        tone = 0.05 * np.sin(np.arange(int(16000 * seconds)) * 2 * np.pi * 220 / 16000)
        soundfile.write(library.audio_file(take), tone.astype(np.float32), 16000)
        return library.finish_take(take.id, seconds, 16000)
    finally:
        library.close()
