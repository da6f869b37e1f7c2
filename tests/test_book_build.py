"""The build refuses what it should: a page without its language twin, and any warning (-W).

Tiny throw-away books in tmp use the real extension (book/_ext/w2vbook.py); a clean one must
build, so that the failures below are the ones the checks cause and nothing else.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path


BOOK = Path(__file__).resolve().parents[1] / "book"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")

spec = importlib.util.spec_from_file_location("w2vbook", BOOK / "_ext" / "w2vbook.py")
w2vbook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(w2vbook)

CONFIG = """\
title: tiny
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  local_extensions:
    w2vbook: _ext
"""


def test_twin_of_maps_each_language_folder_to_the_other():
    assert w2vbook.twin_of("es/01_vectors") == "en/01_vectors"
    assert w2vbook.twin_of("en/sub/page") == "es/sub/page"
    assert w2vbook.twin_of("glossary") is None
    assert w2vbook.twin_of("es") is None  # a page called "es" at the root is not in a language folder
    assert w2vbook.page_language("en/00_welcome") == "en"


def test_missing_twins_lists_every_orphan_page():
    docs = ["index", "glossary", "es/00_welcome", "en/00_welcome", "es/01_vectors", "en/02_one_hot_to_dense"]
    assert w2vbook.missing_twins(docs) == [
        ("en/02_one_hot_to_dense", "es/02_one_hot_to_dense"),
        ("es/01_vectors", "en/01_vectors"),
    ]
    assert w2vbook.missing_twins(["index", "es/a", "en/a"]) == []


def make_tiny_book(root: Path, pages: dict[str, str]) -> Path:
    """A book with the real extension, a root page and ``pages`` (docname -> markdown)."""
    book = root / "tiny"
    book.mkdir()
    shutil.copytree(BOOK / "_ext", book / "_ext")
    (book / "_config.yml").write_text(CONFIG, encoding="utf-8")
    chapters = "".join(f"  - file: {name}\n" for name in pages)
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n{chapters}", encoding="utf-8")
    (book / "index.md").write_text("# Tiny\n\nRoot page.\n", encoding="utf-8")
    for name, text in pages.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / f"{name}.md").write_text(text, encoding="utf-8")
    return book


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "-W", "--keep-going"],
        capture_output=True, text=True, timeout=300,
    )


def test_a_tiny_book_with_twins_builds_and_links_them(tmp_path):
    book = make_tiny_book(tmp_path, {"es/a": "# Hola\n\nTexto $x^2$.\n", "en/a": "# Hello\n\nText $x^2$.\n"})
    result = build(book)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (book / "_build" / "html" / "es" / "a.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in html
    assert '<link rel="alternate" hreflang="en" href="../en/a.html" />' in html
    assert 'class="w2v-twin-link"><a href="../en/a.html" hreflang="en"' in html
    assert (book / "_build" / "html" / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()


def test_a_page_without_its_twin_fails_the_build(tmp_path):
    book = make_tiny_book(tmp_path, {"es/a": "# Hola\n", "en/a": "# Hello\n", "es/b": "# Solo\n"})
    result = build(book)
    assert result.returncode != 0
    assert "page 'es/b' has no twin: create 'en/b'" in result.stdout + result.stderr


def test_any_warning_fails_the_build(tmp_path):
    book = make_tiny_book(tmp_path, {"es/a": "# Hola\n\n{doc}`no-such-page`\n", "en/a": "# Hello\n"})
    result = build(book)
    assert result.returncode != 0
    assert "no-such-page" in result.stdout + result.stderr
