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
    choices: tuple[T, ...] = ()  # when given, a stored value outside them reads as the default


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
OUTPUT_DEVICE = Setting("audio/output_device", "", "Playback device name; empty means the default")
SAMPLE_RATE = Setting(
    "audio/sample_rate",
    0,
    "Recording rate in Hz; 0 means the input device's own",
    (0, 44100, 48000),
)
COUNTDOWN_S = Setting(
    "practice/countdown_s", 0, "Seconds counted down before recording starts", (0, 3, 5)
)
DEFAULT_TARGET_S = Setting(
    "practice/default_target_s", 10, "Target length given to a new question, in seconds"
)
AUTO_ADVANCE = Setting(
    "practice/auto_advance", False, "Go to the next question once both ratings are given"
)
DATA_DIR = Setting("library/data_dir", "", "Library folder; empty means the per-user data folder")
THEME = Setting("ui/theme", "system", "Colours: system, light or dark", ("system", "light", "dark"))
ANALYSIS = Setting("analysis/enabled", True, "Measure each take's delivery (pace, pauses, fillers)")
WINDOW_STATE = Setting("ui/window_state", "", "Splitter positions, as JSON of hex states by name")
LAST_VIEW = Setting(
    "ui/last_view", "practice", "The page shown at exit", ("practice", "history", "progress")
)


class Settings:
    """Typed access to the declared settings."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or config_dir() / "settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, setting: Setting[T]) -> T:
        value = _coerce(self._qsettings.value(setting.key, setting.default), setting.default)
        if setting.choices and value not in setting.choices:
            return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        self._qsettings.setValue(setting.key, value)  # written by Qt when idle, not now


def chosen_data_dir(settings: Settings | None = None) -> Path:
    """The library folder to open when none is given: where it was moved, else the default."""
    from closer_desktop.paths import default_data_dir

    chosen = (settings or Settings()).get(DATA_DIR)
    return Path(chosen).expanduser() if chosen else default_data_dir()


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
