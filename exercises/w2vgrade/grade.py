"""Grading: one notebook (:func:`score_submission`) or a folder of them (:func:`grade_folder`).

Layout of a submissions folder (one sub-folder per student, named after the student)::

    SUBMISSIONS_DIR/
        alice/ex01_cosine.ipynb
        alice/ex03_pairs.ipynb
        bob/ex01_cosine.ipynb

Notebooks may sit deeper inside a student's folder (the CSV names them by their path inside
it). Canvas's flat download (``SUBMISSIONS_DIR/smithjane_1234_56789_ex01_cosine.ipynb``:
name, user id, submission id, file) is read as student ``smithjane_1234``. Hidden folders and
``.ipynb_checkpoints`` are skipped; only regular files are graded (a
symbolic link, FIFO or device gets a row saying so). The exercise is read from the notebook
metadata, else from the file name's ``exNN`` prefix.

For each notebook: a copy goes into a private scratch folder, a student process
(:mod:`w2vgrade.student`, in the sandbox of :mod:`w2vgrade.sandbox`) runs its code cells, and each
question's check runs here, calling the student's function in that process
(:mod:`w2vgrade.check`). If a question stops the student process (it ignored its time
limit), the next question gets a fresh process. Points are computed here from each check's
fraction and the question's points; results are written by :mod:`w2vgrade.report`.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from w2vgrade import sandbox
from w2vgrade.check import evaluate, library_references, out_of_time, raised_message, tampering
from w2vgrade.checks import DEFAULT_PACKAGE, exercise_ids, load_questions
from w2vgrade.notebooks import (
    NotebookError,
    cell_tags,
    exercise_from_name,
    notebook_identity,
    parse_notebook,
)
from w2vgrade.report import (
    CSV_NAME,
    FEEDBACK_DIR,
    WRITTEN_POINTS,
    QuestionScore,
    SubmissionResult,
    write_gradebook,
    write_results,
    written_answers,
)
from w2vgrade.session import SandboxStopped, Session

SELF_CHECK_TAG = "self-check"
CANVAS = re.compile(r"(?P<name>[^_/]+)_(?:LATE_)?(?P<user>\d+)_\d+_(?P<file>.+\.ipynb)")
RESTARTS = 2
NOT_RUN = ("not checked: the notebook could not be run.", "sin comprobar: el cuaderno no se pudo ejecutar.")
STOPPED_TOO_OFTEN = ("not checked: the notebook's process was stopped too often.",
                     "sin comprobar: el proceso del cuaderno se detuvo demasiadas veces.")


class UsageError(ValueError):
    """A wrong command-line value; the message names the value and the fix."""


def score_submission(path: Path, student: str, limits: sandbox.Limits = sandbox.Limits(),
                     package: str = DEFAULT_PACKAGE, exercise: str | None = None, level: str | None = None,
                     name: str | None = None, stop: threading.Event | None = None) -> SubmissionResult:
    """Grade one notebook file; never raises because of what the file contains.

    ``exercise`` overrides the id found in the notebook; ``level`` the isolation level
    (:func:`w2vgrade.sandbox.level`); ``name`` is the notebook's name in the results (default:
    its file name). When ``stop`` is set during the checks, the row says ``interrupted`` and
    earns nothing: a half-checked notebook never looks graded.
    """
    path, started, forced = Path(path), time.monotonic(), exercise
    name = name or path.name
    exercise = forced or exercise_from_name(Path(name).name)
    try:
        raw = sandbox.read_regular(path)
        notebook = parse_notebook(raw, path)
    except sandbox.NotRegular as error:
        return _ungraded(student, name, exercise, "en", package, "refused",
                         f"{name} is {error}: only regular notebook files are graded.",
                         f"{name} es {error}: solo se corrigen archivos de cuaderno normales.")
    except NotebookError as error:
        return _ungraded(student, name, exercise, "en", package, "invalid",
                         f"{error}. Nothing in it could be run.", f"{error}. No se pudo ejecutar nada.")
    found, lang = notebook_identity(notebook, path)
    exercise = forced or found
    if exercise is None or exercise not in exercise_ids(package):
        shown = exercise or "?"
        return _ungraded(student, name, shown, lang, package, "unknown-exercise",
                         f"cannot tell which exercise {name} is ({shown!r}): keep the file name "
                         "exNN_<name>.ipynb of the notebook you were given.",
                         f"no se sabe qué ejercicio es {name} ({shown!r}): conserva el nombre "
                         "exNN_<nombre>.ipynb del cuaderno que recibiste.")
    cells = [(index, cell.source) for index, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and cell.source.strip() and SELF_CHECK_TAG not in cell_tags(cell)]
    sources = [source for _, source in cells]
    written = written_answers(notebook, _template(exercise, lang))
    result = SubmissionResult(student, name, exercise, lang, written=written)
    questions = load_questions(exercise, package)
    if stop is not None and stop.is_set():  # never started: its row still lists its questions
        result.questions = [QuestionScore.of(question) for question in questions]
        return _interrupted(result)
    reviews = []
    runner = _Runner(raw, path.name, cells, [question.function for question in questions], limits,
                     level or sandbox.level(), stop)
    try:
        for question in questions:
            uses = library_references(sources, question.forbidden)
            outcome = runner.outcome(question, uses)
            # None: the notebook itself could not be run (or was stopped too often): nothing to check
            why = STOPPED_TOO_OFTEN if runner.starts > 1 and not runner.broken else NOT_RUN
            result.questions.append(QuestionScore.of(question, outcome, *why))
            if outcome and outcome["review"]:
                reviews.append(f"{question.id} {outcome['review']}")
    finally:
        runner.close()
    if tampering(sources):
        reviews.append(f"mentions {tampering(sources)}")
    result.review = "; ".join(reviews)
    result.problems = runner.problems
    if stop is not None and stop.is_set():
        return _interrupted(result)
    result.elapsed = round(time.monotonic() - started, 2)
    return result


class _Runner:
    """The student process of one notebook, restarted when a question stopped it."""

    def __init__(self, raw, file_name, cells, functions, limits, level, stop):
        self.files, self.cells, self.functions, self.limits = {file_name: raw}, cells, functions, limits
        self.level, self.stop = level, stop
        self.session, self.starts, self.problems, self.broken = None, 0, [], None

    def outcome(self, question, uses):
        if uses:
            return evaluate(question, None, uses)
        if self.broken:
            return None
        if self.session is None or self.session.stopped:
            if self.starts > RESTARTS or not self._start():
                return None
        return evaluate(question, self.session.function(question.function))

    def _start(self) -> bool:
        self.close()
        self.starts += 1
        self.session = Session(self.level, self.cells, self.functions, self.limits, self.stop, self.files)
        try:
            errors = self.session.run_cells()
        except SandboxStopped as stopped:
            self.broken = str(stopped)
            if self.starts == 1:
                self.problems.insert(0, _stopped_problem(str(stopped), self.limits, self.session.stderr_tail))
            return False
        if self.starts == 1:
            self.problems += [_cell_problem(error, self.limits) for error in errors]
        return True

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def _cell_problem(error, limits) -> tuple[str, str, str]:
    where_en = f"cell {(error.index or 0) + 1} (`{error.snippet}`)"
    where_es = f"la celda {(error.index or 0) + 1} (`{error.snippet}`)"
    if error.timeout:
        seconds = limits.cell_wall if error.timeout == "wall" else limits.cell
        return ("timeout", *out_of_time(where_en, where_es, error.timeout, seconds, "cell"))
    return ("error", *raised_message(where_en, "en " + where_es, error))


def _stopped_problem(reason: str, limits, log: str) -> tuple[str, str, str]:
    kind = reason.partition(":")[0].replace("cpu-total", "cpu")
    if kind in ("cpu", "wall"):
        seconds = limits.total if kind == "cpu" else limits.wall
        return ("timeout", *out_of_time("the notebook", "el cuaderno", kind, seconds, "notebook"))
    if "interrupted" in reason:
        return ("interrupted", "grading was interrupted (Ctrl-C).", "la corrección se interrumpió (Ctrl-C).")
    detail = f" {log.splitlines()[-1]}" if log else ""
    return ("crashed", f"the notebook's process died ({reason}: os._exit, a crash or too much memory).{detail}",
            f"el proceso del cuaderno murió ({reason}: os._exit, un fallo o demasiada memoria).{detail}")


def _ungraded(student, name, exercise, lang, package, kind, en, es) -> SubmissionResult:
    questions = load_questions(exercise, package) if exercise in exercise_ids(package) else []
    scores = [QuestionScore.of(question, None, *NOT_RUN) for question in questions]
    return SubmissionResult(student, name, exercise or "?", lang, scores, problems=[(kind, en, es)])


# ----- folders -----------------------------------------------------------------------------

def find_submissions(folder: Path) -> list[tuple[str, str | None, Path | None]]:
    """``(student, notebook path inside the student's folder, full path)``, sorted.

    A student folder without notebooks gives ``(student, None, None)``. Symbolic links are
    never followed; a linked notebook is listed (and refused when graded).
    """
    folder = Path(folder)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"submissions folder {str(folder)!r} {what}; pass the folder "
                         "that holds one sub-folder per student")
    loose = sorted(path.name for path in folder.glob("*.ipynb"))
    canvas = [CANVAS.fullmatch(name) for name in loose]
    if loose and all(canvas):  # Canvas's flat download: name_userid_submissionid_file.ipynb
        return [(f"{match['name']}_{match['user']}", match["file"], folder / match[0]) for match in canvas]
    if loose:  # name the files that spoil a Canvas download, else the first ones
        odd = [name for name, match in zip(loose, canvas) if not match]
        raise UsageError(f"{str(folder)!r} has notebooks directly inside ({', '.join(odd[:3])}"
                         f"{', ...' if len(odd) > 3 else ''}); put each student's notebooks in "
                         f"{folder}/<student>/ (the folder name is the student's name in grades.csv), or "
                         "keep Canvas's names, name_userid_submissionid_file.ipynb (name_LATE_userid_... "
                         "when late), for every file")
    found = []
    for student_dir in sorted(folder.iterdir()):
        if student_dir.name.startswith(".") or not student_dir.is_dir() or student_dir.is_symlink():
            continue
        notebooks = []
        for root, folders, files in os.walk(student_dir):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            inside = Path(root).relative_to(student_dir)
            notebooks += [(inside / name).as_posix() for name in sorted(files + folders) if name.endswith(".ipynb")]
        found += [(student_dir.name, relative, student_dir / relative) for relative in notebooks] or [
            (student_dir.name, None, None)]
    if not any(path for _, _, path in found):
        raise UsageError(f"no notebooks found in {str(folder)!r}: expected {folder}/<student>/exNN_<name>.ipynb")
    return found


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


def grade_folder(submissions: Path, results: Path, limits: sandbox.Limits = sandbox.Limits(), jobs: int = 2,
                 force: bool = False, package: str = DEFAULT_PACKAGE, progress=sys.stderr,
                 level: str | None = None) -> list[SubmissionResult]:
    """Grade every notebook of ``submissions``; write grades.csv and feedback/<student>.md.

    Ctrl-C stops the student processes, writes the rows graded so far (the others say
    "interrupted") and raises KeyboardInterrupt.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"--jobs must be an integer >= 1, got {jobs!r}")
    found = find_submissions(submissions)
    check_results_folder(results, submissions, force)
    level = level or sandbox.level()
    if progress:
        print(sandbox.describe(level), file=progress, flush=True)
    Path(results).mkdir(parents=True, exist_ok=True)
    previous = Path(results) / CSV_NAME
    if previous.exists():  # until this run ends, no grades.csv that could be taken for its result
        os.replace(previous, previous.with_name(CSV_NAME + ".previous"))
    started, stop, graded = time.monotonic(), threading.Event(), {}
    with _interrupted_once():
        executor = ThreadPoolExecutor(max_workers=jobs)
        futures = {executor.submit(_grade_one, student, relative, path, limits, package, level, submissions,
                                   stop): index
                   for index, (student, relative, path) in enumerate(found)}
        try:
            for future in as_completed(futures):
                result = graded[futures[future]] = future.result()
                if progress:
                    print(f"[{len(graded)}/{len(found)}] {result.student}/{result.notebook}: {result.total:g}/"
                          f"{result.max_total:g} ({result.status}, {result.elapsed or 0:.1f} s)", file=progress,
                          flush=True)
        finally:  # after Ctrl-C each student process is killed by its own session within 0.2 s
            stop.set()
            executor.shutdown(wait=True, cancel_futures=True)
            for future, index in futures.items():  # those done before an interrupt was seen
                if index not in graded and future.done() and not future.cancelled() and future.exception() is None:
                    graded[index] = future.result()
            rows = [graded.get(index) or _grade_one(student, relative, path, limits, package, level, submissions,
                                                    stop)
                    for index, (student, relative, path) in enumerate(found)]
            rows.sort(key=lambda result: (result.student, result.exercise, result.notebook))
            written = write_results(rows, Path(results), progress)
            try:
                write_gradebook(rows, Path(results))
            except (OSError, ValueError) as error:  # grades.csv is written: say what is missing
                if progress:
                    print(f"w2vgrade: students.csv not written: {error}", file=progress)
            if progress:
                to_mark = Path(results) / WRITTEN_POINTS
                hint = (f"; the written answers are to mark in {to_mark.name}, then `python -m w2vgrade table "
                        f"{results}`" if to_mark.exists() else "")
                stopped = sum(row.status == "interrupted" for row in rows)
                also = f", {stopped} interrupted (0 points)" if stopped else ""
                print(f"graded {len(rows) - stopped} notebooks{also} in {time.monotonic() - started:.1f} s; results in "
                      f"{written}, {FEEDBACK_DIR}/ and students.csv beside it{hint}", file=progress)
    return rows


@contextmanager
def _interrupted_once():
    """Ctrl-C raises KeyboardInterrupt once; later ones are ignored (until the process exits).

    Without this a second Ctrl-C, or ``timeout -s INT`` (which signals the grader and then its
    whole process group), stopped the writing: no grades.csv, the previous one renamed away.
    """
    if threading.current_thread() is not threading.main_thread():  # only it may set handlers
        yield
        return

    def once(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, once)
    yield  # after an interrupt SIGINT stays ignored: the grader is on its way out
    signal.signal(signal.SIGINT, previous)


def _grade_one(student, relative, path, limits, package, level, submissions, stop) -> SubmissionResult:
    """One row of the batch; a student without notebooks or a grader failure is a row too."""
    if path is None:
        files = sorted(item.name for item in (Path(submissions) / student).rglob("*") if item.is_file())
        seen = f" (found: {', '.join(files[:5])})" if files else ""
        return SubmissionResult(student, "", "?", "en", problems=[(
            "no-notebooks", f"no .ipynb file in {student}/{seen}.",
            f"no hay ningún archivo .ipynb en {student}/{seen}.")])
    try:
        return score_submission(path, student, limits, package, level=level, name=relative, stop=stop)
    except Exception as error:  # a grader bug must not stop the batch; the row says what happened
        message = f"internal grader error ({type(error).__name__}: {error}); this notebook was not graded"
        return SubmissionResult(student, relative, exercise_from_name(Path(relative).name) or "?", "en",
                                problems=[("grader-error", message, message)])


def _template(exercise: str, lang: str):
    """The notebook of ``exercise`` as handed out (for its written questions), if it is known."""
    from w2vgrade.generate import EXERCISES_DIR

    found = sorted((EXERCISES_DIR / lang).glob(f"{exercise}_*.ipynb"))
    try:
        return parse_notebook(found[0].read_bytes(), found[0]) if found else None
    except NotebookError:
        return None


def _interrupted(result: SubmissionResult) -> SubmissionResult:
    """``result`` marked interrupted, its questions unchecked: Ctrl-C never leaves partial points."""
    result.problems = [("interrupted", "not graded: grading was interrupted (Ctrl-C).",
                        "sin corregir: la corrección se interrumpió (Ctrl-C).")]
    result.questions = [replace(question, points=0, status="not-run", en="not checked: grading was interrupted.",
                                es="sin comprobar: la corrección se interrumpió.") for question in result.questions]
    return result
