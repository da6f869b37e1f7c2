"""Loss functions of word2vec and their gradients (chapters 5 and 6).

Every function is pure: it reads its arguments, never modifies them, and returns
``(loss, gradients)`` in float64. The names follow the course notation:

* ``v_c`` (n,)       -- vector of the centre word c (column c of V);
* ``U``   (|V|, n)   -- context vectors, row w is ``u_w``;
* ``o``              -- index of the outside (context) word;
* ``negatives`` (K,) -- indices of the K noise words of negative sampling;
* ``y_hat``          -- ``softmax(U v_c)``, the predicted distribution over the
  vocabulary;
* ``y``              -- the one-hot vector of ``o``.

The batched versions take B centre vectors as the rows of ``V_c`` (B, n) and return the
SUM of the B losses, so their gradients are the sums of the single-pair gradients.
"""
import numpy as np
import scipy.sparse

__all__ = [
    "sigmoid",
    "log_sigmoid",
    "softmax",
    "softmax_loss_and_gradients",
    "sgns_loss_and_gradients",
    "softmax_loss_and_gradients_batch",
    "sgns_loss_and_gradients_batch",
]


def sigmoid(x):
    """Logistic sigmoid σ(x) = 1 / (1 + exp(-x)), elementwise, in float64.

    Written as exp(-log(1 + exp(-x))) through ``np.logaddexp`` so that no intermediate
    overflows: σ(1000) = 1.0 and σ(-1000) = 0.0 without warnings.
    """
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


def log_sigmoid(x):
    """log σ(x) = -log(1 + exp(-x)), elementwise, in float64; finite for every finite x.

    Computing ``np.log(sigmoid(x))`` instead would give -inf for x below about -745.
    """
    x = np.asarray(x, dtype=np.float64)
    return -np.logaddexp(0.0, -x)


def softmax(scores, axis=-1):
    """softmax(scores) along ``axis``: exp(s_i) / Σ_j exp(s_j), in float64.

    The maximum is subtracted first (softmax is unchanged by adding a constant to every
    score), so scores of 1e3 or more do not overflow.
    """
    scores = np.asarray(scores, dtype=np.float64)
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    exp_scores = np.exp(shifted)
    return exp_scores / np.sum(exp_scores, axis=axis, keepdims=True)


def _log_sum_exp(scores, axis=-1):
    top = np.max(scores, axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(scores - top), axis=axis))


# --------------------------------------------------------------------------------------
# validation helpers: they convert to float64 / int64 and quote the bad value
# --------------------------------------------------------------------------------------

def _check_U(U):
    U = np.asarray(U, dtype=np.float64)
    if U.ndim != 2 or U.shape[0] == 0 or U.shape[1] == 0:
        raise ValueError(
            "U must be a 2-D array of shape (|V|, n) with at least one row and column, "
            f"got shape {U.shape}; pass the context vectors, one row u_w per word"
        )
    return U


def _check_center_vector(v_c, U):
    v_c = np.asarray(v_c, dtype=np.float64)
    if v_c.ndim != 1:
        raise ValueError(
            f"v_c must be a 1-D vector of length n, got shape {v_c.shape}; for several "
            "centre words use the *_batch function"
        )
    if v_c.shape[0] != U.shape[1]:
        raise ValueError(
            f"v_c has length {v_c.shape[0]} but U has {U.shape[1]} columns; both must "
            "use the same embedding dimension n"
        )
    return v_c


def _check_center_matrix(V_c, U):
    V_c = np.asarray(V_c, dtype=np.float64)
    if V_c.ndim != 2:
        raise ValueError(
            "V_c must be a 2-D array of shape (B, n) with one centre vector per row, "
            f"got shape {V_c.shape}; for a single pair use the non-batch function"
        )
    if V_c.shape[1] != U.shape[1]:
        raise ValueError(
            f"V_c has {V_c.shape[1]} columns but U has {U.shape[1]}; both must use the "
            "same embedding dimension n"
        )
    return V_c


def _check_indices(name, indices, n_rows, shape=None):
    """``indices`` as int64, checked: dtype, shape and 0 <= index < n_rows."""
    array = np.asarray(indices)
    if array.dtype == np.bool_ or not (
        np.issubdtype(array.dtype, np.integer) or array.size == 0
    ):
        raise TypeError(
            f"{name} must hold integer word indices, got dtype {array.dtype}; convert "
            "words to indices with the vocabulary first"
        )
    array = array.astype(np.int64, copy=False)
    if shape == () and array.shape != ():
        raise ValueError(f"{name} must be a single integer word index, got shape "
                         f"{array.shape}")
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got shape {array.shape}")
    bad = (array < 0) | (array >= n_rows)
    if np.any(bad):
        position = tuple(int(i) for i in np.argwhere(bad)[0])
        label = name if array.ndim == 0 else f"{name}[{', '.join(map(str, position))}]"
        raise ValueError(
            f"{label}={int(array[position])} is out of range for U with {n_rows} rows; "
            f"word indices must be in 0..{n_rows - 1}"
        )
    return array


def _check_negatives_1d(negatives, n_rows):
    negatives = np.asarray(negatives)
    if negatives.ndim != 1:
        raise ValueError(
            "negatives must be a 1-D array of K word indices, got shape "
            f"{negatives.shape}; for a batch use sgns_loss_and_gradients_batch"
        )
    return _check_indices("negatives", negatives, n_rows)


# --------------------------------------------------------------------------------------
# full softmax (chapter 5)
# --------------------------------------------------------------------------------------

def softmax_loss_and_gradients(v_c, o, U):
    """Naive-softmax loss of one (centre, outside) pair and its gradients.

    Parameters
    ----------
    v_c : array (n,)
        Centre-word vector.
    o : int
        Index of the outside word, 0 <= o < |V|.
    U : array (|V|, n)
        Context vectors u_w as rows.

    Returns
    -------
    loss : float
        J = -log softmax(U v_c)_o = log Σ_w exp(u_w·v_c) - u_o·v_c.
    grad_v_c : array (n,)
        ∂J/∂v_c = U^T (y_hat - y).
    grad_U : array (|V|, n)
        ∂J/∂U = (y_hat - y) v_c^T.
    """
    U = _check_U(U)
    v_c = _check_center_vector(v_c, U)
    o = int(_check_indices("o", o, U.shape[0], shape=()))

    scores = U @ v_c
    loss = float(_log_sum_exp(scores) - scores[o])
    error = softmax(scores)  # becomes y_hat - y on the next line
    error[o] -= 1.0
    grad_v_c = U.T @ error
    grad_U = np.outer(error, v_c)
    return loss, grad_v_c, grad_U


def softmax_loss_and_gradients_batch(V_c, o, U):
    """Naive-softmax loss summed over a batch of B pairs, and its gradients.

    Parameters
    ----------
    V_c : array (B, n)
        Centre-word vectors, one per row.
    o : int array (B,)
        Outside-word index of each pair.
    U : array (|V|, n)
        Context vectors u_w as rows.

    Returns
    -------
    loss_sum : float
        Σ_b -log softmax(U v_b)_{o_b}.
    grad_V_c : array (B, n)
        Row b is U^T (y_hat_b - y_b).
    grad_U : array (|V|, n)
        Σ_b (y_hat_b - y_b) v_b^T  =  (Y_hat - Y)^T V_c.
    """
    U = _check_U(U)
    V_c = _check_center_matrix(V_c, U)
    o = _check_indices("o", o, U.shape[0], shape=(V_c.shape[0],))

    rows = np.arange(V_c.shape[0])
    scores = V_c @ U.T  # (B, |V|)
    loss_sum = float(np.sum(_log_sum_exp(scores, axis=1) - scores[rows, o]))
    error = softmax(scores, axis=1)
    error[rows, o] -= 1.0
    grad_V_c = error @ U
    grad_U = error.T @ V_c
    return loss_sum, grad_V_c, grad_U


# --------------------------------------------------------------------------------------
# skip-gram with negative sampling (chapter 6)
# --------------------------------------------------------------------------------------

def sgns_loss_and_gradients(v_c, o, negatives, U):
    """Negative-sampling loss of one pair with K noise words, and its gradients.

    Parameters
    ----------
    v_c : array (n,)
        Centre-word vector.
    o : int
        Index of the outside (positive) word.
    negatives : int array (K,)
        Indices of the K noise words. They may repeat (they are drawn with replacement
        from P_n) and may even equal ``o``; every occurrence is a separate term of the
        loss.
    U : array (|V|, n)
        Context vectors u_w as rows.

    Returns
    -------
    loss : float
        J = -log σ(u_o·v_c) - Σ_k log σ(-u_k·v_c).
    grad_v_c : array (n,)
        ∂J/∂v_c = (σ(u_o·v_c) - 1) u_o + Σ_k σ(u_k·v_c) u_k.
    grad_U : array (|V|, n)
        Row o gets (σ(u_o·v_c) - 1) v_c, row k gets σ(u_k·v_c) v_c once per occurrence
        of k; every other row is zero.
    """
    U = _check_U(U)
    v_c = _check_center_vector(v_c, U)
    o = int(_check_indices("o", o, U.shape[0], shape=()))
    negatives = _check_negatives_1d(negatives, U.shape[0])

    positive_score = U[o] @ v_c
    negative_scores = U[negatives] @ v_c  # (K,)
    loss = float(-log_sigmoid(positive_score) - np.sum(log_sigmoid(-negative_scores)))

    # σ(s) - 1 is written -σ(-s) so it keeps full precision when σ(s) is close to 1
    positive_coefficient = -sigmoid(-positive_score)
    negative_coefficients = sigmoid(negative_scores)  # (K,)
    grad_v_c = positive_coefficient * U[o] + negative_coefficients @ U[negatives]

    grad_U = np.zeros_like(U)
    grad_U[o] += positive_coefficient * v_c
    # np.add.at adds once per occurrence; grad_U[negatives] += ... would keep only one
    np.add.at(grad_U, negatives, np.outer(negative_coefficients, v_c))
    return loss, grad_v_c, grad_U


def sgns_loss_and_gradients_batch(V_c, o, negatives, U):
    """Negative-sampling loss summed over a batch of B pairs, and its gradients.

    Parameters
    ----------
    V_c : array (B, n)
        Centre-word vectors, one per row.
    o : int array (B,)
        Outside-word index of each pair.
    negatives : int array (B, K)
        Row b holds the K noise words of pair b; repeats are counted.
    U : array (|V|, n)
        Context vectors u_w as rows.

    Returns
    -------
    loss_sum : float
        Σ_b [-log σ(u_{o_b}·v_b) - Σ_k log σ(-u_{k_b}·v_b)].
    grad_V_c : array (B, n)
        Row b is the ``grad_v_c`` of pair b.
    grad_U : array (|V|, n)
        Sum over the batch of the single-pair ``grad_U``.

    Notes
    -----
    The rows of ``grad_U`` are gathered with one sparse-matrix product: a (|V|, B)
    matrix whose entry (w, b) is the total coefficient of word w in pair b, times
    ``V_c``. Duplicate (w, b) entries are summed when the matrix is built, which is
    exactly the "count every occurrence" rule, with no Python loop.
    """
    U = _check_U(U)
    V_c = _check_center_matrix(V_c, U)
    batch_size = V_c.shape[0]
    o = _check_indices("o", o, U.shape[0], shape=(batch_size,))
    negatives = np.asarray(negatives)
    if negatives.ndim != 2 or negatives.shape[0] != batch_size:
        raise ValueError(
            f"negatives must have shape (B, K) = ({batch_size}, K) for B={batch_size} "
            f"pairs, got shape {negatives.shape}"
        )
    negatives = _check_indices("negatives", negatives, U.shape[0])

    U_o = U[o]  # (B, n)
    U_neg = U[negatives]  # (B, K, n)
    positive_scores = np.einsum("bn,bn->b", U_o, V_c)
    negative_scores = np.einsum("bkn,bn->bk", U_neg, V_c)
    loss_sum = float(
        -np.sum(log_sigmoid(positive_scores)) - np.sum(log_sigmoid(-negative_scores))
    )

    positive_coefficients = -sigmoid(-positive_scores)  # (B,)   σ(s) - 1
    negative_coefficients = sigmoid(negative_scores)  # (B, K)
    grad_V_c = positive_coefficients[:, None] * U_o + np.einsum(
        "bk,bkn->bn", negative_coefficients, U_neg
    )

    n_negatives = negatives.shape[1]
    words = np.concatenate([o, negatives.ravel()])
    pairs = np.concatenate(
        [np.arange(batch_size), np.repeat(np.arange(batch_size), n_negatives)]
    )
    coefficients = np.concatenate(
        [positive_coefficients, negative_coefficients.ravel()]
    )
    scatter = scipy.sparse.csr_matrix(
        (coefficients, (words, pairs)), shape=(U.shape[0], batch_size)
    )
    grad_U = np.asarray(scatter @ V_c)
    return loss_sum, grad_V_c, grad_U
