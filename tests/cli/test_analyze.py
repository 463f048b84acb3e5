"""`closer analyze FILE [--json]`: any audio file; one JSON object; exit code 2 on bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.analysis.transcribe import Recognizer
from closer_desktop.cli import main
from tests.analysis.test_metrics import REQUIRED_KEYS


def test_json_for_a_stereo_ogg_at_48_khz(
    tmp_path: Path,
    speech_dir: Path,
    recognizer: Recognizer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # jfk.flac re-encoded as a 48 kHz stereo Ogg Vorbis file (recognizer: the model is warm).
    data, rate = soundfile.read(speech_dir / "jfk.flac", dtype="float32", always_2d=True)
    t_in = np.arange(len(data)) / rate
    t_out = np.arange(round(len(data) * 48000 / rate)) / 48000
    stereo = np.stack([np.interp(t_out, t_in, data[:, c]) for c in range(data.shape[1])], 1)
    path = tmp_path / "jfk-48k.ogg"
    soundfile.write(path, stereo, 48000, format="OGG")
    assert main(["analyze", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one object, one line
    result = json.loads(out)
    assert set(result) >= REQUIRED_KEYS
    assert result["duration_s"] == pytest.approx(11.0, abs=0.01)
    assert len(result["pauses"]) >= 3 and result["fillers"] == []
    assert "ask not what your country can do for you" in result["transcript"].lower()
    assert result["words"][0]["word"].lower().startswith("and")


def test_plain_text_without_transcript(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rate = 8000
    t = np.arange(rate) / rate
    tone = 0.3 * np.sin(2 * np.pi * 150 * t)
    path = tmp_path / "two beeps.flac"
    soundfile.write(path, np.concatenate([tone, np.zeros(rate), tone]), rate)
    assert main(["analyze", "--no-transcript", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("two beeps.flac: 3.0 s, speaking 2.0 s\n")
    assert "pauses: 1 of 0.3 s or more, longest 1.0 s" in out
    assert "transcript: Not transcribed." in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.wav", None, "does not exist"),
        ("empty.wav", b"", "not an audio file"),
        ("notes.wav", b"these are notes, not sound", "not an audio file"),
        ("image.ogg", b"\x89PNG\r\n\x1a\n" + bytes(64), "not an audio file"),
    ],
)
def test_bad_files_exit_2_with_one_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["analyze", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("closer: ") and message in captured.err
    assert captured.err.count("\n") == 1


def test_a_file_without_samples_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "nothing.wav"
    soundfile.write(path, np.zeros((0, 2), np.float32), 44100)
    done = subprocess.run(
        [sys.executable, "-m", "closer_desktop", "analyze", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"closer: {path} holds no audio (zero samples)\n"


def test_the_line_check_names_the_changed_and_missed_words(
    speech_dir: Path, recognizer: Recognizer, capsys: pytest.CaptureFixture[str]
) -> None:
    """JFK said "country" where this line has "nation", and not the "truly" it adds."""
    line = "Ask not what your nation can do for you, ask what you can truly do for your country"
    args = ["analyze", str(speech_dir / "jfk.flac"), "--json", "--line", line]
    assert main([*args, "--key", "your nation", "--key", "ask not"]) == 0
    match = json.loads(capsys.readouterr().out)["line_match"]
    assert match["changed"] == [{"said": "country", "expected": "nation"}]
    assert match["missed"] == ["truly"]
    assert match["added"][:5] == ["and", "so", "my", "fellow", "americans"]
    assert match["key_missed"] == ["your nation"]
    assert match["score"] == pytest.approx(3 / 5) and not match["different"]  # ask, ask, country
    assert main(["analyze", str(speech_dir / "jfk.flac"), "--line", line]) == 0
    text = capsys.readouterr().out
    assert "line: said \u201ccountry\u201d for \u201cnation\u201d" in text
    assert "line: missed truly" in text


def test_without_a_transcript_the_line_match_is_null(
    speech_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["analyze", str(speech_dir / "jfk.flac"), "--json", "--no-transcript"]
    assert main([*args, "--line", "ask not"]) == 0
    assert json.loads(capsys.readouterr().out)["line_match"] is None
    assert main(["analyze", str(speech_dir / "jfk.flac"), "--key", "ask"]) == 2
    assert "--key needs --line" in capsys.readouterr().err
