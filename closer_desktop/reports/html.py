"""The progress report: one self-contained HTML file with a summary, a per-question table and charts.

Nothing in it points anywhere: the styles are inline, the charts are SVG drawn here (inline SVG
needs no namespace declaration in HTML), and there are no scripts, fonts, images or links to load.
It opens the same offline, in any browser, and prints. `closer report` and File > Export report
write it; File > Print report to PDF lays out the same HTML with the charts as images
(`report_html(..., inline_charts=False)`), because Qt's rich text does not draw inline SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path

from closer_desktop import APP_NAME, __version__
from closer_desktop.domain.delivery import (
    FILLERS_PER_MINUTE,
    PACE_WPM,
    PITCH_BANDS,
    words_a_minute,
)
from closer_desktop.domain.practice import format_duration
from closer_desktop.domain.progress import (
    SESSION_WINDOW,
    TREND_AFTER,
    format_score,
    format_spoken,
    headline,
)
from closer_desktop.domain.scheduler import RECENT
from closer_desktop.domain.text import counted, ratings_in_words, shorten
from closer_desktop.palette import DARK, LIGHT, calendar_levels, mix
from closer_desktop.storage.decks import DeckStore
from closer_desktop.storage.files import check_output_path, write_atomically
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Progress, Scope, load_progress

CALENDAR_WEEKS = 26
# The per-question table's columns, as the Progress page names them (ui/progress/view.py's
# QUESTION_COLUMNS; tests/reports/test_matches_progress_page.py keeps the two equal).
QUESTION_COLUMNS = (
    "Question",
    "Takes",
    f"Professionalism, last {RECENT}",
    f"Clarity, last {RECENT}",
    f"Trend since the first {RECENT}",
    "Last practised",
)
PRINT_WIDTH = 620  # px at 96 dpi: the text width of A4 with 15 mm margins is about 680
# The colours are the app's light theme (closer_desktop/palette.py, which ui/design.py re-exports):
# each scale as the Progress charts draw it (ui/progress/charts.py scale_colours), the calendar's
# shades as its calendar's. A reader's dark preference gets the dark theme's.
PROFESSIONALISM_COLOUR = LIGHT.accent
CLARITY_COLOUR = LIGHT.watch
COLOURS = {"p": PROFESSIONALISM_COLOUR, "c": CLARITY_COLOUR}
GRID_SHARE = 0.4  # of the border colour over the page: grid and table rules, quieter than a field
GRID = mix(LIGHT.surface, LIGHT.border, GRID_SHARE)
TEXT = LIGHT.text_secondary
LEVELS = calendar_levels(LIGHT)  # calendar: none to many takes
DARK_GRID = mix(DARK.window, DARK.border, GRID_SHARE)
DARK_LEVELS = calendar_levels(DARK)

STYLE = f"""
body {{ font-family: sans-serif; color: {LIGHT.text}; background: {LIGHT.surface};
       margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.4; }}
h1 {{ font-size: 1.6em; margin-bottom: 0.2em; }}
p.headline {{ font-size: 1.2em; font-weight: 600; }}
h2 {{ font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid {GRID}; }}
.muted {{ color: {TEXT}; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid {GRID};
         vertical-align: top; }}
td.n, th.n {{ text-align: right; }}
dl.figures {{ display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }}
dl.figures dt {{ color: {TEXT}; }}
dl.figures dd {{ margin: 0; font-weight: 600; }}
svg {{ max-width: 100%; height: auto; }}
svg text {{ font-family: sans-serif; font-size: 11px; fill: {TEXT}; }}
svg .grid {{ stroke: {GRID}; stroke-width: 1; }}
svg .p {{ stroke: {PROFESSIONALISM_COLOUR}; fill: {PROFESSIONALISM_COLOUR}; }}
svg .c {{ stroke: {CLARITY_COLOUR}; fill: {CLARITY_COLOUR}; }}
svg .line {{ fill: none; stroke-width: 2.5; }}
svg .dot {{ stroke: none; fill-opacity: 0.45; }}
{" ".join(f"svg .l{i} {{ fill: {c}; }}" for i, c in enumerate(LEVELS))}
.key-p {{ color: {PROFESSIONALISM_COLOUR}; font-weight: 600; }}
.key-c {{ color: {CLARITY_COLOUR}; font-weight: 600; }}
@media (prefers-color-scheme: dark) {{
  body {{ color: {DARK.text}; background: {DARK.window}; }}
  .muted, dl.figures dt, svg text {{ color: {DARK.text_secondary}; fill: {DARK.text_secondary}; }}
  th, td, h2 {{ border-color: {DARK_GRID}; }}
  svg .grid {{ stroke: {DARK_GRID}; }}
  svg .p {{ stroke: {DARK.accent}; fill: {DARK.accent}; }}
  svg .c {{ stroke: {DARK.watch}; fill: {DARK.watch}; }}
  .key-p {{ color: {DARK.accent}; }}
  .key-c {{ color: {DARK.watch}; }}
  {" ".join(f"svg .l{i} {{ fill: {c}; }}" for i, c in enumerate(DARK_LEVELS))}
}}
"""


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG markup and the size it is drawn at."""

    name: str
    title: str
    svg: str
    width: int
    height: int


def write_report(
    library: Library, path: Path, today: date | None = None, now: datetime | None = None
) -> Progress:
    """Write the report of every deck to `path` (atomically) and return what it shows.

    A `path` that is a named pipe, a device or a link raises OutputPathError (an OSError) first.
    """
    check_output_path(path)
    progress = load_progress(library, Scope(), today)
    text = report_html(
        progress, now or datetime.now().astimezone(), deck_names=deck_names(library.data_dir)
    )
    write_atomically(path, text.encode("utf-8"))
    return progress


def report_html(
    progress: Progress,
    generated_at: datetime,
    inline_charts: bool = True,
    deck_names: Mapping[str, str] | None = None,
) -> str:
    """The report as one HTML document. With `inline_charts` False each chart is an
    <img src="NAME"> whose image the caller supplies (see `charts`). `deck_names` (by deck id,
    see `deck_names`) names the decks as the app does; a deck no longer there shows its id."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{APP_NAME} progress report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{APP_NAME} progress report</h1>",
        f'<p class="muted">Made {generated_at:%A %d %B %Y, %H:%M} by {APP_NAME} {__version__}. '
        "Self-ratings from 1 to 5; means of several takes have one decimal.</p>",
    ]
    if progress.empty:
        parts.append(
            "<p>No takes yet. Open Closer, press Space, say a closing line aloud, press Space "
            "again and rate the take: this report then shows how your ratings move.</p>"
        )
        parts.append("</body></html>")
        return "\n".join(parts)
    parts += _summary(progress)
    for chart in charts(progress):
        parts.append(f"<h2>{escape(chart.title)}</h2>")
        if inline_charts:
            parts.append(chart.svg)
        else:
            scale = min(1.0, PRINT_WIDTH / chart.width)  # within an A4 page's text width
            parts.append(
                f'<p><img src="{chart.name}" width="{round(chart.width * scale)}" '
                f'height="{round(chart.height * scale)}" alt="{escape(chart.title)}"></p>'
            )
        if chart.name == "sessions":
            parts.append(
                '<p class="muted"><span class="key-p">■ professionalism</span> &nbsp; '
                '<span class="key-c">■ clarity</span>: dots are session means, lines the '
                f"moving average of the last {SESSION_WINDOW} sessions.</p>"
            )
    parts += _delivery(progress)
    parts += _question_table(progress, deck_names or {})
    parts += _needs_work(progress)
    parts.append("</body></html>")
    return "\n".join(parts)


# Text ------------------------------------------------------------------------------------------
# The Progress page's words for the same figures (ui/progress/view.py): the headline, the ratings
# spelt out, a question's trend only once it has one, the needs-work hints. The report is what
# the page says, on paper; tests/reports/test_matches_progress_page.py holds the two together.


def _summary(progress: Progress) -> list[str]:
    totals, streaks = progress.totals, progress.streaks
    figures = [
        ("Sessions", f"{totals.sessions}"),
        ("Takes", f"{totals.takes} ({totals.rated} rated)"),
        ("Time spoken", format_spoken(totals.spoken_s)),
        ("Days practised", f"{totals.days}"),
        ("Current streak", counted(streaks.current, "day")),
        ("Longest streak", counted(streaks.longest, "day")),
    ]
    for label, point in (("Best take", progress.best), ("Latest take", progress.latest)):
        if point is not None:
            figures.append(
                (
                    label,
                    f"{ratings_in_words(point.professionalism, point.clarity)} · "
                    f"{point.recorded_at:%a %d %b %Y, %H:%M} · "
                    f"{escape(shorten(point.question_text, 70))}",
                )
            )
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in figures)
    return [
        f'<p class="headline">{escape(headline(progress.sessions, progress.weakest))}</p>',
        "<h2>Summary</h2>",
        f'<dl class="figures">{rows}</dl>',
    ]


def _section(title: str, note: str, body: str) -> list[str]:
    """A heading, a muted line saying what the figures are, and what follows."""
    return [f"<h2>{escape(title)}</h2>", f'<p class="muted">{note}</p>', body]


def _table(header: str, rows: Sequence[str]) -> str:
    """A table of rows (their <tr> markup) under one header row. Width and cellspacing are
    attributes too: Qt's rich text (the PDF) reads only those."""
    return (
        f'<table width="100%" cellspacing="0" cellpadding="3"><thead>{header}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _delivery(progress: Progress) -> list[str]:
    """Each delivery figure at the first analysed session and over the latest sessions, beside
    the analyser's band; nothing when no take has been analysed."""
    points = progress.delivery
    if not points:
        return []
    low, high = PACE_WPM
    unnoticed, watch = FILLERS_PER_MINUTE
    rows = []
    for label, key, form, hint in (
        ("Pace (words a minute)", "words_per_minute", "{:.0f}", f"comfortable: {low:g}–{high:g}"),
        (
            "Fillers a minute",
            "fillers_per_minute",
            "{:.1f}",
            f"up to {unnoticed:g} go unnoticed; over {watch:g}, work on it",
        ),
        (
            "Pitch variety (semitones)",
            "pitch_spread_semitones",
            "{:.1f}",
            PITCH_BANDS,
        ),
    ):
        values: list[float] = [v for p in points if (v := getattr(p, key)) is not None]
        if not values:
            continue
        recent = values[-SESSION_WINDOW:]
        first, latest = (
            # a pace rounded as every page rounds one: a one-take session reads its take's pace
            str(words_a_minute(v)) if key == "words_per_minute" else form.format(v)
            for v in (values[0], sum(recent) / len(recent))
        )
        rows.append(
            f'<tr><td>{label}</td><td class="n">{first}</td>'
            f'<td class="n">{latest}</td>'
            f'<td class="muted">{hint}</td></tr>'
        )
    header = (
        '<tr><th width="35%">Measure</th><th class="n">First session</th>'
        f'<th class="n">Last {SESSION_WINDOW} sessions</th><th>Hint</th></tr>'
    )
    sessions = counted(len(points), "session")
    return _section(
        "Delivery",
        f"Measured from the analysed takes of {sessions}: the first session with each figure, "
        "and the mean of the latest ones.",
        _table(header, rows),
    )


# Each column's share of the width (%), QUESTION_COLUMNS' order: Qt's rich text (the PDF) sizes
# columns left to it by their longest line, and broke "Professionalism" in two on an A4 page.
COLUMN_WIDTHS = (24, 11, 22, 11, 17, 15)
DECK_WIDTH = 8  # taken from the question's, when the report covers several decks


def deck_names(data_dir: Path) -> dict[str, str]:
    """Each deck's name by its id, as the deck list shows it (an edited built-in deck's name
    included): the report's Deck column says what the user called the deck, not its id."""
    return {entry.id: entry.name for entry in DeckStore(data_dir).entries()}


def _question_table(progress: Progress, names: Mapping[str, str]) -> list[str]:
    """Per question, the Progress page's table: takes, each scale's last ratings, and the trend
    once its first and last takes are different takes (before: how many more it needs)."""
    many_decks = len({q.deck_id for q in progress.questions}) > 1
    (question, *figures), (question_width, *widths) = QUESTION_COLUMNS, COLUMN_WIDTHS
    header = (
        f'<tr><th width="{question_width - DECK_WIDTH * many_decks}%">{question}</th>'
        + (f'<th width="{DECK_WIDTH}%">Deck</th>' if many_decks else "")
        + "".join(
            f'<th class="n" width="{width}%">{name}</th>'
            for name, width in zip(figures, widths, strict=True)
        )
        + "</tr>"
    )
    rows = []
    for q in progress.questions:
        cells = (
            f"{q.takes}&nbsp;·&nbsp;{format_duration(q.spoken_s)}",  # the page's, kept on one line
            format_score(q.recent_professionalism),
            format_score(q.recent_clarity),
            q.trend.text(),
            f"{q.last_at:%a %d %b %Y}",
        )
        rows.append(
            f"<tr><td>{escape(q.question_text)}</td>"
            + (f"<td>{escape(names.get(q.deck_id, q.deck_id))}</td>" if many_decks else "")
            + "".join(f'<td class="n">{cell}</td>' for cell in cells)
            + "</tr>"
        )
    return _section(
        "Per question",
        f"Last {RECENT}: the mean of a question's last {RECENT} ratings of each scale. The trend "
        f"compares them with its first {RECENT} once a scale has {TREND_AFTER} ratings (before "
        "that, its first and last takes overlap).",
        _table(header, rows),
    )


def _needs_work(progress: Progress) -> list[str]:
    if not progress.needs_work:
        rated = any(q.recent_score is not None for q in progress.questions)
        return [
            "<h2>Needs work</h2>",
            "<p>Nothing: the recent takes of every question score 4 or more on both scales.</p>"
            if rated
            else "<p>Rate a few takes first: the weakest questions show here.</p>",
        ]
    items = "".join(
        f"<li>{escape(q.question_text)} <span class='muted'>(professionalism "
        f"{format_score(q.recent_professionalism)} · clarity {format_score(q.recent_clarity)})"
        "</span></li>"
        for q in progress.needs_work
    )
    return _section(
        "Needs work",
        f"Lowest scores over the last {RECENT} takes of each (a take scores its lower rating):",
        f"<ol>{items}</ol>",
    )


# Charts ----------------------------------------------------------------------------------------


def charts(progress: Progress) -> list[Chart]:
    """The report's charts, as SVG: session means over time, the calendar, and per question."""
    made = []
    if progress.sessions:
        made.append(_sessions_chart(progress))
    made.append(_calendar_chart(progress))
    if any(q.recent_score is not None for q in progress.questions):
        made.append(_questions_chart(progress))
    return made


def _svg(width: int, height: int, label: str, body: Sequence[str]) -> str:
    """An SVG element; colours are attributes too (the style sheet only adapts them to a dark
    page), so the chart also draws right where no style sheet applies."""
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<g font-family="sans-serif" font-size="11" fill="{TEXT}">' + "".join(body) + "</g></svg>"
    )


def _grid_line(
    start: tuple[float, float],
    end: tuple[float, float],
    label_at: tuple[float, float, str],
    rating: int,
) -> str:
    """A grid line of the rating scale from `start` to `end`, and its rating written at
    `label_at` (x, y, text-anchor): across the sessions chart, down the questions chart."""
    (x1, y1), (x2, y2), (lx, ly, anchor) = start, end, label_at
    return (
        f'<line class="grid" stroke="{GRID}" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" '
        f'y2="{y2:.1f}"/><text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{rating}</text>'
    )


def _sessions_chart(progress: Progress) -> Chart:
    width, height = 720, 260
    left, right, top, bottom = 34, 12, 12, 28
    sessions = progress.sessions
    first = sessions[0].started_at.timestamp()
    last = sessions[-1].started_at.timestamp()
    span = max(last - first, 86400.0)
    start = first - (span - (last - first)) / 2

    def x(when: datetime) -> float:
        return left + (when.timestamp() - start) / span * (width - left - right)

    def y(value: float) -> float:
        return top + (5.5 - value) / 5 * (height - top - bottom)

    body = [
        _grid_line((left, y(r)), (width - right, y(r)), (left - 8, y(r) + 4, "end"), r)
        for r in range(1, 6)
    ]
    for tick in range(6):  # six dates evenly along the axis
        when = datetime.fromtimestamp(start + span * (tick + 0.5) / 6)
        tx = left + (tick + 0.5) / 6 * (width - left - right)
        body.append(f'<text x="{tx:.1f}" y="{height - 8}" text-anchor="middle">{when:%d %b}</text>')
    scales = (
        (
            "p",
            "professionalism",
            [s.professionalism for s in sessions],
            [s.moving_professionalism for s in sessions],
        ),
        ("c", "clarity", [s.clarity for s in sessions], [s.moving_clarity for s in sessions]),
    )
    for css, name, means, moving in scales:
        colour = COLOURS[css]
        line = [
            f"{x(s.started_at):.1f},{y(value):.1f}"
            for s, value in zip(sessions, moving, strict=True)
            if value is not None
        ]
        if line:
            body.append(
                f'<polyline class="{css} line" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'points="{" ".join(line)}"/>'
            )
        for session, value in zip(sessions, means, strict=True):
            if value is None:
                continue
            takes = session.takes
            body.append(
                f'<circle class="{css} dot" fill="{colour}" fill-opacity="0.45" '
                f'cx="{x(session.started_at):.1f}" '
                f'cy="{y(value):.1f}" r="3.5"><title>{session.started_at:%a %d %b %Y, %H:%M}: '
                f"{name} {format_score(value)} ({counted(takes, 'take')})"
                "</title></circle>"
            )
    title = "Professionalism and clarity per session"
    return Chart("sessions", title, _svg(width, height, title, body), width, height)


def _calendar_chart(progress: Progress) -> Chart:
    cell, gap, left, top = 12, 2, 28, 16
    weeks = CALENDAR_WEEKS
    width, height = left + weeks * (cell + gap) + 4, top + 7 * (cell + gap) + 4
    takes_on = {d.day: d.takes for d in progress.days}
    today = progress.today
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    body = []
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        body.append(f'<text x="0" y="{top + row * (cell + gap) + 10}">{name}</text>')
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        if monday.day <= 7:
            body.append(f'<text x="{left + week * (cell + gap)}" y="11">{monday:%b}</text>')
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > today:
                break
            takes = takes_on.get(day, 0)
            level = _level(takes)
            label = f"{day:%a %d %b %Y}: {counted(takes, 'take')}"
            body.append(
                f'<rect class="l{level}" fill="{LEVELS[level]}" x="{left + week * (cell + gap)}" '
                f'y="{top + weekday * (cell + gap)}" width="{cell}" height="{cell}" rx="2">'
                f"<title>{label}</title></rect>"
            )
    title = f"Days practised (the last {weeks} weeks)"
    return Chart("calendar", title, _svg(width, height, title, body), width, height)


def _level(takes: int) -> int:
    """Calendar shade: 0 none, 1 one or two takes, 2 up to 5, 3 up to 10, 4 more."""
    return 0 if takes == 0 else 1 if takes <= 2 else 2 if takes <= 5 else 3 if takes <= 10 else 4


def _questions_chart(progress: Progress) -> Chart:
    rated = [q for q in progress.questions if q.recent_score is not None]
    label_width, bar, row_gap, scale_width = 260, 9, 10, 400
    width = label_width + scale_width + 40
    height = 22 + len(rated) * (2 * bar + row_gap)

    def bar_x(value: float) -> float:
        return label_width + value / 5 * scale_width

    body = [
        _grid_line((bar_x(r), 14), (bar_x(r), height), (bar_x(r), 10, "middle"), r)
        for r in range(0, 6)
    ]
    for index, q in enumerate(rated):
        y = 18 + index * (2 * bar + row_gap)
        body.append(f'<text x="0" y="{y + bar + 4}">{escape(shorten(q.question_text, 40))}</text>')
        for offset, css, value, name in (
            (0, "p", q.recent_professionalism, "professionalism"),
            (bar, "c", q.recent_clarity, "clarity"),
        ):
            if value is None:
                continue
            colour = COLOURS[css]
            body.append(
                f'<rect class="{css}" fill="{colour}" x="{label_width}" y="{y + offset}" '
                f'width="{bar_x(value) - label_width:.1f}" height="{bar - 1}">'
                f"<title>{escape(shorten(q.question_text, 60))}: recent {name} "
                f"{format_score(value)}</title></rect>"
            )
    title = "Recent ratings per question (mean of the last three)"
    return Chart("questions", title, _svg(width, height, title, body), width, height)
