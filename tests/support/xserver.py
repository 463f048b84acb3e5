"""A private X server (Xvfb) for the few tests that need a real platform plugin (xcb): the
offscreen platform has no platform theme, so it hides what the desktop's theme would add (Qt's
fallback icons on dialog buttons, for one)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def x_display(size: str = "1280x800") -> Iterator[str]:
    """Start Xvfb on a free display number (it picks one and tells us) and yield ":N"."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)
