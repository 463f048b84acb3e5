"""PyInstaller hook (after Friture's): bundle the PortAudio library that sounddevice uses.

The wheels for Windows and macOS carry PortAudio in `_sounddevice_data`; on Linux sounddevice
uses the system's library, so its file is copied next to the app (rthook_portaudio.py points
sounddevice at it).
"""

import ctypes.util
import os
from pathlib import Path

from PyInstaller.utils.hooks import get_module_file_attribute, logger

binaries = []
module_dir = Path(get_module_file_attribute("sounddevice")).parent
data_dir = module_dir / "_sounddevice_data" / "portaudio-binaries"
if data_dir.is_dir():
    binaries += [
        (str(lib), "_sounddevice_data/portaudio-binaries") for lib in data_dir.glob("libportaudio*")
    ]
else:
    name = ctypes.util.find_library("portaudio")  # the SONAME, e.g. "libportaudio.so.2"
    folders = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")
    found = [
        os.path.join(f, name) for f in folders if name and os.path.exists(os.path.join(f, name))
    ]
    if found:
        binaries += [(found[0], ".")]  # copied under that name, the link's target's content
    else:
        logger.warning("PortAudio not found: install libportaudio2 before building")
