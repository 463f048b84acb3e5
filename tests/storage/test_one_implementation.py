"""Writing a file by temp file, fsync and rename, and copying a library database with SQLite's
backup API, each have one implementation (storage/files.py, storage/database.py): a fix to one
(a link not followed, a read-only disk, a full one) then holds for every caller. This reads the
package's source and names any other place that does it again."""

from __future__ import annotations

import ast
from pathlib import Path

import closer_desktop

PACKAGE = Path(closer_desktop.__file__).parent
# os.replace that moves an existing file, not a temp file just written: allowed, and why.
MOVES = {
    "storage/sidecar.py": "a sidecar follows its audio file to the trash and back",
    "logs.py": "log rotation renames the older logs",
}


def calls(name: str, on: str | None = None) -> dict[str, int]:
    """Files (relative to the package) that call `name` (a function or method; `on`: only as an
    attribute of that name, as `os.replace`), and how often."""
    found: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func.value, "id", None) if isinstance(func, ast.Attribute) else None
            if called == name and (on is None or owner == on):
                relative = path.relative_to(PACKAGE).as_posix()
                found[relative] = found.get(relative, 0) + 1
    return found


def test_temp_files_are_made_in_one_place() -> None:
    assert set(calls("mkstemp")) == {"storage/files.py"}
    assert set(calls("NamedTemporaryFile")) <= {"storage/files.py"}


def test_files_are_renamed_into_place_in_one_place() -> None:
    replaced = calls("replace", on="os")  # a rename over whatever has the name
    assert set(replaced) - {"storage/files.py"} <= set(MOVES), replaced


def test_the_database_is_copied_in_one_place() -> None:
    assert set(calls("backup")) == {"storage/database.py"}
