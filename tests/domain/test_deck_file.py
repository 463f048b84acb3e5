"""Deck files written by Closer read back identically, whatever Unicode the lines hold."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from closer_desktop.domain.deck import (
    MAX_NAME,
    Deck,
    DeckError,
    Question,
    Stage,
    deck_to_toml,
    load_deck,
    parse_deck,
)
from closer_desktop.paths import default_deck_path

# What a person can type: any printable character, line breaks in tips; no lone surrogates.
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
LINE = st.text(PRINTABLE, min_size=1, max_size=60).map(str.strip).filter(bool)
TIP = st.text(st.one_of(PRINTABLE, st.sampled_from("\n\t")), max_size=80).map(str.strip)
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    stage_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    question_ids = iter(draw(st.lists(IDS, min_size=12, max_size=12, unique=True)))
    stages = []
    for stage_id in stage_ids:
        title = draw(LINE.filter(lambda t: len(t) <= MAX_NAME))
        questions = tuple(
            Question(
                id=next(question_ids),
                text=draw(LINE),
                tip=draw(TIP),
                target_seconds=float(draw(st.integers(1, 600))),
                stage_id=stage_id,
                stage_title=title,
                cue=draw(st.one_of(st.just(""), LINE)),
            )
            for _ in range(draw(st.integers(1, 4)))
        )
        stages.append(Stage(stage_id, title, draw(TIP), questions))
    name = draw(LINE.filter(lambda t: len(t) <= MAX_NAME))
    return Deck(draw(IDS), name, draw(TIP), tuple(stages))


@given(decks())
@settings(max_examples=150, deadline=None)
def test_any_deck_survives_the_round_trip(deck: Deck) -> None:
    assert parse_deck(deck_to_toml(deck)) == deck


def test_the_default_deck_survives_the_round_trip() -> None:
    deck = load_deck(default_deck_path())
    assert parse_deck(deck_to_toml(deck)) == deck


def test_accents_emoji_and_right_to_left_text_are_kept() -> None:
    deck = load_deck(default_deck_path())
    lines = ["Merci beaucoup, à bientôt ?", "Thanks 🙏 — see you!", "תודה רבה על הזמן שלך", "شكرا"]
    edited = deck.with_questions(
        [replace(q, text=t) for q, t in zip(deck, lines, strict=False)] + list(deck)[4:]
    )
    again = parse_deck(deck_to_toml(edited))
    assert [q.text for q in again][:4] == lines


def test_control_characters_are_refused_not_hidden() -> None:
    text = deck_to_toml(load_deck(default_deck_path())).replace(
        'text = "Based on', 'text = "\\u0007Based on', 1
    )
    try:
        parse_deck(text, source="bell.toml")
    except DeckError as exc:
        assert "bell.toml" in str(exc)
        assert "U+0007" in str(exc)
    else:
        raise AssertionError("a control character was accepted")


def test_with_questions_regroups_stages_in_first_appearance_order() -> None:
    deck = load_deck(default_deck_path())
    questions = list(deck)
    moved = [questions[-1], *questions[:-1]]  # the last line (thanks stage) to the front
    regrouped = deck.with_questions(moved)
    assert next(s.id for s in regrouped.stages) == "thanks"
    assert [q.id for q in regrouped] != [q.id for q in deck]
    assert regrouped.stage("fit") is not None
    assert regrouped.stage("fit").intro == deck.stage("fit").intro  # type: ignore[union-attr]
