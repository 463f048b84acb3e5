"""Closer: rehearse the closing minutes of a job interview out loud, fully offline."""

__version__ = "0.1.0"
APP_NAME = "Closer"
APP_ID = "io.github.closer_desktop.Closer"
