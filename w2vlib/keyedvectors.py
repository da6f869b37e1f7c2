"""Word vectors looked up by word, with gensim's conventions (chapters 3 and 7).

``KeyedVectors`` holds one vector per word (the rows of ``vectors``) and answers the
usual questions: a word's vector, the cosine similarity of two words, nearest neighbours
and analogies (``most_similar``, ``most_similar_cosmul``), the odd one out
(``doesnt_match``), distances and ranks. It reads and writes the word2vec text and
binary formats (through :mod:`w2vlib.word2vec_format`), so files move freely between
w2vlib, gensim and the original word2vec tools.

Similarities are cosines computed on unit-normalised vectors, computed at the first
question that needs them and cached (``fill_norms``, as gensim): a model that is only
trained and saved never holds them. The array ``vectors`` is read-only; assigning a new
one to ``wv.vectors`` is checked and drops the cached unit vectors.
"""
import numpy as np

from .similarity import unit_rows
from .validation import check_int
from .word2vec_format import (
    read_word2vec_format,
    write_projector_tsv,
    write_word2vec_format,
)

__all__ = ["KeyedVectors"]


def _index_words(index_to_key):
    """(list of the words, dict word -> row); TypeError or ValueError for a bad word."""
    if isinstance(index_to_key, str):
        raise TypeError(
            "index_to_key must be a sequence of words, got the single string "
            f"{index_to_key!r}; pass [{index_to_key!r}]"
        )
    index_to_key = list(index_to_key)
    key_to_index = {}
    for index, key in enumerate(index_to_key):
        if not isinstance(key, str) or key == "":
            raise TypeError(
                f"index_to_key[{index}] is {key!r}; every word must be a non-empty str"
            )
        if key in key_to_index:
            raise ValueError(
                f"word {key!r} appears twice in index_to_key (positions "
                f"{key_to_index[key]} and {index}); words must be unique"
            )
        key_to_index[key] = index
    return index_to_key, key_to_index


def _check_vectors(vectors, index_to_key):
    """ValueError unless ``vectors`` is a finite (len(index_to_key), n > 0) array."""
    if vectors.ndim != 2:
        raise ValueError(
            "vectors must be a 2-D array with one row per word, got shape "
            f"{vectors.shape}"
        )
    if vectors.shape[0] != len(index_to_key):
        raise ValueError(
            f"vectors has {vectors.shape[0]} rows but index_to_key has "
            f"{len(index_to_key)} words; they must match one to one"
        )
    if vectors.shape[0] == 0 or vectors.shape[1] == 0:
        raise ValueError(
            "KeyedVectors needs at least one word and one dimension, got vectors of "
            f"shape {vectors.shape}"
        )
    bad_rows = np.flatnonzero(~np.all(np.isfinite(vectors), axis=1))
    if bad_rows.size:
        raise ValueError(
            f"the vector of {index_to_key[bad_rows[0]]!r} (row {bad_rows[0]}) contains "
            f"NaN or infinity ({bad_rows.size} such row(s)); if these come from "
            "training, it diverged: lower the learning rate"
        )


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
    norms : float64 array (|V|,) or None
        The length of each vector once ``fill_norms`` has run (None before), as gensim.
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
        self.index_to_key, self.key_to_index = _index_words(index_to_key)
        self.vectors = vectors  # checked by the setter

    @property
    def vectors(self):
        """The read-only float64 array (|V|, n). Assigning a new one (a copy is stored)
        checks it as the constructor does and drops the cached unit vectors."""
        return self._vectors

    @vectors.setter
    def vectors(self, vectors):
        vectors = np.array(vectors, dtype=np.float64, copy=True)
        _check_vectors(vectors, self.index_to_key)
        vectors.setflags(write=False)
        self._vectors, self.norms, self._normed = vectors, None, None
        self.vector_size = vectors.shape[1]

    def fill_norms(self, force=False):
        """Compute ``norms`` and the unit vectors if they are not cached (or again
        with ``force=True``), as gensim's method of the same name. Every similarity
        query calls it; an assignment to ``vectors`` empties the cache."""
        if self._normed is None or force:
            self.norms = np.linalg.norm(self._vectors, axis=1)
            self.norms.setflags(write=False)
            normed = unit_rows(self._vectors, zero_rows="keep")
            normed.setflags(write=False)
            self._normed, self._zero = normed, self.norms == 0.0

    def get_normed_vectors(self):
        """The read-only array (|V|, n) of unit vectors (an all-zero vector stays
        zero), as gensim's method of the same name; computed once and cached."""
        self.fill_norms()
        return self._normed

    @property
    def _unit_vectors(self):
        return self.get_normed_vectors()

    @property
    def _is_zero(self):
        self.fill_norms()
        return self._zero

    # --- lookup ----------------------------------------------------------------------

    def __repr__(self):
        return f"KeyedVectors(n_words={len(self)}, vector_size={self.vector_size})"

    def __len__(self):
        return len(self.index_to_key)

    def __contains__(self, word):
        return isinstance(word, str) and word in self.key_to_index

    def get_index(self, word):
        """Row index of ``word``; a KeyError naming it if it is not a known word."""
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
            f"word {word!r} is not in the vocabulary ({len(self)} words); check the "
            "spelling and case, or train with a lower min_count so that rarer words "
            "are kept"
        )
        folded = word.casefold()
        variants = [key for key in self.index_to_key if key.casefold() == folded][:3]
        if variants:
            message += (
                f"; words that differ only in case: {', '.join(map(repr, variants))}"
            )
        return message

    def __getitem__(self, words):
        """The vector (n,) of a word, or the matrix (k, n) of k words (copies)."""
        if isinstance(words, str):
            return self.vectors[self.get_index(words)].copy()
        if isinstance(words, (list, tuple, np.ndarray)):
            indices = [self.get_index(word) for word in words]
            return self.vectors[np.array(indices, dtype=np.int64)]
        raise TypeError(
            f"look up a word (str) or a list of words, got {type(words).__name__} "
            f"{words!r}"
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
                f"the vector of {word!r} is all zeros, so it has no direction and its "
                "cosine similarity with any word is undefined"
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
        added and ``negative`` ones subtracted, the result is divided by the number of
        words and compared by cosine with every word; the query words themselves are
        never returned. ``most_similar(positive=["reina", "hombre"],
        negative=["mujer"])`` is the
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
                f"the query vector of positive={positive} negative={negative} is zero "
                "(the words cancel out), so it has no direction to compare with"
            )
        candidates = self._candidates(positive + negative, restrict_vocab)
        cosines = np.clip(self._unit_vectors[candidates] @ (combined / norm), -1.0, 1.0)
        return self._best(candidates, cosines, topn)

    def most_similar_cosmul(self, positive=None, negative=None, topn=10,
                            restrict_vocab=None):
        """Nearest words by 3CosMul, the multiplicative combination (Levy & Goldberg
        2014).

        Each candidate word w scores ``prod_p s(w, p) / (prod_n s(w, n) + 1e-6)``, with
        ``s = (1 + cos) / 2`` the cosine shifted into [0, 1], over the ``positive``
        words p and the ``negative`` words n; as in gensim. For the analogy a : b :: c :
        ?, ``most_similar_cosmul(positive=[b, c], negative=[a])`` asks for a word close
        to both b and c and far from a, without one large similarity outweighing the
        others.

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
        positive, negative = self._query_words(
            positive, negative, "most_similar_cosmul"
        )
        topn = self._check_topn(topn)
        if not positive:
            raise ValueError(
                "most_similar_cosmul needs at least one word in positive= (the "
                f"numerator), got only negative={negative}"
            )
        candidates = self._candidates(positive + negative, restrict_vocab)
        unit = self._unit_vectors[candidates]

        def shifted_cosines(words):  # (len(words), len(candidates)), in [0, 1]
            return (
                1 + unit @ np.stack([self._unit_vector_of(w) for w in words]).T
            ).T / 2

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
                f"vector must have shape ({self.vector_size},) like the word vectors, "
                f"got shape {vector.shape}"
            )
        norm = np.linalg.norm(vector)
        if not np.isfinite(norm) or norm == 0.0:
            raise ValueError(
                "vector must be finite and non-zero to have a direction, got norm "
                f"{norm}"
            )
        return vector / norm

    def _candidates(self, excluded_words, restrict_vocab):
        """Indices of the words a query may return: not a query word, not a zero vector,
        and among the first ``restrict_vocab`` if given."""
        candidates = ~self._is_zero
        candidates[[self.key_to_index[word] for word in excluded_words]] = False
        if restrict_vocab is not None:
            check_int("restrict_vocab", restrict_vocab, none="search every word")
            candidates[restrict_vocab:] = False
        indices = np.flatnonzero(candidates)
        if indices.size == 0:
            raise ValueError(
                f"no candidate words left: all {len(self)} words of the vocabulary are "
                "query words (or have all-zero vectors, or lie beyond restrict_vocab); "
                "ask about fewer words or search a larger vocabulary"
            )
        return indices

    def _best(self, candidates, scores, topn):
        """The ``topn`` best (word, score) pairs; ties in vocabulary order."""
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
                raise ValueError(f"n_similarity needs at least one word in {name}, got "
                                 "none")
            means.append(self[words].mean(axis=0))
        norms = [np.linalg.norm(mean) for mean in means]
        if min(norms) == 0.0:
            raise ValueError(
                "the mean vector of ws1 or ws2 is zero (the vectors cancel out), so "
                "its cosine similarity is undefined"
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
        array (len(other_words),) or (|V|,) of ``1 - cos``; NaN for a word whose vector
        is all zeros (no direction), as in gensim.
        """
        if isinstance(word_or_vector, str):
            query = self._unit_vector_of(word_or_vector)
        else:
            query = self._check_query_vector(word_or_vector)
        other_words = self._as_word_list("other_words", other_words)
        if other_words:
            rows = np.array(
                [self.get_index(word) for word in other_words], dtype=np.int64
            )
        else:
            rows = np.arange(len(self))
        cosines = np.clip(self._unit_vectors[rows] @ query, -1.0, 1.0)
        return np.where(self._is_zero[rows], np.nan, 1.0 - cosines)

    def closer_than(self, key1, key2):
        """Words closer to ``key1`` than ``key2`` is (cosine), in vocabulary order."""
        distances = self.distances(key1)
        limit = distances[self.get_index(key2)]
        closer = np.flatnonzero(distances < limit)
        own = self.get_index(key1)
        return [self.index_to_key[i] for i in closer if i != own]

    def rank(self, key1, key2):
        """The rank of ``key2`` among the neighbours of ``key1``: 1 + the number of
        words strictly closer (as gensim's)."""
        return len(self.closer_than(key1, key2)) + 1

    def doesnt_match(self, words):
        """The word of ``words`` least similar to the mean of their unit vectors."""
        words = self._as_word_list("words", words)
        if len(set(words)) < 2:
            raise ValueError(
                "doesnt_match needs at least two different words to pick the odd one "
                f"out, got {words}"
            )
        unit = np.stack([self._unit_vector_of(word) for word in words])
        # cosine with the mean direction; dividing by the mean's norm would not change
        # the order
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
                f"{name} holds words (str), got an array; to find the neighbours of a "
                "vector use similar_by_vector(vector)"
            )
        words = list(words)
        for word in words:
            if not isinstance(word, str):
                raise TypeError(
                    f"{name} must be a word or a list of words (str), got {word!r} of "
                    f"type {type(word).__name__}"
                )
        return words

    @staticmethod
    def _check_topn(topn):
        return check_int("topn", topn)

    # --- files (the formats are in w2vlib.word2vec_format) ----------------------------

    def save_word2vec_format(self, path, binary=False, write_header=True):
        """Write the vectors in word2vec format, replacing ``path`` atomically, as
        gensim.

        Text (``binary=False``): a header ``"<count> <dim>"`` (left out with
        ``write_header=False``, GloVe's format), then ``"word v1 ... vn"`` per line,
        values written with ``repr`` so float64 round-trips exactly. Binary: the same
        header, then per word its UTF-8 bytes, a space and n float32 values. A path
        ending in ``.gz``, ``.bz2`` or ``.xz`` is compressed. A word the reader would
        split (one with a space, say) is a ValueError naming it. See
        :func:`w2vlib.word2vec_format.write_word2vec_format`.
        """
        write_word2vec_format(path, self.index_to_key, self.vectors, binary=binary,
                              write_header=write_header)

    @classmethod
    def load_word2vec_format(
        cls, path, binary=False, unicode_errors="strict", limit=None, no_header=False
    ):
        """Read a word2vec text (``binary=False``) or binary (``binary=True``) file.

        Parameters, as gensim's: ``unicode_errors`` ("strict", "ignore" or "replace")
        for words whose bytes are not UTF-8; ``limit`` to read only the first vectors;
        ``no_header=True`` for a text file without the ``"<count> <dim>"`` line
        (GloVe's). Compressed files (gzip, bzip2, xz) are read whatever their name.
        Every error names the line or entry and the fix; the wrong ``binary`` says which
        format the file is in. Details:
        :func:`w2vlib.word2vec_format.read_word2vec_format`.

        Returns
        -------
        KeyedVectors
            Binary vectors are float32 in the file and float64 once loaded.
        """
        words, vectors = read_word2vec_format(
            path,
            binary=binary,
            unicode_errors=unicode_errors,
            limit=limit,
            no_header=no_header,
        )
        return cls(vectors, words)

    def save_projector_tsv(self, vectors_path, metadata_path):
        """Write the two TSV files the TensorFlow Embedding Projector loads (vectors,
        words).

        See :func:`w2vlib.word2vec_format.write_projector_tsv`.
        """
        write_projector_tsv(
            vectors_path, metadata_path, self.index_to_key, self.vectors
        )
