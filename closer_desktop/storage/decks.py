"""The user's decks: TOML files in the data folder's `decks/`, next to the built-in ones.

A built-in deck (shipped under `resources/decks/`) is never changed in place. Editing it saves a
copy under the same id in `decks/`, which then takes its place; "reset" moves that copy to
`trash/decks/` so the shipped wording shows again and the edited one is still on disk. Deleting a
user's deck also moves its file to the trash: nothing here ever deletes a deck for good.

Every write goes through a temporary file and a rename, so a crash leaves the old deck or the new.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from closer_desktop.domain.deck import (
    MAX_NAME,
    Deck,
    DeckError,
    deck_to_toml,
    load_deck,
    parse_deck,
)
from closer_desktop.domain.practice import slug
from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan
from closer_desktop.paths import ensure_private_dir, resource_path
from closer_desktop.storage.files import check_output_path, write_atomically

DECKS_DIR = "decks"
PLANS_FILE = "practice.json"  # in decks/: the current deck, and each deck's PracticePlan
TRASH_DIR = Path("trash") / DECKS_DIR
MAX_DECK_FILE_BYTES = 1_000_000  # a deck of a few hundred questions is about 100 kB


@dataclass(frozen=True)
class DeckEntry:
    """One deck as listed in the deck manager."""

    id: str
    name: str
    questions: int
    builtin: bool  # shipped with Closer (can be reset, never deleted)
    edited: bool  # a built-in deck the user has changed
    path: Path


class DeckStore:
    """Lists, loads and saves decks for one data folder. Plain files; safe to use from any thread
    that owns the call (the GUI runs it on its file worker)."""

    def __init__(self, data_dir: Path, builtin_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.dir = data_dir / DECKS_DIR
        self.builtin_dir = builtin_dir or resource_path("decks")

    # Reading ----------------------------------------------------------------------------------

    def entries(self) -> list[DeckEntry]:
        """Every usable deck, built-in first, then the user's by name. Unreadable user files are
        skipped here and reported by `problems()`."""
        builtin = {deck.id: (deck, path) for deck, path in self._read_dir(self.builtin_dir)}
        user = {deck.id: (deck, path) for deck, path in self._read_dir(self.dir)}
        listed = []
        for deck_id, (deck, path) in builtin.items():
            edited = user.pop(deck_id, None)
            shown, where = edited if edited else (deck, path)
            listed.append(
                DeckEntry(deck_id, shown.name, len(shown), True, edited is not None, where)
            )
        mine = [
            DeckEntry(deck.id, deck.name, len(deck), False, False, path)
            for deck, path in user.values()
        ]
        return listed + sorted(mine, key=lambda e: (e.name.casefold(), e.id))

    def problems(self) -> list[str]:
        """Messages for deck files in `decks/` that cannot be read (left untouched on disk)."""
        messages = []
        for path in self._deck_files(self.dir):
            try:
                self._load_file(path)
            except DeckError as exc:
                messages.append(str(exc))
        return messages

    def load(self, deck_id: str) -> Deck:
        for entry in self.entries():
            if entry.id == deck_id:
                return self._load_file(entry.path)
        raise DeckError(f"there is no deck with the id {deck_id!r}")

    def builtin(self, deck_id: str) -> Deck | None:
        """The shipped version of a built-in deck (what "reset" brings back)."""
        for deck, _ in self._read_dir(self.builtin_dir):
            if deck.id == deck_id:
                return deck
        return None

    def names(self) -> set[str]:
        return {entry.name for entry in self.entries()}

    # Writing ----------------------------------------------------------------------------------

    def save(self, deck: Deck, source: str | None = None) -> Path:
        """Write `deck` (validated by a round trip through the file format) in `decks/`;
        `source` names it in messages (default: its name)."""
        source = source or f"deck {deck.name!r}"
        data = deck_to_toml(deck).encode("utf-8")
        if len(data) > MAX_DECK_FILE_BYTES:  # it would be saved, then skipped as too large
            raise DeckError(
                f"{source}: {len(deck):,} questions make a deck file of {len(data):,} bytes, "
                f"more than Closer reads ({MAX_DECK_FILE_BYTES:,}); split it into smaller decks"
            )
        parse_deck(data.decode("utf-8"), source=source)  # never write what could not be read back
        path = self._user_path(deck.id)
        write_atomically(path, data)
        return path

    def create(self, name: str) -> Deck:
        """A new deck with one stage and one question to start from."""
        from closer_desktop.domain.deck import Question, Stage

        name = self._check_name(name)
        question = Question(
            id=_new_id("q"),
            text="Thank you for your time today. What are the next steps?",
            tip="Write your own line here.",
            target_seconds=10.0,
            stage_id="stage-1",
            stage_title="My closing lines",
        )
        deck = Deck(
            _new_id(slug(name, 24)),
            name,
            "",
            (Stage("stage-1", "My closing lines", "", (question,)),),
        )
        self.save(deck)
        return deck

    def rename(self, deck_id: str, name: str) -> Deck:
        deck = self.load(deck_id)
        if name.strip() == deck.name:
            return deck
        renamed = replace(deck, name=self._check_name(name))
        self.save(renamed)
        return renamed

    def duplicate(self, deck_id: str, name: str | None = None) -> Deck:
        """A copy with a new id (its takes start afresh) and a free name, "NAME (copy)"."""
        deck = self.load(deck_id)
        new_name = self._check_name(name) if name else self.free_name(f"{deck.name} (copy)")
        copy = replace(deck, id=_new_id(slug(new_name, 24)), name=new_name)
        self.save(copy)
        return copy

    def delete(self, deck_id: str) -> Path:
        """Move a user's deck file to `trash/decks/`; built-in decks can only be reset."""
        entry = self._entry(deck_id)
        if entry.builtin:
            raise DeckError(f"{entry.name!r} comes with Closer: it can be reset, not deleted")
        return self._to_trash(entry.path)

    def reset(self, deck_id: str) -> Deck:
        """Bring back the shipped wording of a built-in deck; the edited copy goes to the trash."""
        entry = self._entry(deck_id)
        shipped = self.builtin(deck_id)
        if not entry.builtin or shipped is None:
            raise DeckError(f"{entry.name!r} is your own deck: there is nothing to reset it to")
        if entry.edited:
            self._to_trash(entry.path)
        return shipped

    def import_file(self, path: Path) -> Deck:
        """Add the deck in `path`; a taken name becomes "NAME (2)", a taken id a new id.

        Raises DeckError (naming the file, and the line where the parser gives one) and changes
        nothing when the file cannot be used.
        """
        deck = self._load_file(path)
        taken_ids = {entry.id for entry in self.entries()}
        name = self.free_name(deck.name)
        deck_id = deck.id if deck.id not in taken_ids else _new_id(slug(name, 24))
        added = replace(deck, id=deck_id, name=name)
        self.save(added, source=str(path))
        return added

    def export_file(self, deck_id: str, destination: Path) -> Path:
        """Write a deck as TOML; a `destination` that is a named pipe, a device or a link raises
        OutputPathError (an OSError) before anything is written."""
        check_output_path(destination)
        write_atomically(destination, deck_to_toml(self.load(deck_id)).encode("utf-8"))
        return destination

    def free_name(self, name: str) -> str:
        """`name`, or "name (2)", "name (3)"... whichever no deck has yet."""
        taken = {n.casefold() for n in self.names()}
        if name.casefold() not in taken:
            return name
        base = re.sub(r" \(\d+\)$", "", name)
        number = 2
        while f"{base} ({number})".casefold() in taken:
            number += 1
        candidate = f"{base} ({number})"
        if len(candidate) > MAX_NAME:
            raise DeckError(f"the name {name!r} is taken and too long to number")
        return candidate

    # Practice plans ---------------------------------------------------------------------------

    def current_deck_id(self) -> str | None:
        value = self._plans().get("current")
        return value if isinstance(value, str) else None

    def set_current_deck(self, deck_id: str) -> None:
        plans = self._plans()
        plans["current"] = deck_id
        self._write_plans(plans)

    def plan(self, deck_id: str) -> PracticePlan:
        """The deck's remembered choice of questions and order (defaults when unreadable)."""
        raw = self._plans().get("decks", {})
        entry = raw.get(deck_id) if isinstance(raw, dict) else None
        if not isinstance(entry, dict):
            return PracticePlan()
        try:
            order = PracticeOrder(entry.get("order", PracticeOrder.IN_ORDER.value))
        except ValueError:
            order = PracticeOrder.IN_ORDER
        skipped = entry.get("skipped", [])
        if not isinstance(skipped, list):
            skipped = []
        return PracticePlan(order, frozenset(s for s in skipped if isinstance(s, str)))

    def save_plan(self, deck_id: str, plan: PracticePlan) -> None:
        plans = self._plans()
        decks = plans.get("decks")
        if not isinstance(decks, dict):
            decks = plans["decks"] = {}
        decks[deck_id] = {"order": plan.order.value, "skipped": sorted(plan.skipped)}
        self._write_plans(plans)

    def _plans(self) -> dict[str, Any]:
        try:
            data = json.loads((self.dir / PLANS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
            return {}  # missing or damaged: defaults (the file is rewritten on the next change)
        return data if isinstance(data, dict) else {}

    def _write_plans(self, plans: dict[str, Any]) -> None:
        text = json.dumps(plans, indent=2, ensure_ascii=False, sort_keys=True)
        write_atomically(self.dir / PLANS_FILE, text.encode("utf-8"))

    # Internals --------------------------------------------------------------------------------

    def _check_name(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise DeckError("a deck needs a name")
        if any(unicodedata.category(c) == "Cc" for c in name):  # a tab or line break forges lines
            raise DeckError("a deck's name is one line, without tabs or control characters")
        if len(name) > MAX_NAME:
            raise DeckError(f"the name is {len(name)} characters long (at most {MAX_NAME})")
        if name.casefold() in {n.casefold() for n in self.names()}:
            raise DeckError(f"there is already a deck called {name!r}")
        return name

    def _entry(self, deck_id: str) -> DeckEntry:
        for entry in self.entries():
            if entry.id == deck_id:
                return entry
        raise DeckError(f"there is no deck with the id {deck_id!r}")

    def _user_path(self, deck_id: str) -> Path:
        """The file for `deck_id` in `decks/`: its existing file, or a new readable name."""
        for deck, path in self._read_dir(self.dir):
            if deck.id == deck_id:
                return path
        stem = slug(deck_id, 48) or "deck"
        path = self.dir / f"{stem}.toml"
        number = 2
        while path.exists():
            path = self.dir / f"{stem}-{number}.toml"
            number += 1
        return path

    def _to_trash(self, path: Path) -> Path:
        trash = self.data_dir / TRASH_DIR
        ensure_private_dir(trash)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = trash / f"{path.stem}-{stamp}{path.suffix}"
        number = 2
        while target.exists():
            target = trash / f"{path.stem}-{stamp}-{number}{path.suffix}"
            number += 1
        os.rename(path, target)  # same file system; never overwrites (checked above)
        return target

    @staticmethod
    def _deck_files(folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.toml") if p.is_file())

    def _read_dir(self, folder: Path) -> list[tuple[Deck, Path]]:
        decks = []
        seen: set[str] = set()
        for path in self._deck_files(folder):
            try:
                deck = self._load_file(path)
            except DeckError:
                continue  # reported by problems(); the file stays as it is
            if deck.id not in seen:
                seen.add(deck.id)
                decks.append((deck, path))
        return decks

    @staticmethod
    def _load_file(path: Path) -> Deck:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DeckError(f"{path}: cannot read the deck file ({exc.strerror or exc})") from exc
        if size > MAX_DECK_FILE_BYTES:
            raise DeckError(
                f"{path}: {size:,} bytes is too large for a deck (at most {MAX_DECK_FILE_BYTES:,})"
            )
        if size == 0:
            raise DeckError(f"{path}: the file is empty")
        return load_deck(path)


def _new_id(prefix: str) -> str:
    return f"{prefix or 'deck'}-{uuid.uuid4().hex[:8]}"
