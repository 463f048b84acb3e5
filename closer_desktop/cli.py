"""The `closer` command: no subcommand opens the app; subcommands work on the library headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from closer_desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand (`closer --data-dir D export` too).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the library folder (default: your per-user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="closer",
        description="Rehearse the closing minutes of a job interview out loud, offline.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"closer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = commands.add_parser("export", parents=[common], help="write the whole library as JSON")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument(
        "--output", "-o", type=Path, help="file to write (default: standard output)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir: Path
    if "data_dir" in args:
        data_dir = args.data_dir.expanduser().resolve()
    else:
        from closer_desktop.paths import default_data_dir

        data_dir = default_data_dir()
    if args.command == "export":
        return _export(data_dir, args.output)
    from closer_desktop.ui.app import run_gui

    return run_gui(data_dir)


def _export(data_dir: Path, output: Path | None) -> int:
    from closer_desktop.paths import DATABASE_NAME
    from closer_desktop.storage.database import DatabaseEnvironmentError
    from closer_desktop.storage.export import export_json
    from closer_desktop.storage.library import Library

    if not (data_dir / DATABASE_NAME).exists():
        print(f"closer: no library in {data_dir} (nothing recorded there yet)", file=sys.stderr)
        return 2
    try:
        library = Library(data_dir)
    except DatabaseEnvironmentError as exc:
        print(f"closer: {exc}", file=sys.stderr)
        return 2
    try:
        text = export_json(library, output)
    except OSError as exc:
        print(f"closer: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        library.close()
    if output is None:
        sys.stdout.write(text)
    else:
        print(f"exported to {output}", file=sys.stderr)
    return 0
