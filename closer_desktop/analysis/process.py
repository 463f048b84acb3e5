"""The app's side of the analysis process: starting the child, its requests, the watchdog.

The app analyses in `AnalysisProcess`, a child process that keeps the Whisper model loaded. In
the app's own process the analysis would share the interpreter lock with the window: Praat's
pitch, parts of faster-whisper and the imports behind them hold it for long stretches, and the
window would freeze that long after a take. In a process of its own the analysis cannot freeze
the window, a crash in its native code cannot take the app down (the take's analysis fails, the
next one starts a fresh process), and it runs at a lower CPU priority as a whole.

The protocol is one JSON object a line over the child's stdin and stdout, strictly one request
at a time, each answered once:
    {"id": 1, "op": "warm_up"}                    -> {"id": 1, "ok": true}
    {"id": 2, "op": "analyse", "path": "/a.flac"} -> {"id": 2, "ok": true, "metrics": {...}}
    {"id": 2, "op": "cancel"}  (while 2 runs)     -> {"id": 2, "ok": false, "cancelled": true}
    failures                                       -> {"id": n, "ok": false, "error": "why"}
The child (worker.py's `serve`) exits when its stdin closes, so it never outlives the app, even
one killed with -9. Replies are read on a thread of their own into a queue, which a request
waits on with a timeout: no select() or poll() on the pipe, which not every platform offers for
pipes. No Qt here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO, Any, Protocol

from closer_desktop.analysis import WORKER_COMMAND
from closer_desktop.analysis.worker import Cancellable

log = logging.getLogger(__name__)

POLL_S = 0.1  # how often a waiting request looks at its cancel event
CLOSE_WAIT_S = 0.25  # after closing its stdin (a live child exits at once), before a kill
MAX_FAILED_STARTS = 3  # children in a row dead while warming up: then not started again
# A request not answered in this long is taken for a hung child, which is killed: a minute, plus
# three times the take's length (the transcript runs at 5-10x real time on a 2-core machine).
PATIENCE_BASE_S = 60.0
PATIENCE_PER_AUDIO_S = 3.0


class AnalysisFailed(Exception):
    """The analysis could not be done; the message says why (e.g. "not an audio file")."""


class AnalysisStopped(AnalysisFailed):
    """The analysis process stopped (it crashed, or the app is closing it)."""


class AnalysisEngine(Protocol):
    def warm_up(self) -> None: ...

    def analyse(
        self, path: Path, cancel: Cancellable | None = None, audio_s: float = 0.0
    ) -> dict[str, Any]: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


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
    (transcribe.Cancelled). `stop` ends the child (the next request starts another); `close`,
    from any thread, ends it for good, and any request waiting on it (AnalysisStopped). The
    child's stderr (its warnings, a traceback) goes to the app's log. A child that does not
    answer in time (PATIENCE_*) is taken for hung and killed. Each new child warms up first
    (loads what it needs); one that dies before that is done, MAX_FAILED_STARTS times in a row,
    is not started again: every request then fails at once with the reason, instead of
    starting a doomed process per take. Dying on a take does not count.
    """

    def __init__(self, command: list[str] | None = None) -> None:
        self._command = command or worker_command()
        self._process: subprocess.Popen[bytes] | None = None
        self._calls = threading.Lock()  # one request at a time; held while one waits
        self._state = threading.Lock()  # _process and _closed, between close() and a request
        self._last_id = 0
        self._closed = False
        self._answered = False  # the current child has answered at least once
        self._failed_starts = 0  # children in a row that died before their warm-up was done
        self._errors: deque[str] = deque(maxlen=20)  # the last lines the children wrote to stderr
        self._error_reader: threading.Thread | None = None
        # The current child's stdout, line by line, filled by its reader thread; None at its end.
        self._replies: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.started = 0  # how many child processes were started (a crash starts another)

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def warm_up(self) -> None:
        self._call({"op": "warm_up"}, None, PATIENCE_BASE_S)

    def analyse(
        self, path: Path, cancel: Cancellable | None = None, audio_s: float = 0.0
    ) -> dict[str, Any]:
        """The metrics of the file; `audio_s`, its length if known, sets how long to wait for
        them before the child is taken for hung and killed (AnalysisStopped)."""
        patience = PATIENCE_BASE_S + PATIENCE_PER_AUDIO_S * max(0.0, audio_s)
        metrics = self._call({"op": "analyse", "path": str(path)}, cancel, patience).get("metrics")
        if not isinstance(metrics, dict):
            raise AnalysisStopped("the analysis process sent an invalid reply")
        return metrics

    def close(self) -> None:
        """End the child for good: later requests fail (AnalysisStopped)."""
        with self._state:
            self._closed = True
        self.stop()

    def stop(self) -> None:
        """End the child: its stdin closes and it exits (killed if it has not within
        CLOSE_WAIT_S). A request waiting on it fails; the next one starts another (unless
        closed)."""
        with self._state:
            process = self._process
        if process is None:
            return
        _end(process)  # its reply reader then sees the end of its stdout and closes it

    def _running(self) -> subprocess.Popen[bytes]:
        """The child, started if need be (called with _calls held)."""
        process = self._process
        if process is not None and process.poll() is None:
            return process
        if process is not None:
            log.warning("the analysis process stopped (exit code %s)", process.returncode)
            _end(process)  # already exited: this only closes its stdin
            if not self._answered:
                self._failed_starts += 1
            with self._state:
                if self._process is process:
                    self._process = None  # said once, counted once
        if self._failed_starts >= MAX_FAILED_STARTS:
            raise AnalysisStopped(f"the analysis process cannot start{self._last_error()}")
        self._errors.clear()  # what went wrong is said by this child's stderr, not an older one's
        try:
            process = subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                close_fds=True,
            )
        except OSError as exc:
            raise AnalysisStopped(f"the analysis process could not start: {exc}") from exc
        assert process.stderr is not None and process.stdout is not None
        self._error_reader = threading.Thread(
            target=self._log_errors, args=(process.stderr,), name="analysis-stderr", daemon=True
        )
        self._error_reader.start()
        self._replies = queue.SimpleQueue()  # a new child's: nothing an older one said
        threading.Thread(
            target=_read_replies,
            args=(process.stdout, self._replies),
            name="analysis-replies",
            daemon=True,
        ).start()
        with self._state:
            closed = self._closed
            if not closed:
                self._process = process
        if closed:  # close() came while it started
            _end(process)
            raise AnalysisStopped("the analysis is shutting down")
        self._answered = False
        self.started += 1
        return process

    def _call(
        self, request: dict[str, Any], cancel: Cancellable | None, patience_s: float
    ) -> dict[str, Any]:
        with self._calls:
            with self._state:
                closed = self._closed
            if closed:
                raise AnalysisStopped("the analysis is shutting down")
            if cancel is not None and cancel.is_set():  # stopped before it began: not sent
                from closer_desktop.analysis.transcribe import Cancelled

                raise Cancelled()
            process = self._running()
            if not self._answered and request.get("op") != "warm_up":
                # A new child warms up first, so that only dying then counts as failing to
                # start: one that dies on a take (a file that crashes native code) does not.
                self._exchange(process, {"op": "warm_up"}, None, PATIENCE_BASE_S)
            return self._exchange(process, request, cancel, patience_s)

    def _exchange(
        self,
        process: subprocess.Popen[bytes],
        request: dict[str, Any],
        cancel: Cancellable | None,
        patience_s: float,
    ) -> dict[str, Any]:
        """Send `request` and wait for its reply (called with _calls held)."""
        self._last_id += 1
        request_id = self._last_id
        self._send(process, {**request, "id": request_id})
        replies = self._replies
        cancel_sent = False
        deadline = time.monotonic() + patience_s
        while True:
            if time.monotonic() > deadline:
                _end(process, wait_s=0)
                raise AnalysisStopped(
                    f"the analysis gave no answer in {patience_s:.0f} s and was stopped"
                )
            if cancel is not None and not cancel_sent and cancel.is_set():
                self._send(process, {"op": "cancel", "id": request_id})
                cancel_sent = True
            try:
                line = replies.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if line is None:
                raise self._stopped(process)
            try:
                reply = json.loads(line)
            except ValueError:
                reply = None
            if not isinstance(reply, dict):
                _end(process, wait_s=0)
                raise AnalysisStopped("the analysis process sent an invalid reply")
            if reply.get("id") == request_id:
                self._answered = True
                self._failed_starts = 0
                return _answer(reply)

    def _send(self, process: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
        try:
            assert process.stdin is not None
            process.stdin.write(json.dumps(message).encode() + b"\n")
            process.stdin.flush()
        except (OSError, ValueError) as exc:  # the child is gone (or stop() closed its stdin)
            raise self._stopped(process) from exc

    def _stopped(self, process: subprocess.Popen[bytes]) -> AnalysisStopped:
        with self._state:
            closed = self._closed
        if closed:
            return AnalysisStopped("the analysis is shutting down")
        code = _end(process)
        if self._error_reader is not None:  # its last words (a traceback's last line) first
            self._error_reader.join(1.0)
        return AnalysisStopped(
            f"the analysis process stopped unexpectedly (exit code {code}){self._last_error()}"
        )

    def _log_errors(self, stream: IO[bytes]) -> None:
        """On its own thread, for each child: what it writes to stderr, into the app's log."""
        with contextlib.suppress(OSError, ValueError), stream:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    self._errors.append(line)
                    log.warning("analysis process: %s", line)

    def _last_error(self) -> str:
        return f": {self._errors[-1]}" if self._errors else ""


def _read_replies(stream: IO[bytes], replies: queue.SimpleQueue[bytes | None]) -> None:
    """On its own thread, for each child: its stdout's lines into `replies`, then None at its
    end (the child exited or was ended); the stream is closed here, by its only reader."""
    try:
        with contextlib.suppress(OSError, ValueError), stream:
            for line in stream:
                replies.put(line)
    finally:
        replies.put(None)


def _end(process: subprocess.Popen[bytes], wait_s: float = CLOSE_WAIT_S) -> int:
    """Close the child's stdin (it exits at once when it does), wait, kill: its exit code."""
    with contextlib.suppress(OSError, ValueError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        return process.wait(wait_s)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def _answer(reply: dict[str, Any]) -> dict[str, Any]:
    if reply.get("ok"):
        return reply
    if reply.get("cancelled"):
        from closer_desktop.analysis.transcribe import Cancelled

        raise Cancelled()
    raise AnalysisFailed(str(reply.get("error") or "the analysis failed"))
