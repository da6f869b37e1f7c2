"""End to end through real student processes, on the fixture exercise ex90: one folder of
submissions graded in one call, with the failures the course content cannot easily produce
(a cell ignoring its time limit, the CPU limit, a wall-clock wait, a process that dies, a big
allocation, a call to w2vlib's own implementation, files that are not notebooks, odd names),
Ctrl-C, and a Recorder's calls over the wire. The hostile submissions are in
test_w2vgrade_attacks.py, graded by an ordinary user."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from w2vgrade.generate import student_notebook
from w2vgrade.grade import UsageError, grade_folder
from w2vgrade.sandbox import GIB, Limits, level
from w2vgrade.report import feedback_name, write_results
from w2vgrade_helpers import REPO, code, file_hashes, fixture_source, notebook, write_notebook

BLANK_COSINE = "def cosine(a, b):\n    return 0.0"
BLANK_SCALE = "def scale(x, factor):\n    return None"
LIMITS = Limits(cell=3, total=10, wall=30, memory=2 * GIB)


def rows_of(results):
    return {(row["student"], row["notebook"]): row for row in csv.DictReader((results / "grades.csv").open(encoding="utf-8"))}


def build_submissions(root):
    source = fixture_source()
    write_notebook(source, root / "alice" / "ex90_demo.ipynb")
    write_notebook(student_notebook(source, "en", "ex90_demo.ipynb"), root / "alice" / "work" / "ex90_demo.ipynb")
    write_notebook(student_notebook(source, "en", "ex90_demo.ipynb"), root / "bob" / "ex90_demo.ipynb")
    stubborn = fixture_source()
    stubborn.cells.insert(2, code("while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"))
    write_notebook(stubborn, root / "carol" / "ex90_demo.ipynb")
    dies = fixture_source()
    dies.cells.insert(2, code("import os\nos._exit(3)"))
    write_notebook(dies, root / "dave" / "ex90_demo.ipynb")
    greedy = fixture_source()
    greedy.cells.insert(2, code("import numpy as np\nhuge = np.ones(20 * 2**30 // 8)"))
    write_notebook(greedy, root / "gus" / "ex90_demo.ipynb")
    recursion = fixture_source(scale="import sys\nsys.setrecursionlimit(40)\n\ndef scale(x, factor):\n    return scale(x, factor)")
    write_notebook(recursion, root / "rita" / "ex90_demo.ipynb")
    unnamed = fixture_source()
    del unnamed.metadata["w2vgrade"]
    write_notebook(unnamed, root / "frank" / "my_homework.ipynb")
    (root / "grace").mkdir()
    (root / "grace" / "ex90_demo.ipynb").write_text('{"cells": [', encoding="utf-8")
    write_notebook(notebook(["x = 1"]), root / "grace" / ".ipynb_checkpoints" / "ex90_demo-checkpoint.ipynb")
    library = fixture_source(cosine="from w2vlib.similarity import cosine_similarity\n\ndef cosine(a, b):\n    return cosine_similarity(a, b)")
    write_notebook(library, root / "judy" / "ex90_demo.ipynb")
    hidden = fixture_source(cosine=(  # no library name in the code: only the run-time guard sees it
        "import functools, importlib\nmodule = importlib.import_module(bytes.fromhex('77327''66c69622e73696d696c6172697479').decode())\n"
        "cosine = functools.partial(vars(module)[bytes.fromhex('636f73696e655f73696d696c6172697479').decode()])"))
    write_notebook(hidden, root / "kim" / "ex90_demo.ipynb")
    (root / "ivan").mkdir()
    (root / "ivan" / "homework.zip").write_bytes(b"PK")
    (root / "=HYPERLINK(1)\nx").mkdir()
    write_notebook(fixture_source(), root / "=HYPERLINK(1)\nx" / "ex90_demo.ipynb")
    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "ex90_demo.ipynb")
    (root / "linked").mkdir()
    (root / "linked" / "ex90_demo.ipynb").symlink_to(root / "alice" / "ex90_demo.ipynb")


def test_fixture_folder_grades_every_failure_kind(tmp_path, fixture_checks):
    submissions, results = tmp_path / "submissions", tmp_path / "results"
    build_submissions(submissions)
    before = file_hashes(submissions)
    grade_folder(submissions, results, LIMITS, jobs=2, package=fixture_checks, progress=None)
    assert file_hashes(submissions) == before
    rows = rows_of(results)
    summary = {key: (row["status"], row["q1"], row["q2"], row["total"]) for key, row in rows.items()}
    assert summary == {
        ("'=HYPERLINK(1)\nx", "ex90_demo.ipynb"): ("ok", "2", "3", "5"),
        ("alice", "ex90_demo.ipynb"): ("ok", "2", "3", "5"),
        ("alice", "work/ex90_demo.ipynb"): ("ok", "0", "0", "0"),
        ("bob", "ex90_demo.ipynb"): ("ok", "0", "0", "0"),
        ("carol", "ex90_demo.ipynb"): ("timeout", "0", "0", "0"),
        ("dave", "ex90_demo.ipynb"): ("crashed", "0", "0", "0"),
        ("fifo", "ex90_demo.ipynb"): ("refused", "0", "0", "0"),
        ("frank", "my_homework.ipynb"): ("unknown-exercise", "", "", "0"),
        ("grace", "ex90_demo.ipynb"): ("invalid", "0", "0", "0"),
        ("gus", "ex90_demo.ipynb"): ("error", "2", "3", "5"),
        ("ivan", ""): ("no-notebooks", "", "", "0"),
        ("judy", "ex90_demo.ipynb"): ("ok", "0", "3", "3"),
        ("kim", "ex90_demo.ipynb"): ("ok", "0", "3", "3"),
        ("linked", "ex90_demo.ipynb"): ("refused", "0", "0", "0"),
        ("rita", "ex90_demo.ipynb"): ("ok", "2", "0", "2"),
    }
    assert rows[("judy", "ex90_demo.ipynb")]["review"] == "q1 uses w2vlib.similarity.cosine_similarity"
    assert rows[("kim", "ex90_demo.ipynb")]["review"] == "q1 uses w2vlib.similarity.cosine_similarity"

    def feedback(student):
        return (results / "feedback" / feedback_name(student)).read_text(encoding="utf-8")

    assert "no .ipynb file in ivan/ (found: homework.zip)" in feedback("ivan")
    assert any(stopped in feedback("carol") for stopped in (  # the wall clock, on a machine under heavy load
        "the notebook used more than 10 s of CPU time and was stopped", "did not finish within 30 s of real time"))
    assert "the notebook's process died (the student process ended (exit status 3)" in feedback("dave")
    assert "cell 3 (`import numpy as np`) raised MemoryError" in feedback("gus")
    assert "raised RecursionError: maximum recursion depth exceeded" in feedback("rita")
    assert "(the notebook set sys.setrecursionlimit(40); the default is 1000) (line 5 of cell 4)" in feedback("rita")
    assert "not valid JSON" in feedback("grace")
    assert "a FIFO (named pipe): only regular notebook files are graded" in feedback("fifo")
    assert "a symbolic link: only regular notebook files are graded" in feedback("linked")
    assert "exNN_<name>.ipynb" in feedback("frank")
    assert "cosine uses w2vlib.similarity.cosine_similarity, the library's own implementation" in feedback("judy")
    assert "q1 cosine: 0/2 — cosine(a, b) returned 0.0, expected" in feedback("bob")
    alice = feedback("alice")
    assert "## ex90 (work/ex90_demo.ipynb): 0 / 5 points" in alice and "more than one notebook for ex90" in alice
    assert "# Feedback for =HYPERLINK(1)\\nx" in feedback("=HYPERLINK(1)\nx")


def test_existing_results_are_refused_unless_forced(tmp_path):
    submissions, results = tmp_path / "submissions", tmp_path / "results"
    (submissions / "ana").mkdir(parents=True)
    (submissions / "ana" / "ex01_x.ipynb").write_bytes(b"\xff\xfe not a notebook")
    results.mkdir()
    (results / "grades.csv").write_text("mine\n")
    (results / "notes.txt").write_text("instructor's notes\n")
    with pytest.raises(UsageError, match="pass --force"):
        grade_folder(submissions, results, progress=None)
    assert (results / "grades.csv").read_text() == "mine\n"
    grade_folder(submissions, results, force=True, progress=None)  # invalid file: no student process needed
    assert (results / "grades.csv").read_text().splitlines()[1].startswith("ana,ex01,ex01_x.ipynb,en,invalid,0,0")
    assert (results / "notes.txt").read_text() == "instructor's notes\n"
    assert "not UTF-8" in (results / "feedback" / "ana.md").read_text()


def test_a_grader_failure_is_a_row_not_a_crash(tmp_path, monkeypatch):
    import threading

    import w2vgrade.grade as grade

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(grade, "score_submission", broken)
    result = grade._grade_one("ana", "ex01_a.ipynb", tmp_path / "ex01_a.ipynb", Limits(), "w2vgrade.checks",
                              "process", (tmp_path,), threading.Event())
    assert (result.status, result.exercise, result.total) == ("grader-error", "ex01", 0)
    assert "internal grader error (RuntimeError: disk full)" in result.problems[0][1]


def test_grades_csv_is_written_when_a_feedback_file_cannot_be(tmp_path, capsys):
    from w2vgrade.grade import SubmissionResult

    (tmp_path / "feedback" / "ana.md").mkdir(parents=True)  # a folder where the file should go
    rows = [SubmissionResult("ana", "ex01_a.ipynb", "ex01", "en"), SubmissionResult("+bo", "ex01_a.ipynb", "ex01", "en")]
    write_results(rows, tmp_path, progress=sys.stderr)
    lines = (tmp_path / "grades.csv").read_text().splitlines()
    assert lines[1:] == ["ana,ex01,ex01_a.ipynb,en,ok,0,0,", "'+bo,ex01,ex01_a.ipynb,en,ok,0,0,"]
    assert "could not write" in capsys.readouterr().err
    assert feedback_name("+bo") != feedback_name("_bo") and feedback_name("../x").startswith("_x-")


def _alive(marker):
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if marker in entry.joinpath("cmdline").read_bytes().decode(errors="replace"):
                found.append(entry.name)
        except OSError:
            continue
    return found


@pytest.mark.parametrize("presses", [1, 2])  # an impatient second Ctrl-C must not stop the writing
def test_ctrl_c_keeps_the_rows_graded_and_kills_every_student_process(tmp_path, fixture_checks, presses):
    submissions, results, marker = tmp_path / "submissions", tmp_path / "results", f"w2vgrade-{uuid.uuid4().hex}"
    write_notebook(fixture_source(), submissions / "a_quick" / "ex90_demo.ipynb")
    slow = fixture_source()
    slow.cells.insert(2, code(f"import os\nos.system('sleep 120 # {marker}')"))
    write_notebook(slow, submissions / "b_slow" / "ex90_demo.ipynb")
    grader = subprocess.Popen(
        [sys.executable, "-m", "w2vgrade", "grade", str(submissions), "--out", str(results), "--jobs", "1",
         "--checks-package", fixture_checks], cwd=REPO, stderr=subprocess.PIPE, text=True, env=os.environ)
    deadline = time.monotonic() + 120
    while not _alive(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    for _ in range(presses):
        grader.send_signal(signal.SIGINT)
        time.sleep(0.05)
    _, err = grader.communicate(timeout=60)
    assert grader.returncode == 130, err
    assert "interrupted; the rows graded so far are in grades.csv" in err
    statuses = {row["student"]: (row["exercise"], row["lang"], row["status"], row["total"])
                for row in csv.DictReader((results / "grades.csv").open())}
    assert statuses == {"a_quick": ("ex90", "en", "ok", "5"), "b_slow": ("ex90", "en", "interrupted", "0")}
    assert _alive(marker) == []


def test_waiting_is_stopped_by_the_wall_clock_limit(tmp_path, fixture_checks):
    submissions, results = tmp_path / "submissions", tmp_path / "results"
    waits = fixture_source(scale="import time\n\ndef scale(x, factor):\n    time.sleep(600)")
    waits.cells.insert(2, code("import time\ntime.sleep(600)"))
    write_notebook(waits, submissions / "walt" / "ex90_demo.ipynb")
    grade_folder(submissions, results, Limits(cell=0.5, total=10), package=fixture_checks, progress=None)
    row = rows_of(results)[("walt", "ex90_demo.ipynb")]
    assert (row["status"], row["q1"], row["q2"]) == ("timeout", "2", "0")
    feedback = (results / "feedback" / "walt.md").read_text()
    assert "cell 3 (`import time`) did not finish within 5 s of real time and was interrupted" in feedback
    assert "scale did not finish within 5 s of real time while using little CPU" in feedback


def test_without_a_sandbox_the_grades_are_the_same_and_the_run_says_it_is_not_isolated(tmp_path, fixture_checks):
    import io

    submissions, results, said = tmp_path / "submissions", tmp_path / "results", io.StringIO()
    write_notebook(fixture_source("es"), submissions / "ana" / "ex90_demo.ipynb")
    grade_folder(submissions, results, LIMITS, jobs=1, package=fixture_checks, progress=said, level="process")
    assert rows_of(results)[("ana", "ex90_demo.ipynb")]["total"] == "5"
    first = said.getvalue().splitlines()[0]
    assert "NOT ISOLATED" in first and "can read every file you can" in first and "install bubblewrap" in first


def test_a_recorder_sees_every_call_of_the_stand_in_however_it_is_called(tmp_path):
    """A Recorder handed to the student's function runs in the student process and comes
    back as data: positional and keyword calls alike, the arrays' values at each call, which
    array each was (the same V in every call and in the result), and the results."""
    import numpy as np

    from w2vgrade.api import Recorder
    from w2vgrade.session import Session

    def bump(V, i):
        V[i] += 10 + i
        return float(V.sum())

    cells = [[0, "import numpy as np\n\ndef g(step, a):\n    V = np.zeros(a.shape)\n    for i in range(3):\n"
                 "        step(V, i) if i else step(V=V, i=i)\n    a += V\n    return V"]]
    session = Session(level(), cells, ["g"], Limits(cell=10, total=30))
    try:
        assert session.run_cells() == []
        step, a = Recorder(bump), np.ones(3)
        V = session.function("g")(step, a)
    finally:
        session.close()
    assert [call.arguments["V"].tolist() for call in step.calls] == [[0, 0, 0], [10, 0, 0], [10, 11, 0]]
    assert [call.result for call in step.calls] == [10.0, 21.0, 33.0]
    assert {call.ids["V"] for call in step.calls} == {step.identity(V)}
    assert V.tolist() == [10.0, 11.0, 12.0] and a.tolist() == [11.0, 12.0, 13.0]


def test_a_notebook_interrupted_during_its_checks_earns_nothing(tmp_path, fixture_checks):
    """Ctrl-C while a question is checked: the row says interrupted, never ok with the
    points of the questions checked before (a correct cosine here)."""
    import threading

    from w2vgrade.grade import score_submission

    slow = fixture_source(scale="import time\n\ndef scale(x, factor):\n    time.sleep(60)")
    path = write_notebook(slow, tmp_path / "ex90_demo.ipynb")
    stop = threading.Event()
    threading.Timer(4, stop.set).start()
    result = score_submission(path, "ana", Limits(cell=30, total=60), fixture_checks, stop=stop)
    assert (result.exercise, result.lang, result.status, result.total) == ("ex90", "en", "interrupted", 0)
    assert {question.status for question in result.questions} == {"not-run"}


def test_canvas_flat_download_is_read_one_student_per_name_and_id(tmp_path):
    from w2vgrade.grade import find_submissions

    for name in ("smithjane_1234_98765_ex01_cosine_similarity.ipynb", "doejohn_LATE_42_777_ex02_ppmi-1.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [(student, notebook) for student, notebook, _ in find_submissions(tmp_path)] == [
        ("doejohn_42", "ex02_ppmi-1.ipynb"), ("smithjane_1234", "ex01_cosine_similarity.ipynb")]
    (tmp_path / "notes.ipynb").write_text("{}")
    with pytest.raises(UsageError, match=r"directly inside \(notes.ipynb\).*Canvas's names"):
        find_submissions(tmp_path)


def test_student_table_and_written_answers_with_points_added_by_hand(tmp_path):
    """students.csv has one row per student and one column per exercise; written answers go
    to written/<exercise>.md; points filled into written_points.csv survive a new run and
    are added by ``w2vgrade table``."""
    from w2vgrade.report import write_gradebook, write_student_table, written_answers
    from w2vgrade.grade import SubmissionResult
    from w2vgrade.report import QuestionScore

    template = notebook(["x = 1"])
    template.cells.append(nbformat.v4.new_markdown_cell("## Question 3\n\nWhy?\n\n_YOUR ANSWER HERE_"))
    answered = notebook(["x = 1"])
    answered.cells.append(nbformat.v4.new_markdown_cell("## Question 3\n\nWhy?\n\nBecause the norm cancels."))
    assert written_answers(answered, template) == [("## Question 3", "Because the norm cancels.")]
    assert written_answers(template, template) == [("## Question 3", "")]

    def row(student, exercise, points, written=()):
        score = QuestionScore("q1", "f", points, 10, "pass")
        return SubmissionResult(student, f"{exercise}_x.ipynb", exercise, "en", [score], written=list(written))

    graded = [row("ana", "ex01", 4, [("## Question 3", "Because.")]), row("ana", "ex01", 7),
              row("=bo", "ex02", 10, [("## Question 3", "")])]
    write_results(graded, tmp_path, progress=None)
    write_gradebook(graded, tmp_path)
    assert (tmp_path / "students.csv").read_text().splitlines() == [
        "student,ex01,ex02,written,total", "'=bo,,10,0,10", "ana,7,,0,7"]
    assert "## ana (ex01_x.ipynb)\n\n### Question 3\n\nBecause." in (tmp_path / "written" / "ex01.md").read_text()
    points = tmp_path / "written_points.csv"
    points.write_text(points.read_text().replace("ana,ex01,ex01_x.ipynb,## Question 3,", "ana,ex01,ex01_x.ipynb,## Question 3,2.5"))
    write_gradebook(graded, tmp_path)  # a new run keeps what was filled in
    assert "ana,7,,2.5,9.5" in write_student_table(tmp_path).read_text()
