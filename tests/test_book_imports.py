"""The book imports w2vlib's public names from ``w2vlib`` itself (its docstring promises it).

A chapter that writes ``from w2vlib.similarity import cosine_similarity`` depends on the
package's layout, not on its interface: every name a chapter uses is exported in
``w2vlib.__all__``. This file checks every notebook of book/es and book/en, and the exercise
notebooks (sources and student copies) that students read beside them, code cells with
``ast`` and fenced code in markdown with a regular expression, and then checks the checks on
doctored cells.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

import w2vlib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*(ROOT / "book").glob("[ae][sn]/*.ipynb"),
                    *(ROOT / "exercises").glob("[ae][sn]/*.ipynb"),
                    *(ROOT / "exercises" / "source").glob("[ae][sn]/*.ipynb")])
MARKDOWN_IMPORT = re.compile(r"^\s*(?:from\s+w2vlib\.\w+\s+import|import\s+w2vlib\.\w+)", re.M)


def submodule_imports(source: str, cell_type: str) -> list[str]:
    """The lines of one cell that import from a ``w2vlib.<submodule>``."""
    if cell_type == "markdown":
        return [line.strip() for line in source.splitlines() if MARKDOWN_IMPORT.match(line)]
    # IPython magics and shell escapes are not Python; the book's imports never use them
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("w2vlib."):
            found.append(f"from {node.module} import "
                         + ", ".join(alias.name for alias in node.names))
        elif isinstance(node, ast.Import):
            found += [f"import {alias.name}" for alias in node.names
                      if alias.name.startswith("w2vlib.")]
    return found


def test_every_book_notebook_is_checked():
    assert len(NOTEBOOKS) >= 24, NOTEBOOKS
    assert {path.parent.name for path in NOTEBOOKS} == {"es", "en"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT).with_suffix("")))
def test_notebook_imports_only_from_w2vlib(path):
    notebook = nbformat.read(path, as_version=4)
    found = [f"cell {number}: {line}"
             for number, cell in enumerate(notebook.cells)
             if cell.cell_type in ("code", "markdown")
             for line in submodule_imports(cell.source, cell.cell_type)]
    assert not found, (f"{path.parent.name}/{path.name} imports from w2vlib submodules; "
                       "import the names from w2vlib (add any missing one to "
                       "w2vlib/__init__.py's __all__):\n" + "\n".join(found))


def test_every_public_name_is_importable():
    missing = [name for name in w2vlib.__all__ if not hasattr(w2vlib, name)]
    assert missing == []
    assert w2vlib.GRADCHECK_TOLERANCE == 1e-6


# --- the check itself, on doctored cells ----------------------------------------------------

def test_a_submodule_import_is_caught():
    assert submodule_imports("from w2vlib import softmax\nimport w2vlib\n", "code") == []
    assert submodule_imports("%matplotlib inline\nfrom w2vlib.losses import (\n    softmax,\n"
                             "    sigmoid,\n)\n", "code") == [
        "from w2vlib.losses import softmax, sigmoid"]
    assert submodule_imports("def f():\n    import w2vlib.plots as p\n", "code") == [
        "import w2vlib.plots"]
    assert submodule_imports("```python\nfrom w2vlib.similarity import cosine_similarity\n```",
                             "markdown") == ["from w2vlib.similarity import cosine_similarity"]
    assert submodule_imports("`w2vlib.similarity` holds the cosines", "markdown") == []
