"""`closer --self-check`: what this installation is made of, and whether each part loads.

Prints the versions (Closer, Python, Qt and PySide6, numpy, libsndfile, PortAudio), the audio
backend with its input and output devices, whether the analysis process starts, and the data,
settings and log folders. Exit code 0
when the parts needed to run the app load, 1 otherwise; having no audio device is not a failure
(the app runs without a microphone), a missing PortAudio or Qt is. Nor is having no display: the
GUI is started in a child process (Qt aborts a process whose display it cannot reach), and when
it cannot reach the display it is checked again offscreen. The About box shows the same versions
(`versions()`).

Used to check a frozen build (packaging/build.sh runs it offscreen) and a fresh install.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from closer_desktop import APP_ID, __version__

# `closer gui-probe`: starts Qt's GUI for the check in a child process (cli.py dispatches it to
# `gui_probe`). Not for people.
GUI_PROBE_COMMAND = "gui-probe"


def versions() -> list[tuple[str, str]]:
    """(component, version) for everything Closer is built on; "missing: why" when it fails."""
    import platform  # here, not at the top: the `closer` command imports this module

    rows: list[tuple[str, str]] = [
        ("Closer", __version__),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
    ]

    def qt() -> str:
        import PySide6
        from PySide6.QtCore import qVersion

        return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"

    def numpy() -> str:
        import numpy as np

        return str(np.__version__)

    def sndfile() -> str:
        import soundfile

        return f"libsndfile {soundfile.__libsndfile_version__} (soundfile {soundfile.__version__})"

    def portaudio() -> str:
        from closer_desktop.audio.devices import load_sounddevice

        sd = load_sounddevice()
        text = str(sd.get_portaudio_version()[1])
        return f"{text} (sounddevice {sd.__version__}, {_library_file(sd)})"

    for name, probe in (
        ("Qt", qt),
        ("numpy", numpy),
        ("Audio files", sndfile),
        ("PortAudio", portaudio),
    ):
        rows.append((name, _attempt(probe)))
    return rows


def _attempt(probe: Callable[[], str]) -> str:
    try:
        return probe()
    except Exception as exc:  # a self-check reports every failure, whatever it is
        return f"missing: {exc}"


def _library_file(sd: object) -> str:
    """The PortAudio shared library actually loaded (in a frozen build: the bundled one)."""
    name = str(getattr(sd, "_libname", "?"))
    try:  # the file mapped into this process, whatever name found it
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return name
    for line in maps.splitlines():
        if "libportaudio" in line:
            return line.split()[-1]
    return name


def audio_devices() -> tuple[str, list[str]]:
    """(the host APIs, one line per device) or ("unavailable: why", [])."""
    try:
        from closer_desktop.audio.devices import load_sounddevice

        sd = load_sounddevice()
        apis = ", ".join(str(api["name"]) for api in sd.query_hostapis())
        default_in, default_out = sd.default.device
        lines = []
        for index, info in enumerate(sd.query_devices()):
            kinds = []
            if int(info["max_input_channels"]) > 0:
                kinds.append("input" + (", default" if index == default_in else ""))
            if int(info["max_output_channels"]) > 0:
                kinds.append("output" + (", default" if index == default_out else ""))
            rate = int(info["default_samplerate"])
            lines.append(f"{index}: {info['name']} ({'; '.join(kinds)}; {rate} Hz)")
        return apis, lines
    except Exception as exc:
        return f"unavailable: {exc}", []


def run(data_dir: Path, out: TextIO | None = None) -> int:
    """Print the report; 0 when Qt, numpy, libsndfile and PortAudio all load."""
    out = out or sys.stdout
    rows = versions()
    width = max(len(name) for name, _ in rows) + 1
    print(f"Closer self-check ({APP_ID})", file=out)
    for name, value in rows:
        print(f"  {name + ':':<{width}} {value}", file=out)
    apis, devices = audio_devices()
    print(f"  {'Audio:':<{width}} {apis}", file=out)
    if devices:
        for line in devices:
            print(f"    {line}", file=out)
    elif not apis.startswith("unavailable"):
        print("    no audio devices (recording is off until a microphone is connected)", file=out)
    qt_ok = _gui_check(out, width)
    analysis_ok = _analysis_check(out, width)
    for name, path in _folders(data_dir):
        print(f"  {name + ':':<{width}} {path}", file=out)
    failed = [name for name, value in rows if value.startswith("missing")]
    if not qt_ok:
        failed.append("Qt widgets")
    if not analysis_ok:
        failed.append("analysis process")
    if failed:
        print(f"self-check FAILED: {', '.join(failed)}", file=out)
        return 1
    print("self-check passed", file=out)
    return 0


GUI_PROBE_SECONDS = 30.0


def _gui_check(out: TextIO, width: int) -> bool:
    """Start the GUI (a QApplication, the icon rendered) in a child process; when it cannot
    reach a display, say so and check Qt offscreen instead: no display is no failure."""
    import os

    env = dict(os.environ)
    if not any(env.get(v) for v in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"  # no screen to try
    works, said = _probe_gui(env)
    if works is None and env.get("QT_QPA_PLATFORM") != "offscreen":
        works, offscreen = _probe_gui({**env, "QT_QPA_PLATFORM": "offscreen"})
        said = f"no display ({said}); offscreen: {offscreen}"
    print(f"  {'GUI:':<{width}} {said}", file=out)
    return works is True


def _probe_gui(env: dict[str, str]) -> tuple[bool | None, str]:
    """(True: the icon rendered, False: it did not, None: the GUI did not start) and what the
    child said, or why it did not start."""
    import signal
    import subprocess

    from closer_desktop.analysis import WORKER_COMMAND
    from closer_desktop.analysis.process import worker_command

    command = [part for part in worker_command() if part != WORKER_COMMAND]
    try:
        done = subprocess.run(
            [*command, GUI_PROBE_COMMAND],
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            timeout=GUI_PROBE_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None, f"no answer in {GUI_PROBE_SECONDS:g} s"
    except OSError as exc:
        return False, f"missing: {exc}"
    answer = done.stdout.strip().splitlines()
    if done.returncode in (0, 1) and answer:
        return done.returncode == 0, answer[-1]
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    reason = next((line for line in lines if "display" in line), lines[-1] if lines else "")
    if done.returncode < 0:
        try:
            name = signal.Signals(-done.returncode).name
        except ValueError:
            name = f"signal {-done.returncode}"
        reason = f"{reason}, Qt stopped with {name}" if reason else f"Qt stopped with {name}"
    return None, reason or f"exit code {done.returncode}"


def gui_probe() -> int:
    """`closer gui-probe` (run by `_probe_gui`): start a QApplication on the current platform
    plugin and render the icon; one line on stdout, exit 0 when it rendered."""
    try:
        from PySide6.QtGui import QIcon
        from PySide6.QtWidgets import QApplication

        from closer_desktop.paths import resource_path

        QApplication(sys.argv[:1])
        icon = QIcon(str(resource_path("icons", "closer.svg")))
        drawn = not icon.pixmap(64, 64).isNull()
        print(
            f"platform {QApplication.platformName()}, icon "
            f"{'rendered' if drawn else 'NOT rendered (no SVG support)'}"
        )
        return 0 if drawn else 1
    except Exception as exc:  # a self-check reports every failure, whatever it is
        print(f"missing: {exc}")
        return 1


def _analysis_check(out: TextIO, width: int) -> bool:
    """Start the app's analysis process (in a frozen build: the app binary itself, with its
    worker command) and have it load what it analyses with."""
    try:
        from closer_desktop.analysis.process import AnalysisProcess
        from closer_desktop.analysis.transcribe import speech_unavailable

        process = AnalysisProcess()
        try:
            process.warm_up()
        finally:
            process.close()
        speech = "with transcripts" if speech_unavailable() is None else "without transcripts"
        print(f"  {'Analysis:':<{width}} runs in its own process, {speech}", file=out)
        return True
    except Exception as exc:
        print(f"  {'Analysis:':<{width}} missing: {exc}", file=out)
        return False


def _folders(data_dir: Path) -> list[tuple[str, str]]:
    from closer_desktop.logs import log_dir
    from closer_desktop.paths import config_dir, resource_path

    return [
        ("Data folder", str(data_dir)),
        ("Settings", str(config_dir())),
        ("Logs", str(log_dir())),
        ("Resources", str(resource_path())),
    ]
