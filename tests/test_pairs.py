"""Tests of w2vlib.pairs: exact skip-gram pairs, sentence boundaries, dynamic windows,
batching, CBOW contexts and the errors."""
import numpy as np
import pytest
from scipy.stats import chisquare

from w2vlib.pairs import (
    cbow_contexts,
    draw_radii,
    flatten,
    iter_skipgram_batches,
    pairs_per_center,
    skipgram_pairs,
    step_boundaries,
    window_positions,
)

# Word ids differ from positions, so a mix-up of the two shows.
CORPUS = [np.array([7, 3, 5, 1]), np.array([2, 8, 4])]


def as_list(pairs):
    centers, outsides = pairs
    return list(zip(centers.tolist(), outsides.tolist()))


def reference_pairs(sentences, radii):
    """Pairs by the definition, with plain loops: centre by centre, outside left to right."""
    pairs, position = [], 0
    for sentence in sentences:
        for t in range(len(sentence)):
            radius = radii[position + t]
            for j in range(max(0, t - radius), min(len(sentence), t + radius + 1)):
                if j != t:
                    pairs.append((int(sentence[t]), int(sentence[j])))
        position += len(sentence)
    return pairs


def test_exact_pairs_window_1():
    assert as_list(skipgram_pairs(CORPUS, window=1)) == [
        (7, 3),
        (3, 7), (3, 5),
        (5, 3), (5, 1),
        (1, 5),
        (2, 8),
        (8, 2), (8, 4),
        (4, 8),
    ]


def test_exact_pairs_window_2():
    assert as_list(skipgram_pairs(CORPUS, window=2)) == [
        (7, 3), (7, 5),
        (3, 7), (3, 5), (3, 1),
        (5, 7), (5, 3), (5, 1),
        (1, 3), (1, 5),
        (2, 8), (2, 4),
        (8, 2), (8, 4),
        (4, 2), (4, 8),
    ]


def test_docstring_example_and_output_types():
    centers, outsides = skipgram_pairs([[0, 1, 2]], window=1)
    assert centers.dtype == np.int64 and outsides.dtype == np.int64
    assert as_list((centers, outsides)) == [(0, 1), (1, 0), (1, 2), (2, 1)]


def test_a_window_wider_than_the_sentences_never_crosses_them():
    pairs = as_list(skipgram_pairs([[0, 1], [2, 3, 4], [5]], window=10))
    assert pairs == [(0, 1), (1, 0), (2, 3), (2, 4), (3, 2), (3, 4), (4, 2), (4, 3)]


def test_pairs_match_the_definition_on_a_random_corpus():
    rng = np.random.default_rng(0)
    sentences = [rng.integers(0, 30, size=rng.integers(0, 12)) for _ in range(60)]
    n_tokens = sum(len(s) for s in sentences)
    for window in (1, 2, 3, 5):
        expected = reference_pairs(sentences, [window] * n_tokens)
        assert as_list(skipgram_pairs(sentences, window)) == expected


def test_one_word_and_empty_sentences_give_no_pairs():
    for sentences in ([[4]], [[4], [5], []], [], [[]]):
        centers, outsides = skipgram_pairs(sentences, window=3)
        assert centers.size == 0 and outsides.size == 0
        assert centers.dtype == np.int64
    # ... and do not disturb their neighbours
    assert as_list(skipgram_pairs([[4], [5, 6], [], [7]], window=2)) == [(5, 6), (6, 5)]


def test_every_pair_stays_in_its_sentence_and_window():
    # word = 1000 * sentence + position, so each pair tells where it came from.
    rng = np.random.default_rng(1)
    lengths = rng.integers(1, 15, size=200)
    sentences = [1000 * i + np.arange(length) for i, length in enumerate(lengths)]
    for window in (1, 4):
        for dynamic in (False, True):
            centers, outsides = skipgram_pairs(
                sentences, window, dynamic=dynamic, rng=np.random.default_rng(2)
            )
            assert np.all(centers // 1000 == outsides // 1000)
            distance = np.abs(centers - outsides)
            assert np.all((distance >= 1) & (distance <= window))
    # with a fixed window, each centre has min(t, m) + min(L - 1 - t, m) outside words
    centers, _ = skipgram_pairs(sentences, 4)
    expected = sum(
        min(t, 4) + min(length - 1 - t, 4) for length in lengths for t in range(length)
    )
    assert centers.size == expected


def test_edge_words_get_their_one_sided_pairs():
    pairs = as_list(skipgram_pairs([[10, 11, 12, 13, 14]], window=2))
    assert pairs[:2] == [(10, 11), (10, 12)]
    assert pairs[-2:] == [(14, 12), (14, 13)]


def windows_of(sentences, window, rng):
    """Outside offsets of every centre, keyed by the centre's global position."""
    centers, outsides = skipgram_pairs(sentences, window, dynamic=True, rng=rng)
    offsets = {}
    for c, o in zip(centers.tolist(), outsides.tolist()):
        offsets.setdefault(c, []).append(o - c)
    return offsets


def test_dynamic_windows_are_symmetric_with_radius_uniform_on_1_to_m():
    window = 5
    # One long sentence and some short ones; words are their global positions.
    lengths = [12_000, 3, 7, 2, 9]
    starts = np.cumsum([0] + lengths[:-1])
    sentences = [start + np.arange(length) for start, length in zip(starts, lengths)]
    offsets = windows_of(sentences, window, np.random.default_rng(5))

    radii = []
    for start, length in zip(starts, lengths):
        for t in range(length):
            seen = offsets.get(start + t, [])
            # Outside words come left to right and form one block on each side of the centre,
            # cut by the radius b (the same on both sides) and by the sentence ends.
            assert seen == sorted(seen)
            left, right = [d for d in seen if d < 0], [d for d in seen if d > 0]
            assert left == list(range(-len(left), 0)) and right == list(range(1, len(right) + 1))
            assert len(left) <= window and len(right) <= window
            if window <= t <= length - 1 - window:  # far from both ends: both sides are b long
                assert len(left) == len(right)
                radii.append(len(left))
            else:
                b = max(len(left), len(right))
                assert len(left) in (b, t) and len(right) in (b, length - 1 - t)

    radii = np.array(radii)
    assert radii.min() == 1 and radii.max() == window
    observed = np.bincount(radii, minlength=window + 1)[1:]
    assert chisquare(observed).pvalue > 1e-3
    # The same test rejects radii that favour long windows (P(b) ∝ b), so it can fail.
    skewed = np.arange(1, window + 1) / np.arange(1, window + 1).sum()
    assert chisquare(observed, skewed * observed.sum()).pvalue < 1e-6


def test_dynamic_windows_depend_only_on_the_seed():
    rng = np.random.default_rng(0)
    sentences = [rng.integers(0, 50, size=20) for _ in range(30)]
    first = skipgram_pairs(sentences, 4, dynamic=True, rng=np.random.default_rng(11))
    again = skipgram_pairs(sentences, 4, dynamic=True, rng=np.random.default_rng(11))
    other = skipgram_pairs(sentences, 4, dynamic=True, rng=np.random.default_rng(12))
    full = skipgram_pairs(sentences, 4)
    assert as_list(first) == as_list(again)
    assert as_list(first) != as_list(other)
    assert first[0].size < full[0].size
    # Every dynamic pair is also a pair of the full window.
    assert set(as_list(first)) <= set(as_list(full))


@pytest.mark.parametrize("dynamic", [False, True])
@pytest.mark.parametrize("window", [1, 3])
def test_batching_never_changes_the_pairs(dynamic, window):
    rng = np.random.default_rng(4)
    sentences = [rng.integers(0, 40, size=rng.integers(1, 10)) for _ in range(50)]
    whole = as_list(skipgram_pairs(sentences, window, dynamic, np.random.default_rng(9)))
    for batch_size in (1, 2, 5, 7, 64, 1000, 10**6):
        batches = list(
            iter_skipgram_batches(sentences, window, batch_size, dynamic, np.random.default_rng(9))
        )
        joined = [pair for batch in batches for pair in as_list(batch)]
        assert joined == whole
        for centers, outsides in batches:
            assert 0 < centers.size <= batch_size + 2 * window - 1
            assert centers.dtype == np.int64 and outsides.dtype == np.int64


def test_a_batch_never_splits_the_pairs_of_a_centre():
    sentences = [np.arange(40)]  # word = position, so a centre's pairs are easy to find
    for batch_size in (1, 3, 5, 9):
        seen = set()
        for centers, _ in iter_skipgram_batches(sentences, 2, batch_size):
            batch_centres = set(centers.tolist())
            assert not batch_centres & seen
            seen |= batch_centres


def test_cbow_contexts_exact_with_padding():
    contexts, centers = cbow_contexts(CORPUS + [np.array([9])], window=2)
    assert centers.tolist() == [7, 3, 5, 1, 2, 8, 4]
    assert contexts.tolist() == [
        [3, 5, -1, -1],
        [7, 5, 1, -1],
        [7, 3, 1, -1],
        [3, 5, -1, -1],
        [8, 4, -1, -1],
        [2, 4, -1, -1],
        [2, 8, -1, -1],
    ]
    assert contexts.dtype == np.int64 and centers.dtype == np.int64


def test_cbow_contexts_hold_the_skipgram_outside_words():
    rng = np.random.default_rng(6)
    sentences = [rng.integers(0, 25, size=rng.integers(1, 12)) for _ in range(40)]
    n_tokens = sum(len(s) for s in sentences)
    contexts, centers = cbow_contexts(sentences, 3)
    assert contexts.shape == (centers.size, 6)
    rebuilt = [(int(c), int(o)) for c, row in zip(centers, contexts) for o in row if o != -1]
    assert rebuilt == reference_pairs(sentences, [3] * n_tokens)
    # padding only after the words
    for row in contexts:
        words = row != -1
        assert words.any() and np.all(words[: words.sum()])


def test_cbow_contexts_without_any_pair():
    contexts, centers = cbow_contexts([[3], [], [4]], window=2)
    assert contexts.shape == (0, 4) and centers.shape == (0,)


def test_cbow_dynamic_windows_are_within_the_radius():
    sentences = [np.arange(500)]
    contexts, centers = cbow_contexts(sentences, 4, dynamic=True, rng=np.random.default_rng(0))
    assert centers.tolist() == list(range(500))
    counts = (contexts != -1).sum(axis=1)
    assert counts.min() >= 1 and counts.max() <= 8 and len(set(counts.tolist())) > 1
    distance = np.where(contexts == -1, 0, np.abs(contexts - centers[:, None]))
    assert distance.max() <= 4


BAD_WINDOWS = [0, -1, 1.5, 2.0, True, "2", None]


@pytest.mark.parametrize("window", BAD_WINDOWS)
def test_bad_window_is_rejected_everywhere(window):
    message = rf"window must be an integer >= 1, got {window!r}; pass window=1 or more"
    with pytest.raises(ValueError, match=message):
        skipgram_pairs(CORPUS, window)
    with pytest.raises(ValueError, match=message):
        next(iter_skipgram_batches(CORPUS, window, 10))
    with pytest.raises(ValueError, match=message):
        cbow_contexts(CORPUS, window)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match=rf"batch_size must be an integer >= 1, got {batch_size}"):
        next(iter_skipgram_batches(CORPUS, 2, batch_size))


def test_dynamic_windows_need_a_generator():
    for call in (
        lambda: skipgram_pairs(CORPUS, 2, dynamic=True),
        lambda: next(iter_skipgram_batches(CORPUS, 2, 10, dynamic=True)),
        lambda: cbow_contexts(CORPUS, 2, dynamic=True),
    ):
        with pytest.raises(ValueError, match=r"dynamic=True needs .*rng=np.random.default_rng"):
            call()


def test_pairs_per_center_counts_the_pairs_window_positions_makes():
    rng = np.random.default_rng(5)
    sentences = [rng.integers(0, 30, rng.integers(1, 12)) for _ in range(200)]
    tokens, sentence_ids = flatten(sentences)
    radii = draw_radii(tokens.size, 4, True, rng)
    centres, _ = window_positions(sentence_ids, radii, 4, 0, tokens.size)
    expected = np.bincount(centres, minlength=tokens.size)
    np.testing.assert_array_equal(pairs_per_center(sentence_ids, radii), expected)


def test_step_boundaries_cover_every_position_in_blocks_of_about_the_requested_pairs():
    counts = np.array([2, 0, 3, 4, 1, 1, 5, 0, 2])
    edges = step_boundaries(counts, 4)
    np.testing.assert_array_equal(edges, [0, 3, 4, 7, 9])
    sums = [counts[a:b].sum() for a, b in zip(edges[:-1], edges[1:])]
    assert sums == [5, 4, 7, 2]  # each block reaches 4 pairs (the last takes what is left)
    np.testing.assert_array_equal(step_boundaries(np.zeros(0, np.int64), 4), [0])
