"""Bad input on the command line: a real `closer` process exits 2 with one line on stderr naming
the file and the problem, never a traceback (issue 16, section 4)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from closer_desktop.paths import DATABASE_NAME, default_deck_path
from tests.support.progress_library import build_in


def closer(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "closer_desktop", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, exactly one line on stderr (returned), holding each of `words`."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and done.stderr.endswith("\n"), done.stderr
    assert lines[0].startswith("closer: ")
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_a_symlink_loop_as_data_dir(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for command in (["export"], ["deck", "list"], ["report", "-o", str(tmp_path / "r.html")]):
        assert_refused(closer(*command, "--data-dir", str(loop)), "--data-dir", "loop")
    assert_refused(closer("--self-check", "--data-dir", str(loop)), "loop")


def test_a_file_as_data_dir(tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("not a library\n")
    for command in (["export"], ["deck", "list"], ["backup", str(tmp_path / "b.zip")]):
        assert_refused(closer(*command, "--data-dir", str(afile)), "notes.txt", "not a folder")
    assert afile.read_text() == "not a library\n"


def damaged_library(where: Path) -> Path:
    """A real library whose every page after the first (the schema) is overwritten: it opens,
    then fails as soon as a table is read ("database disk image is malformed")."""
    build_in(where)
    database = where / DATABASE_NAME
    size = database.stat().st_size
    with database.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * (size - 4096))
    return database


def test_report_and_export_of_a_damaged_library(tmp_path: Path) -> None:
    data = tmp_path / "library"
    database = damaged_library(data)
    before = database.read_bytes()
    report = tmp_path / "report.html"
    line = assert_refused(closer("report", "--data-dir", str(data), "-o", str(report)), "malformed")
    assert str(database) in line
    assert not report.exists()
    assert_refused(closer("export", "--data-dir", str(data)), str(database), "malformed")
    out = tmp_path / "library.json"
    assert_refused(closer("export", "--data-dir", str(data), "-o", str(out)), "malformed")
    assert database.read_bytes() == before  # a reader never "repairs" the user's file


def test_analyze_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "take.wav"
    os.mkfifo(fifo)
    # Before the check, libsndfile waited for a writer for ever: the timeout fails the test.
    assert_refused(closer("analyze", str(fifo), timeout=30), str(fifo), "FIFO")


def test_analyze_refuses_a_device() -> None:
    assert_refused(closer("analyze", "/dev/zero", timeout=30), "/dev/zero", "device")


def deck_files(data: Path) -> list[Path]:
    return sorted((data / "decks").glob("*.toml")) if (data / "decks").exists() else []


def test_deck_import_of_deeply_nested_toml(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("version = 1\nx = " + "[" * 100_000 + "\n")
    data = tmp_path / "library"
    assert_refused(closer("deck", "import", "--data-dir", str(data), str(deep)), "deep.toml")
    assert deck_files(data) == []


def test_deck_import_of_a_long_dotted_key(tmp_path: Path) -> None:
    dotted = tmp_path / "dotted.toml"
    dotted.write_text("version = 1\n" + ".".join(["a"] * 40_000) + " = 1\n")  # 80 KB
    data = tmp_path / "library"
    done = closer("deck", "import", "--data-dir", str(data), str(dotted), timeout=20)
    assert_refused(done, "dotted.toml", "line 2", "dotted parts")


def test_a_deck_too_large_to_save_is_refused_at_import(tmp_path: Path) -> None:
    """Under 1 MB as written (inline tables), over it as Closer saves it (one line a field):
    before, it was "imported", then skipped as too large at every listing."""
    questions = ",\n".join(
        f'{{id = "q{n}", text = "Thank you.", target_seconds = 5}}' for n in range(15_500)
    )
    big = tmp_path / "big.toml"
    big.write_text(
        'version = 1\nid = "big"\nname = "Big"\n[[stages]]\nid = "s"\ntitle = "S"\n'
        f"questions = [\n{questions}\n]\n"
    )
    assert big.stat().st_size < 1_000_000
    data = tmp_path / "library"
    line = assert_refused(
        closer("deck", "import", "--data-dir", str(data), str(big)), "big.toml", "1,000,000"
    )
    assert "15,500 questions" in line
    assert deck_files(data) == []


def test_a_tab_or_line_break_in_a_deck_name_cannot_forge_deck_list(tmp_path: Path) -> None:
    shipped = default_deck_path().read_text(encoding="utf-8")
    forged = tmp_path / "forged.toml"
    forged.write_text(
        shipped.replace('name = "', 'name = "Mine\\tfake-id\\t3 questions\\nForged deck\\t', 1)
    )
    data = tmp_path / "library"
    assert_refused(
        closer("deck", "import", "--data-dir", str(data), str(forged)), "forged.toml", "'name'"
    )
    assert deck_files(data) == []
    # The same file put straight into decks/ under a name holding a line break: skipped, and
    # said on one line.
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "evil\nskipped nothing.toml").write_text(forged.read_text())
    listed = closer("deck", "list", "--data-dir", str(data))
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["Closing an interview"]
    (problem,) = listed.stderr.splitlines()
    assert problem.startswith("closer: skipped ") and "evil\\nskipped nothing.toml" in problem


def test_restore_of_an_archive_with_a_deeply_nested_manifest(tmp_path: Path) -> None:
    archive = tmp_path / "deep.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", "[" * 200_000 + "]" * 200_000)
    data = tmp_path / "library"
    assert_refused(closer("restore", "--data-dir", str(data), str(archive)), "deep.zip", "JSON")
    assert not data.exists()
