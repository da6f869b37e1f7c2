"""Scoring submissions: one notebook (:func:`score_submission`) or a folder of them (:func:`grade_folder`).

Layout of a submissions folder (one sub-folder per student, named after the student)::

    SUBMISSIONS_DIR/
        alice/ex01_cosine.ipynb
        alice/ex03_pairs.ipynb
        bob/ex01_cosine.ipynb

Notebooks may sit deeper inside a student's folder; hidden folders and ``.ipynb_checkpoints``
are skipped. The exercise is read from the notebook metadata, else from the file name's
``exNN`` prefix.

Points are computed here, in the grader, from the per-question fractions the kernel reports
(each capped to [0, 1] and multiplied by the question's points from the checks module);
nothing the notebook prints about totals is used.

Results (``RESULTS_DIR/grades.csv`` and ``RESULTS_DIR/feedback/<student>.md``) are written
through temporary files and ``os.replace``. An existing results folder that already holds
files is refused unless ``force=True``, which replaces ``grades.csv`` and the feedback files
of the students graded now and leaves every other file alone.
"""

from __future__ import annotations

import csv
import io
import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from w2vgrade.checks import DEFAULT_PACKAGE, exercise_ids, load_questions
from w2vgrade.execute import Limits, kill_all_running, run_submission
from w2vgrade.feedback import QuestionScore, student_feedback
from w2vgrade.generate import write_atomically
from w2vgrade.notebooks import NotebookError, exercise_from_name, notebook_identity, read_notebook

CSV_NAME = "grades.csv"
FEEDBACK_DIR = "feedback"


class UsageError(ValueError):
    """A wrong command-line value; the message names the value and the fix."""


@dataclass
class SubmissionResult:
    """The grade of one notebook: per question, plus problems met while running it."""

    student: str
    notebook: str
    exercise: str
    lang: str
    questions: list[QuestionScore] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, en, es)
    elapsed: float | None = None

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

    def __repr__(self):
        return (
            f"SubmissionResult(student={self.student!r}, exercise={self.exercise!r}, "
            f"total={self.total:g}/{self.max_total:g}, status={self.status!r})"
        )


def score_submission(path: Path, student: str, limits: Limits = Limits(),
                     package: str = DEFAULT_PACKAGE, exercise: str | None = None) -> SubmissionResult:
    """Grade one notebook file; never raises because of what the file contains.

    ``exercise`` overrides the id found in the notebook's metadata or file name.
    """
    path = Path(path)
    forced_exercise = exercise
    exercise = forced_exercise or exercise_from_name(path.name)
    try:
        notebook = read_notebook(path)
    except NotebookError as error:
        return _ungraded(student, path, exercise, "en", package, "invalid",
                         f"{error}. Nothing in it could be run.",
                         f"{error}. No se pudo ejecutar nada.")
    exercise, lang = notebook_identity(notebook, path)
    exercise = forced_exercise or exercise
    if exercise is None or exercise not in exercise_ids(package):
        shown = exercise or "?"
        return _ungraded(student, path, shown, lang, package, "unknown-exercise",
                         f"cannot tell which exercise {path.name} is ({shown!r}): keep the file name "
                         "exNN_<name>.ipynb of the notebook you were given.",
                         f"no se sabe qué ejercicio es {path.name} ({shown!r}): conserva el nombre "
                         "exNN_<nombre>.ipynb del cuaderno que recibiste.")
    questions = load_questions(exercise, package)
    report = run_submission(path, exercise, [question.id for question in questions], limits, package)
    result = SubmissionResult(student, path.name, exercise, lang, elapsed=report.get("elapsed"))
    result.problems = _problems(report, limits)
    for question in questions:
        result.questions.append(_question_score(question, report, limits))
    return result


def _ungraded(student, path, exercise, lang, package, kind, en, es) -> SubmissionResult:
    result = SubmissionResult(student, Path(path).name, exercise or "?", lang, problems=[(kind, en, es)])
    if exercise in exercise_ids(package):
        for question in load_questions(exercise, package):
            result.questions.append(QuestionScore(
                question.id, question.function, 0, question.points, "not-run",
                "not checked: the notebook could not be run.", "sin comprobar: el cuaderno no se pudo ejecutar."))
    return result


def _problems(report: dict, limits: Limits) -> list[tuple[str, str, str]]:
    problems = []
    for cell in report["cells"]:
        where_en = f"cell {cell['index'] + 1} (`{cell['snippet']}`)"
        where_es = f"la celda {cell['index'] + 1} (`{cell['snippet']}`)"
        if cell["timeout"]:
            problems.append(("timeout", f"{where_en} did not finish within {limits.cell:g} s and was interrupted.",
                             f"{where_es} no terminó en {limits.cell:g} s y se interrumpió."))
        else:
            error = f"{cell['ename']}: {cell['evalue']}".rstrip(": ")
            problems.append(("error", f"{where_en} raised {error}.", f"{where_es} lanzó {error}."))
    if report["total_timeout"]:
        problems.insert(0, ("timeout", f"the notebook exceeded the total time limit of {limits.total:g} s and was stopped.",
                            f"el cuaderno superó el tiempo total de {limits.total:g} s y se detuvo."))
    elif report["unresponsive"]:
        cell = report["unresponsive_after"]
        where = f"cell {cell + 1}" if cell is not None else "a check"
        where_es = f"la celda {cell + 1}" if cell is not None else "una comprobación"
        problems.insert(0, ("timeout", f"the kernel ignored the interrupt after {where} timed out and was stopped; "
                            "the rest of the notebook was not run.",
                            f"el núcleo ignoró la interrupción tras agotarse el tiempo de {where_es} y se detuvo; "
                            "el resto del cuaderno no se ejecutó."))
    elif report["kernel_died"]:
        cell = report["kernel_died_at"]
        where = f"cell {cell + 1}" if cell is not None else "a check"
        where_es = f"la celda {cell + 1}" if cell is not None else "una comprobación"
        problems.insert(0, ("crashed", f"the Python kernel died while running {where} (os._exit, a crash or too much memory).",
                            f"el núcleo de Python murió al ejecutar {where_es} (os._exit, un fallo o demasiada memoria)."))
    if report["startup_error"]:
        problems.insert(0, ("crashed", f"the kernel could not run the notebook: {report['startup_error']}",
                            f"el núcleo no pudo ejecutar el cuaderno: {report['startup_error']}"))
    if report["failure"]:
        problems.insert(0, ("killed", f"grading was stopped: {report['failure']}",
                            f"la corrección se detuvo: {report['failure']}"))
    return problems


def _question_score(question, report: dict, limits: Limits) -> QuestionScore:
    def score(status, fraction, en, es):
        return QuestionScore(question.id, question.function, round(fraction * question.points, 2),
                             question.points, status, en, es)

    if question.id in report["duplicates"]:
        return score("tampered", 0, "the check printed more than one result: the notebook's output interfered with grading.",
                     "la comprobación imprimió más de un resultado: la salida del cuaderno interfirió con la corrección.")
    outcome = report["questions"].get(question.id)
    if outcome is None:
        if report["total_timeout"] or report["failure"]:
            return score("not-run", 0, "not checked: the notebook was stopped at the total time limit.",
                         "sin comprobar: el cuaderno se detuvo al llegar al tiempo total.")
        if report["kernel_died"] or report["unresponsive"] or report["startup_error"]:
            return score("not-run", 0, "not checked: the kernel had stopped.",
                         "sin comprobar: el núcleo se había detenido.")
        return score("timeout", 0, f"the check of {question.function} did not finish within {limits.cell:g} s: look for a loop that never ends.",
                     f"la comprobación de {question.function} no terminó en {limits.cell:g} s: busca un bucle que no acaba nunca.")
    fraction = outcome.get("fraction")
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or math.isnan(fraction):
        fraction = 0.0
    fraction = min(max(float(fraction), 0.0), 1.0)
    return score(str(outcome.get("status", "")), fraction, str(outcome.get("en", "")), str(outcome.get("es", "")))


# ----- folders -----------------------------------------------------------------------------

def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """``(student, notebook)`` pairs of a submissions folder, sorted; UsageError if unusable.

    A student folder without notebooks gives one pair ``(student, None)``.
    """
    folder = Path(folder)
    if not folder.exists():
        raise UsageError(f"submissions folder {str(folder)!r} does not exist; pass the folder "
                         "that holds one sub-folder per student")
    if not folder.is_dir():
        raise UsageError(f"submissions folder {str(folder)!r} is a file, not a folder; pass the folder "
                         "that holds one sub-folder per student")
    loose = sorted(path.name for path in folder.glob("*.ipynb"))
    if loose:
        raise UsageError(f"{str(folder)!r} has notebooks directly inside ({', '.join(loose[:3])}"
                         f"{', ...' if len(loose) > 3 else ''}); put each student's notebooks in "
                         f"{folder}/<student>/ (the folder name is the student's name in grades.csv)")
    found = []
    for student_dir in sorted(path for path in folder.iterdir() if path.is_dir() and not path.name.startswith(".")):
        notebooks = [notebook for notebook in sorted(student_dir.rglob("*.ipynb"))
                     if not any(part.startswith(".") for part in notebook.relative_to(student_dir).parts)]
        found += [(student_dir.name, notebook) for notebook in notebooks] or [(student_dir.name, None)]
    if not any(notebook for _, notebook in found):
        raise UsageError(f"no notebooks found in {str(folder)!r}: expected "
                         f"{folder}/<student>/exNN_<name>.ipynb")
    return found


def _grade_one(student: str, path: Path | None, folder: Path, limits: Limits, package: str) -> SubmissionResult:
    """One row of the batch; a student without notebooks or a grader failure is a row too."""
    if path is None:
        files = sorted(item.name for item in (Path(folder) / student).rglob("*") if item.is_file())
        seen = f" (found: {', '.join(files[:5])})" if files else ""
        return SubmissionResult(student, "", "?", "en", problems=[(
            "no-notebooks", f"no .ipynb file in {student}/{seen}.", f"no hay ningún archivo .ipynb en {student}/{seen}.")])
    try:
        return score_submission(path, student, limits, package)
    except Exception as error:  # a grader bug must not stop the batch; the row says what happened
        message = f"internal grader error ({type(error).__name__}: {error}); this notebook was not graded"
        return SubmissionResult(student, path.name, exercise_from_name(path.name) or "?", "en",
                                problems=[("grader-error", message, message)])


def check_results_folder(results: Path, submissions: Path, force: bool) -> None:
    """Refuse a results folder inside the submissions, or one with files unless ``force``."""
    results, submissions = Path(results).resolve(), Path(submissions).resolve()
    if results == submissions or submissions in results.parents:
        raise UsageError(f"results folder {str(results)!r} is inside the submissions folder; "
                         "choose a folder outside it, e.g. --out results")
    if results.exists() and not results.is_dir():
        raise UsageError(f"results folder {str(results)!r} is a file; pass a folder name")
    if results.exists() and any(results.iterdir()) and not force:
        existing = sorted(path.name for path in results.iterdir())
        raise UsageError(f"results folder {str(results)!r} already has files ({', '.join(existing[:4])}); "
                         "choose a new folder, or pass --force to replace grades.csv and the feedback "
                         "files of the students graded now (other files are left alone)")


def grade_folder(submissions: Path, results: Path, limits: Limits = Limits(), jobs: int = 2,
                 force: bool = False, package: str = DEFAULT_PACKAGE, progress=sys.stderr) -> list[SubmissionResult]:
    """Grade every notebook of ``submissions``; write grades.csv and feedback/<student>.md."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"--jobs must be an integer >= 1, got {jobs!r}")
    found = find_submissions(submissions)
    check_results_folder(results, submissions, force)
    started = time.monotonic()
    graded = []
    executor = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [executor.submit(_grade_one, student, path, Path(submissions), limits, package)
                   for student, path in found]
        for future in as_completed(futures):
            result = future.result()
            graded.append(result)
            if progress:
                seconds = f", {result.elapsed:.1f} s" if result.elapsed is not None else ""
                print(f"[{len(graded)}/{len(found)}] {result.student}/{result.notebook}: "
                      f"{result.total:g}/{result.max_total:g} ({result.status}{seconds})", file=progress, flush=True)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        kill_all_running()
        raise
    executor.shutdown()
    graded.sort(key=lambda result: (result.student, result.exercise, result.notebook))
    write_results(graded, Path(results))
    if progress:
        print(f"graded {len(graded)} notebooks in {time.monotonic() - started:.1f} s; "
              f"results in {Path(results) / CSV_NAME} and {Path(results) / FEEDBACK_DIR}/", file=progress)
    return graded


def csv_text(graded: list[SubmissionResult]) -> str:
    """grades.csv: one row per notebook, a column per question id (empty if not in that exercise)."""
    question_ids = sorted({question.id for result in graded for question in result.questions}, key=_natural)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "exercise", "notebook", "lang", "status", *question_ids, "total", "max_total"])
    for result in graded:
        points = {question.id: f"{question.points:g}" for question in result.questions}
        writer.writerow([result.student, result.exercise, result.notebook, result.lang, result.status,
                         *(points.get(question_id, "") for question_id in question_ids),
                         f"{result.total:g}", f"{result.max_total:g}"])
    return buffer.getvalue()


def _natural(text: str):
    digits = "".join(character for character in text if character.isdigit())
    return (text.rstrip("0123456789"), int(digits) if digits else -1, text)


def write_results(graded: list[SubmissionResult], results: Path) -> None:
    by_student = {}
    for result in graded:
        by_student.setdefault(result.student, []).append(result)
    for student, results_of_student in by_student.items():
        write_atomically(results / FEEDBACK_DIR / f"{student}.md", student_feedback(student, results_of_student))
    write_atomically(results / CSV_NAME, csv_text(graded))
