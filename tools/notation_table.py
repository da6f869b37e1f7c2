"""Print the book's notation table (book/notation.yml) as chapter 0's markdown table.

    python tools/notation_table.py es   # the table for es/00_welcome.ipynb
    python tools/notation_table.py en

tests/test_book_notation.py checks that chapter 0 shows exactly these rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

NOTATION = Path(__file__).resolve().parents[1] / "book" / "notation.yml"
HEADER = {
    "es": ("símbolo", "significado", "capítulo"),
    "en": ("symbol", "meaning", "chapter"),
}


def load_symbols(path: Path = NOTATION) -> list[dict]:
    """The rows of notation.yml, each a dict with symbol, en, es and chapter."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["symbols"]


def markdown_table(lang: str, symbols: list[dict] | None = None) -> str:
    """Chapter 0's notation table in ``lang`` ("es" or "en"), one row per symbol."""
    if lang not in HEADER:
        raise ValueError(f"lang must be 'es' or 'en', got {lang!r}")
    rows = [f"| {' | '.join(HEADER[lang])} |", "|---|---|---:|"]
    for entry in symbols if symbols is not None else load_symbols():
        rows.append(f"| ${entry['symbol']}$ | {entry[lang]} | {entry['chapter']} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table(sys.argv[1] if len(sys.argv) > 1 else "en"))
