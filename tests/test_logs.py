"""The log: a rotating file in the log folder, with Qt's messages in it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning

from closer_desktop import logs


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "log"
    yield folder
    logs.stop_logging()


def test_records_and_qt_messages_reach_the_file(log_folder: Path) -> None:
    path = logs.setup_logging(log_folder)
    assert path == log_folder / logs.LOG_NAME
    logging.getLogger("closer_desktop.ui.test").info("hello from Closer")
    qWarning("a warning from Qt")
    for handler in logs.log.handlers:
        handler.flush()
    text = path.read_text()
    assert "INFO    closer_desktop.ui.test: hello from Closer" in text
    assert "WARNING closer_desktop.qt:" in text and "a warning from Qt" in text
    assert logs.setup_logging(log_folder) == path  # a second call changes nothing


def test_the_file_rotates_and_keeps_a_few_old_ones(tmp_path: Path) -> None:
    handler = logs.RotatingFile(tmp_path / "closer.log", max_bytes=200, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("closer-rotation-test")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for number in range(40):
            logger.warning("line %02d %s", number, "x" * 20)
    finally:
        logger.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["closer.log", "closer.log.1", "closer.log.2"]
    assert all((tmp_path / n).stat().st_size <= 200 + 40 for n in names)
    assert "line 39" in (tmp_path / "closer.log").read_text()


def test_the_default_folder_is_the_per_user_log_folder() -> None:
    assert logs.log_dir().parts[-2:] == ("Closer", "log")


def test_an_unwritable_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert logs.setup_logging(blocker / "log") is None
