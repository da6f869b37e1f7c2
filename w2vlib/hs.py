"""Hierarchical softmax (appendix A): the loss of one pair, every word's probability,
and the SGD step over a batch of pairs that ``Word2Vec(hs=True)`` trains with:
word2vec.c's loop, compiled by numba.

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
import functools
import math
import numbers

import numpy as np

from .huffman import HuffmanTree
from .losses import _check_center_vector, _check_U, log_sigmoid, sigmoid
from .training import _one_pair_each

__all__ = [
    "hierarchical_softmax_loss_and_gradients",
    "leaf_probabilities",
    "hs_step",
    "hs_update",
    "hs_update_rows",
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


def hs_update(H, targets, indptr, tree, U_inner, learning_rate):
    """One hierarchical-softmax SGD step for a batch; updates ``U_inner`` in place.

    The batch is grouped by *target*, as word2vec.c's skip-gram loop is: the target
    word ``targets[t]`` is predicted from each input ``H[indptr[t]:indptr[t + 1]]`` (in
    skip-gram, a centre word from the vectors of the words of its window). The pairs
    (input h, target o) are taken one after another, as word2vec.c takes them: each
    node p_i of the path of o gets the score x_i = u'_{p_i}·h, the coefficient
    word2vec.c's ``g = (1 - code - f) * alpha`` (with the exact sigmoid), and moves by
    g h before the next pair reads it. The inputs are read once, when the step starts;
    their steps are returned, for the caller to apply.

    The loop is :func:`_hs_pairs`, compiled by numba on the first call of a process
    (a few seconds, then cached on disk).

    Parameters
    ----------
    H : (P, n) float array
        Input vectors, grouped by target through ``indptr`` (integers or a list are
        converted to the dtype of ``U_inner``).
    targets : (T,) int array
        Target words.
    indptr : (T + 1,) int array
        ``H[indptr[t]:indptr[t + 1]]`` are the inputs of target ``t``.
    tree : HuffmanTree
    U_inner : (|V| - 1, n) float array, of the dtype of ``H``
        Inner-node vectors; updated in place.
    learning_rate : float

    Returns
    -------
    loss : float
        Σ over the pairs of -Σ_i log σ(s_i x_i), each x_i as the pair saw it.
    step_H : (P, n) array
        The step of each input: -``learning_rate`` times the gradient of its loss.
    """
    U_inner = _check_in_place("U_inner", U_inner)
    H = np.asarray(H)
    # An integer or list H is converted, as the pure functions do; a float H is kept.
    H = np.ascontiguousarray(H, dtype=H.dtype if H.dtype in _FLOATS else U_inner.dtype)
    if H.ndim != 2:
        raise ValueError(
            f"H must be 2-D (P, n), one input per row, got shape {H.shape}; for one "
            f"input pass H[None, :]"
        )
    step_H = np.zeros_like(H)
    every_row = np.arange(H.shape[0])
    loss = _hs_pairs_compiled(H, every_row, step_H, every_row, targets, indptr, tree,
                              U_inner, learning_rate)
    return loss, step_H


def hs_update_rows(V, input_words, targets, indptr, tree, U_inner, learning_rate):
    """:func:`hs_update` for skip-gram, on the rows of ``V`` in place, as word2vec.c.

    Input i is row ``input_words[i]`` of ``V`` (|V|, n); its step is added to that row
    as soon as its pair is done, so a later pair of the batch reads it moved. Returns
    the loss. Saves :func:`hs_update`'s copy of the inputs and the scatter of their
    steps. ``V`` and ``U_inner`` must be writeable float32 or float64 arrays.
    """
    V = _check_in_place("V", V)
    return _hs_pairs_compiled(V, input_words, V, input_words, targets, indptr, tree,
                              U_inner, learning_rate)


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _check_in_place(name, array):
    """``array`` as the compiled loop updates it in place: a writeable float32 or
    float64 numpy array, 2-D (numba would otherwise fail with a typing error)."""
    if not isinstance(array, np.ndarray) or array.dtype not in _FLOATS:
        got = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
        raise TypeError(
            f"{name} must be a float32 or float64 numpy array (updated in place), "
            f"got {got}; pass np.asarray({name}, dtype=np.float32) and keep that array"
        )
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {array.shape}")
    if not array.flags.writeable:
        raise ValueError(
            f"{name} is read-only, but it is updated in place; pass {name}.copy()"
        )
    return array


def _check_indices(name, values, stop, fix):
    """``values`` as a 1-D int64 array in 0..stop - 1: numba does not check bounds,
    so an index out of range would read or write outside the arrays."""
    values = np.asarray(values)
    if values.ndim != 1 or (values.size and values.dtype.kind not in "iu"):
        raise ValueError(
            f"{name} must be a 1-D array of integer indices, got dtype {values.dtype} "
            f"and shape {values.shape}; pass word indices, as vocab[word] gives them"
        )
    values = values.astype(np.int64, copy=False)
    if values.size and not (0 <= values.min() and values.max() < stop):
        bad = values[(values < 0) | (values >= stop)][0]
        raise ValueError(f"{name} holds {bad}, outside 0..{stop - 1}; {fix}")
    return values


def _hs_pairs_compiled(inputs, rows, steps, step_rows, targets, indptr, tree, U_inner,
                       learning_rate):
    # Checked here, in O(T + P) numpy at most: numba does not check bounds. Both callers
    # pass steps shaped as inputs and step_rows equal to rows, checked as rows.
    if not isinstance(tree, HuffmanTree):
        _check_tree(tree, None)  # raises its TypeError
    _check_in_place("U_inner", U_inner)
    if U_inner.shape[0] != tree.n_words - 1:
        _check_tree(tree, U_inner)  # raises its ValueError
    if U_inner.shape[1] != inputs.shape[1]:
        raise ValueError(
            f"the input vectors have length {inputs.shape[1]} but U_inner has "
            f"{U_inner.shape[1]} columns; both must use the same embedding dimension n"
        )
    rows = _check_indices("input_words", rows, inputs.shape[0],
                          f"pass indices of rows of V, which has {inputs.shape[0]}")
    targets = _check_indices("targets", targets, tree.n_words,
                             "pass word indices of the tree's vocabulary")
    indptr = np.asarray(indptr)
    if (indptr.shape != (targets.size + 1,) or indptr.dtype.kind not in "iu"
            or indptr[0] != 0 or indptr[-1] != rows.size
            or np.any(indptr[1:] < indptr[:-1])):
        raise ValueError(
            f"indptr must be {targets.size + 1} non-decreasing integers from 0 to "
            f"{rows.size} (one more than the targets, the last the number of inputs), "
            f"got {indptr!r}"
        )
    if (not isinstance(learning_rate, numbers.Real) or isinstance(learning_rate, bool)
            or not math.isfinite(learning_rate)):
        raise ValueError(
            f"learning_rate must be a finite number, got {learning_rate!r}; pass a "
            f"float such as 0.025"
        )
    return float(_compiled_hs_pairs()(
        inputs, rows, steps, np.asarray(step_rows, dtype=np.int64), targets,
        indptr.astype(np.int64, copy=False), tree.path_indptr, tree.path_points,
        tree.path_codes, U_inner,
        # In the dtype of the inputs: a float64 rate would make every product float64.
        inputs.dtype.type(learning_rate),
    ))


def _hs_pairs(inputs, rows, steps, step_rows, targets, indptr, path_indptr, path_points,
              path_codes, U_inner, learning_rate):
    """word2vec.c's hierarchical-softmax loop over the pairs of a batch (see
    :func:`hs_update`). Input i is ``inputs[rows[i]]`` and its step is added to
    ``steps[step_rows[i]]`` when its pair is done; returns the loss."""
    n = inputs.shape[1]
    one, zero = inputs.dtype.type(1), inputs.dtype.type(0)
    loss = 0.0
    neu1e = np.empty(n, dtype=inputs.dtype)  # word2vec.c's name for the input's step
    for t in range(targets.size):
        for i in range(indptr[t], indptr[t + 1]):
            h = inputs[rows[i]]
            neu1e[:] = zero
            # log σ(y) = min(y, 0) + log σ(|y|), and σ(|y|) >= 1/2: the product of the
            # σ(|y|) of a path cannot underflow: one log a pair, not one a node.
            product, negative_part = 1.0, 0.0
            for k in range(path_indptr[targets[t]], path_indptr[targets[t] + 1]):
                u = U_inner[path_points[k]]
                x = zero
                for j in range(n):
                    x += h[j] * u[j]
                s = one if path_codes[k] == 0 else -one
                y = s * x
                e = np.exp(-abs(y))
                sigma_abs = one / (one + e)
                product *= sigma_abs
                negative_part += min(y, zero)
                # g = (1 - code - σ(x)) * alpha = s σ(-y) * alpha
                g = learning_rate * s * (e * sigma_abs if y >= zero else sigma_abs)
                for j in range(n):
                    neu1e[j] += g * u[j]
                    u[j] += g * h[j]
            loss -= np.log(product) + negative_part
            steps[step_rows[i]] += neu1e
    return loss


@functools.cache
def _compiled_hs_pairs():
    """:func:`_hs_pairs` compiled by numba, imported only when a step first needs it.

    fastmath lets the compiler reorder the sums of the dot products (so vectorise them)
    and fuse multiply-adds; it does not allow approximate exponentials or assume away
    NaN and infinity, so a diverging run still shows as one.
    """
    import numba

    flags = {"reassoc", "contract"}
    try:
        return numba.njit(cache=True, fastmath=flags)(_hs_pairs)
    except RuntimeError:  # nowhere writable to cache it: compile at every start
        return numba.njit(fastmath=flags)(_hs_pairs)


def hs_step(v_c, o, tree, U_inner, learning_rate):
    """The engine's hierarchical-softmax SGD step on pairs (c, o); ``U_inner`` is
    updated in place and the step of ``v_c`` returned, as :func:`w2vlib.sgns_step` does.

    The loss is -Σ_i log σ(s_i u'_{p_i}·v_c) along the path of o, summed over the pairs.
    The pairs are taken one after another, as word2vec.c does (with the exact sigmoid):
    a pair reads the inner nodes as the pairs before it left them, and every v_c as it
    was passed.

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
    if np.ndim(v_c) not in (1, 2):
        raise ValueError(
            f"v_c must be one vector (n,) or one a row (E, n), got shape "
            f"{np.shape(v_c)}"
        )
    H, targets, indptr = _one_pair_each(v_c, o)
    loss, step_H = hs_update(H, targets, indptr, tree, U_inner, learning_rate)
    return loss, step_H.reshape(np.shape(v_c))
