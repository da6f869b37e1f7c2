"""The wire between the grader and a student process: JSON lines holding data only.

:func:`encode` and :func:`decode` handle numbers, strings, lists, tuples, dicts, numpy arrays
of numbers or strings (raw bytes, base64) and numpy random generators (their state). Never a
pickle, never code: a value of any other type arrives as an :class:`Opaque` stand-in. Arrays
keep their identity across one call (:class:`Refs`), so that what a function changes in
place travels back. This file is imported by the grader (``w2vgrade.wire``) and, inside the
sandbox, by the student process (``wire``, next to ``student.py``): it imports nothing of
the grader's.
"""

from __future__ import annotations

import base64
import contextlib
import math

ARRAY_KINDS = "biufcU"
MAX_DEPTH = 40
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Opaque:
    """A value of a type that does not travel (an iterator, a custom object); its class has
    the original type's name (for messages) and its repr is the original's, shortened."""

    def __repr__(self):
        return self.text


_CLASSES = {}


def _opaque(name, text: str) -> Opaque:
    name = name if isinstance(name, str) and name.isidentifier() else "Opaque"
    value = object.__new__(_CLASSES.setdefault(name, type(name, (Opaque,), {})))
    value.text = text
    return value


class Refs:
    """Identity of the arrays of one call, on one side. Each array travels with a number,
    positive when the grader sent it first and negative when the student process did
    (``sign``), so that it stays the same object on both sides. ``recorders``: the grader's
    :class:`w2vgrade.api.Recorder` arguments of the call, sent as their index."""

    def __init__(self, sign: int):
        self.sign, self.by_id, self.by_ref, self.recorders = sign, {}, {}, []

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
    kind, deeper = type(value), depth + 1
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        return value if abs(value) < 2**53 else {"int": str(value)}
    if kind is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if kind is list:
        return [encode(item, refs, deeper) for item in value]
    if isinstance(value, tuple):
        return {"tuple": [encode(item, refs, deeper) for item in value]}
    if kind is dict:
        return {"dict": [[encode(k, refs, deeper), encode(v, refs, deeper)] for k, v in value.items()]}
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
        data = base64.b64encode(np.ascontiguousarray(value).tobytes()).decode("ascii")
        return {"array": {"dtype": value.dtype.str, "shape": list(value.shape), "data": data,
                          "ref": refs.ref(value)}}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return {"scalar": {"dtype": value.dtype.str,
                           "data": base64.b64encode(value.tobytes()).decode("ascii")}}
    if isinstance(value, np.random.Generator):
        bits = value.bit_generator
        return {"generator": {"kind": type(bits).__name__, "state": encode(bits.state, refs)}}
    for index, recorder in enumerate(refs.recorders):
        if value is recorder:
            return {"recorder": index}
    try:
        text = repr(value)[:200]
    except BaseException:  # noqa: B036 - a hostile __repr__ only spoils its own description
        text = "?"
    return {"opaque": {"type": type(value).__name__, "repr": text}}


def decode(data, refs: Refs, depth: int = 0, special=None):
    """The value described by ``data`` (from :func:`encode`); ValueError if malformed.

    ``special(index)`` builds the value of a ``{"recorder": index}`` (a check's stand-in
    function, :class:`w2vgrade.api.Recorder`), on the student's side only."""
    import numpy as np

    if depth > MAX_DEPTH + 1:
        raise ValueError("nested too deeply")
    if data is None or type(data) in (bool, str, int, float):
        return data
    if type(data) is list:
        return [decode(item, refs, depth + 1, special) for item in data]
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
        return tuple(decode(body, refs, depth + 1, special))
    if tag == "dict":
        return {decode(k, refs, depth + 1, special): decode(v, refs, depth + 1, special) for k, v in body}
    if tag in ("array", "scalar"):
        return _array(tag, body, refs)
    if tag == "generator" and body.get("kind") in BIT_GENERATORS:
        bits = getattr(np.random, body["kind"])()
        bits.state = decode(body["state"], refs, depth + 1)
        return np.random.Generator(bits)
    if tag == "opaque":
        return _opaque(body.get("type"), str(body.get("repr", "?"))[:200])
    if tag == "recorder" and special is not None:
        return special(body)
    raise ValueError(f"unknown tag {tag!r}")


def _array(tag, body, refs):
    import numpy as np

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


def write_back(original, new) -> None:
    """Copy ``new`` into ``original`` in place (arrays, lists, dicts): what a call changed."""
    import numpy as np

    with contextlib.suppress(TypeError, ValueError):  # a read-only view: nothing to write into
        if isinstance(original, np.ndarray) and isinstance(new, np.ndarray) and original.shape == new.shape:
            if original is not new and not np.array_equal(original, new, equal_nan=original.dtype.kind in "fc"):
                original[...] = new  # only when it changed: a read-only input stays untouched
        elif type(original) is list and type(new) is list:
            original[:] = new
        elif type(original) is dict and type(new) is dict:
            original.clear()
            original.update(new)
