"""Mapping one language's word vectors onto another's (chapter 9).

Two embeddings trained separately, a source one (rows of ``X``, e.g. Spanish) and a
target one (rows of ``Y``, e.g. English), are aligned by a linear map ``W`` learned from
a seed dictionary of translation pairs: row ``i`` of ``X`` and row ``i`` of ``Y`` are
the vectors of the ``i``-th pair, and ``X @ W`` should be close to ``Y``.

* :func:`least_squares_map` -- ``argmin_W ||XW - Y||_F`` (Mikolov, Le & Sutskever 2013).
* :func:`procrustes` -- the same minimum over orthogonal ``W``: ``W = L R^T`` from the
  SVD ``X^T Y = L Σ R^T`` (Schönemann 1966; for word vectors Xing et al. 2015, Smith et
  al. 2017, Artetxe et al. 2016).
* :func:`normalize_embeddings` -- unit length, optionally centred and re-normalised
  (Artetxe et al. 2016, 2018).
* :func:`csls_scores` -- cross-domain similarity local scaling, the correction for hubs
  (Conneau et al. 2018); :func:`k_occurrence` counts hubs (Radovanović et al. 2010,
  Dinu et al. 2015).
* :func:`precision_at_k` -- the share of queries whose correct translation is among the
  ``k`` best-scored target words; :func:`translation_precision` reports it with the
  coverage, the share of queries that have a known translation at all (as vecmap does).
* :func:`read_dictionary`, :func:`group_by_source`, :func:`dictionary_queries` -- MUSE
  and vecmap dictionary files, read and turned into queries with every accepted
  translation.
* :func:`dice_dictionary` -- a seed dictionary read from verse-aligned text: word pairs
  that occur in the same aligned verses, scored by Dice's coefficient (Dice 1945).

Row convention: vectors are rows (``X`` is ``(m, n)``, one word per row), so a map acts
on the right, ``x -> x @ W``; with column vectors it is ``W^T x``.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .similarity import unit_rows
from .validation import check_int

__all__ = [
    "least_squares_map",
    "procrustes",
    "normalize_embeddings",
    "csls_scores",
    "k_occurrence",
    "precision_at_k",
    "translation_precision",
    "TranslationPrecision",
    "read_dictionary",
    "group_by_source",
    "dictionary_queries",
    "DictionaryQueries",
    "dice_dictionary",
]


def _pair_matrices(X, Y):
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(
            f"X and Y must be 2-D (one word vector per row), got shapes {X.shape} and "
            f"{Y.shape}"
        )
    if X.shape[0] != Y.shape[0]:
        raise ValueError(
            f"X has {X.shape[0]} rows and Y has {Y.shape[0]}; row i of each must be "
            "the two sides of the i-th dictionary pair"
        )
    if X.shape[0] == 0:
        raise ValueError("the dictionary is empty: X and Y have no rows")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ValueError("X or Y contains NaN or infinity")
    return X, Y


def least_squares_map(X, Y):
    """The linear map minimising ``||X W - Y||_F`` (Mikolov, Le & Sutskever 2013).

    Parameters
    ----------
    X : array (m, n)
        Source vectors of the m dictionary pairs, one per row.
    Y : array (m, p)
        Target vectors, row i the translation of row i of ``X``.

    Returns
    -------
    W : array (n, p)
        A solution of the normal equations ``X^T X W = X^T Y`` (the minimum-norm one
        when ``X^T X`` is singular, from ``numpy.linalg.lstsq``). W is in general not
        orthogonal.

    Raises
    ------
    ValueError
        If the shapes do not match or a value is not finite.
    """
    X, Y = _pair_matrices(X, Y)
    W, *_ = np.linalg.lstsq(X, Y, rcond=None)
    return W


def procrustes(X, Y):
    """The orthogonal map minimising ``||X W - Y||_F`` (orthogonal Procrustes problem).

    With ``W^T W = I``, ``||XW - Y||^2 = ||X||^2 + ||Y||^2 - 2 trace(W^T X^T Y)``, so
    the best ``W`` maximises ``trace(W^T X^T Y)``. With the SVD ``X^T Y = L Σ R^T`` the
    maximum is reached at ``W = L R^T`` (Schönemann 1966; Xing et al. 2015; Smith et al.
    2017).

    Parameters
    ----------
    X : array (m, n)
        Source vectors of the m dictionary pairs, one per row.
    Y : array (m, n)
        Target vectors, same dimension n.

    Returns
    -------
    W : array (n, n), orthogonal: ``W.T @ W == I`` up to rounding.

    Raises
    ------
    ValueError
        If the shapes do not match (the two spaces must have the same dimension for an
        orthogonal map) or a value is not finite.
    """
    X, Y = _pair_matrices(X, Y)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            "an orthogonal map needs the same dimension on both sides, got X with "
            f"{X.shape[1]} columns and Y with {Y.shape[1]}; use least_squares_map "
            "instead"
        )
    L, _, Rt = np.linalg.svd(X.T @ Y)
    return L @ Rt


def normalize_embeddings(X, center=False):
    """Rows scaled to unit length; with ``center=True``, unit length, centred, unit
    again.

    Centring (subtracting the mean vector) removes a direction that every word shares,
    so that cosines measure the differences between words; normalising again afterwards
    is the recipe of Artetxe et al. (2016, 2018).

    Parameters
    ----------
    X : array (N, n), one vector per row.
    center : bool

    Returns
    -------
    array (N, n), float64, every row of norm 1.

    Raises
    ------
    ValueError
        If a row has zero length (before or after centring): it has no direction.
    """
    X = np.array(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (one vector per row), got shape {X.shape}")
    X = unit_rows(X)
    if center:
        X = unit_rows(X - X.mean(axis=0), "X, centred,")
    return X


def _check_k(k, limit, what):
    return check_int("k", k, 1, limit, what=what)


def _top_k_mean(S, k):
    """Mean of the k largest entries of each row of S (m, N) -> (m,)."""
    return np.partition(S, S.shape[1] - k, axis=1)[:, S.shape[1] - k:].mean(axis=1)


def csls_scores(queries, targets, k=10, sources=None):
    """Cross-domain similarity local scaling (Conneau et al. 2018, eq. 6).

    ``CSLS(x, y) = 2 cos(x, y) - r_T(x) - r_S(y)``, where ``r_T(x)`` is the mean cosine
    of the mapped source vector x with its k nearest target words and ``r_S(y)`` the
    mean cosine of target y with its k nearest mapped source words. A hub, a target word
    close to many sources, has a large ``r_S(y)`` and is pushed down.

    Parameters
    ----------
    queries : array (q, n)
        Mapped source vectors to translate, unit rows.
    targets : array (N, n)
        Target vocabulary, unit rows.
    k : int, default 10
        Neighbourhood size (Conneau et al. use 10).
    sources : array (M, n), optional
        The mapped source vocabulary used for ``r_S`` (unit rows); default ``queries``.
        Pass the whole source vocabulary so that ``r_S`` does not depend on which words
        happen to be queried.

    Returns
    -------
    array (q, N) of CSLS scores; rank each row in decreasing order.

    Raises
    ------
    ValueError
        If the dimensions differ or ``k`` is not between 1 and the number of words.
    """
    Q = np.asarray(queries, dtype=np.float64)
    T = np.asarray(targets, dtype=np.float64)
    S = Q if sources is None else np.asarray(sources, dtype=np.float64)
    if not (Q.ndim == T.ndim == S.ndim == 2) or not (
        Q.shape[1] == T.shape[1] == S.shape[1]
    ):
        raise ValueError(
            f"queries {Q.shape}, targets {T.shape} and sources {S.shape} must be 2-D "
            "with the same number of columns"
        )
    k = _check_k(k, min(T.shape[0], S.shape[0]), "at most the number of words on each "
                                                 "side")
    cosines = Q @ T.T
    r_target = _top_k_mean(cosines, k)  # (q,)
    r_source = np.concatenate(
        [  # (N,), in blocks to bound memory
            _top_k_mean(T[start : start + 2048] @ S.T, k)
            for start in range(0, T.shape[0], 2048)
        ]
    )
    return 2 * cosines - r_target[:, None] - r_source[None, :]


def k_occurrence(scores, k=10):
    """How many queries have each target word among their k best (hubness; Dinu et al.
    2015).

    Parameters
    ----------
    scores : array (q, N)
        Row i scores every target word for query i (higher is nearer).
    k : int

    Returns
    -------
    array (N,) of int: ``N_k(y)``, the number of rows whose top k contains column y. It
    sums to ``q * k``; with no hubs every word would get about ``q * k / N``.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError("scores must be 2-D (queries x target words), got "
                         f"{scores.shape}")
    k = _check_k(k, scores.shape[1], "at most the number of target words")
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    return np.bincount(top.ravel(), minlength=scores.shape[1])


@dataclass(frozen=True)
class TranslationPrecision:
    """Precision@k of word translation, with the share of queries it could score.

    Attributes
    ----------
    k : int
    precision : float
        Share of the *covered* queries (those with at least one known translation) whose
        top ``k`` target words contain one: vecmap's "accuracy", MUSE's
        "precision_at_k".
    coverage : float
        ``n_covered / n_queries``: vecmap's "coverage".
    n_queries, n_covered : int
    """

    k: int
    precision: float
    coverage: float
    n_queries: int
    n_covered: int

    def __str__(self):
        return (f"P@{self.k} = {self.precision:.3f} on {self.n_covered} of "
                f"{self.n_queries} queries (coverage {self.coverage:.1%})")


def translation_precision(scores, gold, k):
    """Precision@k over the queries with a known translation, and their coverage.

    A query whose gold set is empty (none of its translations is in the target
    vocabulary) cannot be right or wrong: MUSE drops it from the dictionary and vecmap
    counts it in ``coverage`` and scores the rest. Both are reported here, separately.

    Parameters
    ----------
    scores : array (q, N)
        Row i scores every target word for query i (higher is better).
    gold : sequence of q collections of int
        ``gold[i]`` holds the column indices of the accepted translations of query i (a
        single int is accepted too); an empty collection means "no known translation".
    k : int, 1 <= k <= N
        Precision@1 asks for the best-scored word, precision@5 for any of the best five.

    Returns
    -------
    TranslationPrecision

    Raises
    ------
    ValueError
        If the shapes disagree, ``k`` is out of range, or no query has a translation.

    Ties are broken by column order (a stable sort), so the result does not depend on
    chance.

    Examples
    --------
    >>> scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    >>> print(translation_precision(scores, [[0], [0], []], k=1))
    P@1 = 0.500 on 2 of 3 queries (coverage 66.7%)
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError("scores must be 2-D (queries x target words), got "
                         f"{scores.shape}")
    if len(gold) != scores.shape[0]:
        raise ValueError(
            f"gold has {len(gold)} entries but scores has {scores.shape[0]} rows; give "
            "one set of accepted translations per query"
        )
    k = _check_k(k, scores.shape[1], "at most the number of target words")
    gold = [{int(g)} if np.isscalar(g) else {int(a) for a in g} for g in gold]
    covered = [i for i, accepted in enumerate(gold) if accepted]
    if not covered:
        raise ValueError(
            f"none of the {len(gold)} queries has a known translation (every gold set "
            "is empty), so precision is undefined; check that the dictionary's target "
            "words are in the target vocabulary"
        )
    top = np.argsort(-scores[covered], axis=1, kind="stable")[:, :k]
    hits = sum(bool(gold[i].intersection(row.tolist())) for i, row in zip(covered, top))
    return TranslationPrecision(
        k=k,
        precision=hits / len(covered),
        coverage=len(covered) / len(gold),
        n_queries=len(gold),
        n_covered=len(covered),
    )


def precision_at_k(scores, gold, k):
    """Share of queries with a known translation whose top k target words contain one.

    ``translation_precision(scores, gold, k).precision``: queries with an empty gold set
    are left out, as MUSE and vecmap do; :func:`translation_precision` also reports how
    many there were (the coverage). Parameters as there.

    Returns
    -------
    float in [0, 1].

    Examples
    --------
    >>> precision_at_k(np.array([[0.9, 0.1], [0.2, 0.8]]), [0, 0], k=1)
    0.5
    """
    return translation_precision(scores, gold, k).precision


def read_dictionary(path):
    """The (source, target) word pairs of a MUSE or vecmap bilingual dictionary file.

    One pair per line, the two words separated by a space or a tab (MUSE's
    ``es-en.0-5000.txt``, vecmap's ``en-es.test.txt``), UTF-8; blank lines and a
    byte-order mark are skipped. A source word may have several lines, one per accepted
    translation: :func:`group_by_source` collects them.

    Raises
    ------
    ValueError
        Naming the line, if it does not hold exactly two words.
    """
    pairs = []
    with open(path, encoding="utf-8-sig") as file:
        for number, line in enumerate(file, start=1):
            words = line.split()
            if not words:
                continue
            if len(words) != 2:
                raise ValueError(
                    f"{path}, line {number}: expected two words (source and target, "
                    f"separated by a space or tab), got {line.rstrip()!r}"
                )
            pairs.append((words[0], words[1]))
    return pairs


def group_by_source(pairs):
    """Every accepted translation of each source word, in order of first appearance.

    >>> group_by_source([("casa", "house"), ("casa", "home"), ("perro", "dog")])
    {'casa': ['house', 'home'], 'perro': ['dog']}
    """
    groups = {}
    for source, target in pairs:
        translations = groups.setdefault(source, [])
        if target not in translations:
            translations.append(target)
    return groups


@dataclass(frozen=True)
class DictionaryQueries:
    """A dictionary turned into translation queries over two vocabularies.

    Attributes
    ----------
    words : list of str
        The covered source words: each has at least one translation in the target
        vocabulary (and is itself in the source one).
    rows : array (q,) of int
        Their indices in the source vocabulary.
    gold : list of q tuples of int
        Indices in the target vocabulary of each word's accepted translations.
    missing : list of str
        Source words of the dictionary with no pair in both vocabularies.
    """

    words: list
    rows: np.ndarray
    gold: list
    missing: list

    @property
    def coverage(self):
        """Share of the dictionary's source words covered (vecmap's coverage)."""
        return len(self.words) / (len(self.words) + len(self.missing))

    def __repr__(self):
        return (f"DictionaryQueries(covered={len(self.words)}, "
                f"missing={len(self.missing)}, coverage={self.coverage:.3f})")


def _word_index(vocabulary):
    if hasattr(vocabulary, "key_to_index"):
        return vocabulary.key_to_index
    if isinstance(vocabulary, Mapping):
        return vocabulary
    return {word: i for i, word in enumerate(dict.fromkeys(vocabulary))}


def dictionary_queries(pairs, source_vocabulary, target_vocabulary):
    """Group ``pairs`` by source word and keep the translations both vocabularies know.

    This is how vecmap's ``eval_translation.py`` and MUSE's ``load_dictionary`` read a
    test dictionary: a pair counts only if both words are in their vocabularies, a
    source word is a query if it keeps at least one pair, and the others are reported
    (``missing``, ``coverage``) rather than scored as misses.

    Parameters
    ----------
    pairs : iterable of (source_word, target_word)
        E.g. from :func:`read_dictionary`.
    source_vocabulary, target_vocabulary : KeyedVectors, dict word -> index, or sequence
        of words (its order gives the indices).

    Returns
    -------
    DictionaryQueries
        Score ``rows`` against the target vocabulary and pass ``gold`` to
        :func:`translation_precision`.
    """
    source_index = _word_index(source_vocabulary)
    target_index = _word_index(target_vocabulary)
    words, rows, gold, missing = [], [], [], []
    for source, translations in group_by_source(pairs).items():
        known = tuple(target_index[t] for t in translations if t in target_index)
        if source in source_index and known:
            words.append(source)
            rows.append(source_index[source])
            gold.append(known)
        else:
            missing.append(source)
    if not words:
        raise ValueError(
            "no pair of the dictionary has both words in the vocabularies "
            f"({len(missing)} source words, none covered); check the languages' order "
            "and the case of the words"
        )
    return DictionaryQueries(words, np.array(rows, dtype=np.int64), gold, missing)


def _incidence(pairs, source_index, target_index):
    """Two 0/1 matrices, sentence pairs x source words and sentence pairs x target
    words: which words each aligned pair contains."""
    rows_s, cols_s, rows_t, cols_t = [], [], [], []
    n_pairs = 0
    for n_pairs, (source, target) in enumerate(pairs, start=1):
        found_s = {source_index[w] for w in source if w in source_index}
        found_t = {target_index[w] for w in target if w in target_index}
        rows_s += [n_pairs - 1] * len(found_s)
        cols_s += found_s
        rows_t += [n_pairs - 1] * len(found_t)
        cols_t += found_t
    if n_pairs == 0 or not source_index or not target_index:
        raise ValueError(
            "dice_dictionary needs at least one pair and words on both sides")

    def incidence(rows, cols, width):
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_pairs, width))

    return (incidence(rows_s, cols_s, len(source_index)),
            incidence(rows_t, cols_t, len(target_index)))


def _dice_and_counts(A, B):
    """Sparse (source words x target words) matrices of ``Dice(s, t)`` and ``n(s, t)``,
    over the pairs of words seen together at least once."""
    both = (A.T @ B).tocoo()  # n(s, t) for every pair of words seen together
    n_s, n_t = np.asarray(A.sum(axis=0)).ravel(), np.asarray(B.sum(axis=0)).ravel()
    dice = 2 * both.data / (n_s[both.row] + n_t[both.col])
    D = sp.csr_matrix((dice, (both.row, both.col)), shape=both.shape)
    counts = sp.csr_matrix((both.data, (both.row, both.col)), shape=both.shape)
    return D, counts


def dice_dictionary(
    pairs: Iterable[tuple[Sequence[str], Sequence[str]]],
    source_words: Collection[str],
    target_words: Collection[str],
    min_verses: int = 1,
) -> list[tuple[str, str, float]]:
    """Translation pairs read from aligned sentences by Dice's coefficient, mutual best
    only.

    For a source word s and a target word t, with ``n(s)`` and ``n(t)`` the numbers of
    aligned sentence pairs containing each and ``n(s, t)`` the number containing both,
    ``Dice(s, t) = 2 n(s, t) / (n(s) + n(t))`` (Dice 1945): 1 when the two always occur
    together, 0 when never. A pair is kept when t is the best-scoring target of s
    **and** s the best-scoring source of t (ties: the earlier word in ``source_words`` /
    ``target_words`` order), and the two share at least ``min_verses`` sentences.

    Parameters
    ----------
    pairs : iterable of (source_tokens, target_tokens)
        Aligned sentences, e.g. ``(es, en)`` from :func:`w2vlib.parallel_verses`.
    source_words, target_words : collections of str
        The words allowed on each side (e.g. the two embeddings' vocabularies); their
        order breaks ties.
    min_verses : int, default 1

    Raises
    ------
    ValueError
        If ``min_verses`` is not a positive integer, or there are no pairs or no words.

    Returns
    -------
    list of (source_word, target_word, dice), by decreasing Dice, then source order.
    """
    check_int("min_verses", min_verses)
    source_index = {word: i for i, word in enumerate(dict.fromkeys(source_words))}
    target_index = {word: i for i, word in enumerate(dict.fromkeys(target_words))}
    A, B = _incidence(pairs, source_index, target_index)
    D, counts = _dice_and_counts(A, B)
    rows = np.arange(D.shape[0])
    best_t = np.asarray(D.argmax(axis=1)).ravel()
    best_s = np.asarray(D.argmax(axis=0)).ravel()
    best_dice = np.asarray(D[rows, best_t]).ravel()
    shared = np.asarray(counts[rows, best_t]).ravel()
    keep = (best_dice > 0) & (best_s[best_t] == rows) & (shared >= min_verses)
    sources, targets = list(source_index), list(target_index)
    found = [
        (sources[s], targets[best_t[s]], float(best_dice[s]))
        for s in np.flatnonzero(keep)
    ]
    order = sorted(range(len(found)), key=lambda i: (-found[i][2], i))
    return [found[i] for i in order]
