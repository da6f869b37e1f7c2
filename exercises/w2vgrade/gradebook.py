"""For the instructor: the per-student table, and the written answers to mark by hand.

* ``students.csv``: one row per student, one column per exercise (the total of its
  notebook; the best one when a student handed in several), the written points added by
  hand, and the sum: a table a spreadsheet or an LMS gradebook imports.
* ``written/<exercise>.md``: every student's written answers of one exercise, one after
  the other, to read and mark in one go; ``written_points.csv`` (student, exercise,
  notebook, question, points) has an empty ``points`` column to fill in.
  ``python -m w2vgrade table RESULTS`` rebuilds ``students.csv`` with them; a later
  ``grade --force`` keeps the points filled in.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from w2vgrade.report import CSV_NAME, safe_cell, shown
from w2vlib.files import write_text_atomically

STUDENTS = "students.csv"
WRITTEN_DIR = "written"
WRITTEN_POINTS = "written_points.csv"
PLACEHOLDERS = ("_YOUR ANSWER HERE_", "_TU RESPUESTA AQUÍ_")


def written_answers(notebook, template) -> list[tuple[str, str]]:
    """``(question, answer)`` for each written question of ``template`` (the notebook as
    handed out): the submission's markdown cell that starts with the same heading, less
    the question's own text."""
    answers = []
    for cell in template.cells if template is not None else ():
        mark = next((mark for mark in PLACEHOLDERS if mark in cell.source), None)
        if cell.cell_type != "markdown" or mark is None:
            continue
        question = cell.source.split(mark)[0].strip()
        heading = question.splitlines()[0] if question else mark
        found = next((mine.source.strip() for mine in notebook.cells
                      if mine.cell_type == "markdown"
                      and mine.source.strip().startswith(heading)), "")
        text = found[len(question):].strip() if found.startswith(question) else found
        answers.append((heading, "" if text == mark else text))
    return answers


def write_gradebook(graded, results: Path) -> None:
    """students.csv, written/<exercise>.md, written_points.csv (filled points kept)."""
    points = read_written_points(results)
    rows = [tuple(map(safe_cell, (r.student, r.exercise, r.notebook, question)))
            for r in graded for question, _ in r.written]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "exercise", "notebook", "question", "points"])
    writer.writerows([*row, points.get(row, "")] for row in rows)
    if rows:
        write_text_atomically(results / WRITTEN_POINTS, buffer.getvalue())
    for exercise in sorted({r.exercise for r in graded if r.written}):
        parts = [f"# {exercise}: written answers", ""]
        for r in graded:
            if r.exercise == exercise and r.written:
                parts += [f"## {shown(r.student)} ({shown(r.notebook)})", ""]
                for question, answer in r.written:
                    heading = question.lstrip("# ")
                    parts += [f"### {heading}", "", answer or "(no answer)", ""]
        (results / WRITTEN_DIR).mkdir(exist_ok=True)
        path = results / WRITTEN_DIR / f"{exercise}.md"
        write_text_atomically(path, "\n".join(parts))
    write_student_table(results)


def read_written_points(results: Path) -> dict:
    """``{(student, exercise, notebook, question): points}`` filled in by hand."""
    path = Path(results) / WRITTEN_POINTS
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    keys = ("student", "exercise", "notebook", "question")
    return {tuple(row[key] for key in keys): row["points"].strip()
            for row in rows if (row.get("points") or "").strip()}


def write_student_table(results: Path) -> Path:
    """students.csv from grades.csv and the written points; returns its path."""
    with (Path(results) / CSV_NAME).open(encoding="utf-8", newline="") as stream:
        graded = list(csv.DictReader(stream))
    exercises = sorted({row["exercise"] for row in graded} - {"", "?"})
    table = {}
    for row in graded:
        best = table.setdefault(row["student"], {})
        if row["exercise"] in exercises:
            total = float(row["total"] or 0)
            best[row["exercise"]] = max(best.get(row["exercise"], total), total)
    written = {}
    for (student, *_), value in read_written_points(results).items():
        try:
            written[student] = written.get(student, 0.0) + float(value)
        except ValueError:
            message = (f"{WRITTEN_POINTS}: the points {value!r} of {student!r} are "
                       "not a number; write one, e.g. 2.5, or leave it empty")
            raise ValueError(message) from None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *exercises, "written", "total"])
    for student, best in sorted(table.items()):
        cells = [f"{best[name]:g}" if name in best else "" for name in exercises]
        extra = written.get(student, 0.0)
        writer.writerow([safe_cell(student), *cells, f"{extra:g}",
                         f"{sum(best.values()) + extra:g}"])
    path = Path(results) / STUDENTS
    write_text_atomically(path, buffer.getvalue())
    return path
