"""Helpers shared by the exercise checks: calling a student's function safely (on copies of
its inputs) and checking the type and shape of what it returns, with messages in English and
Spanish."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, close, diagnose
from w2vgrade.check import raised_message

ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
ORDINALS_ES = ("primer", "segundo", "tercer", "cuarto", "quinto", "sexto", "séptimo", "octavo")


def call(fn, *args, mutates=False, **kwargs):
    """Call the student's ``fn``; an exception becomes a :class:`Fail` that names it.

    Unless ``mutates`` (the function is meant to change its arguments in place), ``fn``
    receives copies and a change to them is a Fail "your function changed its input", so a
    function that consumes its input is caught on the first call, whatever calls follow.
    """
    name = getattr(fn, "__name__", "function")
    given = (args, kwargs) if mutates else (_copied(args), _copied(kwargs))
    try:
        result = fn(*given[0], **given[1])
    except Fail:
        raise
    except Exception as error:  # the student's code may raise anything
        en, es = raised_message(f"{name}(...)", f"en {name}(...)", error)
        raise Fail(en=f"{en}. Run it on a small example and read the traceback.",
                   es=f"{es}. Pruébala con un ejemplo pequeño y lee la traza.") from None
    if not mutates:
        for position, (before, after) in enumerate(zip(args, given[0])):
            if not _same(before, after):
                raise Fail(
                    en=(f"Your function changed its input: {name} modified its {ORDINALS_EN[position]} "
                        "argument. Work on a copy (or build a new list or array) and leave what you are given as "
                        "it is."),
                    es=(f"Tu función cambió su entrada: {name} modificó su {ORDINALS_ES[position]} argumento. "
                        "Trabaja sobre una copia (o construye una lista o un array nuevos) y deja lo que recibes "
                        "como está."))
    return result


def _copied(value):
    """A copy of the arrays, lists, tuples and dicts in ``value`` (other objects are shared)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if type(value) in (list, tuple):
        return type(value)(_copied(item) for item in value)
    if type(value) is dict:
        return {key: _copied(item) for key, item in value.items()}
    return value


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def array(value, shape, what_en, what_es, finite=True):
    """``value`` as a float64 array of exactly ``shape`` (and no nan or inf unless not
    ``finite``); otherwise Fail saying expected vs got."""
    if value is None:
        raise Fail(en=f"{what_en} is None: the function still returns its placeholder value.",
                   es=f"{what_es} es None: la función todavía devuelve su valor provisional.")
    if not isinstance(value, np.ndarray):
        raise Fail(en=f"{what_en} must be a numpy array, got {type(value).__name__}; wrap it with np.asarray.",
                   es=(f"{what_es} debe ser un array de numpy y es {type(value).__name__}; conviértelo con "
                       "np.asarray."))
    if value.shape != tuple(shape):
        raise Fail(en=f"{what_en} has the wrong shape: expected {tuple(shape)}, got {value.shape}.",
                   es=f"{what_es} tiene la forma equivocada: se esperaba {tuple(shape)} y es {value.shape}.")
    try:
        result = value.astype(np.float64)
    except (TypeError, ValueError):
        raise Fail(en=f"{what_en} must hold numbers, got dtype {value.dtype}.",
                   es=f"{what_es} debe contener números y su dtype es {value.dtype}.") from None
    if finite and not np.all(np.isfinite(result)):
        raise Fail(en=f"{what_en} contains nan or inf values.",
                   es=f"{what_es} contiene valores nan o inf.")
    return result


def scalar(value, what_en, what_es):
    """``value`` as a finite Python float; a vector or None is a Fail."""
    if value is None:
        raise Fail(en=f"{what_en} is None: the function still returns its placeholder value.",
                   es=f"{what_es} es None: la función todavía devuelve su valor provisional.")
    shape = np.shape(value)
    if shape != ():
        raise Fail(en=f"{what_en} must be a single number, got an object of shape {shape}.",
                   es=f"{what_es} debe ser un solo número y es un objeto de forma {shape}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Fail(en=f"{what_en} must be a number, got {value!r}.",
                   es=f"{what_es} debe ser un número y es {value!r}.") from None
    if not np.isfinite(number):
        raise Fail(en=f"{what_en} is {number}: it must be finite.",
                   es=f"{what_es} vale {number}: debe ser finito.")
    return number


def unpack(result, count, name):
    """The ``count`` items of a returned tuple; anything else is a Fail."""
    if not isinstance(result, (tuple, list)) or len(result) != count:
        kind = type(result).__name__
        sized = isinstance(result, (tuple, list))
        got = f"a {kind}" + (f" of length {len(result)}" if sized else "")
        got_es = f"un {kind}" + (f" de longitud {len(result)}" if sized else "")
        raise Fail(en=f"{name} must return a tuple of {count} values, got {got}.",
                   es=f"{name} debe devolver una tupla de {count} valores y devuelve {got_es}.")
    return tuple(result)


def loss_and_gradients(fn, case, shapes, names):
    """``fn(*case)`` as ``(loss, gradient, gradient)``: a finite number and two float arrays of
    ``shapes``, the gradients with respect to ``names``; a transposed matrix is a Fail."""
    loss, *gradients = unpack(call(fn, *case), 3, getattr(fn, "__name__", "function"))
    for gradient, shape, name in zip(gradients, shapes, names):
        if isinstance(gradient, np.ndarray) and gradient.shape == shape[::-1] != shape:
            raise Fail(en=(f"grad_{name} is transposed: it must have the shape of {name}, {shape}, got "
                           f"{gradient.shape}."),
                       es=(f"grad_{name} está traspuesto: debe tener la forma de {name}, {shape}, y tiene "
                           f"{gradient.shape}."))
    return (scalar(loss, "the loss J", "la pérdida J"),
            *(array(gradient, shape, f"grad_{name}", f"grad_{name}") for gradient, shape, name in
              zip(gradients, shapes, names)))


def diagnose_loss(fn, cases, reference, mistakes, shapes, names) -> None:
    """Fail with the first :class:`Mistake` whose loss and gradients ``fn`` returns on
    ``cases``, else with the first part that differs from ``reference``; ``shapes(case)`` are
    the gradients' shapes, ``names`` the variables they are taken with respect to."""
    answers = [loss_and_gradients(fn, case, shapes(case), names) for case in cases]
    wrong = diagnose(answers, cases, reference, mistakes, same=same_parts)
    if wrong:
        wrong_part(*wrong[1:], names)


def right_at(fn, case, expected, atol=1e-9) -> bool:
    """Whether ``fn(*case)`` (numpy's warnings silenced) is a finite loss and gradients close
    to ``expected``: for the cases that overflow a naive formula."""
    with np.errstate(all="ignore"):
        result = unpack(call(fn, *case), 3, getattr(fn, "__name__", "function"))
    try:
        parts = [np.asarray(part, dtype=np.float64) for part in result]
    except (TypeError, ValueError):
        return False
    return all(np.all(np.isfinite(part)) and close(part, want, atol=atol) for part, want in zip(parts, expected))


def same_parts(got, expected) -> bool:
    """Every part of ``got`` (a loss and its gradients) close to the same part of ``expected``."""
    return all(close(part, want) for part, want in zip(got, expected))


def wrong_part(got, expected, names):
    """The Fail for the first part of ``got`` that differs from ``expected``."""
    if not close(got[0], expected[0]):
        raise Fail(en=f"The loss should be {expected[0]:.6f}, got {got[0]:.6f}.",
                   es=f"La pérdida debería valer {expected[0]:.6f} y vale {got[0]:.6f}.")
    part, name = next((part, name) for part, want, name in zip(got[1:], expected[1:], names) if not close(part, want))
    gap = np.abs(part - expected[1 + names.index(name)]).max()
    raise Fail(en=f"The gradient with respect to {name} does not match the reference (max difference {gap:.3g}).",
               es=f"El gradiente respecto de {name} no coincide con la referencia (diferencia máxima {gap:.3g}).")
