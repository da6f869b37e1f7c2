"""Seed the student workspace ``make lab`` opens: copies of the book and the exercises.

JupyterLab saves a notebook as soon as it is opened for a while (autosave), which would
rewrite the committed chapters and leave ``git status`` dirty (then ``git pull``
refuses). So students work on copies in a git-ignored folder, with the same layout as
the repository so that the chapters' relative paths (``../data``) still resolve::

    workspace/book/es/*.ipynb, workspace/book/en/*.ipynb   chapters
    workspace/book/data -> ../../book/data                 the stored vectors (a link)
    workspace/exercises/es/*.ipynb, .../en/*.ipynb         graded exercises

A file the student already has in the workspace is never overwritten; chapters or
exercises added to the repository later are copied in on the next run. The copies
declare the course kernel (``--kernel``), so JupyterLab opens them with it. ``w2vgrade
check`` grades a copy exactly as it grades the original.

Usage: ``python tools/workspace.py [--kernel NAME] [WORKSPACE]`` (default
``workspace``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SOURCES", "Seeded", "seed_workspace"]

ROOT = Path(__file__).resolve().parents[1]
# folders (relative to the repository) whose notebooks are copied
SOURCES = ("book/es", "book/en", "exercises/es", "exercises/en")
DATA = "book/data"


@dataclass
class Seeded:
    """What :func:`seed_workspace` did: the notebooks copied and the ones left alone."""

    workspace: Path
    copied: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"Seeded(workspace={str(self.workspace)!r}, copied={len(self.copied)}, "
                f"kept={len(self.kept)})")

    def summary(self) -> str:
        """For the terminal, in Spanish and English: where work goes, what was done."""
        where, copied, kept = self.workspace, len(self.copied), len(self.kept)
        return (f"Tu espacio de trabajo es {where}/: tus cuadernos se guardan ahí y "
                f"los del libro no cambian ({copied} copiados, {kept} que ya tenías "
                "sin tocar).\n"
                f"Your workspace is {where}/: your notebooks are saved there and the "
                f"book's own stay untouched ({copied} copied, {kept} you already had "
                "left as they are).")


def _with_kernel(text: str, kernel: str | None) -> str:
    """The notebook ``text`` declaring ``kernel`` (in Jupyter's JSON layout)."""
    if kernel is None:
        return text
    notebook = json.loads(text)
    notebook.setdefault("metadata", {})["kernelspec"] = {
        "display_name": f"Python 3 ({kernel})", "language": "python", "name": kernel}
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _link_data(root: Path, workspace: Path) -> None:
    link = workspace / DATA
    if link.exists() or link.is_symlink():
        return
    link.parent.mkdir(parents=True, exist_ok=True)
    target = os.path.relpath(root / DATA, link.parent)
    try:
        link.symlink_to(target, target_is_directory=True)
    except OSError:  # a file system without symbolic links: copy the data instead
        import shutil

        shutil.copytree(root / DATA, link)


def seed_workspace(workspace: Path, root: Path = ROOT,
                   kernel: str | None = None) -> Seeded:
    """Copy every notebook of :data:`SOURCES` under ``root`` into ``workspace``
    unless a file of that name is already there, and link ``book/data``. Returns what
    was done."""
    workspace = Path(workspace)
    if workspace.exists() and not workspace.is_dir():
        raise NotADirectoryError(f"{workspace} is a file; the workspace must be a "
                                 "folder "
                                 "(move the file or pass another folder)")
    seeded = Seeded(workspace)
    for source in SOURCES:
        for notebook in sorted((root / source).glob("*.ipynb")):
            target = workspace / source / notebook.name
            if target.exists():
                seeded.kept.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            text = _with_kernel(notebook.read_text(encoding="utf-8"), kernel)
            target.write_text(text, encoding="utf-8")
            seeded.copied.append(target)
    _link_data(root, workspace)
    return seeded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", default="workspace", type=Path)
    parser.add_argument("--kernel",
                        help="kernel the copies declare (default: keep theirs)")
    args = parser.parse_args(argv)
    try:
        seeded = seed_workspace(args.workspace, kernel=args.kernel)
    except OSError as error:
        print(f"workspace: {error}", file=sys.stderr)
        return 1
    print(seeded.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
