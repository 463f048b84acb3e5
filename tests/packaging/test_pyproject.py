"""pyproject.toml's package list and package data match the tree, so a new subpackage or resource
folder cannot be left out of the wheel (setuptools would warn "package would be ignored", or
silently ship without it), and the licence stays an SPDX expression that needs no deprecated form."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def folders_holding_files(base: Path, pattern: str) -> set[Path]:
    return {path.parent for path in base.rglob(pattern) if "__pycache__" not in path.parts}


def test_every_folder_of_code_and_resources_is_a_listed_package() -> None:
    code = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in folders_holding_files(ROOT / "closer_desktop", "*.py")
    }
    resources = ROOT / "resources"
    data = {
        ".".join(("closer_desktop", "resources", *folder.relative_to(resources).parts))
        for folder in folders_holding_files(resources, "*")
    }
    listed = pyproject()["tool"]["setuptools"]["packages"]
    assert len(listed) == len(set(listed)), "a package is listed twice"
    assert set(listed) == code | data


def test_every_resource_file_matches_its_package_data() -> None:
    config = pyproject()["tool"]["setuptools"]
    package_data: dict[str, list[str]] = config["package-data"]
    resources = ROOT / "resources"
    unshipped = []
    for path in sorted(resources.rglob("*")):
        if not path.is_file() or path.suffix == ".py" or "__pycache__" in path.parts:
            continue
        package = ".".join(
            ("closer_desktop", "resources", *path.parent.relative_to(resources).parts)
        )
        patterns = package_data.get(package, [])
        if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
            unshipped.append(str(path.relative_to(ROOT)))
    assert unshipped == []


def test_the_licence_is_an_spdx_expression_with_a_setuptools_that_reads_it() -> None:
    data = pyproject()
    assert data["project"]["license"] == "GPL-3.0-or-later"
    requires = data["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    found = re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", setuptools)
    assert found is not None and int(found.group(1)) >= 77, setuptools  # PEP 639 support
