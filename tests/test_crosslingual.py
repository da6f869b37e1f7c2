"""w2vlib.crosslingual: each map, score and measure checked against its definition."""
import doctest

import numpy as np
import pytest

import w2vlib.crosslingual
from w2vlib import KeyedVectors
from w2vlib.crosslingual import (
    csls_scores,
    dice_dictionary,
    dictionary_queries,
    group_by_source,
    k_occurrence,
    least_squares_map,
    normalize_embeddings,
    precision_at_k,
    procrustes,
    read_dictionary,
    translation_precision,
)


def random_orthogonal(n, rng):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Q


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_procrustes_recovers_a_hidden_rotation(rng):
    X = rng.standard_normal((40, 6))
    Q = random_orthogonal(6, rng)
    W = procrustes(X, X @ Q + 0.01 * rng.standard_normal((40, 6)))
    assert np.allclose(W.T @ W, np.eye(6))
    assert np.abs(W - Q).max() < 0.02


def test_procrustes_beats_every_random_orthogonal_map(rng):
    X, Y = rng.standard_normal((30, 5)), rng.standard_normal((30, 5))
    best = np.linalg.norm(X @ procrustes(X, Y) - Y)
    others = [np.linalg.norm(X @ random_orthogonal(5, rng) - Y) for _ in range(200)]
    assert best <= min(others)
    # the transposed map is orthogonal too, and worse (a mistake the exercise looks for)
    assert best < np.linalg.norm(X @ procrustes(X, Y).T - Y)


def test_least_squares_solves_the_normal_equations(rng):
    X, Y = rng.standard_normal((50, 4)), rng.standard_normal((50, 3))
    W = least_squares_map(X, Y)
    assert W.shape == (4, 3)
    assert np.allclose(X.T @ X @ W, X.T @ Y)
    # it is at least as good as the orthogonal map, which is a constrained minimiser
    Y4 = rng.standard_normal((50, 4))
    assert np.linalg.norm(X @ least_squares_map(X, Y4) - Y4) <= np.linalg.norm(
        X @ procrustes(X, Y4) - Y4)


def test_maps_refuse_mismatched_input():
    with pytest.raises(ValueError, match="row i of each"):
        procrustes(np.ones((3, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="same dimension"):
        procrustes(np.ones((3, 2)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="NaN"):
        least_squares_map(np.array([[np.nan, 1.0]]), np.ones((1, 2)))


def test_normalize_embeddings(rng):
    X = rng.standard_normal((20, 3)) + 5
    unit = normalize_embeddings(X)
    assert np.allclose(np.linalg.norm(unit, axis=1), 1)
    assert np.allclose(unit * np.linalg.norm(X, axis=1, keepdims=True), X)
    centred = normalize_embeddings(X, center=True)
    assert np.allclose(np.linalg.norm(centred, axis=1), 1)
    # centring removed the shared direction: the mean is small compared with the unit rows
    assert np.linalg.norm(centred.mean(axis=0)) < 0.5 < np.linalg.norm(unit.mean(axis=0))
    with pytest.raises(ValueError, match="X row 1 is the zero vector"):
        normalize_embeddings([[1.0, 0.0], [0.0, 0.0]])


def test_precision_at_k_counts_hits_in_the_top_k():
    scores = np.array([[0.9, 0.5, 0.1],
                       [0.2, 0.3, 0.8],
                       [0.4, 0.6, 0.5]])
    gold = [0, {1}, [2, 0]]
    assert precision_at_k(scores, gold, 1) == pytest.approx(1 / 3)
    assert precision_at_k(scores, gold, 2) == pytest.approx(3 / 3)
    assert precision_at_k(scores, [1, 0, 1], 2) == pytest.approx(2 / 3)
    # ties go to the earlier column
    assert precision_at_k(np.zeros((1, 3)), [[1]], 1) == 0.0
    assert precision_at_k(np.zeros((1, 3)), [[0]], 1) == 1.0
    with pytest.raises(ValueError, match="k must be an integer from 1 to 3"):
        precision_at_k(scores, gold, 0)
    with pytest.raises(ValueError, match="one\nset|one set"):
        precision_at_k(scores, gold[:2], 1)


def test_a_query_with_no_known_translation_is_coverage_not_a_miss():
    # vecmap's eval_translation.py prints "Coverage: 66.67%  Accuracy: 50.00%" for these:
    # accuracy is the mean over the covered queries only, coverage their share
    scores = np.array([[0.9, 0.1, 0.0],
                       [0.9, 0.1, 0.0],
                       [0.1, 0.2, 0.9]])
    gold = [[0], [1], []]
    result = translation_precision(scores, gold, 1)
    assert (result.precision, result.coverage) == (0.5, pytest.approx(2 / 3))
    assert (result.n_queries, result.n_covered, result.k) == (3, 2, 1)
    assert precision_at_k(scores, gold, 1) == 0.5
    assert str(result) == "P@1 = 0.500 on 2 of 3 queries (coverage 66.7%)"
    with pytest.raises(ValueError, match="none of the 2 queries has a known translation"):
        translation_precision(scores[:2], [[], ()], 1)


MUSE_STYLE = "casa\thouse\ncasa\thome\n\nperro dog\ngato cat\nzzz qqq\ncasa house\n"


def test_a_muse_dictionary_is_read_grouped_and_turned_into_queries(tmp_path):
    path = tmp_path / "es-en.txt"
    path.write_text("\ufeff" + MUSE_STYLE, encoding="utf-8")
    pairs = read_dictionary(path)
    assert pairs[:3] == [("casa", "house"), ("casa", "home"), ("perro", "dog")]
    assert group_by_source(pairs) == {
        "casa": ["house", "home"], "perro": ["dog"], "gato": ["cat"], "zzz": ["qqq"]}
    source = KeyedVectors(np.eye(3), ["perro", "casa", "gato"])
    # "cat" is not in the English vocabulary: gato is not covered, nor zzz (in neither)
    queries = dictionary_queries(pairs, source, ["home", "dog", "house"])
    assert queries.words == ["casa", "perro"]
    assert queries.rows.tolist() == [1, 0]
    assert queries.gold == [(2, 0), (1,)]
    assert queries.missing == ["gato", "zzz"]
    # vecmap: coverage = len(src2trg) / (len(src2trg) + len(oov)) = 2 / 4
    assert queries.coverage == 0.5
    assert repr(queries) == "DictionaryQueries(covered=2, missing=2, coverage=0.500)"
    scores = np.array([[0.1, 0.0, 0.9], [0.9, 0.3, 0.0]])  # casa -> house, perro -> home
    assert precision_at_k(scores, queries.gold, 1) == 0.5
    assert precision_at_k(scores, queries.gold, 2) == 1.0


def test_a_malformed_dictionary_line_is_named(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("casa house\nperro\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: expected two words"):
        read_dictionary(path)
    with pytest.raises(ValueError, match="no pair of the dictionary"):
        dictionary_queries([("a", "b")], ["x"], ["b"])


def test_the_docstring_examples_run():
    assert doctest.testmod(w2vlib.crosslingual).failed == 0


def test_k_occurrence_counts_each_target_in_the_top_k():
    scores = np.array([[0.9, 0.5, 0.1, 0.0],
                       [0.2, 0.3, 0.8, 0.0],
                       [0.7, 0.6, 0.5, 0.0]])
    assert k_occurrence(scores, 1).tolist() == [2, 0, 1, 0]
    assert k_occurrence(scores, 2).tolist() == [2, 3, 1, 0]
    assert k_occurrence(scores, 3).sum() == 9


def test_csls_matches_its_definition(rng):
    Q = normalize_embeddings(rng.standard_normal((6, 4)))
    T = normalize_embeddings(rng.standard_normal((9, 4)))
    S = normalize_embeddings(rng.standard_normal((12, 4)))
    k = 3
    got = csls_scores(Q, T, k=k, sources=S)
    for i in range(6):
        for j in range(9):
            r_t = np.sort(T @ Q[i])[-k:].mean()
            r_s = np.sort(S @ T[j])[-k:].mean()
            assert got[i, j] == pytest.approx(2 * Q[i] @ T[j] - r_t - r_s)
    assert np.allclose(csls_scores(Q, T, k=k), csls_scores(Q, T, k=k, sources=Q))


def test_csls_demotes_a_hub_and_helps_translation(rng):
    # 200 words, their noisy translations, and one extra target along the mean direction:
    # close to every source, the nearest neighbour of many that are not its own
    S = normalize_embeddings(rng.standard_normal((200, 10)) + 1.0)
    T = normalize_embeddings(S + 0.2 * rng.standard_normal((200, 10)))
    T = np.vstack([T, normalize_embeddings(S.mean(axis=0, keepdims=True))])
    cosines, csls = S @ T.T, csls_scores(S, T, k=5)
    assert k_occurrence(csls, 1)[-1] < k_occurrence(cosines, 1)[-1]
    assert precision_at_k(csls, range(200), 1) > precision_at_k(cosines, range(200), 1)


def test_dice_dictionary_keeps_mutual_best_pairs():
    pairs = [(["el", "rey"], ["the", "king"]),
             (["el", "rey", "dijo"], ["the", "king", "said"]),
             (["el", "pan"], ["the", "bread"]),
             (["dijo"], ["said", "the"])]
    found = dice_dictionary(pairs, ["el", "rey", "dijo", "pan"], ["the", "king", "said", "bread"])
    as_dict = {s: (t, d) for s, t, d in found}
    assert as_dict["el"] == ("the", pytest.approx(2 * 3 / (3 + 4)))
    assert as_dict["rey"] == ("king", 1.0)
    assert as_dict["dijo"] == ("said", 1.0)
    assert as_dict["pan"] == ("bread", 1.0)
    assert [d for _, _, d in found] == sorted((d for _, _, d in found), reverse=True)
    # min_verses drops pairs seen together in fewer sentences
    kept = {s for s, _, _ in dice_dictionary(pairs, ["el", "rey", "dijo", "pan"],
                                              ["the", "king", "said", "bread"], min_verses=2)}
    assert kept == {"el", "rey", "dijo"}
    # a word outside the allowed vocabulary is never proposed
    assert all(t != "bread" for _, t, _ in dice_dictionary(pairs, ["pan"], ["the"]))
    with pytest.raises(ValueError, match="min_verses must be an integer >= 1, got 0"):
        dice_dictionary(pairs, ["pan"], ["bread"], min_verses=0)
    with pytest.raises(ValueError, match="at least one pair"):
        dice_dictionary([], ["pan"], ["bread"])
