"""Cosine similarity of vectors and of the rows of matrices (chapter 1).

cos(a, b) = a·b / (‖a‖ ‖b‖) compares directions and ignores lengths. It is undefined for
a zero vector (no direction), so such an input raises a ValueError naming the argument
instead of returning NaN.
"""
import numpy as np

__all__ = ["cosine_similarity", "cosine_similarity_matrix", "unit_rows"]


def _as_vector(name, x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        hint = (
            "; for rows of matrices use cosine_similarity_matrix" if x.ndim == 2 else ""
        )
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape "
                         f"{x.shape}{hint}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinity: {x}")
    return x


def unit_rows(matrix, name="X", zero_rows="raise"):
    """Every row of ``matrix`` (m, n) divided by its length (gensim's
    ``matutils.unitvec``).

    Parameters
    ----------
    matrix : array (m, n), float
    name : str
        How the error calls the matrix.
    zero_rows : {"raise", "keep"}
        A zero row has no direction: ``"raise"`` is a ValueError naming the first one,
        ``"keep"`` leaves it zero (the caller then tracks it, as ``KeyedVectors`` does).

    Returns
    -------
    array (m, n) of unit rows (and zero rows, with ``"keep"``).

    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 2.0]]))
    array([[0.6, 0.8],
           [0. , 1. ]])
    """
    norms = np.linalg.norm(matrix, axis=1)
    zero = norms == 0.0
    if zero_rows == "raise" and zero.any():
        first = np.flatnonzero(zero)[0]
        raise ValueError(
            f"{name} row {first} is the zero vector ({zero.sum()} zero row(s) in "
            "total); a vector of length 0 has no direction (its cosine similarity is "
            "undefined), so drop or replace those rows"
        )
    return matrix / np.where(zero, 1.0, norms)[:, None]


def cosine_similarity(a, b):
    """Cosine similarity of two vectors of the same length n.

    Parameters
    ----------
    a, b : array (n,)

    Returns
    -------
    float
        a·b / (‖a‖ ‖b‖), in [-1, 1].
    """
    a = _as_vector("a", a)
    b = _as_vector("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a has length {a.shape[0]} but b has length {b.shape[0]}; "
                         "they must have the same length")
    for name, vector in (("a", a), ("b", b)):
        if not np.any(vector):
            raise ValueError(
                f"{name} is the zero vector; cosine similarity is undefined for a "
                "vector with no direction"
            )
    # rounding can push |cos| a hair above 1 (e.g. for parallel vectors); clip so that
    # arccos and comparisons with 1 behave
    value = np.dot(a / np.linalg.norm(a), b / np.linalg.norm(b))
    return float(np.clip(value, -1.0, 1.0))


def cosine_similarity_matrix(A, B=None):
    """Cosine similarity of every row of A with every row of B.

    Parameters
    ----------
    A : array (m, n)
    B : array (p, n), optional
        Defaults to A, giving the symmetric (m, m) matrix with ones on the diagonal.

    Returns
    -------
    array (m, p)
        Entry (i, j) is cos(A[i], B[j]).
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError("A must be a 2-D array with one vector per row, got shape "
                         f"{A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("A contains NaN or infinity")
    unit_A = unit_rows(A, "A")
    if B is None:
        unit_B = unit_A
    else:
        B = np.asarray(B, dtype=np.float64)
        if B.ndim != 2:
            raise ValueError("B must be a 2-D array with one vector per row, got shape "
                             f"{B.shape}")
        if B.shape[1] != A.shape[1]:
            raise ValueError(
                f"A has {A.shape[1]} columns but B has {B.shape[1]}; rows must have "
                "the same length to be compared"
            )
        if not np.all(np.isfinite(B)):
            raise ValueError("B contains NaN or infinity")
        unit_B = unit_rows(B, "B")
    return np.clip(unit_A @ unit_B.T, -1.0, 1.0)
