"""How a take was said and its line check (issue 18) in backups: carried by a backup and its
restore (sidecars included), and checked like every other value of an untrusted archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from closer_desktop.cli import main
from closer_desktop.storage import sidecar
from closer_desktop.storage.library import Library
from closer_desktop.storage.take_metrics import LINE_MATCH, metrics_by_take
from closer_desktop.transfer.backup import create_backup
from tests.support.line_library import line_library
from tests.transfer.test_backup import listing
from tests.transfer.test_restore_untrusted import assert_refused, sql


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("modes")
    ids = line_library(root / "source")
    library = Library(root / "source")
    library.set_response_latency(ids["other"], 1.4)
    library.set_hint_level(ids["keyless"], 2)
    library.close()
    create_backup(root / "source", root / "modes.zip")
    return root / "modes.zip", ids


def how_said(data_dir: Path) -> dict[str, tuple[object, ...]]:
    """By take uid: mode, hint level, key phrases, latency and the stored line check."""
    library = Library(data_dir)
    metrics = metrics_by_take(library)
    found: dict[str, tuple[object, ...]] = {}
    for session in library.sessions():
        for take in session.takes:
            check = metrics.get(take.id, {}).get(LINE_MATCH, "absent")
            found[take.uid] = (
                take.mode,
                take.hint_level,
                take.key_phrases,
                take.response_latency_s,
                json.dumps(check, sort_keys=True),
            )
    library.close()
    return found


def test_a_restore_brings_back_how_each_take_was_said(
    archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    zip_path, _ = archive
    source = zip_path.parent / "source"
    target = tmp_path / "restored"
    assert main(["restore", "--data-dir", str(target), str(zip_path)]) == 0
    restored = how_said(target)
    assert restored == how_said(source)
    modes = sorted(str(v[0]) for v in restored.values())
    assert modes == ["memory", "memory", "memory", "memory", "read", "run"]
    assert any(v[3] == 1.4 for v in restored.values())  # the run's latency
    library = Library(target)  # the restored sidecars say it too (what a rebuild reads)
    for session in library.sessions():
        for take in session.takes:
            record = sidecar.read(library.audio_file(take))
            assert record is not None
            assert (record.mode, record.hint_level, record.key_phrases) == (
                take.mode,
                take.hint_level,
                take.key_phrases,
            )
            assert record.response_latency_s == take.response_latency_s
    library.close()


BAD_VALUES = {
    "mode": ("UPDATE takes SET mode = 'karaoke' WHERE id = 2", "take 2", "mode is 'karaoke'"),
    "hint level": ("UPDATE takes SET hint_level = 4 WHERE id = 2", "take 2", "hint_level is 4"),
    "hint level text": (
        "UPDATE takes SET hint_level = 'all' WHERE id = 3",
        "take 3",
        "hint_level is 'all'",
    ),
    "latency": (
        "UPDATE takes SET response_latency_s = -3 WHERE id = 5",
        "take 5",
        "response_latency_s is -3",
    ),
    "latency text": (
        "UPDATE takes SET response_latency_s = 'soon' WHERE id = 5",
        "take 5",
        "response_latency_s is 'soon'",
    ),
    "key phrases not json": (
        "UPDATE takes SET key_phrases = 'next steps' WHERE id = 1",
        "take 1",
        "key_phrases is not valid JSON",
    ),
    "key phrases not texts": (
        "UPDATE takes SET key_phrases = '[1, 2]' WHERE id = 1",
        "take 1",
        "key_phrases is '[1, 2]'",
    ),
    "key phrases too many": (
        "UPDATE takes SET key_phrases = '[" + ", ".join(['"k"'] * 9) + "]' WHERE id = 1",
        "take 1",
        "at most 8 phrases",
    ),
    "line check score": (
        "UPDATE take_metrics SET metrics = json_set(metrics, '$.line_match.score', 7) "
        "WHERE take_id = 3",
        "metrics row of take 3",
        "its line check",
    ),
    "line check shape": (
        "UPDATE take_metrics SET metrics = json_set(metrics, '$.line_match', 'all of it') "
        "WHERE take_id = 4",
        "metrics row of take 4",
        "its line check 'all of it'",
    ),
    "line check changed": (
        "UPDATE take_metrics SET metrics = json_set(metrics, '$.line_match.changed', "
        "json('[\"steps\"]')) WHERE take_id = 3",
        "metrics row of take 3",
        "is not one Closer writes",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_VALUES))
def test_a_bad_value_is_refused_naming_its_take_and_nothing_is_created(
    kind: str,
    archive: tuple[Path, dict[str, int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    statement, row, problem = BAD_VALUES[kind]
    zip_path, _ = archive
    bad = tmp_path / "bad.zip"
    sql(statement)(zip_path, bad)
    target = tmp_path / "library"
    outside = listing(tmp_path)

    assert main(["restore", "--data-dir", str(target), str(bad)]) == 2
    assert_refused(capsys.readouterr().err, bad, f"its database's {row} is invalid", problem)
    assert not target.exists()
    assert listing(tmp_path) == outside
