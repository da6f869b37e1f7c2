"""Tests for w2vlib.losses: values, gradients against central differences, stability."""
import numpy as np
import pytest

from w2vlib.gradcheck import TOLERANCE, gradcheck
from w2vlib.losses import (
    log_sigmoid,
    sgns_loss_and_gradients,
    sgns_loss_and_gradients_batch,
    sigmoid,
    softmax,
    softmax_loss_and_gradients,
    softmax_loss_and_gradients_batch,
)

VOCAB_SIZE, DIM = 9, 4


def assert_gradient(f, x, analytic_grad):
    error = gradcheck(f, x, analytic_grad)
    assert error < TOLERANCE, f"gradcheck error {error:.2e} >= {TOLERANCE:.0e}"


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


@pytest.fixture
def U(rng):
    return rng.normal(scale=0.8, size=(VOCAB_SIZE, DIM))


@pytest.fixture
def v_c(rng):
    return rng.normal(scale=0.8, size=DIM)


# --- elementary functions ---------------------------------------------------------------

def test_sigmoid_matches_definition_and_is_stable():
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(sigmoid(x), 1.0 / (1.0 + np.exp(-x)), rtol=1e-15)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        extremes = sigmoid(np.array([-1e3, 1e3]))
        log_extremes = log_sigmoid(np.array([-1e3, 1e3]))
    np.testing.assert_array_equal(extremes, [0.0, 1.0])
    np.testing.assert_allclose(log_extremes, [-1e3, 0.0])
    assert sigmoid(0.0) == 0.5


def test_log_sigmoid_matches_log_of_sigmoid():
    x = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(log_sigmoid(x), -np.log1p(np.exp(-x)), rtol=1e-14)


def test_softmax_sums_to_one_shift_invariant_and_stable():
    scores = np.array([[1.0, 2.0, 3.0], [1e3, 0.0, -1e3]])
    probabilities = softmax(scores)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(probabilities[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    np.testing.assert_allclose(softmax(scores[0] + 500.0), probabilities[0])
    assert np.all(np.isfinite(probabilities))
    np.testing.assert_allclose(softmax(scores, axis=0).sum(axis=0), 1.0)


# --- full softmax -----------------------------------------------------------------------

def test_softmax_loss_value_is_negative_log_probability(v_c, U):
    o = 3
    loss, _, _ = softmax_loss_and_gradients(v_c, o, U)
    scores = U @ v_c
    assert loss == pytest.approx(-np.log(np.exp(scores[o]) / np.exp(scores).sum()), rel=1e-12)


def test_softmax_gradients_match_central_differences(v_c, U):
    o = 5
    _, grad_v_c, grad_U = softmax_loss_and_gradients(v_c, o, U)
    assert_gradient(lambda x: softmax_loss_and_gradients(x, o, U)[0], v_c, grad_v_c)
    assert_gradient(lambda x: softmax_loss_and_gradients(v_c, o, x)[0], U, grad_U)


def test_softmax_gradients_equal_course_formulas(v_c, U):
    o = 2
    _, grad_v_c, grad_U = softmax_loss_and_gradients(v_c, o, U)
    y = np.eye(VOCAB_SIZE)[o]
    y_hat = np.exp(U @ v_c) / np.exp(U @ v_c).sum()
    np.testing.assert_allclose(grad_v_c, U.T @ (y_hat - y), rtol=1e-12)
    np.testing.assert_allclose(grad_U, np.outer(y_hat - y, v_c), rtol=1e-12)


def test_softmax_batch_matches_central_differences_and_sum_of_pairs(rng, U):
    V_c = rng.normal(scale=0.8, size=(6, DIM))
    o = np.array([0, 4, 4, 8, 1, 4])
    loss, grad_V_c, grad_U = softmax_loss_and_gradients_batch(V_c, o, U)
    singles = [softmax_loss_and_gradients(V_c[b], o[b], U) for b in range(len(o))]
    assert loss == pytest.approx(sum(s[0] for s in singles), rel=1e-12)
    np.testing.assert_allclose(grad_V_c, np.stack([s[1] for s in singles]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad_U, sum(s[2] for s in singles), rtol=1e-12, atol=1e-15)
    assert_gradient(lambda x: softmax_loss_and_gradients_batch(x, o, U)[0], V_c, grad_V_c)
    assert_gradient(lambda x: softmax_loss_and_gradients_batch(V_c, o, x)[0], U, grad_U)


def test_softmax_loss_is_stable_for_huge_scores():
    U = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    v_c = np.array([1e3, 0.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss_right, grad_v_c, grad_U = softmax_loss_and_gradients(v_c, 0, U)
        loss_wrong, _, _ = softmax_loss_and_gradients(v_c, 2, U)
        batch = softmax_loss_and_gradients_batch(np.stack([v_c, -v_c]), np.array([0, 0]), U)
    assert loss_right == pytest.approx(0.0, abs=1e-300)
    assert loss_wrong == pytest.approx(2e3)
    assert np.all(np.isfinite(grad_v_c)) and np.all(np.isfinite(grad_U))
    assert np.isfinite(batch[0]) and batch[0] == pytest.approx(2e3)
    assert all(np.all(np.isfinite(g)) for g in batch[1:])


def test_softmax_does_not_modify_its_inputs(v_c, U):
    v_before, U_before = v_c.copy(), U.copy()
    softmax_loss_and_gradients(v_c, 1, U)
    np.testing.assert_array_equal(v_c, v_before)
    np.testing.assert_array_equal(U, U_before)


# --- negative sampling ------------------------------------------------------------------

def test_sgns_loss_value_matches_formula(v_c, U):
    o, negatives = 1, np.array([3, 3, 7])
    loss, _, _ = sgns_loss_and_gradients(v_c, o, negatives, U)
    expected = -np.log(1 / (1 + np.exp(-U[o] @ v_c))) - sum(
        np.log(1 / (1 + np.exp(U[k] @ v_c))) for k in negatives
    )
    assert loss == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "o, negatives",
    [(1, [3, 6, 7, 0]), (1, [3, 3, 3, 7]), (2, [2, 5, 2])],
    ids=["distinct", "repeated-negatives", "negative-equals-outside"],
)
def test_sgns_gradients_match_central_differences(v_c, U, o, negatives):
    negatives = np.array(negatives)
    _, grad_v_c, grad_U = sgns_loss_and_gradients(v_c, o, negatives, U)
    assert_gradient(lambda x: sgns_loss_and_gradients(x, o, negatives, U)[0], v_c, grad_v_c)
    assert_gradient(lambda x: sgns_loss_and_gradients(v_c, o, negatives, x)[0], U, grad_U)


def test_sgns_repeated_negative_counts_every_occurrence(v_c, U):
    _, _, grad_once = sgns_loss_and_gradients(v_c, 0, np.array([4]), U)
    _, _, grad_thrice = sgns_loss_and_gradients(v_c, 0, np.array([4, 4, 4]), U)
    np.testing.assert_allclose(grad_thrice[4], 3 * grad_once[4], rtol=1e-12)
    untouched = np.setdiff1d(np.arange(VOCAB_SIZE), [0, 4])
    assert np.all(grad_thrice[untouched] == 0.0)


def test_sgns_without_negatives_is_the_positive_term_only(v_c, U):
    loss, grad_v_c, _ = sgns_loss_and_gradients(v_c, 3, np.array([], dtype=np.int64), U)
    assert loss == pytest.approx(-np.log(1 / (1 + np.exp(-U[3] @ v_c))), rel=1e-12)
    np.testing.assert_allclose(grad_v_c, -(1 / (1 + np.exp(U[3] @ v_c))) * U[3], rtol=1e-12)


def test_sgns_batch_matches_central_differences_and_sum_of_pairs(rng, U):
    batch_size, n_negatives = 7, 5
    V_c = rng.normal(scale=0.8, size=(batch_size, DIM))
    o = rng.integers(0, VOCAB_SIZE, size=batch_size)
    negatives = rng.integers(0, VOCAB_SIZE, size=(batch_size, n_negatives))
    negatives[0] = [2, 2, 2, 6, 2]  # repeats inside a row
    negatives[1, 0] = o[1]  # a noise word equal to the outside word
    loss, grad_V_c, grad_U = sgns_loss_and_gradients_batch(V_c, o, negatives, U)

    singles = [sgns_loss_and_gradients(V_c[b], o[b], negatives[b], U) for b in range(batch_size)]
    assert loss == pytest.approx(sum(s[0] for s in singles), rel=1e-12)
    np.testing.assert_allclose(grad_V_c, np.stack([s[1] for s in singles]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad_U, sum(s[2] for s in singles), rtol=1e-12, atol=1e-15)

    def loss_of_V_c(x):
        return sgns_loss_and_gradients_batch(x, o, negatives, U)[0]

    def loss_of_U(x):
        return sgns_loss_and_gradients_batch(V_c, o, negatives, x)[0]

    assert_gradient(loss_of_V_c, V_c, grad_V_c)
    assert_gradient(loss_of_U, U, grad_U)


def test_sgns_is_stable_for_huge_scores():
    U = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    v_c = np.array([1e3, 0.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss_good, grad_v_good, grad_U_good = sgns_loss_and_gradients(v_c, 0, np.array([2]), U)
        loss_bad, grad_v_bad, grad_U_bad = sgns_loss_and_gradients(v_c, 2, np.array([0]), U)
        batch = sgns_loss_and_gradients_batch(v_c[None, :], np.array([2]), np.array([[0]]), U)
    assert loss_good == pytest.approx(0.0, abs=1e-300)
    assert loss_bad == pytest.approx(2e3)
    for gradient in (grad_v_good, grad_U_good, grad_v_bad, grad_U_bad, *batch[1:]):
        assert np.all(np.isfinite(gradient))
    # saturated wrong answer: σ(s) - 1 = -1 for the positive, σ(s) = 1 for the negative
    np.testing.assert_allclose(grad_v_bad, -U[2] + U[0])
    assert batch[0] == pytest.approx(loss_bad)


# --- input validation -------------------------------------------------------------------

def test_out_of_range_outside_word_is_reported(v_c, U):
    with pytest.raises(ValueError, match=r"o=12 is out of range for U with 9 rows"):
        softmax_loss_and_gradients(v_c, 12, U)
    with pytest.raises(ValueError, match=r"o=-1 is out of range"):
        sgns_loss_and_gradients(v_c, -1, np.array([1]), U)
    with pytest.raises(ValueError, match=r"o must be a single integer word index, got shape"):
        softmax_loss_and_gradients(v_c, np.array([1]), U)
    with pytest.raises(ValueError, match=r"o\[2\]=9 is out of range"):
        softmax_loss_and_gradients_batch(np.ones((3, DIM)), np.array([0, 1, 9]), U)


def test_out_of_range_negative_is_reported(v_c, U):
    with pytest.raises(ValueError, match=r"negatives\[1\]=20 is out of range for U with 9 rows"):
        sgns_loss_and_gradients(v_c, 0, np.array([1, 20]), U)
    with pytest.raises(ValueError, match=r"negatives\[1, 0\]=9 is out of range"):
        sgns_loss_and_gradients_batch(np.ones((2, DIM)), np.array([0, 1]), np.array([[1], [9]]), U)


def test_shape_mismatches_are_reported(v_c, U):
    with pytest.raises(ValueError, match="v_c has length 3 but U has 4 columns"):
        softmax_loss_and_gradients(np.ones(3), 0, U)
    with pytest.raises(ValueError, match="v_c must be a 1-D vector"):
        sgns_loss_and_gradients(np.ones((2, DIM)), 0, np.array([1]), U)
    with pytest.raises(ValueError, match="V_c has 5 columns but U has 4"):
        softmax_loss_and_gradients_batch(np.ones((2, 5)), np.array([0, 1]), U)
    with pytest.raises(ValueError, match=r"o must have shape \(2,\)"):
        sgns_loss_and_gradients_batch(np.ones((2, DIM)), np.array([0]), np.ones((2, 1), int), U)
    with pytest.raises(ValueError, match=r"negatives must have shape \(B, K\) = \(2, K\)"):
        sgns_loss_and_gradients_batch(np.ones((2, DIM)), np.array([0, 1]), np.array([1, 2]), U)
    with pytest.raises(ValueError, match="U must be a 2-D array"):
        softmax_loss_and_gradients(v_c, 0, U[0])


def test_non_integer_indices_are_rejected(v_c, U):
    with pytest.raises(TypeError, match="o must hold integer word indices"):
        softmax_loss_and_gradients(v_c, 1.0, U)
    with pytest.raises(TypeError, match="negatives must hold integer word indices"):
        sgns_loss_and_gradients(v_c, 0, np.array([True, False]), U)
