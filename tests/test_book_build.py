"""The build refuses what it should and numbers what it should.

Tiny throw-away books in tmp are built as `make book` builds the real one (tools/build_book.py:
one Sphinx site per language folder plus the landing site, -W) with the real extension
(book/_ext/w2vbook.py); a clean one must build, so that the failures below are the ones the
checks cause and nothing else.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BUILD_BOOK = ROOT / "tools" / "build_book.py"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


w2vbook = _load("w2vbook", BOOK / "_ext" / "w2vbook.py")
build_book = _load("build_book", BUILD_BOOK)

CONFIG = """\
title: tiny
only_build_toc_files: true
execute:
  execute_notebooks: "off"
parse:
  myst_enable_extensions: [dollarmath, amsmath]
sphinx:
  local_extensions:
    w2vbook: _ext
  config:
    w2vbook_sites: {es: {title: "diminuto"}, en: {title: "tiny"}}
"""
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


def test_pages_are_told_apart_by_folder_and_chapter_prefix(tmp_path):
    assert w2vbook.site_language("/x/book/es") == "es" and w2vbook.site_language("/x/book") is None
    assert w2vbook.chapter_number("01_vectors") == 1 and w2vbook.chapter_number("sub/12_x") == 12
    assert w2vbook.chapter_number("A_hierarchical_softmax") == "A"
    assert w2vbook.chapter_number("glossary") is None
    assert w2vbook.chapter_number("Ab_x") is None and w2vbook.chapter_number("a_x") is None
    for name in ("es/a.md", "en/a.md", "es/b.ipynb", "en/c.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    assert w2vbook.missing_twins("es", ["a", "b"], tmp_path) == [("es/b", "en/b")]
    assert w2vbook.missing_twins("en", ["a", "c"], tmp_path) == [("en/c", "es/c")]


def test_the_toc_is_split_into_one_site_per_language(tmp_path):
    for name in ("es/00_a.md", "es/01_b.md", "en/00_a.md", "en/01_b.md", "glossary.md", "index.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    tocs = build_book.split_toc(yaml.safe_load(TOC), tmp_path)
    assert tocs["es"] == {"format": "jb-book", "root": "00_a", "chapters": [{"glob": "*"}]}
    assert tocs["en"]["root"] == "00_a"
    assert tocs[""] == {"format": "jb-book", "root": "index",
                        "parts": [{"caption": "Glossary", "chapters": [{"file": "glossary"}]}]}


def make_tiny_book(root: Path, pages: dict[str, str]) -> Path:
    """A book with the real extension, a landing page, a glossary and ``pages`` (docname -> markdown)."""
    book = root / "tiny"
    book.mkdir()
    shutil.copytree(BOOK / "_ext", book / "_ext")
    shutil.copy(BOOK / "favicon.svg", book / "favicon.svg")
    (book / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (book / "_toc.yml").write_text(TOC, encoding="utf-8")
    (book / "index.md").write_text("# Tiny\n\n[es](es/00_a) [en](en/00_a)\n", encoding="utf-8")
    (book / "glossary.md").write_text("# Glossary\n\n| es | en |\n|---|---|\n| a | a |\n", encoding="utf-8")
    for name, text in pages.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / f"{name}.md").write_text(text, encoding="utf-8")
    return book


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BUILD_BOOK), str(book)], capture_output=True, text=True, timeout=600,
    )


CHAPTER_1 = "# {title}\n\n$$ a $$ (first)\n\n$$ b $$ (second)\n\n[g](../glossary)\n"
CHAPTER_2 = "# {title}\n\n$$ c $$ (third)\n\nSee {{eq}}`second` and {{eq}}`third`.\n"


def test_a_tiny_book_builds_one_site_per_language_with_twins_and_chapter_numbers(tmp_path):
    pages = {}
    for lang, titles in (("es", ("Hola", "Uno", "Dos")), ("en", ("Hello", "One", "Two"))):
        pages[f"{lang}/00_a"] = f"# {titles[0]}\n\nTexto $x^2$.\n"
        pages[f"{lang}/01_b"] = CHAPTER_1.format(title=titles[1])
        pages[f"{lang}/02_c"] = CHAPTER_2.format(title=titles[2])
        pages[f"{lang}/A_d"] = "# Ap\n\n$$ d $$ (fourth)\n\nSee {eq}`third`.\n"
    book = make_tiny_book(tmp_path, pages)
    result = build(book)
    assert result.returncode == 0, result.stdout + result.stderr
    html = book / "_build" / "html"
    for lang, twin, glossary in (("es", "en", "Glosario"), ("en", "es", "Glossary")):
        page = (html / lang / "01_b.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in page
        assert f'<link rel="alternate" hreflang="{twin}" href="../{twin}/01_b.html" />' in page
        assert f'class="w2v-twin-link"><a href="../{twin}/01_b.html" hreflang="{twin}"' in page
        assert f'<a href="../glossary.html">{glossary}</a>' in page
        assert 'href="../glossary.html"><span' in page or 'href="../glossary.html">g</a>' in page
        assert '<span class="eqno">(1.1)' in page and '<span class="eqno">(1.2)' in page
        # a reference to an equation of another chapter: chapter prefix and a link to it
        second = (html / lang / "02_c.html").read_text(encoding="utf-8")
        assert '<span class="eqno">(2.1)' in second
        assert 'href="01_b.html#equation-second"' in second and "(1.2)" in second and "(2.1)</a>" in second
        # an appendix, A_name: after the numbered chapters, its equations (A.k)
        appendix = (html / lang / "A_d.html").read_text(encoding="utf-8")
        assert '<span class="eqno">(A.1)' in appendix and "(2.1)</a>" in appendix
        assert 'href="A_d.html"' in second.split('prev-next-area')[-1]
        assert (html / lang / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
        assert (html / lang / "searchindex.js").is_file()
    # each site's interface in its language (the browser test checks every string)
    assert 'prev-next-subtitle">anterior' in (html / "es" / "01_b.html").read_text(encoding="utf-8")
    assert 'prev-next-subtitle">previous' in (html / "en" / "01_b.html").read_text(encoding="utf-8")
    landing = (html / "index.html").read_text(encoding="utf-8")
    assert '<html lang="mul"' in landing and 'href="es/00_a.html"' in landing and 'href="en/00_a.html"' in landing


def test_a_missing_twin_and_any_warning_fail_the_build(tmp_path):
    # one book, three faults (each site is built separately, so each is reported)
    book = make_tiny_book(tmp_path, {
        "es/00_a": "# Hola\n", "es/01_b": "# Solo\n",
        "en/00_a": "# Hello\n\n{doc}`no-such-page` and {eq}`nowhere`\n",
    })
    result = build(book)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "page 'es/01_b' has no twin: create 'en/01_b'" in output
    assert "no-such-page" in output and "nowhere" in output
    assert "the book has warnings or errors in: es, en" in output
