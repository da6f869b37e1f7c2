"""One symbol, one meaning (shared/COURSE.md, "Notation"; book/notation.yml).

* ``book/notation.yml`` gives each symbol exactly one row, with a meaning in both languages
  and the chapter that introduces it, and no two symbols the same meaning;
* chapter 0's notation table, in each language, shows exactly the rows of notation.yml
  (``python tools/notation_table.py es|en`` prints it).
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
