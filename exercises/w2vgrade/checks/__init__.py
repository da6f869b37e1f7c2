"""Registry of the exercises' checks: exercise id ``"exNN"`` -> the ``QUESTIONS`` of ``exNN.py``
(``"exA"``, ``exA.py`` for an appendix).

Each module ``exNN.py`` in a checks package defines ``QUESTIONS``, a list of
:class:`w2vgrade.api.Question`. The course's checks live in this package
(``w2vgrade.checks``); an instructor may keep extra exercises in another importable package
and pass its name as ``package``.
"""

from __future__ import annotations

import importlib
import pkgutil

from w2vgrade.api import Question
from w2vgrade.notebooks import exercise_from_name

DEFAULT_PACKAGE = "w2vgrade.checks"
_LOADED = {}


def loaded_packages() -> list[str]:
    """The folders of the checks packages used so far (the sandbox hides them)."""
    return [path for paths in _LOADED.values() for path in paths]


def exercise_ids(package: str = DEFAULT_PACKAGE) -> list[str]:
    """The exercise ids that have a checks module in ``package``, sorted."""
    module = importlib.import_module(package)
    _LOADED[package] = list(module.__path__)
    return sorted(
        info.name
        for info in pkgutil.iter_modules(module.__path__)
        if exercise_from_name(info.name) == info.name  # ex01-ex99: chapters; exA-exZ: appendices
    )


def load_questions(exercise: str, package: str = DEFAULT_PACKAGE) -> list[Question]:
    """The validated ``QUESTIONS`` list of ``package.<exercise>``.

    Raises ``ValueError`` naming the exercise and the known ids when there is no such module,
    and ``TypeError``/``ValueError`` when the module's ``QUESTIONS`` is malformed.
    """
    if exercise not in exercise_ids(package):
        raise ValueError(f"unknown exercise id {exercise!r}: ids look like 'ex01' or 'exA', each the name of a "
                         f"module of {package} (known: {', '.join(exercise_ids(package)) or 'none'})")
    module = importlib.import_module(f"{package}.{exercise}")
    questions = getattr(module, "QUESTIONS", None)
    if not isinstance(questions, (list, tuple)) or not questions:
        raise TypeError(f"{module.__name__}.QUESTIONS must be a non-empty list of w2vgrade.api.Question, got "
                        f"{questions!r}")
    seen = set()
    for question in questions:
        if not isinstance(question, Question):
            raise TypeError(f"{module.__name__}.QUESTIONS holds {question!r}, which is not a "
                            "w2vgrade.api.Question")
        if question.id in seen:
            raise ValueError(f"{module.__name__}.QUESTIONS repeats the question id {question.id!r}; give "
                             "every question its own id")
        seen.add(question.id)
    return list(questions)
