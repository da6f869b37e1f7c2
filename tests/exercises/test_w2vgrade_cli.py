"""The command line: clear usage errors (exit status 2) and the student's one-command check."""

from __future__ import annotations

import subprocess
import sys

import pytest

from w2vgrade.cli import main
from w2vgrade.generate import student_notebook
from w2vgrade_helpers import REPO, code, fixture_source, notebook, write_notebook


def run_cli(capsys, *arguments):
    with pytest.raises(SystemExit) as exit_info:
        main(list(arguments))
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture
def submissions(tmp_path):
    folder = tmp_path / "submissions"
    write_notebook(fixture_source(), folder / "ana" / "ex90_demo.ipynb")
    return folder


@pytest.mark.parametrize("make, expected", [
    (lambda tmp: tmp / "nowhere", "does not exist; pass the folder that holds one sub-folder per student"),
    (lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt", "is a file, not a folder"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "no notebooks found in"),
    (lambda tmp: write_notebook(notebook(["x = 1"]), tmp / "flat" / "ex01_a.ipynb").parent,
     "has notebooks directly inside (ex01_a.ipynb); put each student's notebooks in"),
])
def test_grade_usage_errors_name_the_value_and_the_fix(tmp_path, capsys, make, expected):
    status, _, err = run_cli(capsys, "grade", str(make(tmp_path)), "--out", str(tmp_path / "results"))
    assert status == 2
    assert err.startswith("w2vgrade grade: error: ") and expected in err


def test_results_folder_inside_submissions_or_not_empty_is_refused(tmp_path, capsys, submissions):
    status, _, err = run_cli(capsys, "grade", str(submissions), "--out", str(submissions / "results"))
    assert status == 2 and "inside the submissions folder" in err
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "grades.csv").write_text("previous run\n")
    status, _, err = run_cli(capsys, "grade", str(submissions), "--out", str(tmp_path / "results"))
    assert status == 2 and "already has files (grades.csv)" in err and "--force" in err
    assert (tmp_path / "results" / "grades.csv").read_text() == "previous run\n"


@pytest.mark.parametrize("arguments, expected", [
    (["--timeout-cell", "abc"], "argument --timeout-cell: expected a number of seconds, got 'abc'"),
    (["--timeout-total", "-1"], "argument --timeout-total: must be a finite number of seconds > 0, got '-1'"),
    (["--jobs", "0"], "argument --jobs: must be 1 or more, got '0'"),
    (["--memory", "lots"], "argument --memory: expected a number of GiB, got 'lots'; e.g. 4"),
])
def test_bad_numbers_are_usage_errors(tmp_path, capsys, submissions, arguments, expected):
    status, _, err = run_cli(capsys, "grade", str(submissions), "--out", str(tmp_path / "r"), *arguments)
    assert status == 2 and expected in err


def test_check_usage_errors(tmp_path, capsys, submissions):
    status, _, err = run_cli(capsys, "check", str(tmp_path / "missing.ipynb"))
    assert status == 2 and "notebook" in err and "does not exist" in err
    status, _, err = run_cli(capsys, "check", str(submissions / "ana" / "ex90_demo.ipynb"), "--exercise", "ex99")
    assert status == 2 and "unknown exercise id 'ex99'; known: ex01" in err


def test_generate_usage_and_source_errors(tmp_path, capsys):
    status, _, err = run_cli(capsys, "generate", "--source", str(tmp_path / "nope"))
    assert status == 2 and "source folder" in err and "does not exist" in err
    bad = notebook([code("### BEGIN SOLUTION\nx = 1\n", ["solution"])])
    write_notebook(bad, tmp_path / "source" / "en" / "ex90_demo.ipynb")
    status, _, err = run_cli(capsys, "generate", "--source", str(tmp_path / "source"), "--out", str(tmp_path / "out"))
    assert status == 2 and "ex90_demo.ipynb, cell 0: ### BEGIN SOLUTION is never closed" in err


def test_generate_check_mode(tmp_path, capsys):
    write_notebook(fixture_source(), tmp_path / "source" / "en" / "ex90_demo.ipynb")
    arguments = ["generate", "--source", str(tmp_path / "source"), "--out", str(tmp_path / "out")]
    status, out, _ = run_cli(capsys, *arguments, "--check")
    assert status == 1 and out.startswith("missing:")
    assert run_cli(capsys, *arguments)[0] == 0
    assert run_cli(capsys, *arguments, "--check")[0] == 0


def test_student_checks_a_notebook_in_one_command(tmp_path, fixture_checks):
    """Through a real student process: ``python -m w2vgrade check NOTEBOOK`` prints points and messages."""
    blank = student_notebook(fixture_source("es"), "es", "ex90_demo.ipynb")
    path = write_notebook(blank, tmp_path / "ex90_demo.ipynb")
    before = path.read_bytes()
    completed = subprocess.run(
        [sys.executable, "-m", "w2vgrade", "check", str(path), "--checks-package", fixture_checks],
        capture_output=True, text=True, cwd=REPO, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "ex90 (ex90_demo.ipynb): 0 / 5 puntos"
    assert lines[1].startswith("  q1 cosine: 0/2 — cosine(a, b) devolvió 0.0 y se esperaba")
    assert lines[2].startswith("  q2 scale: 0/3 — al comprobar scale se produjo TypeError")
    assert path.read_bytes() == before


def test_usage_error_exit_status_from_a_real_process(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "w2vgrade", "grade", str(tmp_path / "none"), "--out", str(tmp_path / "r")],
                               capture_output=True, text=True, cwd=REPO, timeout=120)
    assert completed.returncode == 2
    assert "submissions folder" in completed.stderr and "does not exist" in completed.stderr
