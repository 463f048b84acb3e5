"""The child's side of the analysis process (`closer analysis-worker`), and analysis here.

`serve` is the child's loop: it reads the requests that process.py's `AnalysisProcess` sends
(the protocol is described there) and answers each with `InProcessAnalysis`, which does the work
on the calling thread; the CLI's `analyze` and tests that need to look inside use it directly.
No Qt here, and nothing heavy at import: the child imports the analysis with its first request.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import IO, Any, Protocol

log = logging.getLogger(__name__)

NICENESS = 10  # below recording, playback and the window


class Cancellable(Protocol):
    def is_set(self) -> bool: ...


# In this process -----------------------------------------------------------------------------


class InProcessAnalysis:
    """Analysis on the calling thread. The thread is niced by `niceness` on first use (a
    per-thread setting on Linux that the recogniser's threads, started from it, inherit)."""

    def __init__(self, niceness: int = NICENESS) -> None:
        self._niceness = niceness
        self._recognizer: Any = None
        self._speech_checked = False
        self._prepared = threading.local()

    def warm_up(self) -> None:
        """Import the analysis code and load the speech model now, not with the first take."""
        self._prepare_thread()
        import parselmouth  # noqa: F401  (acoustics imports it at the first pitch)

        import closer_desktop.analysis.metrics  # noqa: F401

        self._get_recognizer()

    def analyse(
        self, path: Path, cancel: Cancellable | None = None, audio_s: float = 0.0
    ) -> dict[str, Any]:
        from closer_desktop.analysis.metrics import analyse_file

        self._prepare_thread()
        stop: Any = cancel
        return analyse_file(path, recognizer=self._get_recognizer(), cancel=stop).to_json()

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass

    def _prepare_thread(self) -> None:
        if getattr(self._prepared, "done", False):
            return
        self._prepared.done = True
        if self._niceness:
            with contextlib.suppress(OSError, AttributeError):  # Linux: per thread
                tid = threading.get_native_id()
                priority = os.getpriority(os.PRIO_PROCESS, tid) + self._niceness
                os.setpriority(os.PRIO_PROCESS, tid, priority)

    def _get_recognizer(self) -> Any:
        """The Recognizer (loaded once per process); None when speech recognition is not
        installed (the metrics then say how to enable it)."""
        if self._recognizer is None and not self._speech_checked:
            self._speech_checked = True
            self._recognizer = background_recognizer()
        return self._recognizer


_background: Any = None
_background_lock = threading.Lock()


def background_recognizer() -> Any:
    """A Recognizer for background analysis, made on a (niced) analysis thread: the threads
    the native library starts then inherit its lower priority. It leaves one core free."""
    global _background
    with _background_lock:
        if _background is None:
            from closer_desktop.analysis.transcribe import (
                Recognizer,
                SpeechUnavailable,
                speech_unavailable,
            )

            if speech_unavailable() is None:
                try:
                    _background = Recognizer(threads=max(1, (os.cpu_count() or 1) - 1))
                except SpeechUnavailable as exc:
                    log.warning("no transcripts: %s", exc)
        return _background


# In a process of its own: the child's side ----------------------------------------------------


def serve(requests: IO[bytes] | None = None, replies: IO[bytes] | None = None) -> int:
    """The child's loop (`closer analysis-worker`): answer requests until stdin closes.

    Its stdout carries only replies: anything else printed (by native code too) goes to stderr,
    which the app logs. When its stdin closes (the app closed it, or the app is gone) the child
    exits at once, even in the middle of a transcript: nobody is left to want it. Ctrl+C in a
    terminal is the app's to handle, not the child's.
    """
    own_stdin = requests is None
    if requests is None:  # the real child (tests pass streams): set up the process
        requests = sys.stdin.buffer
        with contextlib.suppress(ValueError):  # only possible on the main thread
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if replies is None:
        replies = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    jobs: queue.SimpleQueue[tuple[dict[str, Any], threading.Event] | None] = queue.SimpleQueue()
    cancels: dict[int, threading.Event] = {}

    def read() -> None:
        """On its own thread, so a cancel reaches a transcript in progress."""
        try:
            for line in requests:
                try:
                    request = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(request, dict) or not isinstance(request.get("id"), int):
                    continue
                if request.get("op") == "cancel":
                    event = cancels.get(request["id"])
                    if event is not None:
                        event.set()
                    continue
                event = cancels[request["id"]] = threading.Event()
                jobs.put((request, event))
        finally:  # stdin closed, or unreadable: the app is gone or wants the child gone
            if own_stdin:
                os._exit(0)
            jobs.put(None)

    threading.Thread(target=read, name="analysis-requests", daemon=True).start()
    engine = InProcessAnalysis(niceness=0)  # the whole process is niced already
    while (job := jobs.get()) is not None:
        request, cancel = job
        reply = _serve_one(engine, request, cancel)
        cancels.pop(request["id"], None)
        replies.write(json.dumps({"id": request["id"], **reply}).encode() + b"\n")
        replies.flush()
    return 0


def _serve_one(
    engine: InProcessAnalysis, request: dict[str, Any], cancel: threading.Event
) -> dict[str, Any]:
    from closer_desktop.analysis.transcribe import Cancelled

    try:
        if request.get("op") == "warm_up":
            engine.warm_up()
            return {"ok": True}
        if request.get("op") == "analyse":
            return {"ok": True, "metrics": engine.analyse(Path(request["path"]), cancel)}
        return {"ok": False, "error": f"unknown request {request.get('op')!r}"}
    except Cancelled:
        return {"ok": False, "cancelled": True}
    except Exception as exc:  # the app reports it; the child serves the next request
        log.debug("request failed", exc_info=True)
        return {"ok": False, "error": str(exc) or type(exc).__name__}
