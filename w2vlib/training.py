"""The training engine: one vectorised SGD update for a batch of examples, for negative sampling
and for the full softmax.

An *example* is an input vector ``h_e`` (row ``e`` of ``H``) with one or more positive targets.
In skip-gram the input is the centre vector ``v_c`` and its positives are the outside words of
its window; in CBOW the input is the mean of the context vectors and the positive is the centre
word. Positives come as a CSR-style grouping: ``targets[indptr[e]:indptr[e+1]]`` belong to
example ``e``.

Negative sampling, the variant used here
-----------------------------------------
The loss of one pair is the chapter's ``-log σ(u_o·v_c) - Σ_k log σ(-u_k·v_c)``. word2vec.c
draws K fresh negatives for every pair; here the ``j`` pairs that share a centre *share a pool
of negatives* drawn for that centre (as BlazingText does, Gupta & Khare 2017). A pool of
``K'`` draws, each weighted ``j K / K'``, gives every pair the expected gradient of its K
negatives, since every draw comes from the same ``P_n``. What changes is the cost: a centre
needs ``j + K'`` dot products instead of ``j (K + 1)``, and each vector is gathered once per
centre instead of once per pair. That is what lets numpy keep pace with gensim's compiled loop
(``benchmarks/``). With ``K' = K`` the weights are heavy, and the extra variance shows on
Shakespeare as a lower analogy accuracy and a less stable WordSim-353 correlation after 10
epochs. So ``Word2Vec`` by default (``shared_negatives=2``) draws a pool of ``K' = 2K`` for
every *two* consecutive centres: each centre sees 2K negatives (weight ``j / 2``), yet the
memory traffic, which bounds the speed, stays that of K gathered vectors per centre.

A noise word equal to a pair's positive is skipped *for that pair*, as word2vec.c
(``if (target == word) continue;``) and gensim skip such a draw: a pool shared by a centre's
pairs (or by consecutive centres) is checked against each pair's own positive, and a match is
dropped from that pair's loss only. Kept, it would push every observed pair apart with weight
about ``K P_n(o)``; on a corpus of few words (``benchmarks/two_word_corpus.py``) the pair could
never be learnt.

All gradients of a batch are computed from the same parameters and then added at once (the
sum over the batch of the per-example SGD steps). The vectors a step needs are gathered once
into one array; the step of each input vector and the scatter-add into ``U`` are then products
with sparse matrices (scipy) over the same entries, one entry per positive or negative of an
example, so repeated rows are summed in compiled code and never through ``np.add.at``.
"""
import numpy as np
import scipy.sparse as sp


def _log_sigmoid_and_complement(x):
    """``(log σ(x), σ(-x))`` elementwise, in the dtype of ``x``, without overflow.

    With ``z = exp(-|x|)`` (never above 1): ``log σ(x) = min(x, 0) - log(1 + z)`` and
    ``σ(-x) = z / (1 + z)`` for ``x >= 0``, ``1 / (1 + z)`` otherwise. One exp and one log1p
    serve both, several times faster than ``np.logaddexp`` in float32.
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


def _add_scattered(matrix, touched, rows, compact, example_indptr, values, updates_by_example):
    """``matrix[touched[compact[i]]] += values[i] * updates_by_example[e]`` for entry i of
    example e, given ``rows = matrix[touched]`` (which it updates too).

    The entries are given example by example (``example_indptr``): as the columns of a CSC
    matrix with one row per touched word, whose product with ``updates_by_example`` adds the
    updates in compiled code, summing repeated rows, with no sort.
    """
    by_row = sp.csc_matrix(
        (values, compact, example_indptr),
        shape=(touched.size, updates_by_example.shape[0]),
    )
    rows += by_row @ updates_by_example
    matrix[touched] = rows


def sgns_update(
    H, targets, indptr, negatives, U, learning_rate, negative_weight=1.0, examples_per_pool=1
):
    """One negative-sampling SGD step for a batch; updates ``U`` in place.

    The loss of the batch is, over every pair ``(e, o)`` (example ``e``, positive ``o``),
    ``-log σ(u_o·h_e) - w_e Σ_{k in pool(e), k != o} log σ(-u_k·h_e)``: a noise word that
    equals the pair's own positive is skipped *for that pair only* (it still counts for the
    example's other positives), as word2vec.c (``if (target == word) continue;``) and gensim
    skip such a draw. Otherwise every observed pair would also be pushed apart, with weight
    about ``K P_n(o)``: on a corpus of few words the positive term could never win.

    Parameters
    ----------
    H : (E, n) float array
        Input vectors of the examples (``v_c`` for skip-gram).
    targets : (P,) int array
        Positive (outside) words, grouped by example through ``indptr``.
    indptr : (E + 1,) int array
        ``targets[indptr[e]:indptr[e + 1]]`` are the positives of example ``e``.
    negatives : (ceil(E / examples_per_pool), K) int array
        Pools of negative words: example ``e`` uses row ``e // examples_per_pool`` for all its
        positives.
    U : (|V|, n) float array
        Context vectors ``u_w`` (rows); updated in place.
    learning_rate : float
    negative_weight : float or (E,) float array
        ``w_e``, the weight of each negative term of each pair of example ``e`` (1: the
        chapter's loss, summed over the pairs).
    examples_per_pool : int
        How many consecutive examples share one pool of negatives. Each pool is gathered once,
        so sharing it lowers the memory traffic per example.

    Returns
    -------
    loss : float
        The loss above, summed over all pairs.
    step_H : (E, n) array
        The SGD step for each input vector (``-learning_rate`` times its gradient); the caller
        adds it to the rows the inputs came from.
    """
    n_examples = H.shape[0]
    pairs_per_example = np.diff(indptr)
    owner_of_pair = np.repeat(np.arange(n_examples), pairs_per_example)
    pool_of_example = np.arange(n_examples) // examples_per_pool

    # U is read once, row by distinct word (`rows`): reading it entry by entry costs one
    # random access to a large array per entry, where the speed of the step is lost on a
    # processor with small caches. The entries are then copied from that small array into
    # `gathered`: the P positives, then the K negatives of each pool.
    n_positives, (n_pools, K) = targets.size, negatives.shape
    touched, compact = _compact(np.concatenate([targets, negatives.ravel()]), U.shape[0])
    rows = np.take(U, touched, axis=0)
    gathered = np.take(rows, compact, axis=0)
    positive_vectors, pool_vectors = gathered[:n_positives], gathered[n_positives:]
    positive_scores = np.einsum("pn,pn->p", np.take(H, owner_of_pair, axis=0), positive_vectors)
    # Scores of every example against every word of its pool: one small product per pool.
    padded = np.zeros((n_pools * examples_per_pool, H.shape[1]), dtype=H.dtype)
    padded[:n_examples] = H
    negative_scores = np.matmul(
        padded.reshape(n_pools, examples_per_pool, -1),
        pool_vectors.reshape(n_pools, K, -1).transpose(0, 2, 1),
    ).reshape(-1, K)[:n_examples]

    # The weight of noise word k for example e: w_e times the number of its pairs that use
    # it, i.e. all of them but those whose positive is that very word.
    uses = np.repeat(pairs_per_example[:, None], K, axis=1)
    pool_of_pair = pool_of_example[owner_of_pair]
    pair, slot = np.nonzero(np.take(negatives, pool_of_pair, axis=0) == targets[:, None])
    if pair.size:
        uses -= np.bincount(
            owner_of_pair[pair] * K + slot, minlength=n_examples * K
        ).reshape(n_examples, K)
    weight = np.broadcast_to(np.asarray(negative_weight, dtype=H.dtype), (n_examples,))
    weight = weight[:, None] * uses
    log_sig_positive, sig_minus_positive = _log_sigmoid_and_complement(positive_scores)
    log_sig_negative, sig_negative = _log_sigmoid_and_complement(-negative_scores)
    loss = -log_sig_positive.sum(dtype=np.float64)
    loss -= (weight * log_sig_negative).sum(dtype=np.float64)

    # Minus the gradient of the loss with respect to each score, times the learning rate:
    # -d/ds [-log σ(s)] = σ(-s) and -d/ds [-log σ(-s)] = -σ(s).
    positive_coef = learning_rate * sig_minus_positive
    negative_coef = -learning_rate * weight * sig_negative

    # The entries of example e, in CSR order: its positives, then the K negatives of its pool.
    # Each entry has a coefficient and its row in `gathered` (whose word is `compact` there).
    entry_indptr = indptr + np.arange(n_examples + 1) * K
    positive_slots = np.arange(n_positives) + owner_of_pair * K
    negative_slots = (entry_indptr[1:] - K)[:, None] + np.arange(K)
    coefficients = np.empty(entry_indptr[-1], dtype=H.dtype)
    sources = np.empty(entry_indptr[-1], dtype=np.int64)
    coefficients[positive_slots], coefficients[negative_slots] = positive_coef, negative_coef
    sources[positive_slots] = np.arange(n_positives)
    sources[negative_slots] = n_positives + pool_of_example[:, None] * K + np.arange(K)

    # step_H[e] = Σ over the entries of e of coefficient * u_word: one sparse product.
    by_example = sp.csr_matrix(
        (coefficients, sources, entry_indptr), shape=(n_examples, gathered.shape[0])
    )
    step_H = by_example @ gathered
    # u_word += coefficient * h_e for every entry, through the distinct rows read above.
    _add_scattered(U, touched, rows, compact[sources], entry_indptr, coefficients, H)
    return float(loss), step_H


def softmax_update(H, targets, indptr, U, learning_rate):
    """One full-softmax SGD step for a batch; updates ``U`` in place.

    For example ``e`` with input ``h_e`` and positives ``o_1..o_j``, ``ŷ_e = softmax(U h_e)``
    and the loss is ``Σ_i -log ŷ_e[o_i]``. Its gradient with respect to the scores is
    ``j ŷ_e - Σ_i y_{o_i}``, so ``∂/∂h_e = U^T (j ŷ_e - Σ_i y_{o_i})`` and
    ``∂/∂U = Σ_e (j ŷ_e - Σ_i y_{o_i}) h_e^T``. Costs O(E |V| n): every word's score is computed.

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
        matrix, touched, np.take(matrix, touched, axis=0), compact, np.arange(rows.size + 1),
        np.ones(rows.size, dtype=matrix.dtype), steps,
    )
