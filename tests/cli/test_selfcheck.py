"""`closer --self-check`: versions, audio, folders, exit code 0 (also from a fresh process)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from closer_desktop import __version__
from closer_desktop.cli import main
from closer_desktop.selfcheck import run, versions


def test_the_report_names_versions_audio_and_folders(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run(tmp_path / "library", out) == 0
    text = out.getvalue()
    for part in (f"Closer:      {__version__}", "Qt 6.", "PySide6", "libsndfile", "PortAudio V"):
        assert part in text, part
    assert "Audio:" in text and "GUI:" in text and "icon rendered" in text
    assert "Analysis:    runs in its own process" in text
    assert f"Data folder: {tmp_path / 'library'}" in text
    assert text.rstrip().endswith("self-check passed")
    assert not (tmp_path / "library").exists()  # a check creates no library


def test_a_missing_part_fails_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import closer_desktop.selfcheck as selfcheck

    def broken() -> list[tuple[str, str]]:
        return [*versions()[:-1], ("PortAudio", "missing: PortAudio library not found")]

    monkeypatch.setattr(selfcheck, "versions", broken)
    out = io.StringIO()
    assert run(tmp_path, out) == 1
    assert "self-check FAILED: PortAudio" in out.getvalue()


def test_the_command_line_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-check", "--data-dir", str(tmp_path)]) == 0
    assert "self-check passed" in capsys.readouterr().out


def test_a_fresh_process_passes_offscreen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "--self-check", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-check passed" in done.stdout
