"""The light and dark colours of Closer's design tokens, as plain strings.

Kept apart from ui/design.py (spacing, type, the style sheet's generation) and free of Qt so that
the HTML report (reports/, which the layers keep below ui/) draws with the same colours as the
app: ui/design.py re-exports these, and nothing else defines a colour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    """The colours of one theme, as #rrggbb. Roles, not uses: a page picks the role it means."""

    window: str  # the page background
    surface: str  # fields, lists, cards (QPalette.Base)
    surface_alt: str  # alternate rows, raised parts, tooltips
    text: str
    text_secondary: str  # hints, captions, the stage line
    border: str  # outlines of fields, check boxes, cards: a UI part, 3:1
    accent: str  # links, the stage label, the played part of a waveform, focus rings
    accent_fill: str  # a checked rating button's background (with on_accent text)
    on_accent: str
    recording: str  # the Record button, the recording state
    on_recording: str
    good: str  # verdict colours, as text or chips on the window or a surface
    watch: str
    work: str
    wave: str  # the unplayed waveform on `surface`
    disabled_text: str  # deliberately not checked: disabled text is exempt in WCAG
    toast: str  # the toast's background (dark in light, light-ish in dark, like GNOME)
    on_toast: str
    toast_action: str
    error_toast: str
    on_error_toast: str


LIGHT = Palette(
    window="#efefef",
    surface="#ffffff",
    surface_alt="#f5f5f5",
    text="#1f1f1f",
    text_secondary="#555555",
    border="#858585",
    accent="#1a5fd0",
    accent_fill="#1a5fd0",
    on_accent="#ffffff",
    recording="#c0392b",
    on_recording="#ffffff",
    good="#1d6f30",
    watch="#7f5200",
    work="#b02a1e",
    wave="#858585",
    disabled_text="#9a9a9a",
    toast="#2e3034",
    on_toast="#f2f2f2",
    toast_action="#8fb8ff",
    error_toast="#8c1f15",
    on_error_toast="#ffffff",
)

DARK = Palette(
    window="#202328",
    surface="#16181c",
    surface_alt="#2a2e35",
    text="#e6e6e6",
    text_secondary="#a9b0ba",
    border="#737a85",
    accent="#6ea8ff",
    accent_fill="#2f6ad6",
    on_accent="#ffffff",
    recording="#cc3d2e",
    on_recording="#ffffff",
    good="#6fcf86",
    watch="#f0c062",
    work="#ff8a7a",
    wave="#7d8590",
    disabled_text="#6b7179",
    toast="#e4e6ea",
    on_toast="#1b1d21",
    toast_action="#1a56c0",
    error_toast="#ffb4a8",
    on_error_toast="#3d0c06",
)

PALETTES = {"light": LIGHT, "dark": DARK}


# The practice calendar's shades: opaque mixes into the window colour (translucent shades were
# lost on a dark window), the same in the app and in the report.
CALENDAR_EMPTY_SHARE = 0.45  # of the border colour over the window: an empty day, seen but quiet
CALENDAR_SHARES = (0.7, 0.8, 0.9, 1.0)  # of the accent over the window, for levels 1 to 4


def mix(ground: str, colour: str, share: float) -> str:
    """`share` of `colour` over `ground` (both #rrggbb), as an opaque #rrggbb."""
    g = [int(ground[i : i + 2], 16) for i in (1, 3, 5)]
    c = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(g, c, strict=True))


def calendar_levels(p: Palette) -> tuple[str, ...]:
    """The calendar's colours in a theme, level 0 (no take) to 4."""
    empty = mix(p.window, p.border, CALENDAR_EMPTY_SHARE)
    return (empty, *(mix(p.window, p.accent, share) for share in CALENDAR_SHARES))
