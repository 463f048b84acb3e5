"""Allow `python -m closer_desktop`."""

from closer_desktop.cli import main

raise SystemExit(main())
