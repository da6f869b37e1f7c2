"""Count-based word vectors: co-occurrence counts, (positive) PMI and truncated SVD.

Chapter 2 builds dense word vectors without any training:

1. ``cooccurrence_matrix`` counts how often word ``j`` appears within ``window``
   positions of word ``i`` (a symmetric window that never crosses a sentence boundary);
2. ``pmi`` / ``ppmi`` turn counts into pointwise mutual information, so that frequent
   words such as "the" stop dominating every row;
3. ``truncated_svd`` / ``svd_embeddings`` keep the top ``k`` singular directions of that
   matrix and use them as ``k``-dimensional word vectors.

Everything is dense float64, which is right for the small corpora of the early chapters
(a vocabulary of a few thousand words at most).
"""
from collections.abc import Mapping

import numpy as np

from .validation import check_int

__all__ = [
    "MAX_DENSE_VOCABULARY",
    "WEIGHTINGS",
    "cooccurrence_matrix",
    "pmi",
    "ppmi",
    "truncated_svd",
    "svd_embeddings",
]

#: Largest vocabulary ``cooccurrence_matrix`` accepts: a dense |V| x |V| float64 matrix
#: of this size already takes 800 MB.
MAX_DENSE_VOCABULARY = 10_000

WEIGHTINGS = ("uniform", "harmonic")


def _vocabulary_order(vocab_or_index):
    """``(words, key_to_index)`` of a fitted Vocabulary, a word list or a dict."""
    if hasattr(vocab_or_index, "index_to_key_"):
        words = list(vocab_or_index.index_to_key_)
    elif isinstance(vocab_or_index, Mapping):
        words = sorted(vocab_or_index, key=vocab_or_index.__getitem__)
        if [vocab_or_index[w] for w in words] != list(range(len(words))):
            raise ValueError(
                "a word-to-index dict must map its words to 0, 1, ..., len-1 exactly "
                f"once; got indices {sorted(vocab_or_index.values())[:10]}...; pass a "
                "list of words instead"
            )
    elif isinstance(vocab_or_index, str) or not hasattr(vocab_or_index, "__iter__"):
        raise TypeError(
            "vocab_or_index must be a fitted Vocabulary, a list of words or a dict "
            f"word -> index, got {type(vocab_or_index).__name__}: {vocab_or_index!r}"
        )
    else:
        words = list(vocab_or_index)
    if not words:
        raise ValueError("the vocabulary is empty; fit it on a non-empty corpus first")
    bad = [w for w in words if not isinstance(w, str)]
    if bad:
        raise TypeError(f"vocabulary entries must be strings, got {bad[0]!r}")
    key_to_index = {word: i for i, word in enumerate(words)}
    if len(key_to_index) != len(words):
        duplicate = next(w for i, w in enumerate(words) if key_to_index[w] != i)
        raise ValueError(f"the vocabulary lists {duplicate!r} more than once; remove "
                         "duplicates")
    if len(words) > MAX_DENSE_VOCABULARY:
        raise ValueError(
            f"the vocabulary has {len(words)} words, more than the "
            f"{MAX_DENSE_VOCABULARY} a dense co-occurrence matrix allows; build it "
            "with Vocabulary(max_size=...) or min_count=... to keep fewer words"
        )
    return words, key_to_index


def cooccurrence_matrix(sentences, vocab_or_index, window, weighting="uniform"):
    """Count co-occurrences inside a symmetric window.

    Parameters
    ----------
    sentences : iterable of lists of str
        Tokenised sentences. Words missing from the vocabulary are removed first (as
        ``Vocabulary.encode`` does), so the window is measured on the words that remain.
    vocab_or_index : Vocabulary, list of str or dict str -> int
        Fixes the row/column order: a fitted ``w2vlib.vocab.Vocabulary`` (its
        ``index_to_key_``), a list of distinct words, or a dict mapping each word to
        0, 1, ..., |V|-1.
    window : int >= 1
        The window radius ``m``: words at distance 1, ..., m on either side are counted.
    weighting : {"uniform", "harmonic"}
        ``"uniform"`` adds 1 for every pair inside the window; ``"harmonic"`` adds
        ``1/d`` for a pair at distance ``d`` (as GloVe does), so near neighbours weigh
        more.

    Returns
    -------
    C : ndarray of shape (|V|, |V|), float64
        ``C[i, j]`` = (weighted) number of times word ``j`` appears within ``window``
        positions of an occurrence of word ``i`` in the same sentence. ``C`` is
        symmetric.
    words : list of str
        The vocabulary order of the rows and columns of ``C``.
    """
    check_int("window", window, fix="pass window=1 or more")
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f"weighting must be 'uniform' or 'harmonic', got {weighting!r}; pass "
            "weighting='uniform' to count every pair once"
        )
    words, key_to_index = _vocabulary_order(vocab_or_index)
    tokens, owners = _encode(sentences, key_to_index)
    size = len(words)
    counts = np.zeros(size * size, dtype=np.float64)
    for distance in range(1, min(window, max(len(tokens) - 1, 0)) + 1):
        same_sentence = owners[:-distance] == owners[distance:]
        left = tokens[:-distance][same_sentence]
        right = tokens[distance:][same_sentence]
        weight = 1.0 if weighting == "uniform" else 1.0 / distance
        # Each pair is seen once from each side: (left, right) and (right, left).
        counts += weight * np.bincount(left * size + right, minlength=size * size)
        counts += weight * np.bincount(right * size + left, minlength=size * size)
    return counts.reshape(size, size), words


def _check_count_matrix(C):
    C = np.asarray(C, dtype=np.float64)
    if C.ndim != 2:
        raise ValueError("C must be a 2-D count matrix, got an array of shape "
                         f"{C.shape}")
    if C.size == 0:
        raise ValueError(f"C is empty (shape {C.shape}); count co-occurrences on a "
                         "corpus first")
    if not np.all(np.isfinite(C)) or np.any(C < 0):
        raise ValueError("C must hold finite counts >= 0; found negative, NaN or "
                         "infinite entries")
    if C.sum() == 0:
        raise ValueError("C has no co-occurrences (all zeros); use a larger corpus or "
                         "window")
    return C


def pmi(C, alpha=1.0):
    """Pointwise mutual information of a count matrix (natural log).

    With ``N = sum_ij C_ij``, ``P(i, j) = C_ij / N``, ``P(i) = sum_j C_ij / N`` and the
    (optionally smoothed) context distribution ``P_alpha(j) = c_j^alpha / sum_k
    c_k^alpha`` where ``c_j = sum_i C_ij``::

        PMI(i, j) = log( P(i, j) / (P(i) * P_alpha(j)) )

    ``alpha = 1`` is plain PMI; ``alpha = 0.75`` is the context-distribution smoothing
    of Levy, Goldberg & Dagan (2015), which raises the probability of rare contexts.
    Entries with ``C_ij = 0`` are ``-inf`` (the log of zero), which is why ``ppmi``
    exists.

    Returns a float64 array with the shape of ``C``.
    """
    C = _check_count_matrix(C)
    if not np.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"alpha must be a number > 0, got {alpha!r}; pass alpha=1.0 "
                         "(no smoothing)")
    total = C.sum()
    row_probability = C.sum(axis=1) / total
    smoothed_context = C.sum(axis=0) ** alpha
    context_probability = smoothed_context / smoothed_context.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (C / total) / np.outer(row_probability, context_probability)
        result = np.log(ratio)
    # 0 / 0 happens only in empty rows/columns, where C_ij = 0: the log of zero, like
    # any other.
    result[C == 0] = -np.inf
    return result


def ppmi(C, alpha=1.0, shift=1.0):
    """Positive pointwise mutual information: ``max(PMI(i, j) - log(shift), 0)``.

    ``PMI`` is computed by ``pmi(C, alpha)``; pairs that never co-occur get 0 instead of
    ``-inf``. ``shift = 1`` gives the usual PPMI. ``shift = k`` gives the shifted PPMI
    of Levy & Goldberg (2014), the matrix skip-gram with ``k`` negative samples
    implicitly factorises (chapter 8).

    Returns a float64 array with the shape of ``C``, every entry >= 0.
    """
    if not np.isfinite(shift) or shift <= 0:
        raise ValueError(f"shift must be a number > 0, got {shift!r}; pass shift=1.0 "
                         "for plain PPMI")
    shifted = pmi(C, alpha=alpha) - np.log(shift)
    return np.maximum(shifted, 0.0)


def _encode(sentences, key_to_index):
    """The corpus as one array of word indices and the sentence each came from.

    Words missing from the vocabulary are removed first. A pair at distance d is then
    one slice comparison, and it counts only if both tokens carry the same sentence id.
    """
    if isinstance(sentences, str):
        raise TypeError(
            "sentences must be a list of tokenised sentences (lists of str), got one "
            "str; split it first, e.g. [text.split()]"
        )
    token_ids, sentence_ids = [], []
    n_sentences = 0
    for sentence_number, sentence in enumerate(sentences):
        n_sentences += 1
        if isinstance(sentence, str):
            raise TypeError(
                f"sentence {sentence_number} is a str ({sentence[:40]!r}); each "
                "sentence must be a list of tokens, e.g. sentence.split()"
            )
        encoded = [key_to_index[w] for w in sentence if w in key_to_index]
        token_ids.extend(encoded)
        sentence_ids.extend([sentence_number] * len(encoded))
    if n_sentences == 0:
        raise ValueError("the corpus is empty: pass at least one sentence")
    return np.asarray(token_ids, dtype=np.int64), np.asarray(
        sentence_ids, dtype=np.int64
    )


def truncated_svd(M, n_components):
    """The top ``n_components`` terms of the SVD ``M = U diag(s) Vt``, with fixed signs.

    Returns ``(U_k, s_k, Vt_k)`` of shapes (rows, k), (k,), (k, columns), singular
    values in decreasing order. ``U_k @ np.diag(s_k) @ Vt_k`` is the best rank-k
    approximation of ``M`` in Frobenius norm (Eckart-Young), with squared error
    ``sum(s[k:] ** 2)``.

    An SVD is unique only up to the sign of each pair (u_i, v_i), and different
    LAPACK/BLAS builds pick different signs. We flip each pair so that the entry of
    largest absolute value in ``u_i`` is positive, which makes the result the same
    everywhere.
    """
    M = np.asarray(M, dtype=np.float64)
    if M.ndim != 2 or M.size == 0:
        raise ValueError("M must be a non-empty 2-D matrix, got an array of shape "
                         f"{M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(
            "M holds NaN or infinite entries; use ppmi(C), not pmi(C), before the SVD")
    largest = min(M.shape)
    check_int("n_components", n_components, 1, largest,
              what=f"the smaller side of M, shape {M.shape}")
    U, s, Vt = np.linalg.svd(M, full_matrices=False)
    U, s, Vt = U[:, :n_components], s[:n_components], Vt[:n_components]
    largest_entry = np.argmax(np.abs(U), axis=0)
    signs = np.sign(U[largest_entry, np.arange(n_components)])
    signs[signs == 0] = 1.0
    return U * signs, s, Vt * signs[:, None]


def svd_embeddings(M, n_components, power=1.0):
    """Word vectors from the truncated SVD of ``M``: row ``i`` is ``U_k[i] * s_k **
    power``.

    ``power = 1`` returns ``U_k diag(s_k)``: the coordinates of each row of ``M`` on the
    top ``k`` right singular vectors (``M @ Vt_k.T``), which are the PCA scores when
    ``M`` has centred columns. ``power = 0.5`` returns ``U_k diag(s_k)^(1/2)``,
    splitting ``s`` evenly between word and context vectors as in Levy, Goldberg & Dagan
    (2015); ``power = 0`` keeps only directions.

    Returns a float64 array of shape (M.shape[0], n_components).
    """
    if not np.isfinite(power) or power < 0:
        raise ValueError(f"power must be a number >= 0, got {power!r}; pass power=1.0 "
                         "or 0.5")
    U, s, _ = truncated_svd(M, n_components)
    return U * s**power
