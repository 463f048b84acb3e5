"""Waveform peaks against a direct numpy computation, and the on-disk peak cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from closer_desktop.audio import peaks as peaks_module
from closer_desktop.audio.peaks import PeakCache, Peaks, cache_dir_for, compute_peaks
from closer_desktop.audio.player import AudioFileError

RATE = 8000
Signal = npt.NDArray[np.float32]


def write(path: Path, samples: Signal, subtype: str = "PCM_16", fmt: str = "WAV") -> Path:
    soundfile.write(str(path), samples, RATE, subtype=subtype, format=fmt)
    return path


def decoded_mono(path: Path) -> Signal:
    """What the file holds, as the player sees it: float32, mean of channels."""
    data, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono: Signal = data.mean(axis=1, dtype=np.float32)
    return mono


def expected(mono: Signal, buckets: int) -> tuple[Signal, Signal]:
    """The documented rule, computed the slow and obvious way: one slice per bucket."""
    frames = mono.size
    mins = np.zeros(buckets, dtype=np.float32)
    maxs = np.zeros(buckets, dtype=np.float32)
    for i in range(buckets):
        part = mono[i * frames // buckets : (i + 1) * frames // buckets]
        if part.size:
            mins[i] = part.min()
            maxs[i] = part.max()
    return mins, maxs


def assert_matches(peaks: Peaks, path: Path, buckets: int) -> None:
    mono = decoded_mono(path)
    mins, maxs = expected(mono, buckets)
    assert peaks.mins.dtype == np.float32
    assert peaks.maxs.dtype == np.float32
    assert peaks.mins.shape == peaks.maxs.shape == (buckets,)
    assert peaks.frames == mono.size
    np.testing.assert_allclose(peaks.mins, mins, rtol=0, atol=1e-6)
    np.testing.assert_allclose(peaks.maxs, maxs, rtol=0, atol=1e-6)
    assert np.all(peaks.mins >= -1.0)
    assert np.all(peaks.maxs <= 1.0)
    assert np.all(peaks.mins <= peaks.maxs)


def sine(frames: int, channels: int = 1) -> Signal:
    t = np.arange(frames) / RATE
    columns = [0.8 * np.sin(2 * np.pi * (220 + 110 * c) * t + c) for c in range(channels)]
    return np.stack(columns, axis=1).astype(np.float32)


def ramp(frames: int, channels: int = 1) -> Signal:
    line = np.linspace(-1.0, 0.999, frames)
    return np.stack([line * (1 - 0.3 * c) for c in range(channels)], axis=1).astype(np.float32)


def noise(frames: int, channels: int = 1, seed: int = 3) -> Signal:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1.0, 1.0, (frames, channels)).astype(np.float32)


SIGNALS = {"sine": sine, "ramp": ramp, "random": noise}
FORMATS = [
    ("WAV", "PCM_U8"),
    ("WAV", "PCM_16"),
    ("WAV", "PCM_24"),
    ("WAV", "FLOAT"),
    ("FLAC", "PCM_16"),
    ("FLAC", "PCM_24"),
]


@pytest.mark.parametrize("signal", sorted(SIGNALS))
@pytest.mark.parametrize(("fmt", "subtype"), FORMATS)
@pytest.mark.parametrize("channels", [1, 2])
def test_peaks_match_numpy(
    tmp_path: Path, signal: str, fmt: str, subtype: str, channels: int
) -> None:
    frames = 48_001  # odd, and not a multiple of the bucket count
    path = write(tmp_path / f"take.{fmt.lower()}", SIGNALS[signal](frames, channels), subtype, fmt)
    peaks = compute_peaks(path, 997)
    assert_matches(peaks, path, 997)
    assert peaks.sample_rate == RATE
    assert peaks.duration_s == pytest.approx(frames / RATE)


@pytest.mark.parametrize("buckets", [1, 2, 3, 100, 4_000, 12_344, 12_345])
def test_bucket_counts(tmp_path: Path, buckets: int) -> None:
    path = write(tmp_path / "take.wav", noise(12_345))
    assert_matches(compute_peaks(path, buckets), path, buckets)


@pytest.mark.parametrize("block", [3, 1000, 4096])
@pytest.mark.parametrize("subtype", ["PCM_16", "FLOAT"])
def test_buckets_spanning_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, subtype: str
) -> None:
    """Blocks smaller than, straddling and larger than buckets all give the same answer."""
    monkeypatch.setattr(peaks_module, "BLOCK_FRAMES", block)
    path = write(tmp_path / "take.wav", noise(30_011, channels=2), subtype)
    for buckets in (1, 5, 313):
        assert_matches(compute_peaks(path, buckets), path, buckets)


def test_ramp_buckets_are_its_ends(tmp_path: Path) -> None:
    path = write(tmp_path / "take.wav", ramp(10_000), "FLOAT")
    peaks = compute_peaks(path, 10)
    mono = decoded_mono(path)
    np.testing.assert_array_equal(peaks.mins, mono[0::1000])
    np.testing.assert_array_equal(peaks.maxs, mono[999::1000])


def test_full_scale_stays_in_range(tmp_path: Path) -> None:
    loud = np.tile(np.array([[-1.0], [1.0], [0.0]], dtype=np.float32), (1000, 1))
    path = write(tmp_path / "take.wav", loud)
    peaks = compute_peaks(path, 10)
    assert np.all(peaks.mins == -1.0)
    assert np.all(peaks.maxs == np.float32(32767 / 32768))


def test_float_beyond_full_scale_is_clamped(tmp_path: Path) -> None:
    hot = np.array([[-3.0], [2.0], [0.5], [0.25]], dtype=np.float32)
    path = write(tmp_path / "take.wav", hot, "FLOAT")
    peaks = compute_peaks(path, 2)
    np.testing.assert_array_equal(peaks.mins, [-1.0, 0.25])
    np.testing.assert_array_equal(peaks.maxs, [1.0, 0.5])


@pytest.mark.parametrize("channels", [1, 2])
def test_fewer_frames_than_buckets(tmp_path: Path, channels: int) -> None:
    path = write(tmp_path / "take.wav", noise(7, channels))
    peaks = compute_peaks(path, 20)
    assert_matches(peaks, path, 20)
    mono = decoded_mono(path)
    filled = peaks.mins != 0  # each frame lands in exactly one bucket, alone
    assert sorted(peaks.mins[filled]) == sorted(mono[mono != 0])
    np.testing.assert_array_equal(peaks.mins, peaks.maxs)


@pytest.mark.parametrize("subtype", ["PCM_16", "FLOAT"])
@pytest.mark.parametrize("channels", [1, 2])
def test_empty_file(tmp_path: Path, subtype: str, channels: int) -> None:
    path = write(tmp_path / "take.wav", np.zeros((0, channels), np.float32), subtype)
    peaks = compute_peaks(path, 50)
    assert peaks.frames == 0
    assert peaks.duration_s == 0.0
    assert peaks.sample_rate == RATE
    np.testing.assert_array_equal(peaks.mins, np.zeros(50, np.float32))
    np.testing.assert_array_equal(peaks.maxs, np.zeros(50, np.float32))


def test_truncated_file_is_reduced_as_far_as_it_goes(tmp_path: Path) -> None:
    path = write(tmp_path / "take.wav", np.full((10_000, 1), 0.5, np.float32))
    with open(path, "r+b") as handle:
        handle.truncate(44 + 2 * 4_000)  # a crash mid-recording, header claiming more
    peaks = compute_peaks(path, 10)
    assert peaks.mins.shape == (10,)
    assert peaks.maxs[0] == pytest.approx(0.5, abs=1e-4)


def test_arrays_are_read_only(tmp_path: Path) -> None:
    peaks = compute_peaks(write(tmp_path / "take.wav", noise(100)), 10)
    with pytest.raises(ValueError):
        peaks.mins[0] = 0.0


def test_refusals(tmp_path: Path) -> None:
    path = write(tmp_path / "take.wav", noise(100))
    with pytest.raises(ValueError):
        compute_peaks(path, 0)
    with pytest.raises(AudioFileError, match="missing"):
        compute_peaks(tmp_path / "gone.wav", 10)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"not audio at all" * 10)
    with pytest.raises(AudioFileError, match=r"junk\.wav"):
        compute_peaks(junk, 10)
    nothing = tmp_path / "nothing.flac"  # what libsndfile leaves for an empty FLAC
    nothing.write_bytes(b"")
    with pytest.raises(AudioFileError):
        compute_peaks(nothing, 10)


# The cache ------------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path) -> PeakCache:
    return PeakCache(cache_dir_for(tmp_path / "library"))


def cache_files(cache: PeakCache) -> list[Path]:
    return sorted(cache.cache_dir.glob("*.npz"))


def forbid_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path, buckets: int) -> Peaks:
        raise AssertionError(f"the audio was read again: {path.name}")

    monkeypatch.setattr(peaks_module, "compute_peaks", fail)


def count_computing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []

    def counted(path: Path, buckets: int) -> Peaks:
        calls.append(path)
        return compute_peaks(path, buckets)

    monkeypatch.setattr(peaks_module, "compute_peaks", counted)
    return calls


def test_cache_dir_is_in_the_data_folder(tmp_path: Path) -> None:
    assert cache_dir_for(tmp_path) == tmp_path / "cache" / "peaks"


def test_cache_hit_does_not_read_the_audio(
    tmp_path: Path, cache: PeakCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "take.wav", noise(20_001))
    first = cache.get_or_compute(path, 300)
    assert_matches(first, path, 300)
    assert len(cache_files(cache)) == 1
    assert stat.S_IMODE(cache.cache_dir.stat().st_mode) == 0o700

    forbid_computing(monkeypatch)
    again = cache.get_or_compute(path, 300)
    np.testing.assert_array_equal(again.mins, first.mins)
    np.testing.assert_array_equal(again.maxs, first.maxs)
    assert again.mins.dtype == again.maxs.dtype == np.float32
    assert (again.frames, again.sample_rate) == (first.frames, first.sample_rate)
    assert again.duration_s == first.duration_s
    with pytest.raises(ValueError):
        again.maxs[0] = 0.0  # cached arrays are as read-only as fresh ones


def test_each_bucket_count_has_its_own_entry(
    tmp_path: Path, cache: PeakCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "take.wav", noise(5_000))
    calls = count_computing(monkeypatch)
    for buckets in (10, 20, 10, 20):
        assert cache.get_or_compute(path, buckets).buckets == buckets
    assert len(calls) == 2
    assert len(cache_files(cache)) == 2


def test_changed_audio_is_recomputed(
    tmp_path: Path, cache: PeakCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "take.wav", noise(5_000, seed=1))
    before = cache.get_or_compute(path, 50)
    write(path, 0.1 * noise(5_000, seed=2))  # same name, same size
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    calls = count_computing(monkeypatch)
    after = cache.get_or_compute(path, 50)
    assert calls == [path]
    assert_matches(after, path, 50)
    assert not np.array_equal(before.maxs, after.maxs)
    assert len(cache_files(cache)) == 1  # the stale entry went as the new one was written

    write(path, noise(6_000, seed=3))  # a different size (mtime may even be unchanged)
    after = cache.get_or_compute(path, 50)
    assert len(calls) == 2
    assert after.frames == 6_000


def test_same_name_elsewhere_is_told_apart_by_size(tmp_path: Path, cache: PeakCache) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write(tmp_path / "a" / "take.wav", noise(1_000))
    two = write(tmp_path / "b" / "take.wav", noise(2_000))
    assert cache.get_or_compute(one, 10).frames == 1_000
    assert cache.get_or_compute(two, 10).frames == 2_000


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"garbage, not a zip",
        b"PK\x03\x04" + b"\x00" * 100,
    ],
)
def test_corrupt_cache_file_is_recomputed(
    tmp_path: Path, cache: PeakCache, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    path = write(tmp_path / "take.wav", noise(9_999))
    good = cache.get_or_compute(path, 64)
    [entry] = cache_files(cache)
    entry.write_bytes(damage)
    calls = count_computing(monkeypatch)
    again = cache.get_or_compute(path, 64)
    assert calls == [path]
    np.testing.assert_array_equal(again.mins, good.mins)
    np.testing.assert_array_equal(again.maxs, good.maxs)
    forbid_computing(monkeypatch)  # and the entry was repaired
    np.testing.assert_array_equal(cache.get_or_compute(path, 64).maxs, good.maxs)


def test_truncated_cache_file_is_recomputed(
    tmp_path: Path, cache: PeakCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "take.wav", noise(9_999))
    good = cache.get_or_compute(path, 64)
    [entry] = cache_files(cache)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    calls = count_computing(monkeypatch)
    np.testing.assert_array_equal(cache.get_or_compute(path, 64).mins, good.mins)
    assert calls == [path]


def test_cache_file_with_wrong_contents_is_recomputed(
    tmp_path: Path, cache: PeakCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "take.wav", noise(9_999))
    good = cache.get_or_compute(path, 64)
    [entry] = cache_files(cache)
    with np.load(entry) as stored:
        meta, name = stored["meta"], stored["name"]
    wrong = np.full(64, 5.0, dtype=np.float32)  # out of range
    with open(entry, "wb") as handle:
        np.savez(handle, mins=wrong, maxs=wrong, meta=meta, name=name)
    calls = count_computing(monkeypatch)
    np.testing.assert_array_equal(cache.get_or_compute(path, 64).maxs, good.maxs)
    assert calls == [path]


def test_unwritable_cache_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = PeakCache(blocker / "peaks")
    path = write(tmp_path / "take.wav", noise(1_000))
    assert_matches(cache.get_or_compute(path, 10), path, 10)


def test_cache_passes_audio_errors_on(tmp_path: Path, cache: PeakCache) -> None:
    with pytest.raises(AudioFileError):
        cache.get_or_compute(tmp_path / "gone.wav", 10)
    with pytest.raises(ValueError):
        cache.get_or_compute(write(tmp_path / "take.wav", noise(10)), 0)


def test_discard(tmp_path: Path, cache: PeakCache) -> None:
    path = write(tmp_path / "take.wav", noise(1_000))
    other = write(tmp_path / "other.wav", noise(1_000))
    cache.get_or_compute(path, 10)
    cache.get_or_compute(path, 20)
    cache.get_or_compute(other, 10)
    assert cache.discard("take.wav") == 2
    assert len(cache_files(cache)) == 1
    assert cache.discard("never-cached.wav") == 0
    assert PeakCache(tmp_path / "no-such-dir").discard("take.wav") == 0
