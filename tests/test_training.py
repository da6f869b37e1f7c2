"""Tests of w2vlib.training: the batched SGD steps are the chapter's maths.

``sgns_update`` and ``softmax_update`` are checked against the single-pair loss functions of
w2vlib.losses (loss, change of U, step of each input vector) and against central differences.
A noise word equal to a pair's positive is skipped for that pair (word2vec.c, gensim): the
reference passes each pair only its other noise words.
"""
import numpy as np
import pytest

from w2vlib.gradcheck import gradcheck, numerical_gradient
from w2vlib.losses import (
    log_sigmoid,
    sgns_loss_and_gradients,
    sigmoid,
    softmax_loss_and_gradients,
)
from w2vlib.training import (
    _log_sigmoid_and_complement,
    add_rows,
    sgns_step,
    sgns_update,
    softmax_step,
    softmax_update,
)

LEARNING_RATE = 0.3
N_WORDS, DIM = 7, 4

# Example e owns targets[indptr[e]:indptr[e+1]].
#   example 0: positives 1, 2      negatives 4, 4, 1   (a repeated negative; 1 is skipped for
#                                                       pair (0, 1) but kept for pair (0, 2))
#   example 1: positive 3          negatives 2, 5, 3   (a negative equal to its positive: skipped)
#   example 2: no positive         negatives 6, 0, 1   (contributes nothing)
#   example 3: positives 0, 0, 5   negatives 0, 6, 6   (a repeated positive, equal to a negative)
TARGETS = np.array([1, 2, 3, 0, 0, 5])
INDPTR = np.array([0, 2, 3, 3, 6])
NEGATIVES = np.array([[4, 4, 1], [2, 5, 3], [6, 0, 1], [0, 6, 6]])


@pytest.fixture
def arrays():
    rng = np.random.default_rng(42)
    H = rng.normal(scale=0.8, size=(INDPTR.size - 1, DIM))
    U = rng.normal(scale=0.8, size=(N_WORDS, DIM))
    return H, U


def examples():
    """(example, positive) for every pair, in order."""
    for e in range(INDPTR.size - 1):
        for o in TARGETS[INDPTR[e]:INDPTR[e + 1]]:
            yield e, int(o)


def noise_of_pair(pool, o):
    """The noise words a pair uses: its pool without the draws equal to its positive."""
    return pool[pool != o]


def reference_sgns(H, U):
    loss, grad_H, grad_U = 0.0, np.zeros_like(H), np.zeros_like(U)
    for e, o in examples():
        pair_loss, grad_v_c, pair_grad_U = sgns_loss_and_gradients(
            H[e], o, noise_of_pair(NEGATIVES[e], o), U
        )
        loss += pair_loss
        grad_H[e] += grad_v_c
        grad_U += pair_grad_U
    return loss, grad_H, grad_U


def reference_softmax(H, U):
    loss, grad_H, grad_U = 0.0, np.zeros_like(H), np.zeros_like(U)
    for e, o in examples():
        pair_loss, grad_v_c, pair_grad_U = softmax_loss_and_gradients(H[e], o, U)
        loss += pair_loss
        grad_H[e] += grad_v_c
        grad_U += pair_grad_U
    return loss, grad_H, grad_U


def run_sgns(H, U):
    U_after = U.copy()
    loss, step_H = sgns_update(H, TARGETS, INDPTR, NEGATIVES, U_after, LEARNING_RATE)
    return loss, step_H, U_after


def run_softmax(H, U):
    U_after = U.copy()
    loss, step_H = softmax_update(H, TARGETS, INDPTR, U_after, LEARNING_RATE)
    return loss, step_H, U_after


@pytest.mark.parametrize(
    "run, reference", [(run_sgns, reference_sgns), (run_softmax, reference_softmax)],
    ids=["sgns", "softmax"],
)
def test_update_is_the_sum_of_the_single_pair_gradients(arrays, run, reference):
    H, U = arrays
    H_before = H.copy()
    loss, step_H, U_after = run(H, U)
    expected_loss, grad_H, grad_U = reference(H, U)

    assert isinstance(loss, float)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(U_after - U, -LEARNING_RATE * grad_U, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(step_H, -LEARNING_RATE * grad_H, rtol=1e-10, atol=1e-13)
    assert step_H.shape == H.shape
    np.testing.assert_array_equal(H, H_before)  # the inputs are the caller's to update
    # The example without a positive neither moves nor pushes its negatives.
    assert np.all(step_H[2] == 0)


def test_sgns_negative_term_counts_once_per_pair_of_its_centre(arrays):
    """Row 6 of U is a negative twice for example 3 (3 pairs) and once for example 2 (no pair),
    so it moves by -lr * 3 * 2 * σ(u_6·h_3) h_3, by hand."""
    H, U = arrays
    _, _, U_after = run_sgns(H, U)
    sigma = 1 / (1 + np.exp(-(U[6] @ H[3])))
    np.testing.assert_allclose(U_after[6] - U[6], -LEARNING_RATE * 6 * sigma * H[3], rtol=1e-12)


def test_sgns_skips_a_noise_word_equal_to_the_positive_pair_by_pair(arrays):
    """By hand: in example 1 (positive 3, pool 2, 5, 3) row 3 moves only as the positive; in
    example 3 (positives 0, 0, 5, pool 0, 6, 6) row 0 is a positive twice and a negative once,
    for pair (3, 5) alone (example 2, also drawing 0, has no pair)."""
    H, U = arrays
    _, _, U_after = run_sgns(H, U)

    def sigma(x):
        return 1 / (1 + np.exp(-x))

    np.testing.assert_allclose(
        U_after[3] - U[3], LEARNING_RATE * sigma(-(U[3] @ H[1])) * H[1], rtol=1e-12
    )
    score = U[0] @ H[3]
    expected = LEARNING_RATE * (2 * sigma(-score) - sigma(score)) * H[3]
    np.testing.assert_allclose(U_after[0] - U[0], expected, rtol=1e-12)


@pytest.mark.parametrize("run", [run_sgns, run_softmax], ids=["sgns", "softmax"])
def test_update_matches_central_differences(arrays, run):
    H, U = arrays
    _, step_H, U_after = run(H, U)
    analytic_grad_U = (U_after - U) / -LEARNING_RATE
    analytic_grad_H = step_H / -LEARNING_RATE
    U_point, H_point = U.copy(), H.copy()
    assert gradcheck(lambda U_: run(H, U_)[0], U_point, analytic_grad_U) < 1e-6
    assert gradcheck(lambda H_: run(H_, U)[0], H_point, analytic_grad_H) < 1e-6


def test_a_wrong_gradient_fails_the_central_difference_check(arrays):
    """The check above has teeth: dropping the repeated-negative count is caught."""
    H, U = arrays
    _, step_H, _ = run_sgns(H, U)
    wrong = step_H / -LEARNING_RATE
    wrong[3] *= 0.9
    assert gradcheck(lambda H_: run_sgns(H_, U)[0], H.copy(), wrong) > 1e-3


@pytest.mark.parametrize(
    "run, reference", [(run_sgns, reference_sgns), (run_softmax, reference_softmax)],
    ids=["sgns", "softmax"],
)
def test_update_is_stable_for_huge_scores(arrays, run, reference):
    H, U = arrays
    H, U = 60 * H, 60 * U  # scores of order +-10^4: exp would overflow
    with np.errstate(over="raise", invalid="raise"):
        loss, step_H, U_after = run(H, U)
    expected_loss, grad_H, grad_U = reference(H, U)
    assert np.isfinite(loss) and loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(step_H, -LEARNING_RATE * grad_H, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(U_after - U, -LEARNING_RATE * grad_U, rtol=1e-10, atol=1e-9)


def test_float32_storage_gives_the_float64_step_to_float32_precision(arrays):
    H, U = arrays
    loss64, step64, U64 = run_sgns(H, U)
    U32 = U.astype(np.float32)
    loss32, step32 = sgns_update(
        H.astype(np.float32), TARGETS, INDPTR, NEGATIVES, U32, LEARNING_RATE
    )
    assert U32.dtype == np.float32
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    np.testing.assert_allclose(step32, step64, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(U32, U64, rtol=1e-4, atol=1e-5)


def test_skipgram_batch_equals_one_example_per_pair_when_negatives_are_repeated(arrays):
    """Sharing the negatives of a centre is the same as giving each of its pairs a copy."""
    H, U = arrays
    loss, step_H, U_shared = run_sgns(H, U)
    owner = np.repeat(np.arange(INDPTR.size - 1), np.diff(INDPTR))
    U_per_pair = U.copy()
    loss_per_pair, step_per_pair = sgns_update(
        H[owner], TARGETS, np.arange(TARGETS.size + 1), NEGATIVES[owner], U_per_pair,
        LEARNING_RATE,
    )
    assert loss == pytest.approx(loss_per_pair, rel=1e-12)
    np.testing.assert_allclose(U_shared, U_per_pair, rtol=1e-12, atol=1e-14)
    summed = np.zeros_like(step_H)
    np.add.at(summed, owner, step_per_pair)
    np.testing.assert_allclose(step_H, summed, rtol=1e-12, atol=1e-14)


def test_softmax_initial_loss_is_log_vocabulary_size():
    """With U = 0 every word has score 0, so each pair costs log |V|."""
    H = np.ones((4, DIM))
    loss, step_H = softmax_update(H, TARGETS, INDPTR, np.zeros((N_WORDS, DIM)), 0.1)
    assert loss == pytest.approx(TARGETS.size * np.log(N_WORDS), rel=1e-14)
    assert np.all(step_H == 0)


def test_add_rows_sums_repeated_rows():
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        matrix = rng.normal(size=(6, 3)).astype(dtype)
        rows = np.array([1, 4, 1, 1, 0, 4])
        steps = rng.normal(size=(6, 3))
        expected = matrix.astype(np.float64)
        np.add.at(expected, rows, steps)
        add_rows(matrix, rows, steps)
        assert matrix.dtype == dtype
        tolerance = 1e-12 if dtype == np.float64 else 1e-6
        np.testing.assert_allclose(matrix, expected, rtol=tolerance, atol=tolerance)
        # rows 2, 3 and 5 untouched
        assert np.array_equal(matrix[[2, 3, 5]], expected[[2, 3, 5]].astype(dtype))


def test_add_rows_with_no_rows_changes_nothing():
    matrix = np.arange(12.0).reshape(4, 3)
    add_rows(matrix, np.zeros(0, np.int64), np.zeros((0, 3)))
    np.testing.assert_array_equal(matrix, np.arange(12.0).reshape(4, 3))


def test_sgns_negative_weight_scales_only_the_negative_terms(arrays):
    """Negative terms weighted w_e: loss and step follow the sum over pairs of
    -log σ(u_o·h_e) + w_e Σ_{k != o} -log σ(-u_k·h_e), checked numerically."""
    H, U = arrays
    weight = np.array([0.5, 1.5, 2.0, 0.25])

    def weighted_loss(H, U):
        total = 0.0
        for e, o in examples():
            noise = noise_of_pair(NEGATIVES[e], o)
            total += np.logaddexp(0.0, -(U[o] @ H[e]))
            total += weight[e] * np.logaddexp(0.0, U[noise] @ H[e]).sum()
        return total

    U_after = U.copy()
    loss, step_H = sgns_update(H, TARGETS, INDPTR, NEGATIVES, U_after, LEARNING_RATE, weight)
    assert loss == pytest.approx(weighted_loss(H, U), rel=1e-12)
    numeric_H = numerical_gradient(lambda X: weighted_loss(X, U), H.copy())
    numeric_U = numerical_gradient(lambda X: weighted_loss(H, X), U.copy())
    np.testing.assert_allclose(step_H, -LEARNING_RATE * numeric_H, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(U_after - U, -LEARNING_RATE * numeric_U, rtol=1e-6, atol=1e-9)


def test_sgns_pools_shared_by_consecutive_examples_equal_repeated_rows(arrays):
    """examples_per_pool=2: examples 0, 1 use pool 0 and examples 2, 3 pool 1; the same step as
    giving every example its pool's words explicitly."""
    H, U = arrays
    pools = np.array([[4, 4, 1, 6], [0, 6, 2, 3]])
    weight = np.array([1.0, 0.5, 2.0, 1.5])
    shared, explicit = U.copy(), U.copy()
    loss, step = sgns_update(H, TARGETS, INDPTR, pools, shared, LEARNING_RATE, weight, 2)
    expected_loss, expected_step = sgns_update(
        H, TARGETS, INDPTR, pools[[0, 0, 1, 1]], explicit, LEARNING_RATE, weight
    )
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(step, expected_step, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(shared, explicit, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-6)])
def test_fused_log_sigmoid_and_complement_match_the_losses_module(dtype, rtol):
    """The engine's (log σ(x), σ(-x)) from one exp and one log1p equals w2vlib.losses' float64
    log_sigmoid and sigmoid, with no overflow at |x| = 1e4."""
    # The reference sees the same (rounded) inputs, so only the formula is compared.
    x = np.concatenate([np.linspace(-40, 40, 801), [-1e4, -700.0, 0.0, 700.0, 1e4]])
    x = x.astype(dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        log_sig, complement = _log_sigmoid_and_complement(x)
    x = x.astype(np.float64)
    assert log_sig.dtype == dtype and complement.dtype == dtype
    np.testing.assert_allclose(log_sig, log_sigmoid(x), rtol=rtol, atol=1e-300)
    np.testing.assert_allclose(complement, sigmoid(-x), rtol=rtol, atol=1e-300)


def test_the_one_pair_steps_are_the_chapter_formulas(arrays):
    """sgns_step and softmax_step (what chapter 6 calls) take the pure step of the loss
    functions, with a negative equal to o skipped, and equal sgns_update on the same pairs."""
    H, U = arrays
    v_c, o, negatives = H[0], 3, np.array([4, 3, 6, 4])
    U_step = U.copy()
    loss, step_v = sgns_step(v_c, o, negatives, U_step, LEARNING_RATE)
    expected_loss, g_v, g_U = sgns_loss_and_gradients(v_c, o, negatives[negatives != o], U)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(step_v, -LEARNING_RATE * g_v, rtol=1e-12)
    np.testing.assert_allclose(U_step - U, -LEARNING_RATE * g_U, atol=1e-12)
    U_soft = U.copy()
    loss, step_v = softmax_step(v_c, o, U_soft, LEARNING_RATE)
    expected_loss, g_v, g_U = softmax_loss_and_gradients(v_c, o, U)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(step_v, -LEARNING_RATE * g_v, rtol=1e-12)
    np.testing.assert_allclose(U_soft - U, -LEARNING_RATE * g_U, atol=1e-12)
    # a batch of pairs, one each: exactly the engine's CSR call
    targets, pools = np.array([1, 2, 0, 5]), NEGATIVES
    U_a, U_b = U.copy(), U.copy()
    batch = sgns_step(H, targets, pools, U_a, LEARNING_RATE)
    engine = sgns_update(H, targets, np.arange(5), pools, U_b, LEARNING_RATE)
    assert batch[0] == engine[0]
    assert np.array_equal(batch[1], engine[1]) and np.array_equal(U_a, U_b)
    with pytest.raises(ValueError, match="one outside word per center vector: got 2 for 4"):
        sgns_step(H, [1, 2], pools, U.copy(), LEARNING_RATE)
