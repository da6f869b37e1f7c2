"""Isolating a submission with bubblewrap, or saying plainly that it is not isolated.

Level ``bwrap`` (bubblewrap, Debian's ``bubblewrap``, the sandbox Flatpak uses; it needs no
root where the kernel lets ordinary users create user namespaces, as most current Linux
distributions do). Each student process starts inside a new sandbox (:func:`command`):

* a read-only view of only what it needs: ``/usr`` (and the ``/bin``, ``/lib`` links), the
  dynamic linker's cache, the Python installation, the virtual environment, the
  ``site-packages`` folders on the grader's ``sys.path`` and the ``w2vlib`` package;
  ``student.py`` and ``wire.py`` of this package (nothing else of w2vgrade: the checks and
  the package itself are hidden even inside a bound folder);
* one writable folder, ``/submission``, holding only the copy of its notebook, and a private
  ``/tmp``; no home folder, no sources, no other submissions, no results;
* new user, PID, network (no network at all), IPC, UTS and cgroup namespaces, a new session
  (no terminal to inject into), no capabilities, ``--die-with-parent``: when the grader ends
  the student process, or dies, everything the submission started ends with it.

Level ``process`` (no usable bubblewrap: macOS, a kernel or container without user
namespaces). The student process runs as the grader's user in a scratch folder with the
same limits; :data:`UNPROTECTED` is printed at the start of the run, since the submission
can then read and change whatever the user can.

Limits at both levels (applied by the student process to itself before any student code,
:func:`w2vgrade.student.apply_limits`): address space, CPU seconds, file size, open files,
no core files, and, in the sandbox (where the count is the sandbox's own), processes.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

GIB = 2**30
PACKAGE = Path(__file__).resolve().parent
RUNNER = "/w2vgrade"  # where student.py and wire.py appear inside the sandbox
WORKDIR = "/submission"
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
LINKER = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d")

ISOLATED = ("isolation: bwrap (each submission runs in a bubblewrap sandbox: read-only Python and w2vlib, its own "
            "scratch folder, no network, no home folder, no sources, no other submissions, no results; everything it "
            "starts ends with it)")
UNPROTECTED = (
    "isolation: process — NOT ISOLATED. {why} Each submission runs as your user: it can read "
    "every file you can (your home folder, the exercise sources and solutions, the other "
    "submissions), change them, use the network and leave processes running. Only the "
    "limits (memory, CPU time, file size) hold. Grade untrusted work only with the sandbox: "
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf "
    "install bubblewrap) on a kernel that allows user namespaces (Ubuntu 24.04 and later: an "
    "AppArmor profile for bwrap, see exercises/README.md), or run the grader in a container "
    "with only the course inside, e.g. docker run --rm --network none -v \"$PWD\":/course "
    "python:3.11 ...")


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    cell: CPU seconds per cell and per question's call (and :attr:`cell_wall` seconds of wall
    clock); total: CPU seconds for the whole notebook; wall: wall-clock backstop in seconds
    for the whole notebook (default ``3 * total + 30``); memory: bytes of address space;
    processes: processes and threads (in the sandbox); file_size: bytes per written file.
    """

    cell: float = 30.0
    total: float = 300.0
    wall: float = 0.0
    memory: int = 4 * GIB
    processes: int = 64
    file_size: int = 64 * 2**20

    def __post_init__(self):
        for name in ("cell", "total", "memory", "processes", "file_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"limit {name} must be a number > 0, got {value!r}")
        if not self.wall:
            object.__setattr__(self, "wall", 3 * self.total + 30)

    @property
    def cell_wall(self) -> float:
        """Wall-clock seconds per cell and per call: generous, because only a wait (sleep, a
        lock) should reach it, never a busy machine."""
        return 10 * self.cell


def level() -> str:
    """``"bwrap"`` when a bubblewrap sandbox can be created here, else ``"process"``."""
    return "bwrap" if not bwrap_problem() else "process"


@functools.lru_cache(maxsize=None)
def bwrap_problem() -> str:
    """Why no sandbox can be made here ("" when it can): bwrap missing, or refused."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})."
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed."
    with tempfile.TemporaryDirectory(prefix="w2vgrade-") as scratch:
        probe = subprocess.run(command(Path(scratch), [sys.executable, "-c", "import numpy"]), capture_output=True,
                               env=environment(), timeout=60)
    if probe.returncode != 0:
        error = probe.stderr.decode(errors="replace").strip().splitlines()
        return f"bwrap cannot create a sandbox here ({error[-1][:200] if error else probe.returncode})."
    return ""


def describe(kind: str) -> str:
    """The line the grader prints at the start about the isolation in force."""
    why = bwrap_problem() or "--isolation process was asked for."
    return ISOLATED if kind == "bwrap" else UNPROTECTED.format(why=why)


def command(scratch: Path, python_command: list) -> list:
    """The bwrap command that runs ``python_command`` in a sandbox whose only writable folder
    is ``scratch`` (seen as /submission)."""
    arguments = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1",
                 "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in SYSTEM:
        if os.path.islink(path):
            arguments += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            arguments += ["--ro-bind", path, path]
    for path in LINKER:
        arguments += ["--ro-bind-try", path, path]
    for path in _python_paths():
        arguments += ["--ro-bind", path, path]
    for path in _hidden_paths():
        arguments += ["--tmpfs", path, "--remount-ro", path]
    for name in ("student.py", "wire.py"):
        arguments += ["--ro-bind", str(PACKAGE / name), f"{RUNNER}/{name}"]
    arguments += ["--bind", str(scratch), WORKDIR, "--chdir", WORKDIR]
    return arguments + python_command


def student_command(kind: str, scratch: Path) -> tuple[list, str]:
    """The command of a student process at isolation level ``kind``, and its working folder."""
    if kind == "bwrap":
        return command(scratch, [sys.executable, "-s", f"{RUNNER}/student.py"]), WORKDIR
    return [sys.executable, "-s", str(PACKAGE / "student.py")], str(scratch)


def _python_paths() -> list:
    """The Python installation, the virtual environment, every site-packages folder on
    sys.path, and w2vlib (an editable install lives outside site-packages)."""
    paths = {sys.base_prefix, sys.prefix, sysconfig.get_paths()["stdlib"]}
    paths |= {entry for entry in sys.path if entry.endswith(("site-packages", "dist-packages"))}
    library = importlib.util.find_spec("w2vlib")
    if library and library.submodule_search_locations:
        paths |= set(library.submodule_search_locations)
    resolved = {str(Path(path).resolve()) for path in paths if path and os.path.isdir(path)}
    resolved |= {str(Path(path)) for path in paths if path and os.path.isdir(path)}
    return sorted(path for path in resolved if not path.startswith(SYSTEM))


def _hidden_paths() -> list:
    """Folders of w2vgrade (its checks hold the reference answers) that fall inside a bound
    folder, as when the package is installed into site-packages: covered by empty ones."""
    bound = _python_paths() + list(SYSTEM)
    from w2vgrade.checks import loaded_packages

    found = [str(PACKAGE), *(str(Path(path).resolve()) for path in loaded_packages())]
    return sorted({path for path in found if any(path == b or path.startswith(b.rstrip("/") + "/") for b in bound)})


def environment(home: str = WORKDIR) -> dict:
    """The student process's whole environment (nothing inherited from the grader's)."""
    return {"PATH": os.defpath, "HOME": home, "TMPDIR": "/tmp", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{home}/.matplotlib", "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "W2VGRADE_GRADING": "1"}


# ----- a student process -------------------------------------------------------------------

def stop(process: subprocess.Popen) -> None:
    """Kill a student process and its process group (in the sandbox: everything it started)."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def student_pid(process: subprocess.Popen, kind: str) -> int:
    """The pid whose CPU time is the student's: bwrap's child (``--as-pid-1``) in the sandbox."""
    if kind != "bwrap":
        return process.pid
    for _ in range(100):
        try:
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        except OSError:
            return process.pid
        if children:
            return int(children[0])
        if process.poll() is not None:
            return process.pid
        threading.Event().wait(0.02)
    return process.pid


NOT_REGULAR = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFDIR: "a folder",
               stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


class NotRegular(ValueError):
    """A submission path that is not a regular file; the message says what it is."""


def read_regular(path: Path, max_bytes: int = 32 * 2**20) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a symlink, FIFO, device, folder)."""
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegular(NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file"))
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegular("not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise NotRegular(f"larger than {max_bytes >> 20} MiB")
    return data
