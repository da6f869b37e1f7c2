"""Numerical gradients by central differences, to check analytic gradients (chapter 5).

For a scalar function f and an array x, entry i of the numerical gradient is

    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error is O(eps^2) from truncation plus about (machine epsilon * |f|) / eps from
rounding; eps = 1e-6 balances the two for float64 inputs of order one.
"""
import numpy as np

__all__ = ["numerical_gradient", "gradcheck"]


def _check_x(x):
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        kind = f"numpy array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"x must be a float64 numpy array (it is perturbed in place and restored), got a "
            f"{kind}; pass np.asarray(x, dtype=np.float64)"
        )
    if not x.flags.writeable:
        raise ValueError("x is read-only; pass a writeable copy, e.g. x.copy()")


def _evaluate(f, x):
    value = f(x)
    if np.ndim(value) != 0:
        raise TypeError(
            f"f must return a scalar (the loss), got an array of shape {np.shape(value)}"
        )
    return float(value)


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It is called 2 * x.size times with one entry of ``x`` moved by
        ±eps; it must read ``x`` and not keep references to it.
    x : float64 ndarray of any shape
        The point. Each entry is perturbed in place and restored exactly (even if ``f``
        raises), so ``x`` is unchanged afterwards.
    eps : float
        Step size, > 0.

    Returns
    -------
    ndarray, same shape as ``x``
        The numerical gradient ∂f/∂x.
    """
    _check_x(x)
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps!r}; the usual choice is 1e-6")
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + eps
            f_plus = _evaluate(f, x)
            x[index] = original - eps
            f_minus = _evaluate(f, x)
        finally:
            x[index] = original
        gradient[index] = (f_plus - f_minus) / (2.0 * eps)
    return gradient


def gradcheck(f, x, analytic_grad, eps=1e-6):
    """Largest relative error between ``analytic_grad`` and the numerical gradient of f at x.

    For every entry, with a the analytic and n the numerical value,

        relative error = |a - n| / max(1e-12, |a| + |n|),

    which is 0 for a perfect match and at most 1; the 1e-12 floor avoids 0/0 where both are
    exactly zero. A correct gradient typically gives about 1e-8 or less with eps = 1e-6; a
    wrong one gives something of order 1e-1 to 1.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : float64 ndarray
        The point (restored after use).
    analytic_grad : array, same shape as ``x``
        The gradient to check.
    eps : float
        Step of the central differences.

    Returns
    -------
    float
        The maximum relative error over all entries.
    """
    analytic_grad = np.asarray(analytic_grad, dtype=np.float64)
    if analytic_grad.shape != np.shape(x):
        raise ValueError(
            f"analytic_grad has shape {analytic_grad.shape} but x has shape {np.shape(x)}; "
            f"a gradient has the shape of the variable it differentiates"
        )
    numerical = numerical_gradient(f, x, eps=eps)
    difference = np.abs(analytic_grad - numerical)
    scale = np.maximum(1e-12, np.abs(analytic_grad) + np.abs(numerical))
    return float(np.max(difference / scale)) if difference.size else 0.0
