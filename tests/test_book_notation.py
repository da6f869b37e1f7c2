"""One symbol, one meaning (shared/COURSE.md, "Notation"; book/notation.yml).

* ``book/notation.yml`` gives each symbol exactly one row, with a meaning in both languages
  and the chapter that introduces it, and no two symbols the same meaning;
* chapter 0's notation table, in each language, shows exactly the rows of notation.yml
  (``python tools/notation_table.py es|en`` prints it);
* every letter the math of a checked chapter uses (Latin, Greek, ``\\mathcal``/``\\mathbf``/
  ``\\mathbb`` letters) appears in a symbol of notation.yml or in the math of a meaning, or is
  a running index: a chapter cannot bring in a letter the table does not declare. (Whether a
  declared letter is used with its declared meaning is for a reader to check.)
The second half of the file checks the checks on doctored tables.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from notation_table import load_symbols, markdown_table  # noqa: E402

BOOK = ROOT / "book"
LANGS = ("es", "en")
#: Chapters whose math is checked letter by letter against notation.yml. The others join when
#: the letters they use without a row (chapter 7's varphi, chapter 8's E, ...) have one.
CHECKED_CHAPTERS = ("00", "01", "02", "03", "04", "05")
#: Running indices (notation.yml's header): never listed, free in every chapter.
INDICES = frozenset("ijklr")
GREEK = ("alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|"
         "mu|nu|xi|pi|varpi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|"
         "Lambda|Xi|Pi|Sigma|Upsilon|Phi|Psi|Omega")
LETTER = re.compile(r"\\(?:mathcal|mathbf|mathbb)\s*\{[A-Za-z0-9]\}|\\(?:%s)(?![A-Za-z])"
                    r"|\\[A-Za-z]+|[A-Za-z]" % GREEK)
WORDS_IN_MATH = re.compile(r"\\(?:text|mathrm|operatorname\*?|begin|end|label|tag)\s*\{[^{}]*\}")
# display math, or inline math that may wrap across lines but not cross a blank line
MATH = re.compile(r"\$\$.*?\$\$|\$(?:[^$\n]|\n(?!\s*\n))+\$", re.S)
CODE_SPAN = re.compile(r"```.*?```|`[^`]*`", re.S)
TABLE_ROW = re.compile(r"^\|\s*\$(?P<symbol>.+?)\$\s*\|\s*(?P<meaning>.+?)\s*\|(?:\s*(?P<chapter>\d+)\s*\|)?\s*$")


def normalise(latex: str) -> str:
    return re.sub(r"\s+", "", latex)


def clashes(symbols: list[dict]) -> list[str]:
    """Every symbol listed twice, every row missing a field, every meaning given twice."""
    found, meanings = [], {}
    seen: dict[str, int] = {}
    for number, entry in enumerate(symbols, start=1):
        missing = [key for key in ("symbol", "en", "es", "chapter") if entry.get(key) in (None, "")]
        if missing:
            found.append(f"row {number}: missing {', '.join(missing)}")
            continue
        key = normalise(entry["symbol"])
        if key in seen:
            found.append(f"${entry['symbol']}$ has two rows ({seen[key]} and {number}): "
                         "one symbol, one meaning")
        seen.setdefault(key, number)
        for lang in LANGS:
            meaning = entry[lang].strip().lower()
            if (lang, meaning) in meanings:
                found.append(f"'{entry[lang]}' is the meaning of both "
                             f"${meanings[lang, meaning]}$ and ${entry['symbol']}$")
            meanings.setdefault((lang, meaning), entry["symbol"])
    return found


def notation_rows(markdown: str) -> list[tuple[str, str]]:
    """(symbol, meaning) for each row of the first table under a Notation heading."""
    section = re.split(r"^##\s+(?:Notation|Notación)\s*$", markdown, maxsplit=1, flags=re.M)
    if len(section) < 2:
        return []
    rows = []
    for line in section[1].splitlines():
        if line.startswith("#"):
            break
        found = TABLE_ROW.match(line.strip())
        if found:
            rows.append((normalise(found["symbol"]), found["meaning"].strip()))
    return rows


def chapter0_differences(lang: str, markdown: str, symbols: list[dict]) -> list[str]:
    shown = notation_rows(markdown)
    wanted = [(normalise(entry["symbol"]), entry[lang].strip()) for entry in symbols]
    lines = [f"chapter 0 lacks: | ${s}$ | {m} |" for s, m in wanted if (s, m) not in shown]
    lines += [f"chapter 0 has, notation.yml has not: | ${s}$ | {m} |"
              for s, m in shown if (s, m) not in wanted]
    return lines


def letters(latex: str) -> set[str]:
    """The letters a piece of LaTeX uses; words in \\text{} and the like, and commands, are not."""
    found = LETTER.findall(WORDS_IN_MATH.sub(" ", latex))
    return {re.sub(r"\s+", "", t) for t in found
            if not t.startswith("\\") or re.match(r"\\(?:math|%s)" % GREEK, t)}


def declared_letters(symbols: list[dict]) -> set[str]:
    """Every letter of a symbol of notation.yml or of the math of a meaning, and the indices."""
    found = set(INDICES)
    for entry in symbols:
        found |= letters(entry["symbol"])
        for lang in LANGS:
            for math in MATH.findall(entry[lang]):
                found |= letters(math)
    return found


def undeclared_letters(markdown: str, declared: set[str]) -> dict[str, str]:
    """Each letter the math of ``markdown`` uses that ``declared`` lacks, with where it is."""
    found: dict[str, str] = {}
    for math in MATH.findall(CODE_SPAN.sub(" ", markdown)):
        for letter in sorted(letters(math) - declared):
            found.setdefault(letter, " ".join(math.split())[:70])
    return found


def chapter_markdown(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    # chapter 0's table is the table itself (checked row for row above)
    return re.sub(r"^\|.*\|\s*$", "", markdown, flags=re.M)


def test_each_symbol_has_one_meaning():
    symbols = load_symbols()
    assert len(symbols) > 40
    assert clashes(symbols) == []


@pytest.mark.parametrize("lang", LANGS)
def test_chapter_0_shows_the_notation_table(lang):
    notebook = nbformat.read(BOOK / lang / "00_welcome.ipynb", as_version=4)
    markdown = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    found = chapter0_differences(lang, markdown, load_symbols())
    assert not found, (f"{lang}/00_welcome: paste `python tools/notation_table.py {lang}` "
                       "under its Notation heading:\n" + "\n".join(found))


@pytest.mark.parametrize("chapter", CHECKED_CHAPTERS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_letter_in_the_math_is_in_the_table(lang, chapter):
    (path,) = (BOOK / lang).glob(f"{chapter}_*.ipynb")
    found = undeclared_letters(chapter_markdown(path), declared_letters(load_symbols()))
    assert not found, (f"{lang}/{path.name} uses letters notation.yml does not declare; use a "
                       "declared symbol or add a row:\n"
                       + "\n".join(f"  {letter}  in  {where}" for letter, where in found.items()))


# --- the checks themselves, on doctored tables ----------------------------------------------

SAMPLE = [
    {"symbol": "c", "en": "centre word", "es": "palabra central", "chapter": 0},
    {"symbol": "s_r", "en": "singular value", "es": "valor singular", "chapter": 0},
]


def test_a_symbol_with_two_meanings_is_caught():
    assert clashes(SAMPLE) == []
    doctored = SAMPLE + [{"symbol": " c", "en": "third analogy word", "es": "tercera palabra", "chapter": 3}]
    assert clashes(doctored) == ["$ c$ has two rows (1 and 3): one symbol, one meaning"]
    synonym = SAMPLE + [{"symbol": "x", "en": "Centre word", "es": "otra", "chapter": 3}]
    assert len(clashes(synonym)) == 1
    assert clashes(SAMPLE + [{"symbol": "y", "en": "", "es": "y", "chapter": 1}]) == ["row 3: missing en"]


def test_chapter_0_must_match_the_table_row_for_row():
    good = "## Notation\n\nText.\n\n" + markdown_table("en", SAMPLE) + "\n\n## Next\n| $z$ | other | 1 |"
    assert chapter0_differences("en", good, SAMPLE) == []
    assert chapter0_differences("es", good.replace("## Notation", "## Notación")
                                .replace("centre word", "palabra central")
                                .replace("singular value", "valor singular"), SAMPLE) == []
    stale = good.replace("| $s_r$ | singular value |", "| $s_r$ | scores |")
    assert chapter0_differences("en", stale, SAMPLE) == [
        "chapter 0 lacks: | $s_r$ | singular value |",
        "chapter 0 has, notation.yml has not: | $s_r$ | scores |"]
    assert len(chapter0_differences("en", "## Notation\n", SAMPLE)) == 2


def test_a_letter_missing_from_the_table_is_caught():
    declared = declared_letters(SAMPLE + [
        {"symbol": "\\mathcal{V}", "en": "vocabulary, $\\lvert\\mathcal{V}\\rvert$ words",
         "es": "vocabulario", "chapter": 0},
        {"symbol": "\\beta", "en": "a shift, $\\beta \\in \\mathbb{R}$", "es": "un desplazamiento",
         "chapter": 5}])
    assert {"c", "s", "\\mathcal{V}", "\\beta", "\\mathbb{R}", "i"} <= declared
    fine = "The cost $\\text{cost per pair} = s_r \\lvert\\mathcal{V}\\rvert$ and $\\beta \\in \\mathbb{R}$."
    assert undeclared_letters(fine, declared) == {}
    assert undeclared_letters("$$\n\\sum_i c_i \\xi\n$$ and $x$ and $\\mathbf{a}$",
                              declared) == {"x": "$x$", "\\xi": "$$ \\sum_i c_i \\xi $$",
                                            "\\mathbf{a}": "$\\mathbf{a}$"}
    assert undeclared_letters("$UV$", declared) == {"U": "$UV$", "V": "$UV$"}
    wrapped = "A sum $\\sum_i\ns_i$ costs `$x$`."
    assert undeclared_letters(wrapped, declared) == {}
