"""The deck store refuses what it could not list or read back: a name with a tab or line break
(it would forge lines in `closer deck list`), and a deck larger as a file than Closer reads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from closer_desktop.domain.deck import DeckError, Question, Stage
from closer_desktop.storage.decks import MAX_DECK_FILE_BYTES, DeckStore


@pytest.mark.parametrize("name", ["Mine\tfake-id\t3 questions", "Mine\nForged", "Bell\x07"])
def test_names_with_control_characters_are_refused(tmp_path: Path, name: str) -> None:
    store = DeckStore(tmp_path)
    with pytest.raises(DeckError, match="one line"):
        store.create(name)
    deck = store.create("Mine")
    with pytest.raises(DeckError, match="one line"):
        store.rename(deck.id, name)
    with pytest.raises(DeckError, match="one line"):
        store.duplicate(deck.id, name)
    assert sorted(e.name for e in store.entries() if not e.builtin) == ["Mine"]


def test_a_deck_too_large_to_read_back_is_not_saved(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    deck = store.create("Mine")
    questions = tuple(
        Question(f"q{n}", "Thank you for your time today.", "", 5.0, "s", "S")
        for n in range(20_000)
    )
    big = replace(deck, stages=(Stage("s", "S", "", questions),))
    with pytest.raises(DeckError, match=rf"20,000 questions .* \({MAX_DECK_FILE_BYTES:,}\)"):
        store.save(big)
    assert len(store.load(deck.id)) == 1  # the saved deck is the small one still
