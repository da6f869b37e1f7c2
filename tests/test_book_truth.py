"""Checks stay out of the reader's way (book/CONVENTIONS.md, "Truth: how a claim stays true").

A check that *teaches* stays visible and prints the measured quantity with a label; a check
that *guards* a sentence of the prose runs where the page does not show it. So, in every book
notebook, in a part of a code cell that the built page shows:

* no ``assert`` statement in a **shown source** (guards go in ``remove-cell`` cells), and
* no bare ``True``/``False`` in a **shown output**: neither a boolean check
  (``np.allclose``, ``np.isclose``, ``np.array_equal``, ``np.all``, ``.any()``, a comparison…)
  passed to ``print`` or left as a cell's last expression, nor an output line that is just
  ``True``/``False`` or shows ``: True`` / `` = False``. Print the error instead
  (``max |A − B| = 3.1e-16``) so the reader sees *how* true it is.

What "shown" means, with Jupyter Book's cell tags: ``remove-cell`` removes source and outputs
from the page; ``remove-input`` removes the source (the outputs stay); ``remove-output``
removes the outputs (the source stays). The ``hide-*`` tags only fold a part behind a
"Click to show" toggle: it is still on the page, one click away, so it counts as shown.
nbval runs every cell whatever its tags, so a guard in a ``remove-cell`` cell still fails
``make test`` when the data stop supporting the prose.

The second half of the file checks the checks on doctored notebooks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(
    p.relative_to(BOOK).as_posix()
    for p in BOOK.glob("[!_]*/*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
SOURCE_HIDDEN_BY = {"remove-cell", "remove-input"}
OUTPUT_HIDDEN_BY = {"remove-cell", "remove-output"}
# functions and methods whose result is a bare boolean (or an array of them)
BOOLEAN_CHECKS = {
    "allclose", "isclose", "array_equal", "array_equiv", "all", "any", "isfinite",
    "issubset", "issuperset", "isdisjoint", "startswith", "endswith", "isinstance",
}
BARE_BOOLEAN_LINE = re.compile(r"(^|:\s*|\s=\s*)(True|False)\b")


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def is_boolean_check(node: ast.AST) -> bool:
    """True for an expression whose value is a check's verdict rather than a measurement."""
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.BoolOp):
        return any(is_boolean_check(value) for value in node.values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return True
    if isinstance(node, ast.Call):
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        return name in BOOLEAN_CHECKS
    if isinstance(node, ast.JoinedStr):  # f"…{np.allclose(a, b)}…"
        return any(is_boolean_check(part.value) for part in node.values
                   if isinstance(part, ast.FormattedValue))
    return False


def printed_checks(source: str) -> list[str]:
    """The boolean checks a cell prints or leaves as its value, as source snippets."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: leave the cell to nbval
        return []
    shown = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print"):
            shown.extend(arg for arg in node.args if is_boolean_check(arg))
    if tree.body and isinstance(tree.body[-1], ast.Expr) and is_boolean_check(tree.body[-1].value):
        shown.append(tree.body[-1].value)
    return [ast.get_source_segment(source, node) or ast.dump(node)[:60] for node in shown]


def output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return output.get("data", {}).get("text/plain", "") if "data" in output else ""


def visible_check_problems(notebook) -> list[str]:
    """``code cell N: …`` for every assert, printed check and bare boolean the page shows."""
    found = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        cell_tags = tags(cell)
        if not cell_tags & SOURCE_HIDDEN_BY:
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                tree = None
            if tree is not None and any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
                found.append(f"code cell {number}: an assert the reader sees "
                             "(move it to a remove-cell cell)")
        if cell_tags & OUTPUT_HIDDEN_BY:
            continue
        for snippet in printed_checks(cell.source):
            found.append(f"code cell {number}: prints a bare verdict: {snippet[:70]}")
        for output in cell.get("outputs", []):
            for line in output_text(output).splitlines():
                if BARE_BOOLEAN_LINE.search(line.strip()):
                    found.append(f"code cell {number}: output line {line.strip()[:70]!r}")
    return found


def test_the_book_has_notebooks_in_both_languages():
    assert {"es/01_vectors.ipynb", "en/01_vectors.ipynb"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_assert_and_no_bare_true_on_the_page(name):
    found = visible_check_problems(nbformat.read(BOOK / name, as_version=4))
    assert not found, (
        f"{name}: print the measured quantity with a label, or move the guard into a "
        "remove-cell cell (book/CONVENTIONS.md, Truth):\n" + "\n".join(found))


# --- the checks themselves, on doctored notebooks -------------------------------------------


def notebook_with(source: str, outputs: list[str] = (), cell_tags: list[str] = ()):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text) for text in outputs]
    if cell_tags:
        cell.metadata["tags"] = list(cell_tags)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    return notebook


def test_a_visible_assert_is_refused_and_a_removed_one_passes():
    source = "x = 2\nassert x == 2, 'x moved'"
    assert visible_check_problems(notebook_with(source)) == [
        "code cell 1: an assert the reader sees (move it to a remove-cell cell)"]
    assert visible_check_problems(notebook_with(source, cell_tags=["remove-cell"])) == []
    assert visible_check_problems(notebook_with(source, cell_tags=["remove-input"])) == []
    # folded is still on the page
    assert len(visible_check_problems(notebook_with(source, cell_tags=["hide-input"]))) == 1


def test_a_printed_allclose_is_refused_and_a_printed_error_passes():
    refused = [
        'print("U V = M:", np.allclose(U @ V, M))',
        'print(f"same: {np.isclose(a, b)}")',
        "np.array_equal(C, C.T)",
        'print("sorted:", np.all(np.diff(s) <= 0))',
        'print("psd:", np.linalg.eigvalsh(S).min() > -1e-10)',
    ]
    for source in refused:
        assert len(visible_check_problems(notebook_with(source))) == 1, source
    assert visible_check_problems(notebook_with(refused[0], cell_tags=["remove-output"])) == []
    passed = 'print(f"max |U V − M| = {np.abs(U @ V - M).max():.1e}")'
    assert visible_check_problems(notebook_with(passed, ["max |U V − M| = 2.2e-16\n"])) == []


def test_a_bare_boolean_output_is_refused_whatever_printed_it():
    source = "ok = check()\nprint('the law holds:', ok)"
    found = visible_check_problems(notebook_with(source, ["the law holds: True\n"]))
    assert found == ["code cell 1: output line 'the law holds: True'"]
    assert len(visible_check_problems(notebook_with("ok", ["False\n"]))) == 1
    # words that merely contain the letters, and a repr with a keyword argument, pass
    assert visible_check_problems(notebook_with("x", ["Trueman: 3\n", "Vocab(lower=True, n=3)\n"])) == []
