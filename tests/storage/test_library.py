from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import Library

DECK = load_deck(default_deck_path())


def record_fake_audio(library: Library, take_id: int, seconds: float = 1.0) -> None:
    take = library.take_including_unfinished(take_id)
    samples = np.zeros(int(seconds * take.sample_rate), dtype=np.float32)
    soundfile.write(library.audio_file(take), samples, take.sample_rate)


def test_take_round_trip_with_ratings_and_note(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    question = DECK.questions[2]
    take = library.begin_take(session, DECK.id, question, 48000)
    assert take.audio_path.startswith("audio/")
    assert "next-steps_take-1.wav" in take.audio_path
    assert library.takes_for_question(DECK.id, question.id) == []  # not finished yet
    record_fake_audio(library, take.id)
    library.finish_take(take.id, 1.0, 48000)
    library.set_rating(take.id, RatingScale.PROFESSIONALISM, 4)
    library.set_rating(take.id, RatingScale.CLARITY, 2)
    library.set_note(take.id, "Slower — and smile ☺")
    library.close()

    reopened = Library(data_dir)
    (saved,) = reopened.takes_for_question(DECK.id, question.id)
    assert (saved.professionalism, saved.clarity) == (4, 2)
    assert saved.note == "Slower — and smile ☺"
    assert saved.duration_s == 1.0
    assert saved.question_text == question.text
    assert saved.stage == question.stage_title
    assert saved.recorded_at.utcoffset() is not None
    reopened.set_rating(saved.id, RatingScale.CLARITY, None)  # a rating can be cleared
    assert reopened.take(saved.id).clarity is None
    reopened.close()


def test_take_numbers_count_across_sessions(data_dir: Path) -> None:
    library = Library(data_dir)
    question = DECK.questions[0]
    names = []
    for _ in range(2):
        session = library.start_session(DECK.id)
        take = library.begin_take(session, DECK.id, question, 44100)
        record_fake_audio(library, take.id)
        library.finish_take(take.id, 1.0, 44100)
        names.append(take.audio_path)
    assert names[0].endswith("take-1.wav") and names[1].endswith("take-2.wav")
    takes = library.takes_for_question(DECK.id, question.id)
    assert [t.session_id for t in takes] == [1, 2]
    library.close()


def test_invalid_rating_is_refused(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 48000)
    with pytest.raises(ValueError):
        library.set_rating(take.id, RatingScale.CLARITY, 6)
    library.close()


def test_empty_take_is_discarded_but_audio_is_never_deleted(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    empty = library.begin_take(session, DECK.id, DECK.questions[0], 48000)
    assert library.discard_empty_take(empty.id)
    with pytest.raises(KeyError):
        library.take_including_unfinished(empty.id)
    spoken = library.begin_take(session, DECK.id, DECK.questions[0], 48000)
    record_fake_audio(library, spoken.id)
    assert not library.discard_empty_take(spoken.id)
    assert library.audio_file(spoken).exists()
    library.close()


def test_data_folder_is_private(data_dir: Path) -> None:
    Library(data_dir).close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "audio").stat().st_mode) == 0o700


def test_unfinished_takes_are_recovered_with_their_audio(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    spoken = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    record_fake_audio(library, spoken.id, seconds=2.5)  # a crash before finish_take
    silent = library.begin_take(session, DECK.id, DECK.questions[1], 16000)  # no audio at all
    library.close()

    reopened = Library(data_dir)
    (recovered,) = reopened.recover_unfinished_takes()
    assert recovered.id == spoken.id
    assert recovered.recovered is True
    assert recovered.duration_s == pytest.approx(2.5)
    assert reopened.takes_for_question(DECK.id, DECK.questions[0].id) == [recovered]
    with pytest.raises(KeyError):
        reopened.take_including_unfinished(silent.id)
    assert reopened.recover_unfinished_takes() == []  # nothing left to do the second time
    reopened.close()


def finished_take(library: Library, question_index: int = 0) -> int:
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[question_index], 16000)
    record_fake_audio(library, take.id, seconds=0.5)
    library.finish_take(take.id, 0.5, 16000)
    return take.id


def test_one_starred_model_answer_per_question(data_dir: Path) -> None:
    library = Library(data_dir)
    first, second, other = finished_take(library), finished_take(library), finished_take(library, 1)
    library.set_starred(first, True)
    library.set_starred(other, True)
    library.set_starred(second, True)
    assert [library.take(t).starred for t in (first, second, other)] == [False, True, True]
    library.set_starred(second, False)
    assert not library.take(second).starred
    library.close()


def test_trash_is_undoable_and_emptied_only_on_request(data_dir: Path) -> None:
    library = Library(data_dir)
    take_id = finished_take(library)
    take = library.take(take_id)
    audio = library.audio_file(take)
    original = audio.read_bytes()
    library.trash_take(take_id)
    assert not audio.exists()
    assert (data_dir / "trash" / take.audio_path).read_bytes() == original
    assert library.takes_for_question(DECK.id, DECK.questions[0].id) == []
    assert [t.id for t in library.trashed_takes()] == [take_id]
    restored = library.restore_take(take_id)
    assert audio.read_bytes() == original
    assert restored.id == take_id
    library.trash_take(take_id)
    assert library.trash_contents().take_ids == (take_id,)
    assert library.trash_contents().bytes == len(original)
    emptied = library.empty_trash()
    assert [t.id for t in emptied.removed] == [take_id]
    assert (emptied.bytes_freed, emptied.failed) == (len(original), [])
    assert not (data_dir / "trash" / take.audio_path).exists()
    assert library.trashed_takes() == []
    assert library.trash_contents().takes == 0
    with pytest.raises(KeyError, match="no longer in the library"):
        library.restore_take(take_id)  # an undo after the trash was emptied says why it cannot
    library.close()


def test_take_numbers_follow_the_highest_not_the_count(data_dir: Path) -> None:
    library = Library(data_dir)
    first, second, third = (finished_take(library) for _ in range(3))
    library.trash_take(second)
    library.empty_trash()  # two takes left: a count would hand out "take-3" a second time
    fourth = finished_take(library)
    names = [library.take(t).audio_path for t in (first, third, fourth)]
    assert [n.rsplit("_", 1)[1] for n in names] == ["take-1.wav", "take-3.wav", "take-4.wav"]
    library.close()


def test_a_new_take_never_gets_the_name_of_a_file_already_there(data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    question = DECK.questions[0]
    when = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    stray = data_dir / Library._audio_name(when, question, 1)  # e.g. left by an old crash
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"someone's audio")
    take = library.begin_take(session, DECK.id, question, 16000, when)
    assert take.audio_path.endswith("_take-2.wav")
    assert stray.read_bytes() == b"someone's audio"
    library.close()


def test_trash_and_restore_never_replace_a_file_already_there(data_dir: Path) -> None:
    library = Library(data_dir)
    take_id = finished_take(library)
    take = library.take(take_id)
    mine = library.audio_file(take).read_bytes()
    squatter = data_dir / "trash" / take.audio_path  # a different file under the same name
    squatter.parent.mkdir(parents=True)
    squatter.write_bytes(b"not this take")

    library.trash_take(take_id)
    (trashed,) = library.trashed_takes()
    assert trashed.audio_path != take.audio_path
    assert trashed.audio_path.endswith("_take-1_2.wav")
    assert (data_dir / "trash" / trashed.audio_path).read_bytes() == mine
    assert squatter.read_bytes() == b"not this take"
    assert not library.audio_file(take).exists()

    blocker = data_dir / trashed.audio_path  # now the way back is taken too
    blocker.write_bytes(b"another stranger")
    restored = library.restore_take(take_id)
    assert restored.audio_path.endswith("_take-1_3.wav")
    assert library.audio_file(restored).read_bytes() == mine
    assert blocker.read_bytes() == b"another stranger"
    assert squatter.read_bytes() == b"not this take"
    library.close()


def test_trash_keeps_file_and_row_in_step_when_the_database_fails(data_dir: Path) -> None:
    library = Library(data_dir)
    take_id = finished_take(library)
    audio = library.audio_file(library.take(take_id))
    library.db.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE OF trashed_at ON takes "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        library.trash_take(take_id)
    assert audio.exists()  # moved back
    assert not list((data_dir / "trash").rglob("*.wav"))
    assert library.take(take_id).audio_path == audio.relative_to(data_dir).as_posix()
    library.close()


def test_empty_trash_deletes_only_trashed_files_inside_trash(
    data_dir: Path, tmp_path: Path
) -> None:
    library = Library(data_dir)
    kept, gone, missing, escaping, confirmed_later = (finished_take(library) for _ in range(5))
    for take_id in (gone, missing, escaping, confirmed_later):
        library.trash_take(take_id)
    kept_file = library.audio_file(library.take(kept))
    (data_dir / "trash" / library.take_including_unfinished(missing).audio_path).unlink()
    outside = tmp_path / "precious.wav"
    outside.write_bytes(b"not Closer's")
    relative_out = os.path.relpath(outside, data_dir / "trash")
    library.db.execute("UPDATE takes SET audio_path = ? WHERE id = ?", (relative_out, escaping))
    stray = data_dir / "trash" / "audio" / "stray.wav"  # a file no trashed take lists
    stray.write_bytes(b"stray")
    gone_file = data_dir / "trash" / library.take_including_unfinished(gone).audio_path

    emptied = library.empty_trash([gone, missing, escaping])  # what the user confirmed
    assert sorted(t.id for t in emptied.removed) == sorted([gone, missing, escaping])
    assert emptied.failed == []
    assert not gone_file.exists()
    assert outside.read_bytes() == b"not Closer's"  # a path leading out of trash/ is never followed
    assert stray.read_bytes() == b"stray"
    assert kept_file.exists() and library.take(kept).id == kept
    assert [t.id for t in library.trashed_takes()] == [confirmed_later]  # not confirmed: kept
    rows = library.db.execute("SELECT id FROM takes ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [kept, confirmed_later]
    library.close()


def test_empty_trash_keeps_a_take_whose_file_cannot_be_deleted(data_dir: Path) -> None:
    library = Library(data_dir)
    take_id = finished_take(library)
    library.trash_take(take_id)
    folder = (data_dir / "trash" / library.trashed_takes()[0].audio_path).parent
    folder.chmod(0o500)  # the file cannot be unlinked
    try:
        if os.access(folder, os.W_OK):  # running as root: permissions do not bind
            folder.chmod(0o700)
            file = folder / Path(library.trashed_takes()[0].audio_path).name
            file.unlink()
            file.mkdir()  # a folder where the file was cannot be unlinked either
        emptied = library.empty_trash()
    finally:
        folder.chmod(0o700)
    assert emptied.removed == []
    ((take, reason),) = emptied.failed
    assert take.id == take_id and reason
    assert [t.id for t in library.trashed_takes()] == [take_id]
    library.close()
