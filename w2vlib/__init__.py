"""w2vlib: a small, readable numpy word2vec that follows the textbook's notation.

Centre-word vectors are the columns of ``V`` (n x |V|), context-word vectors the rows of
``U`` (|V| x n); the scores of all words for a centre word c are ``U @ v_c``.

Modules: ``vocab`` (counts, noise distribution, subsampling), ``pairs`` (windows),
``losses`` and ``gradcheck`` (the maths of chapters 5-6), ``huffman`` and ``hs``
(hierarchical softmax, appendix A), ``training`` and ``model`` (``Word2Vec``),
``keyedvectors`` (queries, word2vec files), ``evaluation``, ``similarity``,
``cooccurrence`` (counts, PPMI, SVD), ``phrases`` (word pairs joined into one token,
chapter 7), ``crosslingual`` (one language's vectors mapped onto another's: Procrustes,
CSLS, precision@k; chapter 9), ``plots``, ``corpora``, ``bible`` and ``toy_corpora``
(data; ``bible`` reads the Reina-Valera 1909 and World English Bible shipped in
``w2vlib/data``, see ``data/bible_PROVENANCE.txt``), ``uncertainty`` (bootstrap and
Wilson intervals for scores), ``word2vec_format`` (the vector files), ``files`` (atomic
and compressed files), ``validation`` (argument checks), ``cli`` (``python -m w2vlib``).

Every name a chapter needs is exported here (``__all__``); the chapters import from
``w2vlib`` itself (tests/test_book_imports.py checks it). ``GRADCHECK_TOLERANCE`` is
``gradcheck.TOLERANCE``, the error below which ``gradcheck`` accepts a gradient.
"""
from .bible import (
    bible_verses,
    misaligned_chapters,
    parallel_verses,
    reina_valera_sentences,
    tokenize_bible,
    world_english_bible_sentences,
)
from .cooccurrence import cooccurrence_matrix, pmi, ppmi, svd_embeddings, truncated_svd
from .corpora import (
    LineSentences,
    read_sentences,
    shakespeare_sentences,
    tokenize,
    write_sentences,
)
from .crosslingual import (
    DictionaryQueries,
    TranslationPrecision,
    csls_scores,
    dice_dictionary,
    dictionary_queries,
    group_by_source,
    k_occurrence,
    least_squares_map,
    normalize_embeddings,
    precision_at_k,
    procrustes,
    read_dictionary,
    translation_precision,
)
from .evaluation import (
    AnalogyResult,
    SectionAccuracy,
    WordPairsResult,
    evaluate_word_analogies,
    evaluate_word_pairs,
    questions_words_path,
    simlex999_path,
    wordsim353_path,
)
from .gradcheck import TOLERANCE as GRADCHECK_TOLERANCE
from .gradcheck import gradcheck, numerical_gradient
from .hs import hierarchical_softmax_loss_and_gradients, hs_step, leaf_probabilities
from .huffman import HuffmanTree
from .keyedvectors import KeyedVectors
from .losses import (
    log_sigmoid,
    sgns_loss_and_gradients,
    sgns_loss_and_gradients_batch,
    sigmoid,
    softmax,
    softmax_loss_and_gradients,
    softmax_loss_and_gradients_batch,
)
from .model import Word2Vec
from .pairs import cbow_contexts, draw_radii, iter_skipgram_batches, skipgram_pairs
from .phrases import join_phrases, phrase_scores
from .plots import plot_2d, plot_loss, plot_vector_strips
from .sampling import AliasSampler
from .similarity import cosine_similarity, cosine_similarity_matrix, unit_rows
from .toy_corpora import people_traits, topic_words, toy_corpus
from .training import sgns_step, softmax_step
from .uncertainty import (
    Interval,
    proportion_interval,
    spearman_difference_interval,
    spearman_interval,
)
from .vocab import Vocabulary

__version__ = "0.1.0"

__all__ = [
    # data (chapters 0-2, 7, 9)
    "bible_verses",
    "misaligned_chapters",
    "parallel_verses",
    "reina_valera_sentences",
    "tokenize_bible",
    "world_english_bible_sentences",
    "read_sentences",
    "LineSentences",
    "shakespeare_sentences",
    "tokenize",
    "write_sentences",
    "people_traits",
    "topic_words",
    "toy_corpus",
    # counting (chapter 2)
    "Vocabulary",
    "cooccurrence_matrix",
    "pmi",
    "ppmi",
    "svd_embeddings",
    "truncated_svd",
    # similarity (chapters 1, 3)
    "cosine_similarity",
    "cosine_similarity_matrix",
    "unit_rows",
    "KeyedVectors",
    # windows, losses and training (chapters 4-7)
    "cbow_contexts",
    "draw_radii",
    "iter_skipgram_batches",
    "skipgram_pairs",
    "join_phrases",
    "phrase_scores",
    "log_sigmoid",
    "sgns_loss_and_gradients",
    "sgns_loss_and_gradients_batch",
    "sigmoid",
    "softmax",
    "softmax_loss_and_gradients",
    "softmax_loss_and_gradients_batch",
    "gradcheck",
    "numerical_gradient",
    "GRADCHECK_TOLERANCE",
    "AliasSampler",
    "sgns_step",
    "softmax_step",
    "Word2Vec",
    # hierarchical softmax (appendix A)
    "HuffmanTree",
    "hierarchical_softmax_loss_and_gradients",
    "hs_step",
    "leaf_probabilities",
    # evaluation (chapters 3, 7, 8)
    "AnalogyResult",
    "SectionAccuracy",
    "WordPairsResult",
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "questions_words_path",
    "simlex999_path",
    "wordsim353_path",
    "Interval",
    "proportion_interval",
    "spearman_difference_interval",
    "spearman_interval",
    # two languages (chapter 9)
    "DictionaryQueries",
    "TranslationPrecision",
    "csls_scores",
    "dice_dictionary",
    "dictionary_queries",
    "group_by_source",
    "k_occurrence",
    "least_squares_map",
    "normalize_embeddings",
    "precision_at_k",
    "procrustes",
    "read_dictionary",
    "translation_precision",
    # figures
    "plot_2d",
    "plot_loss",
    "plot_vector_strips",
]
