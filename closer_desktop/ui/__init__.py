"""The Qt user interface. Widgets render state and forward intents; work happens in workers."""

from __future__ import annotations

import os
import sys


def _skip_pyside_source_scan() -> None:
    """Tell PySide up front which of Closer's modules use it, so it need not read their sources.

    After PySide6 is imported, it reads the whole source file of every module imported next,
    to look for `from __feature__ import ...` (its opt-in snake_case and true_property, which
    Closer never uses): a read and a search of every module the main window needs, at every
    start, to find nothing.
    A module's entry in PySide's table is what that scan would have written (0: uses PySide,
    no features; -1: does not use it); modules already loaded (the standard library and the
    like) are entered as not using it, as their scan would find. Only a speed-up: if PySide's
    internals differ, nothing is changed and PySide scans as before.
    """
    try:
        import PySide6.QtCore  # noqa: F401  (installs the feature machinery)
        from shibokensupport.feature import pyside_feature_dict  # type: ignore[import-not-found]
    except ImportError:
        return
    if not isinstance(pyside_feature_dict, dict):
        return
    for name in _package_modules(os.path.dirname(os.path.dirname(__file__))):
        uses_qt = name.startswith(_QT_PACKAGES) or name in _QT_OUTSIDE_UI
        pyside_feature_dict.setdefault(name, 0 if uses_qt else -1)
    # What is loaded already (the standard library, numpy, ...) selects no PySide feature either.
    for name in list(sys.modules):
        pyside_feature_dict.setdefault(name, -1)


_QT_PACKAGES = ("closer_desktop.ui", "closer_desktop.app")
_QT_OUTSIDE_UI = ("closer_desktop.logs", "closer_desktop.selfcheck")


def _package_modules(root: str) -> list[str]:
    """The modules of the package at `root` and its sub-packages, by name (none when frozen:
    there are no source files, and nothing for PySide to read either)."""
    names = []
    folders = [(root, "closer_desktop")]
    try:
        while folders:
            folder, package = folders.pop()
            for entry in os.scandir(folder):
                if entry.name.endswith(".py"):
                    stem = entry.name[:-3]
                    names.append(package if stem == "__init__" else f"{package}.{stem}")
                elif entry.is_dir() and os.path.exists(os.path.join(entry.path, "__init__.py")):
                    folders.append((entry.path, f"{package}.{entry.name}"))
    except OSError:
        return []
    return names


_skip_pyside_source_scan()
