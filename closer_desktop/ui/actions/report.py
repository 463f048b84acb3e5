"""File > Export report (one self-contained HTML file) and File > Print report to PDF.

The figures are read on the library's thread; the HTML file is written there too. The PDF is laid
out on the GUI thread (Qt's rich text and printing are GUI-thread classes) from the same HTML,
with the SVG charts drawn into images, since Qt's rich text does not draw inline SVG. The storage,
SVG and print modules are imported only when a report is made: nothing here costs at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from closer_desktop.app import operations as ops

if TYPE_CHECKING:
    from closer_desktop.storage.queries.progress import Progress
    from closer_desktop.ui.main_window import MainWindow

HTML_FILTER = "Web page (*.html)"
PDF_FILTER = "PDF (*.pdf)"
CHART_SCALE = 2  # chart images at twice their size: sharp on paper


class ReportActions(QObject):
    """The report's two menu entries for one main window.

    Signals:
        finished(str): a report was written (or failed); the level of its message. Tests wait
            on it.
    """

    finished = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller  # its file runner lays out the PDF
        self.library = window.library
        self.export_action = QAction("Export &report…", window)
        self.export_action.setToolTip(
            "Save your progress as one web page: summary, per-question table and charts"
        )
        self.export_action.triggered.connect(self.export_report)
        self.print_action = QAction("Print report to P&DF…", window)
        self.print_action.setToolTip("Save your progress report as a PDF, ready to print")
        self.print_action.triggered.connect(self.print_report)

    def _suggested(self, suffix: str) -> str:
        return str(Path.home() / f"closer-report-{date.today():%Y-%m-%d}{suffix}")

    def export_report(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export report", self._suggested(".html"), HTML_FILTER
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the HTML report to `path` in the background; the outcome comes as a message."""
        ops.write_report(path).run(
            self.library,
            lambda _: self._done("info", f"Report saved to {path}"),
            lambda exc: self._done("error", f"The report could not be saved: {_reason(exc)}"),
        )

    def print_report(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self.window, "Print report to PDF", self._suggested(".pdf"), PDF_FILTER
        )
        if path:
            self.print_to(Path(path))

    def print_to(self, path: Path) -> None:
        """Read the figures in the background, then lay out and write the PDF."""
        from closer_desktop.reports.html import deck_names
        from closer_desktop.storage.queries.progress import Scope

        names = deck_names(self.controller.data_dir)

        def laid_out(progress: Progress) -> None:
            # Laid out and written on the file worker: QTextDocument, QImage and the PDF
            # engine paint without the GUI thread, which never waits on the disk.
            self.controller.files.run(
                lambda: write_pdf(progress, path, deck_names=names),
                lambda _: self._done("info", f"Report saved as PDF to {path}"),
                lambda exc: self._done("error", f"The PDF could not be saved: {_reason(exc)}"),
            )

        ops.load_progress(Scope()).run(
            self.library,
            laid_out,
            lambda exc: self._done("error", f"Your progress could not be read: {_reason(exc)}"),
        )

    def _done(self, level: str, text: str) -> None:
        self.window.show_message(level, text)
        self.finished.emit(level)


def write_pdf(
    progress: Progress,
    path: Path,
    generated_at: datetime | None = None,
    deck_names: Mapping[str, str] | None = None,
) -> None:
    """The report as an A4 PDF, through QTextDocument and QPrinter (any thread: no widgets).

    Qt prints it into a private temp folder; it is then copied to `path` by temp file, fsync
    and rename (storage/files.py: copy_atomically): a failure leaves no half file.
    """
    import tempfile

    from PySide6.QtCore import QByteArray, QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QTextDocument
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtSvg import QSvgRenderer

    from closer_desktop.reports.html import charts, report_html
    from closer_desktop.storage.files import copy_atomically

    document = QTextDocument()
    for chart in charts(progress):
        image = QImage(
            chart.width * CHART_SCALE, chart.height * CHART_SCALE, QImage.Format.Format_RGB32
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        QSvgRenderer(QByteArray(chart.svg.encode("utf-8"))).render(painter)
        painter.end()
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(chart.name), image)
    when = generated_at or datetime.now().astimezone()
    html = report_html(progress, when, inline_charts=False, deck_names=deck_names)
    document.setHtml(html)
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "No such folder", str(path.parent))
    work = tempfile.TemporaryDirectory(prefix="closer-pdf-")
    temporary = Path(work.name) / path.name
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(temporary))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName("Closer progress report")
    # Lay the pages out at 96 dpi on the page's text area (A4 less the margins); unpaginated,
    # Qt would lay them out at the printer's resolution and shrink everything.
    text_area = printer.pageLayout().paintRect(QPageLayout.Unit.Inch)
    document.setPageSize(QSizeF(text_area.width() * 96, text_area.height() * 96))
    with work:
        document.print_(printer)
        if not temporary.exists() or temporary.stat().st_size == 0:
            raise PermissionError(13, "Qt could not write the file", str(path))
        copy_atomically(temporary, path, private=False)  # the user's file: a normal save's mode


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc)
