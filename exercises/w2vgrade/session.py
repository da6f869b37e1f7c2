"""The grader's end of a student process: start it, run the cells, call functions, stop it.

A :class:`Session` starts the student process (:mod:`w2vgrade.student`, in the sandbox of
:mod:`w2vgrade.sandbox`), sends it the notebook's cells, and gives each question a
:class:`Remote`: the student's function, called from here. Arguments go as data and the
result, the arguments' new contents and what a :class:`w2vgrade.api.Recorder` saw come back
as data (:mod:`w2vgrade.wire`). The checks, their expected values and the grades stay in
this process. Every wait is bounded by the student process's CPU time and a wall-clock
backstop; past them the process (and all it started) is killed and :class:`SandboxStopped`
says why.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from w2vgrade import sandbox
from w2vgrade.wire import Refs, decode, encode, write_back

MAX_MESSAGE = 64 * 2**20


class StudentError(Exception):
    """An exception of the student's code, rebuilt from its description (:func:`student_error`):
    ``kind`` (type name), ``line`` (in the notebook's cell), ``recursion_limit`` (if changed)."""


class StudentTimeout(BaseException):
    """The student's code ran out of CPU or wall-clock time (``kind`` is "cpu" or "wall")."""

    def __init__(self, kind, seconds):
        super().__init__(kind)
        self.kind, self.seconds = kind, seconds


class StudentExit(BaseException):
    """The student's code called exit()."""


class SandboxStopped(BaseException):
    """The student process is gone (killed at a limit, crashed, or answered nonsense)."""


_CLASSES = {}


def student_error(description: dict) -> StudentError:
    """The student's exception, from the student process's description (of a cell's error or a
    call's): a built-in type is mirrored, so that the student's ValueError is caught by a
    check's ``except ValueError``. A cell's error also has ``index``, ``snippet`` and ``timeout``."""
    import builtins

    kind = str(description.get("type", "Exception"))[:80]
    base = getattr(builtins, kind, None)
    mirrored = isinstance(base, type) and issubclass(base, Exception) and base is not Exception
    name = kind if kind.isidentifier() else "StudentError"
    cls = _CLASSES.setdefault((kind, base), type(name, (StudentError, base) if mirrored else (StudentError,), {}))
    error = cls(str(description.get("message", ""))[:300])
    error.kind, error.timeout = kind, str(description.get("timeout") or "")[:8]
    error.snippet = str(description.get("snippet", ""))[:80]
    error.line, error.line_cell, error.recursion_limit, error.index = (
        value if type(value) is int else None
        for value in map(description.get, ("line", "line_cell", "recursion_limit", "index")))
    return error


class Session:
    """One student process, seen from the grader. ``kind`` is the isolation level, ``cells``
    the notebook's ``(index, source)``, ``functions`` the names the checks will call,
    ``limits`` a :class:`sandbox.Limits`; ``files`` (name: bytes) are copied into the
    process's private scratch folder, which lives as long as the session."""

    def __init__(self, kind: str, cells: list, functions: list, limits, stop_event=None, files=None):
        self.limits, self.stop_event, self.stopped, self.kinds = limits, stop_event, None, {}
        self.folder = tempfile.TemporaryDirectory(prefix="w2vgrade-", ignore_cleanup_errors=True)
        self.stderr_tail = ""
        work = Path(self.folder.name) / "work"
        work.mkdir()
        for name, data in (files or {}).items():
            (work / name).write_bytes(data)
        arguments, home = sandbox.student_command(kind, work)
        with open(Path(self.folder.name) / "stderr.log", "wb") as stderr:
            # its own process group; on Ctrl-C the wait in receive() kills it (stop_event)
            self.process = subprocess.Popen(arguments, start_new_session=True, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=stderr, env=sandbox.environment(home),
                                            cwd="/")
        self.pid = sandbox.student_pid(self.process, kind)
        self.started = time.monotonic()
        self._buffer = b""
        self._send({"limits": {**asdict(limits), "processes_counted": kind == "bwrap" and os.geteuid() != 0},
                    "workdir": home, "cells": cells, "functions": functions, "cell_wall": limits.cell_wall})

    def _send(self, message):
        try:
            self.process.stdin.write(json.dumps(message, allow_nan=False).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._stop("the student process ended") from None

    def _stop(self, reason: str) -> SandboxStopped:
        if self.stopped is None:
            self.stopped = reason
        self.close()
        return SandboxStopped(self.stopped)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the student process (and its waited-for children)."""
        try:
            fields = open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()
            return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def receive(self, cpu_budget: float, wall_budget: float):
        """The next message, waiting while the process uses < ``cpu_budget`` more CPU seconds
        and < ``wall_budget`` seconds pass (and within the whole submission's limits)."""
        cpu_start, wall_start = self.cpu_seconds(), time.monotonic()
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            if self.stop_event is not None and self.stop_event.is_set():
                raise self._stop("grading was interrupted")
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    self._ended(self.cpu_seconds())
                self._buffer += chunk
                if len(self._buffer) > MAX_MESSAGE:
                    raise self._stop(f"the student process sent more than {MAX_MESSAGE >> 20} MiB at once")
                continue
            cpu = self.cpu_seconds()
            if cpu - cpu_start > cpu_budget or cpu > self.limits.total + 2:
                raise self._stop(f"cpu:{max(cpu - cpu_start, 0):.0f}")
            now = time.monotonic()
            if now - wall_start > wall_budget or now - self.started > self.limits.wall:
                raise self._stop(f"wall:{now - wall_start:.0f}")
        line, self._buffer = self._buffer.split(b"\n", 1)
        message = None
        with contextlib.suppress(ValueError):
            message = json.loads(line)
        if type(message) is not dict:
            raise self._stop("the student process sent a malformed message")
        return message

    def _ended(self, cpu):
        if self.stop_event is not None and self.stop_event.is_set():
            raise self._stop("grading was interrupted")
        code = None
        with contextlib.suppress(subprocess.TimeoutExpired):
            code = self.process.wait(5)
        if code in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGKILL) and cpu >= self.limits.total - 1:
            raise self._stop(f"cpu-total:{self.limits.total:g}")
        if code is not None and (code < 0 or code > 128):
            raise self._stop(f"the student process was killed by signal {abs(code) % 128 or -code}")
        raise self._stop(f"the student process ended (exit status {code})")

    def run_cells(self) -> list[StudentError]:
        """Execute the notebook; the errors of the cells that raised or ran out of time."""
        message = self.receive(self.limits.total + 5, self.limits.wall)
        errors, self.kinds = message.get("cells"), message.get("kinds")
        if type(errors) is not list or type(self.kinds) is not dict:
            raise self._stop("the student process sent a malformed message")
        return [student_error(error) for error in errors if type(error) is dict]

    def function(self, name: str):
        """A :class:`Remote` for ``name``, or why it cannot be called (``"missing"`` or the
        name of the type it holds)."""
        kind = str(self.kinds.get(name, "missing"))[:60]
        return Remote(self, name) if kind == "function" else kind

    def close(self) -> None:
        """Kill the student process and everything it started, keep the end of what it wrote
        to stderr (``stderr_tail``) and remove its scratch folder; idempotent."""
        sandbox.stop(self.process)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        with contextlib.suppress(OSError):
            self.stderr_tail = (Path(self.folder.name) / "stderr.log").read_text(errors="replace")[-300:].strip()
        self.folder.cleanup()


class Remote:
    """The student's function ``name``, called from the grader: arguments go as data, the
    result and the arguments' new contents come back as data."""

    def __init__(self, session: Session, name: str, forbidden=(), substitute=None):
        self.session, self.__name__ = session, name
        self.forbidden, self.substitute, self.used = tuple(forbidden), dict(substitute or {}), None

    def with_options(self, forbidden=(), substitute=None) -> "Remote":
        return Remote(self.session, self.__name__, forbidden, substitute)

    def __call__(self, *args, **kwargs):
        import numpy as np

        from w2vgrade.api import Recorder

        refs = Refs(+1)
        refs.recorders = [value for value in (*args, *kwargs.values()) if isinstance(value, Recorder)]
        limits = self.session.limits
        self.session._send({
            "op": "call", "name": self.__name__, "args": encode(list(args), refs),
            "kwargs": encode(dict(kwargs), refs), "errstate": np.geterr(), "forbidden": list(self.forbidden),
            "substitute": self.substitute, "recorders": [recorder.source for recorder in refs.recorders]})
        message = self.session.receive(limits.cell + 2, limits.cell_wall + 10)
        self.used = self.used or (str(message["used"])[:200] if message.get("used") else None)
        try:
            for recorder, calls in zip(refs.recorders, message.get("recorded") or []):
                recorder.received(calls, refs)  # what each Recorder saw in the student process
            if "error" not in message:
                result = decode(message.get("value"), refs)
                new_args, new_kwargs = decode(message.get("args"), refs), decode(message.get("kwargs"), refs)
        except (ValueError, TypeError, KeyError, OverflowError, AttributeError):
            raise self.session._stop("the student process sent a malformed message") from None
        if "error" in message:
            raise _error(message["error"] if type(message["error"]) is dict else {}, limits)
        for original, new in zip(args, new_args or []):
            write_back(original, new)
        for key, original in kwargs.items():
            write_back(original, (new_kwargs or {}).get(key))
        return result


def _error(description: dict, limits) -> BaseException:
    error = student_error(description)
    if error.timeout:
        return StudentTimeout(error.timeout, limits.cell_wall if error.timeout == "wall" else limits.cell)
    return StudentExit() if error.kind == "SystemExit" else error
