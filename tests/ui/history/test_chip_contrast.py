"""History's chips keep their text readable: a verdict's colour on its own tint, over the table's
surface and its alternate rows, meets WCAG AA (4.5:1) in both themes."""

from __future__ import annotations

import pytest

from closer_desktop.ui.design import PALETTES, TEXT_AA, contrast_ratio
from closer_desktop.ui.history.view import CHIP_TINT


def over(colour: str, ground: str, alpha: float) -> str:
    """`colour` at `alpha` painted over `ground`, as #rrggbb."""
    mixed = [
        round(alpha * int(colour[i : i + 2], 16) + (1 - alpha) * int(ground[i : i + 2], 16))
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in mixed)


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_chip_text_on_its_tint_meets_aa(theme: str) -> None:
    p = PALETTES[theme]
    for verdict in (p.watch, p.work):
        for ground in (p.surface, p.surface_alt):
            fill = over(verdict, ground, CHIP_TINT)
            assert contrast_ratio(verdict, fill) >= TEXT_AA, (theme, verdict, ground)
        # On a selected row the chip is the surface colour.
        assert contrast_ratio(verdict, p.surface) >= TEXT_AA
