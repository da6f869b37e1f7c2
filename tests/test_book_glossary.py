"""The ES <-> EN glossary: its machine-readable copy parses, the page shows every term, and
Spanish pages do not use the variants the glossary decided against (whole-word matches only)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

BOOK = Path(__file__).resolve().parents[1] / "book"
TERMS = yaml.safe_load((BOOK / "glossary.yml").read_text(encoding="utf-8"))["terms"]
ALLOWED_FIELDS = {"en", "es", "note_es", "note_en", "avoid_es"}


def spanish_prose(path: Path) -> str:
    """The text a Spanish reader sees on a page: markdown cells only, for notebooks."""
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def avoided_variants_in(text: str) -> list[str]:
    found = []
    for term in TERMS:
        for variant in term.get("avoid_es", []):
            if re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text, flags=re.IGNORECASE):
                found.append(f"{variant!r} (use {term['es']!r})")
    return found


def test_glossary_entries_are_well_formed():
    assert len(TERMS) >= 12
    for term in TERMS:
        assert {"en", "es"} <= set(term) <= ALLOWED_FIELDS, term
        assert all(isinstance(term[key], str) and term[key].strip() for key in ("en", "es")), term
        assert isinstance(term.get("avoid_es", []), list), term
    english = [term["en"].lower() for term in TERMS]
    assert len(english) == len(set(english)), "an English term is listed twice"


@pytest.mark.parametrize(
    "required", ["embedding", "negative sampling", "skip-gram", "subsampling", "window", "centre word",
                 "context word", "one-hot vector", "co-occurrence", "softmax", "gradient", "loss", "learning rate"]
)
def test_glossary_covers_the_core_terms(required):
    assert required in {term["en"] for term in TERMS}


def test_every_term_is_on_the_glossary_page():
    page = (BOOK / "glossary.md").read_text(encoding="utf-8")
    rows = {tuple(cell.strip() for cell in line.strip("|").split("|")[:2]) for line in page.splitlines() if line.startswith("|")}
    missing = [term for term in TERMS if (term["es"], term["en"]) not in rows]
    assert not missing, f"glossary.md lacks the rows for: {missing}"


SPANISH_PAGES = sorted(p for p in (BOOK / "es").rglob("*") if p.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("page", SPANISH_PAGES, ids=lambda p: p.name)
def test_spanish_pages_use_the_glossary_terms(page):
    assert avoided_variants_in(spanish_prose(page)) == []


def test_the_variant_check_can_fail():
    assert avoided_variants_in("La Tasa de aprendizaje, no la ratio de aprendizaje.") == [
        "'ratio de aprendizaje' (use 'tasa de aprendizaje')"
    ]
    assert avoided_variants_in("El submuestreo de palabras frecuentes.") == []
