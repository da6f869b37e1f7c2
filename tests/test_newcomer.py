"""What a newcomer meets first: the Python check, `make lab`'s workspace, and chapter
0's own instructions, each run or checked against the files they name (issue 20, review
0-W1..W4).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_0 = {lang: ROOT / "book" / lang / "00_welcome.ipynb" for lang in ("es", "en")}


def _load(name: str):
    path = ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"tools_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"tools_{name}"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check_python = _load("check_python")
workspace = _load("workspace")
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
MINIMUM = check_python.required_version(PYPROJECT)
MINIMUM_TEXT = ".".join(map(str, MINIMUM))


# --- the Python version: one source of truth, the true minimum, checked first ---------

def _pinned() -> dict[str, str]:
    path = ROOT / "requirements" / "constraints.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("==") for line in lines if "==" in line)


def test_requires_python_is_the_true_minimum_of_the_pinned_environment():
    """Every pinned package installed here accepts the minimum; one of them needs it."""
    needs = {}
    for name in _pinned():
        try:
            requires = metadata.metadata(name).get("Requires-Python")
        except metadata.PackageNotFoundError:  # pinned for an extra not installed here
            continue
        if requires:
            needs[name] = SpecifierSet(requires)
    minimum = Version(MINIMUM_TEXT)
    assert all(minimum in spec for spec in needs.values()), {
        n: str(s) for n, s in needs.items() if minimum not in s}
    major, minor, micro = (*MINIMUM, 0)[:3]
    below = Version(f"{major}.{minor}.{micro - 1}" if micro
                    else f"{major}.{minor - 1}.99")
    assert any(below not in spec for spec in needs.values())


def test_an_old_python_gets_one_line_naming_the_version_and_the_fix():
    message = check_python.problem((3, 10, 13), MINIMUM, "python3")
    assert message.count("\n") == 0
    assert "Python 3.10.13" in message and f"Python {MINIMUM_TEXT} or newer" in message
    assert "make PYTHON=" in message
    assert check_python.problem(tuple(sys.version_info[:3]), MINIMUM) is None


def test_the_check_runs_as_a_script_and_fails_with_its_message(tmp_path):
    future = tmp_path / "pyproject.toml"
    future.write_text('[project]\nrequires-python = ">=99.1"\n', encoding="utf-8")
    script = ROOT / "tools" / "check_python.py"
    result = subprocess.run([sys.executable, script, future], capture_output=True,
                            text=True)
    found = ".".join(map(str, sys.version_info[:3]))
    assert result.returncode == 1
    assert f"Python {found}, but this project needs Python 99.1" in result.stderr


def _make_dry_run(target: str, **variables) -> str:
    # --no-print-directory: under `make test` this make is nested and would otherwise print
    # "Entering directory" lines among the commands
    args = ["make", "-n", "-B", "--no-print-directory", target,
            *[f"{k}={v}" for k, v in variables.items()]]
    output = subprocess.run(args, cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    return output.replace("\\\n", " ")  # one line per command


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_checks_the_python_before_creating_the_venv():
    commands = _make_dry_run("venv").splitlines()
    assert "tools/check_python.py" in commands[0] and "-m venv" in commands[1]


# --- make lab: a workspace of copies, the course kernel, root -------------------------

@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_seeds_the_workspace_and_opens_it_with_the_course_kernel():
    commands = _make_dry_run("lab").splitlines()
    seed = next(i for i, c in enumerate(commands) if "tools/workspace.py" in c)
    lab = next(i for i, c in enumerate(commands) if "jupyter lab" in c)
    assert seed < lab and "--notebook-dir=workspace" in commands[lab]
    assert "--MappingKernelManager.default_kernel_name=word2vec-book" in commands[lab]
    assert ("--allow-root" in commands[lab]) == (os.geteuid() == 0)
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/workspace/" in ignored


def test_the_spanish_language_pack_is_in_the_lab_extra_and_pinned():
    assert re.search(r'lab = \[[^\]]*"jupyterlab-language-pack-es-ES>=', PYPROJECT)
    assert "jupyterlab-language-pack-es-ES" in _pinned()


def _fake_repository(root: Path) -> Path:
    for folder in workspace.SOURCES:
        (root / folder).mkdir(parents=True)
        for name in ("a.ipynb", "b.ipynb"):
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
            notebook.metadata["kernelspec"] = {
                "name": "python3", "display_name": "Python 3", "language": "python"}
            nbformat.write(notebook, root / folder / name)
    (root / workspace.DATA).mkdir()
    (root / workspace.DATA / "v.vec").write_text("1 1\na 0.5\n", encoding="utf-8")
    return root


def test_the_workspace_is_seeded_once_and_never_overwrites_a_students_file(tmp_path):
    root = _fake_repository(tmp_path / "repo")
    space = tmp_path / "workspace"
    first = workspace.seed_workspace(space, root=root, kernel="word2vec-book")
    assert len(first.copied) == 8 and first.kept == []
    mine = space / "book" / "es" / "a.ipynb"
    mine.write_text("my work", encoding="utf-8")
    chapters = root / "book" / "es"
    (chapters / "c.ipynb").write_bytes((chapters / "a.ipynb").read_bytes())
    second = workspace.seed_workspace(space, root=root, kernel="word2vec-book")
    assert mine.read_text(encoding="utf-8") == "my work"
    assert second.copied == [space / "book" / "es" / "c.ipynb"]
    assert len(second.kept) == 8
    copy = json.loads((space / "exercises/en/b.ipynb").read_text(encoding="utf-8"))
    assert copy["metadata"]["kernelspec"]["name"] == "word2vec-book"
    # the chapters' ../data resolves from the copies, and the originals are untouched
    data = space / "book" / "es" / ".." / "data" / "v.vec"
    assert data.read_text(encoding="utf-8") == "1 1\na 0.5\n"
    original = json.loads((chapters / "a.ipynb").read_text(encoding="utf-8"))
    assert original["metadata"]["kernelspec"]["name"] == "python3"
    assert "workspace" in second.summary() and "espacio de trabajo" in second.summary()


# --- chapter 0 says exactly what works ------------------------------------------------

def _markdown(lang: str) -> str:
    notebook = nbformat.read(CHAPTER_0[lang], as_version=4)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def _shell_lines(lang: str) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", _markdown(lang), flags=re.DOTALL)
    blocks = [block.replace("\\\n", " ") for block in blocks]  # continued lines
    commands = [line.split("#")[0].strip() for block in blocks
                for line in block.splitlines()]
    return [command for command in commands if command]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_chapter_0_states_the_python_minimum_of_pyproject(lang):
    text = _markdown(lang)
    versions = set(re.findall(r"Python (3\.\d+(?:\.\d+)?)", text))
    assert versions == {MINIMUM_TEXT}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_chapter_0_lists_exactly_the_exercise_notebooks(lang):
    # exNN for a chapter, exA for an appendix (the grader's exercise ids)
    listed = re.findall(
        r"`(ex(?:\d\d|[A-Z])_\w+)\.ipynb` \(\{colab\}`Colab <exercises/(\w+)/\1\.ipynb>`",
        _markdown(lang))
    files = sorted(p.stem for p in (ROOT / "exercises" / lang).glob("ex*.ipynb"))
    assert [name for name, _ in listed] == files
    assert {folder for _, folder in listed} == {lang}
    words = {8: ("eight", "ocho"), 9: ("nine", "nueve"), 10: ("ten", "diez")}
    assert len(files) in words, files
    word = words[len(files)][lang == "es"]
    phrase = f"Hay {word} cuadernos" if lang == "es" else f"There are {word} notebooks"
    assert phrase in _markdown(lang), (phrase, files)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_chapter_0_commands_exist_and_run(lang, tmp_path):
    """Each command of chapter 0's code blocks, in order: make targets exist, scripts
    and modules run (the workspace is seeded, then the grader checks the student's copy
    in it), conda's file names the environment."""
    lines = _shell_lines(lang)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert {"make venv", "make lab", "make book", "make test"} <= set(lines)
    for line in lines:
        words = line.split()
        if words[0] == "make":
            assert re.search(rf"^{words[1]}:", makefile, flags=re.MULTILINE), line
        elif words[:2] == ["conda", "env"]:
            assert (ROOT / words[-1]).is_file(), line
        elif words[:2] == ["conda", "activate"]:
            environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
            assert f"name: {words[2]}" in environment, line
        elif words[:2] == ["python", "tools/build_book.py"]:
            result = subprocess.run([sys.executable, words[1], "--help"], cwd=ROOT,
                                    capture_output=True, text=True)
            assert result.returncode == 0, line
        elif words[:2] == ["python", "tools/workspace.py"]:
            result = subprocess.run([sys.executable, words[1], tmp_path / "workspace"],
                                    cwd=ROOT, capture_output=True, text=True)
            assert result.returncode == 0, line
            assert (tmp_path / "workspace/book" / lang).is_dir(), line
        elif words[:2] == ["jupyter", "lab"]:
            assert words[2:] == ["workspace"], line
        elif words[:3] == ["python", "-m", "pytest"]:
            # not run here: it is this very test suite
            assert "testpaths" in PYPROJECT, line
        elif words[1:4] == ["-m", "w2vgrade", "check"]:
            # the student's copy in the workspace the lines above seeded
            copy = tmp_path / words[4]
            assert words[4].startswith("workspace/") and copy.is_file(), line
            result = subprocess.run([sys.executable, "-m", "w2vgrade", "check", copy],
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr
            first = "ex01 (ex01_cosine_similarity.ipynb): 0 / 10"
            assert result.stdout.startswith(first), line
        else:
            pytest.fail(f"chapter 0 has a command this test does not know: {line}")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_chapter_0_no_longer_says_what_does_not_work(lang):
    text = _markdown(lang)
    assert "jupyter-book build" not in text and "3.10" not in text
    assert "%pip install git+" not in text
