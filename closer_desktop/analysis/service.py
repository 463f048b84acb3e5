"""Where a take's analysis runs: in a process of its own (the app), or in this one (the CLI).

The app analyses in `AnalysisProcess`, a child process that keeps the Whisper model loaded. In
the app's own process the analysis would share the interpreter lock with the window: Praat's
pitch, parts of faster-whisper and the imports behind them hold it for up to ~150 ms at a time,
and the window froze that long after a take (the soak bench saw 145 ms). In a process of its
own the analysis cannot freeze the window, a crash in its native code cannot take the app down
(the take's analysis fails, the next one starts a fresh process), and it runs at a lower CPU
priority as a whole.

The protocol is one JSON object a line over the child's stdin and stdout, strictly one request
at a time, each answered once:
    {"id": 1, "op": "warm_up"}                    -> {"id": 1, "ok": true}
    {"id": 2, "op": "analyse", "path": "/a.flac"} -> {"id": 2, "ok": true, "metrics": {...}}
    {"id": 2, "op": "cancel"}  (while 2 runs)     -> {"id": 2, "ok": false, "cancelled": true}
    failures                                       -> {"id": n, "ok": false, "error": "why"}
The child exits when its stdin closes, so it never outlives the app, even one killed with -9.

`InProcessAnalysis` does the same work on the calling thread: the child uses it, and so can
tests that need to look inside. No Qt here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any, Protocol

from closer_desktop.cli import WORKER_COMMAND

log = logging.getLogger(__name__)

NICENESS = 10  # below recording, playback and the window
POLL_S = 0.1  # how often a waiting request looks at its cancel event
CLOSE_WAIT_S = 2.0  # after closing the child's stdin, before it is killed


class Cancellable(Protocol):
    def is_set(self) -> bool: ...


class AnalysisFailed(Exception):
    """The analysis could not be done; the message says why (e.g. "not an audio file")."""


class AnalysisStopped(AnalysisFailed):
    """The analysis process stopped (it crashed, or the app is closing it)."""


class AnalysisEngine(Protocol):
    def warm_up(self) -> None: ...

    def analyse(self, path: Path, cancel: Cancellable | None = None) -> dict[str, Any]: ...

    def close(self) -> None: ...


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

    def analyse(self, path: Path, cancel: Cancellable | None = None) -> dict[str, Any]:
        from closer_desktop.analysis.metrics import analyse_file

        self._prepare_thread()
        stop: Any = cancel
        return analyse_file(path, recognizer=self._get_recognizer(), cancel=stop).to_json()

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


# In a process of its own: the app's side --------------------------------------------------------


def worker_command() -> list[str]:
    """How to start the child: this interpreter with the package, or the frozen app itself."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_COMMAND]
    return [sys.executable, "-m", "closer_desktop", WORKER_COMMAND]


class AnalysisProcess:
    """The analysis in a child process, started on first use and again after it stopped.

    `analyse` and `warm_up` block their (worker) thread until the child answers; one runs at a
    time. Setting the `cancel` event stops a transcript after its current chunk
    (transcribe.Cancelled). `close`, from any thread, ends the child and any request waiting on
    it (AnalysisStopped).
    """

    def __init__(self, command: list[str] | None = None) -> None:
        self._command = command or worker_command()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # one request at a time
        self._last_id = 0
        self._closed = False
        self.started = 0  # how many child processes were started (a crash starts another)

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def warm_up(self) -> None:
        self._call({"op": "warm_up"}, None)

    def analyse(self, path: Path, cancel: Cancellable | None = None) -> dict[str, Any]:
        metrics: dict[str, Any] = self._call({"op": "analyse", "path": str(path)}, cancel)[
            "metrics"
        ]
        return metrics

    def close(self) -> None:
        """End the child (it exits when its stdin closes; killed if it has not in 2 s)."""
        self._closed = True
        process = self._process
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            process.wait(CLOSE_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def _running(self) -> subprocess.Popen[bytes]:
        process = self._process
        if process is not None and process.poll() is None:
            return process
        if process is not None:
            log.warning(
                "the analysis process stopped (exit code %s): starting another", process.returncode
            )
            with contextlib.suppress(OSError):
                if process.stdout is not None:
                    process.stdout.close()
                if process.stdin is not None:
                    process.stdin.close()
        try:
            process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
            )
        except OSError as exc:
            raise AnalysisStopped(f"the analysis process could not start: {exc}") from exc
        self._process = process
        self.started += 1
        return process

    def _call(self, request: dict[str, Any], cancel: Cancellable | None) -> dict[str, Any]:
        with self._lock:
            if self._closed:
                raise AnalysisStopped("the analysis is shutting down")
            process = self._running()
            self._last_id += 1
            request_id = self._last_id
            self._send(process, {**request, "id": request_id})
            assert process.stdout is not None
            fd = process.stdout.fileno()
            pending = b""
            cancel_sent = False
            while True:
                if cancel is not None and not cancel_sent and cancel.is_set():
                    self._send(process, {"op": "cancel", "id": request_id})
                    cancel_sent = True
                try:
                    readable, _, _ = select.select([fd], [], [], POLL_S)
                    chunk = os.read(fd, 1 << 16) if readable else None
                except (OSError, ValueError):  # closed under us by close()
                    chunk = b""
                if chunk is None:
                    continue
                if not chunk:
                    raise self._stopped(process)
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    reply = json.loads(line)
                    if reply.get("id") == request_id:
                        return _answer(reply)

    def _send(self, process: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
        try:
            assert process.stdin is not None
            process.stdin.write(json.dumps(message).encode() + b"\n")
            process.stdin.flush()
        except (OSError, ValueError) as exc:  # the child is gone
            raise self._stopped(process) from exc

    def _stopped(self, process: subprocess.Popen[bytes]) -> AnalysisStopped:
        if self._closed:
            return AnalysisStopped("the analysis is shutting down")
        try:
            code = process.wait(CLOSE_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        return AnalysisStopped(f"the analysis process stopped unexpectedly (exit code {code})")


def _answer(reply: dict[str, Any]) -> dict[str, Any]:
    if reply.get("ok"):
        return reply
    if reply.get("cancelled"):
        from closer_desktop.analysis.transcribe import Cancelled

        raise Cancelled()
    raise AnalysisFailed(str(reply.get("error") or "the analysis failed"))


# In a process of its own: the child's side ----------------------------------------------------


def serve(requests: IO[bytes] | None = None, replies: IO[bytes] | None = None) -> int:
    """The child's loop (`closer analysis-worker`): answer requests until stdin closes.

    Its stdout carries only replies: anything else printed (by native code too) goes to stderr.
    When its stdin closes (the app closed it, or the app is gone) the child exits at once, even
    in the middle of a transcript: nobody is left to want it.
    """
    own_stdin = requests is None
    if requests is None:
        requests = sys.stdin.buffer
    if replies is None:
        replies = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    logging.basicConfig(level=logging.WARNING, format="closer analysis: %(message)s")
    jobs: queue.SimpleQueue[tuple[dict[str, Any], threading.Event] | None] = queue.SimpleQueue()
    cancels: dict[int, threading.Event] = {}

    def read() -> None:
        """On its own thread, so a cancel reaches a transcript in progress."""
        for line in requests:
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if request.get("op") == "cancel":
                event = cancels.get(request.get("id", -1))
                if event is not None:
                    event.set()
                continue
            event = cancels[request.get("id", -1)] = threading.Event()
            jobs.put((request, event))
        if own_stdin:
            os._exit(0)
        jobs.put(None)

    threading.Thread(target=read, name="analysis-requests", daemon=True).start()
    engine = InProcessAnalysis(niceness=0)  # the whole process is niced already
    while (job := jobs.get()) is not None:
        request, cancel = job
        request_id = request.get("id", -1)
        reply = _serve_one(engine, request, cancel)
        cancels.pop(request_id, None)
        replies.write(json.dumps({"id": request_id, **reply}).encode() + b"\n")
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
