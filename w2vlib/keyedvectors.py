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
import contextlib
import gzip
import warnings
from pathlib import Path

import numpy as np

from .files import bom_length, write_atomically

__all__ = ["KeyedVectors"]

# Characters a word cannot hold because the readers split on them: the text reader splits
# lines at "\n" and words at " "; the binary reader ends a word at " " and skips the "\n"s
# before it (those that end the previous vector). The projector's TSV splits at any of its.
_TEXT_SEPARATORS = (" ", "\n")
_BINARY_SEPARATORS = (" ",)
_BINARY_LEADING = ("\n",)
_TSV_SEPARATORS = ("\t", "\n", "\r")
_GZIP_MAGIC = b"\x1f\x8b"
_UNICODE_ERRORS = ("strict", "ignore", "replace")
_CHUNK_BYTES = 1 << 20  # the binary reader reads this much at a time


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

    def most_similar(self, positive=None, negative=None, topn=10, restrict_vocab=None):
        """The ``topn`` words closest in cosine to the combination of the query words.

        As in gensim, each query word's vector is unit-normalised, ``positive`` ones are
        added and ``negative`` ones subtracted, the result is divided by the number of words
        and compared by cosine with every word; the query words themselves are never
        returned. ``most_similar(positive=["reina", "hombre"], negative=["mujer"])`` is the
        analogy mujer : reina :: hombre : ? (3CosAdd).

        Parameters
        ----------
        positive, negative : str or list of str, optional
        topn : int >= 1
        restrict_vocab : int >= 1, optional
            Search only the first ``restrict_vocab`` words (the most frequent, in a file
            sorted by frequency), as gensim's argument of the same name.

        Returns
        -------
        list of (word, cosine) tuples, most similar first. Words with an all-zero vector
        have no direction and are never returned.
        """
        positive, negative = self._query_words(positive, negative, "most_similar")
        topn = self._check_topn(topn)
        combined = sum(self._unit_vector_of(word) for word in positive)
        combined = combined - sum(self._unit_vector_of(word) for word in negative)
        combined = combined / (len(positive) + len(negative))
        norm = np.linalg.norm(combined)
        if norm <= 1e-12:
            raise ValueError(
                f"the query vector of positive={positive} negative={negative} is zero (the "
                f"words cancel out), so it has no direction to compare with"
            )
        candidates = self._candidates(positive + negative, restrict_vocab)
        cosines = np.clip(self._unit_vectors[candidates] @ (combined / norm), -1.0, 1.0)
        return self._best(candidates, cosines, topn)

    def most_similar_cosmul(self, positive=None, negative=None, topn=10,
                            restrict_vocab=None):
        """Nearest words by 3CosMul, the multiplicative combination (Levy & Goldberg 2014).

        Each candidate word w scores ``prod_p s(w, p) / (prod_n s(w, n) + 1e-6)``, with
        ``s = (1 + cos) / 2`` the cosine shifted into [0, 1], over the ``positive`` words p
        and the ``negative`` words n; as in gensim. For the analogy a : b :: c : ?,
        ``most_similar_cosmul(positive=[b, c], negative=[a])`` asks for a word close to
        both b and c and far from a, without one large similarity outweighing the others.

        Parameters
        ----------
        positive : str or list of str
            At least one word.
        negative : str or list of str, optional
        topn : int >= 1
        restrict_vocab : int >= 1, optional
            Search only the first ``restrict_vocab`` words. (gensim 4.4 accepts this
            argument here but ignores it; this is the meaning its documentation gives.)

        Returns
        -------
        list of (word, score) tuples, best first; the query words are never returned.

        Examples
        --------
        >>> wv = KeyedVectors([[1, 1, 0], [1, -1, 0], [0, 1, .1], [0, -1, .1]],
        ...                   ["rey", "reina", "hombre", "mujer"])
        >>> wv.most_similar_cosmul(positive=["rey", "mujer"], negative=["hombre"])[0][0]
        'reina'
        """
        positive, negative = self._query_words(positive, negative, "most_similar_cosmul")
        topn = self._check_topn(topn)
        if not positive:
            raise ValueError(
                "most_similar_cosmul needs at least one word in positive= (the numerator), "
                f"got only negative={negative}"
            )
        candidates = self._candidates(positive + negative, restrict_vocab)
        unit = self._unit_vectors[candidates]

        def shifted_cosines(words):  # (len(words), len(candidates)), in [0, 1]
            return (1 + unit @ np.stack([self._unit_vector_of(w) for w in words]).T).T / 2

        denominator = np.prod(shifted_cosines(negative), axis=0) if negative else 1.0
        scores = np.prod(shifted_cosines(positive), axis=0) / (denominator + 1e-6)
        return self._best(candidates, scores, topn)

    def similar_by_vector(self, vector, topn=10, restrict_vocab=None):
        """The ``topn`` words whose vectors are closest in cosine to ``vector`` (n,)."""
        vector = self._check_query_vector(vector)
        candidates = self._candidates([], restrict_vocab)
        cosines = np.clip(self._unit_vectors[candidates] @ vector, -1.0, 1.0)
        return self._best(candidates, cosines, self._check_topn(topn))

    def _check_query_vector(self, vector):
        """``vector`` (n,) unit-normalised; ValueError if it has no direction."""
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
        return vector / norm

    def _candidates(self, excluded_words, restrict_vocab):
        """Indices of the words a query may return: not a query word, not a zero vector,
        and among the first ``restrict_vocab`` if given."""
        candidates = ~self._is_zero
        candidates[[self.key_to_index[word] for word in excluded_words]] = False
        if restrict_vocab is not None:
            if isinstance(restrict_vocab, bool) or not isinstance(
                    restrict_vocab, (int, np.integer)) or restrict_vocab < 1:
                raise ValueError(
                    f"restrict_vocab must be None (search every word) or an integer >= 1, "
                    f"got {restrict_vocab!r}"
                )
            candidates[restrict_vocab:] = False
        indices = np.flatnonzero(candidates)
        if indices.size == 0:
            raise ValueError(
                f"no candidate words left: all {len(self)} words of the vocabulary are query "
                f"words (or have all-zero vectors, or lie beyond restrict_vocab); ask about "
                f"fewer words or search a larger vocabulary"
            )
        return indices

    def _best(self, candidates, scores, topn):
        """The ``topn`` (word, score) of the highest ``scores``, ties by vocabulary order."""
        if topn < scores.size:
            best = np.argpartition(-scores, topn - 1)[:topn]
        else:
            best = np.arange(scores.size)
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.index_to_key[candidates[i]], float(scores[i])) for i in best]

    def _query_words(self, positive, negative, method):
        positive = self._as_word_list("positive", positive)
        negative = self._as_word_list("negative", negative)
        if not positive and not negative:
            raise ValueError(
                f"{method} needs at least one word in positive= or negative=, got none"
            )
        for word in positive + negative:
            self.get_index(word)  # KeyError naming an unknown word
        return positive, negative

    def n_similarity(self, ws1, ws2):
        """Cosine similarity of the mean vectors of two lists of words (as gensim's).

        The means are of the raw vectors (not unit-normalised first), as in gensim.
        """
        means = []
        for name, words in (("ws1", ws1), ("ws2", ws2)):
            words = self._as_word_list(name, words)
            if not words:
                raise ValueError(f"n_similarity needs at least one word in {name}, got none")
            means.append(self[words].mean(axis=0))
        norms = [np.linalg.norm(mean) for mean in means]
        if min(norms) == 0.0:
            raise ValueError(
                "the mean vector of ws1 or ws2 is zero (the vectors cancel out), so its "
                "cosine similarity is undefined"
            )
        return float(np.clip(means[0] @ means[1] / (norms[0] * norms[1]), -1.0, 1.0))

    def distance(self, w1, w2):
        """Cosine distance ``1 - similarity(w1, w2)``, in [0, 2]."""
        return 1.0 - self.similarity(w1, w2)

    def distances(self, word_or_vector, other_words=()):
        """Cosine distances from a word (or a vector (n,)) to ``other_words``.

        Parameters
        ----------
        word_or_vector : str or array (n,)
        other_words : sequence of str, optional
            Default: every word of the vocabulary, in row order (as gensim).

        Returns
        -------
        array (len(other_words),) or (|V|,) of ``1 - cos``; NaN for a word whose vector is
        all zeros (no direction), as in gensim.
        """
        if isinstance(word_or_vector, str):
            query = self._unit_vector_of(word_or_vector)
        else:
            query = self._check_query_vector(word_or_vector)
        other_words = self._as_word_list("other_words", other_words)
        if other_words:
            rows = np.array([self.get_index(word) for word in other_words], dtype=np.int64)
        else:
            rows = np.arange(len(self))
        cosines = np.clip(self._unit_vectors[rows] @ query, -1.0, 1.0)
        return np.where(self._is_zero[rows], np.nan, 1.0 - cosines)

    def closer_than(self, key1, key2):
        """The words closer to ``key1`` than ``key2`` is (by cosine), in vocabulary order."""
        distances = self.distances(key1)
        limit = distances[self.get_index(key2)]
        closer = np.flatnonzero(distances < limit)
        own = self.get_index(key1)
        return [self.index_to_key[i] for i in closer if i != own]

    def rank(self, key1, key2):
        """The rank of ``key2`` among the neighbours of ``key1``: 1 + the number of words
        strictly closer (as gensim's)."""
        return len(self.closer_than(key1, key2)) + 1

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

        Every file ``load_word2vec_format`` accepts saves back in its own format and reloads
        identically. Refused (``ValueError`` naming the word) are only the words the reader
        would split or strip: a word with a space; in the text format one with a newline;
        in the binary format one starting with a newline. Other whitespace (a tab, say) is
        written as it is, as gensim does; word2vec.c's tools also end a word only at a space.

        A path ending in ``.gz`` is gzip-compressed. The file is written to a temporary file
        in the same directory and renamed over ``path`` at the end, so a crash never leaves a
        half-written file.
        """
        if binary:
            self._check_words_for("binary word2vec files", _BINARY_SEPARATORS,
                                  leading=_BINARY_LEADING)
        else:
            self._check_words_for("word2vec text files", _TEXT_SEPARATORS)
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
    def load_word2vec_format(cls, path, binary=False, unicode_errors="strict", limit=None):
        """Read a word2vec text (``binary=False``) or binary (``binary=True``) file.

        Parameters
        ----------
        path : str or Path
            The file; gzip-compressed files (e.g. ``vectors.txt.gz``) are decompressed on the
            fly, and a UTF-8 byte-order mark before the header is skipped.
        binary : bool
            The format. Given the wrong one, the error says which format the file is in.
        unicode_errors : {"strict", "ignore", "replace"}
            What to do with a word whose bytes are not UTF-8, as gensim's argument of the
            same name (the ``errors`` of ``bytes.decode``): raise (``"strict"``), drop the
            bad bytes (``"ignore"``) or put U+FFFD in their place (``"replace"``).
            word2vec.c keeps only the first 98 bytes of a longer word (``ReadWord``, with
            ``MAX_STRING`` 100), which can cut a character in two; gensim's documentation
            names this case.
            If two words become equal once decoded, the first is kept and the later ones
            dropped with a warning, as in gensim.
        limit : int >= 1, optional
            Read only the first ``limit`` vectors (the most frequent, in files written by
            word2vec.c, gensim or w2vlib); the rest of the file is not read. ``None`` (the
            default) reads them all.

        Returns
        -------
        KeyedVectors
            Binary vectors are float32 in the file and float64 once loaded.

        Raises
        ------
        ValueError
            Quoting the line (text) or entry (binary) and the fix, if the header is not
            ``"<count> <dim>"``, a row has the wrong number of values, the file has fewer or
            more rows than the header says, a word repeats, bytes are not UTF-8 (with
            ``unicode_errors="strict"``), or the file is in the other format; also for an
            unknown ``unicode_errors`` or a ``limit`` below 1.
        """
        if unicode_errors not in _UNICODE_ERRORS:
            raise ValueError(
                f"unicode_errors must be one of {', '.join(map(repr, _UNICODE_ERRORS))}, got "
                f"{unicode_errors!r}"
            )
        if limit is not None and (isinstance(limit, bool) or not isinstance(
                limit, (int, np.integer)) or limit < 1):
            raise ValueError(
                f"limit must be None (read every vector) or an integer >= 1, got {limit!r}"
            )
        path = Path(path)
        try:
            words, vectors, repeats = _read_word2vec(path, binary, unicode_errors, limit)
        except ValueError:
            if not _is_word2vec_file(path, binary=not binary):
                raise
            found, fix = ("binary", "pass binary=True") if not binary else (
                "text", "pass binary=False")
            raise ValueError(
                f"{path} is in the {found} word2vec format, not the "
                f"{'binary' if binary else 'text'} one; {fix}"
            ) from None
        if repeats:
            shown = "; ".join(f"{word!r} of {place} (as {first})"
                              for word, place, first in repeats[:3])
            warnings.warn(
                f"{path}: {len(repeats)} word(s) equal an earlier word once decoded with "
                f"unicode_errors={unicode_errors!r} and were dropped, keeping the first, as "
                f"gensim does: {shown}",
                stacklevel=2,
            )
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

    def _check_words_for(self, where, separators, leading=()):
        """ValueError for the first word holding one of ``separators`` or starting with one
        of ``leading``, which the readers of ``where`` would split or strip."""
        for index, word in enumerate(self.index_to_key):
            problems = [f"contains {s!r}" for s in separators if s in word]
            problems += [f"starts with {s!r}" for s in leading if word.startswith(s)]
            if problems:
                raise ValueError(
                    f"word {word!r} (index {index}) {problems[0]}, which {where} cannot hold "
                    f"(their readers split or strip it), so it could not be read back; "
                    f"replace it (e.g. by '_') in index_to_key before saving"
                )
            try:
                word.encode("utf-8")
            except UnicodeEncodeError as error:
                raise ValueError(
                    f"word {word!r} (index {index}) has the unpaired surrogate "
                    f"{word[error.start]!r}, which UTF-8 cannot encode; replace it in "
                    f"index_to_key before saving"
                ) from None


# --- file helpers ----------------------------------------------------------------------

@contextlib.contextmanager
def _open(path):
    """``path`` opened for reading bytes, decompressed on the fly if it is gzip data."""
    with open(path, "rb") as file:
        if file.peek(len(_GZIP_MAGIC))[: len(_GZIP_MAGIC)] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=file, mode="rb") as decompressed:
                yield decompressed
        else:
            yield file


def _read_word2vec(path, binary, unicode_errors, limit):
    """(words, vectors, repeats) of the first ``limit`` (or all) rows of a word2vec file.

    ``repeats``: (word, where, where first) of each word dropped as a repeat, which only
    ``unicode_errors`` other than "strict" can produce (with "strict" a repeat raises).
    """
    with _open(path) as file:
        header = file.readline()
        if not header.strip() and not file.read().strip():
            raise ValueError(
                f"{path} is empty; a word2vec file starts with the header line "
                f"'<count> <dim>'"
            )
        count, dim = _parse_header(path, header[bom_length(header):])
        rows = count if limit is None else min(count, limit)
        if binary:
            return _read_binary_rows(path, file, len(header), rows, count, dim, unicode_errors)
        return _read_text_rows(path, file, rows, count, dim, unicode_errors)


def _is_word2vec_file(path, binary):
    """Whether the whole of ``path`` reads as a word2vec file in the given format."""
    try:
        _read_word2vec(path, binary, "replace", None)
    except ValueError:
        return False
    return True


def _decode(path, raw, where, unicode_errors):
    try:
        return raw.decode("utf-8", errors=unicode_errors)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path}, {where}: byte {raw[error.start]:#04x} at position {error.start} is not "
            f"valid UTF-8; if the word was cut inside a character (word2vec.c keeps the first "
            f"98 bytes of longer words), pass unicode_errors='ignore' or 'replace'; if the file "
            f"is in another encoding, re-encode it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"
        ) from None


def _parse_header(path, raw_header):
    header = raw_header.decode("utf-8", errors="replace").strip()
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
    # rows are collected in lists, not preallocated, so a wrong huge count in the header
    # gives the "truncated" error below instead of a MemoryError
    found = _Rows(path, unicode_errors)
    for row in range(rows):
        line_number = row + 2
        line = file.readline()
        if not line.strip() and not file.read().strip():
            raise ValueError(
                f"{path}: the header promises {count} vectors but the file ends after {row} "
                f"(line {line_number} is missing); the file is truncated: save it again, or "
                f"set the count in the header to {row}"
            )
        text = _decode(path, line, f"line {line_number}", unicode_errors)
        text = text[:-1] if text.endswith("\n") else text
        parts = [part for part in text.rstrip("\r").split(" ") if part]
        if len(parts) != dim + 1:
            shown = f"the word {parts[0]!r} and {len(parts) - 1} values" if parts else "nothing"
            raise ValueError(
                f"{path}, line {line_number}: expected a word and {dim} values (the header's "
                f"dimension), found {shown}; fix or remove this line, and make sure the word "
                f"has no spaces"
            )
        word = parts[0]
        try:
            vector = np.array(parts[1:], dtype=np.float64)
        except ValueError:
            bad = next(part for part in parts[1:] if not _is_number(part))
            raise ValueError(
                f"{path}, line {line_number}: {bad!r} is not a number (word {word!r}); every "
                f"value after the word must be a decimal number"
            ) from None
        found.add(word, vector, f"line {line_number}")
    if rows == count:
        for extra, line in enumerate(file, start=count + 2):
            if line.strip():
                raise ValueError(
                    f"{path}, line {extra}: the header promises {count} vectors but there "
                    f"are more rows; set the count in the header to the number of rows"
                )
    return found.result()


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_binary_rows(path, file, header_bytes, rows, count, dim, unicode_errors):
    vector_bytes = 4 * dim
    found = _Rows(path, unicode_errors)
    # unread bytes are read in chunks into `buffer`; buffer[0] is byte `offset` of the file
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
                f"{path}: the header promises {count} vectors but the file ends inside or "
                f"before vector {entry} (byte {offset + position}); the file is truncated: "
                f"save it again, or set the count in the header to {entry - 1}"
            )
        where = f"vector {entry} (byte {offset + position})"
        word = _decode(path, bytes(buffer[position:space]), where, unicode_errors)
        vector = np.frombuffer(bytes(buffer[space + 1:space + 1 + vector_bytes]), dtype="<f4")
        found.add(word, vector, f"vector {entry}")
        position = space + 1 + vector_bytes
    if rows == count:
        rest = bytes(buffer[position:]) + file.read()
        if rest.strip():
            raise ValueError(
                f"{path}: {len(rest)} bytes remain after the {count} vectors the header "
                f"promises; the header's count or dimension is wrong"
            )
    return found.result()
