"""Desktop integration: the menu entry and metainfo pass their validators, the icons exist at
their sizes, and the per-user install adds the entry that the uninstall removes again."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from closer_desktop import APP_ID

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    """The validator's path; under CI a missing one fails (dev.sh installs it), else it skips."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is required under CI (bash packaging/dev.sh test installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def test_the_desktop_file_is_valid_and_named_after_the_app_id() -> None:
    done = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout + done.stderr
    text = DESKTOP.read_text()
    assert f"Icon={APP_ID}\n" in text and "Exec=closer\n" in text


def test_the_metainfo_is_valid_and_launches_the_desktop_file() -> None:
    done = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = METAINFO.read_text()
    assert f"<id>{APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in text


def test_the_icon_comes_as_svg_and_every_png_size() -> None:
    from PySide6.QtGui import QImage

    assert (ICONS / "closer.svg").read_text().lstrip().startswith("<svg")
    for size in PNG_SIZES:
        image = QImage(str(ICONS / f"closer-{size}.png"))
        assert (image.width(), image.height()) == (size, size), f"closer-{size}.png"
        assert image.hasAlphaChannel()


def run_script(name: str, data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "HOME": str(data_home.parent)}
    return subprocess.run(
        ["bash", str(ROOT / "packaging" / name), *args], capture_output=True, text=True, env=env
    )


def test_install_adds_the_menu_entry_and_uninstall_removes_exactly_it(tmp_path: Path) -> None:
    data_home = tmp_path / "share"
    program = tmp_path / "bin dir" / "closer"  # a space in the path must survive Exec=
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    mine = data_home / "applications" / "other.desktop"  # someone else's entry stays
    mine.parent.mkdir(parents=True)
    mine.write_text("[Desktop Entry]\n")

    done = run_script("install-desktop.sh", data_home, "--exec", str(program))
    assert done.returncode == 0, done.stderr
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    assert f'Exec="{program}"' in entry.read_text()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert check.returncode == 0, check.stdout
    assert (data_home / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (data_home / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in PNG_SIZES:
        assert (data_home / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert run_script("install-desktop.sh", data_home, "--exec", str(program)).returncode == 0

    done = run_script("uninstall-desktop.sh", data_home)
    assert done.returncode == 0, done.stderr
    left = {p.name for p in data_home.rglob("*") if p.is_file()}
    assert not any(APP_ID in name for name in left), left
    assert mine.read_text() == "[Desktop Entry]\n"


def test_install_refuses_a_missing_program(tmp_path: Path) -> None:
    done = run_script("install-desktop.sh", tmp_path / "share", "--exec", str(tmp_path / "nope"))
    assert done.returncode != 0
    assert not (tmp_path / "share" / "applications" / f"{APP_ID}.desktop").exists()
