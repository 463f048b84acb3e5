"""`closer export --output`, `report --output`, `deck export` and `backup` write only regular
files: a named pipe, a device node or a symbolic link where the output goes is refused with exit
code 2 and one line, and is left as it was (a rename would have replaced it)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from closer_desktop.cli import main
from tests.storage.test_recovery import rated_library

Maker = Callable[[Path, Path], None]


def make_fifo(path: Path, _elsewhere: Path) -> None:
    os.mkfifo(path)


def make_link(path: Path, elsewhere: Path) -> None:
    elsewhere.write_text("the file the link points at\n")
    path.symlink_to(elsewhere)


def make_device(path: Path, _elsewhere: Path) -> None:
    """A character device like /dev/null (1, 3), made here: replacing the real one is not a
    test anyone should run."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs CAP_MKNOD (the pipe and link cases still run)")


KINDS = {"named pipe": make_fifo, "symbolic link": make_link, "device": make_device}


def state(path: Path) -> tuple[int, int, int, str]:
    """What is at `path` (not followed): its kind and identity, and what a link points at."""
    info = path.lstat()
    target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
    return stat.S_IFMT(info.st_mode), info.st_ino, info.st_rdev, target


def commands(data_dir: Path, output: Path) -> dict[str, list[str]]:
    common = ["--data-dir", str(data_dir)]
    return {
        "export": ["export", *common, "--output", str(output)],
        "report": ["report", *common, "--output", str(output)],
        "deck export": ["deck", "export", *common, "Closing an interview", str(output)],
        "backup": ["backup", *common, str(output)],
    }


@pytest.mark.parametrize("command", ["export", "report", "deck export", "backup"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_an_output_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, kind: str
) -> None:
    data_dir = tmp_path / "library"
    rated_library(data_dir)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output, elsewhere = out_dir / "output", tmp_path / "pointed-at.txt"
    KINDS[kind](output, elsewhere)
    before = state(output)
    pointed_at = elsewhere.read_bytes() if elsewhere.exists() else None

    assert main(commands(data_dir, output)[command]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("closer: ") and "Traceback" not in err
    assert kind in err and str(output) in err
    assert state(output) == before
    assert (elsewhere.read_bytes() if elsewhere.exists() else None) == pointed_at
    assert sorted(p.name for p in out_dir.iterdir()) == ["output"]  # no temp file left


@pytest.mark.parametrize("command", ["export", "report", "deck export", "backup"])
def test_a_regular_file_is_still_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    data_dir = tmp_path / "library"
    rated_library(data_dir)
    output = tmp_path / "output"
    output.write_text("an older export\n")
    assert main(commands(data_dir, output)[command]) == 0
    assert output.read_bytes() != b"an older export\n" and output.stat().st_size > 0
