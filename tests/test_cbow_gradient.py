"""CBOW's update of the context vectors is the exact gradient of the mean (issue 8, item 7).

The CBOW input is h = (1/|C|) Σ_{w∈C} v_w, so ∂J/∂v_w = (1/|C|) ∂J/∂h for each context word w.
word2vec.c (``syn0[c + last_word * layer1_size] += neu1e[c]`` in its CBOW branch) and gensim
with its default ``cbow_mean=1`` add the whole ∂J/∂h to every context word instead, a step
|C| times larger than the gradient. w2vlib keeps the exact gradient; these tests check it by
central differences and show that word2vec.c's rule fails the same check.
"""
import numpy as np

from w2vlib.gradcheck import TOLERANCE, gradcheck
from w2vlib.losses import softmax_loss_and_gradients
from w2vlib.model import Word2Vec
from w2vlib.pairs import cbow_contexts

SENTENCES = [["a", "b", "c", "a", "d"], ["b", "c"], ["d", "a", "b", "e"]]
RATE = 0.5
SETTINGS = dict(
    method="softmax", cbow=True, vector_size=3, window=2, min_count=1, sample=0,
    dynamic_window=False, batch_size=10**6, dtype="float64", random_state=4,
    alpha=RATE, min_alpha=RATE,
)


def second_epoch():
    """(V, U) after one epoch, the step of the second epoch on V, and the CBOW examples.

    With one full-batch step per epoch, a constant rate and no random draws after the
    initialisation, the first epoch of a two-epoch run is the one-epoch run. U starts at 0
    (so the first step leaves V alone); the second step is the one to check.
    """
    one = Word2Vec(epochs=1, **SETTINGS).fit(SENTENCES)
    two = Word2Vec(epochs=2, **SETTINGS).fit(SENTENCES)
    contexts, centres = cbow_contexts(one.vocab_.encode(SENTENCES), 2)
    examples = [(row[row >= 0], int(centre)) for row, centre in zip(contexts, centres)]
    return one.V_.T.copy(), one.U_.copy(), two.V_.T - one.V_.T, examples


def cbow_loss(V, U, examples):
    return sum(softmax_loss_and_gradients(V[context].mean(axis=0), centre, U)[0]
               for context, centre in examples)


def test_cbow_step_is_the_exact_gradient_of_the_mean():
    V, U, step, examples = second_epoch()
    assert np.abs(step).max() > 1e-3  # the step is not trivially zero
    error = gradcheck(lambda V_: cbow_loss(V_, U, examples), V, step / -RATE)
    assert error < TOLERANCE


def test_word2vec_c_rule_of_the_full_error_per_context_word_fails_the_check():
    V, U, step, examples = second_epoch()
    exact, word2vec_c = np.zeros_like(V), np.zeros_like(V)
    for context, centre in examples:
        _, grad_h, _ = softmax_loss_and_gradients(V[context].mean(axis=0), centre, U)
        np.add.at(exact, context, grad_h / len(context))  # d h / d v_w = 1 / |C|
        np.add.at(word2vec_c, context, grad_h)  # neu1e added to each, not divided by |C|
    np.testing.assert_allclose(step / -RATE, exact, rtol=1e-10, atol=1e-14)
    assert {len(context) for context, _ in examples} == {1, 2, 3, 4}
    error = gradcheck(lambda V_: cbow_loss(V_, U, examples), V, word2vec_c)
    # windows of 2 to 4 words make most of its entries 2 to 4 times too large
    assert error > 0.1
