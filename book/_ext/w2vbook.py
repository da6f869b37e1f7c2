"""Sphinx extension for the bilingual word2vec book: language twins and offline assets.

What it does, and nothing else:

* Every page under ``es/`` or ``en/`` must have a *twin*, the same relative path in the other
  language folder. A missing twin is reported for every page and then fails the build.
* Each page says which language it is in (``<html lang>``), declares its twin with
  ``<link rel="alternate" hreflang>`` and shows a link to it at the top of the content.
  Pages outside the language folders (landing page, glossary) are bilingual.
* MathJax (from the ``sphinx-mathjax-offline`` package) and the Jupyter widget embedder
  (``_ext/vendor/html-manager``, see its README) are served from the site's ``_static``,
  so a built page needs no network.
"""

from __future__ import annotations

import importlib.metadata
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset

logger = logging.getLogger(__name__)

LANGUAGES = ("es", "en")
BILINGUAL_LANG = "mul"  # ISO 639-2 code for "multiple languages"
TWIN_LINK_TEXT = {"es": "Leer esta página en español", "en": "Read this page in English"}
VENDOR_DIR = Path(__file__).parent / "vendor"
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"


def page_language(docname: str) -> str | None:
    """``"es"``/``"en"`` for a page in a language folder, None for a bilingual page."""
    head = docname.split("/", 1)[0]
    return head if head in LANGUAGES and "/" in docname else None


def twin_of(docname: str) -> str | None:
    """The docname of the page's twin in the other language, or None for bilingual pages."""
    lang = page_language(docname)
    if lang is None:
        return None
    other = LANGUAGES[1 - LANGUAGES.index(lang)]
    return other + docname[len(lang):]


def missing_twins(docnames) -> list[tuple[str, str]]:
    """``(page, expected_twin)`` for every language page whose twin is not among ``docnames``."""
    present = set(docnames)
    return sorted((doc, twin_of(doc)) for doc in present if twin_of(doc) is not None and twin_of(doc) not in present)


def _check_twins(app: Sphinx, env) -> None:
    missing = missing_twins(env.found_docs)
    for doc, twin in missing:
        logger.warning(
            "page %r has no twin: create %r (same file name in the other language folder)",
            doc, twin, location=doc, type="w2vbook", subtype="twin",
        )
    if missing:
        raise ExtensionError(f"{len(missing)} page(s) without a language twin: {[doc for doc, _ in missing]}")


def _add_twin_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put a link to the twin at the top of the page content (visible to every reader)."""
    twin = twin_of(docname)
    if twin is None or app.builder.format != "html":
        return
    twin_lang = page_language(twin)
    href = app.builder.get_relative_uri(docname, twin)
    html = (
        f'<p class="w2v-twin-link"><a href="{href}" hreflang="{twin_lang}" lang="{twin_lang}" '
        f'rel="alternate">{TWIN_LINK_TEXT[twin_lang]}</a></p>\n'
    )
    link = nodes.raw("", html, format="html")
    sections = list(doctree.findall(nodes.section))
    if sections:
        # right under the page title
        title_index = next(i for i, child in enumerate(sections[0].children) if isinstance(child, nodes.title))
        sections[0].insert(title_index + 1, link)
    else:
        doctree.insert(0, link)


def _set_page_language(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``<html lang>`` per page and hreflang alternates in ``<head>``."""
    lang = page_language(pagename)
    context["language"] = lang or BILINGUAL_LANG
    twin = twin_of(pagename)
    if twin is not None and twin in app.env.found_docs:
        # pathto() gives "#" for the page itself; hreflang wants a real address for both.
        alternates = [(lang, posixpath.basename(app.builder.get_target_uri(pagename))),
                      (page_language(twin), app.builder.get_relative_uri(pagename, twin))]
        links = "".join(f'<link rel="alternate" hreflang="{code}" href="{href}" />\n' for code, href in alternates)
        context["metatags"] = context.get("metatags", "") + links


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
    config.html_static_path = [*config.html_static_path, str(VENDOR_DIR)]
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
    app.connect("config-inited", _serve_assets_locally)
    app.connect("build-finished", _copy_mathjax)
    app.connect("env-check-consistency", _check_twins)
    app.connect("doctree-resolved", _add_twin_link)
    app.connect("html-page-context", _set_page_language)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
