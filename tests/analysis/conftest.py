"""Fixtures for the analysis tests: one Whisper model loaded for the whole session."""

from __future__ import annotations

import os

import pytest

from closer_desktop.analysis.transcribe import Recognizer, shared_recognizer, speech_unavailable
from tests.support import real_speech


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """The process's shared recognizer (loaded once: ~1 s). Required under CI=true, where
    packaging/dev.sh installs the speech extra; skipped elsewhere when it is not installed."""
    missing = speech_unavailable()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"speech recognition is required under CI: {missing}")
        pytest.skip(missing)
    return shared_recognizer()


@pytest.fixture(scope="session")
def real_clips() -> list[real_speech.Clip]:
    """The real recordings of ../shared/data/speech/real/ (never copied into the project).
    Skipped with the reason when that folder is absent; under CI=true, where it is laid beside
    the clone, its absence fails."""
    if not real_speech.available():
        reason = f"the real speech clips are not here ({real_speech.REAL_DIR})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return real_speech.clips()
