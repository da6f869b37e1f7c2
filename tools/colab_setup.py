"""Write the Colab set-up cell into the book's and the exercises' notebooks.

A notebook opened from GitHub in Colab arrives alone: no ``../data`` beside it, no
``w2vlib``, maybe no gensim. Its first code cell, written by this tool, fixes that in
Colab and does nothing anywhere else:

* it clones the book's repository (``repository.url`` and ``branch`` of
  ``book/_config.yml``, the one place a fork changes) into Colab's working folder,
  shallow;
* it installs the project from that clone with the ``notebooks`` extra (gensim,
  ipywidgets);
* it changes the working folder to the notebook's own folder in the clone (``book/es``,
  ``exercises/en``, ...), so the relative paths of the next cells (``../data``) resolve.

Running it again in the same session only changes the folder again. The cell is tagged
``remove-cell`` (the built pages do not show it) and ``colab-setup`` (how this tool
finds it); it goes right before the notebook's first code cell (the imports) and is
replaced in place when the configuration changes, so running the tool twice changes
nothing.

Usage::

    python tools/colab_setup.py book/es/00_welcome.ipynb book/en/00_welcome.ipynb
    python tools/colab_setup.py --all   # every chapter and exercise source notebook
    python -m w2vgrade generate         # the student notebooks, from the sources
    python tools/colab_setup.py --all --check   # exit 1 if a cell is missing or stale

The cell is detected as Colab's by the ``google.colab`` package; tests put a stand-in
package of that name on the path and clone a ``file://`` repository
(tests/test_install.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
import yaml

__all__ = ["TAG", "repository_settings", "setup_cell_source", "notebook_folder",
           "apply_setup_cell", "all_notebooks"]

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "book" / "_config.yml"
TAG = "colab-setup"
TAGS = ["remove-cell", TAG]
EXTRA = "notebooks"
# where the notebooks are written -> the folder of the notebook a student opens in
# Colab: the exercises' sources give their cells to the student notebooks (`python -m
# w2vgrade generate`)
FOLDERS = {"book/es": "book/es", "book/en": "book/en",
           "exercises/source/es": "exercises/es", "exercises/source/en": "exercises/en",
           "exercises/es": "exercises/es", "exercises/en": "exercises/en"}
EDITED = ("book/es", "book/en", "exercises/source/es", "exercises/source/en")

MESSAGES = {
    "es": ("Colab: clonado en {clone} e instalado; trabajo en {FOLDER}",
           "Colab: trabajo en {FOLDER}"),
    "en": ("Colab: cloned into {clone} and installed; working in {FOLDER}",
           "Colab: working in {FOLDER}"),
}

TEMPLATE = '''\
# Only in Colab (elsewhere this cell does nothing): clone the book's repository,
# install w2vlib with what the notebooks import, and work in this notebook's folder
# of the clone, so that paths such as ../data resolve. Written by tools/colab_setup.py.
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = {repository}
BRANCH = {branch}
FOLDER = {folder}
try:
    IN_COLAB = importlib.util.find_spec("google.colab") is not None
except ModuleNotFoundError:  # no package called google at all
    IN_COLAB = False
if IN_COLAB:
    clone = Path(os.environ.get("W2V_BOOK_CLONE", Path.cwd() / Path(REPOSITORY).stem))
    installed = clone / ".colab-installed"
    if not installed.exists():
        if not (clone / ".git").exists():
            subprocess.run(["git", "clone", "--quiet", "--depth", "1",
                            "--branch", BRANCH, REPOSITORY, str(clone)], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        f"{{clone}}[{extra}]"], check=True)
        installed.touch()
        print(f{first})
    else:
        print(f{again})
    os.environ["W2V_BOOK_CLONE"] = str(clone)
    os.chdir(clone / FOLDER)
'''


def repository_settings(config_path: Path = CONFIG) -> tuple[str, str]:
    """``(url, branch)`` of the ``repository`` section of the book's ``_config.yml``."""
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
    repository = config.get("repository") or {}
    url = str(repository.get("url", "")).rstrip("/")
    if not url:
        raise ValueError(f"{config_path} has no repository: url: the repository "
                         "to clone in Colab")
    return url, str(repository.get("branch") or "main")


def setup_cell_source(repository: str, branch: str, folder: str, lang: str) -> str:
    """The set-up cell's code for a notebook in ``folder`` (e.g. ``"book/es"``)."""
    first, again = MESSAGES[lang]
    quoted = {name: json.dumps(value, ensure_ascii=False) for name, value in
              dict(repository=repository, branch=branch, folder=folder, first=first,
                   again=again).items()}
    return TEMPLATE.format(extra=EXTRA, **quoted).rstrip("\n")


def notebook_folder(path: Path, root: Path = ROOT) -> str:
    """The folder, relative to the repository, that the notebook's cell changes into in
    Colab: its own (``"book/es"``), or the student notebook's for an exercise source."""
    folder = Path(path).resolve().parent.relative_to(root.resolve()).as_posix()
    if folder not in FOLDERS:
        raise ValueError(f"{path} is not in one of {', '.join(FOLDERS)}")
    return FOLDERS[folder]


def _is_setup_cell(cell) -> bool:
    return cell.cell_type == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def apply_setup_cell(notebook: nbformat.NotebookNode, source: str) -> bool:
    """Put the set-up cell with ``source`` before the first code cell, or update it.
    Returns whether the notebook changed."""
    existing = [cell for cell in notebook.cells if _is_setup_cell(cell)]
    if existing:
        cell = existing[0]
        if cell.source == source and cell.metadata.get("tags") == TAGS:
            return False
        cell.source = source
        cell.metadata["tags"] = list(TAGS)
        return True
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(TAGS)})
    if notebook.get("nbformat_minor", 0) >= 5:
        cell["id"] = TAG  # a fixed id: the same in every notebook and in both twins
    else:
        cell.pop("id", None)
    code = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    first_code = code[0] if code else len(notebook.cells)
    notebook.cells.insert(first_code, cell)
    return True


def all_notebooks(root: Path = ROOT) -> list[Path]:
    """Every book chapter and exercise source notebook, in both languages (the student
    notebooks get the cell from their sources: ``python -m w2vgrade generate``)."""
    return sorted(p for folder in EDITED for p in (root / folder).glob("*.ipynb"))


def update(path: Path, check: bool, settings: tuple[str, str]) -> bool:
    """Apply (with ``check``, only test) the cell in ``path``; whether it was stale."""
    folder = notebook_folder(path)
    source = setup_cell_source(*settings, folder=folder, lang=folder.rsplit("/", 1)[1])
    notebook = nbformat.read(path, as_version=4)
    changed = apply_setup_cell(notebook, source)
    if changed and not check:
        nbformat.write(notebook, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true",
                        help="every chapter and exercise source notebook")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a cell is missing or stale")
    args = parser.parse_args(argv)
    paths = all_notebooks() if args.all else args.notebooks
    if not paths:
        parser.error("name the notebooks, or pass --all")
    settings = repository_settings()
    stale = []
    for path in paths:
        try:
            if update(path, args.check, settings):
                stale.append(path)
        except (OSError, ValueError) as error:
            print(f"colab_setup: {error}", file=sys.stderr)
            return 1
    verb = "needs" if args.check else "updated:"
    for path in stale:
        print(f"{path} {verb} {'the Colab set-up cell' if args.check else ''}".rstrip())
    if args.check and stale:
        print("run `make colab-cells` (tools/colab_setup.py --all, then "
              "`python -m w2vgrade generate`) and re-run the changed chapters "
              "(tools/run_notebooks.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
