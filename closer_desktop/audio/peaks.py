"""Waveform peaks: the min and max of each slice of a take, for drawing its whole waveform.

`compute_peaks` streams the file through libsndfile in large blocks and reduces each block with
numpy, so a 60-minute take costs well under a second and bounded memory (tens of MB at most).
`PeakCache` keeps the result on disk (`<data_dir>/cache/peaks/`), keyed by the audio file's name,
size, modification time and the bucket count, so a take's waveform shows at once the next time.
No Qt here: call both from a worker thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from closer_desktop.audio.player import AudioFileError
from closer_desktop.paths import ensure_private_dir
from closer_desktop.storage.files import atomic_output

log = logging.getLogger(__name__)

CACHE_DIR = Path("cache", "peaks")  # inside the data folder
BLOCK_FRAMES = 1 << 21  # ~48 s at 44.1 kHz per read: 4 MB of int16 mono, 16 MB of float32
_CACHE_VERSION = 1  # bump when the meaning or layout of a cache file changes
_INT16_SUBTYPES = {"PCM_16", "PCM_S8", "PCM_U8"}  # read exactly (and fastest) as int16

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class Peaks:
    """Per-bucket minimum and maximum of a take's mono signal (full scale = 1.0).

    `mins` and `maxs` are read-only float32 arrays of one value per bucket, in [-1, 1], with
    `mins <= maxs`. A bucket that holds no frames (only when the take has fewer frames than
    there are buckets, or none at all) has min = max = 0.
    """

    mins: FloatArray
    maxs: FloatArray
    frames: int
    sample_rate: int

    @property
    def buckets(self) -> int:
        return int(self.mins.shape[0])

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def cache_dir_for(data_dir: Path) -> Path:
    """Where a library keeps its cached peaks."""
    return data_dir / CACHE_DIR


def bucket_starts(frames: int, buckets: int) -> npt.NDArray[np.int64]:
    """The `buckets + 1` boundaries: bucket i covers frames [starts[i], starts[i + 1])."""
    return (np.arange(buckets + 1, dtype=np.int64) * frames) // buckets


def compute_peaks(path: Path, buckets: int) -> Peaks:
    """Read a take (WAV, FLAC, anything libsndfile reads) and reduce it to `buckets` min/max pairs.

    Bucket rule: with `frames` frames in the file, bucket i covers frames
    [i * frames // buckets, (i + 1) * frames // buckets) (integer division), so the buckets tile
    the take exactly and their sizes differ by at most one frame. Multi-channel audio is first
    mixed to mono as the mean of its channels, as the player does. Buckets with no frames get
    min = max = 0. A file shorter than its header says is reduced as far as it can be read.

    16-bit (and 8-bit) files are reduced in integers and scaled once at the end: exact, and
    much faster than converting every sample to float. Raises AudioFileError when the file is
    missing or cannot be decoded, ValueError when `buckets` is not positive.
    """
    import soundfile

    if buckets < 1:
        raise ValueError(f"buckets must be positive, not {buckets}")
    if not path.exists():
        raise AudioFileError(f"The audio file is missing: {path.name}")
    try:
        source = soundfile.SoundFile(str(path))
    except Exception as exc:
        raise AudioFileError(f"The audio file cannot be read ({path.name}): {exc}") from exc
    with source:
        frames = int(source.frames)
        rate = int(source.samplerate)
        channels = int(source.channels)
        integer = source.subtype in _INT16_SUBTYPES
        try:
            mins, maxs = _reduce(source, frames, channels, buckets, integer)
        except Exception as exc:
            raise AudioFileError(f"The audio file cannot be read ({path.name}): {exc}") from exc
    scale = 32768.0 * channels if integer else 1.0
    return Peaks(_finish(mins, scale), _finish(maxs, scale), frames, rate)


def _reduce(
    source: Any, frames: int, channels: int, buckets: int, integer: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Unscaled per-bucket min and max (±inf for buckets that received no frames).

    Reads go block by block regardless of where buckets start; `np.minimum.reduceat` reduces
    every bucket (or the part of one) inside a block in a single call, and a bucket that spans
    two blocks is merged with `np.minimum` / `np.maximum` against what its first part gave.
    """
    mins = np.full(buckets, np.inf)
    maxs = np.full(buckets, -np.inf)
    if frames <= 0:
        return mins, maxs
    all_starts = bucket_starts(frames, buckets)
    filled = np.flatnonzero(all_starts[1:] > all_starts[:-1])  # buckets holding >= 1 frame
    starts = all_starts[filled]  # strictly increasing, starts[0] == 0
    seg_mins = np.full(filled.size, np.inf)
    seg_maxs = np.full(filled.size, -np.inf)

    dtype = "int16" if integer else "float32"
    block = min(frames, BLOCK_FRAMES)
    buffer = np.empty((block, channels), dtype=dtype)
    position = 0
    while position < frames:
        wanted = min(block, frames - position)
        data = source.read(wanted, dtype=dtype, always_2d=True, out=buffer[:wanted])
        got = int(data.shape[0])
        if got == 0:
            break  # truncated file: the rest stays empty
        mono = _mono(data, integer)
        first = int(np.searchsorted(starts, position, side="right")) - 1
        last = int(np.searchsorted(starts, position + got, side="left"))
        offsets = starts[first:last] - position
        offsets[0] = 0  # the first bucket may have begun in an earlier block
        np.minimum(
            seg_mins[first:last], np.minimum.reduceat(mono, offsets), out=seg_mins[first:last]
        )
        np.maximum(
            seg_maxs[first:last], np.maximum.reduceat(mono, offsets), out=seg_maxs[first:last]
        )
        position += got
        if got < wanted:
            break
    mins[filled] = seg_mins
    maxs[filled] = seg_maxs
    return mins, maxs


def _mono(data: Any, integer: bool) -> Any:
    """One channel as is; several summed (integers, scaled later) or averaged (floats)."""
    if data.shape[1] == 1:
        return data[:, 0]
    if integer:
        return data.sum(axis=1, dtype=np.int32)
    return data.mean(axis=1, dtype=np.float32)


def _finish(values: npt.NDArray[np.float64], scale: float) -> FloatArray:
    """Scale to full scale 1.0, empty buckets (±inf) to 0, clamp to [-1, 1], freeze."""
    out = np.where(np.isfinite(values), values / scale, 0.0)
    result: FloatArray = np.clip(out, -1.0, 1.0).astype(np.float32)
    result.setflags(write=False)
    return result


class PeakCache:
    """Peaks kept on disk, one small .npz per (audio file, bucket count).

    The key is the audio file's name, size, modification time (ns) and the bucket count, so a
    changed or replaced file is recomputed. Writes go to a temp file renamed into place, so a
    reader never sees half a file; a cache file that cannot be read or does not match its key is
    recomputed and overwritten, never an error. When a file changes, its stale entry is removed
    as the new one is written. Safe to use from several threads at once.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir

    def get_or_compute(self, path: Path, buckets: int) -> Peaks:
        """The cached peaks of `path`, computing and storing them when missing or stale.

        Raises AudioFileError (missing or undecodable audio) and ValueError (buckets < 1) as
        compute_peaks does; problems with the cache itself are only logged.
        """
        if buckets < 1:
            raise ValueError(f"buckets must be positive, not {buckets}")
        try:
            before = path.stat()
        except OSError as exc:
            raise AudioFileError(f"The audio file is missing: {path.name}") from exc
        key = _Key(path.name, before.st_size, before.st_mtime_ns, buckets)
        cached = self._load(key)
        if cached is not None:
            return cached
        peaks = compute_peaks(path, buckets)
        try:
            after = path.stat()
        except OSError:
            return peaks
        if (after.st_size, after.st_mtime_ns) == (key.size, key.mtime_ns):
            self._store(key, peaks)  # not when the file changed while it was read
        return peaks

    def discard(self, audio_name: str) -> int:
        """Delete every cached entry of an audio file (by file name); returns how many."""
        removed = 0
        for entry in self.cache_dir.glob(f"{_name_digest(audio_name)}-*.npz"):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += 1
        return removed

    def _file_for(self, key: _Key) -> Path:
        return self.cache_dir / f"{key.stem}-{key.size}-{key.mtime_ns}.npz"

    def _load(self, key: _Key) -> Peaks | None:
        """The entry for `key`, or None when there is none or it is unreadable or wrong."""
        file = self._file_for(key)
        try:
            with np.load(file, allow_pickle=False) as stored:
                meta = stored["meta"]
                mins = stored["mins"]
                maxs = stored["maxs"]
                name = str(stored["name"])
        except FileNotFoundError:
            return None
        except Exception as exc:  # damaged zip, missing member, truncated array...
            log.info("recomputing peaks: unreadable cache file %s (%s)", file.name, exc)
            return None
        expected = (key.buckets,)
        if not (
            name == key.name
            and meta.shape == (6,)
            and meta.dtype == np.int64
            and [int(v) for v in meta[:4]] == [_CACHE_VERSION, key.size, key.mtime_ns, key.buckets]
            and meta[4] >= 0
            and meta[5] >= 0
            and mins.dtype == maxs.dtype == np.float32
            and mins.shape == maxs.shape == expected
            and bool(np.all(mins >= -1.0))
            and bool(np.all(maxs <= 1.0))
            and bool(np.all(mins <= maxs))  # also false for NaN
        ):
            log.info("recomputing peaks: cache file %s does not match its key", file.name)
            return None
        mins.setflags(write=False)
        maxs.setflags(write=False)
        return Peaks(mins, maxs, int(meta[4]), int(meta[5]))

    def _store(self, key: _Key, peaks: Peaks) -> None:
        """Write an entry atomically and drop older entries of the same file; never raises."""
        file = self._file_for(key)
        meta = np.array(
            [_CACHE_VERSION, key.size, key.mtime_ns, key.buckets, peaks.frames, peaks.sample_rate],
            dtype=np.int64,
        )
        try:
            ensure_private_dir(self.cache_dir)
            # Private like the recordings it is drawn from (0600); a cache: no fsync needed.
            with atomic_output(file, durable=False) as handle:
                np.savez(handle, mins=peaks.mins, maxs=peaks.maxs, meta=meta, name=key.name)
        except OSError as exc:  # full disk, read-only folder: the waveform still shows
            log.warning("could not cache waveform peaks in %s: %s", self.cache_dir, exc)
            return
        for stale in self.cache_dir.glob(f"{key.stem}-*.npz"):
            if stale.name != file.name:
                with contextlib.suppress(OSError):
                    stale.unlink()


@dataclass(frozen=True)
class _Key:
    name: str
    size: int
    mtime_ns: int
    buckets: int

    @property
    def stem(self) -> str:
        """Shared by every version of one file at one bucket count (to find stale entries)."""
        return f"{_name_digest(self.name)}-b{self.buckets}"


def _name_digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:24]
