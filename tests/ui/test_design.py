"""The design tokens: WCAG AA contrast over both palettes, and style sheets generated from them."""

from __future__ import annotations

import pytest

from closer_desktop.paths import resource_path
from closer_desktop.ui import design
from closer_desktop.ui.design import PALETTES, contrast_pairs, contrast_ratio, generated_files


def wcag_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast, computed here from the formula (not by the code under test)."""

    def luminance(colour: str) -> float:
        rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_wcag_formula_known_values() -> None:
    assert wcag_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert wcag_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(wcag_ratio("#777777", "#ffffff"))


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palette_meets_wcag_aa(name: str) -> None:
    palette = PALETTES[name]
    pairs = contrast_pairs(palette)
    # Every colour role someone reads or must see is in a checked pair.
    covered = {value for _, fg, bg, _ in pairs for value in (fg, bg)}
    unchecked = {
        role: value
        for role, value in vars(palette).items()
        if value not in covered and role != "disabled_text"
    }
    assert not unchecked
    failures = [
        f"{what}: {wcag_ratio(fg, bg):.2f} < {minimum}"
        for what, fg, bg, minimum in pairs
        if wcag_ratio(fg, bg) < minimum
    ]
    assert not failures


def test_minimums_are_wcag_aa() -> None:
    minimums = {m for p in PALETTES.values() for *_, m in contrast_pairs(p)}
    assert minimums == {4.5, 3.0}


def test_spacing_is_on_the_6px_grid() -> None:
    assert design.SPACING == (6, 12, 18, 24)
    assert list(design.TYPE_SCALE) == sorted(set(design.TYPE_SCALE))


def test_style_sheets_are_generated_from_the_tokens() -> None:
    """resources/styles is what `python -m closer_desktop.ui.design` writes from the tokens."""
    for path, text in generated_files(resource_path("styles")).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run python -m closer_desktop.ui.design"
        )


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_style_sheet_uses_the_palette(name: str) -> None:
    sheet = design.style_sheet(name)
    palette = PALETTES[name]
    for role in ("accent", "text_secondary", "recording", "toast", "wave", "border"):
        assert getattr(palette, role) in sheet
