"""Making the student notebooks from the instructor's source notebooks, solutions removed.

A source ``exercises/source/<lang>/exNN_<name>.ipynb`` becomes ``exercises/<lang>/exNN_<name>.ipynb``:

* in a code cell tagged ``solution``, every block from ``### BEGIN SOLUTION`` to
  ``### END SOLUTION`` (inclusive) becomes one line ``# YOUR CODE HERE (~N lines)``
  (Spanish: ``# TU CÓDIGO AQUÍ (~N líneas)``) at the marker's indentation, N being the number
  of non-blank solution lines;
* in a markdown cell, such a block becomes ``_YOUR ANSWER HERE_`` (``_TU RESPUESTA AQUÍ_``);
* outputs are cleared, execution counts are None, cell metadata keeps only the tags, and
  notebook metadata keeps only the kernel, the language and ``w2vgrade``.

The output depends only on the source (cell ids are kept, or derived from the cell's position
when the source has none), so regenerating an unchanged source gives identical bytes; the
test suite uses that to fail when a committed student notebook is out of date.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import nbformat

from w2vgrade.notebooks import LANGUAGES, cell_tags, exercise_from_name, parse_notebook
from w2vlib.files import write_text_atomically

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
SOLUTION_TAG = "solution"
EXERCISES_DIR = Path(__file__).resolve().parent.parent
CODE_PLACEHOLDER = {
    "en": ("# YOUR CODE HERE (~{n} line)", "# YOUR CODE HERE (~{n} lines)"),
    "es": ("# TU CÓDIGO AQUÍ (~{n} línea)", "# TU CÓDIGO AQUÍ (~{n} líneas)"),
}
ANSWER_PLACEHOLDER = {"en": "_YOUR ANSWER HERE_", "es": "_TU RESPUESTA AQUÍ_"}
DEFAULT_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class GenerateError(ValueError):
    """A source notebook that cannot be turned into a student notebook; says where and why."""


class SourceNotebook(NamedTuple):
    """A source notebook, the student notebook it generates, and their language."""

    source: Path
    target: Path
    lang: str


def strip_solutions(text: str, placeholder, where: str) -> tuple[str, int]:
    """``text`` with each solution block replaced; returns ``(new_text, number_of_blocks)``.

    ``placeholder(indent, n_lines)`` gives the replacement line (without newline).
    ``where`` names the cell in error messages.
    """
    output, blocks, indent, solution_lines = [], 0, None, 0  # indent: None outside a block
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        stripped, here = line.strip(), f"{where}, line {number}"
        if (BEGIN_SOLUTION in line or END_SOLUTION in line) and stripped not in (BEGIN_SOLUTION, END_SOLUTION):
            raise GenerateError(f"{here}: {stripped!r} — a solution marker must be alone on its line")
        if stripped == BEGIN_SOLUTION:
            if indent is not None:
                raise GenerateError(f"{here}: second {BEGIN_SOLUTION} before {END_SOLUTION}; close the first block")
            indent, solution_lines = line[: len(line) - len(line.lstrip())], 0
        elif stripped == END_SOLUTION:
            if indent is None:
                raise GenerateError(f"{here}: {END_SOLUTION} without a {BEGIN_SOLUTION} before it")
            output.append(placeholder(indent, solution_lines) + "\n" * line.endswith("\n"))
            indent, blocks = None, blocks + 1
        elif indent is not None:
            solution_lines += bool(stripped)
        else:
            output.append(line)
    if indent is not None:
        raise GenerateError(f"{where}: {BEGIN_SOLUTION} is never closed by {END_SOLUTION}")
    return "".join(output), blocks


def student_notebook(source: nbformat.NotebookNode, lang: str, name: str) -> nbformat.NotebookNode:
    """The student version of the parsed source notebook ``source`` (``name`` for messages)."""
    cells = []
    for index, cell in enumerate(source.cells):
        where = f"{name}, cell {index}"
        tags = cell_tags(cell)
        if cell.cell_type == "code":
            text, blocks = strip_solutions(
                cell.source, lambda indent, n: indent + CODE_PLACEHOLDER[lang][n != 1].format(n=n), where)
            if blocks and SOLUTION_TAG not in tags:
                raise GenerateError(f"{where} has solution markers but no {SOLUTION_TAG!r} tag; add the tag "
                                    "(View > Cell Toolbar > Tags) so readers of the source see it is a "
                                    "solution cell")
            if SOLUTION_TAG in tags and not blocks:
                raise GenerateError(f"{where} is tagged {SOLUTION_TAG!r} but has no {BEGIN_SOLUTION} / "
                                    f"{END_SOLUTION} block; mark the solution lines or remove the tag")
            new_cell = nbformat.v4.new_code_cell(text)
        elif cell.cell_type == "markdown":
            text, _ = strip_solutions(
                cell.source, lambda indent, _n: indent + ANSWER_PLACEHOLDER[lang], where
            )
            new_cell = nbformat.v4.new_markdown_cell(text)
            if cell.get("attachments"):
                new_cell["attachments"] = cell["attachments"]
        else:
            new_cell = nbformat.v4.new_raw_cell(cell.source)
        new_cell["id"] = cell.get("id") or f"{Path(name).stem}-cell-{index}"
        new_cell["metadata"] = {"tags": tags} if tags else {}
        cells.append(new_cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.nbformat_minor = 5
    notebook.metadata = {
        "kernelspec": dict(source.metadata.get("kernelspec") or DEFAULT_KERNELSPEC),
        "language_info": {"name": "python"},
        "w2vgrade": dict(source.metadata["w2vgrade"]),
    }
    return notebook


def student_text(source_path: Path) -> str:
    """The exact text of the student notebook generated from ``source_path``."""
    source_path = Path(source_path)
    lang = source_path.parent.name
    notebook = parse_notebook(source_path.read_bytes(), source_path)
    _check_source_metadata(notebook, source_path, lang)
    student = student_notebook(notebook, lang, source_path.name)
    nbformat.validate(student)
    return nbformat.writes(student) + "\n"


def _check_source_metadata(notebook, path: Path, lang: str) -> None:
    expected = {"exercise": exercise_from_name(path.name), "lang": lang}
    info = notebook.metadata.get("w2vgrade")
    if lang not in LANGUAGES or expected["exercise"] is None:
        raise GenerateError(f"{path}: sources must be named source/<en|es>/exNN_<name>.ipynb")
    if not isinstance(info, dict) or any(info.get(k) != v for k, v in expected.items()):
        raise GenerateError(f"{path}: notebook metadata 'w2vgrade' is {info!r}; it must include {expected!r} "
                            "(Edit > Notebook Metadata in JupyterLab)")


def find_sources(source_dir: Path, out_dir: Path) -> list[SourceNotebook]:
    """Every ``source_dir/<lang>/exNN_*.ipynb`` with its target ``out_dir/<lang>/<same name>``."""
    return [SourceNotebook(path, Path(out_dir) / lang / path.name, lang) for lang in LANGUAGES
            for path in sorted((Path(source_dir) / lang).glob("ex*.ipynb")) if exercise_from_name(path.name)]


def _changed(source_dir: Path, out_dir: Path):
    """``(item, its student text)`` for every student notebook different from its source, and
    ``(item, None)`` for a missing one."""
    for item in find_sources(source_dir, out_dir):
        text = student_text(item.source) if item.target.exists() else None
        if text is None or item.target.read_text(encoding="utf-8") != text:
            yield item, text


def generate(source_dir: Path = EXERCISES_DIR / "source", out_dir: Path = EXERCISES_DIR) -> list[Path]:
    """Write every student notebook whose text changed; returns the paths written."""
    written = []
    for item, text in _changed(source_dir, out_dir):
        item.target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(item.target, text or student_text(item.source))
        written.append(item.target)
    return written


def out_of_date(source_dir: Path = EXERCISES_DIR / "source", out_dir: Path = EXERCISES_DIR) -> list[str]:
    """One line per missing, different or orphaned (no source) student notebook; empty when
    everything is up to date."""
    problems = [f"{'out of date' if item.target.exists() else 'missing'}: {item.target} (from {item.source})"
                for item, _ in _changed(source_dir, out_dir)]
    expected = {item.target for item in find_sources(source_dir, out_dir)}
    return problems + [f"no source: {path} (expected {Path(source_dir) / lang / path.name})" for lang in LANGUAGES
                       for path in sorted((Path(out_dir) / lang).glob("ex*.ipynb")) if path not in expected]
