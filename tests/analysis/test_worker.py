"""The child's side of the analysis process: its loop answers each request, whatever comes in."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from closer_desktop.analysis import worker
from closer_desktop.analysis.worker import serve


def test_the_child_loop_answers_each_request_and_skips_what_is_not_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "background_recognizer", lambda: None)  # acoustics only
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"not audio" * 50)
    lines = [
        b"not json",
        b"[1, 2]",
        b'{"op": "analyse", "path": "no id"}',
        json.dumps({"id": 1, "op": "analyse", "path": str(garbage)}).encode(),
        json.dumps({"id": 2, "op": "shout"}).encode(),
    ]
    replies = io.BytesIO()
    assert serve(io.BytesIO(b"\n".join(lines) + b"\n"), replies) == 0
    answers = [json.loads(line) for line in replies.getvalue().splitlines()]
    assert [a["id"] for a in answers] == [1, 2]
    assert not answers[0]["ok"] and "not an audio file" in answers[0]["error"]
    assert answers[1] == {"id": 2, "ok": False, "error": "unknown request 'shout'"}
