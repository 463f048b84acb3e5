"""Files on disk: writing them so that a crash leaves the old version or the new one, never a
mix, and reading an audio file's length (what recovery and a restore trust)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Temp file in the same folder, fsync, rename: a crash leaves the old file or the new one.

    The temp file is created readable by its owner only (0600), so the file is too. The folder is
    synced after the rename, so the new name survives a power cut as well. `durable=False` skips
    both fsyncs (still atomic if the app dies, not if the machine does), for latency-bound paths.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def audio_length(path: Path) -> tuple[int, int, bool]:
    """(frames, sample rate, readable) of an audio file, without reading its samples when its
    header says; (0, 0, False) when it is missing or unreadable. A FLAC file cut short (a crash
    while it was written) gives "unknown length": its decodable frames are counted instead."""
    import soundfile

    try:
        info = soundfile.info(str(path))
    except Exception:
        return 0, 0, False
    frames = int(info.frames)
    if frames < 0 or frames >= 2**62:  # a FLAC cut short says "unknown length": count them
        frames = _count_frames(path)
    return frames, int(info.samplerate), True


def _count_frames(path: Path) -> int:
    """The frames that can actually be decoded (a file cut short still holds its first part)."""
    import soundfile

    counted = 0
    try:
        with soundfile.SoundFile(str(path)) as audio:
            while block := len(audio.read(1024, dtype="int16", always_2d=True)):
                counted += block  # small reads: the one that meets the damage loses little
    except Exception:  # decoding stops at the damage: what came before it counts
        pass
    return counted
