"""Playing back the take the practice page shows.

A take's audio is read on the file worker, so it arrives a moment after the take is chosen; a
play asked for meanwhile waits for it (a second one cancels that), and audio that arrives for a
take no longer shown is dropped. That bookkeeping and the player's callbacks, which come from
audio and worker threads, are kept here, out of the practice controller.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from closer_desktop.app.tasks import TaskRunner
from closer_desktop.audio.player import Player, read_audio
from closer_desktop.domain.practice import Take


class Playback(QObject):
    """The shown take's player: loads its audio, plays, pauses and stops it.

    Signals:
        changed(bool): playing or not.
        message(str, str): (level, text) for the status area.
    """

    changed = Signal(bool)
    message = Signal(str, str)

    # Bridges from the player's audio and worker threads (queued because emitted from there).
    _player_finished = Signal()
    _player_error = Signal(str)

    def __init__(
        self,
        files: TaskRunner,
        data_dir: Path,
        output_device: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.files = files
        self.data_dir = data_dir
        self.player = Player(self._player_finished.emit, self._player_error.emit)
        self.player.device = output_device  # by name; None: the default output
        self.can_play: Callable[[], bool] = lambda: True  # False: play and pause do nothing
        self._take: Take | None = None
        self._loaded_take_id: int | None = None
        self._play_when_loaded = False
        self._player_finished.connect(lambda: self.changed.emit(False))
        self._player_error.connect(self._on_player_error)

    def show(self, take: Take | None) -> None:
        """Make `take` the one to play (None: none); another take's audio is read anew."""
        previous, self._take = self._take, take
        if previous is not None and take is not None and previous.id == take.id:
            return
        self._play_when_loaded = False
        self.player.unload()
        self._loaded_take_id = None
        self.changed.emit(False)
        if take is not None:
            self._load(take)

    def toggle(self) -> None:
        """Play or pause the shown take (once its audio is in)."""
        if not self.can_play():
            return
        if self._take is None:
            self.message.emit("info", "Record a take first (Space), then play it back with P.")
            return
        if self._loaded_take_id != self._take.id:
            # Still reading the file: play as soon as it is in (a second P cancels that).
            self._play_when_loaded = not self._play_when_loaded
            return
        self.player.toggle()
        self.changed.emit(self.player.is_playing)

    def stop(self) -> None:
        self.player.stop()
        self.changed.emit(False)

    def close(self) -> None:
        """Release the output device (at exit)."""
        self.player.close()

    def _load(self, take: Take) -> None:
        path = self.data_dir / take.audio_path

        def loaded(result: tuple[Any, int]) -> None:
            if self._take is None or self._take.id != take.id:
                return  # another take is shown by now
            samples, rate = result
            self.player.load(samples, rate)
            self._loaded_take_id = take.id
            if self._play_when_loaded:
                self._play_when_loaded = False
                self.toggle()

        def failed(exc: BaseException) -> None:
            self._play_when_loaded = False
            self.message.emit("error", str(exc))

        self.files.run(lambda: read_audio(path, compact=True), loaded, failed)

    @Slot(str)
    def _on_player_error(self, text: str) -> None:
        self.changed.emit(False)
        self.message.emit("error", text)
