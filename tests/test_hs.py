"""Hierarchical softmax: the loss and its gradients, the probabilities, word2vec.c's update,
the batched engine and ``Word2Vec(hs=True)``."""
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
    assert "hs=True trains hierarchical softmax alone" in capsys.readouterr().err
