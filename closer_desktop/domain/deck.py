"""Question decks: the closing lines a user rehearses, grouped in the stages of an interview's close.

A deck is a TOML file (format in README.md, "Deck files"). Loading validates everything up front so
that a malformed file gives one clear message naming the file and the problem, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

# 2: questions may name key phrases (`key = ["next steps"]`); a version-1 file reads as one
# without any (the migration), and is written back as version 2.
SUPPORTED_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_KEY_PHRASES = 8
MAX_KEY_PHRASE = 60
MAX_ID = 64
MAX_NAME = 80
MAX_TEXT = 500
MAX_TIP = 400
MAX_TARGET_SECONDS = 600
# Line breaks and tabs may appear in a question's text, tip, intro or description; any other
# control character is refused, because it would be invisible on screen and could not be typed
# back in the editor. Ids, names, stage titles and cues are one line: a line break or a tab there
# would forge lines in `closer deck list` (one deck a line, fields split by tabs).
ALLOWED_CONTROLS = frozenset("\n\t")
# Bounds checked on the text before TOML parses it: tomllib recurses once per level of nested
# arrays or inline tables (a deep file raised RecursionError) and its time grows with the square
# of a dotted key's parts (an 80 KB key took a minute). A deck needs 3 levels and 2 parts.
MAX_NESTING = 32
MAX_KEY_PARTS = 16


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
    key_phrases: tuple[str, ...] = ()  # each must be said, whatever the line match (line_check)


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
    _check_shape(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeckError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:  # the bound above should already have said so
        raise DeckError(f"{source}: nested too deeply to be a deck") from exc
    return _deck_from_data(data, source)


# Strings and comments, whose brackets and dots are text: cut out before counting. Each
# alternative starts with a different character and cannot backtrack far: linear time.
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*""""?"?'
    r"|'''.*?''''?'?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*",
    re.DOTALL,
)
_SEPARATORS = re.compile(r"[\n=,\[\]{}]")


def _check_shape(text: str, source: str) -> None:
    """Refuse, in linear time, what would make tomllib recurse too deep or take minutes."""
    code = _NOT_CODE.sub(lambda m: "s" + "\n" * m.group().count("\n"), text)  # lines kept
    depth = deepest = 0
    for bracket in re.finditer(r"[\[\]{}]", code):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            line = code.count("\n", 0, bracket.start()) + 1
            raise DeckError(
                f"{source}: line {line}: arrays or tables nested more than {MAX_NESTING} deep"
            )
    start = 0  # the dots of each key (or value) between separators
    for match in (*_SEPARATORS.finditer(code), None):
        end = match.start() if match else len(code)
        if code.count(".", start, end) >= MAX_KEY_PARTS:
            line = code.count("\n", 0, start) + 1
            raise DeckError(
                f"{source}: line {line}: a key of more than {MAX_KEY_PARTS} dotted parts "
                "(a deck's longest has 2)"
            )
        start = end + 1


def _deck_from_data(data: dict[str, Any], source: str) -> Deck:
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise DeckError(
            f"{source}: unsupported deck version {version!r} (this Closer reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))})"
        )
    if not isinstance(data, dict):
        raise DeckError(f"{source}: not a deck table")
    deck_id = _text(data, "id", source, "the deck", limit=MAX_ID, one_line=True)
    name = _text(data, "name", source, "the deck", limit=MAX_NAME, one_line=True)
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
        stage_id = _text(raw_stage, "id", source, where, limit=MAX_ID, one_line=True)
        if any(s.id == stage_id for s in stages):
            raise DeckError(f"{source}: {where} repeats the stage id {stage_id!r}")
        title = _text(raw_stage, "title", source, where, limit=MAX_NAME, one_line=True)
        intro = _text(raw_stage, "intro", source, where, required=False)
        raw_questions = raw_stage.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            raise DeckError(f"{source}: {where} ({title!r}) has no questions")
        questions: list[Question] = []
        for q_index, raw_q in enumerate(raw_questions, start=1):
            q_where = f"question {q_index} of {where}"
            if not isinstance(raw_q, dict):
                raise DeckError(f"{source}: {q_where} is not a table")
            q_id = _text(raw_q, "id", source, q_where, limit=MAX_ID, one_line=True)
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
                    cue=_text(
                        raw_q, "cue", source, q_where, required=False, limit=MAX_TEXT, one_line=True
                    ),
                    key_phrases=_key_phrases(raw_q, source, q_where) if version >= 2 else (),
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
    one_line: bool = False,
) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise DeckError(f"{source}: {where} is missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise DeckError(f"{source}: {where}: {key!r} must be text, not {type(value).__name__}")
    value = value.strip()
    allowed = frozenset() if one_line else ALLOWED_CONTROLS
    bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in allowed), None)
    if bad is not None and bad in ALLOWED_CONTROLS:
        raise DeckError(
            f"{source}: {where}: {key!r} must be one line, without line breaks or tabs "
            f"(U+{ord(bad):04X})"
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


def _key_phrases(table: dict[str, Any], source: str, where: str) -> tuple[str, ...]:
    value = table.get("key", [])
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise DeckError(f"{source}: {where}: 'key' must be a list of phrases in quotes")
    if len(value) > MAX_KEY_PHRASES:
        raise DeckError(
            f"{source}: {where}: 'key' has {len(value)} phrases (at most {MAX_KEY_PHRASES})"
        )
    phrases = []
    for number, _ in enumerate(value):
        phrase = _text(
            {"key": value[number]},
            "key",
            source,
            f"{where}, key phrase {number + 1}",
            limit=MAX_KEY_PHRASE,
            one_line=True,
        )
        if phrase not in phrases:
            phrases.append(phrase)
    return tuple(phrases)


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
    """The deck as a deck file of this version; `parse_deck(deck_to_toml(d))` gives back `d`."""
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
            if q.key_phrases:
                lines.append(f"key = [{', '.join(_toml_string(k) for k in q.key_phrases)}]")
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


def one_line(text: str) -> str:
    """`text` with its control characters escaped (a line break as \\n): a file's name or a
    parser's message may hold them, and a listing must stay one item a line."""
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) == "Cc" else c
        for c in text
    )
