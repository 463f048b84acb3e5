"""The settings read without Qt (closer_desktop/settings.py) are what the app's QSettings wrote."""

from __future__ import annotations

from pathlib import Path

from closer_desktop import settings as S
from closer_desktop.app.settings import Settings
from closer_desktop.paths import default_data_dir

DECLARED = [value for value in vars(S).values() if isinstance(value, S.Setting)]


def test_every_declared_setting_reads_back_as_qsettings_wrote_it(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    store = Settings(ini)
    written: dict[str, object] = {}
    for setting in DECLARED:
        if setting.choices:
            value = setting.choices[-1]
        elif isinstance(setting.default, bool):
            value = not setting.default
        elif isinstance(setting.default, int):
            value = setting.default + 7
        else:
            value = f'{setting.key}: "x", y; z=1 \\ @ ü'
        store.set(setting, value)
        written[setting.key] = value
    del store  # QSettings writes the file when it goes
    assert len(DECLARED) > 10
    assert {s.key: S.read(s, ini) for s in DECLARED} == written
    reopened = Settings(ini)
    assert {s.key: reopened.get(s) for s in DECLARED} == written


def test_what_is_missing_or_unreadable_reads_as_the_default(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    assert S.read(S.SAMPLE_RATE, ini) == 0  # no file
    ini.write_bytes(b"\xff\xfe not text")
    assert S.read(S.THEME, ini) == "system"
    ini.write_text("no section here\n")
    assert S.read(S.THEME, ini) == "system"
    ini.write_text("[ui]\ntheme=purple\n[audio]\nsample_rate=lots\ninput_device=a, b\n")
    assert S.read(S.THEME, ini) == "system"  # not one of its choices
    assert S.read(S.SAMPLE_RATE, ini) == 0  # not a number
    assert S.read(S.INPUT_DEVICE, ini) == ""  # a list, which no setting is
    assert S.chosen_data_dir(ini) == default_data_dir()
