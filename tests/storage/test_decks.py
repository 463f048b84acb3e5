"""The deck store: create, rename, duplicate, delete to the trash, reset, import and export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closer_desktop.domain.deck import MAX_NAME, DeckError, deck_to_toml, load_deck
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.decks import DeckStore

BUILTIN_ID = "closing-an-interview"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_fresh_library_lists_the_built_in_deck(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    [entry] = store.entries()
    assert (entry.id, entry.builtin, entry.edited, entry.questions) == (BUILTIN_ID, True, False, 8)
    assert store.load(BUILTIN_ID) == load_deck(default_deck_path())


def test_create_rename_duplicate_and_delete(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    mine = store.create("Acme final round")
    assert (tmp_path / "decks").is_dir()
    assert store.load(mine.id).name == "Acme final round"
    renamed = store.rename(mine.id, "Acme — final round 🎯")
    assert store.load(mine.id).name == "Acme — final round 🎯"
    copy = store.duplicate(renamed.id)
    assert copy.name == "Acme — final round 🎯 (copy)"
    assert copy.id != renamed.id
    assert [q.text for q in copy] == [q.text for q in renamed]
    names = [e.name for e in store.entries()]
    assert names == [
        "Closing an interview",
        "Acme — final round 🎯",
        "Acme — final round 🎯 (copy)",
    ]
    trashed = store.delete(copy.id)
    assert trashed.is_file() and "trash" in trashed.parts  # moved, not deleted
    assert copy.id not in {e.id for e in store.entries()}


def test_names_must_be_free_non_empty_and_not_too_long(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    with pytest.raises(DeckError, match="already a deck"):
        store.create("closing AN interview")
    with pytest.raises(DeckError, match="needs a name"):
        store.create("   ")
    with pytest.raises(DeckError, match="at most"):
        store.create("x" * (MAX_NAME + 1))
    assert not (tmp_path / "decks").exists()


def test_the_built_in_deck_is_edited_as_a_copy_and_can_be_reset(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    deck = store.load(BUILTIN_ID)
    first = replace(deck.questions[0], text="How well do I fit what you are looking for?")
    store.save(deck.with_questions([first, *deck.questions[1:]]))
    [entry] = store.entries()
    assert entry.edited and entry.builtin
    assert store.load(BUILTIN_ID).questions[0].text.startswith("How well do I fit")
    with pytest.raises(DeckError, match="reset, not deleted"):
        store.delete(BUILTIN_ID)
    assert store.reset(BUILTIN_ID) == load_deck(default_deck_path())
    assert store.load(BUILTIN_ID) == load_deck(default_deck_path())
    kept = list((tmp_path / "trash" / "decks").glob("*.toml"))
    assert len(kept) == 1 and "How well do I fit" in kept[0].read_text(encoding="utf-8")


def test_import_adds_a_numbered_name_and_a_new_id_when_taken(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    exported = store.export_file(BUILTIN_ID, tmp_path / "out" / "deck.toml")
    first = store.import_file(exported)
    second = store.import_file(exported)
    assert (first.name, second.name) == ("Closing an interview (2)", "Closing an interview (3)")
    assert len({BUILTIN_ID, first.id, second.id}) == 3
    assert [q.text for q in first] == [q.text for q in load_deck(default_deck_path())]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe", "not a text file"),
        (b'version = 1\nname = "x\n', "line 2"),
        (b'version = 1\nid = "x"\nname = "X"\n', "no [[stages]]"),
        (b'version = 1\nid = "x"\nname = 5\n', "must be text"),
        (b'version = 3\nid = "x"\nname = "X"\n', "unsupported deck version"),
        (
            b'version = 1\nid = "x"\nname = "X"\n[[stages]]\nid = "s"\ntitle = "S"\n',
            "has no questions",
        ),
    ],
)
def test_a_malformed_import_names_the_file_and_changes_nothing(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    store = DeckStore(tmp_path / "library")
    store.create("Mine")
    before = snapshot(tmp_path / "library")
    bad = tmp_path / "bad deck.toml"
    bad.write_bytes(content)
    with pytest.raises(DeckError) as caught:
        store.import_file(bad)
    assert str(bad) in str(caught.value)
    assert expected in str(caught.value)
    assert snapshot(tmp_path / "library") == before


def test_over_long_text_is_refused_with_a_message(tmp_path: Path) -> None:
    text = deck_to_toml(load_deck(default_deck_path())).replace(
        'text = "Based on', 'text = "' + "very " * 120 + "Based on", 1
    )
    path = tmp_path / "long.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError, match="characters long"):
        DeckStore(tmp_path / "library").import_file(path)


def test_an_unreadable_user_deck_is_reported_and_left_alone(tmp_path: Path) -> None:
    store = DeckStore(tmp_path)
    store.create("Mine")
    broken = tmp_path / "decks" / "broken.toml"
    broken.write_text("version = [", encoding="utf-8")
    assert [e.name for e in store.entries()] == ["Closing an interview", "Mine"]
    [problem] = store.problems()
    assert "broken.toml" in problem
    assert broken.read_text(encoding="utf-8") == "version = ["


VALID = deck_to_toml(load_deck(default_deck_path())).encode("utf-8")


def mutations() -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, and valid deck files with bytes cut, replaced or inserted."""

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(VALID)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data) - 1))
            kind = draw(st.sampled_from(["cut", "replace", "insert", "truncate"]))
            if kind == "cut":
                del data[at : at + draw(st.integers(1, 40))]
            elif kind == "replace":
                data[at] = draw(st.integers(0, 255))
            elif kind == "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=8))
            else:
                del data[at:]
            if not data:
                break
        return bytes(data)

    return st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode), mutate())


@given(content=mutations())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_import_gives_a_valid_deck_or_a_clear_error_and_no_partial_change(
    tmp_path: Path, content: bytes
) -> None:
    library = tmp_path / "library"
    store = DeckStore(library)
    path = tmp_path / "candidate.toml"
    path.write_bytes(content)
    before = snapshot(library) if library.exists() else {}
    try:
        deck = store.import_file(path)
    except DeckError as exc:
        assert str(path) in str(exc)
        assert (snapshot(library) if library.exists() else {}) == before
        return
    assert store.load(deck.id) == deck  # what was added reads back whole
    assert len(deck) >= 1
    store.delete(deck.id)  # keep the next example's library alike


def test_practice_plans_and_the_current_deck_are_remembered_per_deck(tmp_path: Path) -> None:
    from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan

    store = DeckStore(tmp_path)
    mine = store.create("Mine")
    assert store.plan(BUILTIN_ID) == PracticePlan()
    assert store.current_deck_id() is None
    plan = PracticePlan(PracticeOrder.WEAKEST_FIRST, frozenset({"fit-profile", "business-card"}))
    store.save_plan(BUILTIN_ID, plan)
    store.set_current_deck(mine.id)
    again = DeckStore(tmp_path)
    assert again.plan(BUILTIN_ID) == plan
    assert again.plan(mine.id) == PracticePlan()
    assert again.current_deck_id() == mine.id
    chosen = plan.chosen(again.load(BUILTIN_ID).questions)
    assert len(chosen) == 6 and "fit-profile" not in {q.id for q in chosen}


def test_a_damaged_plans_file_gives_defaults_and_is_not_deleted(tmp_path: Path) -> None:
    from closer_desktop.domain.scheduler import PracticePlan

    store = DeckStore(tmp_path)
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "practice.json").write_text('{"decks": {"x": {"order": 5', "utf-8")
    assert store.plan("x") == PracticePlan()
    assert store.current_deck_id() is None
    assert (tmp_path / "decks" / "practice.json").exists()
