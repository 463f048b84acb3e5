"""The backup archive's format: its layout, its names and how a member's path is judged.

Layout of an archive: `manifest.json`, `closer.sqlite3` (a consistent snapshot made with SQLite's
backup API from a connection of its own), and every audio file the takes table lists: live takes at
`audio/...`, trashed ones at `trash/audio/...`, and the user's decks, `decks/*.toml` with
`decks/practice.json`. The manifest names the format, the Closer and schema versions, and each
member's size and SHA-256. `backup.py` writes it, `restore.py` reads it (no Qt in either).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from closer_desktop.paths import DATABASE_NAME
from closer_desktop.storage.database import SCHEMA_VERSION

DECKS_DIR = "decks"
FORMAT_NAME = "closer-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
TRASH_PREFIX = "trash/"
CHUNK = 1024 * 1024
AUDIO_MEMBER = re.compile(r"(?:trash/)?audio/(?:[^/]+/)*[^/]+\.(?:wav|flac)")
DECK_MEMBER = re.compile(r"decks/(?:[^/.][^/]*\.toml|practice\.json)")

# progress(stage, done, total): "copying" files into a backup; "checking" an archive's members,
# then "adding" audio files to the library on restore. Called on the working thread.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


class BackupError(Exception):
    """An archive cannot be written or read; the message names the archive and the problem."""


def newer_message(schema: int) -> str:
    return (
        f"it was written by a newer version of Closer (schema {schema}, this version knows "
        f"{SCHEMA_VERSION})"
    )


def path_problem(name: str) -> str | None:
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "has an absolute path"
    if re.match(r"[A-Za-z]:", name):
        return "has a drive letter"
    parts = name.split("/")
    if ".." in parts:
        return "has a '..' component"
    if any(part in ("", ".") for part in parts) or "\x00" in name:
        return "has an irregular path"
    return None


def is_layout_name(name: str) -> bool:
    if path_problem(name):
        return False
    return (
        name in (MANIFEST_NAME, DATABASE_NAME)
        or AUDIO_MEMBER.fullmatch(name) is not None
        or DECK_MEMBER.fullmatch(name) is not None
    )
