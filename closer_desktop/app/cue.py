"""The interviewer's cue, spoken before a question ("Do you have any questions for me?").

QtTextToSpeech's speech-dispatcher engine takes about two seconds to start (it launches a
daemon), and its constructor blocks. So the engine lives on its own Qt thread, created there on
first use; the GUI only sends it text and hears back when speech starts, ends or is unavailable.
Where no engine exists (no speech-dispatcher), `unavailable` says why and nothing is spoken.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

PREFERRED_ENGINES = ("speechd", "flite")  # real voices; "mock" is Qt's silent test engine
NO_ENGINE = (
    "No speech engine was found, so the interviewer's cue cannot be spoken. On Debian or Ubuntu: "
    "sudo apt install speech-dispatcher speech-dispatcher-espeak-ng"
)


class _Engine(QObject):
    """Owns the QTextToSpeech object; every slot runs on the speech thread."""

    ready = Signal()
    unavailable = Signal(str)
    speaking = Signal(bool)

    def __init__(self, engine: str | None) -> None:
        super().__init__()
        self._engine_name = engine
        self._tts: object | None = None
        self._failed = False

    @Slot()
    def start(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self._tts is not None or self._failed:
            return
        name = self._engine_name
        if name is None:
            engines = QTextToSpeech.availableEngines()
            name = next((e for e in PREFERRED_ENGINES if e in engines), None)
        if name is None:
            self._fail(NO_ENGINE)
            return
        tts = QTextToSpeech(name, self)
        if tts.state() == QTextToSpeech.State.Error:
            self._fail(f"The speech engine {name!r} did not start ({tts.errorString()}).")
            return
        tts.stateChanged.connect(
            lambda state: self.speaking.emit(state == QTextToSpeech.State.Speaking)
        )
        tts.errorOccurred.connect(lambda _reason, text: log.warning("speech failed: %s", text))
        self._tts = tts
        self.ready.emit()

    def _fail(self, message: str) -> None:
        self._failed = True
        self.unavailable.emit(message)

    @Slot(str)
    def say(self, text: str) -> None:
        self.start()
        if self._tts is not None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            assert isinstance(self._tts, QTextToSpeech)
            self._tts.stop()
            self._tts.say(text)

    @Slot()
    def stop(self) -> None:
        if self._tts is not None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            assert isinstance(self._tts, QTextToSpeech)
            self._tts.stop()


class CueSpeaker(QObject):
    """Speaks cues without ever blocking the GUI thread.

    Signals:
        ready(): the engine is up (the first cue may take a couple of seconds).
        unavailable(str): no engine; the text says why and what to install.
        speaking(bool): speech started or ended.
    """

    ready = Signal()
    unavailable = Signal(str)
    speaking = Signal(bool)
    _start = Signal()
    _say = Signal(str)
    _stop = Signal()

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available: bool | None = None  # None until the engine has been tried
        self.is_speaking = False
        self._thread = QThread()
        self._thread.setObjectName("closer-speech")
        self._engine = _Engine(engine)
        self._engine.moveToThread(self._thread)
        self._thread.finished.connect(self._engine.deleteLater)
        self._start.connect(self._engine.start)
        self._say.connect(self._engine.say)
        self._stop.connect(self._engine.stop)
        self._engine.ready.connect(self._on_ready)
        self._engine.unavailable.connect(self._on_unavailable)
        self._engine.speaking.connect(self._on_speaking)
        self._thread.start()

    def start(self) -> None:
        """Start the engine now (in the background), so the first cue is not late."""
        self._start.emit()

    def say(self, text: str) -> None:
        if text.strip() and self.available is not False:
            self._say.emit(text)

    def stop(self) -> None:
        self._stop.emit()

    def shutdown(self) -> None:
        self._stop.emit()
        self._thread.quit()
        self._thread.wait(5000)

    def _on_ready(self) -> None:
        self.available = True
        self.ready.emit()

    def _on_unavailable(self, message: str) -> None:
        self.available = False
        self.unavailable.emit(message)

    def _on_speaking(self, speaking: bool) -> None:
        self.is_speaking = speaking
        self.speaking.emit(speaking)
