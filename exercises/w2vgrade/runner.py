"""Running an exercise's checks against the functions in a notebook's namespace.

This module runs INSIDE the student's kernel (the checks need the student's function
objects). For each question it

1. looks the function up by name (missing or not callable: 0 points, says so);
2. refuses answers that use the library's own implementation of the asked-for function
   (``Question.forbidden``): statically, by resolving every global name, attribute chain and
   import in the function's code (and in the student's helper functions it calls), and at run
   time, by swapping the forbidden functions for a recording wrapper while the student's
   function runs;
3. calls ``check(fn)`` with a time limit and with printing silenced, and turns the outcome
   into ``{"status", "fraction", "en", "es"}`` (fraction of the question's points in [0, 1]).

The grader gets one question's result from :func:`report_question`, which prints a single
line ``W2VGRADE-RESULT <nonce> <json>``; the nonce is chosen by the grader per run and only
appears in the grader's own cell, so a line printed by the student's code is not accepted.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import io
import json
import math
import signal
import sys
import textwrap
import threading
import types

from w2vgrade.api import Fail, Question
from w2vgrade.checks import DEFAULT_PACKAGE, load_questions
from w2vgrade.protocol import RESULT_MARKER

DEFAULT_TIME_LIMIT = 30.0


class QuestionTimeout(BaseException):
    """Raised inside the student's code when a question exceeds its time limit.

    A BaseException, so that the student's ``except Exception`` does not swallow it.
    """


def result(status: str, fraction: float, en: str = "", es: str = "") -> dict:
    """A question's outcome as a JSON-ready dict."""
    return {"status": status, "fraction": float(fraction), "en": en, "es": es}


def evaluate_question(namespace: dict, question: Question, time_limit: float | None = DEFAULT_TIME_LIMIT) -> dict:
    """Check ``question`` against ``namespace[question.function]``; never raises for the student."""
    name = question.function
    if name not in namespace:
        return result(
            "missing",
            0,
            f"{name} is not defined: run the cell that defines it, and do not rename or delete it.",
            f"{name} no está definida: ejecuta la celda que la define y no la renombres ni la borres.",
        )
    candidate = namespace[name]
    if not callable(candidate):
        kind = type(candidate).__name__
        return result(
            "missing",
            0,
            f"{name} is a {kind}, not a function: a later cell reassigned the name.",
            f"{name} es un {kind}, no una función: una celda posterior reasignó el nombre.",
        )
    forbidden = _resolve_forbidden(question.forbidden)
    used = _static_forbidden_use(candidate, forbidden)
    if used:
        return _forbidden_result(name, used)
    guard = _RuntimeGuard(forbidden, namespace)
    silenced = io.StringIO()
    try:
        with guard, limited_time(time_limit), contextlib.redirect_stdout(silenced), contextlib.redirect_stderr(silenced):
            outcome = question.check(guard.track(candidate))
    except Fail as failure:
        outcome = failure
    except (QuestionTimeout, KeyboardInterrupt):
        seconds = f"{time_limit:g} s" if time_limit else "the time limit"
        return result(
            "timeout",
            0,
            f"{name} did not finish within {seconds}: look for a loop that never ends.",
            f"{name} no terminó en {seconds}: busca un bucle que no acaba nunca.",
        )
    except SystemExit:
        return result(
            "error",
            0,
            f"{name} called exit() or sys.exit(); return a value instead.",
            f"{name} llamó a exit() o sys.exit(); devuelve un valor en su lugar.",
        )
    except Exception as error:  # the student's code (or what it returned) broke the check
        where = _student_line(error)
        return result(
            "error",
            0,
            f"checking {name} raised {type(error).__name__}: {error}{where['en']}",
            f"al comprobar {name} se produjo {type(error).__name__}: {error}{where['es']}",
        )
    if guard.used:
        return _forbidden_result(name, guard.used)
    if isinstance(outcome, Fail):
        return result("partial" if outcome.fraction else "fail", outcome.fraction, outcome.en, outcome.es)
    return _fraction_result(question, outcome)


def _fraction_result(question: Question, outcome) -> dict:
    if outcome is None:
        return result("pass", 1)
    if isinstance(outcome, bool) or not isinstance(outcome, (int, float)) or not 0 <= outcome <= 1 or math.isnan(outcome):
        # A checks-module bug: say so loudly instead of guessing the points.
        message = (
            f"internal error in the check of {question.id}: it returned {outcome!r} "
            "(expected None or a fraction in [0, 1]); tell your instructor"
        )
        return result("error", 0, message, message)
    if outcome == 1:
        return result("pass", 1)
    return result(
        "partial",
        outcome,
        f"{question.function} is partly right ({outcome:.0%} of the points).",
        f"{question.function} es parcialmente correcta ({outcome:.0%} de los puntos).",
    )


def _forbidden_result(name: str, used: str) -> dict:
    return result(
        "forbidden",
        0,
        f"{name} uses {used}, the library's own implementation of what this question asks you "
        "to write: write it yourself with numpy (0 points for this question).",
        f"{name} usa {used}, la implementación de la propia biblioteca de lo que esta pregunta "
        "te pide escribir: escríbela tú con numpy (0 puntos en esta pregunta).",
    )


def _student_line(error: BaseException) -> dict:
    """' (line N of your cell)' for the innermost traceback frame in notebook code, if any."""
    frames = traceback_frames(error)
    for frame_summary in reversed(frames):
        filename = frame_summary[0]
        if filename.startswith("<ipython-input") or "ipykernel_" in filename or filename.startswith("<cell"):
            line = frame_summary[1]
            return {"en": f" (line {line} of your cell)", "es": f" (línea {line} de tu celda)"}
    return {"en": "", "es": ""}


def traceback_frames(error: BaseException) -> list[tuple[str, int]]:
    """``(filename, line)`` of each frame of the error's traceback, outermost first."""
    frames = []
    trace = error.__traceback__
    while trace is not None:
        frames.append((trace.tb_frame.f_code.co_filename, trace.tb_lineno))
        trace = trace.tb_next
    return frames


@contextlib.contextmanager
def limited_time(seconds: float | None):
    """Raise :class:`QuestionTimeout` in this thread after ``seconds`` (POSIX main thread only)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise QuestionTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ----- forbidden library functions ---------------------------------------------------------

def _resolve_forbidden(dotted_names) -> dict:
    """``{id(function): (owner, attribute, dotted_name)}`` for the forbidden functions.

    A dotted name is a module path followed by attributes, e.g.
    ``w2vlib.similarity.cosine_similarity`` or ``w2vlib.keyedvectors.KeyedVectors.most_similar``.
    A name that does not resolve is a bug in the checks and raises ``ValueError``.
    """
    resolved = {}
    for dotted in dotted_names:
        parts = dotted.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = _import_quietly(".".join(parts[:split]))
            if module is not None:
                break
        else:
            raise ValueError(f"forbidden name {dotted!r} in the checks names no importable module")
        owner = module
        try:
            for attribute in parts[split:-1]:
                owner = getattr(owner, attribute)
            target = inspect.getattr_static(owner, parts[-1])
        except AttributeError as error:
            raise ValueError(
                f"forbidden name {dotted!r} in the checks does not exist ({error}); fix the "
                "Question's forbidden tuple"
            ) from None
        resolved[id(_underlying(target))] = (owner, parts[-1], dotted)
    return resolved


def _underlying(value):
    """The plain function behind a bound method, staticmethod or decorated function."""
    value = getattr(value, "__func__", value)
    return inspect.unwrap(value)


def _forbidden_name(value, forbidden: dict) -> str | None:
    try:
        entry = forbidden.get(id(_underlying(value))) if callable(value) else None
    except Exception:  # a hostile __wrapped__ or __getattr__
        return None
    return entry[2] if entry else None


def _static_forbidden_use(function, forbidden: dict) -> str | None:
    """The forbidden dotted name ``function`` refers to, directly or via the student's helpers."""
    if not forbidden:
        return None
    pending = [function]
    seen = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        used = _forbidden_name(current, forbidden)
        if used:
            return used
        code = getattr(inspect.unwrap(current), "__code__", None)
        if not isinstance(code, types.CodeType):
            continue
        global_names = getattr(current, "__globals__", {})
        references = list(_referenced_values(current, code, global_names))
        for value in references:
            used = _forbidden_name(value, forbidden)
            if used:
                return used
            if _is_student_function(value, global_names):
                pending.append(value)
    return None


def _referenced_values(function, code, global_names):
    """Objects the function's code can reach by name: globals, closures, defaults, imports."""
    for name in _all_names(code):
        if name in global_names:
            yield global_names[name]
    for cell in getattr(function, "__closure__", None) or ():
        with contextlib.suppress(ValueError):
            yield cell.cell_contents
    yield from getattr(function, "__defaults__", None) or ()
    yield from (getattr(function, "__kwdefaults__", None) or {}).values()
    yield from _source_values(function, global_names)


def _all_names(code):
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _all_names(constant)
    return names


def _source_values(function, global_names):
    """Values named in the function's source by ``module.attr`` chains and by imports.

    Only modules are traversed (getattr on the student's own objects could run their code).
    """
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return
    modules = {}  # names bound to modules by imports inside the function
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                modules[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            parent = _import_quietly(node.module)
            for alias in node.names:
                value = getattr(parent, alias.name, None) if parent is not None else None
                if value is None:
                    value = _import_quietly(f"{node.module}.{alias.name}")
                if isinstance(value, types.ModuleType):
                    modules[alias.asname or alias.name] = value.__name__
                elif value is not None:
                    yield value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain = []
        current = node
        while isinstance(current, ast.Attribute):
            chain.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            continue
        value = global_names.get(current.id)
        if value is None and current.id in modules:
            value = _import_quietly(modules[current.id])
        for attribute in reversed(chain):
            if not isinstance(value, types.ModuleType):
                break
            value = getattr(value, attribute, None)
        if callable(value):
            yield value


def _import_quietly(name):
    if name in sys.modules:
        return sys.modules[name]
    try:
        return importlib.import_module(name)
    except Exception:
        return None


def _is_student_function(value, global_names) -> bool:
    return isinstance(value, types.FunctionType) and value.__globals__ is global_names


class _RuntimeGuard:
    """While active, the forbidden functions are replaced (in the library's modules and in the
    student's namespace) by wrappers that record a call made from inside the student's function.
    """

    def __init__(self, forbidden: dict, namespace: dict):
        self.forbidden = forbidden
        self.namespaces = [namespace]
        self.used = None
        self._depth = 0
        self._patches = []

    def track(self, function):
        """``function`` wrapped so that calls made while it runs count as the student's."""

        @functools.wraps(function)
        def tracked(*args, **kwargs):
            self._depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                self._depth -= 1

        if getattr(function, "__globals__", None) is not None and function.__globals__ not in self.namespaces:
            self.namespaces.append(function.__globals__)
        return tracked

    def _wrapper(self, original, dotted):
        @functools.wraps(original)
        def recording(*args, **kwargs):
            if self._depth and self.used is None:
                self.used = dotted
            return original(*args, **kwargs)

        return recording

    def __enter__(self):
        for owner, attribute, dotted in self.forbidden.values():
            original = inspect.getattr_static(owner, attribute)
            self._patches.append((owner, attribute, original, True))
            if isinstance(original, (staticmethod, classmethod)):
                replacement = type(original)(self._wrapper(original.__func__, dotted))
            else:
                replacement = self._wrapper(original, dotted)
            setattr(owner, attribute, replacement)
        modules = [module for name, module in list(sys.modules.items()) if name == "w2vlib" or name.startswith("w2vlib.")]
        mappings = [vars(module) for module in modules if module not in self._owners()] + self.namespaces
        for mapping in mappings:
            for key, value in list(mapping.items()):
                dotted = _forbidden_name(value, self.forbidden)
                if dotted:
                    self._patches.append((mapping, key, value, False))
                    mapping[key] = self._wrapper(value, dotted)
        return self

    def _owners(self):
        return [owner for owner, _, _ in self.forbidden.values()]

    def __exit__(self, *exc_info):
        for target, key, value, is_attribute in reversed(self._patches):
            if is_attribute:
                setattr(target, key, value)
            else:
                target[key] = value
        self._patches.clear()
        return False


# ----- whole exercises ---------------------------------------------------------------------

def evaluate_exercise(namespace: dict, exercise: str, package: str = DEFAULT_PACKAGE,
                      time_limit: float | None = DEFAULT_TIME_LIMIT) -> dict:
    """``{question_id: result}`` for every question of ``exercise``."""
    return {
        question.id: evaluate_question(namespace, question, time_limit)
        for question in load_questions(exercise, package)
    }


def report_question(namespace: dict, exercise: str, question_id: str, nonce: str,
                    package: str = DEFAULT_PACKAGE, time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
    """Evaluate one question and print its result on one marked line (used by the grader)."""
    try:
        questions = {question.id: question for question in load_questions(exercise, package)}
        outcome = evaluate_question(namespace, questions[question_id], time_limit)
    except Exception as error:  # a bug in the checks or the grader, not the student's fault
        message = f"internal grader error ({type(error).__name__}: {error}); tell your instructor"
        outcome = result("error", 0, message, message)
    sys.stdout.write(f"{RESULT_MARKER} {nonce} {json.dumps(outcome, ensure_ascii=True, default=str)}\n")
    sys.stdout.flush()
