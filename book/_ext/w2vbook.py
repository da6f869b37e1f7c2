"""Sphinx extension for the bilingual word2vec book: sites per language, twins, equations, assets.

The book is built as three Sphinx sites (``tools/build_book.py``, run by ``make book``): one
per language folder (source ``book/es`` -> ``_build/html/es``, ``book/en`` -> ``_build/html/en``)
and the bilingual landing site (source ``book``: landing page, glossary -> ``_build/html``).
A site's language is the name of its source folder. What this extension does, and nothing else:

* Every page of a language site must have a *twin*, the same relative path in the other
  language folder. A missing twin is reported for every page and then fails the build.
* Each page says which language it is in (``<html lang>``; ``mul`` on landing pages), declares
  its twin with ``<link rel="alternate" hreflang>`` and shows a link to it (and to the
  glossary) at the top of the content.
* Links that leave the site (``../glossary`` from a chapter, ``es/00_welcome`` from the
  landing page) become plain links to the other site's page, if that page exists; a link to a
  page that exists nowhere is left to MyST, which warns.
* Equations are numbered by chapter: in ``NN_name``, the ``k``-th labelled equation is
  ``(N.k)``, and ``{eq}`` references (from any chapter of the same site) show that number.
* A language site's title, author line and search placeholder are in its language
  (``w2vbook_sites`` in _config.yml); ``_ext/templates`` makes the theme's sidebar buttons
  translatable (``_ext/locales``).
* MathJax (from the ``sphinx-mathjax-offline`` package) and the Jupyter widget embedder
  (``_ext/vendor/html-manager``, see its README) are served from the site's ``_static``,
  so a built page needs no network.
"""

from __future__ import annotations

import importlib.metadata
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset

logger = logging.getLogger(__name__)

LANGUAGES = ("es", "en")
BILINGUAL_LANG = "mul"  # ISO 639-2 code for "multiple languages"
TWIN_LINK_TEXT = {"es": "Leer esta página en español", "en": "Read this page in English"}
GLOSSARY = "glossary"  # the bilingual glossary page of the landing site
GLOSSARY_LINK_TEXT = {"es": "Glosario", "en": "Glossary"}
SEARCH_PLACEHOLDER = {"es": "Buscar en este libro…", "en": "Search this book…"}
SOURCE_SUFFIXES = (".md", ".ipynb")
VENDOR_DIR = Path(__file__).parent / "vendor"
STATIC_DIR = Path(__file__).parent / "static"  # the book's own stylesheet
TEMPLATES_DIR = Path(__file__).parent / "templates"  # theme components made translatable
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"
CHAPTER_PREFIX = re.compile(r"(\d+|[A-Z])_")  # 07_name: chapter 7; A_name: appendix A


def site_language(srcdir) -> str | None:
    """``"es"``/``"en"`` for a language site (its source folder's name), None for the landing site."""
    name = Path(srcdir).name
    return name if name in LANGUAGES else None


def other_language(lang: str) -> str:
    return LANGUAGES[1 - LANGUAGES.index(lang)]


def book_path(lang: str | None, docname: str) -> str:
    """A page's path relative to the book folder (and to the whole built site), without suffix."""
    return f"{lang}/{docname}" if lang else docname


def chapter_number(docname: str) -> int | str | None:
    """N for a page named ``NN_name`` (in any folder), the letter for an appendix ``A_name``,
    None for other pages."""
    found = CHAPTER_PREFIX.match(posixpath.basename(docname))
    if not found:
        return None
    return int(found.group(1)) if found.group(1).isdigit() else found.group(1)


def page_exists(book: Path, path: str) -> bool:
    """Whether ``path`` (relative to the book folder, no suffix) is a page source."""
    return any((book / f"{path}{suffix}").is_file() for suffix in SOURCE_SUFFIXES)


def missing_twins(lang: str, docnames, book: Path) -> list[tuple[str, str]]:
    """``(page, expected_twin)`` as book paths, for every page of the ``lang`` site whose twin
    (same docname under the other language folder of ``book``) does not exist."""
    other = other_language(lang)
    return sorted(
        (book_path(lang, doc), book_path(other, doc)) for doc in docnames
        if not page_exists(book, book_path(other, doc))
    )


def _book_dir(app: Sphinx) -> Path:
    srcdir = Path(app.srcdir)
    return srcdir.parent if site_language(srcdir) else srcdir


def _check_language(app: Sphinx, config) -> None:
    lang = site_language(app.srcdir)
    if lang is not None and config.language != lang:
        raise ExtensionError(
            f"the {lang!r} site ({app.srcdir}) is being built with language {config.language!r}: "
            "build the book with `make book` (tools/build_book.py sets each site's language)"
        )


def _check_twins(app: Sphinx, env) -> None:
    lang = site_language(app.srcdir)
    if lang is None:
        return
    missing = missing_twins(lang, env.found_docs, _book_dir(app))
    for doc, twin in missing:
        logger.warning(
            "page %r has no twin: create %r (same file name in the other language folder)",
            doc, twin, location=doc.split("/", 1)[1], type="w2vbook", subtype="twin",
        )
    if missing:
        raise ExtensionError(f"{len(missing)} page(s) without a language twin: {[doc for doc, _ in missing]}")


def _link(text: str, href: str, lang: str, rel: str = "") -> str:
    rel_attr = f' rel="{rel}"' if rel else ""
    return f'<a href="{href}" hreflang="{lang}" lang="{lang}"{rel_attr}>{text}</a>'


def _add_twin_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put links to the twin and to the glossary at the top of the page content."""
    lang = site_language(app.srcdir)
    if lang is None or app.builder.format != "html":
        return
    twin_lang = other_language(lang)
    here = posixpath.dirname(book_path(lang, docname))
    twin_href = posixpath.relpath(book_path(twin_lang, docname) + ".html", here or ".")
    links = [_link(TWIN_LINK_TEXT[twin_lang], twin_href, twin_lang, rel="alternate")]
    if page_exists(_book_dir(app), GLOSSARY):
        glossary_href = posixpath.relpath(f"{GLOSSARY}.html", here or ".")
        links.append(f'<a href="{glossary_href}">{GLOSSARY_LINK_TEXT[lang]}</a>')
    html = f'<p class="w2v-twin-link">{" · ".join(links)}</p>\n'
    link = nodes.raw("", html, format="html")
    sections = list(doctree.findall(nodes.section))
    if sections:
        # right under the page title
        title_index = next(i for i, child in enumerate(sections[0].children) if isinstance(child, nodes.title))
        sections[0].insert(title_index + 1, link)
    else:
        doctree.insert(0, link)


def _link_across_sites(app: Sphinx, doctree: nodes.document) -> None:
    """Turn links (MyST ``[text](path)``, ``{doc}``) to a page of another site (the glossary, a
    twin, a language site's chapter) into plain relative links to its HTML file. Runs before
    Sphinx and MyST resolve the links they know."""
    lang = site_language(app.srcdir)
    book = _book_dir(app)
    here = book_path(lang, app.env.docname)
    for node in list(doctree.findall(addnodes.pending_xref)):
        kind = (node.get("refdomain"), node.get("reftype"))
        if kind == ("doc", "myst"):  # MyST link to a file of this site
            if node["reftarget"] in app.env.found_docs:
                continue
            target, anchor = book_path(lang, node["reftarget"]), node.get("reftargetid")
        elif kind in ((None, "myst"), ("std", "doc")):  # MyST link to no known file; {doc} role
            destination, _, anchor = node["reftarget"].partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(here), destination))
        else:
            continue
        for suffix in SOURCE_SUFFIXES:
            target = target.removesuffix(suffix)
        head = target.split("/", 1)[0]
        target_site = head if head in LANGUAGES and "/" in target else None
        if target_site == lang or target.startswith("../") or not page_exists(book, target):
            continue
        href = posixpath.relpath(f"{target}.html", posixpath.dirname(here) or ".")
        reference = nodes.reference("", "", refuri=href + (f"#{anchor}" if anchor else ""), internal=False)
        reference += node.children
        node.replace_self(reference)


def _leave_equation_numbers_to_us(app: Sphinx, config) -> None:
    """Sphinx's own figure-style numbering (math_numfig) would override the chapter numbers."""
    config.math_numfig = False


def _number_equations_by_chapter(app: Sphinx, doctree: nodes.document) -> None:
    """(k) becomes (N.k) in chapter ``NN_name`` and (A.k) in appendix ``A_name``, on the
    equation and in every {eq} reference."""
    docname = app.env.docname
    chapter = chapter_number(docname)
    if chapter is None:
        return
    equations = app.env.get_domain("math").equations
    for node in doctree.findall(nodes.math_block):
        label, number = node.get("label"), node.get("number")
        if label and isinstance(number, int):
            node["number"] = f"{chapter}.{number}"
            equations[label] = (docname, node["number"])


def _set_page_language(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``<html lang>`` per page and hreflang alternates in ``<head>``."""
    lang = site_language(app.srcdir)
    context["language"] = lang or BILINGUAL_LANG
    if lang is None or pagename not in app.env.found_docs:
        return
    twin_lang = other_language(lang)
    here = posixpath.dirname(book_path(lang, pagename))
    # pathto() gives "#" for the page itself; hreflang wants a real address for both.
    alternates = [(lang, posixpath.basename(app.builder.get_target_uri(pagename))),
                  (twin_lang, posixpath.relpath(book_path(twin_lang, pagename) + ".html", here or "."))]
    links = "".join(f'<link rel="alternate" hreflang="{code}" href="{href}" />\n' for code, href in alternates)
    context["metatags"] = context.get("metatags", "") + links


def _speak_the_site_language(app: Sphinx, config) -> None:
    """A language site has its title and author line in its language (``w2vbook_sites`` in
    _config.yml), and its
    search box's placeholder too (Jupyter Book sets an English one and sphinx-book-theme has no
    Spanish translation of it)."""
    lang = site_language(app.srcdir)
    if lang is None:
        return
    site = config.w2vbook_sites.get(lang, {})
    config.html_title = site.get("title", config.html_title)
    config.author = site.get("author", config.author)
    config.html_theme_options = {**config.html_theme_options, "search_bar_text": SEARCH_PLACEHOLDER[lang]}
    config.templates_path = [str(TEMPLATES_DIR), *config.templates_path]


def _mathjax_dir() -> Path:
    try:
        package = importlib.metadata.distribution("sphinx-mathjax-offline")
    except importlib.metadata.PackageNotFoundError as error:
        raise ExtensionError(
            "the book serves MathJax from the sphinx-mathjax-offline package, which is not installed; "
            "run `make book` (it installs the [book] extra) or `pip install sphinx-mathjax-offline`"
        ) from error
    return Path(package.locate_file("sphinx-mathjax-offline/static/mathjax"))


def _serve_assets_locally(app: Sphinx, config) -> None:
    """Point the pages at MathJax and the widget embedder in ``_static``."""
    _mathjax_dir()  # fail early, before reading any page, if MathJax is missing
    config.html_static_path = [*config.html_static_path, str(VENDOR_DIR), str(STATIC_DIR)]
    config.mathjax_path = MATHJAX_ENTRY


def _copy_mathjax(app: Sphinx, exception) -> None:
    """Copy MathJax into ``_static/mathjax``: the entry point, the pieces it loads on demand
    (fonts, TeX extensions, accessibility), but not the package's other combined bundles."""
    if exception is not None or app.builder.format != "html":
        return
    entry = Path(MATHJAX_ENTRY).name

    def other_bundle(path: str) -> bool:
        return "/" not in path and path.endswith(".js") and path != entry

    copy_asset(_mathjax_dir(), Path(app.outdir) / "_static" / "mathjax", excluded=other_bundle)


def setup(app: Sphinx) -> dict:
    app.add_config_value("w2vbook_sites", {}, "html", types=[dict])
    app.connect("config-inited", _check_language)
    app.connect("config-inited", _speak_the_site_language)
    app.connect("config-inited", _serve_assets_locally)
    app.add_css_file("w2vbook.css")
    app.connect("config-inited", _leave_equation_numbers_to_us)
    app.connect("build-finished", _copy_mathjax)
    app.connect("env-check-consistency", _check_twins)
    app.connect("doctree-read", _link_across_sites)
    app.connect("doctree-read", _number_equations_by_chapter)
    app.connect("doctree-resolved", _add_twin_link)
    app.connect("html-page-context", _set_page_language)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

