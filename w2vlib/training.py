"""The training engine: one vectorised SGD step for a batch of examples, with negative
sampling (:func:`sgns_update`) or the full softmax (:func:`softmax_update`).

An *example* is an input vector ``h_e`` (row ``e`` of ``H``) with one or more positive
targets. In skip-gram the input is the center vector ``v_c`` and its positives are the
outside words of its window; in CBOW the input is the mean of the context vectors and
the positive is the center word. Positives come grouped CSR-style: ``targets[indptr[e]:
indptr[e+1]]`` belong to example ``e``. :func:`sgns_step` and :func:`softmax_step` are
the same steps for one pair per example, in the chapters' symbols (``v_c``, ``o``,
``U``).

Negative sampling, the variant used here: the loss of one pair is the chapter's
``-log σ(u_o·v_c) - Σ_k log σ(-u_k·v_c)``. word2vec.c draws K fresh negatives for every
pair; here the pairs of consecutive examples *share a pool of negatives* (as BlazingText
does, Gupta & Khare 2017), each draw weighted so that every pair keeps the expected
gradient of its K negatives, since every draw comes from the same ``P_n``. A pool costs
fewer dot products and gathers each vector once, which is what lets numpy keep pace with
gensim's compiled loop; ``benchmarks/README.md`` has the measurements behind the
choices.

A noise word equal to a pair's positive is skipped *for that pair*, as word2vec.c
(``if (target == word) continue;``) and gensim skip such a draw. Kept, it would push
every observed pair apart with weight about ``K P_n(o)``; on a corpus of few words
(``benchmarks/two_word_corpus.py``) the pair could never be learnt.

All gradients of a batch are computed from the same parameters and then added at once
(the sum over the batch of the per-example SGD steps). The rows of ``U`` a step needs
are read once, by distinct word, because random reads of the large ``U`` bound the
speed; the sums over repeated rows are products with sparse matrices (scipy), never
``np.add.at``.
"""
import numpy as np
import scipy.sparse as sp

__all__ = ["sgns_step", "softmax_step", "sgns_update", "softmax_update", "add_rows"]


def _log_sigmoid_and_complement(x):
    """``(log σ(x), σ(-x))`` elementwise, in the dtype of ``x``, without overflow.

    With ``z = exp(-|x|)`` (never above 1): ``log σ(x) = min(x, 0) - log(1 + z)`` and
    ``σ(-x) = z / (1 + z)`` for ``x >= 0``, ``1 / (1 + z)`` otherwise. One exp and one
    log1p serve both, several times faster than ``np.logaddexp`` in float32.
    """
    z = np.exp(-np.abs(x))
    log_sigmoid = np.minimum(x, 0) - np.log1p(z)
    complement = np.where(x >= 0, z, 1) / (1 + z)
    return log_sigmoid, complement


def _compact(rows, n_rows):
    """Distinct values of ``rows`` (sorted) and each entry's position among them.

    A bincount over the vocabulary is cheaper here than the sort inside ``np.unique``.
    """
    touched = np.flatnonzero(np.bincount(rows, minlength=n_rows))
    position = np.empty(n_rows, dtype=np.int64)
    position[touched] = np.arange(touched.size)
    return touched, position[rows]


def _add_scattered(
    matrix, touched, rows, compact, example_indptr, values, updates_by_example
):
    """``matrix[touched[compact[i]]] += values[i] * updates_by_example[e]`` for entry i
    of example e, given ``rows = matrix[touched]`` (which it updates too).

    The entries are given example by example (``example_indptr``): as the columns of a
    CSC matrix with one row per touched word, whose product with ``updates_by_example``
    adds the updates in compiled code, summing repeated rows, with no sort.
    """
    by_row = sp.csc_matrix(
        (values, compact, example_indptr),
        shape=(touched.size, updates_by_example.shape[0]),
    )
    rows += by_row @ updates_by_example
    matrix[touched] = rows


def sgns_update(
    H,
    targets,
    indptr,
    negatives,
    U,
    learning_rate,
    negative_weight=1.0,
    examples_per_pool=1,
):
    """One negative-sampling SGD step for a batch; updates ``U`` in place.

    The loss of the batch is, over every pair ``(e, o)`` (example ``e``, positive
    ``o``), ``-log σ(u_o·h_e) - w_e Σ_{k in pool(e), k != o} log σ(-u_k·h_e)``: a noise
    word that equals the pair's own positive is skipped *for that pair only* (it still
    counts for the example's other positives), as word2vec.c (``if (target == word)
    continue;``) and gensim skip such a draw. Otherwise every observed pair would also
    be pushed apart, with weight about ``K P_n(o)``: on a corpus of few words the
    positive term could never win.

    Parameters
    ----------
    H : (E, n) float array
        Input vectors of the examples (``v_c`` for skip-gram).
    targets : (P,) int array
        Positive (outside) words, grouped by example through ``indptr``.
    indptr : (E + 1,) int array
        ``targets[indptr[e]:indptr[e + 1]]`` are the positives of example ``e``.
    negatives : (ceil(E / examples_per_pool), K) int array
        Pools of negative words: example ``e`` uses row ``e // examples_per_pool`` for
        all its positives.
    U : (|V|, n) float array
        Context vectors ``u_w`` (rows); updated in place.
    learning_rate : float
    negative_weight : float or (E,) float array
        ``w_e``, the weight of each negative term of each pair of example ``e`` (1: the
        chapter's loss, summed over the pairs).
    examples_per_pool : int
        How many consecutive examples share one pool of negatives. Each pool is gathered
        once, so sharing it lowers the memory traffic per example.

    Returns
    -------
    loss : float
        The loss above, summed over all pairs.
    step_H : (E, n) array
        The SGD step for each input vector (``-learning_rate`` times its gradient); the
        caller adds it to the rows the inputs came from.
    """
    n_examples = H.shape[0]
    pairs_per_example = np.diff(indptr)
    owner_of_pair = np.repeat(np.arange(n_examples), pairs_per_example)
    pool_of_example = np.arange(n_examples) // examples_per_pool
    touched, compact, rows, gathered = _gather_context_rows(U, targets, negatives)
    positive_scores, negative_scores = _scores(
        H, owner_of_pair, gathered, targets.size, negatives.shape, examples_per_pool)
    weight = _negative_weights(negatives, targets, owner_of_pair, pool_of_example,
                               pairs_per_example, negative_weight, H.dtype)
    loss, positive_coef, negative_coef = _loss_and_coefficients(
        positive_scores, negative_scores, weight, learning_rate)
    entry_indptr, coefficients, sources = _entries(
        indptr, owner_of_pair, pool_of_example, positive_coef, negative_coef, H.dtype)
    # step_H[e] = Σ over the entries of e of coefficient * u_word: one sparse product.
    by_example = sp.csr_matrix(
        (coefficients, sources, entry_indptr), shape=(n_examples, gathered.shape[0])
    )
    step_H = by_example @ gathered
    # u_word += coefficient * h_e for every entry, through the distinct rows read above.
    _add_scattered(U, touched, rows, compact[sources], entry_indptr, coefficients, H)
    return float(loss), step_H


def _gather_context_rows(U, targets, negatives):
    """The context vectors of the step: ``U`` read once, row by distinct word.

    Reading ``U`` entry by entry would cost one random access to a large array per
    entry, where the speed of a step is lost on a processor with small caches; the
    entries are copied instead from the small array ``rows``. Returns ``(touched,
    compact, rows, gathered)``: the distinct words, each entry's position among them,
    their rows of ``U`` and the entries' vectors (the P positives, then the K negatives
    of each pool).
    """
    touched, compact = _compact(
        np.concatenate([targets, negatives.ravel()]), U.shape[0]
    )
    rows = np.take(U, touched, axis=0)
    return touched, compact, rows, np.take(rows, compact, axis=0)


def _scores(H, owner_of_pair, gathered, n_positives, pool_shape, examples_per_pool):
    """``u_o·h_e`` of every pair (P,) and ``u_k·h_e`` of every example with every word
    of its pool (E, K), one small product per pool."""
    n_examples = H.shape[0]
    n_pools, K = pool_shape
    positive_vectors, pool_vectors = gathered[:n_positives], gathered[n_positives:]
    positive_scores = np.einsum(
        "pn,pn->p", np.take(H, owner_of_pair, axis=0), positive_vectors)
    padded = np.zeros((n_pools * examples_per_pool, H.shape[1]), dtype=H.dtype)
    padded[:n_examples] = H
    negative_scores = np.matmul(
        padded.reshape(n_pools, examples_per_pool, -1),
        pool_vectors.reshape(n_pools, K, -1).transpose(0, 2, 1),
    ).reshape(-1, K)[:n_examples]
    return positive_scores, negative_scores


def _negative_weights(negatives, targets, owner_of_pair, pool_of_example,
                      pairs_per_example, negative_weight, dtype):
    """(E, K): the weight of noise word k for example e, ``w_e`` times the number of its
    pairs that use it, i.e. all of them but those whose positive is that very word."""
    n_examples, K = pairs_per_example.size, negatives.shape[1]
    uses = np.repeat(pairs_per_example.astype(dtype)[:, None], K, axis=1)
    pool_of_pair = pool_of_example[owner_of_pair]
    pair, slot = np.nonzero(
        np.take(negatives, pool_of_pair, axis=0) == targets[:, None]
    )
    if pair.size:
        uses -= np.bincount(
            owner_of_pair[pair] * K + slot, minlength=n_examples * K
        ).reshape(n_examples, K)
    weight = np.broadcast_to(np.asarray(negative_weight, dtype=dtype), (n_examples,))
    return weight[:, None] * uses


def _loss_and_coefficients(positive_scores, negative_scores, weight, learning_rate):
    """The summed loss, and minus its derivative with respect to each score times the
    learning rate: ``-d/ds [-log σ(s)] = σ(-s)`` and ``-d/ds [-log σ(-s)] = -σ(s)``."""
    log_sig_positive, sig_minus_positive = _log_sigmoid_and_complement(positive_scores)
    log_sig_negative, sig_negative = _log_sigmoid_and_complement(-negative_scores)
    loss = -log_sig_positive.sum(dtype=np.float64)
    loss -= (weight * log_sig_negative).sum(dtype=np.float64)
    positive_coef = learning_rate * sig_minus_positive
    negative_coef = -learning_rate * weight * sig_negative
    return loss, positive_coef, negative_coef


def _entries(
    indptr, owner_of_pair, pool_of_example, positive_coef, negative_coef, dtype
):
    """The entries of each example in CSR order -- its positives, then the K negatives
    of its pool -- as ``(entry_indptr, coefficients, sources)``; ``sources`` is each
    entry's row in the gathered vectors. The coefficients are stored in ``dtype``, that
    of the input vectors (the learning rate may be a float64 scalar)."""
    n_examples, K = negative_coef.shape
    n_positives = positive_coef.size
    entry_indptr = indptr + np.arange(n_examples + 1) * K
    positive_slots = np.arange(n_positives) + owner_of_pair * K
    negative_slots = (entry_indptr[1:] - K)[:, None] + np.arange(K)
    coefficients = np.empty(entry_indptr[-1], dtype=dtype)
    sources = np.empty(entry_indptr[-1], dtype=np.int64)
    coefficients[positive_slots], coefficients[negative_slots] = (
        positive_coef,
        negative_coef,
    )
    sources[positive_slots] = np.arange(n_positives)
    sources[negative_slots] = n_positives + pool_of_example[:, None] * K + np.arange(K)
    return entry_indptr, coefficients, sources


def softmax_update(H, targets, indptr, U, learning_rate):
    """One full-softmax SGD step for a batch; updates ``U`` in place.

    For example ``e`` with input ``h_e`` and positives ``o_1..o_j``, ``ŷ_e = softmax(U
    h_e)`` and the loss is ``Σ_i -log ŷ_e[o_i]``. Its gradient with respect to the
    scores is ``j ŷ_e - Σ_i y_{o_i}``, so ``∂/∂h_e = U^T (j ŷ_e - Σ_i y_{o_i})`` and
    ``∂/∂U = Σ_e (j ŷ_e - Σ_i y_{o_i}) h_e^T``. Costs O(E |V| n): every word's score is
    computed.

    Returns ``(loss, step_H)`` as :func:`sgns_update` does.
    """
    n_examples = H.shape[0]
    pairs_per_example = np.diff(indptr)
    owner_of_pair = np.repeat(np.arange(n_examples), pairs_per_example)

    scores = H @ U.T
    scores -= scores.max(axis=1, keepdims=True)
    log_normaliser = np.log(np.exp(scores).sum(axis=1))
    loss = (log_normaliser[owner_of_pair] - scores[owner_of_pair, targets]).sum()

    grad_scores = np.exp(scores - log_normaliser[:, None]) * pairs_per_example[:, None]
    np.subtract.at(grad_scores, (owner_of_pair, targets), 1.0)
    step_H = -learning_rate * (grad_scores @ U)
    U -= learning_rate * (grad_scores.T @ H)
    return float(loss), step_H


def add_rows(matrix, rows, steps):
    """``matrix[rows[i]] += steps[i]`` for every ``i``, summing repeated rows."""
    touched, compact = _compact(rows, matrix.shape[0])
    _add_scattered(
        matrix,
        touched,
        np.take(matrix, touched, axis=0),
        compact,
        np.arange(rows.size + 1),
        np.ones(rows.size, dtype=matrix.dtype),
        steps,
    )


def _one_pair_each(v_c, o):
    """``(H, targets, indptr)`` of examples with one pair each, from ``v_c`` (n,) or (E,
    n) and ``o`` (an int or (E,) ints)."""
    H = np.atleast_2d(v_c)
    targets = np.atleast_1d(np.asarray(o, dtype=np.int64))
    if targets.shape != (H.shape[0],):
        raise ValueError(
            f"o must hold one outside word per center vector: got {targets.size} for "
            f"{H.shape[0]} vector(s)"
        )
    return H, targets, np.arange(H.shape[0] + 1)


def sgns_step(v_c, o, negatives, U, learning_rate):
    """The engine's negative-sampling SGD step on pairs (c, o), each with its K
    negatives.

    The chapter's loss ``-log σ(u_o·v_c) - Σ_k log σ(-u_k·v_c)``; a negative equal to
    ``o`` is skipped, as in word2vec.c. ``U`` is updated in place (``U -= η ∂J/∂U``);
    the step of ``v_c`` is returned for the caller to add.

    Parameters
    ----------
    v_c : array (n,), or (E, n) for E pairs
    o : int, or (E,) ints
    negatives : (K,) ints, or (E, K)
    U : array (|V|, n), updated in place
    learning_rate : float
        η.

    Returns
    -------
    loss : float, summed over the pairs
    step_v : array shaped as ``v_c``: ``-η ∂J/∂v_c``

    Examples
    --------
    >>> U = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> loss, step_v = sgns_step(np.array([1.0, 0.0]), 1, np.array([2]), U, 0.5)
    >>> round(loss, 6), step_v.round(3)
    (1.626523, array([-0.231, -0.366]))
    """
    H, targets, indptr = _one_pair_each(v_c, o)
    negatives = np.asarray(negatives, dtype=np.int64).reshape(H.shape[0], -1)
    loss, step_H = sgns_update(H, targets, indptr, negatives, U, learning_rate)
    return loss, step_H.reshape(np.shape(v_c))


def softmax_step(v_c, o, U, learning_rate):
    """The engine's full-softmax SGD step on pairs (c, o); ``U`` updated in place.

    Parameters and returns as :func:`sgns_step`, without negatives: the loss is
    ``-log softmax(U v_c)[o]``.
    """
    H, targets, indptr = _one_pair_each(v_c, o)
    loss, step_H = softmax_update(H, targets, indptr, U, learning_rate)
    return loss, step_H.reshape(np.shape(v_c))
