"""User settings, each declared once with its type and default (Picard's options.py idea).

They live in an INI file in the per-user config folder (tests point XDG_CONFIG_HOME elsewhere),
so settings follow the user whichever data folder is open. The app reads and writes them with
QSettings (app/settings.py); this module has no Qt, so that the headless commands (`closer
export`, `backup`, ...) can read the one they need, the library folder, without loading PySide6:
`read` parses the same file as QSettings writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from closer_desktop.paths import config_dir, default_data_dir

T = TypeVar("T", str, bool, int)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    doc: str
    choices: tuple[T, ...] = ()  # when given, a stored value outside them reads as the default


INPUT_DEVICE = Setting("audio/input_device", "", "Microphone name; empty means the system default")
FIRST_RUN_TIP_DISMISSED = Setting(
    "ui/first_run_tip_dismissed", False, "The first-run steps were done (a rated take) or skipped"
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
FROM_MEMORY = Setting(
    "practice/from_memory", False, "Hide the line: say it from memory, with hints on H"
)
END_OF_ANSWER_MS = Setting(
    "practice/end_of_answer_ms",
    2000,
    "Interview run: the silence after speech that ends an answer, in milliseconds (1-5 s)",
    tuple(range(1000, 5001, 250)),
)
DATA_DIR = Setting("library/data_dir", "", "Library folder; empty means the per-user data folder")
THEME = Setting("ui/theme", "system", "Colours: system, light or dark", ("system", "light", "dark"))
ANALYSIS = Setting("analysis/enabled", True, "Measure each take's delivery (pace, pauses, fillers)")
WINDOW_STATE = Setting("ui/window_state", "", "Splitter positions, as JSON of hex states by name")
LAST_VIEW = Setting(
    "ui/last_view", "practice", "The page shown at exit", ("practice", "history", "progress")
)


def settings_file() -> Path:
    """The INI file that holds the settings."""
    return config_dir() / "settings.ini"


def read(setting: Setting[T], path: Path | None = None) -> T:
    """The setting's value in the INI file, read without Qt; its default when the file, the
    key or a value of its type is not there (a file that cannot be parsed counts as absent)."""
    import configparser  # here: the app reads its settings with QSettings, never this way

    group, _, name = setting.key.rpartition("/")
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    try:
        with open(path or settings_file(), encoding="utf-8") as file:
            parser.read_file(file)
        raw = parser.get(group or "General", name)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return setting.default
    text = _unescape(raw)
    if text is None:
        return setting.default
    value = coerce(text, setting.default)
    return setting.default if setting.choices and value not in setting.choices else value


def data_dir_from(chosen: str) -> Path:
    """The library folder a DATA_DIR value names: where it was moved, else the default."""
    return Path(chosen).expanduser() if chosen else default_data_dir()


def chosen_data_dir(path: Path | None = None) -> Path:
    """The library folder to open when none is given (the headless commands' way, no Qt)."""
    return data_dir_from(read(DATA_DIR, path))


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX = frozenset("0123456789abcdefABCDEF")
_OCTAL = frozenset("01234567")


def _unescape(raw: str) -> str | None:
    """A value as QSettings writes it, back to text: double quotes around what holds , ; = or
    edge spaces, backslash escapes (\\n, \\", \\\\, \\xHHHH, octal), a leading @ doubled. None for
    what is not one plain string (a list, or a typed @Variant(...)), which no setting is."""
    text = raw.strip()
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            quoted = not quoted
        elif char == "\\" and i + 1 < len(text):
            i += 1
            code = text[i]
            if code == "x":
                end = i + 1
                while end < len(text) and end < i + 5 and text[end] in _HEX:
                    end += 1
                out.append(chr(int(text[i + 1 : end] or "0", 16)))
                i = end - 1
            elif code in _OCTAL:
                end = i
                while end < len(text) and end < i + 3 and text[end] in _OCTAL:
                    end += 1
                out.append(chr(int(text[i:end], 8)))
                i = end - 1
            else:
                out.append(_ESCAPES.get(code, code))
        elif char == "," and not quoted:
            return None  # a list
        else:
            out.append(char)
        i += 1
    value = "".join(out)
    if value.startswith("@@"):
        return value[1:]
    if value.startswith("@String(") and value.endswith(")"):
        return value[len("@String(") : -1]
    return None if value.startswith("@") else value


def coerce(value: object, default: T) -> T:
    """INI files hold text: turn a stored value back into the setting's type."""
    if isinstance(default, bool):
        return default.__class__(str(value).lower() in ("true", "1", "yes"))
    if isinstance(default, int):
        try:
            return default.__class__(str(value))
        except ValueError:
            return default
    return default.__class__(value) if value is not None else default
