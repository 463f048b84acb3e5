"""Named library operations on a real library: success and failure reach their handlers on the
GUI thread, and the service tells listeners what each one changed (only after it succeeded)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pytestqt.qtbot import QtBot

from closer_desktop.app import operations as ops
from closer_desktop.app.library import LibraryService
from closer_desktop.app.operations import Change
from closer_desktop.domain.deck import load_deck
from closer_desktop.domain.practice import RatingScale, Take
from closer_desktop.paths import default_deck_path
from closer_desktop.storage.library import EmptiedTrash, Library

DECK = load_deck(default_deck_path())
TIMEOUT = 10_000


def with_one_take(data_dir: Path) -> int:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    take = library.begin_take(session, DECK.id, DECK.questions[0], 16000)
    soundfile.write(library.audio_file(take), np.full(8000, 0.1, np.float32), 16000)
    library.finish_take(take.id, 0.5, 16000)
    library.close()
    return take.id


@pytest.fixture
def service(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[LibraryService, int, list[Change]]]:
    data_dir = tmp_path / "data"
    take_id = with_one_take(data_dir)
    library = LibraryService(data_dir)
    changes: list[Change] = []
    library.changed.connect(changes.append)
    with qtbot.waitSignal(library.ready, timeout=TIMEOUT):
        library.open()
    yield library, take_id, changes
    library.close()


def test_a_failure_reaches_its_handler_on_the_gui_thread_and_changes_nothing(
    qtbot: QtBot, service: tuple[LibraryService, int, list[Change]]
) -> None:
    library, take_id, changes = service
    failures: list[tuple[BaseException, str]] = []
    successes: list[object] = []

    ops.rate_take(take_id, RatingScale.CLARITY, 9).run(  # ratings go from 1 to 5
        library,
        successes.append,
        lambda exc: failures.append((exc, threading.current_thread().name)),
    )
    qtbot.waitUntil(lambda: bool(failures), timeout=TIMEOUT)
    ((error, thread),) = failures
    assert thread == threading.main_thread().name
    assert isinstance(error, ValueError)
    assert successes == [] and changes == []  # nothing was rated: nobody reloads


def test_a_failure_without_a_handler_reaches_the_status_bar(
    qtbot: QtBot, service: tuple[LibraryService, int, list[Change]]
) -> None:
    library, _, _ = service
    with qtbot.waitSignal(library.message, timeout=TIMEOUT) as said:
        ops.restore_take(10_000).run(library)
    assert said.args is not None and said.args[0] == "error"


def test_success_comes_first_then_changed_with_what_the_operation_touched(
    qtbot: QtBot, service: tuple[LibraryService, int, list[Change]]
) -> None:
    library, take_id, changes = service
    order: list[object] = []
    library.changed.connect(lambda change: order.append(change))

    rated: list[Take] = []

    def succeeded(take: Take) -> None:
        order.append("success")
        rated.append(take)

    ops.rate_take(take_id, RatingScale.PROFESSIONALISM, 4).run(library, succeeded)
    qtbot.waitUntil(lambda: len(order) == 2, timeout=TIMEOUT)
    assert order == ["success", Change.TAKE_EDITED]
    assert rated[0].professionalism == 4  # the take as stored now

    ops.trash_take(take_id).run(library)
    qtbot.waitUntil(lambda: len(changes) == 2, timeout=TIMEOUT)
    assert changes[-1] is Change.TRASH


def test_only_what_a_result_changed_is_told(
    qtbot: QtBot, service: tuple[LibraryService, int, list[Change]]
) -> None:
    library, take_id, changes = service
    emptied: list[EmptiedTrash] = []
    ops.empty_trash(()).run(library, emptied.append)  # nothing asked for: nothing removed
    qtbot.waitUntil(lambda: bool(emptied), timeout=TIMEOUT)
    assert not emptied[0].removed
    assert changes == []  # the lists need no reload

    ops.trash_take(take_id).run(library)
    qtbot.waitUntil(lambda: changes == [Change.TRASH], timeout=TIMEOUT)
    trash = library.data_dir / "trash"
    assert len(list(trash.rglob("*.wav"))) == 1
    ops.empty_trash((take_id,)).run(library, emptied.append)
    qtbot.waitUntil(lambda: len(emptied) == 2, timeout=TIMEOUT)
    assert [t.id for t in emptied[1].removed] == [take_id]
    assert changes == [Change.TRASH, Change.TAKES]  # removed for good: every list reloads
    assert not list(trash.rglob("*.wav"))


def test_reading_operations_change_nothing(
    qtbot: QtBot, service: tuple[LibraryService, int, list[Change]]
) -> None:
    library, take_id, changes = service
    found: list[tuple[Take | None, int]] = []
    ops.find_take(DECK.id, DECK.questions[0].id, take_id).run(library, found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=TIMEOUT)
    take, number = found[0]
    assert take is not None and (take.id, number) == (take_id, 1)
    assert changes == []
