"""The rating anchors (domain/anchors.py) are the README's: one wording, in the app and the docs."""

from __future__ import annotations

from pathlib import Path

from closer_desktop.domain.anchors import ANCHORS, anchor_summary, anchors_text
from closer_desktop.domain.practice import RatingScale

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_anchor_in_its_rating_section() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Rating a take", 1)[1].split("\n### ", 1)[0]
    for value in range(1, 6):
        p = ANCHORS[RatingScale.PROFESSIONALISM][value]
        c = ANCHORS[RatingScale.CLARITY][value]
        assert f"| {value} | {p} | {c} |" in section


def test_anchors_text_lists_the_levels_in_order() -> None:
    lines = anchors_text(RatingScale.CLARITY).splitlines()
    assert [line[0] for line in lines] == ["1", "2", "3", "4", "5"]
    assert lines[0] == f"1 – {ANCHORS[RatingScale.CLARITY][1]}"


def test_the_summary_names_levels_one_three_and_five_in_short() -> None:
    assert anchor_summary(RatingScale.PROFESSIONALISM) == (
        "1 apologetic or awkward · 3 courteous and steady · 5 poised, warm and confident"
    )
