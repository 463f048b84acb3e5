"""Help > About (with every component's version) and Help > Open log folder."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from closer_desktop import APP_ID, APP_NAME, __version__


def about_html(data_dir: Path) -> str:
    from closer_desktop.logs import log_dir
    from closer_desktop.selfcheck import versions

    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(value)}</td></tr>"
        for name, value in versions()[1:]  # Closer's own version is the title
    )
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Rehearse the close of a job interview out loud, offline: your voice never leaves "
        "this computer.</p>"
        f"<table cellspacing='4'>{rows}</table>"
        f"<p>Library: {html.escape(str(data_dir))}<br>Log: {html.escape(str(log_dir()))}<br>"
        f"App id: {APP_ID}</p>"
    )


def show_about(parent: QWidget, data_dir: Path) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setText(about_html(data_dir))
    box.setAccessibleName(f"About {APP_NAME}")
    box.open()
    return box


def open_log_folder(parent: QWidget) -> bool:
    """Show the log folder in the file manager (made first, so there is something to show)."""
    from closer_desktop.logs import log_dir

    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        QMessageBox.warning(parent, "Log folder", f"The log folder {folder} cannot be made: {exc}")
        return False
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    QMessageBox.information(parent, "Log folder", f"Closer's log is in {folder}")
    return False
