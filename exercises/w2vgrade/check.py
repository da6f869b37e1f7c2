"""Checking one question, in the grader's process: outcome, fraction of the points, messages.

:func:`evaluate` receives the student's function — a :class:`w2vgrade.session.Remote` when
grading (the function runs in the student process, the check here), or the function itself
for ``check_notebook(globals())`` — and turns what the check says into
``{"status", "fraction", "en", "es", "review"}``. ``review`` is non-empty when the instructor
should look at the notebook (the library's own implementation was used, or the code reaches
for the grader's internals).

The "write it yourself" rule is a profile hook around every call of the student's function
(:class:`w2vgrade.student.Guard`: in the student process when grading, here for
``check_notebook``), plus :func:`library_references`, which finds what only a reading of the
cells can: an import of a forbidden name.

:func:`check_notebook` is the last cell of every exercise notebook,
``from w2vgrade import check_notebook; check_notebook(globals())``: the same checks on the
functions defined in the notebook right now (in the student's own session: no isolation, no
time limit), printing the points per question and what is wrong. Imports are read
from the cells run so far (IPython's ``In``). The exercise comes from the notebook's
file name when the editor exposes it (JupyterLab's ``__session__``, VS Code's
``__vsc_ipynb_file__``), else from which exercise's functions are defined; the language from
``LANG``. While the grader runs the notebook (``W2VGRADE_GRADING=1``) it does nothing. For a
check from a clean start, as the grader sees it: ``python -m w2vgrade check NOTEBOOK``.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import pkgutil
from pathlib import Path

from w2vgrade.api import Fail, Question
from w2vgrade.checks import DEFAULT_PACKAGE, exercise_ids, load_questions
from w2vgrade.notebooks import LANGUAGES, exercise_from_name, parse_notebook
from w2vgrade.report import QuestionScore, SubmissionResult, submission_lines
from w2vgrade.session import SandboxStopped, StudentExit, StudentTimeout
from w2vgrade.student import Guard, kind_of, without_magics

TAMPERING = ("_getframe", "setprofile", "settrace", "f_back", "f_locals", "__code__", "get_referrers",
             "__subclasses__", "w2vgrade", "/proc/")


def result(status: str, fraction: float, en: str = "", es: str = "", review: str = "", mistake: str = "") -> dict:
    return {"status": status, "fraction": float(fraction), "en": en, "es": es, "review": review, "mistake": mistake}


def evaluate(question: Question, target, uses: str | None = None) -> dict:
    """The outcome of ``question`` for ``target`` (the student's function, or why there is
    none: ``"missing"`` or the name of the type the name holds). ``uses`` is what
    :func:`library_references` found for this question."""
    name = question.function
    if uses:
        return _forbidden(name, uses)
    if target == "missing":
        return result("missing", 0,
                      f"{name} is not defined: run the cell that defines it, and do not rename or delete it.",
                      f"{name} no está definida: ejecuta la celda que la define y no la renombres ni la borres.")
    if isinstance(target, str):
        return result("missing", 0, f"{name} is a {target}, not a function: a later cell reassigned the name.",
                      f"{name} es un {target}, no una función: una celda posterior reasignó el nombre.")
    outcome = _run(question, _prepared(target, question.forbidden, {}))
    if outcome["fraction"] < 1 and question.helpers and outcome["status"] not in ("forbidden", "stopped"):
        helped = _run(question, _prepared(target, question.forbidden, question.helpers))
        if helped["fraction"] > outcome["fraction"] and helped["status"] != "forbidden":
            helpers = ", ".join(question.helpers)
            helped["status"] = "partial" if helped["fraction"] < 1 else "pass"
            helped["en"] = (f"{name} is right once your {helpers} is replaced by the library's: the mistake "
                            f"is in {helpers}, which loses its own points. {helped['en']}").strip()
            helped["es"] = (f"{name} es correcta si se cambia tu {helpers} por la de la biblioteca: el error "
                            f"está en {helpers}, que pierde sus propios puntos. {helped['es']}").strip()
            return helped
    return outcome


def _prepared(target, forbidden, substitute):
    """``target`` called under the "write it yourself" hook (:class:`w2vgrade.student.Guard`),
    with ``substitute`` helpers; ``.used`` is the first forbidden function it ran."""
    if hasattr(target, "with_options"):  # a Remote: the student process applies both
        return target.with_options(forbidden, substitute)

    def guarded(*args, **kwargs):
        with Guard(getattr(target, "__globals__", {}), forbidden, substitute) as guard:
            try:
                return target(*args, **kwargs)
            finally:
                guarded.used = guarded.used or guard.used

    guarded.__name__, guarded.used = getattr(target, "__name__", "function"), None
    return guarded


@functools.cache
def _blank_stubs(exercise: str) -> dict:
    """The imports and functions of ``exercise``'s blank notebook: each returns its placeholder."""
    namespace = {}
    for path in sorted((Path(__file__).resolve().parent.parent / "en").glob(f"{exercise}_*.ipynb"))[:1]:
        trees = [_parse(cell.source) for cell in parse_notebook(path.read_bytes(), path).cells
                 if cell.cell_type == "code"]
        keep = [node for tree in trees if tree for node in tree.body
                if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef))]
        exec(compile(ast.Module(keep, []), str(path), "exec"), namespace)  # the course's own code
    return namespace


def _as_blank(function, stub):
    """``function``; ``.blank``: every call so far returned, and left its arguments, as ``stub`` does."""
    from w2vgrade.checks._common import _copied, _same

    def call(*args, **kwargs):
        given, matched, call.blank = _copied((args, kwargs)), call.blank is not False, False
        value = function(*args, **kwargs)
        with contextlib.suppress(Exception):  # a stub that cannot run on these arguments is no match
            call.blank = matched and _same((value, args, kwargs), (stub(*given[0], **given[1]), *given))
        return value

    call.__name__, call.blank = getattr(function, "__name__", "function"), None
    return call


def _run(question: Question, function) -> dict:
    name = question.function
    stub = _blank_stubs(question.check.__module__.rpartition(".")[2]).get(name)
    checked = _as_blank(function, stub) if callable(stub) else function
    try:
        outcome = question.check(checked)
    except Fail as failure:
        outcome = failure
    except StudentTimeout as timeout:
        return result("timeout", 0, *out_of_time(name, name, timeout.kind, timeout.seconds, f"function {timeout.kind}"))
    except SandboxStopped as stopped:
        return _stopped(name, str(stopped))
    except (StudentExit, SystemExit):
        return result("error", 0, f"{name} called exit() or sys.exit(); return a value instead.",
                      f"{name} llamó a exit() o sys.exit(); devuelve un valor en su lugar.")
    except Exception as error:  # what the student's code raised, or what it returned broke the check
        return result("error", 0, *raised_message(f"checking {name}", f"al comprobar {name}", error))
    used = getattr(function, "used", None)
    if used:
        return _forbidden(name, used)
    if isinstance(outcome, Fail) and getattr(checked, "blank", None):
        return result("fail", 0, f"{name} still returns its placeholder value: write your code at # YOUR CODE HERE.",
                      f"{name} todavía devuelve su valor provisional: escribe tu código en # TU CÓDIGO AQUÍ.",
                      mistake=outcome.mistake)
    if isinstance(outcome, Fail):
        return result("partial" if outcome.fraction else "fail", outcome.fraction, outcome.en, outcome.es,
                      mistake=outcome.mistake)
    return _fraction(question, outcome)


def raised_message(what_en: str, what_es: str, error: BaseException) -> tuple[str, str]:
    """``(en, es)``: "<what> raised <Type>: <message> (line N of your cell, or of cell M when the
    line is in another cell than the one reported: a function's own cell)", with the real cause
    for a memory limit or a recursion limit the notebook set. Python's own message is quoted
    as it is in the Spanish text (it is not translatable)."""
    kind = getattr(error, "kind", type(error).__name__)
    line, cell, index = (getattr(error, name, None) for name in ("line", "line_cell", "index"))
    where_en = f" (line {line} of your cell)" if line else ""
    where_es = f" (línea {line} de tu celda)" if line else ""
    if line and cell and (index is None or cell != index + 1):  # the line is in another cell
        where_en, where_es = f" (line {line} of cell {cell})", f" (línea {line} de la celda {cell})"
    note_en = note_es = ""
    limit = getattr(error, "recursion_limit", None)
    if kind == "RecursionError" and limit:
        note_en = f" (the notebook set sys.setrecursionlimit({limit}); the default is 1000)"
        note_es = f" (el cuaderno fijó sys.setrecursionlimit({limit}); el valor por defecto es 1000)"
    if kind == "MemoryError":
        note_en = " (out of memory: the grader's memory limit was reached)"
        note_es = " (sin memoria: se alcanzó el límite de memoria del corrector)"
    return (f"{what_en} raised {kind}{': ' * bool(str(error))}{error}{note_en}{where_en}",
            f"{what_es} se produjo {kind} (mensaje de Python: «{error}»){note_es}{where_es}")


# What ran out of time ("cpu" or "wall", formatted with who and the seconds), then what followed.
TIME_LIMITS = {
    "cpu": ("{} used more than {:g} s of CPU time", "{} usó más de {:g} s de CPU"),
    "wall": ("{} did not finish within {:g} s of real time", "{} no terminó en {:g} s de tiempo real"),
    "function cpu": (": look for a loop that never ends.", ": busca un bucle que no acaba nunca."),
    "function wall": (" while using little CPU: it was waiting (sleep, input(), a lock?).",
                      " usando poca CPU: estaba esperando (¿sleep, input(), un bloqueo?)."),
    "ignored": (" It ignored the interrupt, so the notebook's process was stopped.",
                " Ignoró la interrupción, así que se detuvo el proceso del cuaderno."),
    "cell": (" and was interrupted.", " y se interrumpió."),
    "notebook": (" and was stopped.", " y se detuvo."),
}


def out_of_time(who_en: str, who_es: str, kind: str, seconds: float, *then: str) -> tuple[str, str]:
    """``(en, es)``: who ran out of CPU time (``kind`` "cpu") or real time ("wall"), and ``then``
    (keys of :data:`TIME_LIMITS`)."""
    return tuple(TIME_LIMITS[kind][lang].format(who, seconds) + "".join(TIME_LIMITS[key][lang] for key in then)
                 for lang, who in enumerate((who_en, who_es)))


def _stopped(name: str, reason: str) -> dict:
    kind, _, seconds = reason.partition(":")
    if kind in ("cpu", "wall"):
        return result("stopped", 0, *out_of_time(name, name, kind, float(seconds or 0), f"function {kind}", "ignored"))
    return result("stopped", 0, f"checking {name} stopped the notebook's process ({reason}).",
                  f"al comprobar {name} se detuvo el proceso del cuaderno ({reason}).")


def _fraction(question: Question, outcome) -> dict:
    if outcome is None or outcome == 1 and not isinstance(outcome, bool):
        return result("pass", 1)
    if isinstance(outcome, bool) or not isinstance(outcome, (int, float)) or not 0 <= outcome <= 1:
        message = (f"internal error in the check of {question.id}: it returned {outcome!r} "
                   "(expected None or a fraction in [0, 1]); tell your instructor")
        return result("error", 0, message, message)
    return result("partial", outcome, f"{question.function} is partly right ({outcome:.0%} of the points).",
                  f"{question.function} es parcialmente correcta ({outcome:.0%} de los puntos).")


def _forbidden(name: str, used: str) -> dict:
    whose_en, whose_es = (("the library's own", "de la propia biblioteca") if used.startswith("w2vlib")
                          else (f"{used.split('.')[0]}'s", f"de {used.split('.')[0]}"))
    return result(
        "forbidden", 0,
        f"{name} uses {used}, {whose_en} implementation of what this question asks you to write: "
        "write it yourself with numpy (0 points for this question; the instructor will review it).",
        f"{name} usa {used}, la implementación {whose_es} de lo que esta pregunta te pide "
        "escribir: escríbela tú con numpy (0 puntos en esta pregunta; el profesor lo revisará).",
        review=f"uses {used}")


# ----- static reading of the notebook ------------------------------------------------------

def library_references(cells: list[str], forbidden) -> str | None:
    """The first forbidden dotted name the notebook's code cells import, or None.

    An import counts when it names the forbidden function, class or module, something inside
    it (``from w2vlib.pairs import flatten`` for ``w2vlib.pairs``), or the same object under
    another path (``from w2vlib import cosine_similarity``). Every other use, however the name
    is spelt (attributes, strings, ``getattr``, ``functools.partial``...), is seen when it runs,
    by :class:`w2vgrade.student.Guard`; a label such as ``print("cosine_similarity(a, b) =")``
    is not a use: a string is not a call.
    """
    imported = []
    for tree in filter(None, map(_parse, cells)):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported += [f"{node.module}.{alias.name}" for alias in node.names]
    for dotted in forbidden:
        if any((name + ".").startswith(dotted + ".") or _same_object(name, dotted) for name in imported):
            return dotted
    return None


def _same_object(name: str, dotted: str) -> bool:
    """Whether ``name`` is ``dotted`` re-exported; only names in ``dotted``'s own package are
    imported here (never a module the notebook names)."""
    if name.split(".")[0] != dotted.split(".")[0]:
        return False
    try:
        return pkgutil.resolve_name(name) is pkgutil.resolve_name(dotted)
    except (ImportError, AttributeError, ValueError):
        return False


def tampering(cells: list[str]) -> str:
    """Words in the notebook's code that reach for the grader or the interpreter's internals
    (flagged for the instructor's review, not scored)."""
    text = "\n".join(cells)
    return ", ".join(word for word in TAMPERING if word in text)


def _parse(source: str):
    try:
        return ast.parse(without_magics(source))
    except (SyntaxError, ValueError):
        return None


# ----- inside the notebook ------------------------------------------------------------------

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
    history = [cell for cell in namespace.get("In", []) if isinstance(cell, str)]
    scores = [QuestionScore.of(question, evaluate_exercise_question(namespace, question, history))
              for question in load_questions(exercise, package)]
    print("\n".join(submission_lines(SubmissionResult("", "", exercise, lang, scores))))


def evaluate_exercise_question(namespace: dict, question, cells=()) -> dict:
    """:func:`w2vgrade.check.evaluate` on ``namespace[question.function]``."""
    kind = kind_of(namespace, question.function)
    target = namespace[question.function] if kind == "function" else kind
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
