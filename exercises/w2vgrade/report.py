"""Reporting grades: ``grades.csv``, ``feedback/<student>.md``, the lines of ``w2vgrade check``,
and for the instructor:

* ``students.csv``: one row per student, one column per exercise (the total of its
  notebook; the best one when a student handed in several), the written points added by
  hand, and the sum: a table a spreadsheet or an LMS gradebook imports.
* ``written/<exercise>.md``: every student's written answers of one exercise, one after
  the other, to read and mark in one go; ``written_points.csv`` (student, exercise,
  notebook, question, points) has an empty ``points`` column to fill in.
  ``python -m w2vgrade table RESULTS`` rebuilds ``students.csv`` with them; a later
  ``grade --force`` keeps the points filled in.

Written by the grader alone (the student processes never see the results folder). Every cell
of ``grades.csv`` that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is prefixed with ``'``; a student's folder name
becomes a safe file name for its feedback file, and control characters in shown names are
escaped. A feedback file that cannot be written is reported, and ``grades.csv`` is written
regardless.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from w2vlib.files import write_text_atomically

CSV_NAME = "grades.csv"
FEEDBACK_DIR = "feedback"


@dataclass
class QuestionScore:
    """Points earned on one question and the message explaining them."""

    id: str
    function: str
    points: float
    max_points: float
    status: str
    en: str = ""
    es: str = ""

    @classmethod
    def of(cls, question, outcome: dict | None = None, en: str = "", es: str = ""):
        """The score of ``question`` (a :class:`w2vgrade.api.Question`) from a check's
        ``outcome``; without one, zero points: the question was not checked, ``en``/``es`` say why."""
        if outcome is None:
            return cls(question.id, question.function, 0, question.points, "not-run", en, es)
        points = round(min(max(outcome["fraction"], 0.0), 1.0) * question.points, 2)
        return cls(question.id, question.function, points, question.points, outcome["status"], outcome["en"],
                   outcome["es"])


@dataclass
class SubmissionResult:
    """The grade of one notebook: per question, plus problems met while running it."""

    student: str
    notebook: str
    exercise: str
    lang: str
    questions: list[QuestionScore] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, en, es)
    review: str = ""
    elapsed: float | None = None
    written: list[tuple[str, str]] = field(default_factory=list)  # (question, answer), read by hand

    @property
    def total(self) -> float:
        return round(sum(question.points for question in self.questions), 2)

    @property
    def max_total(self) -> float:
        return round(sum(question.max_points for question in self.questions), 2)

    @property
    def status(self) -> str:
        """``ok``, or the kind of the first problem (``error``, ``timeout``, ``invalid``...)."""
        return self.problems[0][0] if self.problems else "ok"


WORDS = {
    "en": {
        "title": "Feedback for {student}",
        "exercise": "{exercise}{notebook}: {total:g} / {max_total:g} points",
        "problems": "Problems while running the notebook:",
        "ok": "correct",
        "total": "Total: {total:g} / {max_total:g} points",
        "repeated": "You handed in more than one notebook for {exercises}: each is graded on its own line above.",
        "grading_note": "The points are computed by the grader; the notebook itself is never modified.",
    },
    "es": {
        "title": "Comentarios para {student}",
        "exercise": "{exercise}{notebook}: {total:g} / {max_total:g} puntos",
        "problems": "Problemas al ejecutar el cuaderno:",
        "ok": "correcto",
        "total": "Total: {total:g} / {max_total:g} puntos",
        "repeated": "Entregaste más de un cuaderno de {exercises}: cada uno tiene su propia línea arriba.",
        "grading_note": "Los puntos los calcula el corrector; el cuaderno nunca se modifica.",
    },
}


def shown(text: str) -> str:
    """``text`` with control characters escaped, for one line of Markdown or the terminal."""
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in str(text))


def question_line(question, lang: str) -> str:
    """``q1 cosine_similarity: 4/4 — correct`` (or the check's message)."""
    message = (question.es if lang == "es" else question.en) or WORDS[lang]["ok"]
    return f"{question.id} {question.function}: {question.points:g}/{question.max_points:g} — {message}"


def submission_lines(result: SubmissionResult) -> list[str]:
    """Plain-text lines for one notebook, printed by ``w2vgrade check`` and ``check_notebook``
    (which has no notebook name)."""
    words = WORDS[result.lang]
    notebook = f" ({shown(result.notebook)})" if result.notebook else ""
    lines = [words["exercise"].format(exercise=result.exercise, notebook=notebook, total=result.total,
                                      max_total=result.max_total)]
    lines += ["  " + question_line(question, result.lang) for question in result.questions]
    if result.problems:
        lines.append(words["problems"])
        lines += [f"  - {en if result.lang == 'en' else es}" for _, en, es in result.problems]
    return lines


def student_feedback(student: str, results) -> str:
    """The Markdown feedback file of one student (all their notebooks)."""
    lang = results[0].lang
    parts = [f"# {WORDS[lang]['title'].format(student=shown(student))}", ""]
    for result in results:  # the lines of w2vgrade check, as Markdown
        head, *lines = submission_lines(result)
        parts += ["## " + head, ""]
        for line in lines:
            parts += [f"- {line.strip().removeprefix('- ')}"] if line.startswith("  ") else ["", line, ""]
        parts.append("")
    exercises = [result.exercise for result in results]
    repeated = sorted({exercise for exercise in exercises if exercises.count(exercise) > 1})
    if repeated:
        parts += [WORDS[lang]["repeated"].format(exercises=", ".join(repeated)), ""]
    else:
        total = round(sum(result.total for result in results), 2)
        max_total = round(sum(result.max_total for result in results), 2)
        parts += [WORDS[lang]["total"].format(total=total, max_total=max_total), ""]
    return "\n".join(parts + [WORDS[lang]["grading_note"], ""])


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(graded) -> str:
    """grades.csv: one row per notebook, a column per question id (empty if not in that
    exercise), and ``review`` for what the instructor should look at."""
    question_ids = sorted({question.id for result in graded for question in result.questions}, key=_natural)
    rows = []
    for result in graded:
        points = {question.id: f"{question.points:g}" for question in result.questions}
        rows.append([safe_cell(cell) for cell in (
            result.student, result.exercise, result.notebook, result.lang, result.status,
            *(points.get(question_id, "") for question_id in question_ids),
            f"{result.total:g}", f"{result.max_total:g}", result.review)])
    return _csv(["student", "exercise", "notebook", "lang", "status", *question_ids, "total", "max_total", "review"],
                rows)


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([header, *rows])
    return buffer.getvalue()


def _natural(text: str):
    digits = "".join(character for character in text if character.isdigit())
    return (text.rstrip("0123456789"), int(digits) if digits else -1, text)


def feedback_name(student: str) -> str:
    """A file name for ``student``'s feedback: the name itself when it is plain, else its
    plain characters and a short hash (so that two odd names never share a file)."""
    plain = re.sub(r"[^\w.-]", "_", student).lstrip(".")[:80] or "student"
    if plain != student:
        plain += "-" + hashlib.sha256(student.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return plain + ".md"


def write_results(graded, results: Path, progress=sys.stderr) -> Path:
    """Write every feedback file that can be written, then grades.csv; returns its path."""
    results = Path(results)
    by_student = {}
    for result in graded:
        by_student.setdefault(result.student, []).append(result)
    for student, results_of_student in by_student.items():
        path = results / FEEDBACK_DIR / feedback_name(student)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, student_feedback(student, results_of_student))
        except OSError as error:
            if progress:
                print(f"w2vgrade: could not write {path} ({error.strerror}); its grades are in {CSV_NAME}",
                      file=progress)
    write_text_atomically(results / CSV_NAME, csv_text(graded))
    return results / CSV_NAME


# ----- the per-student table and the written answers -------------------------------------

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
    if rows:
        write_text_atomically(results / WRITTEN_POINTS, _csv(["student", "exercise", "notebook", "question", "points"],
                                                             [[*row, points.get(row, "")] for row in rows]))
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
    rows = [[safe_cell(student), *(f"{best[name]:g}" if name in best else "" for name in exercises),
             f"{written.get(student, 0.0):g}", f"{sum(best.values()) + written.get(student, 0.0):g}"]
            for student, best in sorted(table.items())]
    path = Path(results) / STUDENTS
    write_text_atomically(path, _csv(["student", *exercises, "written", "total"], rows))
    return path
