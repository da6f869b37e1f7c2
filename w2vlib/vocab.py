"""The vocabulary: word counts, the ``min_count`` cut, index <-> word maps, the noise
distribution ``P_n(w) ∝ count(w)^{3/4}`` and word2vec's subsampling probabilities.

Words are numbered by decreasing count (ties in alphabetical order), so index 0 is the
most frequent word and a reader can read frequencies off the indices.
"""
from collections import Counter
from itertools import chain, repeat

import numpy as np

from .validation import check_choice, check_int, check_sentences

__all__ = ["Vocabulary"]

_TIES = ("alphabetical", "drop")

def _count_words(sentences):
    """Counter of the words of ``sentences``; a list is checked and counted at once,
    any other iterable sentence by sentence, never held whole in memory."""
    if isinstance(sentences, (str, list, tuple)):
        return Counter(chain.from_iterable(check_sentences(sentences)))
    counts = Counter()
    for number, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                f"sentence {number} is a str ({sentence[:40]!r}), not a list of words; "
                "tokenise it first, e.g. sentence.split()"
            )
        counts.update(sentence)
    return counts


class Vocabulary:
    """Word counts and the index of every word kept.

    Parameters
    ----------
    min_count : int
        Words seen fewer times than this are dropped (they get no vector).
    max_size : int or None
        Keep at most this many of the most frequent words.
    ties : {"alphabetical", "drop"}
        What ``max_size`` does when it falls inside a run of words with equal counts.
        ``"alphabetical"`` (the default) keeps exactly ``max_size`` words: the tied
        words that fit are the alphabetically first. ``"drop"`` drops every word tied
        with the first one that does not fit, so fewer words may remain, as gensim's
        ``max_final_vocab`` does (it raises ``min_count`` to that word's count + 1).

    Learned attributes (after :meth:`fit`): ``index_to_key_`` (list of words, most
    frequent first), ``key_to_index_`` (dict), ``counts_`` (int64 array aligned with
    ``index_to_key_``), ``total_words_`` (number of corpus tokens that are in the
    vocabulary).
    """

    def __init__(self, min_count=1, max_size=None, ties="alphabetical"):
        self.min_count = min_count
        self.max_size = max_size
        self.ties = ties

    def fit(self, sentences):
        """Count the words of ``sentences`` (lists of str; any iterable, read once);
        return ``self``."""
        check_int("min_count", self.min_count, fix="pass min_count=1 to keep every "
                                                   "word")
        check_int("max_size", self.max_size, none="")
        check_choice("ties", self.ties, _TIES)
        counts = _count_words(sentences)
        for word in counts:
            if not isinstance(word, str):
                raise TypeError(
                    f"the corpus contains {word!r} of type {type(word).__name__}; "
                    "words must be str"
                )
        if not counts:
            raise ValueError(
                "the corpus is empty: no sentence contains a word; pass a list of "
                "tokenised sentences such as [['the', 'cat', 'sat'], ...]"
            )
        kept = sorted(
            (
                (word, count)
                for word, count in counts.items()
                if count >= self.min_count
            ),
            key=lambda item: (-item[1], item[0]),
        )
        if not kept:
            top_word, top_count = counts.most_common(1)[0]
            raise ValueError(
                f"no word occurs at least min_count={self.min_count} times (the most "
                f"frequent, {top_word!r}, occurs {top_count} times); lower min_count "
                "or use a larger corpus"
            )
        if self.max_size is not None and len(kept) > self.max_size:
            kept = self._cut_to_max_size(kept)
        self.index_to_key_ = [word for word, _ in kept]
        self.key_to_index_ = {
            word: index for index, word in enumerate(self.index_to_key_)
        }
        self.counts_ = np.array([count for _, count in kept], dtype=np.int64)
        self.total_words_ = int(self.counts_.sum())
        return self

    def _cut_to_max_size(self, kept):
        """The first ``max_size`` of ``kept`` (sorted by decreasing count, then word),
        or, with ``ties="drop"``, the words more frequent than the first word left
        out."""
        if self.ties == "alphabetical":
            return kept[: self.max_size]
        first_out = kept[self.max_size][1]
        kept = [(word, count) for word, count in kept if count > first_out]
        if not kept:
            raise ValueError(
                f"with ties='drop' no word is left: the {self.max_size + 1} most "
                f"frequent words all occur {first_out} times; raise max_size or pass "
                "ties='alphabetical'"
            )
        return kept

    def _check_fitted(self):
        if not hasattr(self, "index_to_key_"):
            raise RuntimeError("this Vocabulary is not fitted yet; call fit(sentences) "
                               "first")

    def __len__(self):
        self._check_fitted()
        return len(self.index_to_key_)

    def __contains__(self, word):
        self._check_fitted()
        return word in self.key_to_index_

    def __getitem__(self, word):
        self._check_fitted()
        try:
            return self.key_to_index_[word]
        except KeyError:
            raise KeyError(
                f"word {word!r} is not in the vocabulary ({len(self)} words); check "
                f"its spelling or lower min_count (currently {self.min_count})"
            ) from None

    def __repr__(self):
        if not hasattr(self, "index_to_key_"):
            return (f"Vocabulary(min_count={self.min_count}, max_size={self.max_size}) "
                    "(not fitted)")
        head = ", ".join(self.index_to_key_[:5])
        return (
            f"Vocabulary(n_words={len(self)}, total_words={self.total_words_}, "
            f"min_count={self.min_count}, most_frequent=[{head}])"
        )

    def encode(self, sentences):
        """Map each sentence to an int64 array of word indices, dropping unknown
        words."""
        self._check_fitted()
        lookup = self.key_to_index_
        return [
            np.fromiter(
                (lookup[word] for word in sentence if word in lookup), dtype=np.int64
            )
            for sentence in check_sentences(sentences)
        ]

    def encode_flat(self, sentences):
        """The corpus as two int64 arrays ``(tokens, sentence_ids)``, unknown words
        dropped.

        The same as ``w2vlib.pairs.flatten(self.encode(sentences))`` --
        ``sentence_ids[i]`` is the position in ``sentences`` of the sentence token ``i``
        comes from -- in one pass over all the words instead of one array per sentence.
        """
        self._check_fitted()
        sentences = check_sentences(sentences)
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        words = chain.from_iterable(sentences)
        indices = np.fromiter(
            map(self.key_to_index_.get, words, repeat(-1)),
            dtype=np.int64,
            count=lengths.sum(),
        )
        sentence_ids = np.repeat(np.arange(len(sentences), dtype=np.int64), lengths)
        known = indices >= 0
        return indices[known], sentence_ids[known]

    def noise_distribution(self, exponent=0.75):
        """The negative-sampling distribution ``P_n(w) = count(w)^exponent / Z`` (sums
        to 1)."""
        self._check_fitted()
        if not np.isfinite(exponent):
            raise ValueError(f"exponent must be a finite number, got {exponent!r}; the "
                             "usual value is 0.75")
        weights = self.counts_.astype(np.float64) ** exponent
        return weights / weights.sum()

    def keep_probabilities(self, sample=1e-3):
        """Probability of keeping each occurrence of each word under word2vec's
        subsampling.

        With ``f(w) = count(w) / total`` and threshold ``t = sample``,
        ``keep(w) = min(1, (sqrt(f/t) + 1) * t / f)`` — the formula of word2vec.c, which
        discards frequent words more often and never discards words rarer than about
        ``t``. ``sample=0`` keeps everything.
        """
        self._check_fitted()
        if not np.isfinite(sample) or sample < 0:
            raise ValueError(
                f"sample must be a number >= 0, got {sample!r}; use 1e-3 (word2vec's "
                "default) or 0 to switch subsampling off"
            )
        if sample == 0:
            return np.ones(len(self), dtype=np.float64)
        frequency = self.counts_ / self.total_words_
        keep = (np.sqrt(frequency / sample) + 1.0) * sample / frequency
        return np.minimum(keep, 1.0)
