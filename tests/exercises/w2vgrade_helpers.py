"""Helpers for the w2vgrade tests: a tiny fixture exercise (ex90) independent of the
course's content, notebook builders, and in-process grading of notebook code."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
from pathlib import Path

import nbformat

os.environ.setdefault("MPLBACKEND", "Agg")  # notebook cells run in this process draw nowhere

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
SOURCES = EXERCISES / "source"
FIXTURE_DIR = Path(__file__).resolve().parent / "fixture"
FIXTURE_PACKAGE = "fixture_checks"

COSINE_SOLUTION = '''def cosine(a, b):
    """Cosine of the angle between a and b."""
    value = 0.0
    ### BEGIN SOLUTION
    value = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    ### END SOLUTION
    return value'''

SCALE_SOLUTION = '''def scale(x, factor):
    result = None
    ### BEGIN SOLUTION
    result = factor * x

    result = np.asarray(result)
    ### END SOLUTION
    return result'''


def code(source: str, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(cells, exercise="ex90", lang="en"):
    """An nbformat notebook with w2vgrade metadata and deterministic cell ids."""
    built = nbformat.v4.new_notebook(cells=[code(c) if isinstance(c, str) else c for c in cells])
    for index, cell in enumerate(built.cells):
        cell["id"] = f"cell-{index}"
    built.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    built.metadata["w2vgrade"] = {"exercise": exercise, "lang": lang}
    return built


def fixture_source(lang="en", cosine=COSINE_SOLUTION, scale=SCALE_SOLUTION):
    """The ex90 source notebook (solutions included) in ``lang``."""
    answer = nbformat.v4.new_markdown_cell(
        "Why?\n\n### BEGIN SOLUTION\nBecause the length cancels.\n### END SOLUTION\n"
    )
    return notebook([
        f'import numpy as np\n\nLANG = "{lang}"',
        code(cosine, ["solution"]),
        "print(cosine(np.ones(2), np.ones(2)))",
        code(scale, ["solution"]),
        answer,
        code("from w2vgrade import check_notebook\n\ncheck_notebook(globals())", ["self-check"]),
    ], lang=lang)


def write_notebook(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def file_hashes(folder: Path) -> dict:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def use_fixture_checks(monkeypatch):
    """Make the ex90 checks importable here and in the ``python -m w2vgrade`` commands the tests run."""
    monkeypatch.syspath_prepend(str(FIXTURE_DIR))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(FIXTURE_DIR), os.environ.get("PYTHONPATH")])))
    return FIXTURE_PACKAGE


def exec_notebook(nb, cell_time_limit=30) -> tuple[dict, list[str]]:
    """Run a notebook's code cells (all but the self-check) in a fresh namespace, in this process.

    Returns the namespace and the errors of cells that raised (as ``"cell N: Error"``). This is
    the fast path of the tests (no student process); printing is silenced and each cell has a time limit.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    namespace = {"__name__": "__main__"}
    errors = []
    transformer = TransformerManager()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "self-check" in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            compiled = compile(transformer.transform_cell(cell.source), f"<cell {index}>", "exec")
            with _time_limit(cell_time_limit), contextlib.redirect_stdout(io.StringIO()):
                exec(compiled, namespace)
        except (Exception, CellTimeout) as error:
            errors.append(f"cell {index}: {type(error).__name__}: {error}")
    return namespace, errors


class CellTimeout(BaseException):
    """A cell of :func:`exec_notebook` ran out of time."""


@contextlib.contextmanager
def _time_limit(seconds):
    def on_alarm(signum, frame):
        raise CellTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def evaluate_exercise(namespace, exercise, package="w2vgrade.checks", cells=()):
    """``{question_id: outcome}`` of every question, checked in this process."""
    from w2vgrade.checks import load_questions
    from w2vgrade.check import evaluate_exercise_question

    return {question.id: evaluate_exercise_question(namespace, question, cells)
            for question in load_questions(exercise, package)}
