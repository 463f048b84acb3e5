"""Named library operations (Anki's aqt/operations, in small).

Each function here names one job on the library: what runs on the library's thread, and what it
changes. The caller says what to do on success and on failure, both on the GUI thread:

    operations.trash_take(take.id).run(library, on_success=trashed, on_failure=not_trashed)

After a success the library service emits `changed` with the operation's Change, so listeners
refresh only what it touched. Without `on_failure`, the error reaches the status bar (the library
runner's `failed`). Storage modules are imported inside the jobs, on the library's thread, so
none of them loads at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Flag, auto
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from closer_desktop.domain.deck import Question
    from closer_desktop.domain.practice import RatingScale, Take
    from closer_desktop.domain.scheduler import RatedTake
    from closer_desktop.domain.session import SessionSummary
    from closer_desktop.storage.library import EmptiedTrash, Library, TrashContents
    from closer_desktop.storage.queries.history import GroupBy, HistoryPage, TakeFilter
    from closer_desktop.storage.queries.progress import Progress, Scope
    from closer_desktop.transfer.relocate import CopyReport

T = TypeVar("T")
Progressed = Callable[[str, int, int], None]


class Change(Flag):
    """What an operation altered in the library."""

    NONE = 0
    TAKES = auto()  # takes added or removed behind the views' backs: every list reloads
    TAKE_EDITED = auto()  # a take's rating, note or star
    TRASH = auto()  # a take moved to or from the trash
    RECORDED = auto()  # a take begun, saved or discarded by the practice page
    METRICS = auto()  # a take's delivery figures were stored


class LibraryRunner(Protocol):
    """What an operation runs on: the LibraryService (or a test's stand-in)."""

    def run(
        self,
        fn: Callable[[Library], T],
        on_done: Callable[[T], None] | None = ...,
        on_error: Callable[[BaseException], None] | None = ...,
    ) -> None: ...

    def notify_library_changed(self, change: Change | None = ...) -> None: ...


@dataclass(frozen=True)
class Operation(Generic[T]):
    """A job on the library's thread and what it changes (fixed, or read from its result)."""

    work: Callable[[Library], T]
    changes: Change | Callable[[T], Change] = Change.NONE

    def run(
        self,
        library: LibraryRunner,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        def succeeded(result: T) -> None:
            if on_success is not None:
                on_success(result)
            change = self.changes(result) if callable(self.changes) else self.changes
            if change:
                library.notify_library_changed(change)

        library.run(self.work, succeeded, on_failure)


# Takes ------------------------------------------------------------------------------------------


def takes_for_question(deck_id: str, question_id: str) -> Operation[list[Take]]:
    return Operation(lambda lib: lib.takes_for_question(deck_id, question_id))


def rate_take(take_id: int, scale: RatingScale, value: int) -> Operation[Take]:
    """Set one rating; the take as stored now."""

    def work(lib: Library) -> Take:
        lib.set_rating(take_id, scale, value)
        return lib.take(take_id)

    return Operation(work, Change.TAKE_EDITED)


def note_take(take_id: int, note: str) -> Operation[Take]:
    def work(lib: Library) -> Take:
        lib.set_note(take_id, note)
        return lib.take(take_id)

    return Operation(work, Change.TAKE_EDITED)


def star_take(take_id: int, starred: bool) -> Operation[Take]:
    """Star (or unstar) a take as its question's model answer; the take as stored now."""

    def work(lib: Library) -> Take:
        lib.set_starred(take_id, starred)
        return lib.take(take_id)

    return Operation(work, Change.TAKE_EDITED)


def trash_take(take_id: int) -> Operation[None]:
    return Operation(lambda lib: lib.trash_take(take_id), Change.TRASH)


def restore_take(take_id: int) -> Operation[Take]:
    return Operation(lambda lib: lib.restore_take(take_id), Change.TRASH)


def find_take(deck_id: str, question_id: str, take_id: int) -> Operation[tuple[Take | None, int]]:
    """The take as stored now (its file may have moved) and its number, as listed."""

    def work(lib: Library) -> tuple[Take | None, int]:
        takes = lib.takes_for_question(deck_id, question_id)
        found = next(((n, t) for n, t in enumerate(takes, start=1) if t.id == take_id), None)
        return (found[1], found[0]) if found else (None, 0)

    return Operation(work)


# Recording (the practice page) ------------------------------------------------------------------


def reserve_take(
    session_id: int | None,
    deck_id: str,
    question: Question,
    rate: int,
    options: dict[str, Any] | None = None,
) -> Operation[tuple[int, Take, Path]]:
    """Begin a take (and its session, the first time): its session, the take and its file.
    `options` go to begin_take as they are (mode, hint_level, key_phrases)."""
    extra = dict(options or {})

    def work(lib: Library) -> tuple[int, Take, Path]:
        sid = session_id if session_id is not None else lib.start_session(deck_id)
        take = lib.begin_take(sid, deck_id, question, rate, **extra)
        return sid, take, lib.audio_file(take)

    return Operation(work, Change.RECORDED)


def finish_take(take_id: int, duration_s: float, sample_rate: int) -> Operation[Take]:
    return Operation(lambda lib: lib.finish_take(take_id, duration_s, sample_rate), Change.RECORDED)


@dataclass(frozen=True)
class SetAside:
    """An accidental take, saved; `not_trashed` says why it is not in the trash (None: it is)."""

    take: Take
    not_trashed: BaseException | None = None


def set_aside_take(take_id: int, duration_s: float, sample_rate: int) -> Operation[SetAside]:
    """Save an accidental take straight into the trash (one step: no list ever counts it);
    restore_take brings it back, and only emptying the trash deletes it. Should the move into
    the trash fail, the take is still saved, as an ordinary one: the result says so, for the
    page to list it and say what happened rather than "not saved"."""

    def work(lib: Library) -> SetAside:
        take = lib.finish_take(take_id, duration_s, sample_rate)
        try:
            lib.trash_take(take_id)
        except Exception as exc:  # any failure of this step leaves an ordinary, saved take
            return SetAside(lib.take(take_id), exc)
        return SetAside(take)

    def changes(aside: SetAside) -> Change:
        return Change.RECORDED if aside.not_trashed else Change.RECORDED | Change.TRASH

    return Operation(work, changes)


def discard_empty_take(take_id: int) -> Operation[bool]:
    return Operation(lambda lib: lib.discard_empty_take(take_id), Change.RECORDED)


def set_response_latency(take_id: int, seconds: float) -> Operation[None]:
    """An interview run's answer: end of the cue to the first speech."""
    return Operation(lambda lib: lib.set_response_latency(take_id, seconds), Change.TAKE_EDITED)


def set_rating(take_id: int, scale: RatingScale, value: int) -> Operation[None]:
    return Operation(lambda lib: lib.set_rating(take_id, scale, value), Change.TAKE_EDITED)


def set_note(take_id: int, note: str) -> Operation[None]:
    return Operation(lambda lib: lib.set_note(take_id, note), Change.TAKE_EDITED)


def rated_history(deck_id: str) -> Operation[dict[str, list[RatedTake]]]:
    """Every rated take of the deck, by question: what weakest-first orders by."""
    return Operation(lambda lib: lib.rated_history(deck_id))


def session_summary(session_id: int, queue: list[Question]) -> Operation[SessionSummary]:
    """How a session over `queue` went: its takes and, by question, its ratings against the
    previous session's (domain/session.py's summarize_session)."""

    def work(lib: Library) -> SessionSummary:
        from closer_desktop.domain.session import summarize_session
        from closer_desktop.storage.queries.progress import compare_with_previous

        takes = lib.takes_for_session(session_id)
        return summarize_session(queue, takes, compare_with_previous(lib, session_id))

    return Operation(work)


# History and Progress ---------------------------------------------------------------------------


def count_takes(take_filter: TakeFilter) -> Operation[int]:
    def work(lib: Library) -> int:
        from closer_desktop.storage.queries.history import count_takes

        return count_takes(lib, take_filter)

    return Operation(work)


def find_page(
    take_filter: TakeFilter, group_by: GroupBy, offset: int, limit: int
) -> Operation[HistoryPage]:
    def work(lib: Library) -> HistoryPage:
        from closer_desktop.storage.queries.history import find_page

        return find_page(lib, take_filter, group_by, offset, limit)

    return Operation(work)


def load_progress(scope: Scope) -> Operation[Progress]:
    def work(lib: Library) -> Progress:
        from closer_desktop.storage.queries.progress import load_progress

        return load_progress(lib, scope)

    return Operation(work)


# Whole-library files ----------------------------------------------------------------------------


def export_json(path: Path) -> Operation[None]:
    def work(lib: Library) -> None:
        from closer_desktop.transfer.export import export_json

        export_json(lib, path)

    return Operation(work)


def write_report(path: Path) -> Operation[Progress]:
    """The HTML report, written from the library's thread; the figures it showed."""

    def work(lib: Library) -> Progress:
        from closer_desktop.reports.html import write_report

        return write_report(lib, path)

    return Operation(work)


def back_up(archive: Path, progress: Progressed) -> Operation[Any]:
    def work(lib: Library) -> Any:
        from closer_desktop.transfer.backup import create_backup

        return create_backup(lib.data_dir, archive, progress)

    return Operation(work)


def restore(archive: Path, progress: Progressed, cancel: Callable[[], bool]) -> Operation[Any]:
    """Merge a backup in; only takes it added change the library."""

    def work(lib: Library) -> Any:
        from closer_desktop.transfer.restore import restore_backup

        return restore_backup(archive, lib.data_dir, progress, cancel=cancel)

    return Operation(work, lambda summary: Change.TAKES if summary.takes_added else Change.NONE)


def copy_library(source: Path, target: Path) -> Operation[CopyReport]:
    """Copy the library to a new folder, on its thread so that no take is written meanwhile."""

    def work(_lib: Library) -> CopyReport:
        from closer_desktop.transfer.relocate import copy_library

        return copy_library(source, target)

    return Operation(work)


# Trash ------------------------------------------------------------------------------------------


def trash_contents() -> Operation[TrashContents]:
    return Operation(lambda lib: lib.trash_contents())


def empty_trash(take_ids: tuple[int, ...]) -> Operation[EmptiedTrash]:
    """Delete the trashed takes for good, with their cached waveforms."""

    def work(lib: Library) -> EmptiedTrash:
        from closer_desktop.audio.peaks import PeakCache, cache_dir_for

        emptied = lib.empty_trash(take_ids)
        cache = PeakCache(cache_dir_for(lib.data_dir))
        for take in emptied.removed:
            cache.discard(Path(take.audio_path).name)
        return emptied

    return Operation(work, lambda emptied: Change.TAKES if emptied.removed else Change.NONE)


# Delivery feedback ------------------------------------------------------------------------------


def stored_metrics(take_id: int) -> Operation[tuple[dict[str, Any] | None, bool]]:
    """A take's stored figures, and whether the current analyser made them."""

    def work(lib: Library) -> tuple[dict[str, Any] | None, bool]:
        # The analysis package (numpy and more) is imported here, never on the GUI thread.
        from closer_desktop.analysis.metrics import ANALYSER_VERSION
        from closer_desktop.storage.take_metrics import metrics_by_take

        stored = metrics_by_take(lib, [take_id]).get(take_id)
        return stored, stored is not None and stored.get("analyser_version") == ANALYSER_VERSION

    return Operation(work)


def takes_needing_metrics() -> Operation[list[int]]:
    """Takes analysed by an older analyser, or not at all (metrics stored before the line
    check existed get theirs first: see fill_line_matches)."""

    def work(lib: Library) -> list[int]:
        from closer_desktop.analysis.metrics import ANALYSER_VERSION
        from closer_desktop.storage.take_metrics import takes_needing_metrics

        fill_line_matches(lib)
        return takes_needing_metrics(lib, ANALYSER_VERSION)

    return Operation(work)


def take_to_catch_up(take_id: int) -> Operation[Take | None]:
    """The take, if it still needs analysing (the user may have had it analysed, moved it to
    the trash, or lost its file since the catch-up's list was made)."""

    def work(lib: Library) -> Take | None:
        from closer_desktop.analysis.metrics import ANALYSER_VERSION
        from closer_desktop.storage.take_metrics import metrics_by_take

        try:
            take = lib.take(take_id)
        except KeyError:
            return None
        stored = metrics_by_take(lib, [take_id]).get(take_id)
        if take.audio_missing or (
            stored is not None and stored.get("analyser_version") == ANALYSER_VERSION
        ):
            return None
        return take

    return Operation(work)


def save_metrics(take_id: int, metrics: dict[str, Any], uid: str) -> Operation[bool]:
    """Store a take's figures with its line check; False when the take changed or went
    meanwhile (see uid). The check is added to `metrics` itself (it is handed on only once
    stored), so TakeAnalyser.metrics_ready carries it to the views."""

    def work(lib: Library) -> bool:
        from closer_desktop.storage.take_metrics import LINE_MATCH, save_metrics

        metrics[LINE_MATCH] = _line_match(lib, take_id, metrics)  # beside its transcript
        return save_metrics(lib, take_id, metrics, uid=uid)

    return Operation(work, lambda kept: Change.METRICS if kept else Change.NONE)


def _line_match(lib: Library, take_id: int, metrics: dict[str, Any]) -> dict[str, Any] | None:
    """The take's line check as stored (storage/take_metrics.py says where, and why there):
    its transcript against the wording and key phrases it answered; None without a transcript."""
    from closer_desktop.analysis.line_check import check_transcript
    from closer_desktop.storage.take_metrics import line_inputs

    inputs = line_inputs(lib, take_id)
    if inputs is None:
        return None
    match = check_transcript(metrics, inputs.question_text, inputs.key_phrases, inputs.other_lines)
    return None if match is None else match.to_json()


def fill_line_matches(lib: Library) -> int:
    """Add the line check to metrics stored before it existed; how many takes got one. Quick
    (no audio is read): the catch-up runs it before it looks for takes to analyse."""
    from closer_desktop.storage.take_metrics import (
        metrics_by_take,
        metrics_without_line_match,
        save_line_match,
    )

    filled = 0
    for take_id in metrics_without_line_match(lib):
        stored = metrics_by_take(lib, [take_id]).get(take_id)
        if stored is not None:
            filled += save_line_match(lib, take_id, _line_match(lib, take_id, stored))
    return filled
