"""`closer deck list|export|import`: one deck a line, round trips, exit code 2 on bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from closer_desktop.cli import main
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path


def test_list_export_import_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "library"
    assert main(["deck", "list", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("Closing an interview\t")
    out = tmp_path / "mine.toml"
    assert main(["--data-dir", str(data), "deck", "export", "Closing an interview", str(out)]) == 0
    assert load_deck(out) == load_deck(default_deck_path())
    assert main(["deck", "import", "--data-dir", str(data), str(out)]) == 0
    capsys.readouterr()
    assert main(["deck", "list", "--data-dir", str(data)]) == 0
    names = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["Closing an interview", "Closing an interview (2)"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        (b'version = 1\nid = "x"\nname = "X"\n[[stages]]\nid = 3\n', "'id' must be text"),
        (b'version = 1\n\nname = "x" y\n', "line 3"),
    ],
)
def test_a_bad_deck_file_exits_2_naming_file_and_problem(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    data = tmp_path / "library"
    # A real process: no traceback may reach the user, only one line on stderr.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "closer_desktop",
            "deck",
            "import",
            "--data-dir",
            str(data),
            str(bad),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert str(bad) in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data / "decks").exists()


def test_export_of_an_unknown_deck_lists_the_decks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deck", "export", "--data-dir", str(tmp_path), "Nope", str(tmp_path / "x")]) == 2
    assert "'Closing an interview'" in capsys.readouterr().err
