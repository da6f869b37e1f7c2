"""Numerical gradients by central differences, to check analytic gradients (chapter 5).

For a scalar function f and an array x, entry i of the numerical gradient is

    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error is O(eps^2) from truncation plus about (machine epsilon * |f|) / eps from
rounding; eps = 1e-6 balances the two for float64 inputs of order one. ``gradcheck``
compares an analytic gradient with it, measuring the difference against the gradient's
largest entry (the rounding error is absolute, so tiny entries cannot be checked alone).
"""
import numpy as np

__all__ = ["numerical_gradient", "gradcheck", "TOLERANCE"]

# gradcheck errors below this pass; gradcheck's docstring says why.
TOLERANCE = 1e-6


def _check_x(x):
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        kind = (
            f"numpy array of dtype {x.dtype}"
            if isinstance(x, np.ndarray)
            else type(x).__name__
        )
        raise TypeError(
            "x must be a float64 numpy array (it is perturbed in place and restored), "
            f"got a {kind}; pass np.asarray(x, dtype=np.float64)"
        )
    if not x.flags.writeable:
        raise ValueError("x is read-only; pass a writeable copy, e.g. x.copy()")


def _evaluate(f, x):
    value = f(x)
    if np.ndim(value) != 0:
        raise TypeError(
            "f must return a scalar (the loss), got an array of shape "
            f"{np.shape(value)}"
        )
    return float(value)


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It is called 2 * x.size times with one entry of ``x`` moved
        by ±eps; it must read ``x`` and not keep references to it.
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
    """Error of ``analytic_grad`` against the numerical gradient of f at x, relative to
    its size.

    With a the analytic and n the numerical gradient (central differences, step
    ``eps``),

        error = max_i |a_i - n_i| / max(max_i |a_i|, max_i |n_i|),

    the largest entry-wise difference in units of the largest gradient entry (0 when
    both gradients are exactly zero). A gradient passes when ``error < TOLERANCE``
    (1e-6).

    Why this measure: every entry of a numerical gradient is off by about
    1e-16 |f(x)| / eps from rounding plus eps² |f'''| / 6 from truncation, an *absolute*
    error, so an entry far smaller than that cannot be checked at all. A per-entry
    relative error such as ``|a_i - n_i| / (|a_i| + |n_i|)`` therefore fails correct
    gradients: for the softmax loss with U (100 × 50) drawn N(0, 1), a correct entry of
    7e-12 whose central difference is exactly 0 scores 1.0. Measuring every entry's
    difference against the largest entry keeps the comparison above that noise, like
    CS224n's ``|a - n| / max(1, |a|, |n|)``, but without the fixed 1: multiplying f by a
    constant leaves the error unchanged, so a wrong gradient of a loss in small units (a
    mean over a large batch, say) is not let through. The price: at a point where the
    whole gradient is (nearly) zero, such as a minimum, the noise is all there is to
    compare, so check at a random point.

    Threshold: for a loss of order one and eps = 1e-6 a correct gradient scores about
    1e-9 (e.g. 1e-9 to 4e-9 for the softmax case above), a thousand times below
    ``TOLERANCE``. A wrong one scores (its largest wrong difference) / (largest entry):
    a flipped sign scores 2, a dropped term about its size over the largest entry, and
    any entry off by more than a millionth of the largest entry fails.

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
        The error above: 0 for a perfect match, at most 2 for finite gradients, and
        ``inf`` if either gradient has a NaN or infinite entry, so that no threshold
        passes it.

    Raises
    ------
    ValueError
        If ``analytic_grad`` does not have the shape of ``x``.
    """
    analytic_grad = np.asarray(analytic_grad, dtype=np.float64)
    if analytic_grad.shape != np.shape(x):
        raise ValueError(
            f"analytic_grad has shape {analytic_grad.shape} but x has shape "
            f"{np.shape(x)}; a gradient has the shape of the variable it differentiates"
        )
    numerical = numerical_gradient(f, x, eps=eps)
    if not (np.all(np.isfinite(analytic_grad)) and np.all(np.isfinite(numerical))):
        return float("inf")
    if analytic_grad.size == 0:
        return 0.0
    scale = max(np.max(np.abs(analytic_grad)), np.max(np.abs(numerical)))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(analytic_grad - numerical)) / scale)
