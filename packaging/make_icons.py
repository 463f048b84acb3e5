"""Render the app icon (resources/icons/closer.svg) to the PNG sizes desktops look for.

    .venv/bin/python packaging/make_icons.py     # writes resources/icons/closer-<size>.png

The PNGs are committed (a menu entry needs them before Closer ever runs); run this again after
changing the SVG. tests/packaging/test_desktop_files.py checks they exist at their sizes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(svg: Path, size: int, target: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"cannot write {target}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts and image plugins need it)
    for size in SIZES:
        render(ICONS / "closer.svg", size, ICONS / f"closer-{size}.png")
    print(f"wrote {len(SIZES)} PNGs in {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
