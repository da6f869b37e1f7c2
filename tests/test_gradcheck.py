"""Tests for w2vlib.gradcheck: numerical gradients of known functions and error detection."""
import numpy as np
import pytest

from w2vlib.gradcheck import gradcheck, numerical_gradient


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
    assert gradcheck(f, x, flipped_sign) == pytest.approx(1.0)
    missing_factor = x**2
    assert gradcheck(f, x, missing_factor) == pytest.approx(0.5, rel=1e-6)


def test_gradcheck_uses_documented_relative_error():
    x = np.array([1.0, 2.0])
    analytic = np.array([2.0, 4.5])  # true gradient of sum(z^2) is [2, 4]
    expected = max(abs(2.0 - 2.0) / 4.0, abs(4.5 - 4.0) / 8.5)
    error = gradcheck(lambda z: float(np.sum(z**2)), x, analytic)
    assert error == pytest.approx(expected, rel=1e-8)


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
