"""A stand-in for the LibraryService in tests of app objects: library jobs run here, at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from closer_desktop.app.operations import Change
    from closer_desktop.storage.library import Library


class RunsHere:
    """Runs each job on this thread at once on `library`; with None, drops every job (nothing
    answers, as when the library never opens). Records what the operations said they changed."""

    def __init__(self, library: Library | None) -> None:
        self.library = library
        self.changes: list[Change] = []

    def run(
        self,
        fn: Callable[[Library], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self.library is None:
            return
        try:
            result = fn(self.library)
        except BaseException as exc:
            if on_error is not None:
                on_error(exc)
        else:
            if on_done is not None:
                on_done(result)

    def notify_library_changed(self, change: Change | None = None) -> None:
        if change is not None:
            self.changes.append(change)
