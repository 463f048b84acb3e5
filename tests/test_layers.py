"""The layers hold (pyproject's [tool.importlinter] contracts, run by lint-imports), and they are
live: a wrong-way import in a copy of the package breaks them. app/ imports no widgets, which
import-linter cannot say (it forbids only whole external packages), so it is checked here."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import closer_desktop

PACKAGE = Path(closer_desktop.__file__).parent
ROOT = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the package in `where`, with the project's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contracts_are_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_wrong_way_import_breaks_them(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "closer_desktop", ignore=shutil.ignore_patterns("*.pyc"))
    scheduler = tmp_path / "closer_desktop" / "domain" / "scheduler.py"
    scheduler.write_text(scheduler.read_text() + "\nfrom closer_desktop.storage import files\n")
    sidecar = tmp_path / "closer_desktop" / "storage" / "sidecar.py"
    sidecar.write_text(sidecar.read_text() + "\nimport PySide6.QtCore\n")
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert "closer_desktop.domain.scheduler -> closer_desktop.storage.files" in out
    assert "closer_desktop.storage is not allowed to import PySide6" in out


def test_app_imports_no_widgets() -> None:
    """app/ holds QtCore objects: a widget (or QtGui) there would tie them to a window."""
    found = []
    for path in sorted((PACKAGE / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith(("PySide6.QtWidgets", "PySide6.QtGui", "closer_desktop.ui")):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    assert found == []
