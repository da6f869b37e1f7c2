"""The student process: runs a notebook's code cells, then answers calls, with data only.

Started by the grader as ``python -s student.py`` inside the sandbox (:mod:`w2vgrade.sandbox`),
where this file and ``wire.py`` are the only parts of w2vgrade it can see. It reads one setup
message on stdin (the cells, the questions' function names and the limits), applies the
limits to itself, silences stdin and stdout (the student's prints go nowhere), runs the code
cells top to bottom, answers with the cells' errors and what each function name holds, then
serves calls. Answers carry the result and the arguments' new contents as data
(:mod:`wire`). The checks, their expected values and the grades never enter this process.
"""

from __future__ import annotations

import inspect
import json
import os
import resource
import signal
import sys

try:
    from wire import Refs, decode, encode
except ImportError:  # run as part of the package (tests, or no sandbox)
    from w2vgrade.wire import Refs, decode, encode

DEFAULT_RECURSION_LIMIT = 1000
_MISSING = object()
_dumps, _loads = json.dumps, json.loads  # bound now: a notebook that patches json breaks only itself


class _Timeout(BaseException):
    """Raised inside the student's code when a cell or a call runs out of time."""


def _on_timer(signum, frame):
    raise _Timeout("cpu" if signum == signal.SIGPROF else "wall")


def apply_limits(limits: dict) -> None:
    """Memory, CPU seconds, file size, open files, no core files; processes only when this
    process has its own user namespace (in the sandbox), where the count is its own."""
    cpu = int(limits["total"]) + 1
    for name, soft, hard in (("RLIMIT_AS", limits["memory"], limits["memory"]), ("RLIMIT_CPU", cpu, cpu + 5),
                             ("RLIMIT_FSIZE", limits["file_size"], limits["file_size"]),
                             ("RLIMIT_NOFILE", 256, 256), ("RLIMIT_CORE", 0, 0)):
        resource.setrlimit(getattr(resource, name), (soft, hard))
    if limits.get("processes_counted"):
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
    os.umask(0o077)


class Student:
    """The loop of the student process."""

    def __init__(self, inbox, outbox, setup):
        import builtins

        self.inbox, self.outbox, self.setup = inbox, outbox, setup
        self.namespace = {"__name__": "__main__", "__builtins__": builtins, "display": lambda *a, **k: None}
        self.limit = sys.getrecursionlimit()  # the student's setting, in force while their code runs

    def send(self, message):
        self.outbox.write(_dumps(message).encode() + b"\n")
        self.outbox.flush()

    def timed(self, action):
        """Run ``action()`` with the CPU and wall-clock limits of a cell and the student's recursion limit."""
        cpu, wall = self.setup["limits"]["cell"], self.setup["cell_wall"]
        signal.signal(signal.SIGPROF, _on_timer)
        signal.signal(signal.SIGALRM, _on_timer)
        signal.setitimer(signal.ITIMER_PROF, cpu)
        signal.setitimer(signal.ITIMER_REAL, wall)
        try:
            sys.setrecursionlimit(self.limit)
            return action()
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(self.limit, DEFAULT_RECURSION_LIMIT))

    def run_cells(self):
        errors = []
        for index, source in self.setup["cells"]:
            try:
                code = compile(without_magics(source), f"<cell {index + 1}>", "exec")
                self.timed(lambda: exec(code, self.namespace))
            except BaseException as error:  # noqa: B036 - the student's code may raise anything
                errors.append(self.describe(error, index, source))
        kinds = {name: kind_of(self.namespace, name) for name in self.setup["functions"]}
        self.send({"cells": errors, "kinds": kinds})

    def describe(self, error, index=None, source=""):
        """What the grader learns of an exception of the student's code, in a cell or a call."""
        limit = self.limit
        line, line_cell = _notebook_line(error)
        description = {"type": type(error).__name__, "message": _text(error)[:300], "line": line,
                       "line_cell": line_cell,
                       "recursion_limit": limit if limit != DEFAULT_RECURSION_LIMIT else None,
                       "timeout": (error.args or ("cpu",))[0] if isinstance(error, _Timeout) else None}
        if index is not None:
            description["index"] = index
            description["snippet"] = next((line.strip()[:60] for line in source.splitlines() if line.strip()), "")
        return description

    def serve(self):
        while True:
            line = self.inbox.readline()
            if not line:
                os._exit(0)
            self.send(self.call(_loads(line)))

    def call(self, request):
        import numpy as np

        refs, recorded = Refs(-1), []
        sources = request.get("recorders", [])

        def recorder(index):
            recorded.append([])
            return recording(sources[int(index)], refs, recorded[-1])

        args = decode(request["args"], refs, special=recorder)
        kwargs = decode(request["kwargs"], refs, special=recorder)
        function = self.namespace.get(request["name"])
        guard = Guard(self.namespace, request.get("forbidden", []), request.get("substitute", {}))
        try:
            with guard, np.errstate(**request["errstate"]):
                value = self.timed(lambda: function(*args, **kwargs))
        except BaseException as error:  # noqa: B036
            answer = {"error": self.describe(error)}
        else:
            answer = {"value": encode(value, refs), "args": encode(args, refs), "kwargs": encode(kwargs, refs)}
        answer["used"], answer["recorded"] = guard.used, recorded
        return answer


def kind_of(namespace: dict, name: str) -> str:
    """What ``name`` holds: "function", "missing", or the name of its type."""
    value = namespace.get(name, _MISSING)
    return "missing" if value is _MISSING else "function" if callable(value) else type(value).__name__


def recording(source: str, refs: Refs, log: list):
    """The function defined by ``source`` (a check's stand-in, e.g. a correct SGD step built
    on w2vlib), recording each call as data: the arguments by parameter name (their values
    at the call), which arrays they were (``ids``, numbers shared with the answer) and the result."""
    import numpy as np

    namespace = {}
    exec(compile(source, "<w2vgrade stand-in>", "exec"), namespace)
    function = next(value for value in namespace.values() if inspect.isfunction(value))
    signature = inspect.signature(function)

    def recorded(*args, **kwargs):
        arguments = signature.bind(*args, **kwargs).arguments
        entry = {"args": encode(dict(arguments), Refs(-1)),
                 "ids": {name: refs.ref(value) for name, value in arguments.items() if isinstance(value, np.ndarray)}}
        value = function(*args, **kwargs)
        entry["result"] = encode(value, Refs(-1))
        log.append(entry)
        return value

    recorded.__name__ = function.__name__
    return recorded


def _text(error):
    try:
        return str(error)
    except BaseException:  # noqa: B036
        return "?"


def _notebook_line(error):
    """``(line, cell)`` of the innermost frame of the notebook's code (cells counted from 1)."""
    trace, line, cell = error.__traceback__, None, None
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.startswith("<cell "):
            line, cell = trace.tb_lineno, int(filename[len("<cell "):-1])
        trace = trace.tb_next
    return line, cell


def without_magics(source: str) -> str:
    """IPython magics and shell escapes (``%``, ``!``) are not run: they become comments."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return ""
    return "\n".join("# " + line if line.lstrip().startswith(("%", "!")) else line for line in lines)


class Guard:
    """During one call: a profile hook records a call of the library's own implementation
    (``forbidden``: the code objects of those functions, so renamed references, copies and
    partials count too), and ``substitute`` swaps some of the student's helper functions for
    the library's (so that a mistake in a helper is not charged twice)."""

    def __init__(self, namespace, forbidden, substitute):
        self.namespace, self.used, self.patches, self.depth = namespace, None, [], 0
        self.codes = {function.__code__: dotted for dotted in forbidden for function in _functions(dotted)}
        self.substitute = {name: _functions(dotted) for name, dotted in substitute.items()}

    def hook(self, frame, event, arg):
        if event == "call" and self.depth == 0 and self.used is None and frame.f_code in self.codes:
            self.used = self.codes[frame.f_code]

    def __enter__(self):
        import threading

        namespace = self.namespace
        for name, found in self.substitute.items():
            if found:
                self.patches.append((name, namespace.get(name, _MISSING)))
                namespace[name] = self.library_helper(found[0])
        if self.codes:
            sys.setprofile(self.hook)
            threading.setprofile(self.hook)
        return self

    def __exit__(self, *exc_info):
        import threading

        sys.setprofile(None)
        threading.setprofile(None)
        for name, value in reversed(self.patches):
            if value is _MISSING:
                self.namespace.pop(name, None)
            else:
                self.namespace[name] = value
        return False

    def library_helper(self, function):
        def library_helper(*args, **kwargs):
            self.depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                self.depth -= 1

        return library_helper


def _functions(dotted):
    """The Python functions a dotted name stands for: one function or method, every method of
    a class, every function and class of a module (``w2vlib.pairs`` forbids all of it)."""
    import pkgutil
    import types

    try:
        value = pkgutil.resolve_name(dotted)
    except (ImportError, AttributeError, ValueError):
        return []
    if isinstance(value, types.ModuleType):
        value = [item for item in vars(value).values() if getattr(item, "__module__", None) == value.__name__]
    found = []
    for member in value if isinstance(value, list) else [value]:
        found += list(vars(member).values()) if isinstance(member, type) else [member]
    functions = []
    for item in found:
        item = getattr(item, "__func__", item)
        item = getattr(item, "fget", item)
        try:
            item = inspect.unwrap(item)
        except ValueError:
            continue
        if isinstance(item, types.FunctionType):
            functions.append(item)
    return functions


def main() -> None:
    inbox, outbox = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    setup = _loads(inbox.readline())
    apply_limits(setup["limits"])
    os.chdir(setup["workdir"])
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    import numpy  # noqa: F401 - before the student's code, so a broken import is ours to see

    student = Student(inbox, outbox, setup)
    student.run_cells()
    student.serve()


if __name__ == "__main__":
    main()
