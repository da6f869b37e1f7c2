"""Tests for w2vlib.cooccurrence: exact counts, PPMI by hand, SVD identities, bad inputs."""
import math
from types import SimpleNamespace

import numpy as np
import pytest

from w2vlib.cooccurrence import (
    cooccurrence_matrix,
    pmi,
    ppmi,
    svd_embeddings,
    truncated_svd,
)
from w2vlib.toy_corpora import topic_words, toy_corpus

TWO_SENTENCES = [["a", "b", "c"], ["c", "a"]]
WORDS = ["a", "b", "c"]


def pair_count(C, words, first, second):
    return C[words.index(first), words.index(second)]


def test_window_one_counts_neighbours_and_never_crosses_sentences():
    C, words = cooccurrence_matrix(TWO_SENTENCES, WORDS, window=1)
    assert words == WORDS
    # a-b (sentence 1), b-c (sentence 1), c-a (sentence 2); the boundary pair c|c is not counted.
    expected = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=np.float64)
    np.testing.assert_array_equal(C, expected)
    assert C.dtype == np.float64


def test_window_two_adds_distance_two_pairs_only_inside_a_sentence():
    C, _ = cooccurrence_matrix(TWO_SENTENCES, WORDS, window=2)
    # New at distance 2: a-c in sentence 1. Across the boundary (b|c, c|a) nothing is added.
    expected = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], dtype=np.float64)
    np.testing.assert_array_equal(C, expected)


def test_harmonic_weighting_divides_by_distance():
    C, _ = cooccurrence_matrix(TWO_SENTENCES, WORDS, window=2, weighting="harmonic")
    assert pair_count(C, WORDS, "a", "c") == pytest.approx(1.0 + 0.5)
    assert pair_count(C, WORDS, "a", "b") == pytest.approx(1.0)


def test_repeated_word_counts_itself_on_the_diagonal():
    C, _ = cooccurrence_matrix([["a", "a", "b"]], ["a", "b"], window=1)
    np.testing.assert_array_equal(C, [[2, 1], [1, 0]])


def test_out_of_vocabulary_words_are_removed_before_windowing():
    C, words = cooccurrence_matrix([["a", "zzz", "b"]], ["a", "b"], window=1)
    assert pair_count(C, words, "a", "b") == 1


def test_vocabulary_object_and_dict_fix_the_order():
    fitted = SimpleNamespace(index_to_key_=["c", "a", "b"])
    C, words = cooccurrence_matrix(TWO_SENTENCES, fitted, window=1)
    assert words == ["c", "a", "b"]
    C_dict, words_dict = cooccurrence_matrix(TWO_SENTENCES, {"c": 0, "a": 1, "b": 2}, window=1)
    assert words_dict == words
    np.testing.assert_array_equal(C, C_dict)
    C_list, _ = cooccurrence_matrix(TWO_SENTENCES, WORDS, window=1)
    order = [WORDS.index(w) for w in words]
    np.testing.assert_array_equal(C, C_list[np.ix_(order, order)])


def test_matches_a_plain_loop_on_the_toy_corpus():
    sentences = toy_corpus("es")
    words = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(words)}
    window = 3
    expected = np.zeros((len(words), len(words)))
    for sentence in sentences:
        for i, centre in enumerate(sentence):
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if j != i:
                    expected[index[centre], index[sentence[j]]] += 1
    C, _ = cooccurrence_matrix(sentences, words, window=window)
    np.testing.assert_array_equal(C, expected)
    np.testing.assert_array_equal(C, C.T)


@pytest.mark.parametrize("window", [0, -1, 1.5, "2", True])
def test_bad_window_is_rejected_with_the_value(window):
    with pytest.raises(ValueError, match=r"window must be an integer >= 1, got"):
        cooccurrence_matrix(TWO_SENTENCES, WORDS, window=window)


def test_empty_corpus_is_rejected():
    with pytest.raises(ValueError, match="corpus is empty"):
        cooccurrence_matrix([], WORDS, window=2)


def test_empty_vocabulary_and_bad_sentences_are_rejected():
    with pytest.raises(ValueError, match="vocabulary is empty"):
        cooccurrence_matrix(TWO_SENTENCES, [], window=2)
    with pytest.raises(ValueError, match="more than once"):
        cooccurrence_matrix(TWO_SENTENCES, ["a", "b", "a"], window=2)
    with pytest.raises(TypeError, match="list of tokens"):
        cooccurrence_matrix(["a b c"], WORDS, window=2)
    with pytest.raises(TypeError, match="one str"):
        cooccurrence_matrix("a b c", WORDS, window=2)
    with pytest.raises(ValueError, match="weighting must be"):
        cooccurrence_matrix(TWO_SENTENCES, WORDS, window=2, weighting="gaussian")


def test_ppmi_matches_a_hand_computation():
    C = np.array([[0.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 1.0]])
    # N = 7; row sums = col sums = (3, 2, 2).
    # PMI(a, b) = log( (2/7) / ((3/7) * (2/7)) ) = log(7/3) > 0
    # PMI(a, c) = log( (1/7) / ((3/7) * (2/7)) ) = log(7/6) > 0
    # PMI(c, c) = log( (1/7) / ((2/7) * (2/7)) ) = log(7/4) > 0
    expected = np.array(
        [
            [0.0, math.log(7 / 3), math.log(7 / 6)],
            [math.log(7 / 3), 0.0, 0.0],
            [math.log(7 / 6), 0.0, math.log(7 / 4)],
        ]
    )
    np.testing.assert_allclose(ppmi(C), expected, rtol=1e-12)
    P = pmi(C)
    assert P[1, 1] == -np.inf and P[0, 0] == -np.inf


def test_ppmi_clips_negative_pmi_to_zero():
    C = np.array([[10.0, 1.0], [1.0, 10.0]])
    # PMI(0, 1) = log( (1/22) / (0.5 * 0.5) ) = log(2/11) < 0  -> clipped to 0
    assert pmi(C)[0, 1] == pytest.approx(math.log(2 / 11))
    assert ppmi(C)[0, 1] == 0.0
    assert ppmi(C)[0, 0] == pytest.approx(math.log(20 / 11))


def test_context_smoothing_and_shift():
    C = np.array([[0.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 1.0]])
    alpha = 0.75
    context = np.array([3.0, 2.0, 2.0]) ** alpha
    p_context = context / context.sum()
    expected_ab = math.log((2 / 7) / ((3 / 7) * p_context[1]))
    assert pmi(C, alpha=alpha)[0, 1] == pytest.approx(expected_ab)
    assert ppmi(C, shift=2.0)[0, 1] == pytest.approx(math.log(7 / 3) - math.log(2))
    # log(7/6) - log(2) < 0: shifted PPMI clips it.
    assert ppmi(C, shift=2.0)[0, 2] == 0.0


def test_ppmi_rejects_bad_inputs():
    with pytest.raises(ValueError, match="all zeros"):
        ppmi(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=">= 0"):
        ppmi(np.array([[1.0, -1.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        ppmi(np.ones(3))
    with pytest.raises(ValueError, match="alpha must be"):
        ppmi(np.ones((2, 2)), alpha=0)
    with pytest.raises(ValueError, match="shift must be"):
        ppmi(np.ones((2, 2)), shift=-1)


@pytest.fixture
def random_matrix():
    return np.random.default_rng(12345).normal(size=(9, 6))


@pytest.mark.parametrize("k", [1, 2, 4, 6])
def test_rank_k_error_is_the_energy_of_the_tail(random_matrix, k):
    all_s = np.linalg.svd(random_matrix, compute_uv=False)
    U, s, Vt = truncated_svd(random_matrix, k)
    assert U.shape == (9, k) and s.shape == (k,) and Vt.shape == (k, 6)
    approximation = U @ np.diag(s) @ Vt
    error = np.sum((random_matrix - approximation) ** 2)
    assert error == pytest.approx(np.sum(all_s[k:] ** 2), abs=1e-12)
    np.testing.assert_allclose(U.T @ U, np.eye(k), atol=1e-12)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(k), atol=1e-12)


def test_sign_convention_is_fixed_and_survives_flipping_the_input(random_matrix):
    U, s, Vt = truncated_svd(random_matrix, 3)
    largest = np.abs(U).argmax(axis=0)
    assert np.all(U[largest, np.arange(3)] > 0)
    # -M has the same singular vectors up to sign; the convention gives back the same U.
    U_neg, s_neg, Vt_neg = truncated_svd(-random_matrix, 3)
    np.testing.assert_allclose(U_neg, U, atol=1e-12)
    np.testing.assert_allclose(s_neg, s)
    np.testing.assert_allclose(Vt_neg, -Vt, atol=1e-12)


def test_svd_embeddings_are_projections_on_the_right_singular_vectors(random_matrix):
    U, s, Vt = truncated_svd(random_matrix, 2)
    X = svd_embeddings(random_matrix, 2)
    np.testing.assert_allclose(X, random_matrix @ Vt.T, atol=1e-12)
    np.testing.assert_allclose(svd_embeddings(random_matrix, 2, power=0.5), U * np.sqrt(s))


def test_svd_of_centred_data_is_pca(random_matrix):
    centred = random_matrix - random_matrix.mean(axis=0)
    scores = svd_embeddings(centred, 2)
    covariance = centred.T @ centred / (len(centred) - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    top = eigenvectors[:, ::-1][:, :2]
    pca_scores = centred @ top
    # Eigenvectors have arbitrary signs; compare column by column up to sign.
    for column in range(2):
        sign = np.sign(pca_scores[:, column] @ scores[:, column])
        np.testing.assert_allclose(sign * pca_scores[:, column], scores[:, column], atol=1e-10)
    _, s, _ = truncated_svd(centred, 2)
    np.testing.assert_allclose(s**2 / (len(centred) - 1), eigenvalues[::-1][:2])


@pytest.mark.parametrize("k", [0, 7, 2.0, None])
def test_bad_n_components_is_rejected(random_matrix, k):
    with pytest.raises(ValueError, match="n_components must be an integer from 1 to 6"):
        truncated_svd(random_matrix, k)


def test_svd_rejects_infinite_entries():
    with pytest.raises(ValueError, match="ppmi"):
        svd_embeddings(pmi(np.array([[0.0, 1.0], [1.0, 0.0]])), 1)


def test_toy_corpus_ppmi_svd_groups_the_topics():
    sentences = toy_corpus("en")
    words = sorted({w for s in sentences for w in s})
    C, words = cooccurrence_matrix(sentences, words, window=2)
    X = svd_embeddings(ppmi(C), 10)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    topics = list(topic_words("en").values())
    targets = [w for topic in topics for w in topic]
    label = {w: t for t, topic in enumerate(topics) for w in topic}
    rows = X[[words.index(w) for w in targets]]
    similarity = rows @ rows.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = [targets[j] for j in similarity.argmax(axis=1)]
    assert [label[w] for w in nearest] == [label[w] for w in targets]


def test_a_vocabulary_word_missing_from_the_corpus_gets_zero_rows_not_nan():
    C, words = cooccurrence_matrix(TWO_SENTENCES, ["a", "b", "c", "never"], window=1)
    assert not C[words.index("never")].any()
    M = ppmi(C)
    assert np.all(np.isfinite(M)) and not M[words.index("never")].any()
    assert np.all(pmi(C)[words.index("never")] == -np.inf)
