"""Word vectors looked up by word, with gensim's conventions (chapters 3 and 7).

``KeyedVectors`` holds one vector per word (the rows of ``vectors``) and answers the usual
questions: a word's vector, the cosine similarity of two words, nearest neighbours and
analogies (``most_similar``), the odd one out (``doesnt_match``). It reads and writes the
word2vec text and binary formats, so files move freely between w2vlib, gensim and the
original word2vec tools, and it exports the two TSV files of the TensorFlow Embedding
Projector.

Similarities are cosines computed on unit-normalised vectors. The vectors are stored
read-only: build a new ``KeyedVectors`` to change them (this keeps the cached unit vectors
right).
"""
import gzip
from pathlib import Path

import numpy as np

from .files import write_atomically

__all__ = ["KeyedVectors"]

# characters that would split a word in the word2vec formats (readers split on them)
_WORD2VEC_SEPARATORS = (" ", "\t", "\n", "\r")
_TSV_SEPARATORS = ("\t", "\n", "\r")
_GZIP_MAGIC = b"\x1f\x8b"


class KeyedVectors:
    """A vocabulary of words, each with a vector of ``vector_size`` floats.

    Parameters
    ----------
    vectors : array (|V|, n)
        Row i is the vector of ``index_to_key[i]``. Copied as float64.
    index_to_key : sequence of str
        The words, unique and non-empty, in row order (usually by decreasing frequency).

    Attributes
    ----------
    index_to_key : list of str
    key_to_index : dict str -> int
    vectors : read-only float64 array (|V|, n)
    vector_size : int
        n, the embedding dimension.

    Examples
    --------
    >>> wv = KeyedVectors(np.eye(3), ["rey", "reina", "perro"])
    >>> wv["rey"]
    array([1., 0., 0.])
    >>> wv
    KeyedVectors(n_words=3, vector_size=3)
    """

    def __init__(self, vectors, index_to_key):
        if isinstance(index_to_key, str):
            raise TypeError(
                f"index_to_key must be a sequence of words, got the single string "
                f"{index_to_key!r}; pass [{index_to_key!r}]"
            )
        index_to_key = list(index_to_key)
        vectors = np.array(vectors, dtype=np.float64, copy=True)
        if vectors.ndim != 2:
            raise ValueError(
                f"vectors must be a 2-D array with one row per word, got shape {vectors.shape}"
            )
        if vectors.shape[0] != len(index_to_key):
            raise ValueError(
                f"vectors has {vectors.shape[0]} rows but index_to_key has {len(index_to_key)} "
                f"words; they must match one to one"
            )
        if vectors.shape[0] == 0 or vectors.shape[1] == 0:
            raise ValueError(
                f"KeyedVectors needs at least one word and one dimension, got vectors of shape "
                f"{vectors.shape}"
            )
        key_to_index = {}
        for index, key in enumerate(index_to_key):
            if not isinstance(key, str) or key == "":
                raise TypeError(
                    f"index_to_key[{index}] is {key!r}; every word must be a non-empty str"
                )
            if key in key_to_index:
                raise ValueError(
                    f"word {key!r} appears twice in index_to_key (positions {key_to_index[key]} "
                    f"and {index}); words must be unique"
                )
            key_to_index[key] = index
        bad_rows = np.flatnonzero(~np.all(np.isfinite(vectors), axis=1))
        if bad_rows.size:
            raise ValueError(
                f"the vector of {index_to_key[bad_rows[0]]!r} (row {bad_rows[0]}) contains NaN "
                f"or infinity ({bad_rows.size} such row(s)); if these come from training, it "
                f"diverged: lower the learning rate"
            )
        vectors.setflags(write=False)
        self.index_to_key = index_to_key
        self.key_to_index = key_to_index
        self.vectors = vectors
        self.vector_size = vectors.shape[1]

        norms = np.linalg.norm(vectors, axis=1)
        self._is_zero = norms == 0.0
        unit = vectors / np.where(self._is_zero, 1.0, norms)[:, None]
        unit.setflags(write=False)
        self._unit_vectors = unit

    # --- lookup ----------------------------------------------------------------------

    def __repr__(self):
        return f"KeyedVectors(n_words={len(self)}, vector_size={self.vector_size})"

    def __len__(self):
        return len(self.index_to_key)

    def __contains__(self, word):
        return isinstance(word, str) and word in self.key_to_index

    def get_index(self, word):
        """Row index of ``word``; KeyError naming the word if it is not in the vocabulary."""
        if not isinstance(word, str):
            raise TypeError(
                f"words are str, got {type(word).__name__} {word!r}"
                + (f"; the word at index {word} is index_to_key[{word}]"
                   if isinstance(word, (int, np.integer)) else "")
            )
        try:
            return self.key_to_index[word]
        except KeyError:
            raise KeyError(self._unknown_word_message(word)) from None

    def _unknown_word_message(self, word):
        message = (
            f"word {word!r} is not in the vocabulary ({len(self)} words); check the spelling "
            f"and case, or train with a lower min_count so that rarer words are kept"
        )
        folded = word.casefold()
        variants = [key for key in self.index_to_key if key.casefold() == folded][:3]
        if variants:
            message += f"; words that differ only in case: {', '.join(map(repr, variants))}"
        return message

    def __getitem__(self, words):
        """The vector (n,) of a word, or the matrix (k, n) of a list of k words (copies)."""
        if isinstance(words, str):
            return self.vectors[self.get_index(words)].copy()
        if isinstance(words, (list, tuple, np.ndarray)):
            indices = [self.get_index(word) for word in words]
            return self.vectors[np.array(indices, dtype=np.int64)]
        raise TypeError(
            f"look up a word (str) or a list of words, got {type(words).__name__} {words!r}"
            + (f"; the word at index {words} is wv.index_to_key[{words}]"
               if isinstance(words, (int, np.integer)) else "")
        )

    def get_vector(self, word, norm=False):
        """Copy of the vector of ``word``, unit-normalised if ``norm`` (as gensim's)."""
        if norm:
            return self._unit_vector_of(word).copy()
        return self[word]

    def _unit_vector_of(self, word):
        index = self.get_index(word)
        if self._is_zero[index]:
            raise ValueError(
                f"the vector of {word!r} is all zeros, so it has no direction and its cosine "
                f"similarity with any word is undefined"
            )
        return self._unit_vectors[index]

    # --- similarities ----------------------------------------------------------------

    def similarity(self, w1, w2):
        """Cosine similarity of the vectors of two words, a float in [-1, 1]."""
        value = self._unit_vector_of(w1) @ self._unit_vector_of(w2)
        return float(np.clip(value, -1.0, 1.0))

    def most_similar(self, positive=None, negative=None, topn=10):
        """The ``topn`` words closest in cosine to the combination of the query words.

        As in gensim, each query word's vector is unit-normalised, ``positive`` ones are
        added and ``negative`` ones subtracted, the result is divided by the number of words
        and compared by cosine with every word; the query words themselves are never
        returned. ``most_similar(positive=["reina", "hombre"], negative=["mujer"])`` is the
        analogy mujer : reina :: hombre : ?.

        Parameters
        ----------
        positive, negative : str or list of str, optional
        topn : int >= 1

        Returns
        -------
        list of (word, cosine) tuples, most similar first. Words with an all-zero vector
        have no direction and are never returned.
        """
        positive = self._as_word_list("positive", positive)
        negative = self._as_word_list("negative", negative)
        topn = self._check_topn(topn)
        if not positive and not negative:
            raise ValueError(
                "most_similar needs at least one word in positive= or negative=, got none"
            )
        query_words = positive + negative
        combined = sum(self._unit_vector_of(word) for word in positive)
        combined = combined - sum(self._unit_vector_of(word) for word in negative)
        combined = combined / len(query_words)
        norm = np.linalg.norm(combined)
        if norm <= 1e-12:
            raise ValueError(
                f"the query vector of positive={positive} negative={negative} is zero (the "
                f"words cancel out), so it has no direction to compare with"
            )
        excluded = [self.key_to_index[word] for word in query_words]
        return self._rank(combined / norm, topn, excluded)

    def similar_by_vector(self, vector, topn=10):
        """The ``topn`` words whose vectors are closest in cosine to ``vector`` (n,)."""
        vector = np.asarray(vector, dtype=np.float64)
        if vector.shape != (self.vector_size,):
            raise ValueError(
                f"vector must have shape ({self.vector_size},) like the word vectors, got "
                f"shape {vector.shape}"
            )
        norm = np.linalg.norm(vector)
        if not np.isfinite(norm) or norm == 0.0:
            raise ValueError(
                f"vector must be finite and non-zero to have a direction, got norm {norm}"
            )
        return self._rank(vector / norm, self._check_topn(topn), excluded=[])

    def _rank(self, unit_query, topn, excluded):
        candidates = ~self._is_zero
        candidates[excluded] = False
        candidate_indices = np.flatnonzero(candidates)
        if candidate_indices.size == 0:
            raise ValueError(
                f"no candidate words left: all {len(self)} words of the vocabulary are query "
                f"words (or have all-zero vectors); ask about fewer words or use a larger "
                f"vocabulary"
            )
        similarities = self._unit_vectors[candidate_indices] @ unit_query
        if topn < similarities.size:
            best = np.argpartition(-similarities, topn - 1)[:topn]
        else:
            best = np.arange(similarities.size)
        best = best[np.argsort(-similarities[best], kind="stable")]
        return [
            (self.index_to_key[candidate_indices[i]], float(np.clip(similarities[i], -1.0, 1.0)))
            for i in best
        ]

    def doesnt_match(self, words):
        """The word of ``words`` furthest (lowest cosine) from the mean of their unit vectors."""
        words = self._as_word_list("words", words)
        if len(set(words)) < 2:
            raise ValueError(
                f"doesnt_match needs at least two different words to pick the odd one out, "
                f"got {words}"
            )
        unit = np.stack([self._unit_vector_of(word) for word in words])
        # cosine with the mean direction; dividing by the mean's norm would not change the order
        similarities = unit @ unit.mean(axis=0)
        # ties go to the alphabetically first word, as in gensim
        return min(zip(similarities.tolist(), words))[1]

    @staticmethod
    def _as_word_list(name, words):
        if words is None:
            return []
        if isinstance(words, str):
            return [words]
        if isinstance(words, np.ndarray):
            raise TypeError(
                f"{name} holds words (str), got an array; to find the neighbours of a vector "
                f"use similar_by_vector(vector)"
            )
        words = list(words)
        for word in words:
            if not isinstance(word, str):
                raise TypeError(
                    f"{name} must be a word or a list of words (str), got {word!r} of type "
                    f"{type(word).__name__}"
                )
        return words

    @staticmethod
    def _check_topn(topn):
        if isinstance(topn, bool) or not isinstance(topn, (int, np.integer)) or topn < 1:
            raise ValueError(f"topn must be an integer >= 1, got {topn!r}")
        return int(topn)

    # --- files -----------------------------------------------------------------------

    def save_word2vec_format(self, path, binary=False):
        """Write the vectors in word2vec format, replacing ``path`` atomically.

        Text (``binary=False``): a header line ``"<count> <dim>"``, then one line per word,
        ``"word v1 v2 ... vn"``, values written with ``repr`` so float64 round-trips exactly.
        Binary (``binary=True``): the same header, then per word its UTF-8 bytes, a space,
        n little-endian float32 values and a newline, as word2vec.c and gensim write it
        (float32: the binary format stores single precision).

        A path ending in ``.gz`` is gzip-compressed. The file is written to a temporary file
        in the same directory and renamed over ``path`` at the end, so a crash never leaves a
        half-written file.
        """
        self._check_words_for("the word2vec format", _WORD2VEC_SEPARATORS)
        header = f"{len(self)} {self.vector_size}\n".encode("utf-8")

        def write(file):
            file.write(header)
            if binary:
                as_float32 = self.vectors.astype("<f4")
                for word, row in zip(self.index_to_key, as_float32):
                    file.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")
            else:
                for word, row in zip(self.index_to_key, self.vectors.tolist()):
                    file.write(f"{word} {' '.join(map(repr, row))}\n".encode("utf-8"))

        write_atomically(path, write)

    @classmethod
    def load_word2vec_format(cls, path, binary=False):
        """Read a word2vec text (``binary=False``) or binary (``binary=True``) file.

        Raises ValueError quoting the line (text) or entry (binary) and the fix if the
        header is not ``"<count> <dim>"``, a row has the wrong number of values, the file
        has fewer or more rows than the header says, a word repeats, or bytes are not
        UTF-8. Binary vectors are float32 in the file and float64 once loaded. Gzip-compressed
        files (e.g. ``vectors.txt.gz``) are decompressed on the fly.
        """
        path = Path(path)
        data = path.read_bytes()
        if data.startswith(_GZIP_MAGIC):
            data = gzip.decompress(data)
        if not data.strip():
            raise ValueError(
                f"{path} is empty; a word2vec file starts with the header line '<count> <dim>'"
            )
        header_end = data.find(b"\n")
        header_end = len(data) if header_end == -1 else header_end
        count, dim = _parse_header(path, data[:header_end], binary)
        reader = _read_binary_rows if binary else _read_text_rows
        words, vectors = reader(path, data, header_end + 1, count, dim)
        return cls(vectors, words)

    def save_projector_tsv(self, vectors_path, metadata_path):
        """Write the two files the TensorFlow Embedding Projector loads.

        ``vectors_path``: one row per word, values separated by tabs, no header.
        ``metadata_path``: one word per line, no header (a single-column file has none),
        in the same order. Both are written atomically.
        """
        self._check_words_for("the projector's TSV files", _TSV_SEPARATORS)

        def write_vectors(file):
            for row in self.vectors.tolist():
                file.write(("\t".join(map(repr, row)) + "\n").encode("utf-8"))

        def write_metadata(file):
            file.write("".join(word + "\n" for word in self.index_to_key).encode("utf-8"))

        write_atomically(vectors_path, write_vectors)
        write_atomically(metadata_path, write_metadata)

    def _check_words_for(self, where, separators):
        for index, word in enumerate(self.index_to_key):
            if any(separator in word for separator in separators):
                raise ValueError(
                    f"word {word!r} (index {index}) contains whitespace that {where} uses as "
                    f"a separator, so it could not be read back; replace it (e.g. by '_') in "
                    f"index_to_key before saving"
                )


# --- file helpers ----------------------------------------------------------------------

def _decode(path, raw, where, binary):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        other_format = (
            "if it is a text word2vec file, pass binary=False" if binary
            else "if it is a binary word2vec file, pass binary=True"
        )
        raise ValueError(
            f"{path}, {where}: byte {raw[error.start]:#04x} at position {error.start} is not "
            f"valid UTF-8; word2vec files are UTF-8, so re-encode the file (e.g. "
            f"`iconv -f latin1 -t utf-8`); {other_format}"
        ) from None


def _parse_header(path, raw_header, binary):
    header = _decode(path, raw_header, "line 1 (header)", binary).strip()
    parts = header.split()
    is_positive_integer = [part.isascii() and part.isdigit() and int(part) > 0 for part in parts]
    if len(parts) != 2 or not all(is_positive_integer):
        shown = header if len(header) <= 60 else header[:60] + "..."
        raise ValueError(
            f"{path}, line 1: expected the header '<count> <dim>' (two positive integers, "
            f"e.g. '1000 100'), got {shown!r}; files without a header (e.g. GloVe's) need "
            f"one added as the first line"
        )
    return int(parts[0]), int(parts[1])


def _read_text_rows(path, data, start, count, dim):
    lines = data[start:].split(b"\n")
    # rows are collected in lists, not preallocated, so a wrong huge count in the header
    # gives the "truncated" error below instead of a MemoryError
    words, vectors, first_line_of = [], [], {}
    for row in range(count):
        line_number = row + 2
        if row >= len(lines) or (row == len(lines) - 1 and not lines[row].strip()):
            raise ValueError(
                f"{path}: the header promises {count} vectors but the file ends after {row} "
                f"(line {line_number} is missing); the file is truncated: save it again, or "
                f"set the count in the header to {row}"
            )
        text = _decode(path, lines[row], f"line {line_number}", binary=False)
        parts = [part for part in text.rstrip("\r").split(" ") if part]
        if len(parts) != dim + 1:
            found = f"the word {parts[0]!r} and {len(parts) - 1} values" if parts else "nothing"
            raise ValueError(
                f"{path}, line {line_number}: expected a word and {dim} values (the header's "
                f"dimension), found {found}; fix or remove this line, and make sure the word "
                f"has no spaces"
            )
        word = parts[0]
        try:
            vectors.append(np.array(parts[1:], dtype=np.float64))
        except ValueError:
            bad = next(part for part in parts[1:] if not _is_number(part))
            raise ValueError(
                f"{path}, line {line_number}: {bad!r} is not a number (word {word!r}); every "
                f"value after the word must be a decimal number"
            ) from None
        if word in first_line_of:
            raise ValueError(
                f"{path}, line {line_number}: word {word!r} already appeared on line "
                f"{first_line_of[word]}; each word must appear once"
            )
        first_line_of[word] = line_number
        words.append(word)
    extra = next((i for i in range(count, len(lines)) if lines[i].strip()), None)
    if extra is not None:
        raise ValueError(
            f"{path}, line {extra + 2}: the header promises {count} vectors but there are "
            f"more rows; set the count in the header to the number of rows"
        )
    return words, vectors


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_binary_rows(path, data, position, count, dim):
    vector_bytes = 4 * dim
    words, vectors, first_entry_of = [], [], {}
    for entry in range(1, count + 1):
        # word2vec.c ends each vector with "\n"; some writers (older gensim) do not
        while position < len(data) and data[position:position + 1] == b"\n":
            position += 1
        space = data.find(b" ", position)
        if space == -1 or space + 1 + vector_bytes > len(data):
            raise ValueError(
                f"{path}: the header promises {count} vectors but the file ends inside or "
                f"before vector {entry} (byte {position}); the file is truncated: save it "
                f"again, or set the count in the header to {entry - 1}"
            )
        word = _decode(path, data[position:space], f"vector {entry} (byte {position})", True)
        if word in first_entry_of:
            raise ValueError(
                f"{path}: word {word!r} of vector {entry} already appeared as vector "
                f"{first_entry_of[word]}; each word must appear once"
            )
        first_entry_of[word] = entry
        words.append(word)
        vectors.append(np.frombuffer(data, dtype="<f4", count=dim, offset=space + 1))
        position = space + 1 + vector_bytes
    if data[position:].strip():
        raise ValueError(
            f"{path}: {len(data) - position} bytes remain after the {count} vectors the header "
            f"promises; the header's count or dimension is wrong, or this is a text file "
            f"(pass binary=False)"
        )
    return words, vectors
