"""Every notebook page has a Colab launch button and a repository button, pointing to
the notebook in the page's own language (book/_config.yml: repository, launch_buttons),
and the pages workflow's BOOK_REPOSITORY_URL points them to the fork that publishes the
site.

A tiny book with one notebook page per language is built as `make book` builds the real
one (tools/build_book.py), with the real configuration's repository and launch-button
settings.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BUILD_BOOK = ROOT / "tools" / "build_book.py"
SPEC = importlib.util.spec_from_file_location("build_book", BUILD_BOOK)
build_book = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build_book)
REAL = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
FORK = "https://github.com/a-teacher/word2vec-fork"
TOC = """\
format: jb-book
root: index
parts:
  - caption: Español
    chapters:
      - glob: es/*
  - caption: English
    chapters:
      - glob: en/*
  - caption: Glossary
    chapters:
      - file: glossary
"""


def test_the_configuration_names_one_repository_and_colab():
    assert REAL["repository"]["url"].startswith("https://github.com/")
    assert REAL["repository"]["path_to_book"] == "book"
    assert REAL["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert REAL["html"]["use_repository_button"] is True


def test_each_site_points_to_its_own_folder_and_the_workflow_url_wins(monkeypatch):
    monkeypatch.delenv("BOOK_REPOSITORY_URL", raising=False)
    assert build_book.repository_options(REAL, "es") == {"path_to_docs": "book/es"}
    assert build_book.repository_options(REAL, "") == {"path_to_docs": "book"}
    monkeypatch.setenv("BOOK_REPOSITORY_URL", FORK + "/")
    assert build_book.repository_options(REAL, "en") == {"path_to_docs": "book/en",
                                                         "repository_url": FORK}


def test_the_pages_workflow_builds_with_its_own_repository():
    path = ROOT / ".github" / "workflows" / "pages.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    build = next(step for step in steps if step.get("run", "").strip() == "make book")
    own = "${{ github.server_url }}/${{ github.repository }}"
    assert build["env"]["BOOK_REPOSITORY_URL"] == own


def test_built_pages_launch_the_notebook_of_their_language(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    shutil.copytree(BOOK / "_ext", book / "_ext")
    shutil.copy(BOOK / "favicon.svg", book / "favicon.svg")
    config = {
        "title": "tiny", "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "repository": REAL["repository"], "launch_buttons": REAL["launch_buttons"],
        "html": {"use_repository_button": True},
        "sphinx": {"local_extensions": {"w2vbook": "_ext", "w2vlaunch": "_ext"},
                   "config": {"w2vbook_sites": {"es": {"title": "diminuto"},
                                                "en": {"title": "tiny"}}}},
    }
    (book / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (book / "_toc.yml").write_text(TOC, encoding="utf-8")
    (book / "glossary.md").write_text("# Glossary\n", encoding="utf-8")
    (book / "index.md").write_text("# Tiny\n\n[es](es/03_c) [en](en/03_c)\n",
                                   encoding="utf-8")
    for lang in ("es", "en"):
        (book / lang).mkdir()
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# C"),
                                                   nbformat.v4.new_code_cell("1 + 1")])
        notebook.metadata["kernelspec"] = {
            "name": "python3", "display_name": "Python 3", "language": "python"}
        for name in ("03_c", "04_d"):
            nbformat.write(notebook, book / lang / f"{name}.ipynb")
        # a chapter's link to its exercise, in Colab and on GitHub ({colab} and {repo}
        # roles)
        notebook.cells[0].source = (
            f"# C\n\n{{colab}}`ex03 <exercises/{lang}/ex03_a.ipynb>` "
            "{repo}`exercises/README.md`")
        nbformat.write(notebook, book / lang / "03_c.ipynb")
    env = {**os.environ, "BOOK_REPOSITORY_URL": FORK}
    result = subprocess.run([sys.executable, str(BUILD_BOOK), str(book)],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    branch = REAL["repository"]["branch"]
    for lang, name in (("es", "03_c"), ("en", "03_c"), ("es", "04_d")):
        html = book / "_build" / "html" / lang / f"{name}.html"
        page = html.read_text(encoding="utf-8")
        colab = ("https://colab.research.google.com/github/a-teacher/word2vec-fork/"
                 f"blob/{branch}/book/{lang}/{name}.ipynb")
        assert f'href="{colab}"' in page
        assert f'href="{FORK}"' in page  # the repository button
        if name == "03_c":
            exercise = colab.replace(f"book/{lang}/03_c", f"exercises/{lang}/ex03_a")
            assert f'href="{exercise}"' in page and ">ex03</a>" in page
            assert f'href="{FORK}/blob/{branch}/exercises/README.md"' in page
    landing = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert f'href="{FORK}"' in landing


def test_each_chapter_links_its_exercises_in_its_language():
    """Where a chapter's closing paragraph names an exercise notebook by path, it also
    gives its Colab and GitHub links, to the notebook of the chapter's language."""
    named = 0
    for lang in ("es", "en"):
        for path in sorted((BOOK / lang).glob("[0-9A]*.ipynb")):
            if path.name.startswith("00_"):
                continue  # chapter 0 lists every exercise with its links
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                             if c.cell_type == "markdown")
            for other in ("es", "en"):
                for exercise in sorted((ROOT / "exercises" / other).glob("ex*.ipynb")):
                    target = exercise.relative_to(ROOT).as_posix()
                    if f"`{target}`" not in text:
                        continue
                    assert other == lang, f"{path.name} names {target}"
                    named += 1
                    for role, label in (("colab", "Colab"), ("repo", "GitHub")):
                        link = f"{{{role}}}`{label} <{target}>`"
                        assert link in text, f"{path}: no {link}"
    assert named == 2 * 11  # chapters 1-9 and A, and chapter 6 names sets 6 and 7
