"""Intervals for scores: bootstrap of Spearman's rho and Wilson's interval for proportions."""
import numpy as np
import pytest
import scipy.stats

from w2vlib import evaluate_word_pairs, wordsim353_path
from w2vlib.keyedvectors import KeyedVectors
from w2vlib.uncertainty import proportion_interval, spearman_difference_interval, spearman_interval


def test_spearman_estimate_is_scipys_and_interval_covers_it():
    rng = np.random.default_rng(1)
    gold = rng.normal(size=200)
    predicted = gold + rng.normal(scale=1.5, size=200)
    predicted[:10] = predicted[10]  # ties
    interval = spearman_interval(gold, predicted, rng=3)
    assert interval.estimate == pytest.approx(scipy.stats.spearmanr(gold, predicted).statistic, abs=1e-12)
    assert interval.low < interval.estimate < interval.high
    assert spearman_interval(gold, predicted, rng=3) == interval  # seeded


def test_bootstrap_interval_matches_scipys_bootstrap():
    # scipy.stats.bootstrap (percentile method, paired) is the independent reference
    rng = np.random.default_rng(2)
    gold = rng.normal(size=150)
    predicted = 0.4 * gold + rng.normal(size=150)
    ours = spearman_interval(gold, predicted, n_resamples=4000, rng=5)
    ref = scipy.stats.bootstrap(
        (gold, predicted), lambda a, b, axis=-1: scipy.stats.spearmanr(a, b, axis=None).statistic
        if np.ndim(a) == 1 else np.array([scipy.stats.spearmanr(x, y).statistic for x, y in zip(a, b)]),
        paired=True, vectorized=True, n_resamples=4000, method="percentile", random_state=7,
    ).confidence_interval
    assert ours.low == pytest.approx(ref.low, abs=0.02)
    assert ours.high == pytest.approx(ref.high, abs=0.02)


def test_interval_width_shrinks_with_more_pairs():
    rng = np.random.default_rng(4)
    widths = []
    for n in (50, 800):
        gold = rng.normal(size=n)
        interval = spearman_interval(gold, gold + rng.normal(size=n), rng=0)
        widths.append(interval.high - interval.low)
    assert widths[1] < widths[0] / 2.5  # about 1/sqrt(16) = 1/4 in theory


def test_difference_of_a_model_with_itself_is_exactly_zero_and_a_real_gap_is_found():
    rng = np.random.default_rng(6)
    gold = rng.normal(size=300)
    good = gold + rng.normal(scale=0.5, size=300)
    bad = gold + rng.normal(scale=3.0, size=300)
    same = spearman_difference_interval(gold, good, good)
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)
    gap = spearman_difference_interval(gold, good, bad)
    assert gap.low > 0 and 0 not in gap


def test_word_pairs_result_carries_the_scores_it_correlated():
    rng = np.random.default_rng(0)
    words = ["tiger", "cat", "dog", "car", "automobile", "king", "queen", "money", "bank", "cash"]
    wv = KeyedVectors(rng.normal(size=(len(words), 8)), words)
    result = evaluate_word_pairs(wv, wordsim353_path())
    assert len(result.gold_scores) == len(result.model_scores) == result.pairs_used
    interval = spearman_interval(result.gold_scores, result.model_scores)
    assert interval.estimate == pytest.approx(result.spearman, abs=1e-12)


def test_wilson_interval_reference_values():
    # Wilson (1927); values as in Newcombe (1998), Statistics in Medicine 17, table I:
    # 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775
    a = proportion_interval(81, 263)
    assert (round(a.low, 4), round(a.high, 4)) == (0.2553, 0.3662)
    b = proportion_interval(0, 10)
    assert (b.low, round(b.high, 4)) == (0.0, 0.2775)


@pytest.mark.parametrize("call, message", [
    (lambda: spearman_interval([1, 2, 3], [1, 2]), "equal length"),
    (lambda: spearman_interval([1, 2], [1, 2]), "at least 3"),
    (lambda: spearman_interval([1, 2, 3], [3, 1, 2], confidence=95), "confidence"),
    (lambda: spearman_interval([1, 2, 3], [3, 1, 2], n_resamples=10), "n_resamples"),
    (lambda: proportion_interval(5, 3), "hits=5"),
    (lambda: proportion_interval(0.5, 3), "hits=0.5"),
])
def test_errors_name_the_bad_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()
