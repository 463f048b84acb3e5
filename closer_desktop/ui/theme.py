"""Colours: follow the system, or force light or dark (Settings > Appearance).

Closer draws with Qt's Fusion style, so a theme is a palette plus, for dark, a few overrides of
the colours that `closer.qss` sets for a light window (`closer-dark.qss`). "system" leaves the
palette the platform gave the application.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from closer_desktop.paths import resource_path

THEMES = ("system", "light", "dark")
_SYSTEM_PALETTE = "closer_system_palette"  # the platform's palette, kept as an app property
BASE_STYLE_SHEET = "closer_base_style_sheet"  # closer.qss, kept as an app property by create_app


def dark_palette() -> QPalette:
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#202328",
        role.WindowText: "#e6e6e6",
        role.Base: "#16181c",
        role.AlternateBase: "#2a2e35",
        role.ToolTipBase: "#2a2e35",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#8c939d",
        role.Text: "#e6e6e6",
        role.Button: "#2d3138",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Light: "#3a3f47",
        role.Midlight: "#33373f",
        role.Mid: "#2a2e35",
        role.Dark: "#121417",
        role.Shadow: "#000000",
        role.Highlight: "#3d7ff0",
        role.HighlightedText: "#ffffff",
        role.Link: "#6ea8ff",
        role.LinkVisited: "#b48cff",
    }
    for colour_role, value in colours.items():
        palette.setColor(colour_role, QColor(value))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, colour_role, QColor("#6b7179"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Use `theme` ("system", "light" or "dark") now; every open window follows."""
    if app.property(_SYSTEM_PALETTE) is None:
        app.setProperty(_SYSTEM_PALETTE, QPalette(app.palette()))
    system = app.property(_SYSTEM_PALETTE)
    base_style = str(app.property(BASE_STYLE_SHEET) or "")
    hints = app.styleHints()
    scheme = getattr(hints, "setColorScheme", None)  # Qt 6.8+: tell the platform too
    if theme == "dark":
        palette = dark_palette()
        extra = resource_path("styles", "closer-dark.qss")
        style = base_style + "\n" + (extra.read_text(encoding="utf-8") if extra.exists() else "")
    elif theme == "light":
        style_obj = app.style()
        palette = style_obj.standardPalette() if style_obj is not None else QPalette()
        style = base_style
    else:
        palette = system if isinstance(system, QPalette) else QPalette()
        style = base_style
    if scheme is not None:
        from PySide6.QtCore import Qt

        if theme == "dark":
            scheme(Qt.ColorScheme.Dark)
        elif theme == "light":
            scheme(Qt.ColorScheme.Light)
        elif hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
    app.setPalette(palette)
    if app.styleSheet() != style:
        app.setStyleSheet(style)


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property that closer.qss selects on (`[level="problem"]`), and restyle.

    While the window is built no style sheet is set yet (app.build_window sets it once the tree
    is complete, which restyles every widget): nothing to redo then. That also keeps QStyle's
    Python type (hundreds of enum members, slow to create) out of start-up, where the practice
    page sets these properties before its first paint.
    """
    widget.setProperty(name, value)
    app = QApplication.instance()
    if isinstance(app, QApplication) and not app.styleSheet() and not widget.styleSheet():
        return
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
