"""The frozen app's entry point: the `closer` command (GUI by default, subcommands as usual)."""

from closer_desktop.cli import main

raise SystemExit(main())
