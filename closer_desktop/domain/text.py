"""Figures in words, the same in the app and in the report: counts, shortened text, ratings.

The Progress view and the HTML report (and the messages after a backup, restore or repair) say
the same things; these helpers keep them saying it the same way. Plain strings: no HTML
escaping (callers escape where they build HTML) and no Qt.
"""

from __future__ import annotations

NOT_RATED = "–"


def counted(number: int, noun: str) -> str:
    """A count and its noun: '1 take', '2 takes', '0 takes' (regular plurals only: add an s)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary and ended with '…'."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def ratings_in_words(professionalism: int | None, clarity: int | None) -> str:
    """A take's two ratings for the user: 'professionalism 3, clarity 4', 'not rated yet',
    'professionalism 3, clarity not rated' (the letters 'P 3 · C 4' meant nothing to a new user)."""
    if professionalism is None and clarity is None:
        return "not rated yet"
    p = "not rated" if professionalism is None else str(professionalism)
    c = "not rated" if clarity is None else str(clarity)
    return f"professionalism {p}, clarity {c}"


def first_to_recent(first: float | None, recent: float | None, best: int | None) -> str:
    """How a scale moved on one question: first mean → recent mean (best), e.g. '2.5 → 4 (5)';
    '–' when the scale was never rated."""
    # Here, not at the top: the practice page imports this module, the progress rules can wait.
    from closer_desktop.domain.progress import format_score

    if recent is None:
        return NOT_RATED
    return f"{format_score(first)} → {format_score(recent)} ({best})"
