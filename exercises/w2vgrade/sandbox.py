"""Running the student's code: the student process, and the grader's end of the channel to it.

The student process is ``python -s -m w2vgrade.sandbox``. It reads one setup message on stdin,
isolates itself (:func:`w2vgrade.isolate.enter`: own uid, hidden folders, limits) before any
student code runs, executes the notebook's code cells top to bottom, and then serves calls:
"call ``name`` with these arguments". Grader and student process exchange JSON lines holding
**data only** (:func:`encode` / :func:`decode`): numbers, strings, lists, tuples, dicts,
numpy arrays of numbers or strings (raw bytes, base64) and numpy random generators (their
state). Never a pickle, never code; a value
of any other type arrives as an :class:`Opaque` stand-in. The checks, their expected values
and the grades stay in the grader's process (:class:`Session`, :class:`Remote`).

A grader-side callable passed as an argument (a recording ``step``) becomes a stub in the
student process; calling the stub sends its arguments back and waits for the grader's reply.
Arrays keep their identity across one call (the same student array is the same grader array),
and changes made in place travel back in both directions.
"""

from __future__ import annotations

import base64
import json
import math
import os
import select
import signal
import subprocess
import sys
import time

DEFAULT_RECURSION_LIMIT = 1000
ARRAY_KINDS = "biufcU"
MAX_DEPTH = 40
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Opaque:
    """A value of a type that does not travel (an iterator, a custom object); its class has
    the original type's name (for messages) and its repr is the original's, shortened."""

    def __repr__(self):
        return self.text


class StudentError(Exception):
    """An exception of the student's code, rebuilt from its description (:func:`student_error`):
    ``kind`` (type name), ``line`` (in the notebook's cell), ``recursion_limit`` (if changed)."""


class StudentTimeout(BaseException):
    """The student's code ran out of CPU or wall-clock time (``kind`` is "cpu" or "wall")."""

    def __init__(self, kind, seconds):
        super().__init__(kind)
        self.kind, self.seconds = kind, seconds


class StudentExit(BaseException):
    """The student's code called exit()."""


class SandboxStopped(BaseException):
    """The student process is gone (killed at a limit, crashed, or answered nonsense)."""


_CLASSES = {}


def _instance(name: str, base: type):
    """An instance of a class named ``name`` (cached) derived from ``base``."""
    name = name if isinstance(name, str) and name.isidentifier() else base.__name__
    return object.__new__(_CLASSES.setdefault((name, base), type(name, (base,), {})))


def student_error(description: dict) -> StudentError:
    """The student's exception; a built-in type is mirrored, so that the student's ValueError
    is caught by a check's ``except ValueError``."""
    import builtins

    kind = str(description.get("type", "Exception"))[:80]
    base = getattr(builtins, kind, None)
    mirrored = isinstance(base, type) and issubclass(base, Exception) and base is not Exception
    cls = _CLASSES.setdefault((kind, base), type(kind if kind.isidentifier() else "StudentError",
                                                 (StudentError, base) if mirrored else (StudentError,), {}))
    error = cls(str(description.get("message", ""))[:500])
    limit = description.get("recursion_limit")
    error.kind, error.line = kind, description.get("line")
    error.recursion_limit = limit if type(limit) is int else None
    return error


# ----- the wire format: data only --------------------------------------------------------

class Refs:
    """Identity of the arrays of one call, on one side. Each array travels with a number,
    positive when the grader sent it first and negative when the student process did
    (``sign``), so that it stays the same object on both sides and takes in place what the
    other side changed."""

    def __init__(self, sign: int):
        self.sign, self.by_id, self.by_ref, self.callbacks = sign, {}, {}, {}

    def ref(self, value) -> int:
        if id(value) not in self.by_id:
            self.remember(self.sign * (len(self.by_ref) + 1), value)
        return self.by_id[id(value)]

    def remember(self, ref: int, value) -> None:
        self.by_id[id(value)], self.by_ref[ref] = ref, value  # kept alive: ids are not reused


def encode(value, refs: Refs, depth: int = 0):
    """``value`` as JSON-ready data; types that do not travel become an opaque description."""
    import numpy as np

    if depth > MAX_DEPTH:
        return {"opaque": {"type": "object", "repr": "a value nested too deeply"}}
    kind = type(value)
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        return value if abs(value) < 2**53 else {"int": str(value)}
    if kind is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if kind is list:
        return [encode(item, refs, depth + 1) for item in value]
    if isinstance(value, tuple):
        return {"tuple": [encode(item, refs, depth + 1) for item in value]}
    if kind is dict:
        return {"dict": [[encode(k, refs, depth + 1), encode(v, refs, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS and not value.dtype.hasobject:
        data = base64.b64encode(np.ascontiguousarray(value).tobytes()).decode("ascii")
        return {"array": {"dtype": value.dtype.str, "shape": list(value.shape), "data": data, "ref": refs.ref(value)}}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return {"scalar": {"dtype": value.dtype.str, "data": base64.b64encode(value.tobytes()).decode("ascii")}}
    if isinstance(value, np.random.Generator):
        bit_generator = value.bit_generator
        return {"generator": {"kind": type(bit_generator).__name__, "state": encode(bit_generator.state, refs)}}
    if id(value) in refs.callbacks:
        return {"callback": refs.callbacks[id(value)]}
    try:
        text = repr(value)[:200]
    except BaseException:  # a hostile __repr__ only spoils its own description
        text = "?"
    return {"opaque": {"type": type(value).__name__, "repr": text}}


def decode(data, refs: Refs, depth: int = 0, stub=None):
    """The value described by ``data`` (from :func:`encode`); ValueError if malformed."""
    import numpy as np

    if depth > MAX_DEPTH + 1:
        raise ValueError("nested too deeply")
    if data is None or type(data) in (bool, str, int, float):
        return data
    if type(data) is list:
        return [decode(item, refs, depth + 1, stub) for item in data]
    if type(data) is not dict or len(data) != 1:
        raise ValueError(f"unexpected value {str(data)[:80]}")
    (tag, body), = data.items()
    if tag == "int":
        return int(str(body)[:400])
    if tag == "float":
        if body not in ("nan", "inf", "-inf"):
            raise ValueError(f"bad float {body!r}")
        return float(body)
    if tag == "tuple":
        return tuple(decode(body, refs, depth + 1, stub))
    if tag == "dict":
        return {decode(k, refs, depth + 1, stub): decode(v, refs, depth + 1, stub) for k, v in body}
    if tag in ("array", "scalar"):
        dtype = np.dtype(str(body["dtype"]))
        if dtype.kind not in ARRAY_KINDS or dtype.hasobject:
            raise ValueError(f"refused dtype {dtype}")
        raw = base64.b64decode(body["data"], validate=True)
        if tag == "scalar":
            return np.frombuffer(raw, dtype=dtype, count=1)[0]
        shape = tuple(int(n) for n in body["shape"])
        if any(n < 0 for n in shape) or math.prod(shape) * dtype.itemsize != len(raw):
            raise ValueError("array data does not match its shape")
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        ref = body.get("ref")
        known = refs.by_ref.get(ref) if type(ref) is int else None
        if isinstance(known, np.ndarray) and known.shape == array.shape and known.dtype == array.dtype:
            write_back(known, array)  # the same array as before, with its latest values
            return known
        if type(ref) is int:
            refs.remember(ref, array)
        return array
    if tag == "generator" and body.get("kind") in BIT_GENERATORS:
        bit_generator = getattr(np.random, body["kind"])()
        bit_generator.state = decode(body["state"], refs, depth + 1)
        return np.random.Generator(bit_generator)
    if tag == "opaque":
        opaque = _instance(body.get("type"), Opaque)
        opaque.text = str(body.get("repr", "?"))[:200]
        return opaque
    if tag == "callback" and stub is not None:
        return stub(int(body))
    raise ValueError(f"unknown tag {tag!r}")


def write_back(original, new) -> None:
    """Copy ``new`` into ``original`` in place (arrays, lists, dicts): what a call changed."""
    import numpy as np

    try:
        if isinstance(original, np.ndarray) and isinstance(new, np.ndarray) and original.shape == new.shape:
            if original is not new and not np.array_equal(original, new, equal_nan=original.dtype.kind in "fc"):
                original[...] = new  # only when it changed: a read-only input stays untouched
        elif type(original) is list and type(new) is list:
            original[:] = new
        elif type(original) is dict and type(new) is dict:
            original.clear()
            original.update(new)
    except (TypeError, ValueError):  # a read-only view: nothing to write into
        pass


# ----- the grader's end --------------------------------------------------------------------

MAX_MESSAGE = 64 * 2**20


class Session:
    """One student process, seen from the grader: start, run the cells, call functions, stop.

    ``setup`` is the first message (isolation, limits, cells); ``limits`` a
    :class:`w2vgrade.isolate.Limits`. Every wait is bounded by the student process's CPU time
    and by a wall-clock backstop; past them the process (and all it started) is killed and
    :class:`SandboxStopped` says why.
    """

    def __init__(self, setup: dict, limits, environment: dict, stderr_path, stop_event=None):
        from w2vgrade import isolate

        self.limits, self.stop_event, self.stopped = limits, stop_event, None
        self.isolation = setup["isolation"]
        with open(stderr_path, "wb") as stderr:
            self.process = isolate.start(
                [sys.executable, "-s", "-m", "w2vgrade.sandbox"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=stderr, env=environment, start_new_session=True,
                cwd="/")
        self.started = time.monotonic()
        self._buffer = b""
        self._send(setup)

    def _send(self, message):
        try:
            self.process.stdin.write(json.dumps(message, allow_nan=False).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._stop("the student process ended") from None

    def _stop(self, reason: str) -> SandboxStopped:
        if self.stopped is None:
            self.stopped = reason
        self.close()
        return SandboxStopped(self.stopped)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the student process (and its waited-for children)."""
        try:
            fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
            return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def receive(self, cpu_budget: float, wall_budget: float):
        """The next message, waiting while the process uses < ``cpu_budget`` more CPU seconds
        and < ``wall_budget`` seconds pass (and within the whole submission's limits)."""
        cpu_start, wall_start = self.cpu_seconds(), time.monotonic()
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            if self.stop_event is not None and self.stop_event.is_set():
                raise self._stop("grading was interrupted")
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    if self.stop_event is not None and self.stop_event.is_set():
                        raise self._stop("grading was interrupted")
                    cpu = self.cpu_seconds()  # before the exit status is collected
                    try:
                        code = self.process.wait(5)
                    except subprocess.TimeoutExpired:
                        code = None
                    raise self._stop(_ending(code, cpu, self.limits))
                self._buffer += chunk
                if len(self._buffer) > MAX_MESSAGE:
                    raise self._stop(f"the student process sent more than {MAX_MESSAGE >> 20} MiB at once")
                continue
            cpu = self.cpu_seconds()
            if cpu - cpu_start > cpu_budget or cpu > self.limits.total + 2:
                raise self._stop(f"cpu:{max(cpu - cpu_start, 0):.0f}")
            now = time.monotonic()
            if now - wall_start > wall_budget or now - self.started > self.limits.wall:
                raise self._stop(f"wall:{now - wall_start:.0f}")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            raise self._stop("the student process sent a malformed message") from None
        if type(message) is not dict:
            raise self._stop("the student process sent a malformed message")
        return message

    def run_cells(self) -> list[dict]:
        """Execute the notebook; the errors of the cells that raised or ran out of time."""
        message = self.receive(self.limits.total + 5, self.limits.wall)
        errors = message.get("cells")
        if type(errors) is not list:
            raise self._stop("the student process sent a malformed message")
        return [_cell_error(error) for error in errors if type(error) is dict]

    def function(self, name: str):
        """A :class:`Remote` for ``name``, or the reason it cannot be called
        (``"missing"`` or the name of the type it holds)."""
        self._send({"op": "probe", "name": name})
        message = self.receive(self.limits.cell + 2, self.limits.cell_wall + 10)
        kind = message.get("kind")
        if kind == "function":
            return Remote(self, name)
        return str(kind)[:60]

    def close(self) -> None:
        """Kill the student process and everything it started; idempotent."""
        from w2vgrade import isolate

        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
        isolate.kill_everything(self.isolation, self.process)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _ending(code, cpu, limits) -> str:
    if code in (-signal.SIGXCPU, -signal.SIGKILL) and cpu >= limits.total - 1:
        return f"cpu-total:{limits.total:g}"
    if code is not None and code < 0:
        return f"the student process was killed by signal {-code}"
    return f"the student process ended (exit status {code})"


def _cell_error(error: dict) -> dict:
    return {"index": int(error.get("index", 0)) if type(error.get("index")) is int else 0,
            "snippet": str(error.get("snippet", ""))[:80], "ename": str(error.get("ename", ""))[:80],
            "evalue": str(error.get("evalue", ""))[:300], "timeout": str(error.get("timeout") or "")[:8],
            "recursion_limit": error.get("recursion_limit") if type(error.get("recursion_limit")) is int else None}


class Remote:
    """The student's function ``name``, called from the grader: arguments go as data, the
    result and the arguments' new contents come back as data."""

    def __init__(self, session: Session, name: str, forbidden=(), substitute=None):
        self.session, self.__name__ = session, name
        self.forbidden, self.substitute, self.used = tuple(forbidden), dict(substitute or {}), None

    def with_options(self, forbidden=(), substitute=None) -> "Remote":
        return Remote(self.session, self.__name__, forbidden, substitute)

    def __call__(self, *args, **kwargs):
        import numpy as np

        refs = Refs(+1)
        callbacks = []
        for value in (*args, *kwargs.values()):
            if callable(value) and not isinstance(value, np.ndarray):
                refs.callbacks[id(value)] = len(callbacks)
                callbacks.append(value)
        limits = self.session.limits
        self.session._send({
            "op": "call", "name": self.__name__, "args": encode(list(args), refs),
            "kwargs": encode(dict(kwargs), refs), "errstate": np.geterr(), "cpu": limits.cell,
            "wall": limits.cell_wall, "forbidden": list(self.forbidden), "substitute": self.substitute})
        while True:
            message = self.session.receive(limits.cell + 2, limits.cell_wall + 10)
            if "callback" in message:
                self._run_callback(message, callbacks, refs)
                continue
            break
        self.used = self.used or (str(message["used"])[:200] if message.get("used") else None)
        if "error" in message:
            error = message["error"] if type(message["error"]) is dict else {}
            if error.get("timeout"):
                kind = str(error["timeout"])
                raise StudentTimeout(kind, limits.cell_wall if kind == "wall" else limits.cell)
            if error.get("type") == "SystemExit":
                raise StudentExit()
            raise student_error(error)
        try:
            result = decode(message.get("value"), refs)
            new_args = decode(message.get("args"), refs)
            new_kwargs = decode(message.get("kwargs"), refs)
        except (ValueError, TypeError, KeyError, OverflowError):
            raise self.session._stop("the student process sent a malformed message") from None
        for original, new in zip(args, new_args or []):
            write_back(original, new)
        for key, original in kwargs.items():
            write_back(original, (new_kwargs or {}).get(key))
        return result

    def _run_callback(self, message, callbacks, refs):
        index = message.get("callback")
        try:
            arguments = decode(message.get("args"), refs)
            function = callbacks[index]
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            raise self.session._stop("the student process sent a malformed message") from None
        value = function(*arguments)
        self.session._send({"op": "reply", "value": encode(value, refs), "args": encode(list(arguments), refs)})


# ----- the student's end -------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised inside the student's code when a cell or a call runs out of time."""


def _on_timer(signum, frame):
    raise _Timeout("cpu" if signum == signal.SIGPROF else "wall")


class _Student:
    """The student process's loop (runs after :func:`w2vgrade.isolate.enter`)."""

    def __init__(self, inbox, outbox, setup):
        import builtins

        self.inbox, self.outbox, self.setup = inbox, outbox, setup
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.namespace["display"] = lambda *args, **kwargs: None
        self.limit = sys.getrecursionlimit()  # the student's setting, in force while their code runs

    def send(self, message):
        self.outbox.write(_dumps(message).encode() + b"\n")
        self.outbox.flush()

    def receive(self):
        line = self.inbox.readline()
        if not line:
            os._exit(0)
        return _loads(line)

    def timed(self, cpu, wall, action):
        """Run ``action()`` with CPU and wall-clock timers and the student's recursion limit;
        afterwards, the runner's own settings again."""
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
                code = compile(_without_magics(source), f"<cell {index + 1}>", "exec")
                self.timed(self.setup["cell_cpu"], self.setup["cell_wall"], lambda: exec(code, self.namespace))
            except BaseException as error:  # noqa: B036 - the student's code may raise anything
                errors.append(self.describe(error, index, source))
        self.send({"cells": errors})

    def describe(self, error, index=None, source=""):
        limit = self.limit
        description = {"ename": type(error).__name__, "evalue": _text(error)[:300],
                       "recursion_limit": limit if limit != DEFAULT_RECURSION_LIMIT else None}
        if isinstance(error, _Timeout):
            description["timeout"] = str(error.args[0]) if error.args else "cpu"
        if index is not None:
            description["index"] = index
            description["snippet"] = next((line.strip()[:60] for line in source.splitlines() if line.strip()), "")
        return description

    def serve(self):
        while True:
            request = self.receive()
            if request.get("op") == "probe":
                value = self.namespace.get(request["name"], _MISSING)
                kind = "missing" if value is _MISSING else "function" if callable(value) else type(value).__name__
                self.send({"kind": kind})
            elif request.get("op") == "call":
                self.send(self.call(request))

    def call(self, request):
        import numpy as np

        refs = Refs(-1)
        stub = self.stub_maker(refs)
        args = decode(request["args"], refs, stub=stub)
        kwargs = decode(request["kwargs"], refs, stub=stub)
        function = self.namespace.get(request["name"])
        guard = _Guard(self, request.get("forbidden", []), request.get("substitute", {}))
        try:
            with guard, np.errstate(**request["errstate"]):
                value = self.timed(request["cpu"], request["wall"], lambda: function(*args, **kwargs))
        except BaseException as error:  # noqa: B036
            description = self.describe(error)
            answer = {"error": {"type": description["ename"], "message": description["evalue"],
                                "timeout": description.get("timeout"), "line": _notebook_line(error),
                                "recursion_limit": description["recursion_limit"]}}
        else:
            answer = {"value": encode(value, refs), "args": encode(args, refs), "kwargs": encode(kwargs, refs)}
        answer["used"] = guard.used
        return answer

    def stub_maker(self, refs):
        def make(index):
            def grader_function(*arguments):
                self.send({"callback": index, "args": encode(list(arguments), refs)})
                reply = self.receive()
                for original, new in zip(arguments, decode(reply["args"], refs)):
                    write_back(original, new)
                return decode(reply["value"], refs)

            return grader_function

        return make


_MISSING = object()
_dumps, _loads = json.dumps, json.loads  # bound now: a notebook that patches json breaks only itself


def _text(error):
    try:
        return str(error)
    except BaseException:  # noqa: B036
        return "?"


def _notebook_line(error):
    trace, line = error.__traceback__, None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.startswith("<cell "):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _without_magics(source: str) -> str:
    """IPython magics and shell escapes (``%``, ``!``) are not run: they become comments."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return ""
    return "\n".join("# " + line if line.lstrip().startswith(("%", "!")) else line for line in lines)


class _Guard:
    """During one call: a profile hook records a call of the library's own implementation
    (``forbidden``: the code objects of those functions, so renamed references, copies and
    partials count too), and ``substitute`` swaps some of the student's helper functions for
    the library's (so that a mistake in a helper is not charged twice)."""

    def __init__(self, student, forbidden, substitute):
        self.student, self.used, self.patches, self.depth = student, None, [], 0
        self.codes = {}
        for dotted in forbidden:
            for function in _functions(dotted):
                self.codes[function.__code__] = dotted
        self.substitute = {name: _functions(dotted) for name, dotted in substitute.items()}

    def hook(self, frame, event, arg):
        if event == "call" and self.depth == 0 and self.used is None and frame.f_code in self.codes:
            self.used = self.codes[frame.f_code]

    def __enter__(self):
        import threading

        namespace = self.student.namespace
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
                self.student.namespace.pop(name, None)
            else:
                self.student.namespace[name] = value
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
    import importlib
    import inspect
    import types

    value, parts = None, dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                value = inspect.getattr_static(value, attribute)
        except AttributeError:
            return []
        break
    if isinstance(value, types.ModuleType):
        members = [item for item in vars(value).values() if getattr(item, "__module__", None) == value.__name__]
    elif isinstance(value, type):
        members = list(vars(value).values())
    else:
        members = [value]
    found = []
    for member in members:
        if isinstance(member, type):
            found += [item for item in vars(member).values()]
        else:
            found.append(member)
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
    from w2vgrade import isolate

    inbox, outbox = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    setup = json.loads(inbox.readline())
    isolate.enter(setup["isolation"], setup["limits"])
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    import numpy  # noqa: F401 - before the student's code, so a broken import is ours to see

    student = _Student(inbox, outbox, setup)
    student.run_cells()
    student.serve()


if __name__ == "__main__":
    main()
