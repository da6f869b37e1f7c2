"""Hierarchical softmax (appendix A): the loss of one pair, every word's probability,
and the batched SGD step ``Word2Vec(hs=True)`` trains with.

Notation of the appendix. The path of the outside word o runs through the inner nodes
``points`` p_1 (the root), ..., p_|d(o)| of a :class:`~w2vlib.huffman.HuffmanTree`,
taking branch d_i (its code, 0 or 1) at node p_i. Inner node p has the vector u'_p, row
p of ``U_inner`` ((|V| - 1, n), gensim's ``syn1``). With s_i = 1 - 2 d_i (+1 for branch
0, -1 for branch 1),

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
from .training import _compact, _log_sigmoid_and_complement, _one_pair_each

__all__ = [
    "hierarchical_softmax_loss_and_gradients",
    "leaf_probabilities",
    "hs_step",
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
        Inner-node vectors u'_p as rows.

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
    scores = U_inner[points] @ v_c  # x_i
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


def hs_update(H, targets, indptr, tree, U_inner, learning_rate, pairs_per_node=256):
    """One hierarchical-softmax SGD step for a batch; updates ``U_inner`` in place.

    The batch is grouped by *target*, as word2vec.c's skip-gram loop is: the target
    word ``targets[t]`` is predicted from each input ``H[indptr[t]:indptr[t + 1]]`` (in
    skip-gram, a centre word from the vectors of the words of its window), so the rows
    of its path are read once for all of them and the scores of a target are one
    product of an (inputs × n) matrix with an (n × path) one. The loss is the sum over
    every pair (input h, target o) of -Σ_i log σ(s_i u'_{p_i}·h) along the path of o.
    Each entry of a path is one dot product and one coefficient, word2vec.c's ``g = (1
    - code - f) * alpha``; all the coefficients of the batch come from the same
    parameters.

    Every path starts at the root, so the top of the tree gets the steps of nearly every
    pair of the batch at once, and their sum diverges when the batch is large. A node
    that more than ``pairs_per_node`` pairs go through moves by their summed step times
    ``pairs_per_node / count``: as far as ``pairs_per_node`` pairs would move it with
    the batch's mean step. With at most ``pairs_per_node`` pairs, the step is exactly
    the sum of the pairs' SGD steps.

    Parameters
    ----------
    H : (P, n) float array
        Input vectors, grouped by target through ``indptr``.
    targets : (T,) int array
        Target words.
    indptr : (T + 1,) int array
        ``H[indptr[t]:indptr[t + 1]]`` are the inputs of target ``t``.
    tree : HuffmanTree
    U_inner : (|V| - 1, n) float array
        Inner-node vectors; updated in place.
    learning_rate : float
    pairs_per_node : int
        The most pairs whose summed step a node receives in full.

    Returns
    -------
    loss : float
        Summed over the pairs.
    step_H : (P, n) array
        ``-learning_rate`` times the gradient of each input vector.
    """
    # In the dtype of H: a float64 rate would turn every product below into float64.
    learning_rate = H.dtype.type(learning_rate)
    inputs_per_target = np.diff(indptr)
    lengths = tree.code_lengths[targets]
    starts = tree.path_indptr[targets]
    touched, compact = _compact(
        tree.path_points[_ragged(starts, lengths)], U_inner.shape[0])
    position = np.empty(U_inner.shape[0], dtype=np.int64)
    position[touched] = np.arange(touched.size)
    rows = np.take(U_inner, touched, axis=0)
    through = np.bincount(compact, weights=np.repeat(inputs_per_target, lengths),
                          minlength=touched.size)
    scale = np.minimum(1.0, pairs_per_node / through).astype(H.dtype)

    # One row more than H: the padding of the chunks writes its (zero) steps there.
    step_H = np.empty((H.shape[0] + 1, H.shape[1]), dtype=H.dtype)
    loss, node_of_entry, step_of_entry = 0.0, [], []
    # Targets sorted by inputs, then by path length, and cut into chunks of similar
    # shape: each chunk is padded to its most inputs and its longest path (64 targets
    # per chunk padded 20% of the entries on Shakespeare, 256 padded 59%).
    order = np.lexsort((lengths, inputs_per_target))
    for chunk in np.array_split(order, -(-order.size // _TARGETS_PER_CHUNK)):
        length, count = lengths[chunk][:, None], inputs_per_target[chunk][:, None]
        on_path = np.arange(length.max()) < length
        slots = starts[chunk][:, None] + np.minimum(np.arange(length.max()), length - 1)
        nodes = position[tree.path_points[slots]]
        signs = (1 - 2 * tree.path_codes[slots].astype(np.int8)).astype(H.dtype)
        is_input = np.arange(count.max()) < count
        inputs = indptr[chunk][:, None] + np.minimum(np.arange(count.max()), count - 1)
        X = np.take(H, inputs, axis=0)  # (chunk, inputs, n)
        W = np.take(rows, nodes, axis=0)  # (chunk, path, n)
        x = signs[:, None, :] * np.matmul(X, W.transpose(0, 2, 1))
        log_sig, complement = _log_sigmoid_and_complement(x)
        real = is_input[:, :, None] & on_path[:, None, :]
        loss -= log_sig.sum(dtype=np.float64, where=real)
        # g = learning_rate * (1 - code - σ(score)) = learning_rate * s σ(-s score)
        g = np.where(real, learning_rate * signs[:, None, :] * complement, 0)
        step_H[np.where(is_input, inputs, H.shape[0])] = np.matmul(g, W)
        node_of_entry.append(nodes.ravel())
        step_of_entry.append(np.matmul(g.transpose(0, 2, 1), X).reshape(-1, H.shape[1]))
    node_of_entry = np.concatenate(node_of_entry)
    by_node = sp.csc_matrix(
        (scale[node_of_entry], node_of_entry, np.arange(node_of_entry.size + 1)),
        shape=(touched.size, node_of_entry.size),
    )
    rows += by_node @ np.concatenate(step_of_entry)
    U_inner[touched] = rows
    return float(loss), step_H[:-1]


#: Targets per stack of matrix products in :func:`hs_update`.
_TARGETS_PER_CHUNK = 64


def _ragged(starts, lengths):
    """The concatenated ranges ``starts[i] : starts[i] + lengths[i]``."""
    first = np.cumsum(lengths) - lengths
    return np.arange(lengths.sum()) - np.repeat(first - starts, lengths)


def hs_step(v_c, o, tree, U_inner, learning_rate):
    """The engine's hierarchical-softmax SGD step on pairs (c, o); ``U_inner`` is
    updated in place and the step of ``v_c`` returned, as :func:`w2vlib.sgns_step` does.

    The loss is -Σ_i log σ(s_i u'_{p_i}·v_c) along the path of o, summed over the pairs;
    for one pair the step is word2vec.c's (with the exact sigmoid). More than 256 pairs
    through one node are capped as in :func:`hs_update`.

    Parameters
    ----------
    v_c : array (n,), or (E, n) for E pairs
    o : int, or (E,) ints
    tree : HuffmanTree
    U_inner : array (|V| - 1, n), updated in place
    learning_rate : float
        η.

    Returns
    -------
    loss : float, summed over the pairs
    step_v : array shaped as ``v_c``: ``-η ∂J/∂v_c``
    """
    H, targets, indptr = _one_pair_each(v_c, o)
    _check_tree(tree, U_inner)  # checked, not converted: it is updated in place
    loss, step_H = hs_update(H, targets, indptr, tree, U_inner, learning_rate)
    return loss, step_H.reshape(np.shape(v_c))
