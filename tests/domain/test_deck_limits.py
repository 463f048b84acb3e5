"""Deck files that would hurt the parser are refused quickly with a DeckError naming the file
and line: deep nesting (tomllib recursed until RecursionError), a long dotted key (its parse
time grew with the square of the key's parts), and line breaks or tabs in one-line fields."""

from __future__ import annotations

import time

import pytest

from closer_desktop.domain.deck import DeckError, deck_to_toml, load_deck, parse_deck
from closer_desktop.paths import default_deck_path

SHIPPED = deck_to_toml(load_deck(default_deck_path()))


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 5000 + "1" + "}" * 5000,
        "x = [" + "[1, {b = " * 3000,  # cut short too
    ],
    ids=["arrays", "inline-tables", "mixed-unclosed"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(nested: str) -> None:
    with pytest.raises(DeckError, match=r"deep\.toml: line 2: .*nested more than"):
        parse_deck("version = 1\n" + nested + "\n", source="deep.toml")


def test_a_long_dotted_key_is_refused_at_once() -> None:
    text = "version = 1\n" + ".".join(["a"] * 20_000) + " = 1\n"  # 40 KB
    started = time.perf_counter()
    with pytest.raises(DeckError, match=r"key\.toml: line 2: a key of more than 16 dotted parts"):
        parse_deck(text, source="key.toml")
    assert time.perf_counter() - started < 1.0  # tomllib alone: several seconds


def test_quoted_parts_count_too_and_text_does_not() -> None:
    quoted = ".".join(['"a"'] * 17)
    with pytest.raises(DeckError, match="dotted parts"):
        parse_deck(f"version = 1\n{quoted} = 1\n")
    # Dots and brackets inside strings and comments are text: the shipped deck with such a tip
    # and comment still loads.
    tip = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    text = SHIPPED.replace('tip = "', f'# {tip}\ntip = "{tip} ', 1)
    assert any(q.tip.startswith(tip) for q in parse_deck(text))


@pytest.mark.parametrize("key", ["name", "id"])
@pytest.mark.parametrize("control", ["\\t", "\\n", "\\r"])
def test_a_deck_name_or_id_is_one_line(key: str, control: str) -> None:
    line = next(x for x in SHIPPED.splitlines() if x.startswith(f"{key} = "))
    forged = SHIPPED.replace(line, line[:-1] + control + 'Fake deck\\t0 questions"', 1)
    with pytest.raises(
        DeckError, match=rf"forged\.toml: the deck: '{key}' (must be one line|contains)"
    ):
        parse_deck(forged, source="forged.toml")


def test_titles_and_cues_are_one_line_text_and_tips_may_break_lines() -> None:
    title = next(x for x in SHIPPED.splitlines() if x.startswith("title = "))
    with pytest.raises(DeckError, match="'title' must be one line"):
        parse_deck(SHIPPED.replace(title, title[:-1] + '\\nmore"', 1))
    text = next(x for x in SHIPPED.splitlines() if x.startswith("text = "))
    two_lines = parse_deck(SHIPPED.replace(text, text[:-1] + '\\nand a second line"', 1))
    assert any(q.text.endswith("\nand a second line") for q in two_lines)
