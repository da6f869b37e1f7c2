"""Hierarchical softmax: the loss and its gradients, the probabilities, word2vec.c's update,
the batched engine and ``Word2Vec(hs=True)``."""
import tracemalloc

import numpy as np
import pytest

from w2vlib import Word2Vec
from w2vlib.gradcheck import TOLERANCE, gradcheck
from w2vlib.hs import (
    hierarchical_softmax_loss_and_gradients,
    hs_step,
    hs_update,
    hs_update_rows,
    leaf_probabilities,
)
from w2vlib.huffman import HuffmanTree
from w2vlib.losses import sigmoid

COUNTS = np.array([40, 22, 13, 13, 9, 5, 5, 4, 2, 1, 1])


@pytest.fixture
def setting():
    rng = np.random.default_rng(0)
    tree = HuffmanTree(COUNTS)
    U_inner = rng.normal(scale=0.7, size=(COUNTS.size - 1, 6))
    v_c = rng.normal(scale=0.7, size=6)
    return tree, U_inner, v_c


@pytest.mark.parametrize("o", range(COUNTS.size))
def test_gradients_pass_the_gradient_check(setting, o):
    tree, U_inner, v_c = setting
    _, grad_v, grad_U = hierarchical_softmax_loss_and_gradients(v_c, o, tree, U_inner)
    loss_of_v = lambda x: hierarchical_softmax_loss_and_gradients(x, o, tree, U_inner)[0]
    loss_of_U = lambda x: hierarchical_softmax_loss_and_gradients(v_c, o, tree, x)[0]
    assert gradcheck(loss_of_v, v_c.copy(), grad_v) < TOLERANCE
    assert gradcheck(loss_of_U, U_inner.copy(), grad_U) < TOLERANCE
    off_path = np.setdiff1d(np.arange(U_inner.shape[0]), tree.path(o)[0])
    assert not grad_U[off_path].any()


def test_a_flipped_code_bit_fails_the_gradient_check(setting):
    tree, U_inner, v_c = setting
    points, codes = tree.path(9)
    signs = 1.0 - 2.0 * (1 - codes)  # the wrong branch at every node
    wrong = (-signs * sigmoid(-signs * (U_inner[points] @ v_c))) @ U_inner[points]
    loss_of_v = lambda x: hierarchical_softmax_loss_and_gradients(x, 9, tree, U_inner)[0]
    assert gradcheck(loss_of_v, v_c.copy(), wrong) > 0.1


def test_the_loss_is_minus_log_of_the_leaf_probability_and_they_sum_to_one(setting):
    tree, U_inner, v_c = setting
    probabilities = leaf_probabilities(v_c, tree, U_inner)
    losses = [hierarchical_softmax_loss_and_gradients(v_c, o, tree, U_inner)[0]
              for o in range(COUNTS.size)]
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_allclose(np.exp(-np.array(losses)), probabilities, rtol=1e-12)
    # All inner vectors zero: every decision is a coin, P(w) = 2^-L(w).
    at_zero = leaf_probabilities(v_c, tree, np.zeros_like(U_inner))
    np.testing.assert_allclose(at_zero, 2.0 ** -tree.code_lengths, rtol=1e-15)


def test_probabilities_sum_to_one_on_a_large_tree():
    rng = np.random.default_rng(1)
    counts = np.sort(rng.zipf(1.5, size=3000))[::-1]
    tree = HuffmanTree(counts)
    U_inner = rng.normal(scale=2.0, size=(counts.size - 1, 8))
    total = leaf_probabilities(rng.normal(size=8), tree, U_inner).sum()
    assert total == pytest.approx(1.0, abs=1e-12)


def word2vec_c_update(neu1, word, tree, syn1, alpha):
    """word2vec.c's hierarchical-softmax loop for one example, with the exact sigmoid
    (word2vec.c reads it from a table and skips |f| >= 6), on copies of its inputs:

        for (d = 0; d < vocab[word].codelen; d++) {
          f = 0; l2 = vocab[word].point[d] * layer1_size;
          for (c = 0; c < layer1_size; c++) f += neu1[c] * syn1[c + l2];
          f = 1 / (1 + exp(-f));
          g = (1 - vocab[word].code[d] - f) * alpha;
          for (c = 0; c < layer1_size; c++) neu1e[c] += g * syn1[c + l2];
          for (c = 0; c < layer1_size; c++) syn1[c + l2] += g * neu1[c];
        }
    """
    syn1 = syn1.copy()
    neu1e = np.zeros_like(neu1)
    points, codes = tree.path(word)
    for point, code in zip(points, codes):
        f = 1 / (1 + np.exp(-(neu1 @ syn1[point])))
        g = (1 - code - f) * alpha
        neu1e += g * syn1[point]
        syn1[point] += g * neu1
    return neu1e, syn1


@pytest.mark.parametrize("o", [0, 4, 10])
def test_word2vec_c_g_line_is_minus_alpha_times_the_gradient(setting, o):
    tree, U_inner, v_c = setting
    alpha = 0.025
    neu1e, syn1 = word2vec_c_update(v_c, o, tree, U_inner, alpha)
    _, grad_v, grad_U = hierarchical_softmax_loss_and_gradients(v_c, o, tree, U_inner)
    np.testing.assert_allclose(neu1e, -alpha * grad_v, rtol=1e-12)
    np.testing.assert_allclose(syn1, U_inner - alpha * grad_U, rtol=1e-12)
    # and the batched engine, given the same single pair
    U_engine = U_inner.copy()
    loss, step = hs_update(v_c[None, :], np.array([o]), np.array([0, 1]), tree, U_engine, alpha)
    np.testing.assert_allclose(step[0], neu1e, rtol=1e-12)
    np.testing.assert_allclose(U_engine, syn1, rtol=1e-12, atol=1e-15)
    # and the public step, in the chapters' symbols
    U_step = U_inner.copy()
    _, step_v = hs_step(v_c, o, tree, U_step, alpha)
    np.testing.assert_allclose(step_v, neu1e, rtol=1e-12)
    np.testing.assert_allclose(U_step, syn1, rtol=1e-12, atol=1e-15)


def test_the_engine_takes_the_pairs_one_after_another(setting):
    tree, U_inner, _ = setting
    rng = np.random.default_rng(3)
    # Inputs grouped by target, as word2vec.c's skip-gram loop: targets[t] is predicted
    # from each of H[indptr[t]:indptr[t + 1]]. Every path starts at the root, so each
    # pair must see the inner nodes as the pairs before it left them.
    H = rng.normal(size=(6, 6))
    targets, indptr = np.array([1, 10, 4]), np.array([0, 2, 5, 6])
    expected_loss, expected_step, expected_U = 0.0, np.zeros_like(H), U_inner.copy()
    for t, o in enumerate(targets):
        for row in range(indptr[t], indptr[t + 1]):
            loss, grad_v, grad_U = hierarchical_softmax_loss_and_gradients(
                H[row], o, tree, expected_U)
            expected_loss += loss
            expected_step[row] = -0.1 * grad_v
            expected_U -= 0.1 * grad_U
    U_engine = U_inner.copy()
    loss, step = hs_update(H, targets, indptr, tree, U_engine, 0.1)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(step, expected_step, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(U_engine, expected_U, rtol=1e-10, atol=1e-14)
    # Summing the pairs' steps instead, all from the same U', is a different step.
    summed = U_inner.copy()
    for t, o in enumerate(targets):
        for row in range(indptr[t], indptr[t + 1]):
            summed -= 0.1 * hierarchical_softmax_loss_and_gradients(
                H[row], o, tree, U_inner)[2]
    assert np.abs(U_engine - summed).max() > 1e-4


def test_skip_gram_rows_move_in_place_pair_by_pair_as_in_word2vec_c(setting):
    tree, U_inner, _ = setting
    rng = np.random.default_rng(5)
    V = rng.normal(size=(11, 6))
    # word 3 is the input of three pairs: the later ones must read it moved
    input_words, targets, indptr = np.array([3, 7, 3, 3, 0]), np.array([1, 10]), np.array([0, 3, 5])
    expected_V, expected_U, expected_loss = V.copy(), U_inner.copy(), 0.0
    for t, o in enumerate(targets):
        for word in input_words[indptr[t]:indptr[t + 1]]:
            loss, grad_v, grad_U = hierarchical_softmax_loss_and_gradients(
                expected_V[word], o, tree, expected_U)
            expected_loss += loss
            expected_V[word] -= 0.1 * grad_v
            expected_U -= 0.1 * grad_U
    U_engine = U_inner.copy()
    loss = hs_update_rows(V, input_words, targets, indptr, tree, U_engine, 0.1)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(V, expected_V, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(U_engine, expected_U, rtol=1e-10, atol=1e-14)


def test_the_engine_works_in_float32_and_never_overflows(setting):
    tree, U_inner, v_c = setting
    # Scores near ±1000: σ underflows in float32, the loss must not.
    H = np.vstack([v_c, -v_c]).astype(np.float32) * 1000
    U32 = U_inner.astype(np.float32)
    targets, indptr = np.array([4]), np.array([0, 2])
    expected = sum(
        hierarchical_softmax_loss_and_gradients(h.astype(np.float64), 4, tree, U_inner)[0]
        for h in H
    )
    loss, step = hs_update(H, targets, indptr, tree, U32, 1e-9)
    assert step.dtype == np.float32 and U32.dtype == np.float32
    assert np.isfinite(step).all() and np.isfinite(U32).all()
    assert loss == pytest.approx(expected, rel=1e-5)


def test_bad_arguments_name_the_fix(setting):
    tree, U_inner, v_c = setting
    with pytest.raises(ValueError, match="one row per inner node"):
        hierarchical_softmax_loss_and_gradients(v_c, 0, tree, U_inner[:-1])
    with pytest.raises(TypeError, match="HuffmanTree"):
        leaf_probabilities(v_c, COUNTS, U_inner)
    with pytest.raises(ValueError, match="word index in 0..10"):
        hierarchical_softmax_loss_and_gradients(v_c, 11, tree, U_inner)


# numba does not check bounds: each of these read or wrote outside the arrays (a
# segfault, "free(): invalid size", or a silently wrong loss) before it was checked.
@pytest.mark.parametrize("change, message", [
    (dict(targets=[1, 11]), "targets holds 11, outside 0..10"),
    (dict(targets=[-1, 2]), "targets holds -1, outside 0..10"),
    (dict(indptr=[0, 1]), "indptr must be 3 non-decreasing integers from 0 to 3"),
    (dict(indptr=[0, 1, 5]), "indptr must be 3"),
    (dict(indptr=[0, 2, 1]), "indptr must be 3"),
    (dict(indptr=[-1, 1, 3]), "indptr must be 3"),
    (dict(input_words=[0, 1, 4]), "input_words holds 4, outside 0..3"),
    (dict(input_words=[0, -1, 2]), "input_words holds -1"),
    (dict(U_rows=9), "U_inner has 9 rows but the tree has 10 inner nodes"),
    (dict(U_columns=4), "input vectors have length 6 but U_inner has 4 columns"),
    (dict(U_columns=8), "input vectors have length 6 but U_inner has 8 columns"),
    (dict(targets=[1.0, 2.5]), "targets must be a 1-D array of integer indices"),
])
def test_the_engine_refuses_indices_and_shapes_out_of_range(setting, change, message):
    tree, U_inner, v_c = setting
    rng = np.random.default_rng(1)
    V = rng.normal(size=(4, 6))
    U = rng.normal(size=(change.get("U_rows", 10), change.get("U_columns", 6)))
    arguments = dict(input_words=[0, 1, 2], targets=[1, 2], indptr=[0, 1, 3])
    arguments.update({k: v for k, v in change.items() if not k.startswith("U_")})
    V_before, U_before = V.copy(), U.copy()
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        hs_update_rows(V, arguments["input_words"], arguments["targets"],
                       arguments["indptr"], tree, U, 0.1)
    if "input_words" not in message:  # hs_update has no rows to index
        with pytest.raises(ValueError, match=message.replace("(", r"\(")):
            hs_update(V[:3], arguments["targets"], arguments["indptr"], tree, U, 0.1)
    np.testing.assert_array_equal(V, V_before)
    np.testing.assert_array_equal(U, U_before)
    if "targets holds" in message:
        bad = message.split()[2].rstrip(",")
        with pytest.raises(ValueError, match=f"targets holds {bad}, outside 0..10"):
            hs_step(v_c, int(bad), tree, U_inner, 0.1)


def test_the_engine_refuses_arrays_it_cannot_update_in_place(setting):
    tree, U_inner, v_c = setting
    H, targets, indptr = np.vstack([v_c, -v_c]), [3, 4], [0, 1, 2]
    read_only = U_inner.copy()
    read_only.setflags(write=False)
    # These failed inside numba with a typing error, or updated an int copy (U_inner of
    # ints silently truncated every step; a list was never updated).
    with pytest.raises(ValueError, match=r"U_inner is read-only.*U_inner.copy\(\)"):
        hs_update(H, targets, indptr, tree, read_only, 0.1)
    for bad in (U_inner.astype(int), U_inner.tolist()):
        with pytest.raises(TypeError, match="U_inner must be a float32 or float64"):
            hs_update(H, targets, indptr, tree, bad, 0.1)
        with pytest.raises(TypeError, match="U_inner must be a float32 or float64"):
            hs_step(v_c, 3, tree, bad, 0.1)
    with pytest.raises(TypeError, match="V must be a float32 or float64"):
        hs_update_rows(H.tolist(), [0, 1], targets, indptr, tree, U_inner, 0.1)
    with pytest.raises(ValueError, match=r"H must be 2-D \(P, n\)"):
        hs_update(v_c, [3], [0, 1], tree, U_inner, 0.1)
    with pytest.raises(ValueError, match=r"v_c must be one vector \(n,\)"):
        hs_step(np.ones((2, 1, 6)), [3, 4], tree, U_inner, 0.1)
    for rate in (None, np.array([0.1]), float("nan")):  # None trained with a NaN rate
        with pytest.raises(ValueError, match="learning_rate must be a finite number"):
            hs_update(H, targets, indptr, tree, U_inner, rate)
    with pytest.raises(TypeError, match="HuffmanTree"):
        hs_update(H, targets, indptr, COUNTS, U_inner, 0.1)


def test_an_integer_input_is_converted_not_truncated(setting):
    # An int H made an int step and cast the rate 0.1 to 0: nothing moved.
    tree, U_inner, v_c = setting
    U_float, U_int_input = U_inner.copy(), U_inner.copy()
    loss, step = hs_step(np.array([1.0, 2, 0, -1, 1, 0]), 7, tree, U_float, 0.1)
    loss_int, step_int = hs_step(np.array([1, 2, 0, -1, 1, 0]), 7, tree, U_int_input,
                                 0.1)
    assert step_int.dtype == np.float64 and np.abs(step_int).max() > 0
    assert loss_int == loss
    np.testing.assert_array_equal(step_int, step)
    np.testing.assert_array_equal(U_int_input, U_float)


def test_hs_step_does_not_copy_u_inner():
    # hs_step converted U_inner to float64 to check it: a copy of every inner node for
    # one pair (20 ms for 100,000 words of 300 float32s, and twice their memory).
    tree = HuffmanTree(np.arange(50_000, 0, -1))
    U_inner = np.zeros((tree.n_words - 1, 300), dtype=np.float32)
    v_c = np.ones(300, dtype=np.float32)
    hs_step(v_c, 5, tree, U_inner, 0.1)  # compiles, or loads the cache
    tracemalloc.start()
    try:
        hs_step(v_c, 5, tree, U_inner, 0.1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < U_inner.nbytes / 10

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_words, n", [(2, 1), (11, 7), (11, 300)])
def test_the_engine_matches_the_pure_function_pair_by_pair(dtype, n_words, n):
    # Empty windows (equal neighbours in indptr), a repeated target and input, one
    # inner node (two words), n = 1 and n = 300, a zero rate.
    rng = np.random.default_rng(n)
    tree = HuffmanTree(COUNTS[:n_words])
    H = rng.normal(size=(5, n)).astype(dtype)
    H[4] = H[0]
    targets = np.array([1, 0, 1, 1, 0]) % n_words
    indptr = np.array([0, 2, 2, 3, 3, 5])
    U = rng.normal(size=(n_words - 1, n)).astype(dtype)
    for rate in (0.0, 0.5):
        U_engine, U_pure = U.copy(), U.astype(np.float64)
        loss, step = hs_update(H, targets, indptr, tree, U_engine, rate)
        expected_loss, expected_step = 0.0, np.zeros((5, n))
        for t, o in enumerate(targets):
            for i in range(indptr[t], indptr[t + 1]):
                pair_loss, grad_h, grad_U = hierarchical_softmax_loss_and_gradients(
                    H[i].astype(np.float64), int(o), tree, U_pure)
                expected_loss += pair_loss
                expected_step[i] = -rate * grad_h
                U_pure -= rate * grad_U
        tolerance = 1e-4 if dtype == np.float32 else 1e-10
        assert loss == pytest.approx(expected_loss, rel=tolerance)
        np.testing.assert_allclose(step, expected_step, rtol=tolerance, atol=tolerance)
        np.testing.assert_allclose(U_engine, U_pure, rtol=tolerance, atol=tolerance)
        assert step.dtype == dtype and U_engine.dtype == dtype


SENTENCES = [["a", "b", "c", "a", "d", "b", "a", "e"], ["b", "a", "c", "c", "d", "a"]] * 30


def test_word2vec_hs_trains_reproducibly_and_lowers_the_loss():
    fit = lambda: Word2Vec(hs=True, negative=0, vector_size=8, window=2, min_count=1,
                           sample=0, epochs=5, random_state=0).fit(SENTENCES)
    first, second = fit(), fit()
    assert first.U_.shape == (4, 8) and first.tree_.n_words == 5
    np.testing.assert_array_equal(first.wv_.vectors, second.wv_.vectors)
    assert first.loss_history_[-1] < first.loss_history_[0]
    assert "hs=True" in repr(first)
    cbow = Word2Vec(hs=True, negative=0, cbow=True, vector_size=8, window=2, min_count=1,
                    sample=0, epochs=3, random_state=0).fit(SENTENCES)
    assert cbow.loss_history_[-1] < cbow.loss_history_[0]


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(hs=True), "negative=5"),
        (dict(hs=True, negative=0, method="softmax"), "method='softmax'"),
        (dict(hs="yes", negative=0), "hs must be True or False"),
    ],
)
def test_word2vec_refuses_hs_with_another_output_layer(options, message):
    with pytest.raises(ValueError, match=message):
        Word2Vec(min_count=1, **options).fit(SENTENCES)


def test_word2vec_hs_on_a_one_word_vocabulary_says_what_to_do():
    # It failed in HuffmanTree, asking a Word2Vec user to "pass vocab.counts_".
    with pytest.raises(ValueError, match=r"two or more words, got \['a'\].*min_count"):
        Word2Vec(hs=True, negative=0, min_count=1, progress=False).fit([["a", "a"]])

def test_the_command_line_trains_hierarchical_softmax(tmp_path, capsys):
    from w2vlib import cli

    corpus, output = tmp_path / "corpus.txt", tmp_path / "vectors.txt"
    corpus.write_text("\n".join(" ".join(sentence) for sentence in SENTENCES), encoding="utf-8")
    argv = ["train", "--input", corpus, "--output", output, "--hs", "--min-count", "1",
            "--vector-size", "8", "--epochs", "2", "--seed", "0"]
    assert cli.main([str(arg) for arg in argv]) == 0
    assert "w2vlib train: hs skip-gram" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8").startswith("5 8\n")
    assert cli.main([str(arg) for arg in argv + ["--negative", "5", "--overwrite"]]) == 2
    error = capsys.readouterr().err  # the options of the command, not the keywords
    assert "--hs trains hierarchical softmax alone, got --negative 5" in error
    assert "pass --hs, --negative 0" in error and "hs=True" not in error
