"""Rating the shown take: which scale the next digit sets, and the rating written to the library.

A take has two ratings, professionalism then clarity, set by two digit keys in a row (the target
cycle of domain/session.py) or by a click on a scale. The target follows the shown take; a rating
is shown at once and written on the library's thread. The practice controller decides when digits
count (not while recording; once a take being saved is in) and what follows a rating
(auto-advance); this piece only keeps the target and writes the ratings.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from closer_desktop.app import operations as ops
from closer_desktop.domain import session as rules
from closer_desktop.domain.practice import RatingScale, Take


class Rating(QObject):
    """The rating target of the shown take, and its ratings.

    Signals:
        target_changed(object): the RatingScale the next digit sets, or None.
        rated(object): the Take just rated (its rating is set in place).
        notice(str, str, object): (level, text, ("Undo", callback)): a digit changed a rating
            already set ('Professionalism changed 3 → 5.'), the same on every page that rates:
            a stray digit after both ratings would otherwise overwrite one silently.
        undone(object): Undo put back the rating of a Take no longer shown (its lists redraw it).
    """

    target_changed = Signal(object)
    rated = Signal(object)
    notice = Signal(str, str, object)
    undone = Signal(object)

    def __init__(
        self,
        library: ops.LibraryRunner,
        parent: QObject | None = None,
        listed: Callable[[int], Take | None] | None = None,
    ) -> None:
        """`listed(take_id)` is the page's copy of a take now (None: not listed): a reload
        (an import, emptying the trash) replaces the copies a pending Undo was made on."""
        super().__init__(parent)
        self.library = library
        self.listed = listed
        self.take: Take | None = None
        self.target: RatingScale | None = None

    def show(self, take: Take | None) -> None:
        """Digits rate `take` from now on (None: none), starting with its first unrated scale."""
        self.take = take
        self.target = rules.first_rating_target(take)
        self.target_changed.emit(self.target)

    def set_target(self, scale: RatingScale | None) -> None:
        """The next digit rates `scale` (a click on it); None holds digits off (a take starts)."""
        if scale is not None and self.take is None:
            return
        self.target = scale
        self.target_changed.emit(scale)

    def rate(self, scale: RatingScale, value: int) -> None:
        take = self.take
        if take is None:
            return
        if scale is RatingScale.PROFESSIONALISM:
            take.professionalism = value
        else:
            take.clarity = value
        self.rated.emit(take)
        ops.set_rating(take.id, scale, value).run(self.library)

    def rate_next(self, value: int) -> RatingScale | None:
        """A digit: rate the target scale (professionalism when there is none), then target the
        next (none once both are set: saved). Returns the scale rated (None without a take)."""
        take = self.take
        if take is None:
            return None
        scale = self.target or RatingScale.PROFESSIONALISM
        old = take.rating(scale)
        self.rate(scale, value)
        self.set_target(rules.rating_target_after(scale, take))
        if old is not None and old != value:
            self._tell_change(take, scale, old, value)
        return scale

    def _tell_change(self, take: Take, scale: RatingScale, old: int, new: int) -> None:
        """A digit changed a rating already set: say so, with an undo (unless changed again)."""
        text = rules.rating_change(scale, old, new)

        def undo() -> None:
            shown = self._copy_of(take)
            if shown.rating(scale) != new:
                return  # changed again since: this undo is stale
            if shown is self.take:
                self.rate(scale, old)
                self.set_target(rules.first_rating_target(shown))
            else:
                ops.set_rating(shown.id, scale, old).run(self.library)
                setattr(shown, scale.value, old)
                self.undone.emit(shown)

        if text:
            self.notice.emit("info", text, ("Undo", undo))

    def _copy_of(self, take: Take) -> Take:
        """The copy of `take` the page shows now: the list may have been read again since."""
        if self.take is not None and self.take.id == take.id:
            return self.take
        listed = self.listed(take.id) if self.listed is not None else None
        return listed if listed is not None else take
