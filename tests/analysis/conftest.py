"""Fixtures for the analysis tests: one Whisper model loaded for the whole session."""

from __future__ import annotations

import os

import pytest

from closer_desktop.analysis.transcribe import Recognizer, shared_recognizer, speech_unavailable


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
