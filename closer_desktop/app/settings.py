"""The app's store of the user settings: QSettings on the INI file that closer_desktop/settings.py
declares them for (each once, with its type and default) and reads without Qt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from closer_desktop.settings import Setting, T, coerce, settings_file


class Settings:
    """Typed access to the declared settings."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or settings_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, setting: Setting[T]) -> T:
        value = coerce(self._qsettings.value(setting.key, setting.default), setting.default)
        if setting.choices and value not in setting.choices:
            return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        self._qsettings.setValue(setting.key, value)  # written by Qt when idle, not now
