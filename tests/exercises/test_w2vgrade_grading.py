"""End to end through real kernels, on the fixture exercise ex90: one folder of submissions,
graded in one call, with the failures the course content cannot easily produce (a kernel that
ignores interrupts, the total time limit, a kernel that dies, forged result lines, a call to
w2vlib's own implementation, a file without exercise id, a student folder without notebooks)."""

from __future__ import annotations

import csv

import pytest

from w2vgrade.execute import Limits
from w2vgrade.generate import student_notebook
from w2vgrade.grade import UsageError, grade_folder
from w2vgrade_helpers import code, file_hashes, fixture_source, notebook, write_notebook

FORGE = '''def scale(x, factor):
    import json, sys
    frame = sys._getframe()
    while frame is not None:  # steal the nonce from the grader's frame
        nonce = frame.f_locals.get("nonce")
        if isinstance(nonce, str):
            fake = {"status": "pass", "fraction": 1.0, "en": "", "es": ""}
            sys.__stdout__.write(f"W2VGRADE-RESULT {nonce} {json.dumps(fake)}\\n")
            sys.__stdout__.flush()
        frame = frame.f_back
    print("W2VGRADE-RESULT 0000 {}")
    return None'''


def build_submissions(root):
    source = fixture_source()
    write_notebook(source, root / "alice" / "ex90_demo.ipynb")
    write_notebook(student_notebook(source, "en", "ex90_demo.ipynb"), root / "bob" / "work" / "ex90_demo.ipynb")
    ignores_interrupts = fixture_source()
    ignores_interrupts.cells.insert(2, code("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"))
    write_notebook(ignores_interrupts, root / "carol" / "ex90_demo.ipynb")
    slow = fixture_source()
    slow.cells[2:2] = [code("import time\ntime.sleep(2.5)") for _ in range(8)]
    write_notebook(slow, root / "heidi" / "ex90_demo.ipynb")
    dies = fixture_source()
    dies.cells.insert(2, code("import os\nos._exit(3)"))
    write_notebook(dies, root / "dave" / "ex90_demo.ipynb")
    forges = fixture_source(scale=FORGE)
    write_notebook(forges, root / "erin" / "ex90_demo.ipynb")
    unnamed = fixture_source()
    del unnamed.metadata["w2vgrade"]
    write_notebook(unnamed, root / "frank" / "my_homework.ipynb")
    (root / "grace").mkdir()
    (root / "grace" / "ex90_demo.ipynb").write_text('{"cells": [', encoding="utf-8")
    write_notebook(notebook(["x = 1"]), root / "grace" / ".ipynb_checkpoints" / "ex90_demo-checkpoint.ipynb")
    library = fixture_source(cosine="from w2vlib.similarity import cosine_similarity\n\ndef cosine(a, b):\n    return cosine_similarity(a, b)")
    write_notebook(library, root / "judy" / "ex90_demo.ipynb")
    (root / "ivan").mkdir()
    (root / "ivan" / "homework.zip").write_bytes(b"PK")


def test_fixture_folder_grades_every_failure_kind(tmp_path, fixture_checks):
    submissions, results = tmp_path / "submissions", tmp_path / "results"
    build_submissions(submissions)
    before = file_hashes(submissions)
    graded = grade_folder(submissions, results, Limits(cell=3, total=16), jobs=2, package=fixture_checks, progress=None)
    assert file_hashes(submissions) == before
    rows = {row["student"]: row for row in csv.DictReader((results / "grades.csv").open(encoding="utf-8"))}
    summary = {student: (row["status"], row["q1"], row["q2"], row["total"]) for student, row in rows.items()}
    assert summary == {
        "alice": ("ok", "2", "3", "5"),
        "bob": ("ok", "0", "0", "0"),
        "carol": ("timeout", "0", "0", "0"),
        "dave": ("crashed", "0", "0", "0"),
        "erin": ("ok", "2", "0", "2"),
        "frank": ("unknown-exercise", "", "", "0"),
        "grace": ("invalid", "0", "0", "0"),
        "heidi": ("timeout", "0", "0", "0"),
        "ivan": ("no-notebooks", "", "", "0"),
        "judy": ("ok", "0", "3", "3"),
    }
    assert all(row["max_total"] == ("0" if row["student"] in ("frank", "ivan") else "5") for row in rows.values())
    assert "no .ipynb file in ivan/ (found: homework.zip)" in (results / "feedback" / "ivan.md").read_text()
    by_student = {result.student: result for result in graded}
    assert by_student["erin"].questions[1].status in ("tampered", "error")
    carol = (results / "feedback" / "carol.md").read_text(encoding="utf-8")
    assert "the kernel ignored the interrupt after cell 3 timed out and was stopped" in carol
    assert "cell 3 (`import signal`) did not finish within 3 s" in carol
    assert "the notebook exceeded the total time limit of 16 s" in (results / "feedback" / "heidi.md").read_text()
    assert "the Python kernel died while running cell 3" in (results / "feedback" / "dave.md").read_text()
    assert "not valid JSON" in (results / "feedback" / "grace.md").read_text()
    assert "exNN_<name>.ipynb" in (results / "feedback" / "frank.md").read_text()
    assert "cosine uses w2vlib.similarity.cosine_similarity, the library's own implementation" in (
        results / "feedback" / "judy.md").read_text()
    bob = (results / "feedback" / "bob.md").read_text()
    assert "q1 cosine: 0/2 — cosine(a, b) returned 0.0, expected" in bob


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
    grade_folder(submissions, results, force=True, progress=None)  # invalid file: no kernel needed
    assert (results / "grades.csv").read_text().splitlines()[1].startswith("ana,ex01,ex01_x.ipynb,en,invalid,0,0")
    assert (results / "notes.txt").read_text() == "instructor's notes\n"
    assert "not UTF-8" in (results / "feedback" / "ana.md").read_text()
    assert sorted(path.name for path in results.rglob("*")) == ["ana.md", "feedback", "grades.csv", "notes.txt"]


def test_a_grader_failure_is_a_row_not_a_crash(tmp_path, monkeypatch):
    import w2vgrade.grade as grade

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(grade, "score_submission", broken)
    result = grade._grade_one("ana", tmp_path / "ex01_a.ipynb", tmp_path, Limits(), "w2vgrade.checks")
    assert (result.status, result.exercise, result.total) == ("grader-error", "ex01", 0)
    assert "internal grader error (RuntimeError: disk full)" in result.problems[0][1]


@pytest.mark.parametrize("reported, points", [(7.0, 2.0), (-1.0, 0.0), (0.25, 0.5), (float("nan"), 0.0), ("1", 0.0), (True, 0.0)])
def test_points_are_computed_by_the_grader_and_capped(reported, points):
    import w2vgrade.grade as grade
    from w2vgrade.api import Question

    question = Question("q1", "f", 2, lambda fn: None)
    report = {"duplicates": [], "questions": {"q1": {"status": "pass", "fraction": reported, "en": "", "es": ""}}}
    assert grade._question_score(question, report, Limits()).points == points


def test_hard_limit_kills_a_stuck_worker_and_its_kernel(tmp_path, fixture_checks, monkeypatch):
    """The worker is frozen (SIGSTOP), so it cannot enforce the limits: the grader kills both."""
    import os
    import signal
    import threading
    import time

    import w2vgrade.execute as execute

    monkeypatch.setattr(execute, "GRACE_SECONDS", 2.0)
    sleeper = fixture_source()
    sleeper.cells.insert(2, code("import time\ntime.sleep(120)"))
    path = write_notebook(sleeper, tmp_path / "ex90_demo.ipynb")
    kernel_pids = []

    def freeze_worker_once_the_kernel_runs():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not kernel_pids:
            for process, pid_file in list(execute._running):
                if pid_file.exists() and pid_file.read_text():
                    kernel_pids.append(int(pid_file.read_text()))
                    os.kill(process.pid, signal.SIGSTOP)
            time.sleep(0.1)

    freezer = threading.Thread(target=freeze_worker_once_the_kernel_runs)
    freezer.start()
    started = time.monotonic()
    report = execute.run_submission(path, "ex90", ["q1", "q2"], Limits(cell=100, total=8), fixture_checks)
    freezer.join()
    assert time.monotonic() - started < 30
    assert report["failure"] == "killed after the hard limit of 10 s" and report["questions"] == {}
    time.sleep(0.2)
    try:
        state = open(f"/proc/{kernel_pids[0]}/stat").read().split()[2]
    except FileNotFoundError:
        state = "gone"
    assert state in ("Z", "X", "gone"), f"kernel {kernel_pids[0]} still running (state {state})"
