"""Reading exercise notebooks safely and finding out which exercise and language they are.

A notebook says what it is in ``metadata["w2vgrade"] = {"exercise": "ex01", "lang": "en"}``;
when a student's editor lost that metadata, the file name (``ex01_...ipynb``) and the
``LANG = "es"`` line of the first code cell are used instead.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

LANGUAGES = ("en", "es")
# ex01-ex99 for the chapters, exA-exZ for the appendices (one capital letter, nothing after it
# that would make it a longer word: "exAmple.ipynb" is no exercise).
_EXERCISE_IN_NAME = re.compile(r"^(ex(?:\d{2}(?![0-9])|[A-Z](?![0-9A-Za-z])))")
_LANG_ASSIGNMENT = re.compile(r"""^\s*LANG\s*=\s*["'](en|es)["']""", re.MULTILINE)


class NotebookError(ValueError):
    """A file that cannot be used as a notebook; the message says why, in plain words."""


def parse_notebook(raw: bytes, path: Path) -> nbformat.NotebookNode:
    """The nbformat-4 notebook in the bytes ``raw`` (read from ``path``, named in messages), or
    :class:`NotebookError` saying why not. Only what grading needs is required (a JSON object
    with a list of cells, each with a ``cell_type`` and a ``source``), not the full schema: a
    notebook an editor saved slightly off-schema still runs."""
    path = Path(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotebookError(f"{path.name} is not UTF-8 text (byte {error.start} is "
                            f"{raw[error.start]:#04x}); save it again from Jupyter (File > Save) or "
                            "export it as .ipynb") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{path.name} is not valid JSON (line {error.lineno}, column "
                            f"{error.colno}: {error.msg}); it is damaged or not a notebook") from None
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several unrelated types for non-notebooks
        raise NotebookError(f"{path.name} is not a Jupyter notebook ({type(error).__name__}: "
                            f"{error})") from None
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise NotebookError(f"{path.name} has no list of cells; it is not a Jupyter notebook")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or "cell_type" not in cell or not isinstance(
            cell.get("source"), str
        ):
            raise NotebookError(f"{path.name}: cell {index} has no cell_type or source; the file is damaged")
    return notebook


def exercise_from_name(name: str) -> str | None:
    """``"ex03"`` for ``"ex03_pairs.ipynb"``, ``"exA"`` for ``"exA_hs.ipynb"``; None when the
    name does not start with exNN (a chapter) or exX (an appendix, X a capital letter)."""
    match = _EXERCISE_IN_NAME.match(name)
    return match.group(1) if match else None


def notebook_identity(notebook: nbformat.NotebookNode, path: Path) -> tuple[str | None, str]:
    """``(exercise, lang)`` of a notebook: metadata first, then the file name / LANG line.

    ``exercise`` is None when neither the metadata nor the file name says it; ``lang``
    defaults to ``"en"``.
    """
    info = notebook.get("metadata", {}).get("w2vgrade", {})
    if not isinstance(info, dict):
        info = {}
    exercise = info.get("exercise")
    if not (isinstance(exercise, str) and exercise_from_name(exercise) == exercise):
        exercise = exercise_from_name(Path(path).name)
    lang = info.get("lang")
    if lang not in LANGUAGES:
        lang = _lang_from_code(notebook) or "en"
    return exercise, lang


def _lang_from_code(notebook: nbformat.NotebookNode) -> str | None:
    for cell in notebook.cells:
        if cell.cell_type == "code":
            match = _LANG_ASSIGNMENT.search(cell.source)
            if match:
                return match.group(1)
    return None


def cell_tags(cell) -> list[str]:
    """The cell's tags (an empty list when it has none or they are malformed)."""
    tags = cell.get("metadata", {}).get("tags", [])
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []
