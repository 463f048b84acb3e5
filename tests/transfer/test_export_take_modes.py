"""The export (issue 18): each take says how it was said (`mode`, `hint_level`,
`response_latency_s`) and carries its `line_match` (null without a transcript), stored or, for
metrics stored before the line check, made from the stored transcript."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from closer_desktop.cli import main
from closer_desktop.storage.library import Library
from tests.support.line_library import line_library, said_metrics

LINE_KEYS = {"score", "missed", "changed", "added", "key_missed"}


def exported(data_dir: Path, tmp_path: Path) -> dict[int, dict[str, Any]]:
    """`closer export` of the library, its takes by id."""
    output = tmp_path / "export.json"
    assert main(["export", "--data-dir", str(data_dir), "--output", str(output)]) == 0
    data = json.loads(output.read_text("utf-8"))
    return {t["id"]: t for s in data["sessions"] for t in s["takes"]}


def test_each_take_says_how_it_was_said_and_how_it_matched(data_dir: Path, tmp_path: Path) -> None:
    ids = line_library(data_dir)
    library = Library(data_dir)
    library.set_response_latency(ids["other"], 0.85)
    library.set_hint_level(ids["keyless"], 1)
    library.close()
    takes = exported(data_dir, tmp_path)

    read, keyless, other = takes[ids["read"]], takes[ids["keyless"]], takes[ids["other"]]
    assert (read["mode"], read["hint_level"], read["response_latency_s"]) == ("read", None, None)
    assert (keyless["mode"], keyless["hint_level"]) == ("memory", 1)
    assert (other["mode"], other["response_latency_s"]) == ("run", 0.85)
    for take in takes.values():
        if take["line_match"] is not None:
            assert set(take["line_match"]) >= LINE_KEYS
        assert "line_match" not in (take["metrics"] or {})  # one place in the export
    assert keyless["line_match"]["changed"] == [{"said": "stages", "expected": "steps"}]
    assert keyless["line_match"]["key_missed"] == ["next steps"]
    assert keyless["line_match"]["score"] == 0.75
    assert read["line_match"]["score"] == 1.0 and read["line_match"]["missed"] == []
    assert other["line_match"]["different"] is True
    assert takes[ids["untranscribed"]]["line_match"] is None  # no transcript
    assert takes[ids["untranscribed"]]["metrics"] is not None


def test_metrics_stored_before_the_line_check_are_checked_for_the_export(
    data_dir: Path, tmp_path: Path
) -> None:
    """`closer export` reads a copy and changes nothing: a take analysed by an earlier Closer
    (no stored check) is checked from its transcript; damage in a stored check is not
    exported as it is."""
    ids = line_library(data_dir)
    library = Library(data_dir)
    old = said_metrics("When will you make the decision?")
    library.db.execute(
        "UPDATE take_metrics SET metrics = ? WHERE take_id = ?",
        (json.dumps(old), ids["untranscribed"]),
    )
    library.db.execute(
        "UPDATE take_metrics SET metrics = json_set(metrics, '$.line_match.changed', 'x') "
        "WHERE take_id = ?",
        (ids["keyless"],),
    )
    library.close()
    takes = exported(data_dir, tmp_path)
    old_take = takes[ids["untranscribed"]]["line_match"]
    assert old_take["changed"] == [
        {"said": "make", "expected": "making"},
        {"said": "the", "expected": "a"},
    ]
    assert takes[ids["keyless"]]["line_match"]["changed"] == [
        {"said": "stages", "expected": "steps"}
    ]
