"""Notebook outputs stay honest: tools/run_notebooks.py stores what the code produces, and the
nbval run that `make test` does on book/ (book/conftest.py) fails when a stored output changes,
while tolerating only what nbval_sanitize.cfg lists. Also the book's notebook conventions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
RUN_NOTEBOOKS = ROOT / "tools" / "run_notebooks.py"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
BOOK_NOTEBOOKS = sorted(p for p in BOOK.glob("[!_]*/**/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
NBVAL_TAGS = {"nbval-ignore-output", "nbval-skip", "nbval-raises-exception", "raises-exception"}

PROBE_CELLS = [
    'print(hash("word2vec"))',  # depends on PYTHONHASHSEED
    "print(object())",  # a memory address: differs on every run, masked by the sanitizer
    "import os\nprint(os.path.basename(os.getcwd()))",  # cwd is the notebook's folder
    "import ipywidgets\nipywidgets.IntSlider(value=2)",
    "import matplotlib.pyplot as plt\nplt.plot([0, 1])\nplt.show()",  # a figure even if MPLBACKEND=Agg
]


def _env_without_hash_seed() -> dict:
    """The caller's environment at its least helpful: no hash seed, figures sent nowhere."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONHASHSEED"}
    return {**env, "MPLBACKEND": "Agg"}


def _run_notebooks(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(RUN_NOTEBOOKS), *map(str, paths)],
        capture_output=True, text=True, timeout=300, env=_env_without_hash_seed(),
    )


@pytest.fixture(scope="module")
def executed_probe(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("probe_folder")
    path = folder / "probe.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in PROBE_CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    result = _run_notebooks(path)
    assert result.returncode == 0, result.stderr
    return path


def _stream(cell) -> str:
    return "".join(output["text"] for output in cell.outputs if output["output_type"] == "stream")


def test_run_notebooks_stores_what_the_code_produces(executed_probe):
    notebook = nbformat.read(executed_probe, as_version=4)
    expected_hash = subprocess.run(
        [sys.executable, "-c", 'print(hash("word2vec"))'],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stdout
    assert _stream(notebook.cells[0]) == expected_hash
    assert _stream(notebook.cells[2]) == "probe_folder0\n"
    assert notebook.cells[3].outputs[0]["data"][WIDGET_VIEW]["model_id"] in notebook.metadata["widgets"][WIDGET_STATE]["state"]
    assert "image/png" in notebook.cells[4].outputs[0]["data"]


def test_run_notebooks_leaves_a_failing_notebook_untouched(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), path)
    before = path.read_bytes()
    result = _run_notebooks(path, tmp_path / "missing.ipynb")
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr and "missing.ipynb is not a notebook file" in result.stderr
    assert path.read_bytes() == before


def test_run_notebooks_lets_tagged_cells_raise(tmp_path):
    path = tmp_path / "raises.ipynb"
    cells = [nbformat.v4.new_code_cell("1 / 0", metadata={"tags": ["nbval-raises-exception"]}),
             nbformat.v4.new_code_cell("print('after')")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert _run_notebooks(path).returncode == 0
    notebook = nbformat.read(path, as_version=4)
    assert notebook.cells[0].outputs[0]["ename"] == "ZeroDivisionError"
    assert notebook.cells[0].metadata["tags"] == ["nbval-raises-exception"]
    assert _stream(notebook.cells[1]) == "after\n"


def _nbval_like_make_test(path: Path) -> subprocess.CompletedProcess:
    """pytest on ``path`` with book/conftest.py loaded, as it is for book/ notebooks."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q",
         "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, timeout=300, cwd=path.parent,
        env={**_env_without_hash_seed(), "PYTHONPATH": str(BOOK)},
    )


def test_nbval_passes_stored_outputs_with_fixed_hash_seed_and_sanitizer(executed_probe):
    result = _nbval_like_make_test(executed_probe)
    assert result.returncode == 0, result.stdout
    assert f"{len(PROBE_CELLS)} passed" in result.stdout


def test_nbval_fails_when_a_stored_output_changes(executed_probe, tmp_path):
    notebook = nbformat.read(executed_probe, as_version=4)
    notebook.cells[2].outputs[0]["text"] = "another_folder\n"
    doctored = tmp_path / "probe_folder0"  # same folder name, so only the doctored cell differs
    doctored.mkdir()
    nbformat.write(notebook, doctored / "probe.ipynb")
    result = _nbval_like_make_test(doctored / "probe.ipynb")
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout and "Cell 2" in result.stdout


def test_only_book_notebooks_are_collected_by_nbval():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    notebook_items = {line.split("::")[0] for line in result.stdout.splitlines() if ".ipynb::" in line}
    book_notebooks = {p.relative_to(ROOT).as_posix() for p in BOOK_NOTEBOOKS}
    assert book_notebooks and notebook_items == book_notebooks


# --- conventions every book notebook follows (book/CONVENTIONS.md) -------------------------

@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=lambda p: p.relative_to(BOOK).as_posix())
def test_book_notebook_conventions(path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    lang = path.relative_to(BOOK).parts[0]
    # the Colab set-up cell (tools/colab_setup.py, hidden on the page) may come first
    imports = next(c for c in code_cells if "colab-setup" not in c.metadata.get("tags", []))
    assert re.search(rf'^LANG = "{lang}"$', imports.source, flags=re.MULTILINE), (
        f'the first code cell must set LANG = "{lang}"'
    )
    for number, cell in enumerate(code_cells):
        assert "NBVAL_" not in cell.source, f"code cell {number}: use a cell tag, not a # NBVAL_ comment"
        tags = set(cell.metadata.get("tags", []))
        assert not {t for t in tags if t.startswith("nbval")} - NBVAL_TAGS, f"code cell {number}: unknown nbval tag"
        has_image = any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {}) for o in cell.outputs)
        if has_image:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) >= 20, f"code cell {number}: figure without alt text (metadata mystnb.image.alt)"
        if any(WIDGET_VIEW in o.get("data", {}) for o in cell.outputs):
            assert notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state"), (
                "widget output but no saved widget state: run tools/run_notebooks.py on it"
            )
        assert cell.execution_count is not None or not cell.source.strip(), (
            f"code cell {number} was never run: run tools/run_notebooks.py on the notebook"
        )


def _sanitize(text: str) -> str:
    patterns = get_sanitize_patterns((BOOK / "nbval_sanitize.cfg").read_text(encoding="utf-8"))
    assert len(patterns) >= 5
    for regex, replacement in patterns:
        text = re.sub(regex, replacement, text)
    return text


@pytest.mark.parametrize(
    ("first_run", "second_run"),
    [
        ("<w2vlib.Foo object at 0x7f3a2b1c9d00>", "<w2vlib.Foo object at 0x7f99aa001122>"),
        ("epoch:   0%|          | 0/5 [00:00<?, ?it/s]\repoch: 100%|##########| 5/5 [00:02<00:00, 2.1it/s]\nloss 0.5\n",
         "epoch: 100%|##########| 5/5 [00:03<00:00, 1.7it/s]\nloss 0.5\n"),
        ("CPU times: user 1.2 s, sys: 3 ms, total: 1.2 s\nWall time: 1.21 s", "CPU times: user 2 s\nWall time: 2 s"),
        ("trained at 123,456 words/s", "trained at 98,765 words/s"),
    ],
)
def test_sanitizer_masks_what_varies_between_runs(first_run, second_run):
    assert _sanitize(first_run) == _sanitize(second_run)


@pytest.mark.parametrize(
    ("stored", "fresh"),
    [("loss 0.5\n", "loss 0.6\n"), ("[0.1234 0.5678]", "[0.1234 0.5679]"), ("accuracy 50%|ok", "accuracy 51%|ok"),
     ("epoch: 100%|##| 5/5\nloss 0.5\n", "epoch: 100%|##| 5/5\nloss 0.6\n")],
)
def test_sanitizer_keeps_real_differences(stored, fresh):
    assert _sanitize(stored) != _sanitize(fresh)
