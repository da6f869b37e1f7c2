"""The Huffman tree of hierarchical softmax (appendix A), built as word2vec.c builds it.

Every word of the vocabulary is a *leaf* of a binary tree with |V| - 1 *inner nodes*;
each inner node has a vector (a row of ``U_inner``, gensim's ``syn1``) and the
probability of a word is a product of left/right decisions along its *path* from the
root. The tree is Huffman's: frequent words get short paths, so the expected path length
is within one bit of the entropy of the unigram distribution.

Numbering (word2vec.c's ``CreateBinaryTree``): leaf j is word j; the inner node made at
merge a (a = 0, ..., |V| - 2) is node |V| + a and row a of ``U_inner``; the root is the
last merge, row |V| - 2. For word w, ``points`` lists the rows of its inner nodes from
the root down and ``codes`` the branch taken at each, 0 or 1 (the *code* of w, read from
the root).

Ties. The counts must not increase (a :class:`~w2vlib.vocab.Vocabulary` numbers its
words by decreasing count, ties in alphabetical order). word2vec.c then takes the two
smallest nodes from two queues: the leaves from the least frequent up, and the inner
nodes in the order they were made. On a tie between the two queues it takes the *inner
node* (its test is a strict ``count[leaf] < count[inner]``); among equal leaves it takes
the one of larger index first. The first node taken gets code 0 and the second code 1.
gensim's heap compares only the counts, so a tie goes whichever way the heap's
internal order puts it (sometimes the leaf, sometimes the inner node), and on counts
with ties its codes can differ from these; both trees are Huffman trees, with the same
expected code length.
"""
import numpy as np

__all__ = ["HuffmanTree"]


def _check_counts(counts):
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size < 2:
        raise ValueError(
            f"counts must be a 1-D array of at least 2 word counts, got shape "
            f"{counts.shape}; a tree needs two leaves (pass vocab.counts_)"
        )
    if not np.issubdtype(counts.dtype, np.integer) or np.any(counts < 1):
        raise ValueError(
            f"counts must be integers >= 1, got "
            f"{np.array2string(counts, threshold=6)}; pass the word counts of a "
            f"Vocabulary (vocab.counts_)"
        )
    rises = np.flatnonzero(np.diff(counts) > 0)
    if rises.size:
        i = int(rises[0])
        raise ValueError(
            f"counts must not increase (word2vec.c sorts its vocabulary by count), but "
            f"counts[{i}]={counts[i]} < counts[{i + 1}]={counts[i + 1]}; pass "
            f"np.sort(counts)[::-1] with the words in the same order, or vocab.counts_"
        )
    return counts.astype(np.int64)


class HuffmanTree:
    """Huffman tree over |V| words from their counts (word2vec.c's CreateBinaryTree).

    Parameters
    ----------
    counts : int array (|V|,)
        Word counts, not increasing (as ``Vocabulary.counts_``), |V| >= 2.

    Attributes
    ----------
    counts : int64 array (2|V| - 1,)
        Count of every node: the |V| leaves, then the inner nodes (sum of their
        children).
    parent : int64 array (2|V| - 1,)
        Node number of each node's parent (-1 for the root).
    bit : uint8 array (2|V| - 1,)
        Branch that leads from the parent to the node: 0 (taken first) or 1.
    children : int64 array (|V| - 1, 2)
        ``children[a, b]``: node number of the child of inner row a along branch b.
    code_lengths : int64 array (|V|,)
        Length of each word's path (number of inner nodes on it, root included).
    path_indptr, path_points, path_codes : int64, int64, uint8 arrays
        All paths, concatenated: word w's points and codes are the entries
        ``path_indptr[w]:path_indptr[w + 1]``, from the root down.
    """

    def __init__(self, counts):
        leaf_counts = _check_counts(counts)
        n_words = leaf_counts.size
        self.n_words = n_words
        count = np.concatenate([leaf_counts, np.zeros(n_words - 1, dtype=np.int64)])
        parent = np.full(2 * n_words - 1, -1, dtype=np.int64)
        bit = np.zeros(2 * n_words - 1, dtype=np.uint8)
        leaf, inner = n_words - 1, n_words  # the heads of the two queues
        for merge in range(n_words - 1):
            taken = []
            for _ in range(2):
                # An inner node exists at `inner` only once it has been made.
                inner_made = inner < n_words + merge
                if leaf >= 0 and (not inner_made or count[leaf] < count[inner]):
                    taken.append(leaf)
                    leaf -= 1
                else:
                    taken.append(inner)
                    inner += 1
            node = n_words + merge
            count[node] = count[taken[0]] + count[taken[1]]
            parent[taken] = node
            bit[taken[1]] = 1
        self.counts, self.parent, self.bit = count, parent, bit
        self.children = np.zeros((n_words - 1, 2), dtype=np.int64)
        self.children[parent[:-1] - n_words, bit[:-1]] = np.arange(2 * n_words - 2)
        self._build_paths()

    def _build_paths(self):
        n_words = self.n_words
        # A node's depth is its parent's plus one; parents are made after their
        # children, so one pass from the root (the last node) down fills every depth.
        depth = np.zeros(2 * self.n_words - 1, dtype=np.int64)
        for node in range(2 * n_words - 3, -1, -1):
            depth[node] = depth[self.parent[node]] + 1
        self.code_lengths = depth[:n_words]
        self.path_indptr = np.concatenate([[0], np.cumsum(self.code_lengths)])
        self.path_points = np.empty(self.path_indptr[-1], dtype=np.int64)
        self.path_codes = np.empty(self.path_indptr[-1], dtype=np.uint8)
        # Walk all leaves up at once, filling each path from its end.
        node = np.arange(n_words)
        slot = self.path_indptr[1:] - 1
        active = np.arange(n_words)
        while active.size:
            self.path_codes[slot[active]] = self.bit[node[active]]
            node[active] = self.parent[node[active]]
            self.path_points[slot[active]] = node[active] - n_words
            slot[active] -= 1
            active = active[slot[active] >= self.path_indptr[active]]

    def _check_word(self, word):
        if not isinstance(word, (int, np.integer)) or isinstance(word, bool) or not (
            0 <= word < self.n_words
        ):
            raise ValueError(
                f"word must be a word index in 0..{self.n_words - 1}, got {word!r}; "
                f"convert a word to its index with vocab[word]"
            )
        return int(word)

    def path(self, word):
        """``(points, codes)`` of word index ``word``: its inner-node rows from the root
        down, and the branch (0 or 1) taken at each, both int64 (so that
        ``1 - 2 * codes`` is the sign ±1, not a wrapped-around unsigned byte)."""
        word = self._check_word(word)
        start, end = self.path_indptr[word], self.path_indptr[word + 1]
        return (self.path_points[start:end].copy(),
                self.path_codes[start:end].astype(np.int64))

    def code(self, word):
        """The code of word index ``word`` as a string of 0s and 1s, root first."""
        return "".join(map(str, self.path(word)[1]))

    def expected_code_length(self):
        """Mean path length over the tokens: Σ_w f(w) |d(w)|, f(w) = count / total."""
        leaf_counts = self.counts[: self.n_words]
        return float(leaf_counts @ self.code_lengths / leaf_counts.sum())

    def depth_statistics(self):
        """Shortest, longest and mean path length over the words (each word once), and
        the expected length over the tokens (:meth:`expected_code_length`): a dict."""
        return {
            "min": int(self.code_lengths.min()),
            "max": int(self.code_lengths.max()),
            "mean_over_words": float(self.code_lengths.mean()),
            "mean_over_tokens": self.expected_code_length(),
        }

    def __repr__(self):
        stats = self.depth_statistics()
        return (
            f"HuffmanTree(n_words={self.n_words}, inner_nodes={self.n_words - 1}, "
            f"depth {stats['min']}..{stats['max']}, "
            f"mean depth over tokens {stats['mean_over_tokens']:.2f})"
        )
