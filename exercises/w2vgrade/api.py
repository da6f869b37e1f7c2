"""What an exercise's checks module uses: ``Question``, ``Fail`` and small numeric helpers.

A checks module ``w2vgrade/checks/exNN.py`` defines ``QUESTIONS``, a list of :class:`Question`.
Each question names the student's function, how many points it is worth, and a ``check``
callable that receives the student's function object and either

* returns ``None`` (full marks),
* returns a float in ``[0, 1]`` (that fraction of the points), or
* raises :class:`Fail` with an English and a Spanish message saying what is wrong (and,
  optionally, ``fraction=`` the part of the points still earned).

Checks build their inputs with :func:`rng` (an explicit, seeded Generator) so that a result
never depends on hidden global random state.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from w2vlib.gradcheck import numerical_gradient

__all__ = ["Question", "Fail", "Mistake", "mistakes_of", "diagnose", "Recorder", "rng", "close", "numerical_gradient"]


@dataclass(frozen=True)
class Question:
    """One graded question of an exercise.

    id: short identifier unique within the exercise, e.g. ``"q1"``.
    function: name of the student's function in the notebook's namespace.
    points: points the question is worth (> 0).
    check: ``check(fn) -> None | float``; raises :class:`Fail` on the first problem found.
    forbidden: dotted names of w2vlib functions, classes or modules that already implement the
        asked-for function; an answer that refers to one of them earns 0 for this question.
    helpers: ``{name: dotted}`` of earlier questions' functions this one may call, with the
        library's version of each: when the answer fails only because of a wrong helper, it
        earns its points and the message names the helper.
    mistakes: the :class:`Mistake` catalogue the check diagnoses with (:func:`diagnose`);
        the tests require a mutation that each one catches and names.
    """

    id: str
    function: str
    points: float
    check: Callable
    forbidden: tuple = field(default=())
    helpers: dict = field(default_factory=dict)
    mistakes: tuple = field(default=())

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"Question id must be a non-empty string, got {self.id!r}")
        if not isinstance(self.function, str) or not self.function.isidentifier():
            raise ValueError(f"Question {self.id!r}: function must be a Python identifier, got "
                             f"{self.function!r}; pass the name of the student's function")
        if not (isinstance(self.points, (int, float)) and self.points > 0):
            raise ValueError(f"Question {self.id!r}: points must be a number > 0, got {self.points!r}")
        if not callable(self.check):
            raise TypeError(f"Question {self.id!r}: check must be callable, got {self.check!r}")
        if isinstance(self.forbidden, str):
            raise TypeError(f"Question {self.id!r}: forbidden must be a tuple of dotted names, got the string "
                            f"{self.forbidden!r}; write forbidden=({self.forbidden!r},)")
        object.__setattr__(self, "forbidden", tuple(self.forbidden))


class Fail(Exception):
    """A check failed; carries the explanation in English and in Spanish.

    ``fraction`` (default 0) is the part of the question's points still earned, for partial
    credit that comes with a message: ``raise Fail(en=..., es=..., fraction=0.5)``;
    ``mistake`` the name of the :class:`Mistake` recognised, if any.
    """

    def __init__(self, en: str, es: str, fraction: float = 0.0, mistake: str = ""):
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 <= fraction < 1:
            raise ValueError(f"Fail fraction must be a number in [0, 1), got {fraction!r}; return None from "
                             "the check for full marks")
        super().__init__(en)
        self.en = en
        self.es = es
        self.fraction = float(fraction)
        self.mistake = mistake

    def __repr__(self):
        return f"Fail(en={self.en!r}, es={self.es!r}, fraction={self.fraction!r})"


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer to a question: ``variant`` computes it from the question's inputs
    (the reference with one thing done wrong), ``en`` and ``es`` say what was done wrong."""

    name: str
    variant: Callable
    en: str
    es: str


def mistakes_of(reference: Callable) -> Callable:
    """``mistake(name, en, es, **wrong)``: a :class:`Mistake` whose variant is
    ``reference(*case, **wrong)``, the reference with the keywords of one mistake."""
    return lambda name, en, es, **wrong: Mistake(name, lambda *case: reference(*case, **wrong), en, es)


def diagnose(answers: list, cases: list, reference: Callable, mistakes, same=None) -> tuple | None:
    """Compare the student's ``answers`` to ``reference(*case)`` for every case.

    Returns None when all agree; else raises :class:`Fail` naming the first mistake of
    ``mistakes`` whose variant gives exactly these answers on every case; else returns
    ``(case, answer, expected)`` of the first case answered wrongly, for the question's own
    general message. ``same(answer, expected)`` compares one answer (default: :func:`close`).
    """
    same = same or close
    wrong = [(case, answer, reference(*case)) for answer, case in zip(answers, cases)]
    wrong = [item for item in wrong if not same(item[1], item[2])]
    if wrong:
        for mistake in mistakes:
            if all(same(answer, mistake.variant(*case)) for answer, case in zip(answers, cases)):
                raise Fail(en=mistake.en, es=mistake.es, mistake=mistake.name)
        return wrong[0]
    return None


def rng(seed: int) -> np.random.Generator:
    """A fresh, explicitly seeded Generator: ``np.random.default_rng(seed)``."""
    return np.random.default_rng(seed)


def close(a, b, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """True if ``a`` and ``b`` have the same shape and are element-wise close.

    Unlike ``np.allclose`` this does not broadcast, so a ``(n,)`` answer is not "close" to a
    ``(1, n)`` reference, and anything that cannot become a float array is simply not close.
    """
    try:
        a_array = np.asarray(a, dtype=np.float64)
        b_array = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a_array.shape != b_array.shape:
        return False
    return bool(np.allclose(a_array, b_array, rtol=rtol, atol=atol))


@dataclass
class Call:
    """One call a :class:`Recorder` saw: the arguments by parameter name (their values at the
    call), which array each was (``ids``: compare with :meth:`Recorder.identity`), the result."""

    arguments: dict
    ids: dict
    result: object


class Recorder:
    """A stand-in for a function the student's code receives and must call (ex07's ``step``).

    ``function`` travels as source text (so it must import what it uses) to where the
    student's code runs: the student process when grading, this one inside
    ``check_notebook``; either way what it saw comes back as data
    (:func:`w2vgrade.student.recording`), one :class:`Call` per call in :attr:`calls`,
    however it was called (positional or keyword arguments).
    """

    def __init__(self, function: Callable):
        self.function, self.calls, self.refs = function, [], None
        self.source = textwrap.dedent(inspect.getsource(function))

    def __call__(self, *args, **kwargs):
        """Inside ``check_notebook``: recorded as in the student process, then received."""
        from w2vgrade.student import recording
        from w2vgrade.wire import Refs

        if self.refs is None:
            self.refs, self.log = Refs(-1), []
            self.recording = recording(self.source, self.refs, self.log)
        result = self.recording(*args, **kwargs)
        self.received(self.log[len(self.calls):], self.refs)
        return result

    def identity(self, value):
        """What identifies the array ``value`` in :attr:`Call.ids`."""
        return self.refs.by_id.get(id(value)) if self.refs else None  # None: never called

    def received(self, calls: list, refs) -> None:
        """The calls seen in the student process (data from :mod:`w2vgrade.wire`)."""
        from w2vgrade.wire import Refs, decode

        self.refs = refs
        for entry in calls:
            ids = {str(name): int(ref) for name, ref in entry["ids"].items()}
            arguments = decode(entry["args"], Refs(+1))
            if type(arguments) is not dict:
                raise ValueError("recorded arguments must be a dict")
            self.calls.append(Call(arguments, ids, decode(entry["result"], Refs(+1))))
