"""Execute notebooks in place so their stored outputs are exactly what their code
produces.

Usage::

    .venv/bin/python tools/run_notebooks.py book/es/01_vectors.ipynb
    book/en/01_vectors.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel of the interpreter
running this script (the project venv), with ``KERNEL_ENV`` (``PYTHONHASHSEED=0``,
matplotlib's inline backend: the same kernel environment as the nbval test run), with
the notebook's own folder as working directory, and with the ipywidgets state saved into
the notebook metadata (the built book renders saved widgets from it). The file is
rewritten only when every cell ran without an unexpected error; cells tagged
``raises-exception`` or ``nbval-raises-exception`` may raise. Exit status: 0 if all
notebooks ran, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

# The kernel's environment, whatever the caller's shell has: a fixed hash seed (set and
# dict orders), and matplotlib's inline backend so that figures become outputs even when
# MPLBACKEND says otherwise. book/conftest.py gives nbval's kernel the same values.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}
DEFAULT_TIMEOUT = 600
RAISES_TAGS = {"raises-exception", "nbval-raises-exception"}


class _ThisPythonKernelSpecs(KernelSpecManager):
    """Resolve ``python3`` to this interpreter with ``KERNEL_ENV``, whatever else is
    installed."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        if kernel_name == "python3":
            spec.argv = [
                sys.executable,
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
            ]
        spec.env = {**spec.env, **KERNEL_ENV}
        return spec


def _allow_tagged_errors(notebook: nbformat.NotebookNode) -> None:
    """Let nbclient continue past cells that are *meant* to raise (nbval's tag, too)."""
    for cell in notebook.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if RAISES_TAGS & set(tags) and "raises-exception" not in tags:
            # nbclient only knows the plain tag; add it for the run and drop it
            # afterwards.
            cell.metadata.setdefault("tags", []).append("raises-exception")
            cell.metadata["_added_raises_tag"] = True


def _restore_tags(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        if cell.get("metadata", {}).pop("_added_raises_tag", False):
            cell.metadata["tags"].remove("raises-exception")


def run_notebook(path: Path, timeout: int = DEFAULT_TIMEOUT) -> None:
    """Execute ``path`` in place; raise ``CellExecutionError`` (file untouched) on
    failure."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)  # state of widgets the code no longer makes
    _allow_tagged_errors(notebook)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class="jupyter_client.manager.KernelManager",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        store_widget_state=True,
        record_timing=False,
        # A cell's prints arrive in chunks whenever the kernel flushes; merge them so
        # the stored outputs do not depend on timing (twins compare them output by
        # output).
        coalesce_streams=True,
    )
    client.km = client.create_kernel_manager()
    client.km.kernel_spec_manager = _ThisPythonKernelSpecs()
    client.execute()
    _restore_tags(notebook)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="notebooks to execute in place",
    )
    parser.add_argument(
        "--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell "
                                                             "(default "
                                                             f"{DEFAULT_TIMEOUT})"
    )
    args = parser.parse_args(argv)

    failed = []
    for path in args.paths:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"error: {path} is not a notebook file; pass paths to existing "
                  ".ipynb files", file=sys.stderr)
            failed.append(path)
            continue
        print(f"running {path} ...", flush=True)
        try:
            run_notebook(path, timeout=args.timeout)
        except CellExecutionError as error:
            print(f"FAILED {path} (file left unchanged):\n{error}", file=sys.stderr)
            failed.append(path)
        else:
            print(f"ok      {path}")
    if failed:
        print(f"{len(failed)} of {len(args.paths)} notebook(s) failed: "
              f"{', '.join(map(str, failed))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
