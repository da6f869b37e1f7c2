"""Every book page stays legible in the ~690 px text column of the built site.

* **Figures**: every stored image is at most ``MAX_FIGURE_INCHES`` wide, its width in inches
  being its PNG pixel width over the dpi in its ``pHYs`` chunk (``DEFAULT_DPI``, matplotlib's
  default figure dpi, if it has none). A wider figure is shrunk to the column and its
  labels with it: a 13-inch figure's 10-point labels come out about 7 px high. Lay wide
  figures out in rows (see book/CONVENTIONS.md).
* **Code**: every line of every code cell is at most ``MAX_CODE_LINE`` characters, so the
  column shows it without a horizontal scroll bar. The same limit holds for every line of a
  fenced code block (```` ``` ```` or ``~~~``) in a markdown cell and of every printed text
  output (stdout/stderr, and ``text/plain`` when the page shows it: not when the output also
  carries an image, HTML or a widget view, which the page draws instead). The theme sets all
  three in the same monospace size (``_ext/static/w2vbook.css``).
The second half of the file checks the checks on doctored notebooks.
"""

from __future__ import annotations

import base64
import io
import re
import struct
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
MAX_FIGURE_INCHES = 8.0
DEFAULT_DPI = 100.0  # matplotlib's default figure.dpi
MAX_CODE_LINE = 88
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
INCH_PER_METRE = 0.0254

NOTEBOOKS = sorted(
    p.relative_to(BOOK).as_posix() for p in BOOK.glob("[!_]*/*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def png_width_inches(png: bytes) -> float:
    """Pixel width (IHDR) over dots per inch (pHYs in pixels per metre; DEFAULT_DPI without it).

    Raises ValueError for data that is not a PNG.
    """
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image (the signature is missing)")
    width = struct.unpack(">I", png[16:20])[0]  # IHDR is always the first chunk
    dpi = DEFAULT_DPI
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        if kind == b"pHYs":
            x_per_unit, _, unit = struct.unpack(">IIB", png[position + 8:position + 17])
            if unit == 1 and x_per_unit:  # unit 1 = metre; unit 0 is an aspect ratio only
                dpi = x_per_unit * INCH_PER_METRE
            break
        if kind in (b"IDAT", b"IEND"):  # pHYs must come before the image data
            break
        position += 12 + length
    return width / dpi


def wide_figures(notebook) -> list[str]:
    """``code cell N: W in`` for every stored PNG wider than MAX_FIGURE_INCHES."""
    found = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data is None:
                continue
            inches = png_width_inches(base64.b64decode(data))
            if inches > MAX_FIGURE_INCHES:
                found.append(f"code cell {number}: {inches:.1f} in wide (at most {MAX_FIGURE_INCHES:g})")
    return found


def long_code_lines(notebook) -> list[str]:
    """``code cell N, line L: C characters`` for every code line longer than MAX_CODE_LINE."""
    found = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        for line_number, line in enumerate(cell.source.splitlines(), start=1):
            if len(line) > MAX_CODE_LINE:
                found.append(f"code cell {number}, line {line_number}: {len(line)} characters: {line.strip()[:60]}…")
    return found


FENCE = re.compile(r"^\s*(```|~~~)")
# outputs the page draws as something else than their text/plain
RICH_OUTPUTS = ("image/png", "image/svg+xml", "text/html", "text/latex",
                "application/vnd.jupyter.widget-view+json")


def long_fenced_lines(notebook) -> list[str]:
    """``markdown cell N, line L: C characters`` for every long line inside a fenced block."""
    found = []
    markdown_cells = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    for number, cell in enumerate(markdown_cells, start=1):
        fence = None
        for line_number, line in enumerate(cell.source.splitlines(), start=1):
            opening = FENCE.match(line)
            if opening and (fence is None or opening.group(1) == fence):
                fence = opening.group(1) if fence is None else None
                continue
            if fence is not None and len(line) > MAX_CODE_LINE:
                found.append(f"markdown cell {number}, line {line_number}: {len(line)} characters: "
                             f"{line.strip()[:60]}…")
    return found


def shown_text(output) -> str:
    """The text a page prints for an output ('' when it draws the output otherwise)."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    if any(kind in data for kind in RICH_OUTPUTS):
        return ""
    return data.get("text/plain", "")


def long_output_lines(notebook) -> list[str]:
    """``code cell N, output line L: C characters`` for every long printed line."""
    found = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        text = "".join(shown_text(output) for output in cell.get("outputs", []))
        for line_number, line in enumerate(text.splitlines(), start=1):
            if len(line) > MAX_CODE_LINE:
                found.append(f"code cell {number}, output line {line_number}: {len(line)} "
                             f"characters: {line.strip()[:60]}…")
    return found


def test_the_book_has_notebooks_in_both_languages():
    assert {"es/00_welcome.ipynb", "en/00_welcome.ipynb"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_figures_fit_the_text_column(name):
    found = wide_figures(nbformat.read(BOOK / name, as_version=4))
    assert not found, f"{name}: lay these figures out in rows or make them narrower:\n" + "\n".join(found)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_lines_fit_the_text_column(name):
    found = long_code_lines(nbformat.read(BOOK / name, as_version=4))
    assert not found, f"{name}: break these lines (at most {MAX_CODE_LINE} characters):\n" + "\n".join(found)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_fenced_code_blocks_fit_the_text_column(name):
    found = long_fenced_lines(nbformat.read(BOOK / name, as_version=4))
    assert not found, f"{name}: break these lines (at most {MAX_CODE_LINE} characters):\n" + "\n".join(found)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_printed_outputs_fit_the_text_column(name):
    found = long_output_lines(nbformat.read(BOOK / name, as_version=4))
    assert not found, (f"{name}: print shorter lines (at most {MAX_CODE_LINE} characters; "
                       "wrap with textwrap or print fewer columns):\n" + "\n".join(found))


# --- the checks themselves, on doctored notebooks -------------------------------------------


def figure_png(width_inches: float, dpi: float, save_dpi: bool) -> bytes:
    """A real matplotlib figure as PNG; with ``save_dpi`` False its pHYs chunk is removed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(width_inches, 2), dpi=dpi)
    axes.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    plt.close(figure)
    png = buffer.getvalue()
    if not save_dpi:
        position = png.find(b"pHYs") - 4
        assert position > 0
        png = png[:position] + png[position + 12 + 9:]
    return png


def notebook_with(png: bytes | None = None, code: str = "x = 1") -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(code)
    if png is not None:
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"})]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    return notebook


def test_width_comes_from_the_phys_chunk_or_100_dpi():
    assert png_width_inches(figure_png(6, 150, save_dpi=True)) == pytest.approx(6, rel=0.01)
    assert png_width_inches(figure_png(6, 100, save_dpi=False)) == pytest.approx(6, rel=0.01)
    # 1300 px with no pHYs is 13 in; the same pixels saved at 200 dpi are 6.5 in
    assert png_width_inches(figure_png(13, 100, save_dpi=False)) == pytest.approx(13, rel=0.01)
    assert png_width_inches(figure_png(6.5, 200, save_dpi=True)) == pytest.approx(6.5, rel=0.01)
    with pytest.raises(ValueError, match="not a PNG"):
        png_width_inches(b"GIF89a")


def test_a_wide_figure_is_caught_and_a_narrow_one_passes():
    assert wide_figures(notebook_with(figure_png(7.5, 100, save_dpi=False))) == []
    assert wide_figures(notebook_with(figure_png(13, 100, save_dpi=False))) == [
        "code cell 1: 13.0 in wide (at most 8)"]
    assert len(wide_figures(notebook_with(figure_png(9, 150, save_dpi=True)))) == 1


def test_a_long_code_line_is_caught_and_88_characters_pass():
    assert long_code_lines(notebook_with(code="x = 1\n" + "y" * 88)) == []
    found = long_code_lines(notebook_with(code="x = 1\n" + "y" * 89))
    assert len(found) == 1 and found[0].startswith("code cell 1, line 2: 89 characters")


def test_a_long_line_in_a_fenced_block_is_caught_and_prose_is_not():
    markdown = ("Prose can be as long as it likes: " + "word " * 30 + "\n\n```bash\n"
                + "make venv\n" + "x" * 89 + "\n```\n\n~~~\n" + "y" * 88 + "\n~~~\n")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(markdown)]
    assert long_fenced_lines(notebook) == [f"markdown cell 1, line 5: 89 characters: {'x' * 60}…"]


def test_a_long_printed_line_is_caught_but_not_a_widget_or_figure_repr():
    notebook = notebook_with(code="print(x)")
    cell = notebook.cells[1]
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="short\n" + "z" * 88 + "\n"),
        nbformat.v4.new_output("display_data", data={
            "text/plain": "HBox(" + "c" * 200 + ")",
            "application/vnd.jupyter.widget-view+json": {"model_id": "x"}}),
    ]
    assert long_output_lines(notebook) == []
    cell.outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": "q" * 89},
                                               execution_count=1))
    assert long_output_lines(notebook) == [f"code cell 1, output line 3: 89 characters: {'q' * 60}…"]
    # chunks of one stream are one text: a line split across two chunks is one line
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a" * 50),
                    nbformat.v4.new_output("stream", name="stdout", text="b" * 50 + "\n")]
    assert len(long_output_lines(notebook)) == 1
