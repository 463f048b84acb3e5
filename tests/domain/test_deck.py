"""The default deck holds the article's lines in order, and malformed decks get clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from closer_desktop.domain.deck import DeckError, deck_to_toml, load_deck, parse_deck
from closer_desktop.paths import default_deck_path

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "closing-an-interview.txt"


def test_default_deck_has_four_stages_in_the_articles_order() -> None:
    deck = load_deck(default_deck_path())
    assert [s.id for s in deck.stages] == ["fit", "next-steps", "interest", "thanks"]
    assert len(deck) == 8
    for question in deck:
        assert question.tip, question.id
        assert 1 <= question.target_seconds <= 30
        assert question.stage_title


def test_default_deck_quotes_every_line_of_the_article_in_order() -> None:
    if not SEED.exists():
        pytest.skip(f"seed article not here ({SEED})")
    quoted = re.findall(r"“([^”]+)”", SEED.read_text(encoding="utf-8"))
    lines = [q.replace("’", "'") for q in quoted if q.rstrip().endswith(("?", "."))]
    lines = [q for q in lines if q != "close the sale"]
    deck_texts = [q.text for q in load_deck(default_deck_path())]
    assert len(lines) == 6
    assert deck_texts[:6] == lines


def test_targets_fit_a_natural_pace() -> None:
    # About 2-3 words a second is an unhurried spoken pace.
    for question in load_deck(default_deck_path()):
        words = len(question.text.split())
        assert words / 3.2 <= question.target_seconds <= words / 1.6 + 2, question.id


MINIMAL = """
version = 1
id = "mine"
name = "Mine"
[[stages]]
id = "s"
title = "Stage"
[[stages.questions]]
id = "q"
text = "What happens next?"
target_seconds = 5
"""


def test_minimal_deck_parses() -> None:
    deck = parse_deck(MINIMAL, "mine.toml")
    assert deck.questions[0].text == "What happens next?"
    assert deck.questions[0].tip == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version = 1\nid = [", "not valid TOML"),
        (MINIMAL.replace("version = 1", "version = 7"), "unsupported deck version 7"),
        (MINIMAL.replace('name = "Mine"', ""), "missing 'name'"),
        (MINIMAL.replace("target_seconds = 5", 'target_seconds = "five"'), "number of seconds"),
        (MINIMAL.replace("target_seconds = 5", "target_seconds = 0"), "between 1 and"),
        (MINIMAL.replace('text = "What happens next?"', "text = 3"), "must be text"),
        (MINIMAL.split("[[stages.questions]]")[0], "has no questions"),
        (MINIMAL.replace('text = "What happens next?"', f'text = "{"x" * 600}"'), "at most 500"),
    ],
)
def test_malformed_deck_names_the_file_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(DeckError) as info:
        parse_deck(text, "broken.toml")
    assert str(info.value).startswith("broken.toml: ")
    assert message in str(info.value)


def test_binary_file_is_refused_clearly(tmp_path: Path) -> None:
    junk = tmp_path / "junk.toml"
    junk.write_bytes(b"\xff\xfe\x00\x81binary")
    with pytest.raises(DeckError, match=r"junk\.toml: not a text file"):
        load_deck(junk)


def test_missing_file_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="cannot read the deck file"):
        load_deck(tmp_path / "absent.toml")


def test_key_phrases_are_read_from_a_version_2_deck_and_written_back() -> None:
    text = MINIMAL.replace("version = 1", "version = 2") + 'key = ["next", "what happens"]\n'
    deck = parse_deck(text, "mine.toml")
    assert deck.questions[0].key_phrases == ("next", "what happens")
    assert parse_deck(deck_to_toml(deck)) == deck
    assert deck_to_toml(deck).startswith("version = 2\n")


def test_a_version_1_deck_is_migrated_without_key_phrases() -> None:
    """Every deck written before key phrases still loads; saved again, it is version 2."""
    deck = parse_deck(MINIMAL + 'key = ["ignored in version 1"]\n', "old.toml")
    assert deck.questions[0].key_phrases == ()
    assert deck_to_toml(deck).startswith("version = 2\n")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ('key = "next steps"', "must be a list of phrases"),
        ("key = [1, 2]", "must be a list of phrases"),
        ('key = ["a\\tb"]', "must be one line"),
        ('key = ["' + "x" * 61 + '"]', "at most 60"),
        ("key = [" + ", ".join(f'"k{n}"' for n in range(9)) + "]", "at most 8"),
    ],
)
def test_bad_key_phrases_are_refused(key: str, message: str) -> None:
    text = MINIMAL.replace("version = 1", "version = 2") + key + "\n"
    with pytest.raises(DeckError, match=message):
        parse_deck(text, "mine.toml")


def test_the_default_deck_names_the_point_of_every_line() -> None:
    for question in load_deck(default_deck_path()):
        assert question.key_phrases, question.id
