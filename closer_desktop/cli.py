"""The `closer` command: no subcommand opens the app; subcommands work headless, on the library
(or, `analyze`, on any audio file)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from closer_desktop import __version__

if TYPE_CHECKING:
    from closer_desktop.storage.library import Library
    from closer_desktop.transfer.restore import RestoreSummary


def _common_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the library folder (default: your per-user data folder)",
    )
    return common


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line. Opening the app (nothing, or `--data-dir DIR`: the common case) is read
    here as argparse would read it (tests/cli/test_parse.py holds them equal), without building
    any parser: argparse's messages load gettext and locale, a cost every start would pay for
    nothing. Anything else, including a mistyped command or a missing folder, goes through the
    whole parser and its messages."""
    args = sys.argv[1:] if argv is None else argv
    if args == []:
        return argparse.Namespace(command=None, self_check=False)
    if len(args) == 2 and args[0] == "--data-dir" and not args[1].startswith("-"):
        return argparse.Namespace(data_dir=Path(args[1]), command=None, self_check=False)
    return build_parser().parse_args(args)


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand (`closer --data-dir D export` too).
    common = _common_parser()
    parser = argparse.ArgumentParser(
        prog="closer",
        description="Rehearse the closing minutes of a job interview out loud, offline.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"closer {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="print versions, the audio backend and devices, the folders used; then exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = commands.add_parser("export", parents=[common], help="write the whole library as JSON")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument(
        "--output", "-o", type=Path, help="file to write (default: standard output)"
    )
    backup = commands.add_parser(
        "backup", parents=[common], help="write the whole library (database and audio) to a zip"
    )
    backup.add_argument("archive", type=Path, metavar="FILE.zip", help="the backup to write")
    restore = commands.add_parser(
        "restore", parents=[common], help="merge a backup zip into the library (new or existing)"
    )
    restore.add_argument("archive", type=Path, metavar="FILE.zip", help="the backup to read")
    deck = commands.add_parser("deck", parents=[common], help="list, export or import decks")
    deck_commands = deck.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    deck_commands.add_parser("list", parents=[common], help="one deck a line, its name first")
    deck_export = deck_commands.add_parser(
        "export", parents=[common], help="write a deck to a TOML file"
    )
    deck_export.add_argument("name", metavar="NAME", help="the deck's name (or id)")
    deck_export.add_argument("file", type=Path, metavar="FILE", help="the deck file to write")
    deck_import = deck_commands.add_parser(
        "import", parents=[common], help="add the deck in a TOML file (a taken name gets (2))"
    )
    deck_import.add_argument("file", type=Path, metavar="FILE", help="the deck file to read")
    report = commands.add_parser(
        "report", parents=[common], help="write a progress report: one self-contained HTML file"
    )
    report.add_argument(
        "--output", "-o", type=Path, required=True, metavar="FILE.html", help="the file to write"
    )
    analyze = commands.add_parser(
        "analyze", help="delivery measures of an audio file: pauses, loudness, pitch, pace, fillers"
    )
    analyze.add_argument("file", type=Path, metavar="FILE", help="WAV, FLAC or OGG; any rate")
    analyze.add_argument("--json", action="store_true", help="print one JSON object")
    analyze.add_argument(
        "--no-transcript", action="store_true", help="acoustic measures only (fast)"
    )
    analyze.add_argument(
        "--line", metavar="TEXT", help="the line meant: adds the line check (said, missed, changed)"
    )
    analyze.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="PHRASE",
        help="a key phrase the take must say (with --line; may be given more than once)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    head = (sys.argv[1:] if argv is None else argv)[:1]
    if head and not head[0].startswith("-"):  # a command (opening the app is not: no import)
        from closer_desktop.analysis import WORKER_COMMAND
        from closer_desktop.selfcheck import GUI_PROBE_COMMAND

        if head == [WORKER_COMMAND]:
            from closer_desktop.analysis.worker import serve  # the app's analysis process

            return serve()
        if head == [GUI_PROBE_COMMAND]:
            from closer_desktop.selfcheck import gui_probe

            return gui_probe()
    args = parse_args(argv)
    data_dir: Path
    if "data_dir" in args:
        try:
            data_dir = _chosen_folder(args.data_dir)
        except ValueError as exc:
            print(f"closer: --data-dir {args.data_dir}: {exc}", file=sys.stderr)
            return 2
    else:
        from closer_desktop.settings import chosen_data_dir  # no Qt: where it was moved, or default

        data_dir = chosen_data_dir()
    if args.self_check:
        from closer_desktop.selfcheck import run as self_check

        return self_check(data_dir)
    library_commands = ("export", "backup", "restore", "deck", "report")
    if args.command in library_commands and not _data_folder_usable(data_dir):
        return 2
    if args.command == "export":
        return _export(data_dir, args.output)
    if args.command in ("backup", "restore"):
        archive = args.archive.expanduser()
        if args.command == "restore":  # a writer: one at a time (storage/lock.py)
            return _locked(
                data_dir,
                "closer restore",
                lambda: _backup_or_restore(args.command, data_dir, archive),
            )
        return _backup_or_restore(args.command, data_dir, archive)
    if args.command == "deck":
        if args.deck_command == "import":
            return _locked(data_dir, "closer deck import", lambda: _deck(args, data_dir))
        return _deck(args, data_dir)
    if args.command == "analyze":
        return _analyze(
            args.file.expanduser(),
            as_json=args.json,
            transcribe=not args.no_transcript,
            line=args.line,
            keys=args.key,
        )
    if args.command == "report":
        return _report(data_dir, args.output.expanduser())
    from closer_desktop.ui.launch import run_gui

    return run_gui(data_dir)


def _chosen_folder(path: Path) -> Path:
    """`--data-dir` made absolute; ValueError (the reason) for a symlink loop or a file."""
    try:
        folder = path.expanduser().resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: Python 3.11's "Symlink loop"
        raise ValueError("cannot be followed (a symbolic link loop?)") from exc
    if folder.exists() and not folder.is_dir():
        raise ValueError("is a file, not a folder")
    return folder


def _unreadable(data_dir: Path, exc: Exception) -> int:
    """A library that opened but fails while it is read (damaged pages): one line, exit 2."""
    from closer_desktop.paths import DATABASE_NAME

    print(f"closer: cannot read the library {data_dir / DATABASE_NAME}: {exc}", file=sys.stderr)
    return 2


def _data_folder_usable(data_dir: Path) -> bool:
    """Say (on stderr) why the data folder is not fully to be trusted; False where it must not
    be used at all (storage/files.py: data_folder_warning)."""
    from closer_desktop.storage.files import UnsafeFolderError, data_folder_warning

    try:
        warning = data_folder_warning(data_dir)
    except UnsafeFolderError as exc:
        print(f"closer: cannot use {exc.filename}: {exc.strerror}", file=sys.stderr)
        return False
    if warning is not None:
        print(f"closer: warning: {warning}", file=sys.stderr)
    return True


def _open_library_read_only(data_dir: Path) -> Library | None:
    """The library for a command that only reads it (never changes or migrates it), or None
    after saying why it cannot be opened."""
    from closer_desktop.paths import DATABASE_NAME
    from closer_desktop.storage.database import DatabaseEnvironmentError
    from closer_desktop.storage.library import Library

    if not (data_dir / DATABASE_NAME).exists():
        print(f"closer: no library in {data_dir} (nothing recorded there yet)", file=sys.stderr)
        return None
    try:
        library = Library(data_dir, read_only=True)
    except DatabaseEnvironmentError as exc:
        print(f"closer: {exc}", file=sys.stderr)
        return None
    _warn_of_damaged_takes(library)
    return library


def _warn_of_damaged_takes(library: Library) -> None:
    """Takes whose stored values are damaged are left out of what a command writes: say so."""
    import contextlib
    import sqlite3

    from closer_desktop.storage.database import DatabaseEnvironmentError
    from closer_desktop.storage.library import unsound_takes

    with contextlib.suppress(sqlite3.Error, DatabaseEnvironmentError):  # said when it is read
        if skipped := unsound_takes(library):
            print(
                f"closer: warning: {skipped} take{'s' if skipped != 1 else ''} in "
                f"{library.data_dir} left out: their stored values are damaged",
                file=sys.stderr,
            )


def _export(data_dir: Path, output: Path | None) -> int:
    import sqlite3

    from closer_desktop.storage.database import DatabaseEnvironmentError
    from closer_desktop.transfer.export import export_json

    library = _open_library_read_only(data_dir)
    if library is None:
        return 2
    try:
        text = export_json(library, output)
    except OSError as exc:
        print(f"closer: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (DatabaseEnvironmentError, sqlite3.Error) as exc:
        return _unreadable(data_dir, exc)
    finally:
        library.close()
    if output is None:
        sys.stdout.write(text)
    else:
        print(f"exported to {output}", file=sys.stderr)
    return 0


def _locked(data_dir: Path, program: str, work: Callable[[], int]) -> int:
    """Run `work` holding the library's lock: a library another process is writing (the app, or
    another restore) is refused with exit 2 before anything is written."""
    from closer_desktop.storage.lock import LOCK_NAME, LibraryLock, LibraryLocked

    existed = data_dir.exists()
    had_lock_file = (data_dir / LOCK_NAME).exists()
    try:
        lock = LibraryLock.acquire(data_dir, program)
    except LibraryLocked as exc:
        print(f"closer: {exc}; close it first (nothing was written)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"closer: cannot use {data_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    code = 2
    try:
        code = work()
        return code
    finally:  # refused, nothing was written: neither is the lock file, nor a folder for it
        lock.release(remove_file=code != 0 and not had_lock_file, remove_folder=not existed)


def _backup_or_restore(command: str, data_dir: Path, archive: Path) -> int:
    from closer_desktop.storage.database import DatabaseEnvironmentError
    from closer_desktop.transfer.archive_format import BackupError
    from closer_desktop.transfer.backup import create_backup
    from closer_desktop.transfer.restore import RestoreCancelled, restore_backup

    warnings: list[str] = []
    try:
        if command == "backup":
            summary = create_backup(data_dir, archive)
            message, warnings = summary.describe(), summary.warnings()
        else:
            message = _restore_cancellable(archive, data_dir, restore_backup)
    except RestoreCancelled as exc:
        print(f"closer: {exc}", file=sys.stderr)
        return 130
    except (BackupError, DatabaseEnvironmentError) as exc:
        print(f"closer: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"closer: cannot {command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(message, file=sys.stderr)
    for warning in warnings:  # what the backup lacks: said as the app says it
        print(f"closer: warning: {warning}", file=sys.stderr)
    return 0


def _restore_cancellable(
    archive: Path, data_dir: Path, restore_backup: Callable[..., RestoreSummary]
) -> str:
    """Restore with Ctrl+C asking it to stop (RestoreCancelled, once it has taken back what it
    had written) rather than interrupting it wherever it happens to be."""
    import signal
    import threading

    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # no signals there
        return restore_backup(archive, data_dir).describe(data_dir)
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        return restore_backup(archive, data_dir, cancel=stop.is_set).describe(data_dir)
    finally:
        signal.signal(signal.SIGINT, previous)


def _deck(args: argparse.Namespace, data_dir: Path) -> int:
    from closer_desktop.domain.deck import DeckError, one_line
    from closer_desktop.storage.decks import DeckStore

    store = DeckStore(data_dir)
    try:
        if args.deck_command == "list":
            for entry in store.entries():
                kind = "built-in, edited" if entry.edited else "built-in" if entry.builtin else ""
                extra = f"\t{kind}" if kind else ""
                name, deck_id = one_line(entry.name), one_line(entry.id)
                print(f"{name}\t{deck_id}\t{entry.questions} questions{extra}")
            for problem in store.problems():  # a file's name may hold a line break
                print(f"closer: skipped {one_line(problem)}", file=sys.stderr)
        elif args.deck_command == "export":
            chosen = next((e for e in store.entries() if args.name in (e.name, e.id)), None)
            if chosen is None:
                names = ", ".join(repr(e.name) for e in store.entries())
                print(f"closer: no deck called {args.name!r} (decks: {names})", file=sys.stderr)
                return 2
            path = store.export_file(chosen.id, args.file.expanduser())
            print(f"exported {chosen.name!r} to {path}", file=sys.stderr)
        else:
            deck = store.import_file(args.file.expanduser())
            print(f"imported {deck.name!r} ({len(deck)} questions)", file=sys.stderr)
    except DeckError as exc:
        print(f"closer: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f"{one_line(str(exc.filename))}: " if exc.filename else ""
        print(
            f"closer: cannot {args.deck_command} the deck: {where}{exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2
    return 0


def _report(data_dir: Path, output: Path) -> int:
    import sqlite3

    from closer_desktop.reports.html import write_report
    from closer_desktop.storage.database import DatabaseEnvironmentError

    library = _open_library_read_only(data_dir)
    if library is None:
        return 2
    try:
        progress = write_report(library, output)
    except OSError as exc:
        print(f"closer: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (DatabaseEnvironmentError, sqlite3.Error) as exc:
        return _unreadable(data_dir, exc)
    finally:
        library.close()
    takes = progress.totals.takes
    print(f"report of {takes} take{'s' if takes != 1 else ''} written to {output}", file=sys.stderr)
    return 0


def _analyze(
    path: Path, *, as_json: bool, transcribe: bool, line: str | None, keys: list[str]
) -> int:
    import json

    from closer_desktop.analysis.audio_input import AnalysisInputError
    from closer_desktop.analysis.line_check import check_line
    from closer_desktop.analysis.metrics import analyse_file, describe

    if keys and line is None:
        print("closer: --key needs --line (the line the phrases belong to)", file=sys.stderr)
        return 2
    try:
        metrics = analyse_file(path, transcribe=transcribe)
    except AnalysisInputError as exc:
        print(f"closer: {exc}", file=sys.stderr)
        return 2
    match = None
    if line is not None and metrics.transcript is not None:
        match = check_line([w.text for w in metrics.words], line, keys)
    if as_json:
        data = metrics.to_json()
        if line is not None:
            data["line_match"] = match.to_json() if match else None  # null: no transcript
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(describe(metrics, path.name))
        if line is not None:
            print(f"line: {match.summary() if match else 'not checked (no transcript)'}")
            if match and not match.different:
                for change in match.changed:
                    print(f"line: said \u201c{change.said}\u201d for \u201c{change.expected}\u201d")
                if match.missed:
                    print(f"line: missed {', '.join(match.missed)}")
                if match.added:
                    print(f"line: added {', '.join(match.added)}")
    return 0
