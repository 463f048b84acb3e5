"""The screenshots the README shows and the AppStream metainfo lists are in the repository
(docs/screenshots/), small, and at the sizes the app is checked at (1280x800, 800x600, or a
dialog that fits them)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
METAINFO = ROOT / "packaging" / "linux" / "io.github.closer_desktop.Closer.metainfo.xml"
RAW = "https://raw.githubusercontent.com/closer-desktop/closer/main/"


def test_metainfo_and_readme_show_the_committed_screenshots() -> None:
    listed = re.findall(r"<image>([^<]+)</image>", METAINFO.read_text(encoding="utf-8"))
    assert len(listed) >= 3
    assert '<screenshot type="default">' in METAINFO.read_text(encoding="utf-8")
    for url in listed:
        assert url.startswith(RAW), url
        assert (ROOT / url.removeprefix(RAW)).is_file(), url
    shown = re.findall(r"\]\((docs/screenshots/[^)]+)\)", (ROOT / "README.md").read_text())
    assert {Path(s).name for s in shown} == {Path(u).name for u in listed}
    for path in SHOTS.glob("*.png"):
        assert path.stat().st_size < 200_000, f"{path.name}: optimise it (PNG8)"
        image = QImage(str(path))
        assert not image.isNull(), path.name
        assert image.width() <= 1280 and image.height() <= 800, path.name
