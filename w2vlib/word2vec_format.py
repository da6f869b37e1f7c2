"""The word2vec vector files, text and binary, and the Embedding Projector's TSV files.

* Text: a header line ``"<count> <dim>"``, then one line per word, ``"word v1 v2 ...
  vn"``. GloVe's files are the same without the header (``no_header=True`` /
  ``write_header=False``, as gensim's arguments).
* Binary: the same header, then per word its UTF-8 bytes, a space, n little-endian
  float32 values and a newline, as word2vec.c and gensim write it.

Files ending in ``.gz``, ``.bz2`` or ``.xz`` are compressed, as gensim writes them, and
compressed files are read whatever their name (:mod:`w2vlib.files`). A UTF-8 byte-order
mark before the first line is skipped. Every error names the file, the line (text) or
entry (binary) and the fix. :class:`w2vlib.KeyedVectors` reads and writes through this
module (``load_word2vec_format``, ``save_word2vec_format``, ``save_projector_tsv``).
"""
import warnings
from pathlib import Path

import numpy as np

from .files import bom_length, open_compressed, write_atomically
from .validation import check_choice, check_int

__all__ = ["read_word2vec_format", "write_word2vec_format", "write_projector_tsv"]

# Characters a word cannot hold because the readers split on them: the text reader
# splits lines at "\n" and words at " "; the binary reader ends a word at " " and skips
# the "\n"s before it (those that end the previous vector). The projector's TSV splits
# at any of its.
_TEXT_SEPARATORS = (" ", "\n")
_BINARY_SEPARATORS = (" ",)
_BINARY_LEADING = ("\n",)
_TSV_SEPARATORS = ("\t", "\n", "\r")
_UNICODE_ERRORS = ("strict", "ignore", "replace")
_CHUNK_BYTES = 1 << 20  # the binary reader reads this much at a time


# --- writing --------------------------------------------------------------------------

def write_word2vec_format(path, words, vectors, binary=False, write_header=True):
    """Write ``vectors`` (|V|, n), row i the vector of ``words[i]``, replacing ``path``.

    Text values are written with ``repr`` so float64 round-trips exactly; binary ones as
    float32 (the format stores single precision). Every file the reader accepts saves
    back in its own format and reloads identically. Refused (``ValueError`` naming the
    word) are only the words the reader would split or strip: a word with a space; in
    the text format one with a newline; in the binary format one starting with a
    newline. Other whitespace (a tab, say) is written as it is, as gensim does;
    word2vec.c's tools also end a word only at a space. ``write_header=False`` writes
    GloVe's headerless text format (a binary file without its header could not be read
    back, so it is refused).
    """
    if binary:
        if not write_header:
            raise ValueError(
                "a binary word2vec file cannot be read back without its header; pass "
                "write_header=True, or binary=False for a headerless (GloVe) text file"
            )
        _check_words_for(
            words, "binary word2vec files", _BINARY_SEPARATORS, _BINARY_LEADING
        )
    else:
        _check_words_for(words, "word2vec text files", _TEXT_SEPARATORS)
    header = f"{vectors.shape[0]} {vectors.shape[1]}\n".encode("utf-8")

    def write(file):
        if write_header:
            file.write(header)
        # Row by row: the whole matrix as Python floats (vectors.tolist()) would
        # hold 32 bytes a value, 90 MB for 27,786 vectors of size 100.
        if binary:
            for word, row in zip(words, vectors):
                file.write(word.encode("utf-8") + b" " + row.astype("<f4").tobytes()
                           + b"\n")
        else:
            for word, row in zip(words, vectors):
                file.write(f"{word} {' '.join(map(repr, row.tolist()))}\n"
                           .encode("utf-8"))

    write_atomically(path, write)


def write_projector_tsv(vectors_path, metadata_path, words, vectors):
    """Write the two files the TensorFlow Embedding Projector loads.

    ``vectors_path``: one row per word, values separated by tabs, no header.
    ``metadata_path``: one word per line, no header (a single-column file has none),
    in the same order. Both are written atomically.
    """
    _check_words_for(words, "the projector's TSV files", _TSV_SEPARATORS)

    def write_vectors(file):
        for row in vectors:
            file.write(("\t".join(map(repr, row.tolist())) + "\n").encode("utf-8"))

    def write_metadata(file):
        file.write("".join(word + "\n" for word in words).encode("utf-8"))

    write_atomically(vectors_path, write_vectors)
    write_atomically(metadata_path, write_metadata)


def _check_words_for(words, where, separators, leading=()):
    """ValueError for the first word holding one of ``separators`` or starting with one
    of ``leading``, which the readers of ``where`` would split or strip."""
    for index, word in enumerate(words):
        problems = [f"contains {s!r}" for s in separators if s in word]
        problems += [f"starts with {s!r}" for s in leading if word.startswith(s)]
        if problems:
            raise ValueError(
                f"word {word!r} (index {index}) {problems[0]}, which {where} cannot "
                "hold (their readers split or strip it), so it could not be read back; "
                "replace it (e.g. by '_') in index_to_key before saving"
            )
        try:
            word.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(
                f"word {word!r} (index {index}) has the unpaired surrogate "
                f"{word[error.start]!r}, which UTF-8 cannot encode; replace it in "
                "index_to_key before saving"
            ) from None


# --- reading --------------------------------------------------------------------------

def read_word2vec_format(path, binary=False, unicode_errors="strict", limit=None,
                         no_header=False):
    """The words and vectors of a word2vec text or binary file.

    Parameters
    ----------
    path : str or Path
    binary : bool
        The format. Given the wrong one, the error says which format the file is in.
    unicode_errors : {"strict", "ignore", "replace"}
        What to do with a word whose bytes are not UTF-8, as gensim's argument of the
        same name (the ``errors`` of ``bytes.decode``). word2vec.c keeps only the first
        98 bytes of a longer word (``ReadWord``, with ``MAX_STRING`` 100), which can cut
        a character in two; gensim's documentation names this case. If two words become
        equal once decoded, the first is kept and the later ones dropped with a warning,
        as in gensim.
    limit : int >= 1, optional
        Read only the first ``limit`` vectors; the rest of the file is not read.
    no_header : bool
        The text file has no ``"<count> <dim>"`` line (GloVe's files): every line is a
        word and its values, and the dimension is that of the first line (as gensim).

    Returns
    -------
    words : list of str
    vectors : list of |V| arrays (n,), float64 (text) or float32 (binary)

    Raises
    ------
    ValueError
        Quoting the line (text) or entry (binary) and the fix, if the header is not
        ``"<count> <dim>"``, a row has the wrong number of values, the file has fewer or
        more rows than the header says, a word repeats, bytes are not UTF-8 (with
        ``unicode_errors="strict"``), the file is in the other format or in a
        compression w2vlib cannot read; also for a bad ``unicode_errors`` or ``limit``.
    """
    check_choice("unicode_errors", unicode_errors, _UNICODE_ERRORS)
    check_int("limit", limit, none="read every vector")
    if binary and no_header:
        raise ValueError(
            "binary word2vec files always have a header; no_header=True is for "
            "headerless text files such as GloVe's (gensim refuses it for binary files "
            "too)"
        )
    path = Path(path)
    try:
        words, vectors, repeats = _read(path, binary, unicode_errors, limit, no_header)
    except ValueError:
        if no_header or not _is_word2vec_file(path, binary=not binary):
            raise
        found, fix = (
            ("text", "pass binary=False") if binary else ("binary", "pass binary=True")
        )
        raise ValueError(
            f"{path} is in the {found} word2vec format, not the "
            f"{'binary' if binary else 'text'} one; {fix}"
        ) from None
    if repeats:
        shown = "; ".join(f"{word!r} of {place} (as {first})"
                          for word, place, first in repeats[:3])
        warnings.warn(
            f"{path}: {len(repeats)} word(s) equal an earlier word once decoded with "
            f"unicode_errors={unicode_errors!r} and were dropped, keeping the first, "
            f"as gensim does: {shown}",
            stacklevel=3,
        )
    return words, vectors


def _read(path, binary, unicode_errors, limit, no_header):
    """(words, vectors, repeats) of the first ``limit`` (or all) rows of a word2vec
    file.

    ``repeats``: (word, where, where first) of each word dropped as a repeat, which only
    ``unicode_errors`` other than "strict" can produce (with "strict" a repeat raises).
    """
    with open_compressed(path) as file:
        if no_header:
            return _read_text_rows(path, file, limit, None, None, unicode_errors)
        header = file.readline()
        if not header.strip() and not file.read().strip():
            raise ValueError(
                f"{path} is empty; a word2vec file starts with the header line "
                "'<count> <dim>'"
            )
        count, dim = _parse_header(path, header[bom_length(header):])
        rows = count if limit is None else min(count, limit)
        if binary:
            return _read_binary_rows(path, file, len(header), rows, count, dim,
                                     unicode_errors)
        return _read_text_rows(path, file, rows, count, dim, unicode_errors)


def _is_word2vec_file(path, binary):
    """Whether the whole of ``path`` reads as a word2vec file in the given format."""
    try:
        _read(path, binary, "replace", None, False)
    except ValueError:
        return False
    return True


def _decode(path, raw, where, unicode_errors):
    try:
        return raw.decode("utf-8", errors=unicode_errors)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path}, {where}: byte {raw[error.start]:#04x} at position {error.start} "
            "is not valid UTF-8; if the word was cut inside a character (word2vec.c "
            "keeps the first 98 bytes of longer words), pass unicode_errors='ignore' "
            "or 'replace'; if the file is in another encoding, re-encode it as UTF-8 "
            "(e.g. `iconv -f latin1 -t utf-8`)"
        ) from None


def _parse_header(path, raw_header):
    header = raw_header.decode("utf-8", errors="replace").strip()
    parts = header.split()
    if len(parts) != 2 or not all(_is_positive_integer(part) for part in parts):
        shown = header if len(header) <= 60 else header[:60] + "..."
        raise ValueError(
            f"{path}, line 1: expected the header '<count> <dim>' (two positive "
            f"integers, e.g. '1000 100'), got {shown!r}; for a file without a header "
            "(e.g. GloVe's) pass no_header=True"
        )
    return int(parts[0]), int(parts[1])


def _is_positive_integer(text):
    return text.isascii() and text.isdigit() and int(text) > 0


class _Rows:
    """Words and vectors read so far. A repeated word is an error in the file, unless
    ``unicode_errors`` other than "strict" made two different words equal: then, as in
    gensim, the first is kept and the repeat is dropped and listed in ``repeats``."""

    def __init__(self, path, unicode_errors):
        self.path, self.strict = path, unicode_errors == "strict"
        self.words, self.vectors, self.where_first, self.repeats = [], [], {}, []

    def add(self, word, vector, where):
        if word not in self.where_first:
            self.where_first[word] = where
            self.words.append(word)
            self.vectors.append(vector)
        elif self.strict:
            raise ValueError(
                f"{self.path}, {where}: word {word!r} already appeared at "
                f"{self.where_first[word]}; each word must appear once"
            )
        else:
            self.repeats.append((word, where, self.where_first[word]))

    def result(self):
        return self.words, self.vectors, self.repeats


def _read_text_rows(path, file, rows, count, dim, unicode_errors):
    """Rows of a text file, after its header; ``count`` None: no header, read to the end
    (or ``rows``), the dimension ``dim`` is that of the first line."""
    # rows are collected in lists, not preallocated, so a wrong huge count in the header
    # gives the "truncated" error below instead of a MemoryError
    found = _Rows(path, unicode_errors)
    first_line = 1 if count is None else 2
    row = 0
    for line_number, line in enumerate(file, start=first_line):
        if not line.strip() and not any(rest.strip() for rest in file):
            break  # blank lines at the end of the file
        if row == rows:
            if count is not None and rows == count:
                raise ValueError(
                    f"{path}, line {line_number}: the header promises {count} vectors "
                    "but there are more rows; set the count in the header to the "
                    "number of rows"
                )
            break  # `limit` rows read
        if line_number == 1:
            line = line[bom_length(line):]
        text = _decode(path, line, f"line {line_number}", unicode_errors)
        parts = [part for part in text.rstrip("\r\n").split(" ") if part]
        if dim is None:
            dim = _headerless_dimension(path, parts)
        found.add(*_parse_row(path, line_number, parts, dim), f"line {line_number}")
        row += 1
    if count is not None and row < rows:
        raise ValueError(
            f"{path}: the header promises {count} vectors but the file ends after "
            f"{row} (line {row + 2} is missing); the file is truncated: save it again, "
            f"or set the count in the header to {row}"
        )
    if row == 0:
        raise ValueError(f"{path} is empty; a headerless file has one word per line")
    return found.result()


def _headerless_dimension(path, parts):
    if len(parts) == 2 and all(_is_positive_integer(part) for part in parts):
        raise ValueError(
            f"{path}, line 1: {' '.join(parts)!r} looks like the header '<count> "
            "<dim>' of a word2vec file; leave out no_header=True"
        )
    if len(parts) < 2:
        raise ValueError(
            f"{path}, line 1: expected a word and its values, found {len(parts)} "
            "field(s)"
        )
    return len(parts) - 1


def _parse_row(path, line_number, parts, dim):
    """(word, vector) of one text line split at spaces; ValueError naming what is
    wrong."""
    if len(parts) != dim + 1:
        shown = (
            f"the word {parts[0]!r} and {len(parts) - 1} values" if parts else "nothing"
        )
        raise ValueError(
            f"{path}, line {line_number}: expected a word and {dim} values (the "
            f"{'first line' if line_number == 1 else 'header'}'s dimension), found "
            f"{shown}; fix or remove this line, and make sure the word has no spaces"
        )
    try:
        return parts[0], np.array(parts[1:], dtype=np.float64)
    except ValueError:
        bad = next(part for part in parts[1:] if not _is_number(part))
        raise ValueError(
            f"{path}, line {line_number}: {bad!r} is not a number (word {parts[0]!r}); "
            "every value after the word must be a decimal number"
        ) from None


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_binary_rows(path, file, header_bytes, rows, count, dim, unicode_errors):
    vector_bytes = 4 * dim
    found = _Rows(path, unicode_errors)
    # unread bytes are read in chunks into `buffer`; buffer[0] is byte `offset` of the
    # file
    buffer, offset, position = bytearray(), header_bytes, 0

    def read_more():
        chunk = file.read(_CHUNK_BYTES)
        buffer.extend(chunk)
        return bool(chunk)

    for entry in range(1, rows + 1):
        if position > _CHUNK_BYTES:  # forget what has been parsed
            del buffer[:position]
            offset, position = offset + position, 0
        # word2vec.c ends each vector with "\n"; some writers (older gensim) do not
        while position < len(buffer) or read_more():
            if buffer[position] != 0x0A:
                break
            position += 1
        space = buffer.find(b" ", position)
        while space == -1:
            searched = len(buffer)
            if not read_more():
                break
            space = buffer.find(b" ", searched)
        while space != -1 and space + 1 + vector_bytes > len(buffer) and read_more():
            pass
        if space == -1 or space + 1 + vector_bytes > len(buffer):
            raise ValueError(
                f"{path}: the header promises {count} vectors but the file ends inside "
                f"or before vector {entry} (byte {offset + position}); the file is "
                "truncated: save it again, or set the count in the header to "
                f"{entry - 1}"
            )
        where = f"vector {entry} (byte {offset + position})"
        word = _decode(path, bytes(buffer[position:space]), where, unicode_errors)
        end = space + 1 + vector_bytes
        found.add(word, np.frombuffer(bytes(buffer[space + 1:end]), dtype="<f4"),
                  f"vector {entry}")
        position = end
    if rows == count:
        rest = bytes(buffer[position:]) + file.read()
        if rest.strip():
            raise ValueError(
                f"{path}: {len(rest)} bytes remain after the {count} vectors the "
                "header promises; the header's count or dimension is wrong"
            )
    return found.result()
