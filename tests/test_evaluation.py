"""Tests for w2vlib.evaluation, checked against gensim's own evaluation on the same vectors."""
import sys
import time

import numpy as np
import pytest
import scipy.stats
from gensim.models import KeyedVectors as GensimKeyedVectors

from w2vlib.evaluation import (
    AnalogyResult,
    WordPairsResult,
    evaluate_word_analogies,
    evaluate_word_pairs,
    questions_words_path,
    simlex999_path,
    wordsim353_path,
)
from w2vlib.keyedvectors import KeyedVectors


def as_gensim(wv):
    gensim_wv = GensimKeyedVectors(wv.vector_size, count=0, dtype=np.float64)
    gensim_wv.add_vectors(wv.index_to_key, np.array(wv.vectors))
    return gensim_wv


def words_of_evaluation_files():
    pair_words = []
    for line in wordsim353_path().read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            pair_words += line.split("\t")[:2]
    questions = {}
    for line in questions_words_path().read_text(encoding="utf-8").splitlines():
        if line.startswith(": "):
            section = questions.setdefault(line[2:].strip(), [])
        else:
            section.append(line.split())
    return pair_words, questions


@pytest.fixture(scope="module")
def random_vectors():
    """Random vectors over the evaluation words, with some words missing, some case variants,
    distractors, and one planted relation (capital -> country) so that accuracy is not ~0."""
    rng = np.random.default_rng(353)
    pair_words, questions = words_of_evaluation_files()
    question_words = [word for qs in questions.values() for q in qs for word in q]
    words = list(dict.fromkeys(pair_words + question_words))
    words = [words[i] for i in rng.permutation(len(words))]
    words = [w for w in words if rng.random() > 0.05]  # about 5% out of vocabulary
    variants = [w.lower() if w != w.lower() else w.capitalize() for w in words[:60]]
    words += [v for v in variants if v not in words] + [f"distractor{i}" for i in range(200)]
    words = [words[i] for i in rng.permutation(len(words))]
    index = {w: i for i, w in enumerate(words)}
    vectors = rng.normal(size=(len(words), 16))
    offset = rng.normal(size=16) * 2
    for capital, country, _, _ in questions["capital-common-countries"]:
        if capital in index and country in index:
            vectors[index[country]] = vectors[index[capital]] + offset + 0.5 * rng.normal(size=16)
    return KeyedVectors(vectors, words)


# --- word pairs ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wordsim_without_repeated_pairs(tmp_path_factory):
    """WordSim-353 with the second occurrence of a pair dropped (e.g. money-cash appears
    twice, bank-money in both orders).

    A repeated pair has one exact cosine, so its two entries tie in Spearman's ranking; gensim
    computes each occurrence separately with BLAS, whose last bit can depend on memory
    alignment, and sometimes splits the tie, moving rho by ~1e-6 (more on fewer pairs). Without
    repeats both implementations rank the same numbers and must agree to rounding.
    """
    seen, lines = set(), []
    for line in wordsim353_path().read_text(encoding="utf-8").splitlines():
        pair = frozenset(line.upper().split("\t")[:2])
        if line.startswith("#") or pair not in seen:
            seen.add(pair)
            lines.append(line)
    path = tmp_path_factory.mktemp("wordsim") / "wordsim_unique_pairs.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("restrict_vocab", [300000, 700])
def test_word_pairs_match_gensim(random_vectors, wordsim_without_repeated_pairs, restrict_vocab):
    path = wordsim_without_repeated_pairs
    ours = evaluate_word_pairs(random_vectors, path, restrict_vocab=restrict_vocab)
    pearson, spearman, oov_percent = as_gensim(random_vectors).evaluate_word_pairs(
        str(path), restrict_vocab=restrict_vocab)
    assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-12)
    assert ours.pearson == pytest.approx(pearson.statistic, abs=1e-12)
    assert ours.spearman_pvalue == pytest.approx(spearman.pvalue, rel=1e-9)
    assert 100 * ours.oov_fraction == pytest.approx(oov_percent, rel=1e-12)
    assert ours.oov_pairs > 0 and ours.skipped_lines == 0


def test_word_pairs_on_full_wordsim353(random_vectors):
    path = wordsim353_path()
    ours = evaluate_word_pairs(random_vectors, path)
    pearson, spearman, oov_percent = as_gensim(random_vectors).evaluate_word_pairs(str(path))
    assert ours.pairs_used + ours.oov_pairs == 353
    assert 100 * ours.oov_fraction == pytest.approx(oov_percent, rel=1e-12)
    assert ours.pearson == pytest.approx(pearson.statistic, abs=1e-12)
    # only the ties of repeated pairs may differ (see wordsim_without_repeated_pairs)
    assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-5)
    model = [random_vectors.similarity(*line.split("\t")[:2]) for line in
             wordsim353_path().read_text(encoding="utf-8").splitlines()
             if not line.startswith("#") and all(w in random_vectors for w in line.split("\t")[:2])]
    assert model.count(random_vectors.similarity("money", "cash")) == 2  # the tie we keep


def test_word_pairs_on_small_file(tmp_path):
    wv = KeyedVectors(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [-1.0, 0.2]]),
                      ["Gato", "perro", "casa", "sol"])
    path = tmp_path / "pairs.tsv"
    path.write_text("# word1\tword2\tscore\ngato\tperro\t8\ngato\tcasa\t2\nperro\tcasa\t6.5\n"
                    "sol\tcasa\t1\ngato\tdragón\t5\nbroken line\n\n", encoding="utf-8")
    result = evaluate_word_pairs(wv, path)
    cosines = [np.sqrt(0.5), 0.0, np.sqrt(0.5), 0.2 / np.sqrt(1.04)]
    gold = [8, 2, 6.5, 1]
    assert result.pairs_used == 4 and result.oov_pairs == 1 and result.skipped_lines == 1
    assert result.oov_fraction == pytest.approx(0.2)
    assert result.spearman == pytest.approx(scipy.stats.spearmanr(gold, cosines).statistic)
    assert result.pearson == pytest.approx(scipy.stats.pearsonr(gold, cosines).statistic)
    assert repr(result).startswith("WordPairsResult(spearman=")
    assert "oov_pairs=1 (20.0%)" in repr(result)
    assert isinstance(result, WordPairsResult)
    with pytest.raises(ValueError, match=r"only 0 usable pair\(s\) \(5 with unknown words"):
        evaluate_word_pairs(wv, path, case_insensitive=False, restrict_vocab=1)


def test_word_pairs_errors(tmp_path):
    wv = KeyedVectors(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]), ["a", "cero", "c"])
    path = tmp_path / "pairs.tsv"
    path.write_bytes(b"a\tc\t1\na\tcero\t2\n")
    with pytest.raises(ValueError, match="vector of 'cero' is all zeros"):
        evaluate_word_pairs(wv, path)
    path.write_bytes(b"a\tc\t1\n\xe9t\xe9\ta\t2\n")
    with pytest.raises(ValueError, match=r"line 2: byte 0xe9 is not valid UTF-8"):
        evaluate_word_pairs(wv, path)
    path.write_bytes(b"a,c,1\na,c,2\n")
    with pytest.raises(ValueError, match=r"2 malformed lines.*delimiter"):
        evaluate_word_pairs(wv, path)
    with pytest.raises(ValueError, match="restrict_vocab must be an integer >= 1, got 0"):
        evaluate_word_pairs(wv, path, restrict_vocab=0)


# --- analogies -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analogy_results(random_vectors):
    path = questions_words_path()
    start = time.perf_counter()
    ours = evaluate_word_analogies(random_vectors, path)
    seconds = time.perf_counter() - start
    theirs = as_gensim(random_vectors).evaluate_word_analogies(str(path))
    return ours, theirs, seconds


def test_analogies_match_gensim_exactly(analogy_results):
    ours, (gensim_score, gensim_sections), seconds = analogy_results
    total = gensim_sections[-1]
    assert ours.correct == len(total["correct"])
    assert ours.total == len(total["correct"]) + len(total["incorrect"])
    assert ours.accuracy == gensim_score
    assert [s.name for s in ours.sections] == [s["section"] for s in gensim_sections[:-1]]
    for section, gensim_section in zip(ours.sections, gensim_sections[:-1]):
        assert section.correct == len(gensim_section["correct"]), section.name
        assert section.total == len(gensim_section["correct"]) + len(gensim_section["incorrect"])
    # the planted relation is found, the rest is chance
    assert ours.section_accuracy["capital-common-countries"] > 0.5
    assert ours.section_accuracy["family"] < 0.1
    assert 0 < ours.oov_questions < 19544 * 0.3
    print(f"19 544 analogy questions with {len(ours.sections)} sections in {seconds:.2f} s")


def test_analogies_with_restricted_vocabulary_match_gensim(random_vectors):
    path = questions_words_path()
    ours = evaluate_word_analogies(random_vectors, path, restrict_vocab=400)
    gensim_score, gensim_sections = as_gensim(random_vectors).evaluate_word_analogies(
        str(path), restrict_vocab=400)
    assert ours.accuracy == gensim_score
    assert ours.correct == len(gensim_sections[-1]["correct"])
    assert ours.oov_fraction > 0.5


@pytest.fixture
def royal_vectors():
    words = ["rey", "reina", "hombre", "mujer", "Rey", "perro", "perra"]
    rey, reina = np.array([1.0, 1, 0, 0]), np.array([1.0, -1, 0, 0.1])
    hombre, mujer = np.array([0, 1, 0.2, 0]), np.array([0, -1, 0.2, 0])
    unit = [v / np.linalg.norm(v) for v in (rey, hombre, mujer)]
    target = unit[0] - unit[1] + unit[2]
    vectors = [rey, reina, hombre, mujer, target, [0, 0.3, 0, 1], [0, -0.3, 0, 1]]
    # "Rey" is a case variant of "rey" pointing exactly at rey - hombre + mujer: it must be
    # excluded with "rey", so the answer is "reina"
    return KeyedVectors(np.array(vectors, dtype=float), words)


def test_small_analogy_file_and_case_variant_exclusion(royal_vectors, tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text(": family\nhombre rey mujer reina\nhombre REY mujer reina\n"
                    "mujer reina hombre rey\nperro perra rey reina\n"
                    ": unknown\nhombre rey mujer princesa\nnot four words\n", encoding="utf-8")
    result = evaluate_word_analogies(royal_vectors, path)
    gensim_score, gensim_sections = as_gensim(royal_vectors).evaluate_word_analogies(str(path))
    assert result.correct == len(gensim_sections[-1]["correct"]) == 4
    assert result.accuracy == gensim_score == 1.0
    assert (result.total, result.oov_questions) == (4, 1)
    assert result.oov_fraction == pytest.approx(0.2)
    assert [(s.name, s.correct, s.total) for s in result.sections] == [
        ("family", 4, 4), ("unknown", 0, 0)]
    assert result.section_accuracy == {"family": 1.0, "unknown": 0.0}
    assert isinstance(result, AnalogyResult)
    text = repr(result)
    assert text.startswith("AnalogyResult(accuracy=1.0000 (4/4), oov_questions=1 (20.0%)")
    assert "family" in text and "(0/0)" in text


def crowded_vectors(n_variants):
    """rey, reina, hombre, mujer and ``n_variants`` case variants of "rey" that all point
    closer to rey - hombre + mujer than "reina" does, in decreasing order of closeness."""
    variants = ["Rey", "REY", "rEy", "reY", "ReY", "rEY"][:n_variants]
    rey = np.array([1.0, 1, 0, 0])
    hombre = np.array([0, 1, 0.2, 0])
    mujer = np.array([0, -1, 0.2, 0])
    unit = [v / np.linalg.norm(v) for v in (rey, hombre, mujer)]
    target = unit[0] - unit[1] + unit[2]
    reina = target + np.array([0, 0, 0, 1.0])  # cosine with the target about 0.87
    crowd = [target + np.array([0, 0, 0, 0.1 * (k + 1)]) for k in range(n_variants)]
    return KeyedVectors(np.array([rey, reina, hombre, mujer] + crowd),
                        ["rey", "reina", "hombre", "mujer"] + variants)


@pytest.mark.parametrize("n_variants, gensim_correct", [(4, 1), (5, 0), (6, 0)])
def test_case_variants_are_skipped_only_among_the_top_five(tmp_path, n_variants,
                                                           gensim_correct):
    """gensim skips a case variant of a, b or c only among the 5 words most_similar returns:
    with 4 variants of "rey" ahead of "reina" it still answers "reina", with 5 it answers
    the fifth variant, "ReY", and counts the question as wrong."""
    wv = crowded_vectors(n_variants)
    path = tmp_path / "questions.txt"
    path.write_text(": family\nhombre rey mujer reina\n", encoding="utf-8")
    gensim_score, gensim_sections = as_gensim(wv).evaluate_word_analogies(str(path))
    assert len(gensim_sections[-1]["correct"]) == gensim_correct  # gensim 4.4's numbers
    result = evaluate_word_analogies(wv, path)
    assert (result.correct, result.total) == (gensim_correct, 1)
    assert result.accuracy == gensim_score


@pytest.fixture(scope="module")
def case_variant_vectors():
    """The words of two analogy sections, each with up to 8 random case variants lying near
    it, one planted relation per section, small enough that b - a + c stays near c (so the
    variants of c crowd the top of the ranking), and distractors. The first (most frequent)
    variant of a word is not always the question's spelling."""
    rng = np.random.default_rng(8)
    _, questions = words_of_evaluation_files()
    sections = {name: questions[name] for name in ("capital-common-countries", "family")}
    base = list(dict.fromkeys(word for qs in sections.values() for q in qs for word in q))
    vectors = {word: rng.normal(size=12) for word in base}
    for name, qs in sections.items():
        offset = 0.3 * rng.normal(size=12)
        for a, b, _, _ in qs:
            vectors[b] = vectors[a] + offset + 0.3 * rng.normal(size=12)
    words = []
    for word in base:
        random_cases = [
            "".join(ch.upper() if up else ch.lower()
                    for ch, up in zip(word, rng.random(len(word)) < 0.5))
            for _ in range(8)
        ]
        forms = list(dict.fromkeys([word] + random_cases))
        for form in forms[: 1 + rng.integers(len(forms))]:
            if form not in vectors:
                vectors[form] = vectors[word] + 0.05 * rng.normal(size=12)
            words.append(form)
    words = list(dict.fromkeys(words)) + [f"distractor{i}" for i in range(100)]
    for word in words[-100:]:
        vectors[word] = rng.normal(size=12)
    words = [words[i] for i in rng.permutation(len(words))]
    lines = [f": {name}\n" + "".join(" ".join(q) + "\n" for q in qs)
             for name, qs in sections.items()]
    return KeyedVectors(np.array([vectors[w] for w in words]), words), "".join(lines)


def test_analogies_with_many_case_variants_match_gensim(case_variant_vectors, tmp_path):
    """Skipping every case variant of a, b and c (not only those among the top five) would
    answer 498 and 500 of these questions right; gensim 4.4 answers 423 and 447."""
    wv, questions = case_variant_vectors
    path = tmp_path / "questions.txt"
    path.write_text(questions, encoding="utf-8")
    ours = evaluate_word_analogies(wv, path)
    gensim_score, gensim_sections = as_gensim(wv).evaluate_word_analogies(str(path))
    assert [len(section["correct"]) for section in gensim_sections] == [423, 447, 870]
    for section, gensim_section in zip(ours.sections, gensim_sections[:-1]):
        assert section.correct == len(gensim_section["correct"]), section.name
        assert section.total == len(gensim_section["correct"]) + len(gensim_section["incorrect"])
    assert ours.accuracy == gensim_score


def test_case_sensitive_analogies(royal_vectors, tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text(": family\nhombre rey mujer reina\nhombre Rey mujer reina\n", encoding="utf-8")
    result = evaluate_word_analogies(royal_vectors, path, case_insensitive=False)
    gensim_score, _ = as_gensim(royal_vectors).evaluate_word_analogies(
        str(path), case_insensitive=False)
    assert result.accuracy == gensim_score
    # case-sensitive, "Rey" is another word: the first question now answers "Rey"
    assert (result.correct, result.total) == (1, 2)


def test_analogy_file_errors(royal_vectors, tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("hombre rey mujer reina\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1: question before any section header"):
        evaluate_word_analogies(royal_vectors, path)
    path.write_text(": empty\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="contains no questions"):
        evaluate_word_analogies(royal_vectors, path)
    path.write_bytes(b": s\nhombre rey mujer reina\nni\xf1o rey mujer reina\n")
    with pytest.raises(ValueError, match="line 3: byte 0xf1 is not valid UTF-8"):
        evaluate_word_analogies(royal_vectors, path)


def test_tiny_vocabulary_without_candidates_terminates(tmp_path):
    wv = KeyedVectors(np.eye(3), ["a", "b", "c"])
    path = tmp_path / "questions.txt"
    path.write_text(": s\na b c a\n", encoding="utf-8")
    result = evaluate_word_analogies(wv, path)
    assert (result.correct, result.total) == (0, 1)


# --- dataset paths -------------------------------------------------------------------------

def test_dataset_paths_point_at_gensim_files():
    assert wordsim353_path().name == "wordsim353.tsv" and wordsim353_path().is_file()
    first_line = questions_words_path().read_text(encoding="utf-8").splitlines()[0]
    assert first_line == ": capital-common-countries"
    rows = [line.split("\t") for line in simlex999_path().read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    assert len(rows) == 999 and rows[0] == ["old", "new", "1.58"]


def test_dataset_paths_without_gensim(monkeypatch):
    monkeypatch.setitem(sys.modules, "gensim.test.utils", None)
    with pytest.raises(ImportError, match="pip install gensim"):
        wordsim353_path()
    with pytest.raises(ImportError, match="questions-words.txt needs gensim"):
        questions_words_path()
    with pytest.raises(ImportError, match="simlex999.txt needs gensim"):
        simlex999_path()
