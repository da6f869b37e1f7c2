"""Tests of w2vlib.model.Word2Vec: reproducibility, learning planted structure, the learned
attributes, dtypes, the initial loss, divergence detection, scikit-learn habits and every
hyperparameter error."""
import copy
import math
import re
import warnings

import numpy as np
import pytest

from w2vlib.losses import softmax_loss_and_gradients
from w2vlib.model import Word2Vec
from w2vlib.pairs import cbow_contexts, skipgram_pairs
from w2vlib.toy_corpora import toy_corpus

ARCHITECTURES = [
    pytest.param("sgns", False, id="sgns-skipgram"),
    pytest.param("sgns", True, id="sgns-cbow"),
    pytest.param("softmax", False, id="softmax-skipgram"),
    pytest.param("softmax", True, id="softmax-cbow"),
]

# Small batches: a batch sums the SGD steps of all its pairs, so on a 20-word vocabulary a
# large batch moves every vector by hundreds of steps at once.
FAST = dict(vector_size=10, window=2, min_count=1, sample=0, batch_size=256)


def planted_corpus(seed=0, n_groups=4, group_size=5, n_sentences=300, length=6):
    """Sentences whose words all come from one group: words only co-occur with their group."""
    rng = np.random.default_rng(seed)
    groups = [[f"g{g}w{i}" for i in range(group_size)] for g in range(n_groups)]
    sentences = []
    for _ in range(n_sentences):
        group = groups[rng.integers(n_groups)]
        sentences.append([group[i] for i in rng.integers(group_size, size=length)])
    return groups, sentences


GROUPS, SENTENCES = planted_corpus()
SMALL = SENTENCES[:60]


@pytest.mark.parametrize("method, cbow", ARCHITECTURES)
def test_nearest_neighbours_are_the_planted_groups(method, cbow):
    model = Word2Vec(method=method, cbow=cbow, epochs=10, random_state=1, **FAST)
    model.fit(SENTENCES)
    for group in GROUPS:
        for word in group:
            neighbours = [w for w, _ in model.wv_.most_similar(word, topn=len(group) - 1)]
            assert set(neighbours) == set(group) - {word}, (word, neighbours)


@pytest.mark.parametrize("method, cbow", ARCHITECTURES)
def test_loss_decreases_over_epochs(method, cbow):
    model = Word2Vec(method=method, cbow=cbow, epochs=6, random_state=3, **FAST)
    history = model.fit(SENTENCES).loss_history_
    # The softmax loss is exact; the SGNS loss is estimated with random negatives, so an epoch
    # may come out up to 2% above the previous one when training has nearly converged.
    tolerance = 1.0 if method == "softmax" else 1.02
    assert all(later < earlier * tolerance for earlier, later in zip(history, history[1:])), history
    assert history[-1] < 0.8 * history[0]


@pytest.mark.parametrize("method, cbow", ARCHITECTURES)
def test_same_seed_gives_bit_identical_results(method, cbow):
    settings = dict(FAST, method=method, cbow=cbow, epochs=2, sample=1e-2, dynamic_window=True)
    first = Word2Vec(random_state=7, **settings).fit(SMALL)
    again = Word2Vec(random_state=7, **settings).fit(SMALL)
    other = Word2Vec(random_state=8, **settings).fit(SMALL)
    np.testing.assert_array_equal(first.V_, again.V_)
    np.testing.assert_array_equal(first.U_, again.U_)
    np.testing.assert_array_equal(first.wv_.vectors, again.wv_.vectors)
    assert first.loss_history_ == again.loss_history_
    assert not np.array_equal(first.V_, other.V_)
    assert not np.array_equal(first.U_, other.U_)
    assert first.loss_history_ != other.loss_history_


def test_random_state_may_be_a_generator():
    settings = dict(FAST, epochs=1)
    from_seed = Word2Vec(random_state=5, **settings).fit(SMALL)
    from_generator = Word2Vec(random_state=np.random.default_rng(5), **settings).fit(SMALL)
    np.testing.assert_array_equal(from_seed.V_, from_generator.V_)


@pytest.mark.parametrize("method, cbow", ARCHITECTURES)
def test_learned_attributes(method, cbow):
    model = Word2Vec(method=method, cbow=cbow, epochs=3, random_state=0, **FAST)
    assert model.fit(SMALL) is model
    n_words = len(model.vocab_)
    assert n_words == 20
    assert model.V_.shape == (10, n_words)
    assert model.U_.shape == (n_words, 10)
    assert model.wv_.index_to_key == model.vocab_.index_to_key_
    np.testing.assert_array_equal(model.wv_.vectors, model.V_.T)
    assert len(model.loss_history_) == 3
    assert all(isinstance(loss, float) and math.isfinite(loss) for loss in model.loss_history_)
    assert model.words_per_second_ > 0
    assert model.n_pairs_ > 0


def test_min_count_words_get_no_vector():
    sentences = [sentence + ["rare"] for sentence in SMALL[:1]] + SMALL[1:]
    model = Word2Vec(epochs=1, random_state=0, **dict(FAST, min_count=2)).fit(sentences)
    assert "rare" not in model.wv_
    assert "rare" not in model.vocab_


@pytest.mark.parametrize("dtype", ["float32", "float64", np.float32, np.float64])
def test_dtype_of_the_stored_vectors(dtype):
    model = Word2Vec(dtype=dtype, epochs=1, random_state=0, **FAST).fit(SMALL)
    assert model.V_.dtype == np.dtype(dtype)
    assert model.U_.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(model.wv_.vectors, model.V_.T)


def test_float32_and_float64_learn_the_same_vectors_to_float32_precision():
    settings = dict(FAST, epochs=2, random_state=4)
    single = Word2Vec(dtype="float32", **settings).fit(SMALL)
    double = Word2Vec(dtype="float64", **settings).fit(SMALL)
    np.testing.assert_allclose(single.V_, double.V_, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(single.loss_history_, double.loss_history_, rtol=1e-4)


@pytest.mark.parametrize("method, cbow", ARCHITECTURES)
def test_loss_at_the_start_is_that_of_zero_context_vectors(method, cbow):
    """U starts at zero, so every score is 0: an example costs log|V| with the softmax, and
    log 2 for its positive plus log 2 per negative it uses with negative sampling. A noise
    word equal to the positive o is skipped, so an example uses K (1 - P_n(o)) negatives in
    expectation: (1 + K (1 - mean P_n(o))) log 2, about 4% below (K + 1) log 2 on this
    20-word corpus. A tiny learning rate keeps U near zero for the epoch."""
    K = 4
    model = Word2Vec(
        method=method, cbow=cbow, epochs=1, alpha=1e-12, min_alpha=0, negative=K,
        random_state=0, **dict(FAST, dtype="float64", dynamic_window=False),
    ).fit(SENTENCES)
    if method == "softmax":
        assert model.loss_history_[0] == pytest.approx(math.log(20), rel=1e-9)
        return
    encoded = model.vocab_.encode(SENTENCES)
    positives = cbow_contexts(encoded, FAST["window"])[1] if cbow else (
        skipgram_pairs(encoded, FAST["window"])[1]
    )
    skipped = model.vocab_.noise_distribution()[positives].mean()
    # About 900 pools of 8 draws: the expected loss is known to about 0.2%.
    expected = (1 + K * (1 - skipped)) * math.log(2)
    assert model.loss_history_[0] == pytest.approx(expected, rel=0.01)
    assert abs(model.loss_history_[0] - (K + 1) * math.log(2)) > 0.02 * (K + 1) * math.log(2)


TINY = [["a", "b", "c", "a", "d"], ["b", "c"], ["d", "a", "b", "e"], ["e"]]


def softmax_reference_epoch(V, U, examples, learning_rate):
    """One full-batch SGD step by the chapter's formulas: every example's gradient is taken at
    the same (V, U). An example is (context words, target); its input is the mean of the
    context words' centre vectors (one word for skip-gram)."""
    grad_V, grad_U, loss = np.zeros_like(V), np.zeros_like(U), 0.0
    for inputs, target in examples:
        example_loss, grad_h, example_grad_U = softmax_loss_and_gradients(
            V[inputs].mean(axis=0), target, U
        )
        loss += example_loss
        np.add.at(grad_V, inputs, grad_h / len(inputs))  # d mean / d v_w = 1 / |context|
        grad_U += example_grad_U
    return V - learning_rate * grad_V, U - learning_rate * grad_U, loss / len(examples)


@pytest.mark.parametrize("cbow", [False, True], ids=["skipgram", "cbow"])
def test_two_full_batch_epochs_follow_the_chapter_formulas(cbow):
    """One SGD step per epoch (huge batch, fixed window, no subsampling, constant rate):
    the model's V, U and losses equal two steps computed pair by pair with w2vlib.losses."""
    settings = dict(
        method="softmax", cbow=cbow, vector_size=3, window=2, min_count=1, sample=0,
        dynamic_window=False, batch_size=10**6, dtype="float64", random_state=9,
    )
    # A learning rate of 1e-300 leaves the vectors where they started.
    start = Word2Vec(epochs=1, alpha=1e-300, min_alpha=0, **settings).fit(TINY)
    model = Word2Vec(epochs=2, alpha=0.5, min_alpha=0.5, **settings).fit(TINY)

    encoded = model.vocab_.encode(TINY)
    if cbow:
        contexts, centers = cbow_contexts(encoded, 2)
        examples = [(row[row >= 0], int(c)) for row, c in zip(contexts, centers)]
    else:
        centers, outsides = skipgram_pairs(encoded, 2)
        examples = [(np.array([c]), int(o)) for c, o in zip(centers, outsides)]
    V, U = start.V_.T.copy(), np.zeros_like(start.U_)
    losses = []
    for _ in range(2):
        V, U, loss = softmax_reference_epoch(V, U, examples, 0.5)
        losses.append(loss)
    np.testing.assert_allclose(model.V_.T, V, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(model.U_, U, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(model.loss_history_, losses, rtol=1e-12)
    assert losses[0] == pytest.approx(math.log(5))


def test_fit_does_not_modify_the_sentences_and_accepts_a_generator():
    sentences = copy.deepcopy(SMALL)
    settings = dict(FAST, epochs=1, random_state=2)
    from_list = Word2Vec(**settings).fit(sentences)
    assert sentences == SMALL
    from_generator = Word2Vec(**settings).fit(list(s) for s in SMALL)
    np.testing.assert_array_equal(from_list.V_, from_generator.V_)


def test_init_stores_arguments_unchanged_without_validation():
    arguments = dict(
        vector_size=-1, window=0, min_count="x", method="nope", cbow="maybe", negative=-5,
        ns_exponent=float("nan"), sample=-1, epochs=0, alpha=-0.5, min_alpha=7,
        dynamic_window=None, batch_size=0, dtype="int8", random_state="seed", progress=3,
    )
    model = Word2Vec(**arguments)
    for name, value in arguments.items():
        assert getattr(model, name) is value
    assert not any(name.endswith("_") for name in vars(model))


def test_constructor_takes_keyword_arguments_only():
    with pytest.raises(TypeError):
        Word2Vec(50)


def test_repr():
    assert repr(Word2Vec()) == "Word2Vec()"
    model = Word2Vec(vector_size=10, method="softmax", random_state=0)
    assert repr(model) == "Word2Vec(vector_size=10, method='softmax', random_state=0)"
    model = Word2Vec(epochs=1, random_state=0, **FAST).fit(SMALL)
    assert repr(model) == (
        "Word2Vec(vector_size=10, window=2, min_count=1, sample=0, epochs=1, batch_size=256, "
        "random_state=0), fitted on 20 words"
    )


# -------------------------------------------------------------------------------------
# errors
# -------------------------------------------------------------------------------------

BAD_HYPERPARAMETERS = [
    ("vector_size", 0, "vector_size must be an integer >= 1, got 0; pass vector_size=100"),
    ("vector_size", 2.5, "vector_size must be an integer >= 1, got 2.5"),
    ("window", 0, "window must be an integer >= 1, got 0; pass window=5"),
    ("shared_negatives", 0, "shared_negatives must be an integer >= 1, got 0; pass shared_negatives=2"),
    ("window", -1, "window must be an integer >= 1, got -1"),
    ("min_count", 0, "min_count must be an integer >= 1, got 0; pass min_count=1"),
    ("method", "hs", "method must be 'sgns' or 'softmax', got 'hs'; pass method='sgns'"),
    ("cbow", "yes", "cbow must be True or False, got 'yes'; pass cbow=False"),
    ("negative", -1, "negative must be an integer >= 0, got -1; pass negative=5"),
    ("ns_exponent", float("nan"), "ns_exponent must be a finite number, got nan"),
    ("sample", -1e-3, "sample must be a number >= 0, got -0.001; pass sample=1e-3"),
    ("sample", float("inf"), "sample must be a number >= 0, got inf"),
    ("epochs", 0, "epochs must be an integer >= 1, got 0; pass epochs=5"),
    ("epochs", 2.0, "epochs must be an integer >= 1, got 2.0"),
    ("alpha", 0, "alpha must be a number > 0, got 0; pass alpha=0.025"),
    ("alpha", -0.1, "alpha must be a number > 0, got -0.1"),
    ("alpha", float("nan"), "alpha must be a number > 0, got nan; pass alpha=0.025"),
    ("alpha", float("inf"), "alpha must be a number > 0, got inf"),
    ("alpha", "0.1", "alpha must be a number > 0, got '0.1'; pass alpha=0.025"),
    ("min_alpha", 0.5, r"min_alpha must be a number in \[0, alpha=0.025\], got 0.5"),
    ("min_alpha", -1e-4, r"min_alpha must be a number in \[0, alpha=0.025\], got -0.0001"),
    ("batch_size", 0, r"batch_size must be None or an integer >= 1, got 0; pass batch_size=None \(automatic\) or 4096"),
    ("dtype", "int32", "dtype must be 'float32' or 'float64', got 'int32'; pass dtype='float32'"),
    ("dtype", "float16", "dtype must be 'float32' or 'float64', got 'float16'"),
    ("dtype", "bogus", "dtype must be 'float32' or 'float64', got 'bogus'"),
]


@pytest.mark.parametrize(
    "name, value, message", BAD_HYPERPARAMETERS,
    ids=[f"{name}={value!r}" for name, value, _ in BAD_HYPERPARAMETERS],
)
def test_bad_hyperparameter_is_a_value_error_naming_value_and_fix(name, value, message):
    model = Word2Vec(**{**FAST, name: value})
    with pytest.raises(ValueError, match=message):
        model.fit(SMALL)
    assert not hasattr(model, "wv_")


def test_negative_zero_with_negative_sampling():
    with pytest.raises(ValueError, match=r"negative=0 .* pass negative=5 .*method='softmax'"):
        Word2Vec(negative=0, **FAST).fit(SMALL)
    # ... but the softmax needs no negatives
    Word2Vec(negative=0, method="softmax", epochs=1, random_state=0, **FAST).fit(SMALL)


@pytest.mark.parametrize("sentences", [[], [[]], [[], []]])
def test_empty_corpus(sentences):
    with pytest.raises(ValueError, match=r"corpus is empty.*\[\['the', 'cat', 'sat'\]"):
        Word2Vec(**FAST).fit(sentences)


def test_no_word_reaches_min_count():
    sentences = [["a", "b", "a"], ["c", "a", "b"]]
    with pytest.raises(ValueError, match=r"min_count=4.*'a', occurs 3 times.*lower min_count"):
        Word2Vec(**dict(FAST, min_count=4)).fit(sentences)


def test_sentences_of_one_word_give_no_pairs():
    with pytest.raises(ValueError, match=r"no training pairs.*at most one word.*two or more"):
        Word2Vec(**FAST).fit([["a"], ["b"], ["a"], []])
    # words dropped by min_count can leave one-word sentences too
    with pytest.raises(ValueError, match=r"no training pairs.*min_count=2"):
        Word2Vec(**dict(FAST, min_count=2)).fit([["a", "x"], ["a", "y"], ["b", "z"]])


def test_a_string_instead_of_sentences_is_a_type_error():
    with pytest.raises(TypeError, match="single str"):
        Word2Vec(**FAST).fit("the cat sat on the mat")


def fit_quietly(model, sentences):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow on the way to infinity
        return model.fit(sentences)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_divergence_is_a_floating_point_error(dtype):
    """alpha=1e30 (float32) or 1e100 (float64) overflows the vectors to inf and NaN."""
    alpha = 1e30 if dtype == "float32" else 1e100
    model = Word2Vec(
        alpha=alpha, min_alpha=0, epochs=5, random_state=0, **dict(FAST, dtype=dtype)
    )
    message = rf"training diverged in epoch .*lower alpha \(now {re.escape(repr(alpha))}\)"
    with pytest.raises(FloatingPointError, match=message):
        fit_quietly(model, SMALL)


def test_divergence_in_the_last_step_is_caught():
    """With one step per epoch the loss is only computed before the update, so an overflow in
    that update must be found by checking the vectors."""
    model = Word2Vec(
        alpha=1e100, min_alpha=0, epochs=1, random_state=0,
        **dict(FAST, batch_size=10**6, dtype="float32"),
    )
    with pytest.raises(FloatingPointError, match=r"diverged in epoch 1 .*infinity or NaN"):
        fit_quietly(model, SMALL)


def test_default_batch_size_trains_a_toy_corpus_stably():
    """The automatic batch size keeps a 70-word vocabulary from diverging."""
    sentences = toy_corpus("en")
    model = fit_quietly(Word2Vec(min_count=1, epochs=30, sample=0, random_state=0), sentences)
    assert model.loss_history_[-1] < model.loss_history_[0] < 6 * np.log(2)
    assert np.abs(model.V_).max() < 5


def test_divergence_by_loss_growth_is_caught():
    """A batch far larger than the vocabulary sums hundreds of updates into each row; the
    vectors stay finite but the loss explodes, which must not pass silently."""
    model = Word2Vec(min_count=1, epochs=50, sample=0, random_state=0, batch_size=4096)
    with pytest.raises(FloatingPointError, match=r"more than 10 times its starting value .* batch_size"):
        fit_quietly(model, toy_corpus("en"))


# The reference corpus is "a b" 2,000 times (window 1, negative 5, sample 0, 5 epochs):
# there gensim 4.4 ends at u_b·v_a = 6.00 for every seed, the cut-off of its sigmoid table
# (MAX_EXP = 6: it stops updating a score beyond 6), and w2vlib, whose sigmoid has no cut-off,
# at 8.76; before noise words equal to the positive were skipped, w2vlib ended at -0.9
# (`python benchmarks/two_word_corpus.py` prints both). 100 repetitions keep every score below
# the cut-off, so gensim's value is the same maths, and the test fast.
AB_SETTINGS = dict(vector_size=100, window=1, negative=5, sample=0, epochs=5, min_count=5)


@pytest.mark.parametrize(
    "cbow, shared_negatives", [(False, 1), (False, 2), (True, 2)],
    ids=["skipgram", "skipgram-shared-pools", "cbow"],
)
def test_noise_words_equal_to_the_positive_are_skipped_as_gensim_does(cbow, shared_negatives):
    """On a two-word corpus half the noise draws are the positive itself: used as negatives
    they cancel the positive term and u_b·v_a ends below 0; skipped, as in word2vec.c and
    gensim, the two words' vectors align as strongly as gensim's do."""
    from gensim.models import Word2Vec as GensimWord2Vec

    sentences = [["a", "b"]] * 100
    for seed in (1, 2):
        reference = GensimWord2Vec(sentences, sg=int(not cbow), workers=1, seed=seed, **AB_SETTINGS)
        expected = reference.syn1neg[reference.wv.key_to_index["b"]] @ reference.wv["a"]
        model = Word2Vec(
            cbow=cbow, shared_negatives=shared_negatives, random_state=seed, **AB_SETTINGS
        ).fit(sentences)
        score = model.U_[model.vocab_["b"]] @ model.wv_["a"]
        assert expected == pytest.approx(4.8, abs=0.1)  # gensim's own value, for the record
        # gensim keeps one learning rate per epoch (its job is the whole corpus), w2vlib lowers
        # it step by step: w2vlib's scores grow a little slower.
        assert score == pytest.approx(expected, abs=0.6), (seed, score, expected)
