"""Check that this Python is recent enough for the project, before installing anything.

``make`` runs it with the interpreter it is about to use (``$(PYTHON)``) before it
creates ``.venv``. The minimum is read from ``requires-python`` in ``pyproject.toml``,
the one place the project states it. On success it prints nothing; otherwise one line
naming the version found and the fix, and exit status 1.

The file is written so that old interpreters can still run it (no f-strings, no
``tomllib``): the people who need its message are exactly those with an old Python.

Usage: ``python3 tools/check_python.py [PYPROJECT]``
"""

from __future__ import print_function

import os
import re
import sys

__all__ = ["required_version", "problem"]

HERE = os.path.dirname(os.path.abspath(__file__))
PYPROJECT = os.path.join(HERE, os.pardir, "pyproject.toml")


def required_version(pyproject_text):
    """The tuple ``(3, 11, 5)`` of ``requires-python = ">=3.11.5"`` in the text."""
    match = re.search(r'^requires-python\s*=\s*">=\s*([0-9.]+)"', pyproject_text,
                      re.MULTILINE)
    if match is None:
        raise ValueError('pyproject.toml has no line requires-python = ">=X.Y[.Z]"')
    return tuple(int(part) for part in match.group(1).split("."))


def problem(found, required, executable="python3"):
    """The one-line message for interpreter version ``found``; ``None`` if enough."""
    if tuple(found[:len(required)]) >= required:
        return None
    have = ".".join(str(part) for part in found[:3])
    need = ".".join(str(part) for part in required)
    return ("{exe} is Python {have}, but this project needs Python {need} or newer "
            "(pyproject.toml, requires-python). Install a newer Python (python.org, "
            "pyenv, uv or conda) and run make with it, e.g. "
            "`make PYTHON=python3.12 book`."
            ).format(exe=executable, have=have, need=need)


def _has_venv():
    """Whether ``python -m venv`` can work (Debian and Ubuntu ship ensurepip apart)."""
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    path = argv[0] if argv else PYPROJECT
    with open(path) as handle:
        required = required_version(handle.read())
    message = problem(tuple(sys.version_info[:3]), required, sys.executable)
    if message is None and not _has_venv():
        message = ("{exe} cannot create virtual environments (no ensurepip); on Debian "
                   "or Ubuntu install it with `apt install python3-venv`"
                   ).format(exe=sys.executable)
    if message is not None:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
