"""Tests for w2vlib.gradcheck: numerical gradients of known functions and error detection."""
import numpy as np
import pytest

from w2vlib.gradcheck import TOLERANCE, gradcheck, numerical_gradient
from w2vlib.losses import softmax_loss_and_gradients


def test_numerical_gradient_of_quadratic_form_any_shape():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(6, 6))
    x = rng.normal(size=(2, 3))
    before = x.copy()

    def f(z):
        flat = z.ravel()
        return float(flat @ A @ flat)

    gradient = numerical_gradient(f, x)
    assert gradient.shape == (2, 3)
    np.testing.assert_allclose(gradient.ravel(), (A + A.T) @ x.ravel(), rtol=1e-8)
    np.testing.assert_array_equal(x, before)  # restored bit for bit


def test_numerical_gradient_of_sum_of_sines():
    x = np.array([0.1, 1.0, -2.0])
    gradient = numerical_gradient(lambda z: np.sin(z).sum(), x)
    np.testing.assert_allclose(gradient, np.cos(x), rtol=1e-9)


def test_gradcheck_accepts_correct_and_rejects_wrong_gradients():
    x = np.array([0.3, -1.2, 2.0])

    def f(z):
        return float(np.sum(z**3))

    assert gradcheck(f, x, 3 * x**2) < 1e-8
    flipped_sign = -3 * x**2
    assert gradcheck(f, x, flipped_sign) == pytest.approx(2.0)
    missing_factor = x**2  # off by 2 x², largest at x = 2: 8 / 12
    assert gradcheck(f, x, missing_factor) == pytest.approx(2 / 3, rel=1e-6)


def test_gradcheck_uses_documented_error():
    x = np.array([1.0, 2.0])
    analytic = np.array([2.0, 4.5])  # true gradient of sum(z^2) is [2, 4]
    expected = max(abs(2.0 - 2.0), abs(4.5 - 4.0)) / max(4.5, 4.0)
    error = gradcheck(lambda z: float(np.sum(z**2)), x, analytic)
    assert error == pytest.approx(expected, rel=1e-8)


# --- the softmax gradient with respect to U (issue 8): tiny correct entries ----------------

def softmax_case(seed):
    """Softmax loss of a centre v_c ~ N(0, 1) and U (100 x 50) ~ N(0, 1), gradient w.r.t. U.

    Scores u_w·v_c have standard deviation about 7, so most probabilities, and the rows
    p_w v_c of the gradient, are far below the rounding noise of a central difference.
    """
    rng = np.random.default_rng(seed)
    U = rng.normal(size=(100, 50))
    v_c = rng.normal(size=50)
    o = 3
    _, _, grad_U = softmax_loss_and_gradients(v_c, o, U)

    def loss(W):  # softmax_loss_and_gradients' loss without its input checks, for speed
        scores = W @ v_c
        top = scores.max()
        return float(top + np.log(np.sum(np.exp(scores - top))) - scores[o])

    assert loss(U) == pytest.approx(softmax_loss_and_gradients(v_c, o, U)[0], rel=1e-14)
    return loss, U, v_c, o, grad_U


@pytest.mark.parametrize("seed", range(3))
def test_correct_softmax_gradient_with_tiny_entries_passes(seed):
    f, U, _, _, grad_U = softmax_case(seed)
    numerical = numerical_gradient(f, U)
    # the case the old per-entry relative error scored 1.0: correct entries (about 1e-10 and
    # below) whose central difference is exactly 0
    unresolved = (numerical == 0) & (grad_U != 0)
    assert unresolved.sum() > 100
    assert np.abs(grad_U[unresolved]).min() < 1e-11
    assert gradcheck(f, U, grad_U) < TOLERANCE


@pytest.mark.parametrize("seed", range(3))
def test_wrong_softmax_gradients_fail(seed):
    f, U, v_c, o, grad_U = softmax_case(seed)
    missing_one_hot_term = grad_U.copy()
    missing_one_hot_term[o] += v_c  # forgot the -y in (y_hat - y) v_c^T
    off_by_a_factor = grad_U * (1 + 1e-3)  # e.g. a mean taken over one word too many
    # one entry off by a thousandth of the largest entry, at the tiniest entry
    one_entry_off = grad_U.copy()
    one_entry_off[np.unravel_index(np.argmin(np.abs(grad_U)), grad_U.shape)] += (
        1e-3 * np.abs(grad_U).max()
    )
    wrong = {
        "sign flip": -grad_U,
        "missing term": missing_one_hot_term,
        "off by a factor": off_by_a_factor,
        "one entry off": one_entry_off,
    }
    for name, gradient in wrong.items():
        error = gradcheck(f, U, gradient)
        assert error > TOLERANCE, f"{name}: error {error:.2e}"


def test_gradcheck_of_constant_function_is_zero():
    x = np.array([1.0, 2.0])
    assert gradcheck(lambda z: 5.0, x, np.zeros(2)) == 0.0


def test_x_is_restored_even_if_f_raises():
    x = np.array([1.0, 2.0])

    def explode(z):
        if z[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(explode, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_bad_inputs_have_clear_errors():
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(lambda z: 0.0, np.array([1, 2]))
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(lambda z: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="eps must be > 0, got 0"):
        numerical_gradient(lambda z: 0.0, np.ones(2), eps=0)
    with pytest.raises(TypeError, match="f must return a scalar"):
        numerical_gradient(lambda z: z * 2, np.ones(2))
    with pytest.raises(ValueError, match=r"analytic_grad has shape \(3,\) but x has shape \(2,\)"):
        gradcheck(lambda z: 0.0, np.ones(2), np.ones(3))


def test_error_does_not_depend_on_the_units_of_the_loss():
    """Scaling f scales both gradients: a wrong one still fails (a fixed floor of 1, as in
    |a - n| / max(1, |a|, |n|), would let it through at 1e-8) and a correct one passes."""
    f, U, v_c, o, grad_U = softmax_case(0)
    wrong = grad_U.copy()
    wrong[o] += v_c
    for scale in (1e-8, 1e8):
        scaled = lambda W, scale=scale: scale * f(W)  # noqa: E731
        assert gradcheck(scaled, U, scale * grad_U) < TOLERANCE
        assert gradcheck(scaled, U, scale * wrong) > 1e3 * TOLERANCE


def test_non_finite_gradient_fails_every_threshold():
    x = np.array([1.0, 2.0])
    f = lambda z: float(np.sum(z**2))  # noqa: E731
    assert gradcheck(f, x, np.array([2.0, np.nan])) == np.inf
    assert gradcheck(f, x, np.array([np.inf, 4.0])) == np.inf
