"""Tests of w2vlib.vocab.Vocabulary: counts, the min_count cut, ordering, the index maps,
encoding, the noise distribution, word2vec's subsampling probabilities and the errors."""
import math

import numpy as np
import pytest

from w2vlib.vocab import Vocabulary

# the x5, cat x3, sat x3, on x2, mat x1, a x1 (total 15)
CORPUS = [
    ["the", "cat", "sat", "on", "the", "mat"],
    ["the", "cat", "sat"],
    ["on", "the", "cat", "sat", "the", "a"],
]


@pytest.fixture
def vocab():
    return Vocabulary().fit(CORPUS)


def test_counts_and_order_decreasing_count_ties_alphabetical(vocab):
    assert vocab.index_to_key_ == ["the", "cat", "sat", "on", "a", "mat"]
    assert vocab.counts_.tolist() == [5, 3, 3, 2, 1, 1]
    assert vocab.counts_.dtype == np.int64
    assert vocab.total_words_ == 15
    assert len(vocab) == 6


def test_index_and_word_maps_are_inverse(vocab):
    assert vocab.key_to_index_ == {"the": 0, "cat": 1, "sat": 2, "on": 3, "a": 4, "mat": 5}
    for index, word in enumerate(vocab.index_to_key_):
        assert vocab[word] == index
        assert word in vocab
    assert "dog" not in vocab


def test_unknown_word_raises_key_error_naming_it(vocab):
    with pytest.raises(KeyError, match="'dog'.*min_count"):
        vocab["dog"]


def test_min_count_drops_rare_words_and_their_tokens():
    vocab = Vocabulary(min_count=3).fit(CORPUS)
    assert vocab.index_to_key_ == ["the", "cat", "sat"]
    assert vocab.counts_.tolist() == [5, 3, 3]
    assert vocab.total_words_ == 11
    assert "on" not in vocab and "mat" not in vocab


def test_max_size_keeps_the_most_frequent_words():
    vocab = Vocabulary(max_size=2).fit(CORPUS)
    assert vocab.index_to_key_ == ["the", "cat"]
    assert vocab.total_words_ == 8


def test_fit_accepts_a_generator_and_returns_self():
    vocabulary = Vocabulary()
    assert vocabulary.fit(sentence for sentence in CORPUS) is vocabulary
    assert vocabulary.counts_.tolist() == [5, 3, 3, 2, 1, 1]


def test_fit_does_not_modify_the_sentences():
    corpus = [list(sentence) for sentence in CORPUS]
    Vocabulary(min_count=2).fit(corpus)
    assert corpus == CORPUS


def test_encode_maps_words_to_indices_and_drops_unknown_ones():
    vocab = Vocabulary(min_count=2).fit(CORPUS)
    encoded = vocab.encode([["the", "mat", "dog", "cat"], [], ["a", "mat"], ["on"]])
    assert [e.tolist() for e in encoded] == [[0, 1], [], [], [3]]
    assert all(e.dtype == np.int64 for e in encoded)


def test_noise_distribution_is_count_to_the_three_quarters(vocab):
    weights = np.array([5, 3, 3, 2, 1, 1], dtype=float) ** 0.75
    p = vocab.noise_distribution()
    np.testing.assert_allclose(p, weights / weights.sum(), rtol=1e-14)
    assert p.sum() == pytest.approx(1.0, abs=1e-15)
    # The 3/4 power flattens the distribution: rare words gain, frequent ones lose.
    unigram = vocab.counts_ / vocab.total_words_
    assert p[0] < unigram[0] and p[-1] > unigram[-1]


def test_noise_distribution_exponent_parameter(vocab):
    np.testing.assert_allclose(vocab.noise_distribution(1.0), vocab.counts_ / 15, rtol=1e-14)
    np.testing.assert_allclose(vocab.noise_distribution(0.0), np.full(6, 1 / 6), rtol=1e-14)
    weights = np.array([5, 3, 3, 2, 1, 1], dtype=float) ** 0.5
    np.testing.assert_allclose(vocab.noise_distribution(0.5), weights / weights.sum())
    with pytest.raises(ValueError, match="nan"):
        vocab.noise_distribution(float("nan"))


def test_keep_probabilities_hand_computed(vocab):
    # t = 0.1, total 15. keep = min(1, (sqrt(f/t) + 1) t / f):
    # "the": f = 1/3  -> (sqrt(10/3) + 1) * 0.3 = (1.825741858 + 1) * 0.3 = 0.847722557
    # "cat", "sat": f = 0.2 -> (sqrt(2) + 1) * 0.5 = 1.207106781 -> 1
    # "on", "a", "mat": rarer still -> 1
    keep = vocab.keep_probabilities(sample=0.1)
    assert keep[0] == pytest.approx(0.847722557505, rel=1e-10)
    assert keep[1:].tolist() == [1.0] * 5
    # t = 0.01: "the" 0.01 * 3 * (sqrt(100/3) + 1) = 0.03 * 6.773502692 = 0.203205081
    #           "cat" 0.05 * (sqrt(20) + 1) = 0.05 * 5.472135955 = 0.273606798
    #           "on" (f = 2/15) 0.075 * (sqrt(40/3) + 1) = 0.075 * 4.651483717 = 0.348861279
    #           "a" (f = 1/15) 0.15 * (sqrt(20/3) + 1) = 0.15 * 3.581988897 = 0.537298335
    keep = vocab.keep_probabilities(sample=0.01)
    np.testing.assert_allclose(
        keep,
        [0.203205081, 0.273606798, 0.273606798, 0.348861279, 0.537298335, 0.537298335],
        rtol=1e-8,
    )


def test_keep_probabilities_match_word2vec_c():
    """word2vec.c: ran = (sqrt(cn / (sample * train_words)) + 1) * (sample * train_words) / cn."""
    rng = np.random.default_rng(3)
    counts = rng.integers(1, 3000, size=300)
    corpus = [[f"w{i}"] * int(c) for i, c in enumerate(counts)]
    vocab = Vocabulary().fit(corpus)
    train_words = vocab.total_words_
    for sample in (1e-2, 1e-3, 1e-5):
        expected = [
            min(1.0, (math.sqrt(cn / (sample * train_words)) + 1) * (sample * train_words) / cn)
            for cn in vocab.counts_.tolist()
        ]
        np.testing.assert_allclose(vocab.keep_probabilities(sample), expected, rtol=1e-12)


def test_keep_probability_is_one_for_rare_words_and_falls_with_frequency():
    rng = np.random.default_rng(0)
    counts = rng.integers(1, 5000, size=200)
    vocab = Vocabulary().fit([[f"w{i}"] * int(c) for i, c in enumerate(counts)])
    sample = 1e-3
    keep = vocab.keep_probabilities(sample)
    frequency = vocab.counts_ / vocab.total_words_
    rare = frequency <= sample
    assert rare.any() and (~rare).any()
    assert np.all(keep[rare] == 1.0)
    assert np.all((keep > 0) & (keep <= 1))
    assert np.all(np.diff(keep) >= 0)  # words are sorted by decreasing count
    assert keep[0] < 1.0


def test_sample_zero_keeps_every_word(vocab):
    keep = vocab.keep_probabilities(sample=0)
    assert keep.tolist() == [1.0] * 6
    assert keep.dtype == np.float64


@pytest.mark.parametrize("sample", [-1e-3, float("nan"), float("inf")])
def test_bad_sample_is_rejected(vocab, sample):
    with pytest.raises(ValueError, match=rf"sample must be a number >= 0, got {sample!r}"):
        vocab.keep_probabilities(sample)


@pytest.mark.parametrize("corpus", [[], [[]], [[], []]])
def test_empty_corpus_is_an_error(corpus):
    with pytest.raises(ValueError, match="corpus is empty.*tokenised"):
        Vocabulary().fit(corpus)


def test_no_word_reaching_min_count_names_the_most_frequent_word():
    corpus = [["a", "b", "c"], ["b", "c"], ["c", "d"]]
    with pytest.raises(ValueError, match=r"min_count=4.*'c', occurs 3 times.*lower min_count"):
        Vocabulary(min_count=4).fit(corpus)


def test_a_single_string_instead_of_sentences_is_a_type_error():
    with pytest.raises(TypeError, match=r"single str.*\[text.split\(\)\]"):
        Vocabulary().fit("the cat sat on the mat")


def test_a_sentence_that_is_a_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"sentence 1 is a str \('the dog'\).*split"):
        Vocabulary().fit([["the", "cat"], "the dog"])
    with pytest.raises(TypeError, match="sentence 0 is a str"):
        Vocabulary().fit(CORPUS).encode(["the cat"])


@pytest.mark.parametrize("word", [3, None, b"cat", 1.5])
def test_non_string_words_are_a_type_error(word):
    with pytest.raises(TypeError, match=rf"{type(word).__name__}.*must be str"):
        Vocabulary().fit([["the", word, "cat"]])


@pytest.mark.parametrize("min_count", [0, -2, 1.5, "2", None])
def test_bad_min_count(min_count):
    with pytest.raises(ValueError, match=rf"min_count must be an integer >= 1, got {min_count!r}"):
        Vocabulary(min_count=min_count).fit(CORPUS)


@pytest.mark.parametrize("max_size", [0, 2.5])
def test_bad_max_size(max_size):
    message = rf"max_size must be None or an integer >= 1, got {max_size}"
    with pytest.raises(ValueError, match=message):
        Vocabulary(max_size=max_size).fit(CORPUS)


def test_init_only_stores_arguments():
    vocabulary = Vocabulary(min_count=-7, max_size="big")
    assert vocabulary.min_count == -7 and vocabulary.max_size == "big"


def test_unfitted_vocabulary_says_so():
    vocabulary = Vocabulary(min_count=2)
    assert repr(vocabulary) == "Vocabulary(min_count=2, max_size=None) (not fitted)"
    with pytest.raises(RuntimeError, match=r"not fitted.*fit\(sentences\)"):
        len(vocabulary)
    with pytest.raises(RuntimeError, match="not fitted"):
        vocabulary.encode(CORPUS)


def test_repr_of_fitted_vocabulary(vocab):
    assert repr(vocab) == (
        "Vocabulary(n_words=6, total_words=15, min_count=1, "
        "most_frequent=[the, cat, sat, on, a])"
    )


def test_encode_flat_is_flatten_of_encode():
    from w2vlib.pairs import flatten

    sentences = [["a", "rare", "b"], [], ["zzz"], ["b", "b", "a", "c"], ["a"]]
    vocab = Vocabulary(min_count=2).fit(sentences)
    tokens, sentence_ids = vocab.encode_flat(sentences)
    expected_tokens, expected_ids = flatten(vocab.encode(sentences))
    np.testing.assert_array_equal(tokens, expected_tokens)
    np.testing.assert_array_equal(sentence_ids, expected_ids)
    assert sentence_ids.tolist() == [0, 0, 3, 3, 3, 4] and tokens.dtype == np.int64


# counts: a 4; b, c, d 2 each (a tie across the cut at 2 or 3 words); e 1
TIED = [["a", "a", "a", "a", "b", "b", "c", "c", "d", "d", "e"]]


@pytest.mark.parametrize("max_size", [1, 2, 3, 4, 5])
def test_max_size_with_ties_drop_matches_gensim_max_final_vocab(max_size):
    from gensim.models import Word2Vec as GensimWord2Vec
    gensim_model = GensimWord2Vec(min_count=1, max_final_vocab=max_size)
    gensim_model.build_vocab(TIED)
    ours = Vocabulary(max_size=max_size, ties="drop").fit(TIED)
    assert set(ours.index_to_key_) == set(gensim_model.wv.index_to_key)


def test_max_size_cuts_a_tie_alphabetically_by_default():
    assert Vocabulary(max_size=2).fit(TIED).index_to_key_ == ["a", "b"]
    assert Vocabulary(max_size=2, ties="drop").fit(TIED).index_to_key_ == ["a"]
    with pytest.raises(ValueError, match="no word is left: the 2 most frequent"):
        Vocabulary(max_size=1, ties="drop").fit([["x", "y"]])
    with pytest.raises(ValueError, match="ties must be one of 'alphabetical', 'drop'"):
        Vocabulary(max_size=1, ties="keep").fit(TIED)
