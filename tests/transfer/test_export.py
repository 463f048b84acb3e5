from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np
import soundfile

from closer_desktop.cli import main
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.transfer.export import export_json

DECK = load_deck(default_deck_path())
TAKE_KEYS = {
    "id",
    "question_id",
    "question_text",
    "stage",
    "recorded_at",
    "duration_s",
    "sample_rate",
    "audio_path",
    "professionalism",
    "clarity",
    "note",
    "recovered",
}


def build_library(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for index, question in enumerate(DECK.questions[:2]):
        take = library.begin_take(session, DECK.id, question, 48000)
        soundfile.write(library.audio_file(take), np.zeros(4800, dtype=np.float32), 48000)
        library.finish_take(take.id, 0.1, 48000)
        if index == 0:
            library.set_rating(take.id, RatingScale.PROFESSIONALISM, 5)
            library.set_note(take.id, "good")
    library.close()


def test_export_has_the_documented_shape(data_dir: Path) -> None:
    build_library(data_dir)
    library = Library(data_dir)
    exported = json.loads(export_json(library, None))
    library.close()
    (session,) = exported["sessions"]
    assert {"id", "started_at", "ended_at", "deck", "takes"} <= set(session)
    assert session["deck"] == DECK.id
    assert datetime.fromisoformat(session["started_at"]).utcoffset() is not None
    assert datetime.fromisoformat(session["ended_at"]).utcoffset() is not None
    first, second = session["takes"]
    assert set(first) >= TAKE_KEYS
    assert datetime.fromisoformat(first["recorded_at"]).utcoffset() is not None
    assert (first["professionalism"], first["clarity"], first["note"]) == (5, None, "good")
    assert first["recovered"] is False
    assert first["question_text"] == DECK.questions[0].text
    assert not Path(first["audio_path"]).is_absolute()
    assert (data_dir / first["audio_path"]).is_file()
    assert second["question_id"] == DECK.questions[1].id


def test_cli_export_writes_a_file(data_dir: Path, tmp_path: Path) -> None:
    build_library(data_dir)
    out = tmp_path / "out" / "export.json"
    assert (
        main(["export", "--data-dir", str(data_dir), "--format", "json", "--output", str(out)]) == 0
    )
    assert len(json.loads(out.read_text())["sessions"][0]["takes"]) == 2


def test_cli_export_to_stdout_with_data_dir_first(data_dir: Path, capsys: object) -> None:
    build_library(data_dir)
    assert main(["--data-dir", str(data_dir), "export"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert json.loads(out)["sessions"][0]["deck"] == DECK.id


def test_cli_export_of_a_missing_library_says_so(tmp_path: Path, capsys: object) -> None:
    assert main(["export", "--data-dir", str(tmp_path / "nothing")]) == 2
    assert "no library" in capsys.readouterr().err  # type: ignore[attr-defined]
    assert not (tmp_path / "nothing").exists()
