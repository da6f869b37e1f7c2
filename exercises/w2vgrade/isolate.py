"""Isolating a submission: its own user, its own view of the files, limits, and a clean end.

Two levels, chosen by :func:`level` and printed by the grader:

* ``uid`` (the grader runs as root on Linux: CI, a container, a lab server). The student
  process enters a private mount namespace where the course's checkout (checks, solutions,
  git history), the grader's home folder, the submissions folder, the results folder, ``/tmp``, ``/var/tmp`` and
  ``/dev/shm`` are replaced by empty folders; the Python environment and ``w2vlib`` are put
  back read-only, and the submission's scratch folder (holding only its copy) is the one
  writable place. It also gets an empty network namespace (no network) and its own System V
  IPC namespace. It then becomes a throwaway user (a random unused uid, no groups, no new
  privileges) before any student code runs. When the submission ends, every process of that
  uid is killed, however it detached.
* ``process`` (anything else). Own process and session, same limits, scratch folder as
  working directory; nothing is hidden (the submission runs as the grader's user) and a
  process that detached is killed when the grader notices it as an orphan (the grader is a
  child subreaper on Linux). This protects against accidents, not against a hostile
  notebook: grade untrusted work as root (e.g. in a container).

Limits (both levels): address space, CPU seconds (RLIMIT_CPU, plus per-cell/per-call timers
in the student process), file size, open files, no core files; processes (RLIMIT_NPROC) at
level ``uid`` only, where the uid is the submission's own.
"""

from __future__ import annotations

import ctypes
import functools
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

GIB = 2**30
_NAMESPACES = 0x20000 | 0x40000000 | 0x8000000  # CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC
_MS_NOSUID, _MS_NODEV, _MS_REMOUNT = 2, 4, 32
_MS_RDONLY, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 4096, 16384, 1 << 18
_PR_SET_NO_NEW_PRIVS, _PR_SET_CHILD_SUBREAPER = 38, 36
PRIVATE_TEMPORARY = ("/tmp", "/var/tmp", "/dev/shm")


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    cell: CPU seconds per cell and per question's call (and :attr:`cell_wall` seconds of wall
    clock); total: CPU seconds for the whole
    notebook; wall: wall-clock backstop in seconds for the whole notebook (default
    ``3 * total + 30``); memory: bytes of address space; processes: processes and threads
    (level ``uid``); file_size: bytes per written file.
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

    def as_dict(self) -> dict:
        return asdict(self)


def level() -> str:
    """``"uid"`` when the grader can give each submission its own user, else ``"process"``."""
    return "uid" if sys.platform.startswith("linux") and os.geteuid() == 0 else "process"


@functools.lru_cache(maxsize=None)
def private_view() -> bool:
    """True if this system lets a root process create mount/network/IPC namespaces (a
    container without CAP_SYS_ADMIN does not: then files readable by every user stay visible)."""
    probe = f"import ctypes, sys; sys.exit(ctypes.CDLL(None, use_errno=True).unshare({_NAMESPACES}) != 0)"
    return subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True).returncode == 0


DESCRIPTIONS = {
    "uid": "isolation: uid (each submission runs as its own throwaway user in a private view of "
           "the files, without network; the course sources, other submissions and the results are hidden)",
    "process": "isolation: process (not root: each submission runs in its own process with limits, "
               "as your user; files readable by you are readable by it: run as root, e.g. in a "
               "container, to grade untrusted work)",
}


# ----- in the grader -----------------------------------------------------------------------

_live = set()
_live_lock = threading.Lock()


def start(arguments: list, **options) -> subprocess.Popen:
    """Start a student process (recorded, so that it is never taken for an orphan)."""
    become_subreaper()
    with _live_lock:
        process = subprocess.Popen(arguments, **options)
        _live.add(process.pid)
    return process


def describe(kind: str) -> str:
    """The line the grader prints about the isolation level in force."""
    if kind == "uid" and not private_view():
        return ("isolation: uid without a private view of the files (this system forbids mount "
                "namespaces): each submission runs as its own throwaway user, but files readable by "
                "every user, /tmp and the network stay reachable")
    return DESCRIPTIONS[kind]


def plan(kind: str, scratch: Path, hide=()) -> dict:
    """The isolation part of a student process's setup message."""
    result = {"level": kind, "scratch": str(scratch)}
    if kind == "uid":
        uid = _unused_uid()
        hidden = sorted({str(Path(path).resolve()) for path in (*hide, *_checkout_paths()) if Path(path).is_dir()})
        hidden += [path for path in PRIVATE_TEMPORARY if os.path.isdir(path)]
        needed = {str(Path(path).resolve()) for path in (sys.prefix, sys.base_prefix, _library_dir())}
        exposed = sorted(path for path in needed if any(_inside(path, h) for h in hidden))
        result.update(uid=uid, gid=uid, hide=hidden, expose=exposed, private_view=private_view())
        os.chown(scratch, uid, uid)
        for path in Path(scratch).rglob("*"):
            os.chown(path, uid, uid, follow_symlinks=False)
    return result


def new_scratch() -> Path:
    """A fresh private folder (mode 0700) for one submission's copy."""
    return Path(tempfile.mkdtemp(prefix="w2vgrade-"))


def remove_scratch(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)


def environment(scratch: Path) -> dict:
    """The student process's whole environment (nothing inherited from the grader's)."""
    return {"PATH": os.defpath, "HOME": str(scratch), "TMPDIR": str(scratch), "LANG": "C.UTF-8",
            "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(Path(scratch) / ".matplotlib"),
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "W2VGRADE_GRADING": "1"}


def kill_everything(setup: dict, process: subprocess.Popen) -> None:
    """End the student process and every process it started."""
    for _ in range(200):
        if setup.get("level") != "uid" or not _kill_uid(setup["uid"]):
            break
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with _live_lock:
        _live.discard(process.pid)
    reap_orphans()


def _kill_uid(uid: int) -> bool:
    """SIGKILL every process whose real or effective uid is ``uid``; False if there was none."""
    found = False
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                uids = entry.joinpath("status").read_text().split("\nUid:")[1].split()[:2]
                if str(uid) in uids:
                    found = True
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, IndexError, ValueError):
                continue
    return found


def become_subreaper() -> None:
    """Orphaned descendants of the student processes become the grader's children (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def reap_orphans() -> None:
    """Kill and reap the grader's children that are not a live student process: what a
    submission left behind (a daemon), brought back to the grader by the subreaper setting."""
    me = os.getpid()
    for _ in range(50):
        orphans = []
        with _live_lock:
            for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
                try:
                    parent = int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if parent == me and int(entry.name) not in _live:
                    orphans.append(int(entry.name))
            for pid in orphans:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ChildProcessError, ProcessLookupError):
                    pass
        if not orphans:
            return


def kill_all_live() -> None:
    """Ctrl-C: kill every student process still running (each session also cleans itself)."""
    with _live_lock:
        pids = list(_live)
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


class NotRegular(ValueError):
    """A submission path that is not a regular file; the message says what it is."""


def read_regular(path: Path, max_bytes: int = 32 * 2**20) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a symlink, FIFO, device, folder)."""
    path = Path(path)
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        kinds = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                 (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                 (stat.S_ISSOCK, "a socket"))
        raise NotRegular(next((text for test, text in kinds if test(mode)), "not a regular file"))
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


def _unused_uid() -> int:
    import pwd

    used = set()
    for entry in Path("/proc").iterdir():
        try:
            used.add(int(entry.joinpath("status").read_text().split("\nUid:")[1].split()[0]))
        except (OSError, IndexError, ValueError):
            continue
    while True:
        uid = random.randrange(1_000_000, 2_000_000_000)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if uid not in used:
                return uid


def _checkout_paths() -> list:
    """The checkout holding this package, its git directory (solutions are in its history),
    and the grader's home folder."""
    root = Path(__file__).resolve().parents[2]
    paths = [root] + ([Path.home()] if str(Path.home()) not in ("/", "") else [])
    dot_git = root / ".git"
    if dot_git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        text = dot_git.read_text(errors="replace").strip()
        if text.startswith("gitdir:"):
            git_dir = (root / text[len("gitdir:"):].strip()).resolve()
            common = git_dir / "commondir"
            paths.append((git_dir / common.read_text().strip()).resolve() if common.is_file() else git_dir)
    return paths


def _library_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("w2vlib")
    return str(Path(spec.origin).parent) if spec and spec.origin else sys.prefix


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# ----- in the student process, before any student code ------------------------------------

def enter(setup: dict, limits: dict) -> None:
    """Apply the isolation ``setup`` and the ``limits`` to this (student) process."""
    libc = ctypes.CDLL(None, use_errno=True)
    if setup["level"] == "uid" and setup["private_view"]:
        _private_view(libc, setup)
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    cpu = int(limits["total"]) + 1
    for name, value in (("RLIMIT_AS", limits["memory"]), ("RLIMIT_CPU", cpu), ("RLIMIT_FSIZE", limits["file_size"]),
                        ("RLIMIT_NOFILE", 256), ("RLIMIT_CORE", 0)):
        hard = value + 5 if name == "RLIMIT_CPU" else value
        resource.setrlimit(getattr(resource, name), (value, hard))
    if setup["level"] == "uid":
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
        os.setgroups([])
        os.setgid(setup["gid"])
        os.setuid(setup["uid"])
    os.umask(0o077)
    os.chdir(setup["scratch"])


def _private_view(libc, setup: dict) -> None:
    def mount(source, target, fstype, flags, data=None):
        arguments = [None if item is None else item.encode() for item in (source, target, fstype)]
        if libc.mount(arguments[0], arguments[1], arguments[2], flags, data.encode() if data else None) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"mount {target}: {os.strerror(error)}")

    # Own mount, network (only a loopback that is down) and System V IPC namespaces.
    if libc.unshare(_NAMESPACES) != 0:
        raise OSError(ctypes.get_errno(), "cannot create private mount, network and IPC namespaces")
    mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    keep = {path: os.open(path, os.O_RDONLY | os.O_DIRECTORY) for path in [*setup["expose"], setup["scratch"]]}
    for path in sorted(setup["hide"], key=len):
        if os.path.isdir(path):
            options = "mode=1777,size=256m" if path in PRIVATE_TEMPORARY else "mode=755,size=1m"
            mount("tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV, options)
    for path, descriptor in keep.items():
        os.makedirs(path, exist_ok=True)
        mount(f"/proc/self/fd/{descriptor}", path, None, _MS_BIND | _MS_REC)
        if path != setup["scratch"]:
            mount(None, path, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY)
        os.close(descriptor)
