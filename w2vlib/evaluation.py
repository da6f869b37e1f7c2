"""Intrinsic evaluation of word vectors: word similarity and word analogies (chapter 7).

* ``evaluate_word_pairs``: Spearman and Pearson correlation between human similarity
  scores (e.g. WordSim-353) and the cosine similarities of the vectors.
* ``evaluate_word_analogies``: accuracy on "a is to b as c is to d" questions (e.g. the
  19 544 questions of Mikolov et al.'s questions-words.txt), answered with 3CosAdd: the
  word closest in cosine to b - a + c, excluding a, b and c.

Both follow gensim's ``KeyedVectors.evaluate_word_pairs`` / ``evaluate_word_analogies``
defaults (case-insensitive lookup through upper-casing, where the first, most frequent,
case variant of a word wins; only the first ``restrict_vocab`` words are used; questions
with an unknown word are skipped and counted as out of vocabulary), so the numbers agree
with gensim's. The analogies are answered a section at a time with matrix products
instead of one question at a time, so the full set takes seconds. ``wordsim353_path()``
and ``questions_words_path()`` locate the copies of both sets that gensim ships, and
``simlex999_path()`` its copy of SimLex-999.

They accept any object with ``index_to_key`` and ``vectors`` (w2vlib's or gensim's
KeyedVectors).
"""
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .files import bom_length
from .similarity import unit_rows
from .validation import check_int

__all__ = [
    "WordPairsResult",
    "SectionAccuracy",
    "AnalogyResult",
    "evaluate_word_pairs",
    "evaluate_word_analogies",
    "wordsim353_path",
    "questions_words_path",
    "simlex999_path",
]

# scores of at most this many floats are computed at once (32 MB), whatever the
# vocabulary
_MAX_SCORES_PER_CHUNK = 2**22


@dataclass(frozen=True)
class WordPairsResult:
    """Agreement between human similarity judgements and cosine similarities."""

    spearman: float
    spearman_pvalue: float
    pearson: float
    pearson_pvalue: float
    pairs_used: int
    oov_pairs: int
    oov_fraction: float  # oov_pairs / (pairs_used + oov_pairs), between 0 and 1
    skipped_lines: int  # lines that are not "word1<delimiter>word2<delimiter>score"
    # the used pairs' human scores and cosines, in file order, for intervals
    # (w2vlib.uncertainty.spearman_interval(r.gold_scores, r.model_scores))
    gold_scores: np.ndarray = field(default=None, repr=False, compare=False)
    model_scores: np.ndarray = field(default=None, repr=False, compare=False)

    def __repr__(self):
        return (
            f"WordPairsResult(spearman={self.spearman:.4f}, "
            f"pearson={self.pearson:.4f}, pairs_used={self.pairs_used}, "
            f"oov_pairs={self.oov_pairs} ({100 * self.oov_fraction:.1f}%))"
        )


@dataclass(frozen=True)
class SectionAccuracy:
    """Analogy results of one section (e.g. ``capital-world``) of the question file."""

    name: str
    correct: int
    total: int  # questions answered (all four words known)

    @property
    def accuracy(self):
        """correct / total, or 0.0 (as gensim) when no question could be asked."""
        return self.correct / self.total if self.total else 0.0

    def __repr__(self):
        return (f"SectionAccuracy({self.name!r}, accuracy={self.accuracy:.4f} "
                f"({self.correct}/{self.total}))")


@dataclass(frozen=True)
class AnalogyResult:
    """Overall and per-section accuracy on an analogy question file."""

    accuracy: (
        float  # correct / total over all sections, 0.0 if no question was answered
    )
    correct: int
    total: int
    oov_questions: int
    oov_fraction: float  # oov_questions / all questions of the file, between 0 and 1
    sections: tuple  # of SectionAccuracy, in file order

    @property
    def section_accuracy(self):
        """dict section name -> accuracy."""
        return {section.name: section.accuracy for section in self.sections}

    def __repr__(self):
        width = max((len(section.name) for section in self.sections), default=0)
        lines = [
            f"AnalogyResult(accuracy={self.accuracy:.4f} "
            f"({self.correct}/{self.total}), oov_questions={self.oov_questions} "
            f"({100 * self.oov_fraction:.1f}%), sections:"
        ]
        lines += [
            f"  {section.name:<{width}}  {section.accuracy:.4f}  "
            f"({section.correct}/{section.total})"
            for section in self.sections
        ]
        return "\n".join(lines) + ")"


# --- the evaluation files shipped with gensim -----------------------------------------

def _gensim_test_file(name):
    try:
        from gensim.test.utils import datapath
    except ImportError:
        raise ImportError(
            f"finding {name} needs gensim, which ships it with its tests; install it "
            "with `pip install gensim`, or pass the path of your own copy of the file"
        ) from None
    path = Path(datapath(name))
    if not path.is_file():
        raise FileNotFoundError(
            f"gensim is installed but {path} is missing; reinstall gensim or pass the "
            f"path of your own copy of {name}"
        )
    return path


def wordsim353_path():
    """Path of WordSim-353 in gensim (353 word pairs, mean human scores 0-10)."""
    return _gensim_test_file("wordsim353.tsv")


def simlex999_path():
    """Path of SimLex-999 (999 word pairs rated 0-10 for similarity, not relatedness)
    inside gensim (Hill, Reichart and Korhonen, 2015)."""
    return _gensim_test_file("simlex999.txt")


def questions_words_path():
    """Path of Mikolov et al.'s analogy questions in gensim (19 544, 14 sections)."""
    return _gensim_test_file("questions-words.txt")


# --- shared helpers -------------------------------------------------------------------

def _read_lines(path):
    """(line number, text) for every line of a UTF-8 file, with a clear error on bad
    bytes.

    A byte-order mark at the start of the file is skipped, as by every w2vlib reader.
    """
    path = Path(path)
    data = path.read_bytes()
    lines = []
    for number, raw in enumerate(data[bom_length(data):].split(b"\n"), start=1):
        try:
            lines.append((number, raw.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{path}, line {number}: byte {raw[error.start]:#04x} is not valid "
                "UTF-8; re-encode the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"
            ) from None
    return lines


class _Lookup:
    """Word -> row among the first ``restrict_vocab`` words, as gensim looks up."""

    def __init__(self, wv, restrict_vocab, case_insensitive):
        check_int("restrict_vocab", restrict_vocab)
        self.fold = str.upper if case_insensitive else (lambda word: word)
        keys = list(wv.index_to_key[:restrict_vocab])
        vectors = np.asarray(wv.vectors[: len(keys)], dtype=np.float64)
        self.keys = keys
        self.index_of = {}
        for index, key in enumerate(keys):
            self.index_of.setdefault(self.fold(key), index)  # first case variant wins
        # group_of[i]: index of the case variant that represents word i
        self.group_of = np.array(
            [self.index_of[self.fold(key)] for key in keys], dtype=np.int64
        )
        self.is_zero = np.linalg.norm(vectors, axis=1) == 0.0
        self.unit = unit_rows(vectors, zero_rows="keep")

    def get(self, word):
        return self.index_of.get(self.fold(word))

    def check_not_zero(self, indices):
        zero = indices[self.is_zero[indices]]
        if zero.size:
            raise ValueError(
                f"the vector of {self.keys[zero[0]]!r} is all zeros, so its cosine "
                "similarity is undefined; evaluate vectors without zero rows"
            )


# --- word pairs -----------------------------------------------------------------------

def evaluate_word_pairs(
    wv, path, delimiter="\t", restrict_vocab=300000, case_insensitive=True
):
    """Correlate human similarity scores with cosine similarities.

    Parameters
    ----------
    wv : KeyedVectors (w2vlib's or gensim's)
    path : str or Path
        UTF-8 file of lines ``word1<delimiter>word2<delimiter>score``; lines starting
        with ``#`` are comments. E.g. ``wordsim353_path()``.
    delimiter : str
    restrict_vocab : int
        Only the first ``restrict_vocab`` words of ``wv`` count as known.
    case_insensitive : bool
        Compare words upper-cased; the first case variant in ``wv`` is used.

    Returns
    -------
    WordPairsResult
        Spearman's rho (the usual headline number) and Pearson's r with their p-values
        (``scipy.stats``), how many pairs were used, how many had an unknown word and
        their share, and how many lines were skipped as malformed.
    """
    lookup = _Lookup(wv, restrict_vocab, case_insensitive)
    first, second, gold, oov_pairs, skipped_lines = _scored_pairs(
        path, delimiter, lookup)
    if len(gold) < 2:
        raise ValueError(
            f"{path}: only {len(gold)} usable pair(s) ({oov_pairs} with unknown words, "
            f"{skipped_lines} malformed lines); a correlation needs at least 2: check "
            f"the delimiter (now {delimiter!r}) and that the vocabulary contains the "
            "words"
        )
    first, second = np.array(first), np.array(second)
    lookup.check_not_zero(np.concatenate([first, second]))
    model = np.einsum("ij,ij->i", lookup.unit[first], lookup.unit[second])
    # Imported here: scipy.stats takes most of a second to import, which every kernel
    # that imports w2vlib (the exercise grader runs many) would otherwise pay.
    import scipy.stats

    spearman = scipy.stats.spearmanr(gold, model)
    pearson = scipy.stats.pearsonr(gold, model)
    return WordPairsResult(
        spearman=float(spearman.statistic),
        spearman_pvalue=float(spearman.pvalue),
        pearson=float(pearson.statistic),
        pearson_pvalue=float(pearson.pvalue),
        pairs_used=len(gold),
        oov_pairs=oov_pairs,
        oov_fraction=oov_pairs / (len(gold) + oov_pairs),
        skipped_lines=skipped_lines,
        gold_scores=np.asarray(gold, dtype=np.float64),
        model_scores=model,
    )


def _scored_pairs(path, delimiter, lookup):
    """(rows of the first words, of the second words, human scores, pairs with an
    unknown word, malformed lines) of a word-pair file."""
    first, second, gold = [], [], []
    oov_pairs = skipped_lines = 0
    for _, line in _read_lines(path):
        if not line or line.startswith("#"):
            continue
        parts = line.split(delimiter)
        try:
            word_a, word_b, score = parts
            score = float(score)
        except ValueError:
            skipped_lines += 1
            continue
        index_a, index_b = lookup.get(word_a.strip()), lookup.get(word_b.strip())
        if index_a is None or index_b is None:
            oov_pairs += 1
            continue
        first.append(index_a)
        second.append(index_b)
        gold.append(score)
    return first, second, gold, oov_pairs, skipped_lines


# --- analogies ------------------------------------------------------------------------

def _read_analogy_sections(path):
    """[(section name, [(line number, [a, b, c, d]), ...]), ...] in file order."""
    sections = []
    for number, line in _read_lines(path):
        if line.startswith(": "):
            sections.append((line[2:].strip(), []))
            continue
        words = line.split()
        if len(words) != 4:
            continue  # blank or malformed line, skipped as gensim does
        if not sections:
            raise ValueError(
                f"{path}, line {number}: question before any section header; the file "
                "must start with a line like ': capital-common-countries'"
            )
        sections[-1][1].append(words)
    return sections


# gensim ranks this many words, after a, b and c themselves, for each question
_GENSIM_TOPN = 5


def _count_correct(lookup, questions):
    """Number of rows (a, b, c, d) of ``questions`` answered d, by gensim's rule
    (vectorised).

    gensim asks ``most_similar(positive=[b, c], negative=[a], topn=5)``, which leaves
    out the rows of a, b and c, and answers with the first of those five words that is
    not a case variant of a, b or c; if all five are, the answer is the fifth (so the
    question counts as wrong unless d is a case variant of a, b or c). Case variants
    further down are never reached. Here a, b, c and d are the rows of the first case
    variants (``_Lookup``).
    """
    a, b, c, d = questions.T
    rows_per_chunk = max(1, _MAX_SCORES_PER_CHUNK // len(lookup.keys))
    correct = 0
    for start in range(0, len(questions), rows_per_chunk):
        chunk = slice(start, start + rows_per_chunk)
        rows = np.arange(len(questions[chunk]))
        # the mean of +b, -a, +c points the same way as b - a + c, so the rankings agree
        target = lookup.unit[b[chunk]] - lookup.unit[a[chunk]] + lookup.unit[c[chunk]]
        scores = target @ lookup.unit.T
        scores[:, lookup.is_zero] = -np.inf
        for excluded in (a[chunk], b[chunk], c[chunk]):
            scores[rows, excluded] = -np.inf
        topn = min(_GENSIM_TOPN, scores.shape[1])
        top = np.argpartition(-scores, topn - 1, axis=1)[:, :topn]
        top = np.take_along_axis(top, np.argsort(-scores[rows[:, None], top], axis=1,
                                                 kind="stable"), axis=1)
        ranked = scores[rows[:, None], top] > -np.inf  # False past the last candidate
        group = lookup.group_of[top]
        is_query_word = ((group == a[chunk, None]) | (group == b[chunk, None])
                         | (group == c[chunk, None]))
        usable = ranked & ~is_query_word
        # the first usable word, else the last ranked one, else no answer at all
        first_usable = np.argmax(usable, axis=1)
        last_ranked = ranked.sum(axis=1) - 1
        pick = np.where(usable.any(axis=1), first_usable, last_ranked)
        answered = last_ranked >= 0
        answer = group[rows, np.maximum(pick, 0)]
        correct += int(np.sum(answered & (answer == d[chunk])))
    return correct


def evaluate_word_analogies(wv, path, restrict_vocab=300000, case_insensitive=True):
    """Accuracy on analogy questions "a b c d" (a is to b as c is to d), by 3CosAdd.

    For each question the prediction is the word w, other than a, b and c, maximising
    cos(w, b̂ - â + ĉ) over the first ``restrict_vocab`` words (hats: unit vectors). It
    is correct if w is d (up to case when ``case_insensitive``). Questions with a word
    outside the first ``restrict_vocab`` words are skipped and counted in
    ``oov_questions``.

    With ``case_insensitive``, a, b and c stand for their first (most frequent) case
    variant, and other case variants of them are skipped as gensim skips them: only
    among the five best words, answering with the fifth if all five are variants (gensim
    4.4, ``KeyedVectors.evaluate_word_analogies``). word2vec's compute-accuracy.c
    excludes only the three first variants, so there another variant of a, b or c is a
    wrong answer; its numbers can therefore be lower on vocabularies with many case
    variants.

    Parameters
    ----------
    wv : KeyedVectors (w2vlib's or gensim's)
    path : str or Path
        UTF-8 file with sections started by lines ``": name"`` and one question of four
        words per line, e.g. ``questions_words_path()``.
    restrict_vocab : int
    case_insensitive : bool

    Returns
    -------
    AnalogyResult
        Overall accuracy, per-section ``SectionAccuracy`` and the out-of-vocabulary
        share.
    """
    lookup = _Lookup(wv, restrict_vocab, case_insensitive)
    sections = _read_analogy_sections(path)
    n_questions = sum(len(questions) for _, questions in sections)
    if n_questions == 0:
        raise ValueError(
            f"{path} contains no questions; expected sections ': name' followed by "
            "lines of four words"
        )
    results, oov_questions = [], 0
    for name, questions in sections:
        known = []
        for words in questions:
            indices = [lookup.get(word) for word in words]
            if None in indices:
                oov_questions += 1
            else:
                known.append(indices)
        known = np.array(known, dtype=np.int64).reshape(-1, 4)
        lookup.check_not_zero(known[:, :3].ravel())
        correct = _count_correct(lookup, known) if len(known) else 0
        results.append(SectionAccuracy(name=name, correct=correct, total=len(known)))
    correct = sum(section.correct for section in results)
    total = sum(section.total for section in results)
    return AnalogyResult(
        accuracy=correct / total if total else 0.0,
        correct=correct,
        total=total,
        oov_questions=oov_questions,
        oov_fraction=oov_questions / n_questions,
        sections=tuple(results),
    )
