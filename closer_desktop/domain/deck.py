"""Question decks: the closing lines a user rehearses, grouped in the stages of an interview's close.

A deck is a TOML file (format in README.md, "Deck files"). Loading validates everything up front so
that a malformed file gives one clear message naming the file and the problem, never a traceback.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

SUPPORTED_VERSION = 1
MAX_ID = 64
MAX_NAME = 80
MAX_TEXT = 500
MAX_TIP = 400
MAX_TARGET_SECONDS = 600
# Line breaks and tabs may appear in tips; any other control character is refused, because it
# would be invisible on screen and could not be typed back in the editor.
ALLOWED_CONTROLS = frozenset("\n\t")


class DeckError(ValueError):
    """A deck file that cannot be used; the message says which file and what is wrong."""


@dataclass(frozen=True)
class Question:
    """One closing question or statement to say aloud."""

    id: str
    text: str
    tip: str
    target_seconds: float
    stage_id: str
    stage_title: str
    cue: str = ""


@dataclass(frozen=True)
class Stage:
    """A step of the close (e.g. "learn the next steps"), holding its questions in order."""

    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Deck:
    """An ordered set of stages; `questions` flattens them in practice order."""

    id: str
    name: str
    description: str
    stages: tuple[Stage, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for stage in self.stages for q in stage.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def with_questions(self, questions: Iterable[Question]) -> Deck:
        """This deck with `questions` (in practice order), regrouped into their stages.

        Stages appear in the order of their first question; a stage keeps its intro. The editor
        works on the flat list, so reordering and moving a question to another stage are one step.
        """
        order: list[str] = []
        grouped: dict[str, list[Question]] = {}
        titles: dict[str, str] = {}
        for q in questions:
            if q.stage_id not in grouped:
                order.append(q.stage_id)
                grouped[q.stage_id] = []
                titles[q.stage_id] = q.stage_title
            grouped[q.stage_id].append(replace(q, stage_title=titles[q.stage_id]))
        stages = []
        for stage_id in order:
            old = self.stage(stage_id)
            stages.append(
                Stage(
                    stage_id, titles[stage_id], old.intro if old else "", tuple(grouped[stage_id])
                )
            )
        return replace(self, stages=tuple(stages))


def load_deck(path: Path) -> Deck:
    """Read and validate a deck file; raise DeckError with a readable message on any problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeckError(f"{path}: cannot read the deck file ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeckError(f"{path}: not a text file (invalid UTF-8 at byte {exc.start})") from exc
    return parse_deck(text, source=str(path))


def parse_deck(text: str, source: str = "<deck>") -> Deck:
    """Parse deck TOML text; `source` names the file in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeckError(f"{source}: not valid TOML: {exc}") from exc
    return _deck_from_data(data, source)


def _deck_from_data(data: dict[str, Any], source: str) -> Deck:
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise DeckError(
            f"{source}: unsupported deck version {version!r} (this Closer reads version "
            f"{SUPPORTED_VERSION})"
        )
    if not isinstance(data, dict):
        raise DeckError(f"{source}: not a deck table")
    deck_id = _text(data, "id", source, "the deck", limit=MAX_ID)
    name = _text(data, "name", source, "the deck", limit=MAX_NAME)
    description = _text(data, "description", source, "the deck", required=False)
    raw_stages = data.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise DeckError(f"{source}: the deck has no [[stages]]")
    stages: list[Stage] = []
    seen_ids: set[str] = set()
    for s_index, raw_stage in enumerate(raw_stages, start=1):
        where = f"stage {s_index}"
        if not isinstance(raw_stage, dict):
            raise DeckError(f"{source}: {where} is not a table")
        stage_id = _text(raw_stage, "id", source, where, limit=MAX_ID)
        if any(s.id == stage_id for s in stages):
            raise DeckError(f"{source}: {where} repeats the stage id {stage_id!r}")
        title = _text(raw_stage, "title", source, where, limit=MAX_NAME)
        intro = _text(raw_stage, "intro", source, where, required=False)
        raw_questions = raw_stage.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            raise DeckError(f"{source}: {where} ({title!r}) has no questions")
        questions: list[Question] = []
        for q_index, raw_q in enumerate(raw_questions, start=1):
            q_where = f"question {q_index} of {where}"
            if not isinstance(raw_q, dict):
                raise DeckError(f"{source}: {q_where} is not a table")
            q_id = _text(raw_q, "id", source, q_where, limit=MAX_ID)
            if q_id in seen_ids:
                raise DeckError(f"{source}: {q_where} repeats the id {q_id!r}")
            seen_ids.add(q_id)
            questions.append(
                Question(
                    id=q_id,
                    text=_text(raw_q, "text", source, q_where, limit=MAX_TEXT),
                    tip=_text(raw_q, "tip", source, q_where, required=False, limit=MAX_TIP),
                    target_seconds=_seconds(raw_q, source, q_where),
                    stage_id=stage_id,
                    stage_title=title,
                    cue=_text(raw_q, "cue", source, q_where, required=False, limit=MAX_TEXT),
                )
            )
        stages.append(Stage(stage_id, title, intro, tuple(questions)))
    return Deck(deck_id, name, description, tuple(stages))


def _text(
    table: dict[str, Any],
    key: str,
    source: str,
    where: str,
    *,
    required: bool = True,
    limit: int = MAX_TEXT,
) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise DeckError(f"{source}: {where} is missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise DeckError(f"{source}: {where}: {key!r} must be text, not {type(value).__name__}")
    value = value.strip()
    bad = next(
        (c for c in value if unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS), None
    )
    if bad is not None:
        raise DeckError(
            f"{source}: {where}: {key!r} contains an invisible control character (U+{ord(bad):04X})"
        )
    if required and not value:
        raise DeckError(f"{source}: {where}: {key!r} is empty")
    if len(value) > limit:
        raise DeckError(
            f"{source}: {where}: {key!r} is {len(value)} characters long (at most {limit})"
        )
    return value


def _seconds(table: dict[str, Any], source: str, where: str) -> float:
    value = table.get("target_seconds")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DeckError(f"{source}: {where}: 'target_seconds' must be a number of seconds")
    if not 0 < value <= MAX_TARGET_SECONDS:
        raise DeckError(
            f"{source}: {where}: 'target_seconds' must be between 1 and {MAX_TARGET_SECONDS}"
        )
    return float(value)


def deck_to_toml(deck: Deck) -> str:
    """The deck as a version-1 deck file; `parse_deck(deck_to_toml(d))` gives back `d`."""
    lines = [
        f"version = {SUPPORTED_VERSION}",
        f"id = {_toml_string(deck.id)}",
        f"name = {_toml_string(deck.name)}",
    ]
    if deck.description:
        lines.append(f"description = {_toml_string(deck.description)}")
    for stage in deck.stages:
        lines += ["", "[[stages]]", f"id = {_toml_string(stage.id)}"]
        lines.append(f"title = {_toml_string(stage.title)}")
        if stage.intro:
            lines.append(f"intro = {_toml_string(stage.intro)}")
        for q in stage.questions:
            lines += ["", "[[stages.questions]]", f"id = {_toml_string(q.id)}"]
            lines.append(f"text = {_toml_string(q.text)}")
            if q.tip:
                lines.append(f"tip = {_toml_string(q.tip)}")
            value = float(q.target_seconds)
            seconds = int(value) if value.is_integer() else value
            lines.append(f"target_seconds = {seconds!r}")
            if q.cue:
                lines.append(f"cue = {_toml_string(q.cue)}")
    return "\n".join(lines) + "\n"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _toml_string(value: str) -> str:
    """A TOML basic string: Unicode kept as is, quotes, backslashes and controls escaped."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif unicodedata.category(char) == "Cc":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
