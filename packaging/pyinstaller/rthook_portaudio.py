"""Runtime hook (frozen app only): make sounddevice load the PortAudio bundled with the app.

sounddevice asks `ctypes.util.find_library("portaudio")`, which on Linux finds the system's copy
or nothing; answering with the bundled file makes the app independent of libportaudio2.
"""

import ctypes.util
import os
import sys

_find_library = ctypes.util.find_library


def _find_bundled(name: str) -> str | None:
    if name == "portaudio":
        base = getattr(sys, "_MEIPASS", "")
        for candidate in ("libportaudio.so.2", "libportaudio.so"):
            path = os.path.join(base, candidate)
            if os.path.exists(path):
                return path
    return _find_library(name)


ctypes.util.find_library = _find_bundled
