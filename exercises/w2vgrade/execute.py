"""Running one submission in its own worker process and kernel, with time limits.

:func:`run_submission` copies the notebook into a fresh temporary folder (the submission itself
is only read), starts ``python -m w2vgrade.worker`` in a new process group, hands it the job
(including a random nonce) on stdin and waits at most ``total + GRACE_SECONDS``. The worker
enforces the per-cell and total limits itself; if it does not come back in time, the worker's
and the kernel's process groups are killed with SIGKILL. Whatever happens, the caller gets a
report dict and the temporary folder is removed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from w2vgrade.checks import DEFAULT_PACKAGE
from w2vgrade.protocol import WORKER_MARKER

GRACE_SECONDS = 20.0
_running = set()
_running_lock = threading.Lock()


@dataclass(frozen=True)
class Limits:
    """Time limits in seconds: per executed cell (and per question), and for a whole submission."""

    cell: float = 30.0
    total: float = 300.0

    def __post_init__(self):
        for name in ("cell", "total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"time limit {name} must be a number of seconds > 0, got {value!r}")


def kernel_environment(temporary: Path) -> dict:
    """Environment for the worker and its kernel: reproducible, single-threaded, isolated."""
    environment = dict(os.environ)
    environment.update(
        PYTHONHASHSEED="0",
        MPLBACKEND="Agg",
        W2VGRADE_GRADING="1",
        # --jobs kernels share the machine; one BLAS thread each keeps them from fighting.
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        # The grader's own IPython startup files and Jupyter runtime files stay out of it.
        IPYTHONDIR=str(temporary / "ipython"),
        JUPYTER_RUNTIME_DIR=str(temporary / "runtime"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return environment


def run_submission(notebook: Path, exercise: str, question_ids: list[str], limits: Limits,
                   package: str = DEFAULT_PACKAGE) -> dict:
    """Execute a copy of ``notebook`` and its checks; the worker's report plus ``"failure"``.

    ``failure`` is None, or says why no report came back (worker killed at the hard limit,
    worker crashed).
    """
    nonce = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="w2vgrade-") as temporary_name:
        temporary = Path(temporary_name)
        run_dir = temporary / "run"
        control = temporary / "control"
        run_dir.mkdir()
        control.mkdir()
        copy = run_dir / Path(notebook).name
        shutil.copyfile(notebook, copy)
        job = {
            "notebook": str(copy),
            "exercise": exercise,
            "questions": list(question_ids),
            "package": package,
            "nonce": nonce,
            "cell_timeout": limits.cell,
            "total_timeout": limits.total,
            "kernel_pid_file": str(control / "kernel.pid"),
            "kernel_log": str(control / "kernel.log"),
        }
        failure = None
        with open(control / "worker.log", "wb") as worker_log:
            process = subprocess.Popen(
                [sys.executable, "-m", "w2vgrade.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=worker_log,
                cwd=control,
                env=kernel_environment(temporary),
                start_new_session=True,
            )
            with _running_lock:
                _running.add((process, control / "kernel.pid"))
            try:
                output, _ = process.communicate(json.dumps(job).encode(), timeout=limits.total + GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                _kill(process, control / "kernel.pid")
                output, _ = process.communicate()
                failure = f"killed after the hard limit of {limits.total + GRACE_SECONDS:g} s"
            finally:
                if process.returncode != 0:  # the worker did not shut its kernel down itself
                    _kill_kernel(control / "kernel.pid")
                with _running_lock:
                    _running.discard((process, control / "kernel.pid"))
        report = _parse_report(output, nonce)
        if report is None:
            log_tail = (control / "worker.log").read_text(encoding="utf-8", errors="replace")[-800:]
            report = {
                "cells": [], "questions": {}, "duplicates": [], "kernel_died": False, "kernel_died_at": None,
                "unresponsive": False, "unresponsive_after": None,
                "total_timeout": False, "startup_error": None, "elapsed": None,
            }
            failure = failure or f"the grading process failed (exit code {process.returncode}): {log_tail.strip()}"
        report["failure"] = failure
        return report


def _parse_report(output: bytes, nonce: str) -> dict | None:
    prefix = f"{WORKER_MARKER} {nonce} "
    for line in reversed(output.decode("utf-8", errors="replace").splitlines()):
        if line.startswith(prefix):
            try:
                return json.loads(line[len(prefix):])
            except json.JSONDecodeError:
                return None
    return None


def _kill(process: subprocess.Popen, kernel_pid_file: Path) -> None:
    """SIGKILL the worker's process group and the kernel's."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _kill_kernel(kernel_pid_file)


def _kill_kernel(kernel_pid_file: Path) -> None:
    """SIGKILL the process group of this submission's kernel if it is still running.

    The pid must still lead its own process group and, where ``/proc`` exists, still have this
    submission's temporary folder in its environment, so that a recycled pid (another
    program's process) is never signalled.
    """
    try:
        pid = int(kernel_pid_file.read_text())
        if os.getpgid(pid) != pid:
            return
        if Path("/proc/self/environ").exists():
            ours = str(kernel_pid_file.parent.parent).encode()
            if ours not in Path(f"/proc/{pid}/environ").read_bytes():
                return
        os.killpg(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass


def kill_all_running() -> None:
    """Kill every worker and kernel still running (used when the grader is interrupted)."""
    with _running_lock:
        running = list(_running)
    for process, kernel_pid_file in running:
        _kill(process, kernel_pid_file)
