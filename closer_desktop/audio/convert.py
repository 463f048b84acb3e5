"""Exporting a take as an audio file the user keeps elsewhere (FLAC or WAV), under a readable name.

The take is streamed block by block into a temp file beside the destination, flushed to disk and
renamed into place, so the destination is either the old file or the complete new one, never half
a file. Samples are copied exactly: 8/16/24-bit takes keep their bit depth in both formats, and a
float take stays float in WAV (FLAC stores integers only, so it becomes 24-bit there). No Qt here:
call from a worker thread.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from closer_desktop.audio.player import AudioFileError
from closer_desktop.storage.files import atomic_output

FORMATS = {"flac": "FLAC", "wav": "WAV"}  # the `fmt` a user can choose -> libsndfile's name
BLOCK_FRAMES = 1 << 18  # ~6 s at 44.1 kHz per read and write
QUESTION_CHARS = 40  # a question is shortened, at a word boundary, to about this many characters
_INTEGER_SUBTYPES = ("PCM_S8", "PCM_U8", "PCM_16", "PCM_24", "PCM_32")
_FLAC_SUBTYPES = ("PCM_S8", "PCM_16", "PCM_24")
_KEPT_PUNCTUATION = "-',"  # besides letters, digits and spaces; all safe on every file system


def export_take_audio(source: Path, destination: Path, fmt: str) -> Path:
    """Write the take at `source` to `destination` as "flac" or "wav"; returns the path written.

    `destination` is the file to create (an existing one is replaced). When its suffix is not the
    format's (".flac" / ".wav", any case), that suffix is appended, so "My take" becomes
    "My take.flac"; the returned path says where the file went. Sample rate, channels and samples
    are kept exactly. Raises ValueError for an unknown format (before touching anything) or an
    empty take exported as FLAC (libsndfile cannot write one), AudioFileError when the take cannot
    be read, and OSError (IsADirectoryError for a folder) when the destination cannot be written;
    no partial file is ever left behind.
    """
    import soundfile

    kind = _format_name(fmt)
    suffix = "." + kind.lower()
    target = (
        destination if destination.suffix.lower() == suffix else _with_suffix(destination, suffix)
    )
    if destination.is_dir() or target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; choose a file name to export to")
    if not source.exists():
        raise AudioFileError(f"The audio file is missing: {source.name}")
    try:
        reader = soundfile.SoundFile(str(source))
    except Exception as exc:
        raise AudioFileError(f"The audio file cannot be read ({source.name}): {exc}") from exc
    with reader:
        if kind == "FLAC" and reader.frames == 0:
            raise ValueError("This take holds no audio, so it cannot be saved as FLAC; try WAV")
        subtype, dtype = _output_subtype(str(reader.subtype), kind)
        # The file is the user's, out of the library: made as a normal save would make it.
        with (
            atomic_output(target, private=False, make_folder=False) as handle,
            soundfile.SoundFile(
                handle,
                "w",
                samplerate=reader.samplerate,
                channels=reader.channels,
                subtype=subtype,
                format=kind,
            ) as writer,
        ):
            _copy(reader, writer, dtype, clip=dtype == "float64" and kind == "FLAC")
    return target


def readable_take_name(
    question_text: str, recorded_at: datetime, take_number: int, fmt: str
) -> str:
    """A file name a person can read, e.g. "2026-11-28 0413 - What are the next steps - take 3.flac".

    The time is the take's own local time (as stored). The question keeps letters (any script),
    digits, spaces and - ' , only (everything else, such as / \\ : * ? " < > | . and control
    characters, becomes a space), so the name is valid on Linux, Windows and macOS; it is
    shortened at a word boundary to about 40 characters. Raises ValueError for an unknown format.
    """
    extension = _format_name(fmt).lower()
    question = _shorten(_clean(question_text), QUESTION_CHARS)
    parts = [recorded_at.strftime("%Y-%m-%d %H%M")]
    if question:
        parts.append(question)
    parts.append(f"take {take_number}")
    return " - ".join(parts) + "." + extension


# Internals ------------------------------------------------------------------------------------


def _format_name(fmt: str) -> str:
    kind = FORMATS.get(fmt.strip().lower().lstrip("."))
    if kind is None:
        choices = " or ".join(f'"{name}"' for name in FORMATS)
        raise ValueError(f"Cannot export as {fmt!r}: the format must be {choices}")
    return kind


def _with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _output_subtype(source_subtype: str, kind: str) -> tuple[str, str]:
    """The subtype to write and the dtype to copy through, so no sample changes.

    Integer samples travel as int32 (libsndfile scales every integer width to and from it
    exactly); float samples as float64.
    """
    import soundfile

    integer = source_subtype in _INTEGER_SUBTYPES
    dtype = "int32" if integer else "float64"
    if kind == "FLAC":
        if source_subtype in _FLAC_SUBTYPES:
            return source_subtype, dtype
        if source_subtype == "PCM_U8":
            return "PCM_S8", dtype
        return "PCM_24", dtype  # 32-bit or float: FLAC's widest libsndfile writes
    if soundfile.check_format("WAV", source_subtype):
        return source_subtype, dtype
    return ("PCM_24" if integer else "FLOAT"), dtype


def _copy(reader: Any, writer: Any, dtype: str, clip: bool) -> None:
    import numpy as np

    while True:
        block = reader.read(BLOCK_FRAMES, dtype=dtype, always_2d=True)
        if not len(block):
            return
        if clip:  # float beyond full scale would wrap around when stored as integers
            np.clip(block, -1.0, 1.0, out=block)
        writer.write(block)


def _clean(text: str) -> str:
    """Keep letters, digits, spaces and a little safe punctuation; collapse the rest to spaces."""
    normal = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")
    kept = "".join(ch if ch.isalnum() or ch in _KEPT_PUNCTUATION else " " for ch in normal)
    return re.sub(r"\s+", " ", kept).strip(" " + _KEPT_PUNCTUATION)


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at the last word boundary (mid-word only for a huge word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rfind(" ")
    shortened = text[:cut] if cut > 0 else text[:limit]
    return shortened.rstrip(" " + _KEPT_PUNCTUATION)
