"""Exporting a take (FLAC or WAV): same samples, atomic writes, refusals; readable, safe names."""

from __future__ import annotations

import os
import random
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from closer_desktop.audio import convert
from closer_desktop.audio.convert import export_take_audio, readable_take_name
from closer_desktop.audio.player import AudioFileError
from closer_desktop.domain.deck import load_deck
from closer_desktop.paths import default_deck_path

RATE = 44100
FORBIDDEN = set('/\\:*?"<>|')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{d}{i}" for d in ("COM", "LPT") for i in range(10)
}


def take(path: Path, frames: int = 30_001, channels: int = 1, subtype: str = "PCM_16") -> Path:
    rng = np.random.default_rng(frames + channels)
    samples = rng.uniform(-1.0, 1.0, (frames, channels)).astype(np.float32)
    soundfile.write(str(path), samples, RATE, subtype=subtype, format="WAV")
    return path


def samples(path: Path, dtype: str) -> npt.NDArray[Any]:
    data, rate = soundfile.read(str(path), dtype=dtype, always_2d=True)
    assert rate == RATE
    return np.asarray(data)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


# Exporting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["flac", "wav"])
@pytest.mark.parametrize("channels", [1, 2])
def test_export_keeps_every_sample(tmp_path: Path, out_dir: Path, fmt: str, channels: int) -> None:
    source = take(tmp_path / "take.wav", channels=channels)
    written = export_take_audio(source, out_dir / f"export.{fmt}", fmt)
    assert written == out_dir / f"export.{fmt}"
    info = soundfile.info(str(written))
    assert info.format == fmt.upper()
    assert info.subtype == "PCM_16"
    assert (info.samplerate, info.channels, info.frames) == (RATE, channels, 30_001)
    np.testing.assert_array_equal(samples(written, "int16"), samples(source, "int16"))
    assert leftovers(out_dir) == []


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_24", "PCM_32"])
@pytest.mark.parametrize("fmt", ["flac", "wav"])
def test_other_integer_depths(tmp_path: Path, out_dir: Path, subtype: str, fmt: str) -> None:
    source = take(tmp_path / "take.wav", frames=5_000, subtype=subtype)
    written = export_take_audio(source, out_dir / "export", fmt)
    got, want = samples(written, "int32"), samples(source, "int32")
    if fmt == "flac" and subtype == "PCM_32":  # FLAC tops out at 24 bits
        assert soundfile.info(str(written)).subtype == "PCM_24"
        assert np.max(np.abs(got.astype(np.int64) - want)) <= 1 << 8
    else:
        np.testing.assert_array_equal(got, want)


def test_float_take(tmp_path: Path, out_dir: Path) -> None:
    source = take(tmp_path / "take.wav", frames=5_000, subtype="FLOAT")
    as_wav = export_take_audio(source, out_dir / "a.wav", "wav")
    assert soundfile.info(str(as_wav)).subtype == "FLOAT"
    np.testing.assert_array_equal(samples(as_wav, "float32"), samples(source, "float32"))
    as_flac = export_take_audio(source, out_dir / "a.flac", "flac")
    assert soundfile.info(str(as_flac)).subtype == "PCM_24"
    np.testing.assert_allclose(
        samples(as_flac, "float64"), samples(source, "float64"), rtol=0, atol=2**-22
    )


def test_hot_float_is_clipped_for_flac(tmp_path: Path, out_dir: Path) -> None:
    source = tmp_path / "hot.wav"
    soundfile.write(str(source), np.array([[1.5], [-2.0], [0.5]], np.float32), RATE, "FLOAT")
    written = export_take_audio(source, out_dir / "hot.flac", "flac")
    np.testing.assert_allclose(samples(written, "float64")[:, 0], [1.0, -1.0, 0.5], atol=1e-6)


def test_streams_in_blocks(tmp_path: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "BLOCK_FRAMES", 1_000)
    reads: list[int] = []
    real = soundfile.SoundFile.read

    def counting(
        self: soundfile.SoundFile, frames: int = -1, *args: object, **kw: object
    ) -> object:
        reads.append(frames)
        return real(self, frames, *args, **kw)

    monkeypatch.setattr(soundfile.SoundFile, "read", counting)
    source = take(tmp_path / "take.wav", frames=12_345, channels=2)
    written = export_take_audio(source, out_dir / "x.flac", "flac")
    monkeypatch.undo()
    assert reads and max(reads) == 1_000 and len(reads) >= 13
    np.testing.assert_array_equal(samples(written, "int16"), samples(source, "int16"))


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("My take", "flac", "My take.flac"),
        ("My take.FLAC", "flac", "My take.FLAC"),
        ("My take.wav", "flac", "My take.wav.flac"),
        ("v1.2", "wav", "v1.2.wav"),
        ("x.flac", "FLAC", "x.flac"),
        ("x.wav", ".wav", "x.wav"),
    ],
)
def test_suffix(tmp_path: Path, out_dir: Path, name: str, fmt: str, expected: str) -> None:
    written = export_take_audio(take(tmp_path / "take.wav", 100), out_dir / name, fmt)
    assert written == out_dir / expected
    assert sorted(p.name for p in out_dir.iterdir()) == [expected]


def test_replaces_an_existing_file(tmp_path: Path, out_dir: Path) -> None:
    target = out_dir / "x.wav"
    target.write_bytes(b"old contents")
    export_take_audio(take(tmp_path / "take.wav", 100), target, "wav")
    assert soundfile.info(str(target)).frames == 100


def test_permissions_follow_the_umask(tmp_path: Path, out_dir: Path) -> None:
    old = os.umask(0o022)
    try:
        written = export_take_audio(take(tmp_path / "take.wav", 100), out_dir / "x", "wav")
    finally:
        os.umask(old)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


@pytest.mark.parametrize("fmt", ["mp3", "ogg", "", "flac2", "wave", "flacx", "wav flac"])
def test_unknown_format_is_refused_before_anything(tmp_path: Path, out_dir: Path, fmt: str) -> None:
    with pytest.raises(ValueError, match="format"):
        export_take_audio(take(tmp_path / "take.wav", 100), out_dir / "x", fmt)
    with pytest.raises(ValueError, match="format"):
        export_take_audio(tmp_path / "missing.wav", out_dir / "x", fmt)
    assert list(out_dir.iterdir()) == []


def test_empty_take(tmp_path: Path, out_dir: Path) -> None:
    source = take(tmp_path / "take.wav", frames=0)
    written = export_take_audio(source, out_dir / "x.wav", "wav")
    assert soundfile.info(str(written)).frames == 0
    with pytest.raises(ValueError, match="no audio"):
        export_take_audio(source, out_dir / "x.flac", "flac")
    assert sorted(p.name for p in out_dir.iterdir()) == ["x.wav"]


def test_unreadable_source(tmp_path: Path, out_dir: Path) -> None:
    with pytest.raises(AudioFileError, match="missing"):
        export_take_audio(tmp_path / "gone.wav", out_dir / "x.wav", "wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF nonsense" * 20)
    with pytest.raises(AudioFileError, match=r"junk\.wav"):
        export_take_audio(junk, out_dir / "x.wav", "wav")
    assert list(out_dir.iterdir()) == []


def test_destination_problems(tmp_path: Path, out_dir: Path) -> None:
    source = take(tmp_path / "take.wav", 100)
    with pytest.raises(FileNotFoundError):
        export_take_audio(source, tmp_path / "no-such-folder" / "x.wav", "wav")
    with pytest.raises(IsADirectoryError):
        export_take_audio(source, out_dir, "wav")
    (out_dir / "sub.wav").mkdir()
    with pytest.raises(IsADirectoryError):
        export_take_audio(source, out_dir / "sub", "wav")
    assert leftovers(out_dir) == []


def test_failure_leaves_the_old_file_and_no_temp(
    tmp_path: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out_dir / "x.flac"
    target.write_bytes(b"the previous export")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        export_take_audio(take(tmp_path / "take.wav", 100), target, "flac")
    assert target.read_bytes() == b"the previous export"
    assert leftovers(out_dir) == []


def test_failure_while_copying_leaves_no_temp(
    tmp_path: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("decoder exploded")

    monkeypatch.setattr(convert, "_copy", broken)
    with pytest.raises(RuntimeError):
        export_take_audio(take(tmp_path / "take.wav", 100), out_dir / "x.wav", "wav")
    assert list(out_dir.iterdir()) == []


def test_exporting_onto_its_own_source(tmp_path: Path) -> None:
    source = take(tmp_path / "take.wav", 1_000)
    before = samples(source, "int16")
    assert export_take_audio(source, source, "wav") == source
    np.testing.assert_array_equal(samples(source, "int16"), before)


# Names ----------------------------------------------------------------------------------------

WHEN = datetime(2026, 11, 28, 4, 13, 22)


def assert_safe(name: str) -> None:
    assert not FORBIDDEN & set(name), name
    assert all(ord(ch) >= 32 and ch != "\x7f" for ch in name), repr(name)
    stem, dot, extension = name.rpartition(".")
    assert dot and extension in ("flac", "wav")
    assert stem == stem.strip() and not stem.endswith("."), repr(name)
    assert stem.split(".")[0].upper() not in WINDOWS_RESERVED
    assert len(name.encode("utf-8")) <= 255


def test_the_example() -> None:
    name = readable_take_name("What are the next steps?", WHEN, 3, "flac")
    assert name == "2026-11-28 0413 - What are the next steps - take 3.flac"


def test_wav_and_format_spelling() -> None:
    assert readable_take_name("Thank you", WHEN, 1, "WAV").endswith(" - take 1.wav")
    assert readable_take_name("Thank you", WHEN, 1, ".flac").endswith(".flac")
    with pytest.raises(ValueError):
        readable_take_name("Thank you", WHEN, 1, "mp3")


def test_long_question_is_cut_at_a_word_boundary() -> None:
    text = (
        "Based on my background and experience, do you have any concerns about my ability "
        "to perform this job?"
    )
    name = readable_take_name(text, WHEN, 12, "flac")
    question = name.split(" - ")[1]
    assert question == "Based on my background and experience"
    assert len(question) <= 40
    assert text.startswith(question)
    assert_safe(name)


def test_one_huge_word_is_cut_hard() -> None:
    name = readable_take_name("x" * 300, WHEN, 1, "wav")
    assert name == f"2026-11-28 0413 - {'x' * 40} - take 1.wav"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ('a/b\\c:d*e?f"g<h>i|j', "a b c d e f g h i j"),
        ("  What's\tnext?\n\x00\x1f  ", "What's next"),
        ("Qu\u2019est-ce que l\u2019\u00e9tape suivante ?", "Qu'est-ce que l'\u00e9tape suivante"),
        ("e\u0301tape", "\u00e9tape"),  # decomposed accents are composed (macOS-safe)
        ("Dots... everywhere. Ends with a dot.", "Dots everywhere Ends with a dot"),
        ("CON", "CON"),
        ("Smile \U0001f600 please!!!", "Smile please"),
    ],
)
def test_unsafe_characters_become_spaces(text: str, question: str) -> None:
    name = readable_take_name(text, WHEN, 2, "wav")
    assert name == f"2026-11-28 0413 - {question} - take 2.wav"
    assert_safe(name)


@pytest.mark.parametrize("text", ["", "   ", "???", "/:*", "\U0001f600"])
def test_nothing_readable_left(text: str) -> None:
    assert readable_take_name(text, WHEN, 4, "flac") == "2026-11-28 0413 - take 4.flac"


def test_time_is_the_takes_own_local_time() -> None:
    when = datetime(2026, 11, 28, 23, 59, 0, tzinfo=timezone(timedelta(hours=-8)))
    assert readable_take_name("Hi", when, 1, "wav").startswith("2026-11-28 2359 - ")


def fuzz_texts(count: int) -> Iterator[str]:
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0, 0x250)] + list('/\\:*?"<>|.. \u2019\u0301\u200b\ufeff')
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))


def test_any_text_gives_a_name_that_can_be_created(tmp_path: Path) -> None:
    deck_texts = [q.text for q in load_deck(default_deck_path())]
    for text in [*deck_texts, *fuzz_texts(300)]:
        name = readable_take_name(text, WHEN, 7, "flac")
        assert_safe(name)
        prefix, suffix = "2026-11-28 0413 - ", " - take 7.flac"
        assert name.startswith(prefix) and name.endswith("take 7.flac")
        question = name[len(prefix) : -len(suffix)] if name != prefix + suffix[3:] else ""
        assert len(question) <= 40
        (tmp_path / name).touch()
        assert (tmp_path / name).exists()


def test_names_differ_by_take_number() -> None:
    names = {readable_take_name("Same question", WHEN, n, "wav") for n in range(1, 50)}
    assert len(names) == 49
