"""The Huffman tree of hierarchical softmax against word2vec.c and gensim."""
import heapq

import numpy as np
import pytest

from w2vlib.huffman import HuffmanTree


def create_binary_tree(counts):
    """word2vec.c's CreateBinaryTree, ported line by line (arrays instead of pointers).

    Returns per word its code (list of 0/1) and its points (inner-node rows), root first.
    """
    vocab_size = len(counts)
    count = list(counts) + [10**15] * vocab_size
    binary = [0] * (2 * vocab_size + 1)
    parent_node = [0] * (2 * vocab_size + 1)
    pos1, pos2 = vocab_size - 1, vocab_size
    for a in range(vocab_size - 1):
        if pos1 >= 0 and count[pos1] < count[pos2]:
            min1i, pos1 = pos1, pos1 - 1
        else:
            min1i, pos2 = pos2, pos2 + 1
        if pos1 >= 0 and count[pos1] < count[pos2]:
            min2i, pos1 = pos1, pos1 - 1
        else:
            min2i, pos2 = pos2, pos2 + 1
        count[vocab_size + a] = count[min1i] + count[min2i]
        parent_node[min1i] = vocab_size + a
        parent_node[min2i] = vocab_size + a
        binary[min2i] = 1
    codes, points = [], []
    for a in range(vocab_size):
        b, code, point = a, [], []
        while True:
            code.append(binary[b])
            point.append(b)
            b = parent_node[b]
            if b == vocab_size * 2 - 2:
                break
        length = len(code)
        word_code, word_point = [0] * length, [0] * (length + 1)
        word_point[0] = vocab_size - 2
        for b in range(length):
            word_code[length - b - 1] = code[b]
            word_point[length - b] = point[b] - vocab_size
        codes.append(word_code)
        points.append(word_point[:length])  # point[length] is the leaf itself, unused
    return codes, points


def gensim_codes(counts):
    """gensim 4.4's Huffman codes and points for these counts."""
    from gensim.models.keyedvectors import KeyedVectors
    from gensim.models.word2vec import _assign_binary_codes

    wv = KeyedVectors(vector_size=1)
    wv.add_vectors([f"w{index}" for index in range(len(counts))],
                   np.zeros((len(counts), 1), dtype=np.float32))
    for index, count in enumerate(counts):
        wv.set_vecattr(index, "count", int(count))
    _assign_binary_codes(wv)
    return (
        [list(wv.get_vecattr(i, "code")) for i in range(len(counts))],
        [list(wv.get_vecattr(i, "point")) for i in range(len(counts))],
    )


COUNT_VECTORS = [
    [1, 1],
    [5, 3, 2],
    [10, 7, 5, 5, 3, 2, 1],
    [4, 4, 4, 4, 4, 4, 4, 4],  # all tied: a balanced tree
    [100, 1, 1, 1, 1, 1, 1, 1, 1],
    [2**k for k in range(12, 0, -1)],  # a comb: depths 1, 2, ..., 11, 11
]


def random_counts(seed, size):
    rng = np.random.default_rng(seed)
    return np.sort(rng.zipf(1.3, size=size).clip(max=10**6))[::-1]


@pytest.mark.parametrize(
    "counts",
    COUNT_VECTORS + [random_counts(seed, size) for seed, size in [(0, 50), (1, 300), (2, 1000)]],
)
def test_codes_and_points_match_word2vec_c(counts):
    tree = HuffmanTree(np.asarray(counts))
    codes, points = create_binary_tree(list(counts))
    for word in range(len(counts)):
        got_points, got_codes = tree.path(word)
        assert got_codes.tolist() == codes[word], word
        assert got_points.tolist() == points[word], word


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_ties_gensim_builds_the_same_tree(seed):
    rng = np.random.default_rng(seed)
    counts = np.sort(rng.choice(10**6, size=200, replace=False) + 1)[::-1]
    tree = HuffmanTree(counts)
    codes, points = gensim_codes(counts)
    for word in range(counts.size):
        got_points, got_codes = tree.path(word)
        assert got_codes.tolist() == codes[word] and got_points.tolist() == points[word]


def test_with_ties_gensim_may_differ_but_is_as_short():
    counts = random_counts(5, 500)  # Zipf counts: many words of count 1 and 2
    tree = HuffmanTree(counts)
    codes = gensim_codes(counts)[0]
    gensim_lengths = np.array([len(code) for code in codes])
    assert counts @ gensim_lengths == counts @ tree.code_lengths
    assert any(code != tree.path(word)[1].tolist() for word, code in enumerate(codes))


def test_the_tree_is_optimal_and_within_one_bit_of_the_entropy():
    counts = random_counts(3, 400)
    tree = HuffmanTree(counts)
    # Huffman's total cost is the sum of the merged counts (every merge adds one bit to
    # each token below it), computed here with a heap, independently of the two queues.
    heap = [int(c) for c in counts]
    heapq.heapify(heap)
    total = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        total += merged
        heapq.heappush(heap, merged)
    assert counts @ tree.code_lengths == total
    p = counts / counts.sum()
    entropy = -p @ np.log2(p)
    assert entropy <= tree.expected_code_length() < entropy + 1
    # Kraft: a full binary tree's leaves satisfy Σ 2^-L = 1 exactly.
    assert np.sum(2.0 ** -tree.code_lengths) == pytest.approx(1.0, abs=1e-12)


def test_structure_is_consistent():
    tree = HuffmanTree(np.array([10, 7, 5, 5, 3, 2, 1]))
    assert tree.counts[-1] == 33 and tree.parent[-1] == -1
    for row, (left, right) in enumerate(tree.children):
        assert tree.parent[left] == tree.parent[right] == tree.n_words + row
        assert (tree.bit[left], tree.bit[right]) == (0, 1)
        assert tree.counts[tree.n_words + row] == tree.counts[left] + tree.counts[right]
    assert tree.code(0) == "11" and tree.code(6) == "0000"
    assert repr(tree) == (
        "HuffmanTree(n_words=7, inner_nodes=6, depth 2..4, mean depth over tokens 2.58)"
    )
    stats = tree.depth_statistics()
    assert (stats["min"], stats["max"]) == (2, 4)
    assert stats["mean_over_words"] == pytest.approx(tree.code_lengths.mean())


@pytest.mark.parametrize(
    "counts, message",
    [
        ([5], "at least 2"),
        ([[5, 3]], "1-D"),
        ([3, 5], "must not increase"),
        ([5, 0], "integers >= 1"),
        ([5.0, 3.0], "integers >= 1"),
    ],
)
def test_bad_counts_are_refused_with_the_fix(counts, message):
    with pytest.raises(ValueError, match=message):
        HuffmanTree(np.asarray(counts))


@pytest.mark.parametrize("word", [-1, 7, 2.0, True, "a"])
def test_a_bad_word_index_is_refused(word):
    with pytest.raises(ValueError, match="word must be a word index in 0..6"):
        HuffmanTree(np.array([10, 7, 5, 5, 3, 2, 1])).path(word)
