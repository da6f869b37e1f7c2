"""What a newcomer installs works: the wheel's entry points, and a notebook in Colab.

Both run in a fresh virtual environment without the repository checkout around it and
without network. Instead of downloading, the fresh environment sees, through a ``.pth``
file, a folder of links to exactly the distributions it would have installed (and their
dependencies), taken from this environment. So a module the package imports but does not
declare is missing there, as it would be after a real ``pip install``.

* The wheel: built from the working tree, installed with ``--no-deps``; then ``w2vgrade
  --help``, ``python -m w2vgrade --help``, ``from w2vgrade import check_notebook``,
  ``w2vlib --help`` and ``python -m w2vlib --help`` must all work.
* Colab: the set-up cell of ``tools/colab_setup.py`` runs with a stand-in
  ``google.colab`` package on the path, cloning a ``file://`` repository made from the
  working tree. Then the notebook's own cells must run from the clone and its
  ``../data`` must resolve.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("colab_setup",
                                              ROOT / "tools" / "colab_setup.py")
colab_setup = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(colab_setup)

# what a clone needs for `pip install <clone>[notebooks]` and for the notebooks to run
CLONE_PATHS = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT", "w2vlib",
               "exercises/w2vgrade", "book/data", "book/es", "book/en")
OFFLINE = {"PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONNOUSERSITE": "1"}


def _closure(requirements: list[str]) -> set[str]:
    """The installed distributions ``requirements`` (with extras) need, recursively."""
    names: set[str] = set()
    seen: set[tuple[str, frozenset]] = set()
    todo = [Requirement(text) for text in requirements]
    while todo:
        requirement = todo.pop()
        name = requirement.name.lower().replace("_", "-")
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        names.add(name)
        for text in metadata.requires(name) or []:
            dependency = Requirement(text)
            marker = dependency.marker
            if marker is None or any(marker.evaluate({"extra": extra})
                                     for extra in ("", *requirement.extras)):
                todo.append(dependency)
    return names


def _link_distributions(names: set[str], folder: Path) -> None:
    """Links in ``folder`` to each distribution's top-level files (metadata too)."""
    folder.mkdir()
    for name in names:
        distribution = metadata.distribution(name)
        base = Path(distribution.locate_file(""))
        tops = {Path(str(file)).parts[0] for file in distribution.files or []}
        for top in tops - {"..", "__pycache__"}:
            if not (folder / top).exists() and (base / top).exists():
                (folder / top).symlink_to(base / top)


def fresh_python(tmp: Path, names: set[str]) -> Path:
    """A new venv (no pip of its own) that sees only the distributions ``names``."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                   check=True)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = subprocess.run([str(python), "-c", where], capture_output=True, text=True,
                          check=True).stdout.strip()
    _link_distributions(names, tmp / "deps")
    (Path(site) / "deps.pth").write_text(f"{tmp / 'deps'}\n", encoding="utf-8")
    return python


def _run(args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTHON", "PIP_"))}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True,
                          text=True, timeout=300,
                          env={**clean, **OFFLINE, **(env or {})})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = _run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                   "--no-build-isolation", "--quiet", "-w", out, ROOT], cwd=out)
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("w2vlib-*.whl")
    return path


def _core_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(name).decode("utf-8").splitlines()
    return [line.split(":", 1)[1].strip() for line in lines
            if line.startswith("Requires-Dist:") and "extra ==" not in line]


def test_every_entry_point_of_the_wheel_works_from_a_plain_install(wheel, tmp_path):
    python = fresh_python(tmp_path, _closure(_core_requirements(wheel)))
    install = _run([sys.executable, "-m", "pip", "--python", python, "install",
                    "--no-deps", "--quiet", wheel], cwd=tmp_path)
    assert install.returncode == 0, install.stderr
    bin_ = python.parent
    calls = {
        "w2vgrade --help": [bin_ / "w2vgrade", "--help"],
        "python -m w2vgrade --help": [python, "-m", "w2vgrade", "--help"],
        "from w2vgrade import check_notebook": [
            python, "-c", "from w2vgrade import check_notebook"],
        "w2vlib --help": [bin_ / "w2vlib", "--help"],
        "python -m w2vlib --help": [python, "-m", "w2vlib", "--help"],
    }
    for name, args in calls.items():
        result = _run(args, cwd=tmp_path)
        assert result.returncode == 0, f"{name}: {result.stderr}"
        assert "Traceback" not in result.stderr, name
    where = _run([python, "-c", "import w2vlib; print(w2vlib.__file__)"], cwd=tmp_path)
    assert str(python.parent.parent) in where.stdout  # the installed copy


def test_a_missing_dependency_is_seen_by_the_fresh_environment(wheel, tmp_path):
    """The check above can fail: without nbformat the grader cannot start."""
    names = _closure(_core_requirements(wheel)) - {"nbformat"}
    python = fresh_python(tmp_path, names)
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
          "--quiet", wheel], cwd=tmp_path)
    result = _run([python, "-m", "w2vgrade", "--help"], cwd=tmp_path)
    assert result.returncode != 0 and "nbformat" in result.stderr


# --- Colab ---------------------------------------------------------------------------

def make_repository(folder: Path) -> str:
    """A git repository of the working tree's files a clone needs; its file:// URL."""
    for name in CLONE_PATHS:
        source, target = ROOT / name, folder / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info", ".ipynb_checkpoints"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org",
           "-c", "init.defaultBranch=main", "-C", str(folder)]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "book"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return folder.as_uri()


def fake_colab(folder: Path) -> Path:
    """A folder with a package ``google.colab`` (namespace ``google``), as Colab has."""
    (folder / "google" / "colab").mkdir(parents=True)
    (folder / "google" / "colab" / "__init__.py").write_text('"""stand-in"""\n',
                                                            encoding="utf-8")
    return folder


# argv: pairs (setup cell, notebook); each cell runs, then the notebook's code cells
CHECK_AFTER_SETUP = """
import os, sys, json
from pathlib import Path
import nbformat
report = []
for source, name in zip(sys.argv[1::2], sys.argv[2::2]):
    exec(compile(source, "setup cell", "exec"))
    import w2vlib
    notebook = nbformat.read(Path(name).name, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "colab-setup" not in tags:
            exec(compile(cell.source, "notebook cell", "exec"))
    data = Path("..") / "data" / "shakespeare_sgns.vec.gz"
    # the imports cell of every other chapter of this language (those that need more than
    # the cell installs, such as chapter 10's Spark, say so in their metadata)
    imported = []
    for other in sorted(Path(".").glob("*.ipynb")):
        chapter = nbformat.read(other, as_version=4)
        if chapter.metadata.get("w2vbook", {}).get("requires"):
            continue
        first = next(cell for cell in chapter.cells if cell.cell_type == "code"
                     and "colab-setup" not in cell.metadata.get("tags", []))
        exec(compile(first.source, f"{other.name}, first cell", "exec"), {})
        imported.append(other.name)
    report.append({"cwd": os.getcwd(), "w2vlib": w2vlib.__file__, "LANG": LANG,
                   "words": len(w2vlib.KeyedVectors.load_word2vec_format(data)),
                   "imported": imported})
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def colab_session(tmp_path_factory):
    """A Colab stand-in: a fresh Python with pip and the project's dependencies (Colab's
    image has most of them; the cell would install the others), the stand-in
    ``google.colab``, and a repository to clone."""
    tmp = tmp_path_factory.mktemp("colab")
    url = make_repository(tmp / "origin")
    names = _closure(["pip", "setuptools", f"w2vlib[{colab_setup.EXTRA}]"])
    names.discard("w2vlib")  # the setup cell installs it from the clone
    return fresh_python(tmp, names), url, fake_colab(tmp / "fake")


def test_the_colab_cell_clones_installs_and_finds_the_data(colab_session, tmp_path):
    """Chapter 0 in Spanish, then in English in the same session (the second cell finds
    the clone and only changes folder)."""
    python, url, fake = colab_session
    content = tmp_path / "content"  # Colab's working folder, with nothing around it
    content.mkdir()
    _, branch = colab_setup.repository_settings()
    args = []
    for lang in ("es", "en"):
        args += [colab_setup.setup_cell_source(url, branch, f"book/{lang}", lang),
                 f"{lang}/00_welcome.ipynb"]
    result = _run([python, "-c", CHECK_AFTER_SETUP, *args], cwd=content,
                  env={"PYTHONPATH": str(fake), "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr[-3000:]
    *printed, last = result.stdout.strip().splitlines()
    clone = content / "origin"
    for lang, report in zip(("es", "en"), json.loads(last)):
        assert Path(report["cwd"]) == clone / "book" / lang and report["LANG"] == lang
        assert str(clone) not in report["w2vlib"]
        assert "site-packages" in report["w2vlib"]
        assert report["words"] > 1000
        # every chapter's imports resolve (chapter 10 needs Spark and Java, which it says)
        assert "01_vectors.ipynb" in report["imported"]
        assert len(report["imported"]) >= 11, report["imported"]
    # it says what it did, in the notebook's language
    assert printed[0] == f"Colab: clonado en {clone} e instalado; trabajo en book/es"
    assert "Colab: working in book/en" in printed


def test_outside_colab_the_cell_does_nothing(tmp_path):
    url, branch = colab_setup.repository_settings()
    source = colab_setup.setup_cell_source(url, branch, "book/en", "en")
    script = f"import os\nexec({source!r})\nprint(os.getcwd())"
    result = _run([sys.executable, "-c", script], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{tmp_path}\n" and list(tmp_path.iterdir()) == []


def test_the_cell_is_inserted_once_before_the_imports_and_updated_in_place():
    cells = [nbformat.v4.new_markdown_cell("# T"),
             nbformat.v4.new_code_cell('LANG = "en"')]
    notebook = nbformat.v4.new_notebook(cells=cells)
    assert colab_setup.apply_setup_cell(notebook, "print(1)")
    assert not colab_setup.apply_setup_cell(notebook, "print(1)")
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code", "code"]
    assert notebook.cells[1].metadata["tags"] == ["remove-cell", "colab-setup"]
    assert colab_setup.apply_setup_cell(notebook, "print(2)")
    assert len(notebook.cells) == 3 and notebook.cells[1].source == "print(2)"


def test_every_notebook_has_the_cell_of_the_configured_repository():
    """Every chapter, exercise source and student notebook has the current cell as its
    first code cell (a fork that changes repository.url in book/_config.yml is told to
    run make colab-cells)."""
    students = sorted(ROOT.glob("exercises/e[ns]/*.ipynb"))
    notebooks = [*colab_setup.all_notebooks(), *students]
    assert len(students) == len(colab_setup.all_notebooks()) - len(
        list(ROOT.glob("book/e[ns]/*.ipynb")))
    script = ROOT / "tools" / "colab_setup.py"
    result = _run([sys.executable, script, "--check", *notebooks], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in notebooks:
        cells = nbformat.read(path, as_version=4).cells
        first_code = next(c for c in cells if c.cell_type == "code")
        tags = first_code.metadata.get("tags", [])
        assert colab_setup.TAG in tags, f"{path}: the first code cell is not the set-up"
