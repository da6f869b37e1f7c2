"""Phrases: word pairs that behave as one word, found by a discounted score.

*New York* means something neither *new* nor *york* does, so word2vec learns it better
as one token, ``new_york``. Mikolov et al. (2013b, section 4) find such pairs with the
score

    score(a, b) = (count(a b) - delta) / (count(a) count(b))

where ``count(a b)`` counts ``a`` immediately followed by ``b`` and the *discount*
``delta`` keeps pairs of rare words, whose ratio is large by chance, from becoming
phrases. Their tool, word2phrase.c, multiplies the score by the number of tokens ``T``
so that it no longer depends on the corpus size (``score * T`` is the ratio of the
observed count to the count expected if the words were independent, after the discount)
and joins the pairs whose score is above a threshold; two or three passes build longer
phrases. This module does the same, with one addition taken from gensim 4's ``Phrases``:
*connector words* (``de``, ``of``, ``the``) never start or end a phrase but may sit
inside one, so that *tierra de Egipto* is scored as the phrase ``tierra de egipto``,
with ``count(tierra)`` and ``count(egipto)`` in the denominator.

``phrase_scores`` counts and scores every candidate; ``join_phrases`` rewrites the
sentences.
"""
from collections import Counter

__all__ = ["phrase_scores", "join_phrases"]


def _check_sentences(sentences):
    if isinstance(sentences, str) or not hasattr(sentences, "__iter__"):
        raise TypeError(
            f"sentences must be a list of sentences, each a list of words, got "
            f"{type(sentences).__name__}; split the text first")
    sentences = list(sentences)
    for sentence in sentences:
        if isinstance(sentence, str):
            raise TypeError(
                f"each sentence must be a list of words, got the string "
                f"{sentence[:40]!r}; split it, e.g. sentence.split()")
    return sentences


def _candidates(sentence, connectors):
    """Start index and words of each candidate phrase in ``sentence``."""
    for i, first in enumerate(sentence[:-1]):
        if first in connectors:
            continue
        second = sentence[i + 1]
        if second not in connectors:
            yield i, (first, second)
        elif i + 2 < len(sentence) and sentence[i + 2] not in connectors:
            yield i, (first, second, sentence[i + 2])


def phrase_scores(sentences, delta=5.0, connectors=()):
    """Score every candidate phrase of ``sentences`` by Mikolov et al.'s ratio.

    Parameters
    ----------
    sentences : iterable of lists of str
    delta : float >= 0
        The discount subtracted from each phrase's count; a phrase seen ``delta`` times
        or fewer gets no score (word2phrase.c uses its ``min_count``, 5 by default).
    connectors : collection of str
        Words that may sit inside a phrase (one at most, as in ``a c b``) but never
        start or end one. Empty: only pairs of adjacent words, as in the paper.

    Returns
    -------
    dict
        ``{phrase: score}`` for the phrases seen more than ``delta`` times, a phrase
        being a tuple of 2 (or, with a connector, 3) words and its score
        ``(count(phrase) - delta) * T / (count(first) * count(last))``, with ``T`` the
        number of tokens.

    Raises
    ------
    TypeError, ValueError
        ``sentences`` is not a list of lists of words; ``delta`` is negative.
    """
    sentences = _check_sentences(sentences)
    if not delta >= 0:
        raise ValueError(f"delta must be >= 0 (word2phrase.c uses 5), got {delta!r}")
    connectors = frozenset(connectors)
    words = Counter(word for sentence in sentences for word in sentence)
    total = sum(words.values())
    phrases = Counter(phrase for sentence in sentences
                      for _, phrase in _candidates(sentence, connectors))
    return {phrase: (count - delta) * total / (words[phrase[0]] * words[phrase[-1]])
            for phrase, count in phrases.items() if count > delta}


def join_phrases(sentences, scores, threshold, delimiter="_"):
    """Rewrite ``sentences`` with every phrase scored above ``threshold`` as one token.

    Left to right, as word2phrase.c does: at each position the candidate phrase starting
    there (the higher-scoring one, if both a pair and a phrase with a connector start
    there) is joined with ``delimiter`` when its score exceeds ``threshold``, and the
    scan resumes after it, so phrases never overlap. Running ``phrase_scores`` and
    ``join_phrases`` again on the result joins phrases of phrases (``new_york`` +
    ``times``).

    Returns a new list of lists; ``sentences`` is not modified.
    Raises ``ValueError`` for a ``threshold`` that is not a number.
    """
    sentences = _check_sentences(sentences)
    if not isinstance(threshold, (int, float)) or threshold != threshold:
        raise ValueError(f"threshold must be a number (word2phrase.c uses 100), got "
                         f"{threshold!r}")
    connectors = frozenset(word for phrase in scores if len(phrase) == 3
                           for word in phrase[1:2])
    joined = []
    for sentence in sentences:
        best = {}
        for i, phrase in _candidates(sentence, connectors):
            score = scores.get(phrase, float("-inf"))
            if score > threshold and score > best.get(i, (float("-inf"),))[0]:
                best[i] = (score, phrase)
        out, i = [], 0
        while i < len(sentence):
            if i in best:
                phrase = best[i][1]
                out.append(delimiter.join(phrase))
                i += len(phrase)
            else:
                out.append(sentence[i])
                i += 1
        joined.append(out)
    return joined
