"""The headless commands load no Qt: `closer export` and the rest run where PySide6 cannot start
(a server, a container without a display), and start faster without it. Each runs here in a
process of its own, which reports every PySide6 (or shiboken6) module it ended up with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from closer_desktop import settings
from closer_desktop.app.settings import Settings
from tests.transfer.test_backup import build_library

# Runs `closer ARGS...` as cli.main, then names on stderr the Qt modules it imported.
WRAPPER = (
    "import sys\n"
    "from closer_desktop.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "qt = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6')))\n"
    "print('QT-MODULES:' + ' '.join(qt), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def closer(args: list[str], home: Path) -> tuple[str, list[str]]:
    """Standard output, and the Qt modules loaded, of `closer ARGS` run to success with its
    settings and per-user data folder in `home`."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    reported = [line for line in done.stderr.splitlines() if line.startswith("QT-MODULES:")]
    assert len(reported) == 1, done.stderr
    return done.stdout, reported[0].removeprefix("QT-MODULES:").split()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    data_dir = tmp_path / "library"
    build_library(data_dir)
    return data_dir


def test_each_headless_command_imports_no_pyside6(library: Path, tmp_path: Path) -> None:
    data = ["--data-dir", str(library)]
    backup = tmp_path / "backup.zip"
    deck = tmp_path / "deck.toml"
    take = tmp_path / "take.wav"
    rng = np.random.default_rng(0)
    soundfile.write(take, rng.uniform(-0.3, 0.3, 16000).astype(np.float32), 16000)
    commands = [
        ["export", *data, "--output", str(tmp_path / "library.json")],
        ["backup", *data, str(backup)],
        ["restore", "--data-dir", str(tmp_path / "restored"), str(backup)],
        ["deck", "list", *data],
        ["deck", "export", *data, "Closing an interview", str(deck)],
        ["deck", "import", *data, str(deck)],
        ["report", *data, "--output", str(tmp_path / "report.html")],
        ["analyze", "--no-transcript", str(take)],
    ]
    for args in commands:
        _, qt = closer(args, tmp_path)
        assert qt == [], f"closer {' '.join(args[:2])} imported {qt}"
    assert (tmp_path / "restored" / "closer.sqlite3").is_file()


def test_without_data_dir_the_folder_chosen_in_the_app_is_read_without_qt(
    library: Path, tmp_path: Path
) -> None:
    """The folder the app's Settings (QSettings) saved is the one a headless command opens:
    the same INI file, read as text. A path with the characters QSettings quotes or escapes."""
    moved = tmp_path / 'moved, "here"; a=b \\ @x ünï'
    library.rename(moved)
    ini = tmp_path / "config" / "Closer" / "settings.ini"  # where the command looks
    store = Settings(ini)
    store.set(settings.DATA_DIR, str(moved))
    del store  # QSettings writes the file when it goes
    assert ini.is_file() and settings.read(settings.DATA_DIR, ini) == str(moved)
    out, qt = closer(["deck", "list"], tmp_path)
    assert qt == []
    assert out.splitlines()[0].startswith("Closing an interview\t")
    out, qt = closer(["export"], tmp_path)
    assert qt == [] and '"takes"' in out and len(out) > 1000
    assert not list(tmp_path.glob("Closer*"))  # no library made in the per-user data folder
