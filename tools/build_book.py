"""Build the bilingual book as one Sphinx site per language, joined by a bilingual
landing site.

``make book`` runs this. The entry point stays ``book/_config.yml`` and
``book/_toc.yml``; from the table of contents it derives three sites and builds each
with Jupyter Book's Sphinx runner:

* ``book/_build/html/es/``: the entries under ``es/`` (prefix dropped), with ``language:
  es``, so the interface (search, "Contents", Previous/Next, buttons) and the search
  index (Spanish stemming) are Spanish;
* ``book/_build/html/en/``: the same for ``en/``;
* ``book/_build/html/``: every other entry (landing page ``index``, glossary),
  bilingual.

Each language site's first page is its root, so Previous/Next never leave the language.
Links between sites (``../glossary`` from a chapter, ``es/00_welcome`` from the landing
page) are resolved by the book's extension (``book/_ext/w2vbook.py``). Every build runs
with ``-W`` semantics (warnings are errors, after the whole site is read, as
``--keep-going``).

Usage: ``python tools/build_book.py [BOOK_DIR] [--output DIR]`` (defaults: ``book``,
``BOOK_DIR/_build``). Exit status 1 if any site has warnings or errors.
"""

from __future__ import annotations

import argparse
import copy
import glob
import os
import subprocess
import sys
from pathlib import Path

import yaml

LANGUAGES = ("es", "en")
SOURCE_SUFFIXES = (".md", ".ipynb")
LANDING = "landing"
# Sphinx needs one; the landing pages declare themselves bilingual (lang="mul")
LANDING_LANGUAGE = "en"
REDIRECT = (
    '<!DOCTYPE html>\n<meta charset="utf-8">\n<meta http-equiv="refresh" content="0; '
    'url={page}">\n<link rel="canonical" href="{page}">\n<a href="{page}">{page}</a>\n'
)


def entry_site(entry: dict) -> str:
    """``"es"``/``"en"`` for a toc entry (``file:`` or ``glob:``) inside a language
    folder, else ``""``."""
    path = entry.get("file") or entry.get("glob") or ""
    head, _, rest = path.partition("/")
    return head if head in LANGUAGES and rest else ""


def _strip(entry: dict, site: str) -> dict:
    entry = copy.deepcopy(entry)
    for key in ("file", "glob"):
        if key in entry and site:
            entry[key] = entry[key][len(site) + 1:]
    if "sections" in entry:
        raise ValueError(f"toc entry {entry} has sections: give each page its own "
                         "entry instead")
    return entry


def _pages(book: Path, entry: dict) -> list[str]:
    """Docnames (relative to ``book``) an entry stands for, in the order the toc lists
    them."""
    if "file" in entry:
        return [entry["file"].removesuffix(".md").removesuffix(".ipynb")]
    found = set()
    for suffix in SOURCE_SUFFIXES:
        found |= {Path(p).relative_to(book).with_suffix("").as_posix()
                  for p in glob.glob(str(book / f"{entry['glob']}{suffix}"))}
    return sorted(found)


def split_toc(toc: dict, book: Path) -> dict[str, dict]:
    """One jb-book toc per site (``""`` = landing, ``"es"``, ``"en"``) from the book's
    toc.

    A part's entries go to the site of their folder; a language site's root is its first
    page.
    """
    if toc.get("format") != "jb-book" or "parts" not in toc:
        raise ValueError("book/_toc.yml must be a jb-book toc with parts (see "
                         "book/CONVENTIONS.md)")
    parts: dict[str, list[dict]] = {site: [] for site in ("", *LANGUAGES)}
    for part in toc["parts"]:
        by_site: dict[str, list[dict]] = {}
        for entry in part["chapters"]:
            by_site.setdefault(entry_site(entry), []).append(
                _strip(entry, entry_site(entry))
            )
        for site, entries in by_site.items():
            parts[site].append(
                {
                    **{k: v for k, v in part.items() if k != "chapters"},
                    "chapters": entries,
                }
            )
    tocs = {"": {"format": "jb-book", "root": toc["root"], "parts": parts[""]}}
    for lang in LANGUAGES:
        if not parts[lang]:
            raise ValueError(f"book/_toc.yml lists no page under {lang}/")
        first = parts[lang][0]["chapters"][0]
        pages = _pages(book / lang, first)
        if not pages:
            raise ValueError(f"the first toc entry of {lang}/ ({first}) matches no "
                             "page")
        root = pages[0]
        if "file" in first:
            parts[lang][0]["chapters"].pop(0)
        # the root page is the site's home; the rest of the parts are its chapters
        chapters = [entry for part in parts[lang] for entry in part["chapters"]]
        tocs[lang] = {"format": "jb-book", "root": root, "chapters": chapters}
    return tocs


def repository_options(config: dict, site: str) -> dict:
    """The theme's repository settings for one site.

    The launch buttons must point to ``<path_to_book>/<site>/<page>.ipynb``, and
    ``BOOK_REPOSITORY_URL`` (set by the pages workflow to the repository it runs in)
    replaces ``repository.url`` of ``_config.yml``.
    """
    repository = config.get("repository") or {}
    book_folder = repository.get("path_to_book", "").strip("/")
    folder = "/".join(part for part in (book_folder, site) if part)
    options = {"path_to_docs": folder}
    url = os.environ.get("BOOK_REPOSITORY_URL", "").strip()
    if url:
        options["repository_url"] = url.rstrip("/")
    return options


def build_site(
    book: Path, site: str, toc_path: Path, outdir: Path, doctrees: Path
) -> int:
    from jupyter_book.sphinx import build_sphinx

    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    overrides = {
        "external_toc_path": str(toc_path),
        "language": site or LANDING_LANGUAGE,
        # _config.yml paths are relative to book/; a language site's source is
        # book/<lang>
        "html_favicon": str(book / "favicon.svg"),
        # Spanish for the few interface strings Sphinx's own catalogue lacks
        # (book/_ext/locales)
        "locale_dirs": [str(book / "_ext" / "locales")],
        "latex_individualpages": False,
        # notebooks are never executed by the build; keep jupyter-cache's folder out of
        # the site
        "nb_execution_cache_path": str(doctrees.parent / ".jupyter_cache"),
        "html_theme_options": repository_options(config, site),
    }
    result = build_sphinx(
        book / site,
        outdir,
        path_config=str(book / "_config.yml"),
        confoverrides=overrides,
        noconfig=True,
        doctreedir=doctrees,
        warningiserror=True,
        keep_going=True,
        quiet=True,
    )
    if isinstance(result, Exception):
        return 1
    return int(result)


def build_all(book: Path, build: Path) -> int:
    """Every site, each in its own process: Sphinx and the themes keep their
    translations in module-level caches, so a Spanish build would leak its strings into
    an English one."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    tocs = split_toc(toc, book)
    (build / "tocs").mkdir(parents=True, exist_ok=True)
    html = build / "html"
    runs = {}
    for site in (*LANGUAGES, ""):
        toc_path = build / "tocs" / f"{site or 'landing'}.yml"
        toc_path.write_text(
            yaml.safe_dump(tocs[site], allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        command = [
            sys.executable,
            __file__,
            str(book),
            "--output",
            str(build),
            "--site",
            site or LANDING,
        ]
        runs[site] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    failed = []
    for site, run in runs.items():
        output, _ = run.communicate()
        print(
            f"== {site or LANDING} site: {book / site} -> {html / site}\n{output}",
            end="",
            flush=True,
        )
        if run.returncode:
            failed.append(site or LANDING)
        elif site:
            (html / site / "index.html").write_text(
                REDIRECT.format(page=f"{tocs[site]['root']}.html"), encoding="utf-8"
            )
    if failed:
        print(
            f"the book has warnings or errors in: {', '.join(failed)} (see above)",
            file=sys.stderr,
        )
        return 1
    print(f"built: {html / 'index.html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", default="book", type=Path)
    parser.add_argument("--output", type=Path, help="build folder (default "
                                                    "BOOK/_build)")
    parser.add_argument("--site", choices=(*LANGUAGES, LANDING), help="build only this "
                                                                      "site (its toc "
                                                                      "must exist)")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    build = (args.output or book / "_build").resolve()
    if args.site is None:
        return build_all(book, build)
    site = "" if args.site == LANDING else args.site
    return build_site(
        book,
        site,
        build / "tocs" / f"{args.site}.yml",
        build / "html" / site,
        build / ".doctrees" / args.site,
    )


if __name__ == "__main__":
    sys.exit(main())
