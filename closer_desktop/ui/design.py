"""Closer's design tokens: spacing, type scale and the light and dark colours, in one place.

Plain data (no widgets), so a test can check the palette's contrast and the style sheets can be
drawn from it. The style sheets are generated from these tokens by
`python -m closer_desktop.ui.design` into resources/styles/closer.qss and closer-dark.qss, and
tests/ui/test_design.py fails when a file is not what the tokens give. Generated ahead rather
than at start-up: start-up then reads one small file, as before, and nothing but Qt's own work
comes before the first paint; the .qss stays readable as the style that is actually applied.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

# Spacing on a 6 px grid: margins, gaps and paddings use these and nothing else.
SPACE_XS = 6
SPACE_S = 12
SPACE_M = 18
SPACE_L = 24
SPACING = (SPACE_XS, SPACE_S, SPACE_M, SPACE_L)

# Type scale in points, relative to a 10 pt body (Qt's usual default on Linux).
TYPE_CAPTION = 9
TYPE_BODY = 10
TYPE_HEADING = 12
TYPE_TITLE = 13
TYPE_QUESTION = 15
TYPE_DISPLAY = 20  # the recording timer
TYPE_SCALE = (TYPE_CAPTION, TYPE_BODY, TYPE_HEADING, TYPE_TITLE, TYPE_QUESTION, TYPE_DISPLAY)

RADIUS = 6  # corners of cards, buttons and toasts


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

TEXT_AA = 4.5  # WCAG 2.x AA, normal text
LARGE_AA = 3.0  # large text (18 pt, or 14 pt bold) and UI parts (borders, graphs)


def contrast_pairs(p: Palette) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, minimum ratio) for every pairing the style sheet uses."""
    pairs: list[tuple[str, str, str, float]] = []
    for ground_name in ("window", "surface", "surface_alt"):
        ground = getattr(p, ground_name)
        for role in ("text", "text_secondary", "accent", "good", "watch", "work"):
            pairs.append((f"{role} on {ground_name}", getattr(p, role), ground, TEXT_AA))
        pairs.append((f"border against {ground_name}", p.border, ground, LARGE_AA))
    for ground_name in ("window", "surface"):  # where buttons and waveforms are drawn
        ground = getattr(p, ground_name)
        for role in ("recording", "accent_fill", "wave"):
            pairs.append((f"{role} against {ground_name}", getattr(p, role), ground, LARGE_AA))
    pairs += [
        ("on_accent on accent_fill", p.on_accent, p.accent_fill, TEXT_AA),
        ("on_recording on recording", p.on_recording, p.recording, TEXT_AA),
        ("on_toast on toast", p.on_toast, p.toast, TEXT_AA),
        ("toast_action on toast", p.toast_action, p.toast, TEXT_AA),
        ("on_error_toast on error_toast", p.on_error_toast, p.error_toast, TEXT_AA),
        ("toast against window", p.toast, p.window, LARGE_AA),
    ]
    return pairs


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of '#rrggbb'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def style_sheet(name: str) -> str:
    """The whole style sheet of theme `name` ("light" or "dark"), drawn from the tokens."""
    p = PALETTES[name]
    s, xs, m = SPACE_S, SPACE_XS, SPACE_M
    return f"""\
/* Generated by `python -m closer_desktop.ui.design` from closer_desktop/ui/design.py ({name}).
   Do not edit: change the tokens there and run it again (tests/ui/test_design.py checks). */

QLabel#questionLabel {{ font-weight: 600; padding: {xs}px 0 2px 0; }}
QLabel#stageLabel {{ color: {p.accent}; font-weight: 600; letter-spacing: 1px; }}
QLabel#progressLabel, QLabel#levelText, QLabel#micLabel, QLabel#keysHint {{ color: {p.text_secondary}; }}
QLabel#tipLabel {{ color: {p.text_secondary}; font-style: italic; padding-bottom: 4px; }}
QLabel#takesTitle, QLabel#summaryTitle {{ font-weight: 600; font-size: {TYPE_TITLE}pt; }}
QLabel#timerLabel[over="true"] {{ color: {p.work}; }}
QLabel#levelText[warning="true"], QLabel#micLabel[level="problem"] {{ color: {p.work}; font-weight: 600; }}

QPushButton#recordButton {{
    font-size: {TYPE_HEADING}pt; font-weight: 600; padding: 8px {m}px; border-radius: 8px;
    color: {p.on_recording}; background: {p.recording}; border: 2px solid {p.recording};
}}
QPushButton#recordButton:hover {{ background: {p.work if name == "light" else "#d24636"}; }}
QPushButton#recordButton[recording="true"] {{
    background: {p.surface}; color: {p.work}; border: 2px solid {p.recording};
}}
QPushButton#recordButton[recording="true"]:hover {{ background: {_rgba(p.recording, 0.12)}; }}
QPushButton#recordButton:disabled {{ background: {p.surface_alt}; border-color: {p.border}; color: {p.disabled_text}; }}
/* Every state draws the same 2 px border (only its colour changes): a wider border on focus
   grew the button's size hint and moved the timer beside it. */
QPushButton#recordButton:focus {{ outline: none; border-color: {p.accent}; }}

/* The practice page (ui/practice/): the question card, the record area, the review card. */
QFrame#questionCard, QFrame#reviewCard, QFrame#recordArea {{
    background: {p.surface}; border: 1px solid {p.border}; border-radius: {RADIUS}px;
}}
QFrame#questionCard QLabel, QFrame#reviewCard QLabel, QFrame#recordArea QLabel {{ background: transparent; }}
QFrame#recordArea[recording="true"] {{ border: 2px solid {p.recording}; background: {_rgba(p.recording, 0.07)}; }}
QLabel#recordDot {{ color: {p.work}; }}
QLabel#recordState {{ color: {p.text_secondary}; }}
QLabel#recordState[recording="true"] {{ color: {p.work}; font-weight: 600; }}
QLabel#reviewCaption, QLabel#targetLabel {{ color: {p.text_secondary}; }}
QLabel#cueLabel {{ color: {p.text_secondary}; }}
QLabel#reviewTitle {{ font-weight: 600; font-size: {TYPE_HEADING}pt; }}
QLabel#ratingStatus {{ color: {p.text_secondary}; }}
QLabel#ratingStatus[saved="true"] {{ color: {p.good}; font-weight: 600; }}
QFrame#reviewCard QTextBrowser {{ background: transparent; }}

QFrame#ratingRow {{ border: 1px solid transparent; border-radius: {RADIUS}px; }}
QFrame#ratingRow[target="true"] {{ border: 2px solid {p.accent}; background: {_rgba(p.accent, 0.08)}; }}
/* Every state of a rating button is drawn by the style sheet with the same box (border, padding,
   minimum size): a rule for :checked alone would draw only that state so, with a smaller size
   hint, and Qt keeps the hint from the last restyle: a theme switch shrank the checked button. */
QPushButton#ratingButton {{
    min-width: 34px; min-height: 26px; padding: 2px {xs}px; font-weight: 600;
    border: 1px solid {p.border}; border-radius: 4px; background: {p.surface}; color: {p.text};
}}
QPushButton#ratingButton:hover {{ border-color: {p.accent}; }}
QPushButton#ratingButton:focus {{ border: 2px solid {p.accent}; padding: 1px {xs - 1}px; }}
QPushButton#ratingButton:checked {{ background: {p.accent_fill}; color: {p.on_accent}; border-color: {p.accent_fill}; }}
QPushButton#ratingButton:disabled {{ color: {p.disabled_text}; border-color: {p.surface_alt}; background: {p.window}; }}
/* A rating set on a take shown while recording stays readable in the dimmed review card. */
QPushButton#ratingButton:checked:disabled {{ color: {p.on_accent}; border-color: {p.accent_fill}; background: {p.accent_fill}; }}

QCheckBox::indicator, QGroupBox::indicator {{ width: 14px; height: 14px; }}
QCheckBox::indicator:unchecked, QGroupBox::indicator:unchecked {{
    border: 1px solid {p.border}; border-radius: 3px; background: {p.surface};
}}
QCheckBox::indicator:checked, QGroupBox::indicator:checked {{
    border: 1px solid {p.accent_fill}; border-radius: 3px; background: {p.accent_fill};
    image: url(closerstyles:check-{name}.svg);
}}
QCheckBox::indicator:disabled {{ border-color: {p.surface_alt}; background: {p.window}; }}

/* Fields are outlined in the border colour: Fusion's own frame is the window colour darkened,
   which vanishes on a dark window. Only framed line edits (a spin box's inner one has none). */
QLineEdit[frame="true"], QDialog QTextEdit, QDialog QPlainTextEdit {{
    border: 1px solid {p.border}; border-radius: 3px; background: {p.surface}; padding: 2px;
}}
QLineEdit[frame="true"]:focus, QDialog QTextEdit:focus, QDialog QPlainTextEdit:focus {{ border-color: {p.accent}; }}
QLineEdit[frame="true"]:disabled {{ border-color: {p.surface_alt}; }}
QAbstractItemView {{ border: 1px solid {p.border}; }}

QFrame#firstRunGuide {{
    background: {p.surface_alt}; border: 1px solid {p.border}; border-radius: {RADIUS}px;
}}
QFrame#firstRunGuide QLabel {{ color: {p.text}; }}

/* Toasts (ui/widgets/toast.py): over the page at the bottom centre, like GNOME's. */
QFrame#toast {{ background: {p.toast}; border-radius: {RADIUS * 3}px; }}
QFrame#toast[level="error"] {{ background: {p.error_toast}; }}
QFrame#toast QLabel#messageLabel {{ color: {p.on_toast}; padding: {xs}px {xs}px {xs}px {s}px; }}
QFrame#toast[level="error"] QLabel#messageLabel {{ color: {p.on_error_toast}; }}
QFrame#toast QPushButton {{
    color: {p.toast_action}; background: transparent; border: none; font-weight: 600;
    padding: {xs}px {s}px; border-radius: {RADIUS}px;
}}
QFrame#toast[level="error"] QPushButton {{ color: {p.on_error_toast}; }}
QFrame#toast QPushButton:hover, QFrame#toast QPushButton:focus {{ background: {_rgba(p.on_toast, 0.15)}; }}

/* Delivery feedback tiles (ui/widgets/feedback.py): the verdict in words, and in its colour as
   the text and a strip along the top. */
QFrame#feedbackTile {{
    background: {p.surface}; border: 1px solid {p.border}; border-top: 4px solid {p.border};
    border-radius: {RADIUS}px;
}}
QFrame#feedbackTile[verdict="good"] {{ border-top-color: {p.good}; }}
QFrame#feedbackTile[verdict="watch"] {{ border-top-color: {p.watch}; }}
QFrame#feedbackTile[verdict="work"] {{ border-top-color: {p.work}; }}
QFrame#feedbackTile QLabel {{ background: transparent; }}
QLabel#tileName, QLabel#tileVerdict[verdict="none"] {{ color: {p.text_secondary}; }}
QLabel#tileVerdict[verdict="good"] {{ color: {p.good}; }}
QLabel#tileVerdict[verdict="watch"] {{ color: {p.watch}; }}
QLabel#tileVerdict[verdict="work"] {{ color: {p.work}; }}

/* History's Filters button counts the filters in force (ui/history/view.py). */
QLabel#filterBadge {{
    background: {p.accent_fill}; color: {p.on_accent}; border-radius: 8px; padding: 0 {xs}px;
    font-weight: 600;
}}

QPushButton#againButton {{ font-weight: 600; padding: {xs}px {s + 4}px; }}
QListWidget#takeList::item {{ padding: {xs}px 4px; border-bottom: 1px solid palette(midlight); }}
QListWidget#takeList::item:selected {{ background: {p.accent_fill}; color: {p.on_accent}; }}

/* Take waveforms (ui/widgets/waveform.py): what has been played in the accent. */
WaveformView {{ qproperty-playedColor: {p.accent}; qproperty-waveColor: {p.wave}; qproperty-playheadColor: {p.text}; }}
"""


def check_mark_svg(name: str) -> str:
    """The tick drawn in a checked box (Fusion's own is drawn in the text colour, unseen on the accent)."""
    colour = PALETTES[name].on_accent
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14">'
        f'<path d="M3 7.5 L6 10.5 L11.5 4" fill="none" stroke="{colour}" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>\n'
    )


def generated_files(styles: Path) -> dict[Path, str]:
    """Every file `main` writes under resources/styles, with its text."""
    return {
        styles / "closer.qss": style_sheet("light"),
        styles / "closer-dark.qss": style_sheet("dark"),
        **{styles / f"check-{name}.svg": check_mark_svg(name) for name in PALETTES},
    }


def main() -> int:
    from closer_desktop.paths import resource_path

    for path, text in generated_files(resource_path("styles")).items():
        path.write_text(text, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
