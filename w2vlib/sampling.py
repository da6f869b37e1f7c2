"""Drawing negatives: Walker's alias method for a fixed discrete distribution such as
the noise distribution ``P_n(w) ∝ count(w)^{3/4}``.

After an O(|V|) set-up, each draw costs one uniform number and two table look-ups,
whatever the size of the vocabulary, and the draws follow the distribution exactly
(word2vec.c uses a 100-million-entry table instead, which rounds small probabilities).
"""
import numpy as np

__all__ = ["AliasSampler"]


class AliasSampler:
    """Sample indices ``0..len(p)-1`` with probabilities ``p``.

    >>> sampler = AliasSampler([0.5, 0.25, 0.25])
    >>> sampler.sample(np.random.default_rng(0), size=(2, 3)).shape
    (2, 3)
    """

    def __init__(self, probabilities):
        p = np.asarray(probabilities, dtype=np.float64)
        if (
            p.ndim != 1
            or p.size == 0
            or not np.all(np.isfinite(p))
            or np.any(p < 0)
            or p.sum() <= 0
        ):
            raise ValueError(
                "probabilities must be a non-empty 1-D array of finite numbers >= 0 "
                f"with a positive sum, got {np.array2string(p, threshold=6)}"
            )
        n = p.size
        scaled = p / p.sum() * n
        self.accept = np.ones(n)
        self.alias = np.arange(n)
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        # Pair each under-full column with an over-full one that tops it up.
        while small and large:
            short, tall = small.pop(), large.pop()
            self.accept[short] = scaled[short]
            self.alias[short] = tall
            scaled[tall] -= 1.0 - scaled[short]
            (small if scaled[tall] < 1.0 else large).append(tall)
        self.probabilities = p / p.sum()

    def __repr__(self):
        return f"AliasSampler(n_outcomes={self.probabilities.size})"

    def sample(self, rng, size):
        """Draw an int64 array of shape ``size`` using the Generator ``rng``."""
        # One uniform number u serves twice: the column is the integer part of u * n,
        # and the fractional part, uniform on [0, 1) and independent of it, decides
        # between the column and its alias. (The minimum guards the rounding of u * n up
        # to n.)
        scaled = rng.random(size) * self.accept.size
        column = np.minimum(scaled.astype(np.int64), self.accept.size - 1)
        keep = scaled - column < self.accept[column]
        return np.where(keep, column, self.alias[column])
