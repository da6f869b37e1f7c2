"""Training examples from a window of radius ``m``: skip-gram (centre, outside) pairs
and CBOW contexts.

A sentence is an int array of word indices. For the word at position ``t`` the window
holds the positions ``t-m, ..., t-1, t+1, ..., t+m`` that lie inside the same sentence:
windows never cross a sentence boundary. With ``dynamic=True`` each centre draws its own
radius ``b`` uniformly from ``1..m`` (word2vec.c's "reduced window"), so near words are
used more often than far ones.

Pairs come out centre by centre, in corpus order, and for each centre from the leftmost
outside word to the rightmost. The corpus is processed in blocks of centre positions, so
the pairs of a large corpus are never all in memory at once.

The chapters use :func:`skipgram_pairs`, :func:`cbow_contexts` and :func:`draw_radii`;
``Word2Vec`` uses the block functions (:func:`pairs_per_center`,
:func:`step_boundaries`, :func:`window_positions`) on the flat corpus.
"""
import numpy as np

from .validation import check_int

__all__ = ["skipgram_pairs", "iter_skipgram_batches", "cbow_contexts", "draw_radii"]


def _check_window(window):
    check_int("window", window, fix="pass window=1 or more (the number of words taken "
                                    "on "
              "each side of the centre)")


def flatten(sentences):
    """Sentences concatenated into ``(tokens, sentence_ids)``, two int64 arrays."""
    arrays = [np.asarray(sentence, dtype=np.int64).ravel() for sentence in sentences]
    if not arrays:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lengths = np.fromiter((a.size for a in arrays), dtype=np.int64, count=len(arrays))
    tokens = np.concatenate(arrays)
    sentence_ids = np.repeat(np.arange(len(arrays), dtype=np.int64), lengths)
    return tokens, sentence_ids


def draw_radii(n_tokens, window, dynamic, rng):
    """Each center's window radius: ``window``, or uniform on 1..window if dynamic."""
    if not dynamic:
        return np.full(n_tokens, window, dtype=np.int64)
    if rng is None:
        raise ValueError(
            "dynamic=True needs a random generator; pass "
            "rng=np.random.default_rng(seed)"
        )
    return rng.integers(1, window + 1, size=n_tokens)


def pairs_per_center(sentence_ids, radii):
    """Pairs each position makes: its radius, cut at both ends of its sentence."""
    n_tokens = sentence_ids.size
    if n_tokens == 0:
        return np.zeros(0, np.int64)
    positions = np.arange(n_tokens)
    starts = np.flatnonzero(np.r_[True, sentence_ids[1:] != sentence_ids[:-1]])
    lengths = np.diff(np.r_[starts, n_tokens])
    first = np.repeat(starts, lengths)
    last = np.repeat(starts + lengths - 1, lengths)
    return np.minimum(radii, positions - first) + np.minimum(radii, last - positions)


def step_boundaries(pair_counts, pairs_per_step):
    """Split positions into consecutive blocks of about ``pairs_per_step`` pairs each.

    Returns the block edges ``[0, ..., n]``; a centre's pairs are never split.
    """
    cumulative = np.cumsum(pair_counts)
    total = int(cumulative[-1]) if cumulative.size else 0
    ends = np.arange(pairs_per_step, total, pairs_per_step)
    cuts = np.searchsorted(cumulative, ends, side="left") + 1
    return np.unique(np.r_[0, cuts, pair_counts.size])


def window_positions(sentence_ids, radii, window, start, stop):
    """Positions of every (centre, outside) pair whose centre lies in ``[start, stop)``.

    Returns ``(center_positions, outside_positions)``: indices into the flat token
    array, in centre-major order (outside words left to right).
    """
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    centers = np.arange(start, stop, dtype=np.int64)
    outside = centers[:, None] + offsets[None, :]
    n_tokens = sentence_ids.size
    inside = (outside >= 0) & (outside < n_tokens)
    clipped = np.clip(outside, 0, n_tokens - 1)
    valid = (
        inside
        & (sentence_ids[clipped] == sentence_ids[centers][:, None])
        & (np.abs(offsets)[None, :] <= radii[centers][:, None])
    )
    rows, columns = np.nonzero(valid)
    return centers[rows], outside[rows, columns]


def iter_skipgram_batches(
    sentences, window, batch_size=10_000, dynamic=False, rng=None
):
    """Yield ``(centers, outsides)`` int64 arrays of about ``batch_size`` pairs each.

    A batch never splits the pairs of one centre, so it may hold up to ``2 * window -
    1`` pairs more than ``batch_size``.
    """
    _check_window(window)
    check_int("batch_size", batch_size)
    tokens, sentence_ids = flatten(sentences)
    radii = draw_radii(tokens.size, window, dynamic, rng)
    centers_per_block = max(1, batch_size // (2 * window))
    for start in range(0, tokens.size, centers_per_block):
        stop = min(start + centers_per_block, tokens.size)
        center_pos, outside_pos = window_positions(
            sentence_ids, radii, window, start, stop
        )
        if center_pos.size:
            yield tokens[center_pos], tokens[outside_pos]


def skipgram_pairs(sentences, window, dynamic=False, rng=None):
    """All skip-gram pairs of ``sentences`` as two int64 arrays ``(centers, outsides)``.

    For sentences ``[[0, 1, 2]]`` and ``window=1`` the pairs are
    ``(0, 1), (1, 0), (1, 2), (2, 1)``.
    """
    _check_window(window)
    centers, outsides = [], []
    for c, o in iter_skipgram_batches(sentences, window, 100_000, dynamic, rng):
        centers.append(c)
        outsides.append(o)
    if not centers:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(centers), np.concatenate(outsides)


def cbow_contexts(sentences, window, dynamic=False, rng=None):
    """CBOW examples: ``(contexts, centers)``.

    ``contexts`` has shape ``(P, 2 * window)``: the outside words of each centre, left
    to right, padded with ``-1``; centres with no outside word (one-word sentences) are
    left out.
    """
    _check_window(window)
    tokens, sentence_ids = flatten(sentences)
    radii = draw_radii(tokens.size, window, dynamic, rng)
    center_pos, outside_pos = window_positions(
        sentence_ids, radii, window, 0, tokens.size
    )
    if center_pos.size == 0:
        return np.zeros((0, 2 * window), np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, center_pos[1:] != center_pos[:-1]])
    sizes = np.diff(np.r_[starts, center_pos.size])
    slot = np.arange(center_pos.size) - np.repeat(starts, sizes)
    contexts = np.full((starts.size, 2 * window), -1, dtype=np.int64)
    contexts[np.repeat(np.arange(starts.size), sizes), slot] = tokens[outside_pos]
    return contexts, tokens[center_pos[starts]]
