"""The HTML report: well-formed, self-contained (no URL of any kind), and holding the right numbers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from closer_desktop.cli import main
from closer_desktop.reports.html import report_html, write_report
from closer_desktop.storage.library import Library
from closer_desktop.storage.queries.progress import Scope, load_progress
from closer_desktop.storage.take_metrics import save_metrics
from tests.support.delivery import delivery_metrics
from tests.support.progress_library import DECK, add, at, build, build_in

VOID = {"meta", "br", "img", "line", "circle", "rect", "polyline", "hr", "input", "link"}


class Page(HTMLParser):
    """Parses a document, checking that every element is closed in order, and keeps what the
    tests look at: text, attributes, table rows and the elements seen."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())

    def row_for(self, first_cell: str) -> list[str]:
        return next(row for row in self.rows if row and row[0] == first_cell)


def assert_self_contained(text: str, page: Page) -> None:
    assert "http" not in text.lower()
    assert "//" not in " ".join(
        value for _, name, value in page.attributes if name in ("src", "href")
    )
    assert not re.search(r"url\(|@import|<script|<link|<iframe|<object|<embed", text, re.I)
    assert not [a for a in page.attributes if a[1] in ("href", "xlink:href")]


def test_cli_report_holds_the_figures_and_points_nowhere(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_in(data_dir)
    output = tmp_path / "out" / "report.html"
    assert main(["report", "--data-dir", str(data_dir), "--output", str(output)]) == 0
    assert "report of 9 takes written to" in capsys.readouterr().err
    text = output.read_text(encoding="utf-8")
    page = Page(text)
    assert page.problems == []
    assert page.tags[:2] == ["html", "head"]
    assert page.tags.count("svg") == 3  # sessions, calendar, per question
    assert "img" not in page.tags  # inline charts only: nothing to fetch
    assert_self_contained(text, page)

    plain = page.plain
    for expected in (
        "Sessions 4",
        "Takes 9 (8 rated)",
        "Time spoken 1 min 31 s",
        "Days practised 4",
        "Longest streak 3 days",
        "Best take professionalism 5, clarity 4 · Wed 04 Nov 2026, 09:00",
    ):
        assert expected in plain
    q = DECK.questions
    # Question | Takes | Professionalism, last 3 | Clarity, last 3 | Trend | Last practised
    assert page.row_for(q[0].text) == [
        q[0].text,
        "4 · 0:43",
        "4",
        "3",
        "2 more takes to see a trend",
        "Wed 04 Nov 2026",
    ]
    assert page.row_for(q[2].text)[2:5] == ["1.5", "2", "4 more takes to see a trend"]
    assert page.row_for(q[1].text)[1] == "2 · 0:13"  # the trashed take is not counted
    needs_work = plain[plain.index("Needs work") :]
    assert needs_work.index(q[2].text) < needs_work.index(q[3].text) < needs_work.index(q[0].text)
    assert q[1].text not in needs_work
    # Chart tooltips name sessions; the calendar names each day with its takes.
    assert "Mon 02 Nov 2026, 10:00: professionalism 3 (3 takes)" in plain
    assert "Tue 03 Nov 2026, 23:30: clarity 2.5 (3 takes)" in plain


def test_streak_and_print_layout(data_dir: Path) -> None:
    library = Library(data_dir)
    build(library)
    progress = load_progress(library, Scope(), today=date(2026, 11, 5))
    library.close()
    text = report_html(progress, datetime(2026, 11, 5, 8, 0).astimezone())
    plain = Page(text).plain
    assert "Current streak 3 days" in plain
    assert "Tue 03 Nov 2026: 3 takes" in plain  # in the calendar of the last 26 weeks
    # The Progress page's headline: the first session (30 Oct) against the latest (4 Nov).
    assert (
        "Clarity up 1 and professionalism up 0.5 since your first session; "
        "weakest: “What are the next steps in the hiring…”"
    ) in plain
    printable = report_html(progress, datetime(2026, 11, 5, 8, 0).astimezone(), False)
    page = Page(printable)
    assert page.problems == [] and "svg" not in page.tags
    assert [v for t, n, v in page.attributes if t == "img" and n == "src"] == [
        "sessions",
        "calendar",
        "questions",
    ]
    assert_self_contained(printable, page)


def test_text_is_escaped(tmp_path: Path, data_dir: Path) -> None:
    library = Library(data_dir)
    session = library.start_session(DECK.id)
    odd = replace(DECK.questions[0], text="Salary & <b>benefits</b>? “Fine” — 👍 شكرا")
    take = library.begin_take(session, DECK.id, odd, 16000, at("2026-11-02", "10:00"))
    library.finish_take(take.id, 3.0, 16000)
    add(library, session, 1, at("2026-11-02", "10:01"), 4, 4)
    write_report(library, tmp_path / "r.html", today=date(2026, 11, 3))
    library.close()
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.problems == [] and "b" not in page.tags
    assert "Salary &amp; &lt;b&gt;benefits&lt;/b&gt;?" in text
    assert page.row_for(odd.text)[1:3] == ["1 · 0:03", "–"]  # one unrated take


def test_an_empty_library_gets_a_report_that_says_what_to_do(
    tmp_path: Path, data_dir: Path
) -> None:
    Library(data_dir).close()
    output = tmp_path / "empty.html"
    assert main(["report", "--data-dir", str(data_dir), "-o", str(output)]) == 0
    page = Page(output.read_text(encoding="utf-8"))
    assert page.problems == []
    assert "No takes yet. Open Closer, press Space" in page.plain
    assert "svg" not in page.tags


def test_no_library_or_unwritable_output_exit_2(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--data-dir", str(tmp_path / "none"), "-o", str(tmp_path / "r")]) == 2
    assert "no library in" in capsys.readouterr().err
    Library(data_dir).close()
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["report", "--data-dir", str(data_dir), "-o", str(blocker / "r.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_delivery_section_once_takes_are_analysed(data_dir: Path) -> None:
    library = Library(data_dir)
    ids = build(library)
    when = datetime(2026, 11, 5, 12, 0).astimezone()
    assert "<h2>Delivery</h2>" not in report_html(load_progress(library, Scope()), when)
    for name, metrics in (  # sessions in time order: D (t10), A (t1, t2), B (t4)
        ("t10", delivery_metrics(150, fillers=1, pitch=2.5)),
        ("t1", delivery_metrics(120, fillers=2, pitch=3.0, speaking_s=60)),
        ("t2", delivery_metrics(180, fillers=1, pitch=1.0, speaking_s=30)),
        ("t4", delivery_metrics(90, pitch=None, speaking_s=40)),
    ):
        save_metrics(library, ids[name], metrics)
    page = Page(report_html(load_progress(library, Scope()), when))
    library.close()
    assert page.problems == []
    assert "Measured from the analysed takes of 3 sessions" in page.plain
    # First session (D) | mean of the latest (D 150, A 140, B 90) | the analyser's band
    assert page.row_for("Pace (words a minute)")[1:] == ["150", "127", "comfortable: 100–165"]
    assert page.row_for("Fillers a minute")[1:3] == ["1.0", "1.0"]  # 1, 2, 0
    assert page.row_for("Pitch variety (semitones)")[1:] == [
        "2.5",
        "2.2",  # D 2.5, A 2.0; B measured none
        "under 1, flat; 1 to 2, a little flat; 2 or more, lively",
    ]
