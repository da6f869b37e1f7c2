"""Typical student mistakes, written as edits of the reference solutions, that the exercise
checks must catch, and unusual but valid answers that must keep full marks: one module per
exercise, ``mutations/<exercise>.py``, with its ``MUTATIONS`` and ``VALID_VARIANTS`` (adding an
exercise adds a module here; nothing else changes).

Each :class:`Mutation` replaces ``find`` (text that occurs exactly once in the source
notebook ``exercises/source/<lang>/<exercise>_*.ipynb``, inside a solution block) by
``replace``. Graded after the edit, the notebook must lose points on ``question`` and keep
full marks on every other question; when ``expect`` is given, the English message must
contain it; when ``mistake`` is given, the check must name that :class:`w2vgrade.api.Mistake`
of the question's catalogue (and every catalogued mistake has a mutation naming it). The code cells of the Spanish and English sources are
identical apart from comments and strings, so each edit applies to both languages; ``lang``
names the source the ``find`` text was taken from.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    """One typical mistake: an exact text edit of a source notebook's solution."""

    exercise: str
    lang: str
    question: str
    description: str
    find: str
    replace: str
    expect: str = ""
    mistake: str = ""


MUTATIONS, VALID_VARIANTS = [], []
for _module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
    MUTATIONS += importlib.import_module(f"{__name__}.{_module}").MUTATIONS
    VALID_VARIANTS += importlib.import_module(f"{__name__}.{_module}").VALID_VARIANTS
