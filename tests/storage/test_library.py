from __future__ import annotations

import stat
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
    assert library.empty_trash() == 1
    assert not (data_dir / "trash" / take.audio_path).exists()
    assert library.trashed_takes() == []
    library.close()
