"""One submission, executed in a fresh kernel: ``python -m w2vgrade.worker`` (used by the grader).

The grader starts this module in its own process group and writes the job as JSON on its
stdin (never on disk or in the environment, because it holds the run's nonce)::

    {"notebook": ".../run/ex01_cosine.ipynb", "exercise": "ex01", "questions": ["q1", "q2"],
     "package": "w2vgrade.checks", "nonce": "...", "cell_timeout": 30, "total_timeout": 300,
     "kernel_pid_file": ".../control/kernel.pid", "kernel_log": ".../control/kernel.log"}

It runs the notebook's code cells (except the one tagged ``self-check``) top to bottom with
nbclient in a kernel of this interpreter, cwd = the notebook's folder, continuing after errors;
a cell that exceeds ``cell_timeout`` is interrupted and execution goes on. Then it runs one
grader cell per question (:func:`w2vgrade.runner.report_question`). A watchdog SIGKILLs the
kernel's process group when ``total_timeout`` seconds have passed since the start.

The report goes to stdout as one line ``W2VGRADE-WORKER <nonce> <json>``.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbclient.util import ensure_async

from w2vgrade.notebooks import cell_tags, read_notebook
from w2vgrade.protocol import RESULT_MARKER, WORKER_MARKER

SELF_CHECK_TAG = "self-check"
TIMEOUT_ENAME = "W2VGradeCellTimeout"
SNIPPET_LENGTH = 60
PROBE_SECONDS = 5.0


class _ThisPythonKernel(KernelSpecManager):
    """Every kernel name resolves to an IPython kernel of this interpreter.

    A submission's metadata may name a kernel that does not exist on the grading machine
    (or one of another Python); grading always uses the course's interpreter.
    """

    def get_kernel_spec(self, kernel_name):
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="w2vgrade (this Python)",
            language="python",
        )


def question_source(exercise: str, question_id: str, nonce: str, package: str, time_limit: float) -> str:
    """The grader cell for one question; uses ``__import__`` so that no student name is touched."""
    return (
        f"__import__('w2vgrade.runner', fromlist=['report_question']).report_question("
        f"__import__('builtins').globals(), {exercise!r}, {question_id!r}, {nonce!r}, "
        f"package={package!r}, time_limit={time_limit!r})"
    )


def snippet(source: str) -> str:
    """The first non-blank line of a cell, shortened, to tell the student which cell."""
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= SNIPPET_LENGTH else line[: SNIPPET_LENGTH - 1] + "…"
    return ""


def execute(job: dict) -> dict:
    """Run the job's notebook and its grader cells; return the report (a JSON-ready dict)."""
    started = time.monotonic()
    notebook = read_notebook(Path(job["notebook"]))
    origin = []  # original cell index of each executed cell; None for grader cells
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.source.strip() and SELF_CHECK_TAG not in cell_tags(cell):
            cells.append(nbformat.v4.new_code_cell(cell.source))
            origin.append(index)
    # The check's own alarm fires a little before nbclient's interrupt, with a clearer message.
    check_limit = max(job["cell_timeout"] - 1.0, job["cell_timeout"] * 0.8)
    question_cells = []
    for question_id in job["questions"]:
        source = question_source(job["exercise"], question_id, job["nonce"], job["package"], check_limit)
        cells.append(nbformat.v4.new_code_cell(source))
        origin.append(None)
        question_cells.append((question_id, len(cells) - 1))
    run = nbformat.v4.new_notebook(cells=cells)
    report = {
        "cells": [],
        "questions": {},
        "duplicates": [],
        "kernel_died": False,
        "kernel_died_at": None,
        "unresponsive": False,
        "unresponsive_after": None,
        "total_timeout": False,
        "startup_error": None,
    }

    timed_out = set()

    def on_cell_executed(cell, cell_index, execute_reply):
        content = execute_reply.get("content", {})
        if content.get("ename") == TIMEOUT_ENAME:
            timed_out.add(cell_index)
        if content.get("status") == "error" and origin[cell_index] is not None:
            report["cells"].append({
                "index": origin[cell_index],
                "snippet": snippet(cell.source),
                "ename": str(content.get("ename", "")),
                "evalue": str(content.get("evalue", ""))[:300],
                "timeout": content.get("ename") == TIMEOUT_ENAME,
            })

    def on_notebook_start(notebook):
        Path(job["kernel_pid_file"]).write_text(str(client.km.provisioner.pid))

    client = NotebookClient(
        run,
        timeout=job["cell_timeout"],
        startup_timeout=min(60, job["total_timeout"]),
        interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": f"cell took more than {job['cell_timeout']} s", "traceback": []},
        allow_errors=True,
        kernel_name="python3",
        shutdown_kernel="immediate",
        record_timing=False,
        resources={"metadata": {"path": str(Path(job["notebook"]).parent)}},
        on_cell_executed=on_cell_executed,
        on_notebook_start=on_notebook_start,
    )
    client.km = client.create_kernel_manager()
    client.km.kernel_spec_manager = _ThisPythonKernel()

    def kill_kernel():
        pgid = getattr(client.km.provisioner, "pgid", None) if client.km else None
        if pgid:
            os.killpg(pgid, signal.SIGKILL)

    async def kill_at_deadline():
        await asyncio.sleep(max(0.0, job["total_timeout"] - (time.monotonic() - started)))
        report["total_timeout"] = True
        kill_kernel()

    async def responds(timeout):
        """True if the kernel runs an empty cell within ``timeout`` s (after an interrupt)."""
        msg_id = await ensure_async(client.kc.execute("pass", silent=True, store_history=False))
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = await ensure_async(client.kc.shell_channel.get_msg(timeout=remaining))
            except queue.Empty:
                return False
            if message["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    async def run_cells():
        with open(job["kernel_log"], "ab") as kernel_log:
            async with client.async_setup_kernel(stdout=kernel_log, stderr=kernel_log):
                watchdog = asyncio.ensure_future(kill_at_deadline())
                try:
                    for cell_index, cell in enumerate(run.cells):
                        try:
                            await client.async_execute_cell(cell, cell_index)
                        except DeadKernelError:
                            report["kernel_died"] = True
                            report["kernel_died_at"] = origin[cell_index]
                            break
                        # A kernel that ignores the interrupt would make every later cell wait
                        # for its own timeout: stop it now instead.
                        if cell_index in timed_out and not await responds(min(PROBE_SECONDS, job["cell_timeout"])):
                            report["unresponsive_after"] = origin[cell_index]
                            report["unresponsive"] = True
                            kill_kernel()
                            break
                finally:
                    watchdog.cancel()

    try:
        asyncio.run(run_cells())
    except Exception as error:  # the kernel could not start, or nbclient failed
        report["startup_error"] = f"{type(error).__name__}: {error}"[:500]
    for question_id, cell_index in question_cells:
        _collect_question(question_id, run.cells[cell_index], job["nonce"], report)
    report["elapsed"] = round(time.monotonic() - started, 3)
    return report


def _collect_question(question_id: str, cell, nonce: str, report: dict) -> None:
    """Store the question's result if its grader cell printed exactly one valid marked line."""
    prefix = f"{RESULT_MARKER} {nonce} "
    found = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            found += [line[len(prefix):] for line in output.get("text", "").splitlines() if line.startswith(prefix)]
    if len(found) > 1:
        report["duplicates"].append(question_id)
    elif found:
        try:
            report["questions"][question_id] = json.loads(found[0])
        except json.JSONDecodeError:
            report["duplicates"].append(question_id)


def main() -> None:
    job = json.loads(sys.stdin.read())
    report = execute(job)
    sys.stdout.write(f"{WORKER_MARKER} {job['nonce']} {json.dumps(report)}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
