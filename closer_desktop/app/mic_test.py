"""Settings > Audio's microphone check: a live level for the chosen microphone, and a test that
records 3 seconds and plays them back.

Both go through the app's own Recorder and Player (audio/), so what is heard is what a take
would sound like: the recorder's writer thread opens the device and writes a WAV file, the
player's worker opens the output. Nothing here waits on the GUI thread; their callbacks come
back as queued signals. The files are written to a temporary folder, never to the library, and
removed with it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio.levels import BlockLevel
from closer_desktop.audio.player import Player, read_audio
from closer_desktop.audio.recorder import Recorder, RecordingResult

TEST_S = 3.0
# The live level records to a scratch file: begun anew this often, so it never grows large.
MONITOR_RESTART_S = 30.0

IDLE, LISTENING, RECORDING, PLAYING = "idle", "listening", "recording", "playing"


class MicTest(QObject):
    """Signals:
    state_changed(str): idle, listening (the live level), recording (the test) or playing.
    message(str): what happened, in words ("Recorded 3.0 s; playing it back…").
    """

    state_changed = Signal(str)
    message = Signal(str)
    _recorder_finished = Signal(object)
    _player_finished = Signal()
    _player_error = Signal(str)

    def __init__(self, output_device: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = tempfile.TemporaryDirectory(prefix="closer-mic-test-")
        self.recorder = Recorder(lambda _rate: None, self._recorder_finished.emit)
        self.player = Player(self._player_finished.emit, self._player_error.emit, output_device)
        self.files = TaskRunner("mic-test", self)
        self._recorder_finished.connect(self._recorded)
        self._player_finished.connect(self._played)
        self._player_error.connect(lambda text: self._end(f"Playback failed: {text}"))
        self.state = IDLE
        self.device: tuple[int, int] | None = None  # (device index, sample rate)
        self._wanted = IDLE  # what to do once the recorder has stopped
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.timeout.connect(self.recorder.stop)
        # The writer thread says it finished a moment before it ends: a restart heard in that
        # moment is tried again shortly (Recorder.start refuses while the thread lives).
        self._restart_timer = QTimer(self)
        self._restart_timer.setSingleShot(True)
        self._restart_timer.setInterval(20)
        self._restart_timer.timeout.connect(lambda: self._start(self._wanted))
        self.last_test: RecordingResult | None = None

    @property
    def test_file(self) -> Path:
        return Path(self._folder.name) / "test.wav"

    def levels(self) -> list[BlockLevel]:
        """The block levels measured since the last call (for the meter, polled by the GUI)."""
        return self.recorder.take_levels()

    def listen(self, device: tuple[int, int] | None) -> None:
        """Show the live level of `device` (index, rate); None: no microphone."""
        self.device = device
        self._wanted = LISTENING
        if self.state in (RECORDING, PLAYING):
            return  # the test goes on; listening follows it
        if self.recorder.is_active:
            self.recorder.stop()  # another device, or a restart: _recorded starts it again
        else:
            self._start(LISTENING)

    def test(self) -> None:
        """Record TEST_S seconds from the device, then play them back."""
        if self.device is None:
            self.message.emit("No microphone to test.")
            return
        if self.state in (RECORDING, PLAYING):
            return
        self.player.stop()
        self._wanted = RECORDING
        if self.recorder.is_active:
            self.recorder.stop()
        else:
            self._start(RECORDING)

    def stop(self) -> None:
        """Stop listening, recording and playing (the dialog closes)."""
        self._wanted = IDLE
        self._stop_timer.stop()
        self._restart_timer.stop()
        if self.recorder.is_active:
            self.recorder.stop()
        self.player.stop()
        self._set_state(IDLE)

    def shutdown(self) -> None:
        """Stop, wait for the recorder's thread, release the output, remove the files."""
        self.stop()
        self.recorder.wait(5.0)
        self.player.close()
        self.files.shutdown()
        self._folder.cleanup()

    # Inner workings -----------------------------------------------------------------------

    def _start(self, what: str) -> None:
        if self.device is None or what == IDLE:
            self._set_state(IDLE)
            return
        if self.recorder.is_active:
            self._restart_timer.start()
            return
        index, rate = self.device
        path = self.test_file if what == RECORDING else Path(self._folder.name) / "level.wav"
        path.unlink(missing_ok=True)  # the recorder never writes over a file: the last one goes
        self.recorder.start(path, index, rate)
        self._stop_timer.start(int((TEST_S if what == RECORDING else MONITOR_RESTART_S) * 1000))
        self._set_state(what)
        if what == RECORDING:
            self.message.emit(f"Recording {TEST_S:.0f} seconds: say something…")

    def _recorded(self, result: RecordingResult) -> None:
        self._stop_timer.stop()
        was, wanted = self.state, self._wanted
        if result.error:
            self._wanted = IDLE
            self._end(result.error)
            return
        if was == RECORDING and wanted == RECORDING:
            self.last_test = result
            self._wanted = LISTENING
            self._set_state(PLAYING)
            self.message.emit(f"Recorded {result.duration_s:.1f} s; playing it back…")
            path = result.path
            self.files.run(lambda: read_audio(path), self._play, lambda e: self._end(str(e)))
            return
        self._start(wanted)  # the live level again, or the test asked for meanwhile

    def _play(self, loaded: tuple[object, int]) -> None:
        if self.state != PLAYING:
            return  # stopped meanwhile
        samples, rate = loaded
        self.player.load(samples, rate)
        self.player.play()

    def _played(self) -> None:
        if self.state == PLAYING:
            self.message.emit("That is how you sound. Test again, or choose another microphone.")
            self._set_state(IDLE)
            self._start(self._wanted)

    def _end(self, text: str) -> None:
        self.message.emit(text)
        self._set_state(IDLE)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
