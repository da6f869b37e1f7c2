"""The Bible in Spanish and in English: the book's real Spanish corpus, and a parallel
one.

Data
    Two public-domain translations, shipped with w2vlib as compressed package data
    (``w2vlib/data``), exported from Debian's SWORD modules by
    ``tools/extract_bible.py`` (which also explains how the markup was cleaned):

    * **Reina-Valera 1909** (Spanish): SWORD module ``spaRV1909eb`` 2.60, Debian package
      ``sword-text-sparv`` 2.60-1; 31,084 verses.
    * **World English Bible** (English, 2020 stable text): SWORD module ``engWEB2015eb``
      426.0, Debian package ``sword-text-web`` 426.0-1; 31,095 verses.

    Both are the 66 books of the Protestant canon, one line a verse (an OSIS reference
    such as ``Gen.1.1``, a tab, the verse text with its capitals and punctuation).
    Versions, licence texts, the command and checksums are in
    ``w2vlib/data/bible_PROVENANCE.txt``. The texts are the modules' own apart from
    markup and the spaces the modules had lost (see the script). eBible.org, which keeps
    the WEB, asks that a *changed* text not be called the World English Bible; the
    tokenised sentences below are such a changed form.

Tokenizer (:func:`tokenize_bible`)
    Lower-cases, then keeps runs of letters (any Unicode letter: ``á é í ó ú ü ñ`` and
    the RV 1909's circumflexed names such as ``Achâb`` stay as written, and so do its
    archaic accents, ``fué``, ``dió`` and the preposition ``á``). A single hyphen or
    apostrophe (``'`` or ``’``, read as ``'``) between letters is part of the word:
    ``beer-seba``, ``god's``, ``don't``. Everything else separates words and is dropped:
    ``¿ ¡ « » “ ” ‘``, dashes, punctuation, and digits (there are no numerals in either
    text; a number written in digits would be dropped). An apostrophe at the edge of a
    word is a quotation mark or a plural possessive and is dropped (``fathers’`` ->
    ``fathers``). Unlike :func:`w2vlib.corpora.tokenize` there is no list of elided
    Early Modern English words. The text is put in Unicode NFC first, so a decomposed
    accent is the same letter.

Sentences
    **One sentence = one verse.** The verse is the unit both translations share, so the
    Spanish and English corpora, and the pairs of :func:`parallel_verses`, are cut the
    same way. Verses are short (22.6 Spanish tokens on average), and the RV 1909 joins
    clauses with ``:`` and ``;`` far more than with ``.``, so cutting at ``. ! ?`` would
    change little.

    Measured: Reina-Valera 31,084 verses, **703,634 tokens**, 28,143 distinct (longest
    verse 111 tokens); World English Bible 31,095 verses, **750,204 tokens**, 12,736
    distinct. Decompressing and tokenising takes one to two seconds a language, so
    results are cached per process; each call returns new lists.

Verse alignment (:func:`parallel_verses`)
    Pairs are matched by reference. The RV 1909 module declares the KJV verse numbering
    (the WEB module the NRSVA one), but in places it
    keeps the Spanish numbering: its Jonah 2:1 is the English Jonah 1:17 and each later
    verse of Jonah 2 is one ahead, its Numbers 13:1 is the English 12:16; the KJV verse
    left over (Jonah 1:17) is empty, and the extra Spanish verse at the end of the
    chapter is merged into the last one. In these modules every such place shows up as a
    chapter whose *last* verse one module lacks (18 empty RV verses, and Romans
    16:25-27, which the WEB module does not have). Rule: **such a chapter and the next
    one in the book are left out whole** (:func:`misaligned_chapters`, 24 chapters);
    elsewhere a verse only one module has is left out alone (Luke 17:36, Acts 8:37,
    15:34 and 24:7, which the WEB leaves empty as later additions to the text). That
    keeps **30,485 pairs**; 599 Spanish and 610 English verses are left out. The rule is
    coarse on purpose (the chapter before a shift is usually still aligned). A test
    compares verse lengths: no kept chapter fits better when shifted by a verse, while
    pairing every common reference naively gives seven chapters that do (Numbers 13 and
    30, 1 Samuel 24, 2 Chronicles 33, Job 39, Hosea 12, Jonah 2), all of them left out
    here.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from importlib import resources

__all__ = [
    "tokenize_bible",
    "bible_verses",
    "reina_valera_sentences",
    "world_english_bible_sentences",
    "parallel_verses",
    "misaligned_chapters",
]

#: Data file of each language (in ``w2vlib/data``).
BIBLE_FILES = {"es": "bible_rv1909_es.tsv.gz", "en": "bible_web_en.tsv.gz"}

_LETTERS = r"[^\W\d_]+"
_WORD = re.compile(rf"{_LETTERS}(?:['\-]{_LETTERS})*")


def tokenize_bible(text: str) -> list[str]:
    """Split a verse into lower-case word tokens (rules in the module docstring).

    >>> tokenize_bible("¿Quién es éste? ¡OH Jehová! y fué la luz, á Beer-seba.")
    ['quién', 'es', 'éste', 'oh', 'jehová', 'y', 'fué', 'la', 'luz', 'á', 'beer-seba']
    >>> tokenize_bible("“Don’t fear,” said the LORD to his fathers’ house—")
    ["don't", 'fear', 'said', 'the', 'lord', 'to', 'his', 'fathers', 'house']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize_bible expects a str, got {type(text).__name__}: "
                        f"{text!r:.60}")
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")
    return _WORD.findall(text)


def _language(language: str) -> str:
    if language not in BIBLE_FILES:
        raise ValueError(
            f"unknown language {language!r}; choose 'es' (Reina-Valera 1909) or 'en' "
            "(World English Bible)"
        )
    return language


@functools.lru_cache(maxsize=2)
def _verses(language: str) -> tuple[tuple[str, str], ...]:
    data = resources.files("w2vlib").joinpath("data", BIBLE_FILES[language])
    try:
        raw = data.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"w2vlib's Bible data {BIBLE_FILES[language]} is missing from {data}; "
            "reinstall w2vlib, or regenerate the data with tools/extract_bible.py"
        ) from None
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return tuple(tuple(line.split("\t", 1)) for line in lines)


def bible_verses(language: str) -> list[tuple[str, str]]:
    """``(reference, text)`` of every verse, in canonical order, as the module has it.

    ``language`` is ``"es"`` (Reina-Valera 1909, 31,084 verses) or ``"en"`` (World
    English Bible, 31,095 verses). References are OSIS: ``"Gen.1.1"``, ``"1Sam.3.10"``.
    The text keeps capitals and punctuation. Raises ``ValueError`` for another language.
    """
    return list(_verses(_language(language)))


@functools.lru_cache(maxsize=2)
def _tokenised(language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (reference, tuple(tokenize_bible(text)))
        for reference, text in _verses(language)
    )


def _sentences(language: str) -> list[list[str]]:
    return [list(tokens) for _, tokens in _tokenised(language) if tokens]


def reina_valera_sentences() -> list[list[str]]:
    """The Reina-Valera 1909 Bible (Spanish), one tokenised verse per sentence.

    31,084 sentences, 703,634 tokens (28,143 distinct), lower-case, with accents, ``ñ``,
    ``ü`` and the 1909 spelling (``fué``, ``á``) as written. Every call returns a new
    list.
    """
    return _sentences("es")


def world_english_bible_sentences() -> list[list[str]]:
    """The World English Bible (English), one tokenised verse per sentence.

    31,095 sentences, 750,204 tokens (12,736 distinct), lower-case (``LORD`` ->
    ``lord``), with internal apostrophes and hyphens kept (``god's``). Every call
    returns a new list.
    """
    return _sentences("en")


def _chapters(references):
    """Verse numbers of each ``(book, chapter)``, in order of first appearance."""
    chapters: dict[tuple[str, int], set[int]] = {}
    for reference in references:
        book, chapter, verse = reference.split(".")
        chapters.setdefault((book, int(chapter)), set()).add(int(verse))
    return chapters


@functools.lru_cache(maxsize=1)
def _misaligned() -> tuple[tuple[str, int], ...]:
    spanish = _chapters(reference for reference, _ in _verses("es"))
    english = _chapters(reference for reference, _ in _verses("en"))
    chapters = list(dict.fromkeys([*spanish, *english]))
    misaligned = set()
    for book, chapter in chapters:
        es, en = (
            spanish.get((book, chapter), set()),
            english.get((book, chapter), set()),
        )
        # One module lacks the chapter's last verse: the other numbering moved or merged
        # verses at the chapter boundary, so this chapter and the next may be shifted.
        if max(es | en) not in es & en:
            misaligned |= {(book, chapter), (book, chapter + 1)}
    return tuple(key for key in chapters if key in misaligned)


def misaligned_chapters() -> list[tuple[str, int]]:
    """``(book, chapter)`` of the chapters :func:`parallel_verses` leaves out, in order.

    A chapter is left out when one translation lacks its last verse, and so is the
    chapter after it (see the module docstring): e.g. ``("Jonah", 1)`` and ``("Jonah",
    2)``, whose Spanish verse 2:1 is the English 1:17.
    """
    return list(_misaligned())


@functools.lru_cache(maxsize=1)
def _parallel() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    english = dict(_tokenised("en"))
    dropped = set(_misaligned())
    pairs = []
    for reference, es_tokens in _tokenised("es"):
        book, chapter, _ = reference.split(".")
        en_tokens = english.get(reference)
        if en_tokens and es_tokens and (book, int(chapter)) not in dropped:
            pairs.append((reference, es_tokens, en_tokens))
    return tuple(pairs)


def parallel_verses() -> list[tuple[str, list[str], list[str]]]:
    """Verse-aligned pairs ``(reference, spanish_tokens, english_tokens)``, in canonical
    order.

    30,485 pairs: the verses both translations have, outside the 24 chapters of
    :func:`misaligned_chapters` where the Spanish numbering may be shifted (599 Spanish
    and 610 English verses left out; see the module docstring). Tokens as in
    :func:`reina_valera_sentences` and :func:`world_english_bible_sentences`. Every call
    returns new lists.

    >>> reference, es, en = parallel_verses()[0]
    >>> reference, es[:4], en[:4]
    ('Gen.1.1', ['en', 'el', 'principio', 'crió'], ['in', 'the', 'beginning', 'god'])
    """
    return [(reference, list(es), list(en)) for reference, es, en in _parallel()]
