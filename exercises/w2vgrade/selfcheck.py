"""Checking your own work from inside the notebook: ``check_notebook(globals())``.

The last cell of every exercise notebook runs::

    from w2vgrade import check_notebook
    check_notebook(globals())

It runs the same checks the grader runs, on the functions currently defined in the notebook
(in this process: no isolation and no time limit, it is the student's own session), and
prints the points per question and what is wrong. The "write it yourself" rule reads the
cells run so far (IPython's ``In``). The exercise is found from the notebook's
file name when the editor exposes it (JupyterLab's ``__session__``, VS Code's
``__vsc_ipynb_file__``), else from which exercise's functions are defined; the language from
``LANG``. When the grader runs the notebook (``W2VGRADE_GRADING=1``) the cell does nothing:
the grader runs the checks itself.

For a check from a clean start (the way the grader sees the notebook), save the notebook and
run ``python -m w2vgrade check NOTEBOOK`` in a terminal.
"""

from __future__ import annotations

import os
from pathlib import Path

from w2vgrade.check import evaluate, library_references
from w2vgrade.checks import DEFAULT_PACKAGE, exercise_ids, load_questions
from w2vgrade.notebooks import LANGUAGES, exercise_from_name
from w2vgrade.report import QuestionScore, self_check_lines


def check_notebook(namespace: dict, exercise: str | None = None, lang: str | None = None,
                   package: str = DEFAULT_PACKAGE) -> None:
    """Print the points and messages of every question of the notebook's exercise."""
    if lang is None:
        lang = namespace.get("LANG") if namespace.get("LANG") in LANGUAGES else "en"
    if os.environ.get("W2VGRADE_GRADING") == "1":
        print("w2vgrade: comprobación omitida durante la corrección." if lang == "es"
              else "w2vgrade: self-check skipped while grading.")
        return
    exercise = exercise or guess_exercise(namespace, package)
    scores = []
    history = [cell for cell in namespace.get("In", []) if isinstance(cell, str)]
    for question in load_questions(exercise, package):
        outcome = evaluate_exercise_question(namespace, question, history)
        points = round(min(max(outcome["fraction"], 0.0), 1.0) * question.points, 2)
        scores.append(QuestionScore(question.id, question.function, points, question.points,
                                    outcome["status"], outcome["en"], outcome["es"]))
    print("\n".join(self_check_lines(exercise, lang, scores)))


def evaluate_exercise_question(namespace: dict, question, cells=()) -> dict:
    """:func:`w2vgrade.check.evaluate` on ``namespace[question.function]``."""
    value = namespace.get(question.function, "missing")
    target = value if callable(value) or value == "missing" else type(value).__name__
    return evaluate(question, target, library_references(list(cells), question.forbidden))


def guess_exercise(namespace: dict, package: str = DEFAULT_PACKAGE) -> str:
    """The exercise id of the notebook whose globals are ``namespace``; ValueError if unclear."""
    for key in ("__session__", "__vsc_ipynb_file__"):
        value = namespace.get(key)
        if isinstance(value, str) and exercise_from_name(Path(value).name) in exercise_ids(package):
            return exercise_from_name(Path(value).name)
    scores = {}
    for candidate in exercise_ids(package):
        functions = {question.function for question in load_questions(candidate, package)}
        found = sum(callable(namespace.get(name)) for name in functions)
        scores[candidate] = (found / len(functions), found)
    best = max(scores.values(), default=(0, 0))
    winners = [candidate for candidate, score in scores.items() if score == best]
    if best[1] == 0 or len(winners) != 1:
        raise ValueError("cannot tell which exercise this notebook is; pass it, e.g. "
                         "check_notebook(globals(), exercise='ex01')")
    return winners[0]
