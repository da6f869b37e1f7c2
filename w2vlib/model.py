"""``Word2Vec``: the estimator that trains word vectors, skip-gram or CBOW, with
negative sampling (``method="sgns"``), the full softmax (``method="softmax"``) or
hierarchical softmax (``hs=True``, appendix A).

Usage follows scikit-learn: ``Word2Vec(vector_size=50, random_state=0).fit(sentences)``
returns the fitted model; ``model.wv_`` holds the centre vectors (the columns of ``V``)
with gensim's query methods, ``model.U_`` the context vectors. One epoch:

1. subsample frequent words (word2vec.c's rule, see
   :meth:`Vocabulary.keep_probabilities`);
2. draw a window radius for each centre (``dynamic_window=True``) and build the pairs of
   a block of centres (:mod:`w2vlib.pairs`), never crossing a sentence;
3. draw a pool of negatives for every ``shared_negatives`` consecutive centres from
   ``P_n(w) ∝ count(w)^ns_exponent``, shared by their pairs (each pair skips the draws
   equal to its own positive word), and apply one vectorised SGD step to the block
   (:mod:`w2vlib.training`, which explains the variant);
4. lower the learning rate linearly from ``alpha`` to ``min_alpha`` over the whole run.

Every random draw comes from one ``numpy.random.Generator`` made from ``random_state``,
so the same seed gives bit-identical vectors.

A list of sentences is held in memory, encoded as one array. A file path or any other
re-iterable (:class:`w2vlib.corpora.LineSentences`) is *streamed*: read once for the
vocabulary and once per epoch, ``chunk_words`` words at a time, so that memory holds
the vocabulary, the vectors and one chunk, whatever the corpus length. Each chunk is
subsampled, windowed and cut into steps on its own, so the same seed gives other
vectors than the list of the same sentences (see :meth:`Word2Vec.fit`).
"""
import math
import os
import time

import numpy as np
import scipy.sparse as sp
from tqdm.auto import tqdm

from .corpora import LineSentences
from .hs import hs_update, hs_update_rows
from .huffman import HuffmanTree
from .keyedvectors import KeyedVectors
from .pairs import draw_radii, pairs_per_center, step_boundaries, window_positions
from .sampling import AliasSampler
from .training import add_rows, sgns_update, softmax_update
from .validation import check_sentences
from .validation import is_int as _is_int
from .validation import is_number as _is_number
from .vocab import Vocabulary

__all__ = ["Word2Vec"]

_METHODS = ("sgns", "softmax")


def _int_at_least(value, minimum):
    return _is_int(value) and value >= minimum


def _finite(value):
    return _is_number(value) and math.isfinite(value)


def _is_float_dtype(dtype):
    try:
        return np.dtype(dtype) in (np.float32, np.float64)
    except TypeError:
        return False


class Word2Vec:
    """Skip-gram / CBOW word vectors with negative sampling, the full softmax or
    hierarchical softmax (``hs=True``).

    Parameters
    ----------
    vector_size : int
        Embedding dimension ``n``.
    window : int
        Window radius ``m``: words taken on each side of the centre.
    min_count : int
        Words seen fewer times get no vector.
    method : {"sgns", "softmax"}
        Negative sampling, or the full softmax over the vocabulary (O(|V| n) per
        example: only for small vocabularies).
    cbow : bool
        Predict the centre from the mean h = (1/|C|) Σ v_w of its context vectors
        instead of skip-gram. Each context vector then moves by the exact gradient of
        the mean, (1/|C|) ∂J/∂h. word2vec.c (``syn0[c + last_word * layer1_size] +=
        neu1e[c]`` in its CBOW branch) and gensim's default ``cbow_mean=1`` add the
        whole ∂J/∂h to every context word, a step |C| times larger than the gradient
        (``tests/test_cbow_gradient.py`` checks both against central differences).
    negative : int
        ``K``, negatives per (centre, outside) pair (``method="sgns"``). A noise word
        that equals the pair's positive word (the outside word in skip-gram, the centre
        in CBOW) is skipped for that pair, as in word2vec.c and gensim, so a pair uses
        ``K (1 - P_n(o))`` negatives on average.
    shared_negatives : int
        Every ``shared_negatives`` consecutive centres draw one pool of
        ``shared_negatives * negative`` noise words, used by all their pairs and
        weighted so that each pair still counts ``K`` negatives in expectation (see
        :mod:`w2vlib.training`). Smaller values are faster but add variance;
        ``benchmarks/README.md`` has the measurements behind the default.
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
        Pairs per SGD step (approximately: a center's pairs are never split). None
        chooses ``min(4096, |V| // 2, 20480 // K)``: larger steps on a small vocabulary,
        or with many negatives, add hundreds of updates to the same row at once and
        diverge (``benchmarks/README.md``).
    dtype : {"float32", "float64"}
        Storage of the vectors during training. float32, as in word2vec.c and gensim,
        halves the memory traffic that bounds the speed of an SGD step; the loss
        functions the chapters check (:mod:`w2vlib.losses`) always work in float64. Pass
        "float64" to train in double precision.
    hs : bool
        Hierarchical softmax (appendix A) instead of negative sampling: the outside
        word's probability is a product of decisions along its path in a Huffman tree
        (:class:`w2vlib.huffman.HuffmanTree`), and ``U_`` then holds the |V| - 1
        inner-node vectors (gensim's ``syn1``). Needs ``negative=0``: word2vec.c and
        gensim also accept both at once (two output layers whose losses add up);
        ``w2vlib`` trains one. In skip-gram, as in word2vec.c, each word of a window
        predicts the centre word, so the pairs of a window walk one path. Every
        pair goes through the root, so the pairs of a step are taken one after another,
        as in word2vec.c (:func:`w2vlib.hs.hs_update`, a loop compiled by numba).
    chunk_words : int
        Words per chunk when the corpus is streamed (a path or a re-iterable that is
        not a list): the bound on the encoded corpus held in memory. Sentences longer
        than this are cut into pieces of ``chunk_words`` words.
    random_state : int, numpy.random.Generator or None
    progress : bool
        Show a tqdm progress bar.

    Learned attributes: ``vocab_``, ``wv_`` (:class:`KeyedVectors` of the centre
    vectors), ``V_`` (n x |V|), ``U_`` (|V| x n), ``loss_history_`` (mean loss per
    training example -- a skip-gram pair, or a CBOW window -- one value per epoch),
    ``words_per_second_`` (words kept after subsampling, per second of training),
    ``n_pairs_`` (pairs seen in the last epoch).
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
        chunk_words=1 << 17,
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
        self.chunk_words = chunk_words
        self.random_state = random_state
        self.progress = progress

    def __repr__(self):
        defaults = Word2Vec()
        changed = [
            f"{name}={value!r}"
            for name, value in vars(self).items()
            if not name.endswith("_")
            and not name.startswith("_")
            and value is not getattr(defaults, name)
            and value != getattr(defaults, name)
        ]
        fitted = (
            f", fitted on {len(self.vocab_)} words" if hasattr(self, "vocab_") else ""
        )
        return f"Word2Vec({', '.join(changed)}){fitted}"

    def _validate(self):
        """ValueError naming the first parameter out of range, what it must be and what
        to pass instead (``fit`` validates, as in scikit-learn)."""
        checks = [
            # (keyword, valid?, what it must be, what to pass instead)
            ("vector_size", _int_at_least(self.vector_size, 1), "an integer >= 1",
             "vector_size=100"),
            ("window", _int_at_least(self.window, 1), "an integer >= 1", "window=5"),
            ("min_count", _int_at_least(self.min_count, 1), "an integer >= 1",
             "min_count=1 to keep every word"),
            ("method", self.method in _METHODS, "'sgns' or 'softmax'", "method='sgns'"),
            ("cbow", isinstance(self.cbow, (bool, np.bool_)), "True or False",
             "cbow=False for skip-gram"),
            ("hs", isinstance(self.hs, (bool, np.bool_)), "True or False", "hs=False"),
            ("negative", _int_at_least(self.negative, 0), "an integer >= 0",
             "negative=5"),
            ("shared_negatives", _int_at_least(self.shared_negatives, 1),
             "an integer >= 1", "shared_negatives=3"),
            ("ns_exponent", _finite(self.ns_exponent), "a finite number",
             "ns_exponent=0.75"),
            ("sample", _finite(self.sample) and self.sample >= 0, "a number >= 0",
             "sample=1e-3, or 0 for no subsampling"),
            ("epochs", _int_at_least(self.epochs, 1), "an integer >= 1", "epochs=5"),
            ("alpha", _finite(self.alpha) and self.alpha > 0, "a number > 0",
             "alpha=0.025"),
            ("min_alpha", _finite(self.min_alpha) and _is_number(self.alpha)
             and 0 <= self.min_alpha <= self.alpha,
             f"a number in [0, alpha={self.alpha!r}]", "min_alpha=1e-4"),
            ("batch_size", self.batch_size is None or _int_at_least(self.batch_size, 1),
             "None or an integer >= 1", "batch_size=None (automatic) or 4096"),
            ("dtype", _is_float_dtype(self.dtype), "'float32' or 'float64'",
             "dtype='float32'"),
            ("chunk_words", _int_at_least(self.chunk_words, 1), "an integer >= 1",
             "chunk_words=131072"),
        ]
        for name, valid, expected, fix in checks:
            if not valid:
                value = getattr(self, name)
                raise ValueError(
                    f"{name} must be {expected}, got {value!r}; pass {fix}")
        if self.hs and (self.negative or self.method != "sgns"):
            raise ValueError(
                f"hs=True trains hierarchical softmax alone, got negative="
                f"{self.negative!r} and method={self.method!r}; pass hs=True, "
                "negative=0 and the default method"
            )
        if self.method == "sgns" and self.negative == 0 and not self.hs:
            raise ValueError(
                "negative=0 leaves negative sampling with no negatives; pass "
                "negative=5 (5-20 for small corpora, 2-5 for large ones) or "
                "method='softmax'"
            )

    def fit(self, sentences):
        """Learn word vectors from ``sentences``; return ``self``.

        ``sentences`` is one of

        * a list (or tuple) of sentences, lists of str: held in memory as one encoded
          array (the book's corpora). A generator is made a list first, since the
          corpus is read twice (counts, then indices).
        * a file path (str or ``os.PathLike``) of a file with one sentence per line,
          whitespace-tokenised, possibly compressed (gensim's ``LineSentence``
          convention; read by :class:`w2vlib.corpora.LineSentences`), or any other
          re-iterable of sentences: *streamed*, read once for the vocabulary and
          once per epoch, ``chunk_words`` words at a time.

        Streaming gives the same vocabulary, initial vectors, learning-rate schedule
        and noise distribution as the list of the same sentences, but other random
        streams, so other vectors for the same seed: subsampling and window radii are
        drawn chunk by chunk (interleaved with the steps' negatives instead of all
        before them), the steps of a chunk stop at its end, and sentences longer than
        ``chunk_words`` are cut. A corpus of at most ``chunk_words`` words is one chunk
        and gives bit-identical vectors to the list (``tests/test_streaming.py``
        checks it, and that more chunks change the vectors but not the loss per epoch
        beyond 3%). A corpus where no sentence has two known words is refused after
        the first epoch's read rather than before training.
        """
        self._validate()
        rng = np.random.default_rng(self.random_state)
        stream = _stream(sentences)
        if stream is None:
            vocab, tokens, sentence_ids = self._vocabulary(check_sentences(sentences))
            corpus_size = tokens.size

            def chunks():
                return [(0, tokens, sentence_ids)]
        else:
            vocab = Vocabulary(min_count=self.min_count).fit(stream)
            corpus_size = vocab.total_words_

            def chunks():
                return _encoded_chunks(stream, vocab, self.chunk_words)
        if self.hs and len(vocab) < 2:  # a Huffman tree needs two leaves
            raise ValueError(
                f"hs=True needs a vocabulary of two or more words, got "
                f"{list(vocab.index_to_key_)} after dropping words rarer than "
                f"min_count={self.min_count}; pass more text or lower min_count"
            )
        center, context = self._initial_vectors(len(vocab), rng)
        self.tree_ = HuffmanTree(vocab.counts_) if self.hs else None
        if self.hs:  # |V| - 1 inner-node vectors instead of one context vector per word
            context = context[1:]
        keep_probability = vocab.keep_probabilities(self.sample)
        noise = AliasSampler(vocab.noise_distribution(self.ns_exponent))
        pairs_per_step = self.batch_size or self._default_pairs_per_step(len(vocab))
        # The loss of one example at the start (all scores 0); far above it means
        # divergence.
        initial_loss = (
            (self.negative + 1) * math.log(2)
            if self.method == "sgns"
            else math.log(len(vocab))
        )
        if self.hs:  # every node of the path contributes log 2 at the start
            initial_loss = self.tree_.expected_code_length() * math.log(2)
        self.loss_history_ = []
        words_kept, seconds = 0, 0.0
        bar = tqdm(
            total=self.epochs * corpus_size,
            unit="word",
            disable=not self.progress,
            desc="word2vec",
        )
        for number in range(self.epochs):
            start_time = time.perf_counter()
            loss, n_pairs, n_examples, has_pairs = 0.0, 0, 0, False
            for offset, tokens, sentence_ids in chunks():
                has_pairs = has_pairs or bool(
                    np.any(sentence_ids[1:] == sentence_ids[:-1]))
                kept = rng.random(tokens.size) < keep_probability[tokens]  # subsampling
                epoch_tokens, epoch_sentences = tokens[kept], sentence_ids[kept]
                radii = draw_radii(
                    epoch_tokens.size, self.window, self.dynamic_window, rng)
                epoch = _Epoch(number, corpus_size, epoch_tokens, epoch_sentences,
                               radii, offset, tokens.size)
                if epoch_tokens.size:
                    chunk_loss, chunk_pairs, chunk_examples = self._train_epoch(
                        epoch, pairs_per_step, center, context, noise, rng, bar)
                    loss += chunk_loss
                    n_pairs += chunk_pairs
                    n_examples += chunk_examples
                words_kept += epoch_tokens.size
            if not has_pairs:
                raise ValueError(_NO_PAIRS.format(min_count=self.min_count))
            seconds += time.perf_counter() - start_time
            self._check_finite(epoch.number, center, context)
            self.loss_history_.append(loss / n_examples if n_examples else math.nan)
            self._check_not_diverging(epoch.number, initial_loss)
            bar.set_postfix(loss=f"{self.loss_history_[-1]:.4f}")
        bar.close()

        self.n_pairs_ = n_pairs
        self.words_per_second_ = words_kept / seconds if seconds > 0 else float("inf")
        self.vocab_ = vocab
        self.U_ = context
        self.V_ = center.T
        self.wv_ = KeyedVectors(center, list(vocab.index_to_key_))
        return self

    def _vocabulary(self, sentences):
        """The fitted ``Vocabulary``; the corpus as word indices and sentence ids."""
        vocab = Vocabulary(min_count=self.min_count).fit(sentences)
        tokens, sentence_ids = vocab.encode_flat(sentences)
        if not np.any(sentence_ids[1:] == sentence_ids[:-1]):
            raise ValueError(_NO_PAIRS.format(min_count=self.min_count))
        return vocab, tokens, sentence_ids

    def _initial_vectors(self, n_words, rng):
        """Center vectors (the rows of V^T) uniform in [-0.5/n, 0.5/n), as word2vec.c;
        context vectors (the rows of U) zero."""
        n, dtype = self.vector_size, np.dtype(self.dtype)
        center = ((rng.random((n_words, n)) - 0.5) / n).astype(dtype)
        return center, np.zeros((n_words, n), dtype=dtype)

    def _default_pairs_per_step(self, n_words):
        # at most |V| / 2 pairs, and 20480 / K with negative sampling: larger steps add
        # too many updates to the same row at once and diverge (benchmarks/README.md)
        largest = (
            20480 // self.negative if self.method == "sgns" and self.negative else 4096
        )
        return max(1, min(4096, n_words // 2, largest))

    def _learning_rate(self, progress):
        """Linear decay from ``alpha`` to ``min_alpha``; ``progress`` in [0, 1]."""
        return max(
            self.min_alpha, self.alpha - (self.alpha - self.min_alpha) * progress
        )

    def _train_epoch(self, epoch, pairs_per_step, center, context, noise, rng, bar):
        """SGD over the windows of one epoch, step by step; (summed loss, pairs,
        examples).

        The rate falls with the corpus words done, not with the pairs, as in word2vec.c.
        """
        total_loss, n_pairs, n_examples = 0.0, 0, 0
        corpus_size, kept_size = epoch.corpus_size, epoch.tokens.size
        # A chunk covers corpus words offset .. offset + words (the whole corpus when
        # it is held in memory).
        offset, words = epoch.offset, epoch.words
        total_work = self.epochs * corpus_size
        edges = step_boundaries(
            pairs_per_center(epoch.sentences, epoch.radii), pairs_per_step
        )
        for first, last in zip(edges[:-1], edges[1:]):
            # The bar counts corpus words, kept or not, so every epoch has the same
            # length.
            bar.update(
                epoch.number * corpus_size + offset + last * words // kept_size - bar.n
            )
            progress = (epoch.number * corpus_size + offset
                        + first / max(kept_size, 1) * words) / total_work
            center_pos, outside_pos = window_positions(
                epoch.sentences, epoch.radii, self.window, first, last)
            if center_pos.size == 0:
                continue
            loss = self._step(
                epoch.tokens,
                center_pos,
                outside_pos,
                center,
                context,
                noise,
                self._learning_rate(progress),
                rng,
            )
            if not math.isfinite(loss):
                raise FloatingPointError(
                    f"training diverged in epoch {epoch.number + 1} (loss={loss}); "
                    f"lower alpha (now {self.alpha!r}) or batch_size (now "
                    f"{self.batch_size!r})"
                )
            total_loss += loss
            n_pairs += center_pos.size
            # A CBOW example is a whole window (one per center); a skip-gram one a pair.
            n_examples += (int(np.count_nonzero(np.diff(center_pos))) + 1 if self.cbow
                           else center_pos.size)
        return total_loss, n_pairs, n_examples

    def _check_finite(self, epoch, center, context):
        # The loss of a step is computed before its update, so the last step of an epoch
        # could overflow the vectors unseen.
        if not (np.isfinite(center).all() and np.isfinite(context).all()):
            raise FloatingPointError(
                f"training diverged in epoch {epoch + 1} (the vectors overflowed to "
                f"infinity or NaN); lower alpha (now {self.alpha!r}) or batch_size "
                f"(now {self.batch_size!r})"
            )

    def _check_not_diverging(self, epoch, initial_loss):
        if self.loss_history_[-1] > 10 * initial_loss:
            raise FloatingPointError(
                f"training diverged in epoch {epoch + 1}: the mean loss per example is "
                f"{self.loss_history_[-1]:.4g}, more than 10 times its starting value "
                f"{initial_loss:.4g}; lower alpha (now {self.alpha!r}) or batch_size "
                f"(now {self.batch_size!r})"
            )

    def _step(self, tokens, center_pos, outside_pos, center, context, noise,
              learning_rate, rng):
        """One SGD step on the pairs of a block of centers; returns the summed loss."""
        # The pairs come center by center: example e owns pairs bounds[e]:bounds[e + 1].
        bounds = np.flatnonzero(np.diff(center_pos, prepend=-1, append=-1))
        starts = bounds[:-1]
        if self.cbow:
            # One example per centre: the input is the mean of its context vectors.
            sizes = np.diff(bounds)
            context_words = tokens[outside_pos]
            owner = np.repeat(np.arange(starts.size), sizes)
            mean_of_context = sp.csr_matrix(
                # in the vectors' dtype: float64 weights would make the means float64
                ((1.0 / sizes[owner]).astype(center.dtype), context_words, bounds),
                shape=(starts.size, center.shape[0]),
            )
            inputs = mean_of_context @ center
            targets = tokens[center_pos[starts]]
            indptr = np.arange(starts.size + 1)
        elif self.hs:
            # word2vec.c's orientation: each context word's vector predicts the centre
            # word, so the pairs of a window walk one path; as in word2vec.c, each
            # context row moves as soon as its pair is done.
            return hs_update_rows(
                center, tokens[outside_pos], tokens[center_pos[starts]], bounds,
                self.tree_, context, learning_rate)
        else:
            input_words = tokens[center_pos[starts]]
            inputs = np.take(center, input_words, axis=0)
            targets = tokens[outside_pos]
            indptr = bounds

        if self.hs:
            loss, step = hs_update(
                inputs, targets, indptr, self.tree_, context, learning_rate)
        elif self.method == "sgns":
            # Every shared_negatives consecutive examples use one pool of
            # shared_negatives * K noise words; weighting each by 1 / shared_negatives
            # keeps K negatives per pair in expectation. sgns_update skips, pair by
            # pair, a noise word equal to the positive.
            share = self.shared_negatives
            pools = -(-inputs.shape[0] // share)
            negatives = noise.sample(rng, (pools, share * self.negative))
            loss, step = sgns_update(
                inputs, targets, indptr, negatives, context, learning_rate,
                negative_weight=1 / share, examples_per_pool=share,
            )
        else:
            loss, step = softmax_update(inputs, targets, indptr, context, learning_rate)

        if self.cbow:
            # Each context word gets its share of the gradient of the mean.
            add_rows(center, context_words, (step / sizes[:, None])[owner])
        else:
            add_rows(center, input_words, step)
        return loss


class _Epoch:
    """What one epoch (or one chunk of it) trains on: the corpus words kept by
    subsampling, their sentence ids and the window radius drawn for each (``number``
    counts from 0); the chunk holds the ``words`` corpus words after the first
    ``offset``."""

    def __init__(self, number, corpus_size, tokens, sentences, radii, offset=0,
                 words=None):
        self.number, self.corpus_size = number, corpus_size
        self.tokens, self.sentences, self.radii = tokens, sentences, radii
        self.offset = offset
        self.words = corpus_size if words is None else words


_NO_PAIRS = (
    "no training pairs: after dropping words rarer than min_count={min_count}, every "
    "sentence has at most one word; pass sentences of two or more words, or lower "
    "min_count"
)


def _stream(sentences):
    """The corpus to stream -- a :class:`LineSentences` for a path, the re-iterable
    itself -- or None for a corpus held in memory (a list, a tuple, a generator)."""
    if isinstance(sentences, os.PathLike) or (
        isinstance(sentences, str) and os.path.isfile(sentences)
    ):
        return LineSentences(sentences)
    if isinstance(sentences, (str, list, tuple)) or iter(sentences) is sentences:
        return None  # check_sentences refuses a str or makes the corpus a list
    return sentences


def _encoded_chunks(sentences, vocab, chunk_words):
    """``(offset, tokens, sentence_ids)`` for consecutive chunks of about
    ``chunk_words`` words of ``sentences``, unknown words dropped (``offset``: the
    corpus words of the chunks before)."""
    buffer, size, offset = [], 0, 0
    for number, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                f"sentence {number} is a str ({sentence[:40]!r}), not a list of words; "
                "tokenise it first, e.g. sentence.split()"
            )
        sentence = list(sentence)
        for start in range(0, len(sentence), chunk_words):
            piece = sentence[start:start + chunk_words]
            buffer.append(piece)
            size += len(piece)
            if size >= chunk_words:
                tokens, sentence_ids = vocab.encode_flat(buffer)
                yield offset, tokens, sentence_ids
                offset += tokens.size
                buffer, size = [], 0
    if buffer:
        tokens, sentence_ids = vocab.encode_flat(buffer)
        yield offset, tokens, sentence_ids
