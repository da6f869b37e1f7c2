"""How sure a score is: bootstrap intervals for Spearman's rho and Wilson intervals for
accuracies (chapters 7 to 9).

A word-similarity score is measured on a few hundred pairs and an analogy accuracy on a
few dozen or thousand questions; another sample of pairs or questions would give another
number. Before two scores are called different, each needs an interval:

* ``spearman_interval``: percentile bootstrap over the word pairs (resample the pairs
  with replacement, recompute rho): how much the score depends on which pairs the test
  happens to hold (Efron & Tibshirani 1993, the percentile interval).
* ``spearman_difference_interval``: the same bootstrap for the difference between two
  models scored on the *same* pairs; each resample uses one set of pairs for both, so
  what the two models share cancels and the interval is narrower than the two separate
  ones suggest.
* ``proportion_interval``: Wilson's score interval for a proportion (Wilson 1927), which
  stays inside [0, 1] and keeps a sensible width for 0 or all hits, where the normal
  approximation does not.

The spread over training seeds is a different uncertainty (the model's, not the test's);
the chapters report both. Jurafsky & Martin (Speech and Language Processing, 3rd ed.
draft, section 6.12), after Antoniak & Mimno (2018), recommend a third: training on
bootstrap samples of the corpus's documents, for how much the vectors depend on the
text.
"""
from dataclasses import dataclass

import numpy as np

from .validation import check_int

__all__ = [
    "Interval",
    "spearman_interval",
    "spearman_difference_interval",
    "proportion_interval",
]


@dataclass(frozen=True)
class Interval:
    """A point estimate and a two-sided confidence interval ``[low, high]``."""

    estimate: float
    low: float
    high: float
    confidence: float

    def __contains__(self, value):
        return self.low <= value <= self.high

    def __repr__(self):
        return (
            f"Interval(estimate={self.estimate:.3f}, low={self.low:.3f}, "
            f"high={self.high:.3f}, confidence={self.confidence:g})"
        )


def _check_confidence(confidence):
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1 (e.g. 0.95), got "
                         f"{confidence!r}")


def _paired_scores(gold, *predicted):
    arrays = [np.asarray(a, dtype=np.float64) for a in (gold, *predicted)]
    if any(a.ndim != 1 or len(a) != len(arrays[0]) for a in arrays):
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError("gold and predicted scores must be 1-D and of equal length, "
                         f"got {shapes}")
    if len(arrays[0]) < 3:
        raise ValueError("a bootstrap of rho needs at least 3 pairs, got "
                         f"{len(arrays[0])}")
    return arrays


def _rank_rows(x):
    """Average ranks along each row (ties share their mean rank, as Spearman's rho)."""
    import scipy.stats  # imported here: it takes most of a second (see evaluation.py)

    return scipy.stats.rankdata(x, axis=-1)


def _spearman_rows(gold, predicted):
    """Spearman's rho of each row of ``gold`` with the same row of ``predicted``."""
    a = _rank_rows(gold)
    b = _rank_rows(predicted)
    a -= a.mean(axis=-1, keepdims=True)
    b -= b.mean(axis=-1, keepdims=True)
    denominator = np.sqrt((a * a).sum(axis=-1) * (b * b).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        # a resample that draws one pair many times can have constant ranks: rho
        # undefined
        return (a * b).sum(axis=-1) / denominator


def _bootstrap_rhos(gold, predicted_list, n_resamples, rng):
    check_int("n_resamples", n_resamples, 100)
    rng = np.random.default_rng(rng)
    rows = rng.integers(0, len(gold), size=(n_resamples, len(gold)))
    return [_spearman_rows(gold[rows], predicted[rows]) for predicted in predicted_list]


def _percentiles(values, confidence):
    values = values[np.isfinite(values)]
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def spearman_interval(gold, predicted, confidence=0.95, n_resamples=2000, rng=0):
    """Spearman's rho between ``gold`` and ``predicted`` with a percentile-bootstrap
    interval.

    Parameters
    ----------
    gold, predicted : array-like, shape (N,)
        Human scores and the model's scores (cosines) of the same N word pairs; a
        ``WordPairsResult`` carries both as ``gold_scores`` and ``model_scores``.
    confidence : float in (0, 1)
    n_resamples : int >= 100
    rng : int or numpy.random.Generator
        The resampling is random: the same seed gives the same interval.

    Returns
    -------
    Interval
        ``estimate`` is rho on all N pairs; ``low``/``high`` the percentiles of rho over
        the resamples.

    Raises
    ------
    ValueError
        Arrays of different lengths or fewer than 3 pairs, a confidence outside (0, 1).
    """
    _check_confidence(confidence)
    gold, predicted = _paired_scores(gold, predicted)
    estimate = float(_spearman_rows(gold, predicted))
    (rhos,) = _bootstrap_rhos(gold, [predicted], n_resamples, rng)
    return Interval(estimate, *_percentiles(rhos, confidence), confidence)


def spearman_difference_interval(gold, predicted_a, predicted_b, confidence=0.95,
                                 n_resamples=2000, rng=0):
    """rho(gold, a) - rho(gold, b) on the same pairs, with a paired percentile-bootstrap
    interval.

    An interval that excludes 0 says the two models rank these pairs differently beyond
    what the choice of pairs explains; one that contains 0 says this test cannot tell
    them apart. Shapes, ``rng`` and errors as in ``spearman_interval``.
    """
    _check_confidence(confidence)
    gold, a, b = _paired_scores(gold, predicted_a, predicted_b)
    estimate = float(_spearman_rows(gold, a) - _spearman_rows(gold, b))
    rhos_a, rhos_b = _bootstrap_rhos(gold, [a, b], n_resamples, rng)
    return Interval(estimate, *_percentiles(rhos_a - rhos_b, confidence), confidence)


def proportion_interval(hits, total, confidence=0.95):
    """Wilson score interval for a proportion ``hits / total`` (an accuracy, a
    precision@k).

    Raises ``ValueError`` unless ``0 <= hits <= total`` and ``total >= 1`` are integers.
    Formula: Wilson (1927), Journal of the American Statistical Association 22, 209-212.
    """
    _check_confidence(confidence)
    if (
        not all(isinstance(v, (int, np.integer)) for v in (hits, total))
        or not 0 <= hits <= total
        or total < 1
    ):
        raise ValueError("need integers 0 <= hits <= total and total >= 1, got "
                         f"hits={hits!r}, total={total!r}")
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = hits / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = (
        z
        * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
        / (1 + z * z / total)
    )
    return Interval(
        p, float(max(0.0, centre - half)), float(min(1.0, centre + half)), confidence
    )
