"""Moving a library: copy (database by snapshot, files byte for byte), verify, never touch the
old folder, refuse targets that could overwrite or nest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import DATABASE_NAME, default_deck_path
from closer_desktop.storage.library import Library
from closer_desktop.transfer import relocate
from closer_desktop.transfer.relocate import RelocateError, copy_library

DECK = load_deck(default_deck_path())


def make_library(data_dir: Path, takes: int = 3) -> Library:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    for number in range(takes):
        take = library.begin_take(session, DECK.id, DECK.questions[number], 16000)
        noise = np.random.default_rng(number).uniform(-0.5, 0.5, 16000).astype(np.float32)
        soundfile.write(library.audio_file(take), noise, 16000)
        library.finish_take(take.id, 1.0, 16000)
    (data_dir / "decks").mkdir(exist_ok=True)
    (data_dir / "decks" / "practice.json").write_text('{"current": "x"}')
    return library


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_copy_holds_everything_and_the_old_folder_is_untouched(tmp_path: Path) -> None:
    source = tmp_path / "old"
    library = make_library(source)  # left open: the app moves a library it has open
    before = snapshot(source)
    target = tmp_path / "new place"
    report = copy_library(source, target)
    assert snapshot(source) == before
    copied = snapshot(target)
    audio = {name for name in before if name.endswith(".wav")}
    assert len(audio) == 3 and all(copied[n] == before[n] for n in audio)
    assert copied["decks/practice.json"] == before["decks/practice.json"]
    assert report.takes == 3 and report.target == target.resolve()
    assert "left as it was" in report.describe()
    library.close()

    moved = Library(target)  # the copy opens as a library, with every take
    assert len(moved.takes_for_session(1)) == 3
    moved.close()
    assert (target.stat().st_mode & 0o777) == 0o700


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        (lambda s: s, "already"),
        (lambda s: s / "audio" / "inside", "inside"),
        (lambda s: s.parent, "cannot hold"),
    ],
)
def test_nested_or_same_targets_are_refused(tmp_path: Path, where: object, problem: str) -> None:
    source = tmp_path / "lib"
    make_library(source).close()
    with pytest.raises(RelocateError, match=problem):
        copy_library(source, where(source))  # type: ignore[operator]


def test_a_folder_with_files_in_it_is_never_written_to(tmp_path: Path) -> None:
    source = tmp_path / "lib"
    make_library(source).close()
    target = tmp_path / "busy"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    with pytest.raises(RelocateError, match="not empty"):
        copy_library(source, target)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    source = tmp_path / "lib"
    make_library(source, takes=1).close()
    (tmp_path / "empty").mkdir()
    assert copy_library(source, tmp_path / "empty").takes == 1


def test_a_copy_that_reads_back_different_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "lib"
    make_library(source, takes=1).close()
    real = relocate._sha256
    monkeypatch.setattr(relocate, "_sha256", lambda p: "0" * 64 if p.suffix == ".wav" else real(p))
    with pytest.raises(RelocateError, match="differs from the original"):
        copy_library(source, tmp_path / "new")
    assert (source / DATABASE_NAME).exists()


def test_no_library_no_move(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    with pytest.raises(RelocateError, match="no library"):
        copy_library(tmp_path / "nothing", tmp_path / "new")


def test_the_waveform_cache_stays_and_a_file_gone_mid_copy_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "old"
    library = make_library(source)
    cache = source / "cache" / "peaks" / "take.npz"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"peaks")
    passing = source / "audio" / ".take.json.1234"  # an atomic write's temp file
    passing.write_bytes(b"{}")
    copy_file = relocate._copy_file

    def vanishing(path: Path, destination: Path) -> str:
        if path.name == passing.name:
            path.rename(path.with_name("renamed.json"))  # as os.replace does, mid-copy
        return copy_file(path, destination)

    monkeypatch.setattr(relocate, "_copy_file", vanishing)
    target = tmp_path / "new"
    report = copy_library(source, target)
    copied = snapshot(target)
    assert not any(name.startswith("cache/") for name in copied)
    assert not any(passing.name in name for name in copied)
    assert report.takes == 3
    library.close()
