"""Question decks: the closing lines a user rehearses, grouped in the stages of an interview's close.

A deck is a TOML file (format in README.md, "Deck files"). Loading validates everything up front so
that a malformed file gives one clear message naming the file and the problem, never a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED_VERSION = 1
MAX_TEXT = 500
MAX_TIP = 400
MAX_TARGET_SECONDS = 600


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
    deck_id = _text(data, "id", source, "the deck")
    name = _text(data, "name", source, "the deck")
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
        stage_id = _text(raw_stage, "id", source, where)
        title = _text(raw_stage, "title", source, where)
        intro = _text(raw_stage, "intro", source, where, required=False)
        raw_questions = raw_stage.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            raise DeckError(f"{source}: {where} ({title!r}) has no questions")
        questions: list[Question] = []
        for q_index, raw_q in enumerate(raw_questions, start=1):
            q_where = f"question {q_index} of {where}"
            if not isinstance(raw_q, dict):
                raise DeckError(f"{source}: {q_where} is not a table")
            q_id = _text(raw_q, "id", source, q_where)
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
