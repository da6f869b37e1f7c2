"""Hierarchical softmax (appendix A): the loss of one pair, every word's probability,
and the batched SGD step ``Word2Vec(hs=True)`` trains with.

Notation of the appendix. The path of the outside word o runs through the inner nodes
``points`` p_1 (the root), ..., p_ℓ of a :class:`~w2vlib.huffman.HuffmanTree`, taking
branch d_i (its code, 0 or 1) at node p_i. Inner node p has the vector u'_p, row p of
``U_inner`` ((|V| - 1, n), gensim's ``syn1``). With s_i = 1 - 2 d_i (+1 for branch 0, -1
for branch 1),

    P(o | c) = Π_i σ(s_i u'_{p_i}·v_c),   J = -Σ_i log σ(s_i u'_{p_i}·v_c),

and with x_i = u'_{p_i}·v_c, ∂J/∂x_i = σ(x_i) - (1 - d_i): the coefficient whose
negative, times the learning rate, is word2vec.c's
``g = (1 - vocab[word].code[d] - f) * alpha``. Branch 0 is therefore the one of
probability σ(x), as in word2vec.c and gensim.
"""
import numpy as np
import scipy.sparse as sp

from .huffman import HuffmanTree
from .losses import _check_center_vector, _check_U, log_sigmoid, sigmoid
from .training import _add_scattered, _compact, _log_sigmoid_and_complement

__all__ = [
    "hierarchical_softmax_loss_and_gradients",
    "leaf_probabilities",
    "hs_update",
]


def _check_tree(tree, U_inner):
    if not isinstance(tree, HuffmanTree):
        raise TypeError(
            f"tree must be a HuffmanTree, got {type(tree).__name__}; build one with "
            f"HuffmanTree(vocab.counts_)"
        )
    U_inner = _check_U(U_inner)
    if U_inner.shape[0] != tree.n_words - 1:
        raise ValueError(
            f"U_inner has {U_inner.shape[0]} rows but the tree has "
            f"{tree.n_words - 1} inner nodes; pass one row per inner node, shape "
            f"({tree.n_words - 1}, n)"
        )
    return U_inner


def hierarchical_softmax_loss_and_gradients(v_c, o, tree, U_inner):
    """Hierarchical-softmax loss of one (centre, outside) pair, and its gradients.

    Parameters
    ----------
    v_c : array (n,)
        Centre-word vector.
    o : int
        Index of the outside word, 0 <= o < |V|.
    tree : HuffmanTree
        The tree over the |V| words.
    U_inner : array (|V| - 1, n)
        Inner-node vectors u_p as rows.

    Returns
    -------
    loss : float
        J = -Σ_i log σ(s_i u'_{p_i}·v_c) over the path of o (s_i = 1 - 2 d_i).
    grad_v_c : array (n,)
        ∂J/∂v_c = Σ_i (σ(x_i) - 1 + d_i) u'_{p_i}.
    grad_U_inner : array (|V| - 1, n)
        Row p_i is (σ(x_i) - 1 + d_i) v_c; the rows off the path are zero.
    """
    U_inner = _check_tree(tree, U_inner)
    v_c = _check_center_vector(v_c, U_inner)
    points, codes = tree.path(o)
    signs = 1.0 - 2.0 * codes
    scores = U_inner[points] @ v_c  # x_l
    loss = float(-np.sum(log_sigmoid(signs * scores)))
    # σ(x) - 1 + d = -s σ(-s x): written this way it keeps full precision near σ = 1.
    coefficients = -signs * sigmoid(-signs * scores)
    grad_v_c = coefficients @ U_inner[points]
    grad_U_inner = np.zeros_like(U_inner)
    # A path visits each inner node once, so plain indexing adds each term once.
    grad_U_inner[points] = np.outer(coefficients, v_c)
    return loss, grad_v_c, grad_U_inner


def leaf_probabilities(v_c, tree, U_inner):
    """P(w | c) for every word w, from the root down, without the paths of the words.

    The root has probability 1; an inner node a with probability q passes
    q σ(u'_a·v_c) to its branch-0 child and q σ(-u'_a·v_c) to its branch-1 child
    (``tree.children``). Every node is made after its children, so one pass from the
    last node down reaches every leaf. Returns an array (|V|,); it sums to 1 up to
    rounding.
    """
    U_inner = _check_tree(tree, U_inner)
    v_c = _check_center_vector(v_c, U_inner)
    probability = np.zeros(2 * tree.n_words - 1)
    probability[-1] = 1.0
    go_left = sigmoid(U_inner @ v_c)
    for row in range(tree.n_words - 2, -1, -1):
        left, right = tree.children[row]
        here = probability[tree.n_words + row]
        probability[left] = here * go_left[row]
        probability[right] = here * (1.0 - go_left[row])
    return probability[: tree.n_words]


def hs_update(H, targets, indptr, tree, U_inner, learning_rate):
    """One hierarchical-softmax SGD step for a batch; updates ``U_inner`` in place.

    The batch is given as for :func:`w2vlib.training.sgns_update`: example e has input
    ``H[e]`` and positives ``targets[indptr[e]:indptr[e + 1]]``. The loss is the sum
    over every pair (e, o) of -Σ_i log σ(s_i u'_{p_i}·h_e) along the path of o. Each
    entry of a path is one dot product and one coefficient, word2vec.c's ``g = (1 - code
    - f) * alpha``; all the coefficients of the batch come from the same parameters and
    are added at once, rows of ``U_inner`` read once per distinct node.

    Parameters
    ----------
    H : (E, n) float array
        Input vectors of the examples.
    targets : (P,) int array
        Outside words, grouped by example through ``indptr``.
    indptr : (E + 1,) int array
    tree : HuffmanTree
    U_inner : (|V| - 1, n) float array
        Inner-node vectors; updated in place.
    learning_rate : float

    Returns
    -------
    loss : float
        Summed over the pairs.
    step_H : (E, n) array
        ``-learning_rate`` times the gradient of each input vector.
    """
    n_examples = H.shape[0]
    pairs_per_example = np.diff(indptr)
    owner_of_pair = np.repeat(np.arange(n_examples), pairs_per_example)
    lengths = tree.code_lengths[targets]
    # Entry i of the batch is step `offset` of the path of pair `pair_of_entry`.
    pair_of_entry = np.repeat(np.arange(targets.size), lengths)
    first_entry = np.cumsum(lengths) - lengths
    offset = np.arange(pair_of_entry.size) - first_entry[pair_of_entry]
    where = tree.path_indptr[targets][pair_of_entry] + offset
    nodes, codes = tree.path_points[where], tree.path_codes[where]
    example_of_entry = owner_of_pair[pair_of_entry]

    touched, compact = _compact(nodes, U_inner.shape[0])
    rows = np.take(U_inner, touched, axis=0)
    gathered = np.take(rows, compact, axis=0)
    scores = np.einsum("en,en->e", np.take(H, example_of_entry, axis=0), gathered)
    signs = (1 - 2 * codes.astype(np.int8)).astype(H.dtype)
    log_sig, complement = _log_sigmoid_and_complement(signs * scores)
    loss = -log_sig.sum(dtype=np.float64)
    # g = learning_rate * (1 - code - σ(x)) = learning_rate * s σ(-s x)
    g = learning_rate * signs * complement

    entry_indptr = np.concatenate([[0], np.cumsum(np.bincount(
        example_of_entry, minlength=n_examples))])
    by_example = sp.csr_matrix(
        (g, np.arange(g.size), entry_indptr), shape=(n_examples, g.size)
    )
    step_H = by_example @ gathered
    _add_scattered(U_inner, touched, rows, compact, entry_indptr, g, H)
    return float(loss), step_H
