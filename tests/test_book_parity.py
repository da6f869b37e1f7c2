"""Spanish and English chapters are twins: same pages, same code, same outputs.

The rule (book/CONVENTIONS.md):
* every page in book/es has a twin with the same file name in book/en, and vice versa;
* code cells are equal after removing comments and replacing every string literal
  (f-strings included) by a placeholder, so only labels, titles and messages may differ;
* text outputs (streams, ``text/plain``, errors) print the same numbers in the same layout, while
  their words may be in the page's language: each text is compared *masked* (``mask_words``):
  every maximal run of letters, with apostrophes, hyphens and spaces between words allowed
  (``[^\\W\\d_]+(?:[\\s'’-]+[^\\W\\d_]+)*`` on one line), becomes one ``W``; runs of spaces/tabs
  become one space and both ends of every line are stripped (labels of different lengths may
  be padded differently). Consecutive chunks of one stream are joined first: how the kernel
  splits a cell's printout is timing, not content. The masked texts must be equal;
* image outputs: the same number per cell (their labels may differ).
The second half of this file feeds the checker doctored pairs and checks that it objects.
"""

from __future__ import annotations

import copy
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
LANGS = ("es", "en")
PAGE_SUFFIXES = {".md", ".ipynb"}
STRING_PLACEHOLDER = '"…"'
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")

# a run of letters, then more runs joined by blanks (not line breaks), apostrophes or hyphens
WORD_RUN = re.compile(r"[^\W\d_]+(?:(?:[^\S\r\n]|['’-])+[^\W\d_]+)*")
BLANKS = re.compile(r"[ \t]+")
# a round-off error printed by a visible check ("max |A − B| = 4.0e-15", or 0.0e+00): its digits
# depend on the order of the sums, which differs between the twins (their vocabularies order
# equally frequent words differently) and between machines; nbval_sanitize.cfg masks the same
ROUND_OFF = re.compile(r"(?<![\w.])[-+]?\d(?:\.\d+)?e(?:-(?:1\d|[2-9]\d|\d{3})|[-+]00)\b")

_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python >= 3.12 splits f-strings
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def normalize_code(source: str) -> str:
    """The code with comments dropped and string literals replaced, one token per space."""
    tokens = []
    fstring_depth = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if _FSTRING_START is not None and token.type == _FSTRING_START:
            if fstring_depth == 0:
                tokens.append(STRING_PLACEHOLDER)
            fstring_depth += 1
        elif _FSTRING_END is not None and token.type == _FSTRING_END:
            fstring_depth -= 1
        elif fstring_depth:
            continue
        elif token.type == tokenize.STRING:
            tokens.append(STRING_PLACEHOLDER)
        elif token.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        elif token.type == tokenize.NEWLINE:
            tokens.append("\n")
        elif token.type in (tokenize.INDENT, tokenize.DEDENT):
            tokens.append(tokenize.tok_name[token.type])
        else:
            tokens.append(token.string)
    return " ".join(tokens)


def mask_words(text: str) -> str:
    """``text`` with every run of words (letters; apostrophes, hyphens and blanks between words,
    on one line) replaced by ``W`` (a round-off error too, see ROUND_OFF), runs of spaces/tabs collapsed and both ends of each line
    stripped: what twin outputs must share (numbers, punctuation, layout)."""
    masked = WORD_RUN.sub("W", ROUND_OFF.sub("ROUNDOFF", text))
    return "\n".join(BLANKS.sub(" ", line).strip() for line in masked.split("\n"))


def _join_streams(outputs) -> list:
    """``outputs`` with consecutive chunks of the same stream joined into one."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output["output_type"] == "stream"
            and previous is not None
            and previous["output_type"] == "stream"
            and previous["name"] == output["name"]
        ):
            joined[-1] = {**previous, "text": previous["text"] + output["text"]}
        else:
            joined.append(output)
    return joined


def _text_outputs(cell) -> list:
    texts = []
    for output in _join_streams(cell.get("outputs", [])):
        kind = output["output_type"]
        if kind == "stream":
            texts.append((output["name"], mask_words(output["text"])))
        elif kind == "error":
            texts.append(("error", output["ename"], mask_words(output["evalue"])))
        elif "text/plain" in output.get("data", {}):
            texts.append(("text/plain", mask_words(output["data"]["text/plain"])))
    return texts


def _image_count(cell) -> int:
    return sum(
        any(kind in output.get("data", {}) for kind in IMAGE_TYPES) for output in cell.get("outputs", [])
    )


def compare_notebooks(es_nb, en_nb) -> list[str]:
    """Every way in which two notebooks are not twins, as readable messages (empty if twins)."""
    es_cells = [cell for cell in es_nb.cells if cell.cell_type == "code"]
    en_cells = [cell for cell in en_nb.cells if cell.cell_type == "code"]
    if len(es_cells) != len(en_cells):
        return [f"different number of code cells: es {len(es_cells)}, en {len(en_cells)}"]
    problems = []
    for number, (es_cell, en_cell) in enumerate(zip(es_cells, en_cells), start=1):
        where = f"code cell {number}"
        if normalize_code(es_cell.source) != normalize_code(en_cell.source):
            problems.append(
                f"{where}: code differs beyond strings and comments\n--- es\n{es_cell.source}\n--- en\n{en_cell.source}"
            )
        if _text_outputs(es_cell) != _text_outputs(en_cell):
            problems.append(
                f"{where}: text outputs differ\n--- es\n{_text_outputs(es_cell)}\n--- en\n{_text_outputs(en_cell)}"
            )
        if _image_count(es_cell) != _image_count(en_cell):
            problems.append(f"{where}: {_image_count(es_cell)} image(s) in es, {_image_count(en_cell)} in en")
    return problems


def pages(book: Path, lang: str) -> set[str]:
    folder = book / lang
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.suffix in PAGE_SUFFIXES and ".ipynb_checkpoints" not in path.parts
    }


def unpaired_pages(book: Path) -> list[str]:
    es, en = pages(book, "es"), pages(book, "en")
    return [f"es/{name} has no en/{name}" for name in sorted(es - en)] + [
        f"en/{name} has no es/{name}" for name in sorted(en - es)
    ]


NOTEBOOK_PAIRS = sorted(name for name in pages(BOOK, "es") & pages(BOOK, "en") if name.endswith(".ipynb"))


def test_the_book_has_chapters_in_both_languages():
    assert "00_welcome.ipynb" in pages(BOOK, "es") or "00_welcome.md" in pages(BOOK, "es")


def test_every_page_has_a_twin():
    assert unpaired_pages(BOOK) == []


@pytest.mark.parametrize("name", NOTEBOOK_PAIRS)
def test_twin_notebooks_have_same_code_and_outputs(name):
    es_nb = nbformat.read(BOOK / "es" / name, as_version=4)
    en_nb = nbformat.read(BOOK / "en" / name, as_version=4)
    problems = compare_notebooks(es_nb, en_nb)
    assert not problems, f"es/{name} and en/{name} are not twins:\n" + "\n\n".join(problems)


# --- the checker itself: doctored pairs must be caught ------------------------------------


@pytest.fixture
def welcome_pair():
    return (
        nbformat.read(BOOK / "es" / "00_welcome.ipynb", as_version=4),
        nbformat.read(BOOK / "en" / "00_welcome.ipynb", as_version=4),
    )


def _first_code_cell_with(nb, key):
    return next(cell for cell in nb.cells if cell.cell_type == "code" and any(key(o) for o in cell.outputs))


def test_checker_accepts_the_real_pair(welcome_pair):
    assert compare_notebooks(*welcome_pair) == []


def test_checker_catches_changed_code(welcome_pair):
    es_nb, en_nb = welcome_pair
    doctored = copy.deepcopy(en_nb)
    cell = next(cell for cell in doctored.cells if "default_rng(seed=0)" in cell.source)
    cell.source = cell.source.replace("seed=0", "seed=1")
    problems = compare_notebooks(es_nb, doctored)
    assert len(problems) == 1 and "code differs" in problems[0]


def test_checker_catches_changed_stream_output(welcome_pair):
    es_nb, en_nb = welcome_pair
    doctored = copy.deepcopy(es_nb)
    cell = _first_code_cell_with(doctored, lambda o: o["output_type"] == "stream")
    stream = next(o for o in cell.outputs if o["output_type"] == "stream")
    stream["text"] = stream["text"].replace("5", "6", 1)
    problems = compare_notebooks(doctored, en_nb)
    assert len(problems) == 1 and "text outputs differ" in problems[0]


def _stream(nb):
    cell = _first_code_cell_with(nb, lambda o: o["output_type"] == "stream")
    return next(o for o in cell.outputs if o["output_type"] == "stream")


def _stream_with_words(nb):
    return next(o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
                if o["output_type"] == "stream" and WORD_RUN.search(o["text"]))


def test_checker_accepts_changed_words_but_not_an_extra_line(welcome_pair):
    es_nb, en_nb = welcome_pair
    worded = copy.deepcopy(es_nb)
    stream = _stream_with_words(worded)
    stream["text"] = WORD_RUN.sub("otras palabras más largas", stream["text"])
    assert compare_notebooks(worded, en_nb) == []
    extra = copy.deepcopy(es_nb)
    _stream(extra)["text"] += "una línea más\n"
    problems = compare_notebooks(extra, en_nb)
    assert len(problems) == 1 and "text outputs differ" in problems[0]


def test_masking_keeps_numbers_punctuation_and_layout():
    assert mask_words("similitud coseno (Ana, Carmen): +0.873\n") == "W (W, W): +0.873\n"
    assert mask_words("cosine similarity (Ana, Carmen): +0.873\n") == "W (W, W): +0.873\n"
    assert mask_words("it's a well-known  word\tcount: 12") == "W: 12"
    assert mask_words("x1 = 3e-05, n_words 4") == "W1 = 3W-05, W_W 4"
    assert mask_words("l'été — d’accord") == "W — W"
    assert mask_words("dog  the\nthe cat") == "W\nW"  # a word run never spans two lines
    assert mask_words("  kept: 0.25\ndropped: 0.5 ") == "W: 0.25\nW: 0.5"


def test_split_stream_chunks_compare_as_one():
    chunked = {"outputs": [
        {"output_type": "stream", "name": "stdout", "text": "total: "},
        {"output_type": "stream", "name": "stdout", "text": "12\n"},
    ]}
    whole = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "suma: 12\n"}]}
    assert _text_outputs(chunked) == _text_outputs(whole)
    whole["outputs"][0]["text"] = "suma: 13\n"
    assert _text_outputs(chunked) != _text_outputs(whole)
    assert mask_words("12 perros") != mask_words("13 dogs")
    assert mask_words("a: 1, b: 2") != mask_words("a: 1; b: 2")
    assert mask_words("0.500 0.25") != mask_words("0.500  0.25  0.1")


def test_checker_catches_missing_image(welcome_pair):
    es_nb, en_nb = welcome_pair
    doctored = copy.deepcopy(en_nb)
    cell = _first_code_cell_with(doctored, lambda o: "image/png" in o.get("data", {}))
    cell.outputs = [o for o in cell.outputs if "image/png" not in o.get("data", {})]
    problems = compare_notebooks(es_nb, doctored)
    assert any("1 image(s) in es, 0 in en" in p for p in problems)


def test_checker_catches_extra_code_cell(welcome_pair):
    es_nb, en_nb = welcome_pair
    doctored = copy.deepcopy(en_nb)
    doctored.cells.append(nbformat.v4.new_code_cell("print(1)"))
    assert "different number of code cells" in compare_notebooks(es_nb, doctored)[0]


def test_strings_and_comments_may_differ_but_names_may_not():
    spanish = 'ax.set_title("Puntuaciones")  # título\nlabel = f"hola {x:.2f}"\n'
    english = 'ax.set_title("Scores")  # title\nlabel = f"hello {x:.2f}"\n'
    assert normalize_code(spanish) == normalize_code(english)
    assert normalize_code("x = 1\n") != normalize_code("y = 1\n")
    assert normalize_code("if a:\n    b()\n") != normalize_code("if a:\n    pass\nb()\n")


def test_a_chapter_in_one_language_only_is_caught(tmp_path):
    for lang in LANGS:
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "00_welcome.md").write_text("# x\n", encoding="utf-8")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "es" / "03_analogies.ipynb")
    assert unpaired_pages(tmp_path) == ["es/03_analogies.ipynb has no en/03_analogies.ipynb"]


def test_round_off_errors_compare_equal_and_real_differences_do_not():
    assert mask_words("max |U V − M| = 4.0e-15") == mask_words("max |U V − M| = 6.2e-16")
    assert mask_words("gap = 0.0e+00") == mask_words("gap = 1.1e-16")
    assert mask_words("error = 3.0e-05") != mask_words("error = 4.0e-05")  # not round-off
    assert mask_words("1.3e+07 times") != mask_words("1.3e+08 times")
