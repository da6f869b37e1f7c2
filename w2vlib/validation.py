"""Checks of arguments, shared by every module (as scikit-learn's ``utils.validation``).

Each check returns the value it accepted (converted, e.g. a numpy integer to ``int``) or
raises a ``ValueError`` / ``TypeError`` whose message quotes the value and says what to
pass instead. A ``bool`` is never an integer here, although Python's ``True == 1``.

>>> check_int("window", 5)
5
>>> check_int("window", 0, fix="pass window=1 or more")
Traceback (most recent call last):
    ...
ValueError: window must be an integer >= 1, got 0; pass window=1 or more
"""
import numpy as np

__all__ = ["is_int", "is_number", "check_int", "check_choice", "check_sentences"]


def is_int(value):
    """Whether ``value`` is a Python or numpy integer, and not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_number(value):
    """Whether ``value`` is a Python or numpy int or float, and not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool)


def check_int(name, value, minimum=1, maximum=None, *, none=None, what=None, fix=None):
    """``value`` as an int in ``[minimum, maximum]``, or ValueError naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name, as the caller wrote it.
    minimum, maximum : int, optional
    none : str, optional
        If given, ``None`` is accepted too (and returned); the text says what it means,
        e.g. ``"read every vector"``, and may be empty.
    what : str, optional
        Why ``maximum`` is the maximum, shown in brackets.
    fix : str, optional
        The fix, appended to the message after a semicolon.
    """
    if value is None and none is not None:
        return None
    if is_int(value) and value >= minimum and (maximum is None or value <= maximum):
        return int(value)
    expected = (f"an integer >= {minimum}" if maximum is None
                else f"an integer from {minimum} to {maximum}")
    if what:
        expected += f" ({what})"
    if none is not None:
        expected = f"None{f' ({none})' if none else ''} or {expected}"
    message = f"{name} must be {expected}, got {value!r}"
    raise ValueError(message + (f"; {fix}" if fix else ""))


def check_choice(name, value, choices):
    """``value`` if it is one of ``choices``, else ValueError listing them."""
    if value in choices:
        return value
    raise ValueError(
        f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}"
    )


def check_sentences(sentences):
    """``sentences`` as a list of lists of str, or a TypeError saying how to get one.

    A list of lists is returned as it is: nothing here modifies it, and copying a large
    corpus three times (counts, indices, training) would cost as much as counting it.
    """
    if isinstance(sentences, str):
        raise TypeError(
            "sentences must be a list of tokenised sentences (lists of str), got a "
            "single str; split it first, e.g. [text.split()]"
        )
    if isinstance(sentences, list) and all(
        type(sentence) is list for sentence in sentences
    ):
        return sentences
    checked = []
    for number, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                f"sentence {number} is a str ({sentence[:40]!r}), not a list of words; "
                "tokenise it first, e.g. sentence.split()"
            )
        checked.append(list(sentence))
    return checked
