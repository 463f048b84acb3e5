"""What "a consistent library" means, checked from outside the library's own code."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

AUDIO_SUFFIXES = (".wav", ".flac")


def audio_files(data_dir: Path) -> set[tuple[str, bool]]:
    """(path relative to its root, trashed) of every audio file in audio/ and trash/audio/."""
    found = set()
    for root, trashed in ((data_dir, False), (data_dir / "trash", True)):
        for folder, _, files in os.walk(root / "audio"):
            for name in files:
                if name.lower().endswith(AUDIO_SUFFIXES) and not name.startswith("."):
                    found.add((Path(folder, name).relative_to(root).as_posix(), trashed))
    return found


def check_consistent(data_dir: Path) -> list[str]:
    """Problems found: a damaged database, a take without audio, audio without a take."""
    problems = []
    conn = sqlite3.connect(f"{(data_dir / 'closer.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            problems.append(f"integrity: {check[:3]}")
        rows = conn.execute(
            "SELECT audio_path, trashed_at IS NOT NULL, status FROM takes"
        ).fetchall()
    finally:
        conn.close()
    listed = set()
    for audio_path, trashed, status in rows:
        if status != "complete":
            problems.append(f"take still {status}: {audio_path}")
        listed.add((str(audio_path), bool(trashed)))
        # A trashed take may have lost its file already: emptying the trash deletes the file
        # first, then the row (a crash in between leaves the row, which the next empty removes).
        if not trashed and not (data_dir / audio_path).exists():
            problems.append(f"take without audio: {audio_path}")
    for unlisted in sorted(audio_files(data_dir) - listed):
        problems.append(f"audio without a take: {unlisted}")
    return problems
