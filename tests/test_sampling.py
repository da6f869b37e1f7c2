"""Tests of w2vlib.sampling.AliasSampler: the draws follow the given distribution (exact table
check and chi-square goodness of fit), invalid input is rejected, draws are reproducible."""
import numpy as np
import pytest
from scipy.stats import chisquare

from w2vlib.sampling import AliasSampler
from w2vlib.vocab import Vocabulary


@pytest.fixture(scope="module")
def zipf_vocab():
    """40 words whose counts fall like 3000 / rank (Zipf's law)."""
    counts = [3000 // rank for rank in range(1, 41)]
    return Vocabulary().fit([[f"w{rank:02d}"] * count for rank, count in enumerate(counts)])


def table_distribution(sampler):
    """The distribution the alias table encodes: column i is chosen with probability 1/n and
    keeps i with probability accept[i], else gives alias[i]."""
    n = sampler.accept.size
    p = sampler.accept / n
    np.add.at(p, sampler.alias, (1.0 - sampler.accept) / n)
    return p


@pytest.mark.parametrize(
    "probabilities",
    [[0.5, 0.25, 0.25], [1.0], [0.0, 1.0, 0.0], [0.1] * 10, [1e-9, 1.0, 3.0, 0.0, 2.5]],
)
def test_alias_table_encodes_the_distribution_exactly(probabilities):
    sampler = AliasSampler(probabilities)
    expected = np.array(probabilities) / np.sum(probabilities)
    np.testing.assert_allclose(table_distribution(sampler), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(sampler.probabilities, expected, rtol=1e-15)


def test_alias_table_of_the_noise_distribution(zipf_vocab):
    p = zipf_vocab.noise_distribution()
    np.testing.assert_allclose(table_distribution(AliasSampler(p)), p, rtol=1e-12)


def test_draws_fit_the_noise_distribution_chi_square(zipf_vocab):
    p = zipf_vocab.noise_distribution(0.75)
    draws = AliasSampler(p).sample(np.random.default_rng(2024), size=200_000)
    observed = np.bincount(draws, minlength=p.size)
    assert observed.size == p.size
    assert chisquare(observed, p * draws.size).pvalue > 1e-3
    # The same test rejects the unigram distribution count^1.0, so it has power to fail.
    wrong = zipf_vocab.noise_distribution(1.0)
    assert chisquare(observed, wrong * draws.size).pvalue < 1e-12


def test_outcomes_of_probability_zero_are_never_drawn():
    sampler = AliasSampler([0.0, 0.3, 0.0, 0.7, 0.0])
    draws = sampler.sample(np.random.default_rng(0), size=50_000)
    assert set(np.unique(draws).tolist()) == {1, 3}


def test_weights_need_not_sum_to_one():
    sampler = AliasSampler([2, 1, 1])
    np.testing.assert_allclose(sampler.probabilities, [0.5, 0.25, 0.25])
    draws = sampler.sample(np.random.default_rng(1), size=40_000)
    np.testing.assert_allclose(np.bincount(draws) / draws.size, [0.5, 0.25, 0.25], atol=0.01)


def test_sample_shape_dtype_and_range():
    sampler = AliasSampler(np.full(7, 1 / 7))
    draws = sampler.sample(np.random.default_rng(0), size=(30, 5))
    assert draws.shape == (30, 5)
    assert np.issubdtype(draws.dtype, np.integer)
    assert draws.min() >= 0 and draws.max() <= 6
    assert AliasSampler([1.0]).sample(np.random.default_rng(0), size=4).tolist() == [0] * 4


def test_same_seed_same_draws_other_seed_other_draws(zipf_vocab):
    sampler = AliasSampler(zipf_vocab.noise_distribution())
    first = sampler.sample(np.random.default_rng(7), size=1000)
    again = sampler.sample(np.random.default_rng(7), size=1000)
    other = sampler.sample(np.random.default_rng(8), size=1000)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize(
    "probabilities",
    [
        [],
        [[0.5, 0.5]],
        [0.5, -0.1, 0.6],
        [0.0, 0.0],
        [0.5, float("nan")],
        [0.5, float("inf")],
    ],
)
def test_invalid_probabilities_are_rejected(probabilities):
    with pytest.raises(ValueError, match="probabilities must be a non-empty 1-D array"):
        AliasSampler(probabilities)


def test_the_error_shows_the_bad_values():
    with pytest.raises(ValueError, match=r"got \[ 0.5 -0.1  0.6\]"):
        AliasSampler([0.5, -0.1, 0.6])


def test_repr():
    assert repr(AliasSampler([0.2, 0.3, 0.5])) == "AliasSampler(n_outcomes=3)"
