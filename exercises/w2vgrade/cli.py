"""The ``python -m w2vgrade`` command line: ``generate``, ``check``, ``grade`` and ``table``.

Usage errors (a missing folder, no notebooks, an unknown exercise id, a bad number) print one
line naming the value and the fix, and exit with status 2.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from w2vgrade import sandbox
from w2vgrade.checks import DEFAULT_PACKAGE, exercise_ids
from w2vgrade.generate import EXERCISES_DIR, GenerateError, generate, out_of_date
from w2vgrade.grade import UsageError, grade_folder, score_submission
from w2vgrade.notebooks import NotebookError
from w2vgrade.report import CSV_NAME, submission_lines, write_student_table
from w2vgrade.sandbox import GIB, Limits

USAGE_ERROR = 2


def _number(unit: str, example: str, convert=float):
    """An argparse type: a finite number > 0 of ``unit`` (a whole one when ``convert`` is int)."""
    whole = convert is int

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {'whole ' * whole}number of {unit}, got {text!r}; "
                                             f"e.g. {example}") from None
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(
                f"must be {'1 or more' if whole else f'a finite number of {unit} > 0'}, got {text!r}")
        return value

    return parse


_seconds, _gib, _jobs = _number("seconds", "30"), _number("GiB", "4"), _number("parallel jobs", "2", int)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m w2vgrade",
        description="Generate, check and grade the course's exercise notebooks (see exercises/README.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser("generate", help="make the student notebooks from the source notebooks")
    generate.add_argument("--source", type=Path, default=None, help="source folder (default: exercises/source)")
    generate.add_argument("--out", type=Path, default=None, help="output folder (default: exercises)")
    generate.add_argument("--check", action="store_true",
                          help="write nothing; exit 1 if a student notebook is missing or out of date")

    def add_limits(command):
        command.add_argument("--timeout-cell", type=_seconds, default=Limits.cell, metavar="S",
                             help=f"CPU seconds allowed per cell and per question (default {Limits.cell:g})")
        command.add_argument("--timeout-total", type=_seconds, default=Limits.total, metavar="S",
                             help=f"CPU seconds allowed for one notebook (default {Limits.total:g}); the "
                                  "wall-clock backstop is 3 times this plus 30 s")
        command.add_argument("--memory", type=_gib, default=Limits.memory / GIB, metavar="GIB",
                             help=f"memory (address space) per notebook in GiB (default {Limits.memory / GIB:g})")
        command.add_argument("--isolation", choices=("auto", "bwrap", "process"), default="auto",
                             help="bwrap: a bubblewrap sandbox per notebook (no root needed); process: "
                                  "NO isolation, the notebook can read and change your files; auto: bwrap "
                                  "when it works here (default)")
        command.add_argument("--checks-package", default=DEFAULT_PACKAGE, metavar="NAME",
                             help="package holding the exNN check modules (default w2vgrade.checks)")

    check = commands.add_parser("check", help="check your notebook: points and messages per question")
    check.add_argument("notebook", type=Path, metavar="NOTEBOOK", help="your saved .ipynb file (it is not modified)")
    check.add_argument("--exercise", default=None, help="exercise id (default: from the notebook)")
    add_limits(check)

    grade = commands.add_parser("grade",
                                help="grade SUBMISSIONS_DIR/<student>/exNN_*.ipynb to a CSV and feedback files")
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR",
                       help="one sub-folder per student: SUBMISSIONS_DIR/<student>/exNN_<name>.ipynb "
                            "(Moodle's download), or Canvas's flat download: "
                            "SUBMISSIONS_DIR/name_userid_submissionid_exNN_<name>.ipynb")
    grade.add_argument("--out", type=Path, required=True, metavar="RESULTS_DIR",
                       help="folder for grades.csv, students.csv, feedback/<student>.md, written/ and "
                            "written_points.csv (must be new or empty)")
    grade.add_argument("--jobs", type=_jobs, default=2, metavar="N", help="notebooks graded in parallel (default 2)")
    grade.add_argument("--force", action="store_true",
                       help="allow a results folder with files: replace grades.csv and the graded students' feedback")
    add_limits(grade)

    table = commands.add_parser("table", help="rebuild students.csv after filling in written_points.csv")
    table.add_argument("results", type=Path, metavar="RESULTS_DIR", help="the --out folder of a grading run")
    return parser


def main(argv=None) -> None:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        status = COMMANDS[arguments.command](arguments)
    except (UsageError, GenerateError, NotebookError) as error:
        print(f"w2vgrade {arguments.command}: error: {error}", file=sys.stderr)
        sys.exit(USAGE_ERROR)
    sys.exit(status)


def _generate(arguments) -> int:
    source = arguments.source or EXERCISES_DIR / "source"
    out = arguments.out or EXERCISES_DIR
    if not source.is_dir():
        raise UsageError(f"source folder {str(source)!r} does not exist; pass --source exercises/source")
    if arguments.check:
        problems = out_of_date(source, out)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} student notebook(s) out of date; run: python -m w2vgrade generate")
        return 1 if problems else 0
    written = generate(source, out)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} student notebook(s) written, the others were up to date")
    return 0


def _check(arguments) -> int:
    notebook = arguments.notebook
    if not notebook.is_file():
        raise UsageError(f"notebook {str(notebook)!r} does not exist; pass the path of your .ipynb file")
    known = exercise_ids(arguments.checks_package)
    if arguments.exercise is not None and arguments.exercise not in known:
        raise UsageError(f"unknown exercise id {arguments.exercise!r}; known: {', '.join(known)}")
    result = score_submission(notebook, student="", limits=_limits(arguments), package=arguments.checks_package,
                              exercise=arguments.exercise, level=_level(arguments))
    print("\n".join(submission_lines(result)))
    return 0


def _grade(arguments) -> int:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    try:
        grade_folder(arguments.submissions, arguments.out, _limits(arguments), arguments.jobs, arguments.force,
                     arguments.checks_package, level=_level(arguments))
    except KeyboardInterrupt:
        print("w2vgrade grade: interrupted; the rows graded so far are in grades.csv", file=sys.stderr)
        return 130
    return 0


def _table(arguments) -> int:
    results = arguments.results
    if not (results / CSV_NAME).is_file():
        raise UsageError(f"{str(results / CSV_NAME)!r} does not exist; pass the --out folder of a grading run")
    try:
        print(f"wrote {write_student_table(results)}")
    except ValueError as error:
        raise UsageError(str(error)) from None
    return 0


def _limits(arguments) -> Limits:
    return Limits(cell=arguments.timeout_cell, total=arguments.timeout_total, memory=int(arguments.memory * GIB))


def _level(arguments) -> str:
    if arguments.isolation == "bwrap" and sandbox.level() != "bwrap":
        raise UsageError(f"--isolation bwrap: {sandbox.bwrap_problem()} Install bubblewrap "
                         "(see exercises/README.md), or pass --isolation process to run without a sandbox")
    return sandbox.level() if arguments.isolation == "auto" else arguments.isolation


COMMANDS = {"generate": _generate, "check": _check, "grade": _grade, "table": _table}
