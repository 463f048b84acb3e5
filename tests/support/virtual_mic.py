"""A private PulseAudio daemon that acts as a virtual microphone for recording tests.

Why: the test machines have no sound card, but we want tests that record real,
real-time audio through the same PortAudio path the app uses.  This starts a
throw-away PulseAudio daemon (user mode, also when running as root) holding:

* ``closer_speaker``  - null sink (48 kHz mono); test speech is played into it,
* ``closer_mic``      - ``module-remap-source`` of ``closer_speaker.monitor``; the
  virtual mic and the DEFAULT SOURCE (Qt hides ``.monitor`` sources, hence the remap),
* ``closer_loopback`` - null sink fed by a 20 ms ``module-loopback`` from the monitor;
  together with a suspend/resume of ``closer_speaker`` right after start it keeps the
  first capture in a process from starting ~2 s late (the sink wakes from suspend slowly),
* ``closer_playback`` - null sink that is the DEFAULT SINK, so whatever the app plays
  back does not end up in the mic; a second 20 ms loopback from its monitor and a
  suspend/resume keep every playback from starting up to 2 s late (a null sink that
  nobody asks for low latency renders in 2 s blocks).

Everything (socket, cookie, pid file, state) lives in a unique temp dir, so the real
user's ``~/.config/pulse`` is never touched and instances do not interfere.

IMPORTANT: PortAudio enumerates devices once, when ``sounddevice`` is imported.
Start the mic (which applies :attr:`VirtualMic.env` to ``os.environ``) BEFORE
``import sounddevice``, or refresh afterwards with ``sd._terminate(); sd._initialize()``.
PortAudio reaches the daemon through the ALSA ``pulse`` plugin: device names
``"pulse"`` and ``"default"``.  This module never imports sounddevice itself
(except in the ``__main__`` demo).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

__all__ = ["MIC", "PLAYBACK", "RATE", "SPEAKER", "VirtualMic", "VirtualMicUnavailable"]

SPEAKER = "closer_speaker"
"""Null sink that test audio is played into (its monitor feeds the mic)."""
MIC = "closer_mic"
"""The virtual microphone (remap of ``closer_speaker.monitor``); default source."""
PLAYBACK = "closer_playback"
"""Null sink that is the default sink, so app playback never reaches the mic."""
LOOPBACK_SINK = "closer_loopback"
"""Null sink fed by the 20 ms loopback that keeps the capture path warm."""
RATE = 48000
"""Sample rate of all sinks/sources (Hz)."""

_START_TIMEOUT_S = 5.0
_STOP_TIMEOUT_S = 3.0
# sun_path is 108 bytes on Linux; leave room for "/native".
_MAX_SOCKET_DIR_LEN = 100


class VirtualMicUnavailable(RuntimeError):
    """The virtual mic cannot be used here (missing tools, daemon did not start)."""


def _require_tools(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        raise VirtualMicUnavailable(
            f"missing executables: {', '.join(missing)} "
            "(Debian packages: pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox)"
        )


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (PID 1 may reap orphans late)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    # Format: "pid (comm) S ..." - comm may contain spaces/parens, so split at the last ')'.
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X")


class VirtualMic:
    """A private PulseAudio daemon with a virtual mic fed by a virtual speaker.

    Usage::

        with VirtualMic() as mic:        # sets PULSE_SERVER etc. in os.environ
            import sounddevice as sd     # only now: PortAudio lists devices at import
            ...
            mic.play_file(mic.speak("hello", tmp / "hello.wav"))
    """

    def __init__(self, *, start_timeout: float = _START_TIMEOUT_S) -> None:
        self._start_timeout = start_timeout
        self._dir: Path | None = None
        self._pid: int | None = None
        self._saved_environ: dict[str, str | None] = {}
        self._players: list[subprocess.Popen[bytes]] = []

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> VirtualMic:
        """Start the daemon, create the devices and apply :attr:`env` to ``os.environ``."""
        if self._dir is not None:
            raise RuntimeError("VirtualMic already started")
        _require_tools("pulseaudio", "pactl", "paplay")

        base = tempfile.gettempdir()
        if len(base) > _MAX_SOCKET_DIR_LEN - 30:
            base = "/tmp"  # keep the unix socket path under the 108-byte limit
        self._dir = Path(tempfile.mkdtemp(prefix="closer-vmic-", dir=base))
        try:
            self._start_daemon()
            self._configure()
        except BaseException:
            self._teardown()
            raise
        self._apply_environ()
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the daemon (if still running), restore ``os.environ`` and delete the temp dir.

        Safe to call more than once and after :meth:`stop_daemon_abruptly`.
        """
        atexit.unregister(self.stop)
        self._restore_environ()
        self._teardown()

    def __enter__(self) -> VirtualMic:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop_daemon_abruptly(self) -> None:
        """SIGKILL the daemon: the device vanishes as if unplugged (env/dir stay until stop())."""
        pid = self._pid
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        self._wait_gone(pid, _STOP_TIMEOUT_S)

    # ------------------------------------------------------------------ properties

    @property
    def running(self) -> bool:
        """True while the daemon process is alive."""
        return self._pid is not None and _pid_alive(self._pid)

    @property
    def pid(self) -> int | None:
        """PID of the daemon (None before start / after stop)."""
        return self._pid

    @property
    def runtime_dir(self) -> Path:
        """The private temp dir holding socket, cookie, pid file, state and log."""
        if self._dir is None:
            raise RuntimeError("VirtualMic not started")
        return self._dir

    @property
    def socket_path(self) -> Path:
        """Path of the daemon's native protocol unix socket."""
        return self.runtime_dir / "native"

    @property
    def env(self) -> dict[str, str]:
        """Env vars a client process needs to reach this daemon (and only this one).

        Must be in the environment BEFORE ``import sounddevice`` (PortAudio lists
        devices once at import; else call ``sd._terminate(); sd._initialize()``).
        ``PULSE_COOKIE``/``PULSE_CLIENTCONFIG`` stop libpulse from creating a cookie
        in, or reading config from, the real ``~/.config/pulse``.
        """
        d = self.runtime_dir
        return {
            "PULSE_SERVER": f"unix:{d / 'native'}",
            "PULSE_COOKIE": str(d / "config" / "pulse" / "cookie"),
            "PULSE_CLIENTCONFIG": str(d / "client.conf"),
            "PULSE_RUNTIME_PATH": str(d / "runtime"),
            "XDG_RUNTIME_DIR": str(d),
        }

    # ------------------------------------------------------------------ audio helpers

    def play_file(
        self, path: str | os.PathLike[str], wait: bool = True
    ) -> subprocess.Popen[bytes] | None:
        """Play a sound file into ``closer_speaker`` (i.e. into the mic) in real time.

        With ``wait=False`` returns the running ``paplay`` process (terminated by stop()).
        """
        cmd = ["paplay", f"--device={SPEAKER}", os.fspath(path)]
        env = {**os.environ, **self.env}
        if wait:
            res = subprocess.run(cmd, env=env, capture_output=True, timeout=600)
            if res.returncode != 0:
                raise RuntimeError(
                    f"paplay failed ({res.returncode}): {res.stderr.decode(errors='replace')}"
                )
            return None
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._players.append(proc)
        return proc

    @staticmethod
    def speak(text: str, path: str | os.PathLike[str], *, voice: str = "en") -> Path:
        """Write ``text`` as espeak-ng speech to ``path`` as a 48 kHz mono 16-bit WAV.

        Does not need the daemon; use it to create known test input for :meth:`play_file`.
        """
        _require_tools("espeak-ng", "sox")
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="closer-speak-") as tmp:
            raw = Path(tmp) / "espeak.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, capture_output=True
            )
            subprocess.run(
                ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)],
                check=True,
                capture_output=True,
            )
        return out

    def stop_playing(self) -> None:
        """Stop whatever :meth:`play_file` still plays, so it cannot reach the next recording."""
        for proc in self._players:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()
        self._players.clear()

    def pactl(self, *args: str) -> str:
        """Run ``pactl`` against this daemon and return its stdout (e.g. to suspend a source)."""
        res = subprocess.run(
            ["pactl", *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=_START_TIMEOUT_S,
        )
        if res.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {res.stderr.strip()}")
        return res.stdout

    # ------------------------------------------------------------------ internals

    def _daemon_env(self) -> dict[str, str]:
        """Environment for the daemon: HOME/XDG dirs all private (cookie, state, pid file)."""
        d = self.runtime_dir
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PULSE_", "DBUS_"))}
        env.update(
            HOME=str(d),
            XDG_CONFIG_HOME=str(d / "config"),
            XDG_RUNTIME_DIR=str(d),
            PULSE_RUNTIME_PATH=str(d / "runtime"),
            PULSE_STATE_PATH=str(d / "state"),
        )
        return env

    def _start_daemon(self) -> None:
        d = self.runtime_dir
        (d / "client.conf").write_text("autospawn = no\n", encoding="ascii")
        loads = [
            f"module-native-protocol-unix socket={d / 'native'} auth-anonymous=1",
            f"module-null-sink sink_name={SPEAKER} rate={RATE} channels=1 channel_map=mono "
            f"sink_properties=device.description=Closer_virtual_speaker",
            f"module-remap-source source_name={MIC} master={SPEAKER}.monitor rate={RATE} "
            "channels=1 channel_map=mono source_properties=device.description=Closer_virtual_mic",
            f"module-null-sink sink_name={LOOPBACK_SINK} rate={RATE} channels=1 channel_map=mono",
            f"module-loopback source={SPEAKER}.monitor sink={LOOPBACK_SINK} latency_msec=20",
            f"module-null-sink sink_name={PLAYBACK} rate={RATE} channels=1 channel_map=mono "
            f"sink_properties=device.description=Closer_virtual_playback",
            # Same for playback: a null sink idles in 2 s blocks, so a new output stream waited
            # up to 2 s for its first period to be taken unless something keeps the blocks short.
            f"module-loopback source={PLAYBACK}.monitor sink={LOOPBACK_SINK} latency_msec=20",
        ]
        cmd = [
            "pulseaudio",
            "--daemonize=yes",  # returns only once the daemon finished initialising
            "--system=false",  # user mode even as root (it only warns)
            "--exit-idle-time=-1",
            "--disallow-exit",
            "-n",  # no default.pa: nothing but our modules
            "--use-pid-file=yes",  # in PULSE_RUNTIME_PATH, i.e. private
            "--realtime=no",
            "--high-priority=no",
            f"--log-target=file:{d / 'daemon.log'}",
            *(f"--load={m}" for m in loads),
        ]
        try:
            res = subprocess.run(
                cmd,
                env=self._daemon_env(),
                capture_output=True,
                text=True,
                timeout=self._start_timeout,
            )
        except subprocess.TimeoutExpired as e:
            raise VirtualMicUnavailable(
                f"pulseaudio did not daemonize within {self._start_timeout} s"
            ) from e
        if res.returncode != 0:
            raise VirtualMicUnavailable(
                f"pulseaudio failed to start (rc={res.returncode}): "
                f"{res.stderr.strip()} {self._log_tail()}"
            )
        self._pid = self._read_pid()
        deadline = time.monotonic() + self._start_timeout
        while True:
            probe = subprocess.run(
                ["pactl", "info"],
                env={**os.environ, **self.env},
                capture_output=True,
                text=True,
                timeout=5,
            )
            if probe.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise VirtualMicUnavailable(
                    f"pulseaudio not reachable at {self.socket_path} within "
                    f"{self._start_timeout} s: {probe.stderr.strip()} {self._log_tail()}"
                )
            time.sleep(0.02)

    def _read_pid(self) -> int:
        pid_file = self.runtime_dir / "runtime" / "pid"
        deadline = time.monotonic() + self._start_timeout
        while time.monotonic() < deadline:
            try:
                return int(pid_file.read_text().strip())
            except (FileNotFoundError, ValueError):
                time.sleep(0.01)
        raise VirtualMicUnavailable(f"pulseaudio wrote no pid file at {pid_file}")

    def _configure(self) -> None:
        """Check devices exist (a failed --load does not stop the daemon); set defaults; warm up."""
        try:
            sinks = self._names("sinks")
            sources = self._names("sources")
            modules = self.pactl("list", "short", "modules")
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            raise VirtualMicUnavailable(
                f"querying pulseaudio failed: {e} {self._log_tail()}"
            ) from e
        missing = ({SPEAKER, PLAYBACK, LOOPBACK_SINK} - sinks) | ({MIC} - sources)
        if "module-loopback" not in modules:
            missing.add("module-loopback")
        if missing:
            raise VirtualMicUnavailable(
                f"pulseaudio came up without {sorted(missing)} {self._log_tail()}"
            )
        try:
            # Record from the mic; app playback goes to a sink that does not feed the mic.
            self.pactl("set-default-sink", PLAYBACK)
            self.pactl("set-default-source", MIC)
            # Suspend/resume + the loopback: without them the first capture starts ~2 s late.
            self.pactl("suspend-sink", SPEAKER, "1")
            self.pactl("suspend-sink", SPEAKER, "0")
            self.pactl("suspend-sink", PLAYBACK, "1")  # and the first playback, ~2 s late
            self.pactl("suspend-sink", PLAYBACK, "0")
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            raise VirtualMicUnavailable(
                f"configuring pulseaudio failed: {e} {self._log_tail()}"
            ) from e

    def _names(self, kind: str) -> set[str]:
        """Names from ``pactl list short <kind>`` (second tab-separated column)."""
        return {
            ln.split("\t")[1] for ln in self.pactl("list", "short", kind).splitlines() if "\t" in ln
        }

    def _log_tail(self) -> str:
        try:
            lines = (self.runtime_dir / "daemon.log").read_text(errors="replace").splitlines()
        except (OSError, RuntimeError):
            return ""
        errors = [ln for ln in lines if ln.startswith("E:")] or lines[-5:]
        return "| log: " + " / ".join(errors[-5:]) if errors else ""

    @staticmethod
    def _wait_gone(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while _pid_alive(pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _teardown(self) -> None:
        for proc in self._players:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self._players.clear()
        pid, self._pid = self._pid, None
        if pid is not None and _pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            if not self._wait_gone(pid, _STOP_TIMEOUT_S):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                self._wait_gone(pid, _STOP_TIMEOUT_S)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def _apply_environ(self) -> None:
        for key, value in self.env.items():
            self._saved_environ.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def _restore_environ(self) -> None:
        for key, old in self._saved_environ.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        self._saved_environ.clear()


def _demo(device: str = "pulse") -> int:
    """Record 3 s from the virtual mic while espeak speech plays; print level and correlation."""
    import numpy as np

    with VirtualMic() as mic:
        for key, value in mic.env.items():
            print(f"{key}={value}")
        import sounddevice as sd  # after start(): PortAudio lists devices at import
        import soundfile as sf

        wav = mic.speak("Testing the virtual microphone.", mic.runtime_dir / "speech.wav")
        ref, ref_rate = sf.read(wav, dtype="float32")
        assert ref_rate == RATE

        duration = 3.0
        frames = int(duration * RATE)
        chunks: list[np.ndarray] = []

        def callback(indata: np.ndarray, n: int, t: object, status: sd.CallbackFlags) -> None:
            chunks.append(indata[:, 0].copy())

        t0 = time.monotonic()
        with sd.InputStream(
            device=device, samplerate=RATE, channels=1, dtype="float32", callback=callback
        ):
            player = mic.play_file(wav, wait=False)
            while sum(len(c) for c in chunks) < frames:
                time.sleep(0.01)
        elapsed = time.monotonic() - t0
        if player is not None:
            player.wait(timeout=10)
        rec = np.concatenate(chunks)[:frames]

        rms = float(np.sqrt(np.mean(rec.astype(np.float64) ** 2)))
        n = len(rec) + len(ref)
        nfft = 1 << (n - 1).bit_length()
        xc = np.fft.irfft(np.fft.rfft(rec, nfft) * np.conj(np.fft.rfft(ref, nfft)), nfft)
        norm = float(np.linalg.norm(rec) * np.linalg.norm(ref))
        peak = int(np.argmax(np.abs(xc)))
        lag = peak if peak < nfft // 2 else peak - nfft
        ncc = float(np.abs(xc[peak]) / norm) if norm > 0 else 0.0
        print(f"device={device!r} elapsed={elapsed:.2f}s frames={len(rec)} rms={rms:.4f}")
        print(f"speech={len(ref) / RATE:.2f}s xcorr_peak={ncc:.4f} lag={lag / RATE * 1000:.1f} ms")
        return 0 if ncc > 0.9 else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(_demo(*sys.argv[1:2]))
