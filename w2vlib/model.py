"""``Word2Vec``: the estimator that trains word vectors, skip-gram or CBOW, with negative
sampling (``method="sgns"``) or the full softmax (``method="softmax"``).

Usage follows scikit-learn: ``Word2Vec(vector_size=50, random_state=0).fit(sentences)`` returns
the fitted model; ``model.wv_`` holds the centre vectors (the columns of ``V``) with gensim's
query methods, ``model.U_`` the context vectors. One epoch:

1. subsample frequent words (word2vec.c's rule, see :meth:`Vocabulary.keep_probabilities`);
2. draw a window radius for each centre (``dynamic_window=True``) and build the pairs of a
   block of centres (:mod:`w2vlib.pairs`), never crossing a sentence;
3. draw a pool of negatives for every ``shared_negatives`` consecutive centres from
   ``P_n(w) ∝ count(w)^ns_exponent``, shared by their pairs (each pair skips the draws equal
   to its own positive word), and apply one vectorised SGD step to the block
   (:mod:`w2vlib.training`, which explains the variant);
4. lower the learning rate linearly from ``alpha`` to ``min_alpha`` over the whole run.

Every random draw comes from one ``numpy.random.Generator`` made from ``random_state``, so the
same seed gives bit-identical vectors.
"""
import math
import time

import numpy as np
import scipy.sparse as sp
from tqdm.auto import tqdm

from .keyedvectors import KeyedVectors
from .sampling import AliasSampler
from .pairs import draw_radii, pairs_per_centre, step_boundaries, window_positions
from .training import add_rows, sgns_update, softmax_update
from .hs import hs_update
from .huffman import HuffmanTree
from .vocab import Vocabulary, _check_sentences

_METHODS = ("sgns", "softmax")


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


class Word2Vec:
    """Skip-gram / CBOW word vectors with negative sampling or the full softmax.

    Parameters
    ----------
    vector_size : int
        Embedding dimension ``n``.
    window : int
        Window radius ``m``: words taken on each side of the centre.
    min_count : int
        Words seen fewer times get no vector.
    method : {"sgns", "softmax"}
        Negative sampling, or the full softmax over the vocabulary (O(|V| n) per example:
        only for small vocabularies).
    cbow : bool
        Predict the centre from the mean h = (1/|C|) Σ v_w of its context vectors instead
        of skip-gram. Each context vector then moves by the exact gradient of the mean,
        (1/|C|) ∂J/∂h. word2vec.c (``syn0[c + last_word * layer1_size] += neu1e[c]`` in
        its CBOW branch) and gensim's default ``cbow_mean=1`` add the whole ∂J/∂h to every
        context word, a step |C| times larger than the gradient
        (``tests/test_cbow_gradient.py`` checks both against central differences).
    negative : int
        ``K``, negatives per (centre, outside) pair (``method="sgns"``). A noise word that
        equals the pair's positive word (the outside word in skip-gram, the centre in CBOW) is
        skipped for that pair, as in word2vec.c and gensim, so a pair uses ``K (1 - P_n(o))``
        negatives on average.
    shared_negatives : int
        Every ``shared_negatives`` consecutive centres draw one pool of
        ``shared_negatives * negative`` noise words, used by all their pairs and weighted so
        that each pair still counts ``K`` negatives in expectation (see
        :mod:`w2vlib.training`). 3 gives gensim's quality on Shakespeare (WordSim-353 and
        analogies, within gensim's spread over seeds); 2 and 1 are faster, but their heavier
        negative weights add variance: 5-epoch analogy accuracy falls about 15% below
        gensim's (``benchmarks/benchmark.py`` measures 1 and the default).
    ns_exponent : float
        Exponent of the noise distribution (0.75 in word2vec).
    sample : float
        Subsampling threshold; 0 keeps every word.
    epochs : int
    alpha, min_alpha : float
        Initial and final learning rate (linear decay).
    dynamic_window : bool
        Draw each centre's radius uniformly from 1..window (word2vec.c's default).
    batch_size : int or None
        Pairs per SGD step (approximately: a centre's pairs are never split). None chooses
        ``min(4096, |V| // 2, 20480 // K)``: larger steps on a small vocabulary, or with many
        negatives, add hundreds of updates to the same row at once and diverge.
    dtype : {"float32", "float64"}
        Storage of the vectors during training. float32, as in word2vec.c and gensim, halves
        the memory traffic that bounds the speed of an SGD step; the loss functions the
        chapters check (:mod:`w2vlib.losses`) always work in float64. Pass "float64" to train
        in double precision.
    hs : bool
        Hierarchical softmax (appendix A) instead of negative sampling: the outside word's
        probability is a product of decisions along its path in a Huffman tree
        (:class:`w2vlib.huffman.HuffmanTree`), and ``U_`` then holds the |V| - 1 inner-node
        vectors (gensim's ``syn1``). Needs ``negative=0``: word2vec.c and gensim also accept
        both at once (two output layers whose losses add up); ``w2vlib`` trains one. Every
        pair updates the root, so a step holds at most 256 pairs.
    random_state : int, numpy.random.Generator or None
    progress : bool
        Show a tqdm progress bar.

    Learned attributes: ``vocab_``, ``wv_`` (:class:`KeyedVectors` of the centre vectors),
    ``V_`` (n x |V|), ``U_`` (|V| x n), ``loss_history_`` (mean loss per training example --
    a skip-gram pair, or a CBOW window -- one value per epoch), ``words_per_second_`` (words
    kept after subsampling, per second of training), ``n_pairs_`` (pairs seen in the last
    epoch).
    """

    def __init__(
        self,
        *,
        vector_size=100,
        window=5,
        min_count=5,
        method="sgns",
        cbow=False,
        negative=5,
        shared_negatives=3,
        ns_exponent=0.75,
        sample=1e-3,
        epochs=5,
        alpha=0.025,
        min_alpha=1e-4,
        dynamic_window=True,
        batch_size=None,
        dtype="float32",
        hs=False,
        random_state=None,
        progress=False,
    ):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.method = method
        self.cbow = cbow
        self.negative = negative
        self.shared_negatives = shared_negatives
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.epochs = epochs
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.dynamic_window = dynamic_window
        self.batch_size = batch_size
        self.dtype = dtype
        self.hs = hs
        self.random_state = random_state
        self.progress = progress

    def __repr__(self):
        defaults = Word2Vec()
        changed = [
            f"{name}={value!r}"
            for name, value in vars(self).items()
            if not name.endswith("_") and not name.startswith("_")
            and value is not getattr(defaults, name) and value != getattr(defaults, name)
        ]
        fitted = f", fitted on {len(self.vocab_)} words" if hasattr(self, "vocab_") else ""
        return f"Word2Vec({', '.join(changed)}){fitted}"

    def _validate(self):
        checks = [
            (_is_int(self.vector_size) and self.vector_size >= 1, "vector_size", "an integer >= 1", "vector_size=100"),
            (_is_int(self.window) and self.window >= 1, "window", "an integer >= 1", "window=5"),
            (_is_int(self.min_count) and self.min_count >= 1, "min_count", "an integer >= 1", "min_count=1 to keep every word"),
            (self.method in _METHODS, "method", "'sgns' or 'softmax'", "method='sgns'"),
            (isinstance(self.cbow, (bool, np.bool_)), "cbow", "True or False", "cbow=False for skip-gram"),
            (isinstance(self.hs, (bool, np.bool_)), "hs", "True or False", "hs=False"),
            (_is_int(self.negative) and self.negative >= 0, "negative", "an integer >= 0", "negative=5"),
            (_is_int(self.shared_negatives) and self.shared_negatives >= 1, "shared_negatives",
             "an integer >= 1", "shared_negatives=3"),
            (_is_number(self.ns_exponent) and math.isfinite(self.ns_exponent), "ns_exponent", "a finite number", "ns_exponent=0.75"),
            (_is_number(self.sample) and math.isfinite(self.sample) and self.sample >= 0, "sample", "a number >= 0", "sample=1e-3, or 0 for no subsampling"),
            (_is_int(self.epochs) and self.epochs >= 1, "epochs", "an integer >= 1", "epochs=5"),
            (_is_number(self.alpha) and math.isfinite(self.alpha) and self.alpha > 0, "alpha", "a number > 0", "alpha=0.025"),
            (_is_number(self.min_alpha) and math.isfinite(self.min_alpha) and _is_number(self.alpha) and 0 <= self.min_alpha <= self.alpha,
             "min_alpha", f"a number in [0, alpha={self.alpha!r}]", "min_alpha=1e-4"),
            (self.batch_size is None or (_is_int(self.batch_size) and self.batch_size >= 1),
             "batch_size", "None or an integer >= 1", "batch_size=None (automatic) or 4096"),
        ]
        try:
            float_dtype = np.dtype(self.dtype) in (np.float32, np.float64)
        except TypeError:
            float_dtype = False
        checks.append((float_dtype, "dtype", "'float32' or 'float64'", "dtype='float32'"))
        for ok, name, expected, fix in checks:
            if not ok:
                raise ValueError(
                    f"{name} must be {expected}, got {getattr(self, name)!r}; pass {fix}"
                )
        if self.hs and (self.negative or self.method != "sgns"):
            raise ValueError(
                f"hs=True trains hierarchical softmax alone, got negative={self.negative!r} "
                f"and method={self.method!r}; pass hs=True, negative=0 and the default method"
            )
        if self.method == "sgns" and self.negative == 0 and not self.hs:
            raise ValueError(
                "negative=0 leaves negative sampling with no negatives; pass negative=5 "
                "(5-20 for small corpora, 2-5 for large ones) or method='softmax'"
            )

    def fit(self, sentences):
        """Learn word vectors from ``sentences`` (lists of str); return ``self``."""
        self._validate()
        rng = np.random.default_rng(self.random_state)
        # The corpus is read twice (counts, then indices): a generator would be empty the
        # second time, so it is made a list first.
        sentences = _check_sentences(sentences)
        vocab = Vocabulary(min_count=self.min_count).fit(sentences)
        tokens, sentence_ids = vocab.encode_flat(sentences)
        if not np.any(sentence_ids[1:] == sentence_ids[:-1]):
            raise ValueError(
                "no training pairs: after dropping words rarer than min_count="
                f"{self.min_count}, every sentence has at most one word; pass sentences of "
                "two or more words, or lower min_count"
            )

        n_words, n = len(vocab), self.vector_size
        dtype = np.dtype(self.dtype)
        center = ((rng.random((n_words, n)) - 0.5) / n).astype(dtype)
        context = np.zeros((n_words - bool(self.hs), n), dtype=dtype)
        self.tree_ = HuffmanTree(vocab.counts_) if self.hs else None
        keep_probability = vocab.keep_probabilities(self.sample)
        noise = AliasSampler(vocab.noise_distribution(self.ns_exponent))
        # A step adds the updates of all its pairs at once, computed from the same vectors. When
        # a batch holds many more pairs than there are words, each row receives hundreds of
        # updates in one step and training diverges; so by default a step holds at most
        # |V| / 2 pairs. A frequent noise word is drawn about (pairs x K x P_n(w)) times per
        # step, so the step also shrinks as K grows: at most 20480 / K pairs (4096 at K = 5;
        # the Reina-Valera 1909 diverged at K = 10 and 20 with 3767-pair steps).
        largest_step = 20480 // self.negative if self.method == "sgns" and self.negative else 4096
        if self.hs:  # every pair updates the root: 1024-pair steps diverged (appendix A)
            largest_step = 256
        pairs_per_step = self.batch_size or max(1, min(4096, n_words // 2, largest_step))
        # The loss of one example at the start (all scores 0); far above it means divergence.
        initial_loss = (
            (self.negative + 1) * math.log(2) if self.method == "sgns" else math.log(n_words)
        )
        if self.hs:  # every node of the path contributes log 2 at the start
            initial_loss = self.tree_.expected_code_length() * math.log(2)

        self.loss_history_ = []
        total_work = self.epochs * tokens.size
        words_kept = 0
        seconds = 0.0
        bar = tqdm(total=total_work, unit="word", disable=not self.progress, desc="word2vec")
        for epoch in range(self.epochs):
            start_time = time.perf_counter()
            kept = rng.random(tokens.size) < keep_probability[tokens]
            epoch_tokens, epoch_sentences = tokens[kept], sentence_ids[kept]
            radii = draw_radii(epoch_tokens.size, self.window, self.dynamic_window, rng)
            epoch_loss, epoch_pairs, epoch_examples = 0.0, 0, 0
            edges = step_boundaries(pairs_per_centre(epoch_sentences, radii), pairs_per_step)
            for first, last in zip(edges[:-1], edges[1:]):
                # The bar counts corpus words, kept or not, so every epoch has the same length.
                bar.update(epoch * tokens.size + last * tokens.size // epoch_tokens.size - bar.n)
                progress = (epoch * tokens.size + first / max(epoch_tokens.size, 1) * tokens.size) / total_work
                learning_rate = max(self.min_alpha, self.alpha - (self.alpha - self.min_alpha) * progress)
                centre_pos, outside_pos = window_positions(
                    epoch_sentences, radii, self.window, first, last
                )
                if centre_pos.size == 0:
                    continue
                loss = self._step(
                    epoch_tokens, centre_pos, outside_pos, center, context,
                    noise, learning_rate, rng,
                )
                if not math.isfinite(loss):
                    raise FloatingPointError(
                        f"training diverged in epoch {epoch + 1} (loss={loss}); lower alpha "
                        f"(now {self.alpha!r}) or batch_size (now {self.batch_size!r})"
                    )
                epoch_loss += loss
                epoch_pairs += centre_pos.size
                # A CBOW example is a whole window (one per centre); a skip-gram one a pair.
                epoch_examples += (
                    int(np.count_nonzero(np.diff(centre_pos))) + 1 if self.cbow else centre_pos.size
                )
            seconds += time.perf_counter() - start_time
            # The loss of a step is computed before its update, so the last step of an epoch
            # could overflow the vectors unseen.
            if not (np.isfinite(center).all() and np.isfinite(context).all()):
                raise FloatingPointError(
                    f"training diverged in epoch {epoch + 1} (the vectors overflowed to "
                    f"infinity or NaN); lower alpha (now {self.alpha!r}) or batch_size "
                    f"(now {self.batch_size!r})"
                )
            words_kept += epoch_tokens.size
            self.loss_history_.append(epoch_loss / epoch_examples if epoch_examples else math.nan)
            if self.loss_history_[-1] > 10 * initial_loss:
                raise FloatingPointError(
                    f"training diverged in epoch {epoch + 1}: the mean loss per example is "
                    f"{self.loss_history_[-1]:.4g}, more than 10 times its starting value "
                    f"{initial_loss:.4g}; lower alpha (now {self.alpha!r}) or batch_size (now "
                    f"{self.batch_size!r})"
                )
            bar.set_postfix(loss=f"{self.loss_history_[-1]:.4f}")
        bar.close()

        self.n_pairs_ = epoch_pairs
        self.words_per_second_ = words_kept / seconds if seconds > 0 else float("inf")
        self.vocab_ = vocab
        self.U_ = context
        self.V_ = center.T
        self.wv_ = KeyedVectors(center, list(vocab.index_to_key_))
        return self

    def _step(self, tokens, centre_pos, outside_pos, center, context, noise, learning_rate, rng):
        """One SGD step on the pairs of a block of centres; returns the summed loss."""
        # The pairs come centre by centre: example e owns pairs bounds[e]:bounds[e + 1].
        bounds = np.flatnonzero(np.diff(centre_pos, prepend=-1, append=-1))
        starts = bounds[:-1]
        if self.cbow:
            # One example per centre: the input is the mean of its context vectors.
            sizes = np.diff(bounds)
            context_words = tokens[outside_pos]
            owner = np.repeat(np.arange(starts.size), sizes)
            mean_of_context = sp.csr_matrix(
                (1.0 / sizes[owner], context_words, bounds),
                shape=(starts.size, center.shape[0]),
            )
            inputs = mean_of_context @ center
            targets = tokens[centre_pos[starts]]
            indptr = np.arange(starts.size + 1)
        else:
            input_words = tokens[centre_pos[starts]]
            inputs = np.take(center, input_words, axis=0)
            targets = tokens[outside_pos]
            indptr = bounds

        if self.hs:
            loss, step = hs_update(inputs, targets, indptr, self.tree_, context, learning_rate)
        elif self.method == "sgns":
            # Every shared_negatives consecutive examples use one pool of shared_negatives * K
            # noise words; weighting each by 1 / shared_negatives keeps K negatives per pair in
            # expectation. sgns_update skips, pair by pair, a noise word equal to the positive.
            share = self.shared_negatives
            pools = -(-inputs.shape[0] // share)
            negatives = noise.sample(rng, (pools, share * self.negative))
            loss, step = sgns_update(
                inputs, targets, indptr, negatives, context, learning_rate, 1 / share, share
            )
        else:
            loss, step = softmax_update(inputs, targets, indptr, context, learning_rate)

        if self.cbow:
            # Each context word gets its share of the gradient of the mean.
            add_rows(center, context_words, (step / sizes[:, None])[owner])
        else:
            add_rows(center, input_words, step)
        return loss
