"""Which deck is practised and in what order: the deck and plan remembered in the data folder
(deck files, read and written on the file thread) and the plan's queue of questions (weakest-first
reads the ratings on the library's thread), and PractisedDeck, which of them is practised now.
The practice controller asks; the answers come on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from closer_desktop.app import operations as ops
from closer_desktop.app.library import LibraryService
from closer_desktop.app.tasks import TaskRunner
from closer_desktop.domain import session as rules
from closer_desktop.domain.deck import Deck, DeckError, Question
from closer_desktop.domain.scheduler import PracticeOrder, PracticePlan, RatedTake, practice_queue

log = logging.getLogger(__name__)


class DeckQueue:
    """Reads and remembers the practised deck and plan, and puts a deck's questions in order."""

    def __init__(self, data_dir: Path, files: TaskRunner, library: LibraryService) -> None:
        self.data_dir = data_dir
        self.files = files
        self.library = library

    def read_current(
        self,
        fallback: Deck,
        arrived: Callable[[tuple[Deck, PracticePlan]], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """The deck and plan remembered in the data folder; `fallback` when that deck was
        deleted or cannot be read."""
        data_dir = self.data_dir

        def read() -> tuple[Deck, PracticePlan]:
            from closer_desktop.storage.decks import DeckStore

            store = DeckStore(data_dir)
            try:
                deck = store.load(store.current_deck_id() or fallback.id)
            except DeckError:
                deck = fallback
            return deck, store.plan(deck.id)

        self.files.run(read, arrived, failed)

    def remember(self, deck: Deck, plan: PracticePlan) -> None:
        """The user's choice of deck and plan, for the next start."""
        data_dir = self.data_dir

        def write() -> None:
            from closer_desktop.storage.decks import DeckStore

            store = DeckStore(data_dir)
            store.set_current_deck(deck.id)
            store.save_plan(deck.id, plan)

        self.files.run(write)

    def order(
        self, deck: Deck, plan: PracticePlan, arrived: Callable[[list[Question]], None]
    ) -> bool:
        """Put the plan's questions in its order and hand them to `arrived`: at once, or (True)
        later, once weakest-first has read the ratings."""
        chosen = rules.questions_to_practise(deck.questions, plan)
        if plan.order is not PracticeOrder.WEAKEST_FIRST or not self.library.library_is_open:
            arrived(practice_queue(chosen, plan.order))
            return False

        def rated(history: dict[str, list[RatedTake]]) -> None:
            now = datetime.now().astimezone()
            arrived(practice_queue(chosen, plan.order, history, now))

        def not_rated(exc: BaseException) -> None:
            log.warning("the ratings for weakest-first could not be read: %s", exc)
            arrived(practice_queue(chosen, PracticeOrder.IN_ORDER))

        ops.rated_history(deck.id).run(self.library, rated, not_rated)
        return True


class PractisedDeck(QObject):
    """The deck practised now, its plan and its queue of questions.

    Signals:
        queue_ready(): another queue is in (another deck, or the same with a new plan).
        message(str, str): (level, text) for the status area.
    """

    queue_ready = Signal()
    message = Signal(str, str)

    def __init__(self, deck: Deck, decks: DeckQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.decks = decks
        self.deck = deck
        self.plan = PracticePlan()
        self.queue: list[Question] = list(deck.questions)
        self.pending = False  # a weakest-first queue is being read from the library
        # A reload of the remembered deck (start-up, after the deck manager): the question its
        # queue starts on (None: the plan's first), and whether the next queue comes from it.
        self._kept: str | None = None
        self._reloaded = False

    def use(self, deck: Deck, plan: PracticePlan | None = None) -> bool:
        """Practise `deck` with `plan` from its first chosen question; True when it is another
        deck than before. Weakest-first reads the ratings in the background, so its queue
        arrives a moment later (`queue_ready`)."""
        another = deck.id != self.deck.id
        self.deck = deck
        self.plan = plan or PracticePlan()
        deck_id = deck.id

        def arrived(queue: list[Question]) -> None:
            if self.deck.id == deck_id:
                self.pending = False
                self.queue = queue
                self.queue_ready.emit()

        # Until a weakest-first queue arrives the page still shows the old deck's question: no
        # take may be filed under the new deck with it (see `pending`).
        self.pending = self.decks.order(deck, self.plan, arrived)
        return another

    def read_remembered(self, use: Callable[[Deck, PracticePlan], None]) -> None:
        """The deck and plan remembered in the data folder, to `use` when they are not these."""

        def arrived(result: tuple[Deck, PracticePlan]) -> None:
            if result != (self.deck, self.plan):
                use(*result)

        def failed(exc: BaseException) -> None:
            self.message.emit("warning", f"Your decks cannot be read ({exc}).")

        self.decks.read_current(self.deck, arrived, failed)

    def reload(self, use: Callable[[Deck, PracticePlan], None], keep: str | None) -> None:
        """Read the remembered deck and plan again and `use` them when they are not these; the
        queue that follows starts on question `keep` while it is still practised."""

        def changed(deck: Deck, plan: PracticePlan) -> None:
            self._kept, self._reloaded = keep, True
            use(deck, plan)

        self.read_remembered(changed)

    def start_of_queue(self) -> tuple[int, bool]:
        """Where the queue just in starts (the kept question, else the first), and whether it
        came from a reload (the window then stays on the page it shows)."""
        keep, self._kept = self._kept, None
        reloaded, self._reloaded = self._reloaded, False
        ids = [q.id for q in self.queue]
        return (ids.index(keep) if keep in ids else 0), reloaded
