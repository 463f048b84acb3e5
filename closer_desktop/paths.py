"""One place that decides where things live: the data folder, its parts, and shipped resources."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from closer_desktop import APP_NAME

DATABASE_NAME = "closer.sqlite3"
AUDIO_DIR = "audio"


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/Closer), used unless --data-dir is given."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where settings live (per user, independent of the data folder)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the owner only: recordings are personal.

    Every folder created on the way is private too (mkdir's `mode` covers only the last one).
    """
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # e.g. someone else's folder: it may still be usable
        os.chmod(path, 0o700)
    return path


def resource_path(*parts: str) -> Path:
    """A file shipped in `resources/` (package data when installed, the checkout's folder in dev)."""
    package = Path(__file__).resolve().parent
    installed = package / "resources"  # where the wheel puts package data
    base = installed if installed.is_dir() else package.parent / "resources"
    return base.joinpath(*parts)


def default_deck_path() -> Path:
    return resource_path("decks", "closing-an-interview.toml")
