"""User settings, each declared once with its type and default (Picard's options.py idea).

Stored with QSettings in an INI file in the per-user config folder (tests point XDG_CONFIG_HOME
elsewhere), so settings follow the user whichever data folder is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings

from closer_desktop.paths import config_dir

T = TypeVar("T", str, bool, int)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    doc: str


INPUT_DEVICE = Setting("audio/input_device", "", "Microphone name; empty means the system default")
FIRST_RUN_TIP_DISMISSED = Setting(
    "ui/first_run_tip_dismissed", False, "The welcome banner was closed"
)
SPEAK_CUES = Setting(
    "practice/speak_cues", False, "Speak the interviewer's cue before each question"
)
WINDOW_GEOMETRY = Setting("ui/window_geometry", "", "Main window geometry (hex of saveGeometry)")
PLAYBACK_SPEED = Setting("playback/speed_percent", 100, "Take playback speed in percent (75-150)")
PLAYBACK_VOLUME = Setting("playback/volume_percent", 100, "Take playback volume in percent")


class Settings:
    """Typed access to the declared settings."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or config_dir() / "settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, setting: Setting[T]) -> T:
        return _coerce(self._qsettings.value(setting.key, setting.default), setting.default)

    def set(self, setting: Setting[T], value: T) -> None:
        self._qsettings.setValue(setting.key, value)  # written by Qt when idle, not now


def _coerce(value: object, default: T) -> T:
    """INI files hold text: turn a stored value back into the setting's type."""
    if isinstance(default, bool):
        return default.__class__(str(value).lower() in ("true", "1", "yes"))
    if isinstance(default, int):
        try:
            return default.__class__(str(value))
        except ValueError:
            return default
    return default.__class__(value) if value is not None else default
