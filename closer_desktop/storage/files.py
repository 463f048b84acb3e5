"""Files on disk: writing them so that a crash leaves the old version or the new one, never a
mix, and reading an audio file's length (what recovery and a restore trust)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from closer_desktop.paths import ensure_private_dir

CHUNK = 1024 * 1024


class OutputPathError(OSError):
    """A file the user asked for cannot be written there (a named pipe, a device, a link...)."""


class NotRegularFileError(OSError):
    """A file to read turned out to be a link, a named pipe, a device or a folder."""


@contextmanager
def atomic_output(
    path: Path, durable: bool = True, private: bool = True, make_folder: bool = True
) -> Iterator[BinaryIO]:
    """The one temp-file, fsync and rename of Closer: yields a handle on a temp file in the same
    folder, which becomes `path` only once the block has finished without an error.

    A crash leaves the old file or the new one, never a mix; an error removes the temp file. The
    temp file is created readable by its owner only (0600), so the file is too. The folder is
    synced after the rename, so the new name survives a power cut as well. `durable=False` skips
    both fsyncs (still atomic if the app dies, not if the machine does), for latency-bound paths.
    `private=False` gives the file the permissions a normal save would (0666 less the umask),
    for a file the user exports out of the library. `make_folder=False` leaves a missing folder
    missing (FileNotFoundError), where the user chose the folder and may have mistyped it.
    """
    if (
        make_folder and not path.parent.is_dir()
    ):  # a folder made here is private: most are in the data folder
        ensure_private_dir(path.parent)
    if private:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    else:
        fd, tmp = _create_shared(path)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def _create_shared(path: Path) -> tuple[int, str]:
    """A new temp file beside `path`, opened for writing, made as open() would make it."""
    for _ in range(100):
        # os.urandom is what secrets.token_hex reads; secrets itself would load hmac and
        # OpenSSL's hashlib into the app's start (the library's lock imports this module).
        tmp = str(path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp"))
        with contextlib.suppress(FileExistsError):
            return os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` as `path` through `atomic_output`."""
    with atomic_output(path, durable) as handle:
        handle.write(data)


def copy_atomically(source: Path, destination: Path, private: bool = True) -> None:
    """Copy `source` (a regular file, no link followed) to `destination` through `atomic_output`
    (`private` as there)."""
    with open_regular(source) as src, atomic_output(destination, private=private) as dst:
        shutil.copyfileobj(src, dst, CHUNK)


def open_regular(path: Path, within: Path | None = None) -> BinaryIO:
    """Open `path` for reading only if it is a regular file itself, not a link to one.

    O_NOFOLLOW refuses a symbolic link (to /etc/passwd, to /dev/zero) and O_NONBLOCK keeps a
    named pipe from hanging the open; fstat on the open file then checks what was opened, so the
    file cannot be swapped between a check and the open. With `within` (a folder holding `path`),
    every folder on the way from there is opened the same way, one at a time, so a linked folder
    (audio/2026-01 pointing at someone's private files) is refused too. Raises
    NotRegularFileError (naming what it is) for anything else, FileNotFoundError when nothing is
    there.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags) if within is None else _open_beneath(within, path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link
            raise NotRegularFileError(errno.ELOOP, "it is a symbolic link", str(path)) from None
        if exc.errno == errno.ENOTDIR:  # a folder on the way is a link, or not a folder
            raise NotRegularFileError(
                errno.ENOTDIR, "a folder on its way is a symbolic link or a file", str(path)
            ) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, f"it is {_kind(mode)}", str(path))
        os.set_blocking(fd, True)  # a regular file: plain reads from here on
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_beneath(root: Path, path: Path, flags: int) -> int:
    """os.open of `path` (under `root`) walking from `root`, no link followed on the way."""
    parts = path.relative_to(root).parts
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(
                part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder
            )
            os.close(folder)
            folder = inner
        return os.open(parts[-1], flags, dir_fd=folder)
    finally:
        os.close(folder)


def check_output_path(path: Path) -> None:
    """Refuse to write a user's output over anything but a regular file (or nothing).

    A rename onto a named pipe, a device node (/dev/null) or a symbolic link would replace it with
    a regular file, which is never what was meant. Raises OutputPathError saying what is there.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OutputPathError(
            errno.EEXIST,
            f"it is {_kind(mode)}, not a regular file; nothing was written (choose a file name)",
            str(path),
        )


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


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


class UnsafeFolderError(OSError):
    """A data folder Closer will not use: someone else's, and anyone may write in it."""


def data_folder_warning(data_dir: Path) -> str | None:
    """Why the data folder (or one of its own folders) cannot be fully trusted, or None.

    Whoever can write in the folder can replace a recording with a link to a private file, or
    the library with one of their own. A folder owned by someone else, or writable by group or
    others, gets a warning saying so; one owned by someone else that anyone may write in raises
    UnsafeFolderError: nothing in it can be told from what a stranger put there.
    """
    problems = []
    for folder in (data_dir, *(data_dir / sub for sub in ("audio", "trash", "decks"))):
        try:
            info = os.stat(folder)
        except OSError:
            continue  # not there (yet): nothing of anyone's to trust
        mine = info.st_uid == os.geteuid()
        open_to = [who for who, bit in (("group", 0o020), ("others", 0o002)) if info.st_mode & bit]
        if not mine and "others" in open_to:
            raise UnsafeFolderError(
                errno.EPERM,
                f"it belongs to another user (uid {info.st_uid}) and anyone can write in it, so "
                "anyone could replace the recordings or the library; nothing was read or "
                "written. Choose a folder of your own with --data-dir",
                str(folder),
            )
        if not mine:
            problems.append(f"{folder} belongs to another user (uid {info.st_uid})")
        elif open_to:
            mode = stat.S_IMODE(info.st_mode)
            problems.append(f"{folder} can be written by {' and '.join(open_to)} ({mode:04o})")
    if not problems:
        return None
    return (
        f"{'; '.join(problems)}: whoever can write there could replace your recordings. "
        "Make the folder yours and private (chmod 700)"
    )


def move_no_clobber(source: Path, target: Path) -> None:
    """Rename `source` to `target`, failing (FileExistsError) rather than replacing a file.

    A hard link is atomic about that; where the file system has none, check and rename.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "a file is already there", str(target)) from None
        os.rename(source, target)
        return
    os.unlink(source)
