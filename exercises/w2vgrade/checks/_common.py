"""Helpers shared by the exercise checks: calling a student's function safely and checking
the type and shape of what it returns, with messages in English and Spanish."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail


def call(fn, *args, **kwargs):
    """Call the student's ``fn``; an exception becomes a :class:`Fail` that names it."""
    name = getattr(fn, "__name__", "function")
    try:
        return fn(*args, **kwargs)
    except Fail:
        raise
    except Exception as error:  # the student's code may raise anything
        kind = type(error).__name__
        raise Fail(
            en=(
                f"{name}(...) raised {kind}: {error}. Run it on a small example and read the "
                "traceback."
            ),
            es=(
                f"{name}(...) lanzó {kind}: {error}. Pruébala con un ejemplo pequeño y lee la "
                "traza."
            ),
        ) from None


def array(value, shape, what_en, what_es):
    """``value`` as a float64 array of exactly ``shape``; otherwise Fail saying expected vs got."""
    if value is None:
        raise Fail(
            en=f"{what_en} is None: the function still returns its placeholder value.",
            es=f"{what_es} es None: la función todavía devuelve su valor provisional.",
        )
    if not isinstance(value, np.ndarray):
        raise Fail(
            en=(
                f"{what_en} must be a numpy array, got {type(value).__name__}; wrap it with "
                "np.asarray."
            ),
            es=(
                f"{what_es} debe ser un array de numpy y es {type(value).__name__}; conviértelo "
                "con np.asarray."
            ),
        )
    if value.shape != tuple(shape):
        raise Fail(
            en=f"{what_en} has the wrong shape: expected {tuple(shape)}, got {value.shape}.",
            es=(
                f"{what_es} tiene la forma equivocada: se esperaba {tuple(shape)} y es "
                f"{value.shape}."
            ),
        )
    try:
        result = value.astype(np.float64)
    except (TypeError, ValueError):
        raise Fail(
            en=f"{what_en} must hold numbers, got dtype {value.dtype}.",
            es=f"{what_es} debe contener números y su dtype es {value.dtype}.",
        ) from None
    if not np.all(np.isfinite(result)):
        raise Fail(
            en=f"{what_en} contains nan or inf values.",
            es=f"{what_es} contiene valores nan o inf.",
        )
    return result


def scalar(value, what_en, what_es):
    """``value`` as a finite Python float; a vector or None is a Fail."""
    if value is None:
        raise Fail(
            en=f"{what_en} is None: the function still returns its placeholder value.",
            es=f"{what_es} es None: la función todavía devuelve su valor provisional.",
        )
    shape = np.shape(value)
    if shape != ():
        raise Fail(
            en=f"{what_en} must be a single number, got an object of shape {shape}.",
            es=f"{what_es} debe ser un solo número y es un objeto de forma {shape}.",
        )
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Fail(
            en=f"{what_en} must be a number, got {value!r}.",
            es=f"{what_es} debe ser un número y es {value!r}.",
        ) from None
    if not np.isfinite(number):
        raise Fail(
            en=f"{what_en} is {number}: it must be finite.",
            es=f"{what_es} vale {number}: debe ser finito.",
        )
    return number


def unpack(result, count, name):
    """The ``count`` items of a returned tuple; anything else is a Fail."""
    if not isinstance(result, (tuple, list)) or len(result) != count:
        kind = type(result).__name__
        sized = isinstance(result, (tuple, list))
        got = f"a {kind}" + (f" of length {len(result)}" if sized else "")
        got_es = f"un {kind}" + (f" de longitud {len(result)}" if sized else "")
        raise Fail(
            en=f"{name} must return a tuple of {count} values, got {got}.",
            es=f"{name} debe devolver una tupla de {count} valores y devuelve {got_es}.",
        )
    return tuple(result)

