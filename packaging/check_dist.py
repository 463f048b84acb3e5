"""Check what `python -m build` made: the wheel holds every module, the `closer` command and every
shipped resource (decks, icons, styles); the sdist holds the sources they come from.

    python packaging/check_dist.py build/python-dist/X.whl build/python-dist/X.tar.gz

`python -m build` builds the wheel from the sdist, so a complete wheel also shows a complete sdist.
Exit code 1 with the missing files named.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def expected_resources() -> list[str]:
    """Every resource file in the checkout, as the wheel must hold it."""
    base = ROOT / "resources"
    return sorted(
        f"closer_desktop/resources/{p.relative_to(base).as_posix()}"
        for folder in ("decks", "icons", "styles")
        for p in (base / folder).iterdir()
        if p.is_file()
    )


def expected_modules() -> list[str]:
    """Every module of the checkout: a subpackage missing from pyproject's list leaves some out."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "closer_desktop").rglob("*.py")
        if "__pycache__" not in p.parts
    )


def check_wheel(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        entry_points = next((n for n in names if n.endswith(".dist-info/entry_points.txt")), None)
        scripts = wheel.read(entry_points).decode() if entry_points else ""
    problems = [f"wheel lacks {name}" for name in expected_resources() if name not in names]
    problems += [f"wheel lacks {module}" for module in expected_modules() if module not in names]
    if "closer = closer_desktop.cli:main" not in scripts:
        problems.append("wheel has no `closer` command")
    strays = sorted(n for n in names if n.startswith(("tests/", "bench/")))
    problems += [f"wheel holds {n}, which is not part of the app" for n in strays[:5]]
    return problems


def check_sdist(path: Path) -> list[str]:
    with tarfile.open(path) as sdist:
        names = {"/".join(n.split("/")[1:]) for n in sdist.getnames()}
    wanted = ["pyproject.toml", "README.md", "closer_desktop/cli.py"]
    wanted += [n.replace("closer_desktop/resources/", "resources/") for n in expected_resources()]
    return [f"sdist lacks {name}" for name in wanted if name not in names]


def main(argv: list[str]) -> int:
    wheel, sdist = (Path(a) for a in argv)
    problems = check_wheel(wheel) + check_sdist(sdist)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    if not problems:
        count = len(expected_resources())
        modules = len(expected_modules())
        print(
            f"   {wheel.name} and {sdist.name}: {modules} modules, `closer`, {count} resource files"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
