"""Every colour the widgets use comes from the design tokens (ui/design.py), so both themes get
theirs: no #rrggbb literal or named QColor anywhere else under closer_desktop/ui (the meter's
fixed greens and the dark palette's own shades were such, and fell out of the design)."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "closer_desktop" / "ui"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
NAMED = re.compile(r"QColor\(\s*[\"'](?!#)")
# A PDF report is printed on white paper whatever the screen's theme.
ALLOWED = {("actions/report.py", 'QColor("white")')}


def test_no_fixed_colours_outside_the_design_tokens() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        name = path.relative_to(UI).as_posix()
        if name == "design.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue  # a comment may name a colour it replaced
            code = line.split("  # ", 1)[0]
            hits = HEX.findall(code) + NAMED.findall(code)
            if hits and not any(n == name and snippet in line for n, snippet in ALLOWED):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
