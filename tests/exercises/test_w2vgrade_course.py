"""Proof that the course's checks and the grader work on the real exercises.

Fast part (in this process: the notebook's code cells are executed into a fresh namespace
and the checks call its functions directly, as ``check_notebook(globals())`` does): reference sources
score full marks, blank student notebooks score zero, Spanish and English grade identically,
and every mutation of tests/exercises/mutations/ loses points on its question only.

Slow part (isolated student processes, one per notebook, in one ``python -m w2vgrade grade``
command, where the checks call the functions across the data-only channel): a
folder of submissions (three per exercise, nine more) with references, blanks, mutations and
broken notebooks of every kind.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import time
import warnings
from collections import defaultdict

import nbformat
import pytest

from mutations import MUTATIONS, VALID_VARIANTS
from w2vgrade.checks import exercise_ids, load_questions
from w2vgrade.generate import find_sources
from w2vgrade.notebooks import exercise_from_name
from w2vgrade_helpers import EXERCISES, REPO, SOURCES, evaluate_exercise, exec_notebook, file_hashes

COURSE = {(exercise_from_name(item.source.name), item.lang): item for item in find_sources(SOURCES, EXERCISES)}
EXERCISE_IDS = sorted({exercise for exercise, _ in COURSE})


def grade_in_process(nb, exercise):
    """``{question: (status, fraction, message_en, message_es, mistake)}`` and the cell errors of ``nb``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mutated code overflows on purpose
        namespace, errors = exec_notebook(nb)
        cells = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        results = evaluate_exercise(namespace, exercise, cells=cells)
    return {qid: (r["status"], r["fraction"], r["en"], r["es"], r["mistake"]) for qid, r in results.items()}, errors


def read(path):
    return nbformat.read(path, as_version=4)


def apply_mutation(nb, mutation):
    """A copy of ``nb`` with the mutation's edit; None if its text is not in this language."""
    mutated = nbformat.from_dict(nb)
    hits = [cell for cell in mutated.cells if cell.cell_type == "code" and mutation.find in cell.source]
    occurrences = sum(cell.source.count(mutation.find) for cell in hits)
    if occurrences == 0:
        return None
    assert occurrences == 1, f"{mutation.description!r}: find text occurs {occurrences} times"
    hits[0].source = hits[0].source.replace(mutation.find, mutation.replace)
    return mutated


def test_every_exercise_has_checks_and_sources_in_both_languages():
    assert EXERCISE_IDS == exercise_ids()
    assert sorted(COURSE) == [(exercise, lang) for exercise in EXERCISE_IDS for lang in ("en", "es")]


@pytest.mark.parametrize("key", sorted(COURSE), ids=lambda key: f"{key[0]}-{key[1]}")
def test_reference_scores_full_marks_and_blank_scores_zero(key):
    exercise, _ = key
    item = COURSE[key]
    reference, errors = grade_in_process(read(item.source), exercise)
    assert errors == [], f"the reference notebook raised: {errors}"
    assert {qid: result[:2] for qid, result in reference.items()} == {
        question.id: ("pass", 1.0) for question in load_questions(exercise)}
    blank, _ = grade_in_process(read(item.target), exercise)
    assert {qid: result[1] for qid, result in blank.items()} == {qid: 0.0 for qid in reference}
    assert all(result[2] and result[3] for result in blank.values()), "every lost point needs a message"


@pytest.mark.parametrize("key", sorted(COURSE), ids=lambda key: f"{key[0]}-{key[1]}")
def test_blank_notebook_says_every_function_still_returns_its_placeholder(key):
    blank, _ = grade_in_process(read(COURSE[key].target), key[0])
    assert {qid: ("placeholder" in en, "provisional" in es) for qid, (_, _, en, es, _) in blank.items()} == {
        qid: (True, True) for qid in blank}


ENGLISH_WORDS = ("the", "of", "for", "with", "is", "are", "should", "got", "expected", "your")
MUTATIONS_BY_EXERCISE = defaultdict(list)
for _mutation in MUTATIONS:
    MUTATIONS_BY_EXERCISE[_mutation.exercise].append(_mutation)


def test_at_least_three_mutations_per_exercise():
    assert {exercise: len(MUTATIONS_BY_EXERCISE[exercise]) >= 3 for exercise in EXERCISE_IDS} == {
        exercise: True for exercise in EXERCISE_IDS}


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_each_mutation_loses_points_on_its_question_only_in_both_languages(exercise):
    """All mutations of one exercise, in one process, each in a fresh namespace."""
    failures = []
    for mutation in MUTATIONS_BY_EXERCISE[exercise]:
        points_by_lang = {}
        for lang in ("en", "es"):
            mutated = apply_mutation(read(COURSE[(exercise, lang)].source), mutation)
            if mutated is None:
                assert lang != mutation.lang, f"{mutation.description!r}: find text not in the {lang} source"
                continue
            results, _ = grade_in_process(mutated, exercise)
            points_by_lang[lang] = {qid: result[:2] for qid, result in results.items()}
            target = results[mutation.question]
            others = {qid: result[:2] for qid, result in results.items() if qid != mutation.question}
            if target[1] >= 1.0 or not target[2]:
                failures.append(f"{lang} {mutation.question} {mutation.description!r}: not caught {target}")
            if mutation.expect not in target[2]:
                failures.append(f"{mutation.description!r}: message does not name the mistake: {target[2]!r}")
            if mutation.mistake != target[4] and (mutation.mistake or _catalogue(exercise, mutation.question)):
                failures.append(f"{mutation.description!r}: named mistake {target[4]!r}, not {mutation.mistake!r}")
            unquoted = re.sub("«[^»]*»", "", target[3])  # quoted: Python's message, example text
            english = sorted(set(ENGLISH_WORDS) & set(unquoted.split()))
            if english:
                failures.append(f"{mutation.description!r}: Spanish message with English {english}: {target[3]!r}")
            if any(result != ("pass", 1.0) for result in others.values()):
                failures.append(f"{lang} {mutation.question} {mutation.description!r}: other questions hit {others}")
        if len(points_by_lang) == 2 and points_by_lang["en"] != points_by_lang["es"]:
            failures.append(f"{mutation.description!r}: Spanish and English grade differently {points_by_lang}")
    assert failures == []


def _catalogue(exercise, question_id) -> list:
    """The names of the catalogued mistakes of a question."""
    return [mistake.name for question in load_questions(exercise) if question.id == question_id
            for mistake in question.mistakes]


def test_every_catalogued_mistake_has_a_mutation_that_is_caught_and_named():
    named = {(mutation.exercise, mutation.question, mutation.mistake) for mutation in MUTATIONS}
    for exercise in EXERCISE_IDS:
        for question in load_questions(exercise):
            for mistake in _catalogue(exercise, question.id):
                assert (exercise, question.id, mistake) in named, f"{exercise} {question.id}: no mutation for {mistake!r}"


@pytest.mark.parametrize("variant", VALID_VARIANTS, ids=lambda variant: variant.exercise)
def test_unusual_valid_answers_keep_full_marks(variant):
    for lang in ("en", "es"):
        varied = apply_mutation(read(COURSE[(variant.exercise, lang)].source), variant)
        results, errors = grade_in_process(varied, variant.exercise)
        assert errors == [] and {qid: r[:2] for qid, r in results.items()} == {
            qid: ("pass", 1.0) for qid in results}, (lang, variant.description, results)


def test_spanish_and_english_references_grade_identically():
    for exercise in EXERCISE_IDS:
        english, _ = grade_in_process(read(COURSE[(exercise, "en")].source), exercise)
        spanish, _ = grade_in_process(read(COURSE[(exercise, "es")].source), exercise)
        assert {q: r[:2] for q, r in english.items()} == {q: r[:2] for q, r in spanish.items()}


# ----- a class of submissions through the real grader --------------------------------------

def _replace_once(nb, old, new):
    hits = [cell for cell in nb.cells if old in cell.source]
    assert len(hits) == 1 and hits[0].source.count(old) == 1, f"{old!r} must occur once"
    hits[0].source = hits[0].source.replace(old, new)
    return nb


def build_thirty(root):
    """Three submissions per exercise and nine broken or mutated ones.

    Returns {(student, exercise): expectation} for the CSV checks.
    """
    expected = {}
    for exercise in EXERCISE_IDS:
        for student, path in (("reference_en", COURSE[(exercise, "en")].source),
                              ("reference_es", COURSE[(exercise, "es")].source),
                              ("blank_en", COURSE[(exercise, "en")].target)):
            (root / student).mkdir(parents=True, exist_ok=True)
            (root / student / path.name).write_bytes(path.read_bytes())
            expected[(student, exercise)] = "full" if student.startswith("reference") else "zero"
    ex01 = COURSE[("ex01", "en")]
    name = ex01.source.name
    broken = {
        "infinite_loop": _replace_once(read(ex01.source), '    similarity = 0.0\n', '    similarity = 0.0\n    while True:\n        pass\n'),
        "exception": _replace_once(read(ex01.source), '    similarity = 0.0\n', '    similarity = 0.0\n    raise RuntimeError("not finished")\n'),
        "syntax_error": _replace_once(read(ex01.source), "def rank_by_cosine(query, matrix, words, topn):", "def rank_by_cosine(query, matrix, words, topn)"),
        "missing_function": _replace_once(read(ex01.source), "def cosine_similarity(a, b):", "def cosine(a, b):"),
    }
    deleted = read(ex01.source)
    deleted.cells = [cell for cell in deleted.cells if "def rank_by_cosine" not in cell.source]
    broken["deleted_cell"] = deleted
    for student, nb in broken.items():
        (root / student).mkdir()
        nbformat.write(nb, root / student / name)
    (root / "malformed").mkdir()
    (root / "malformed" / name).write_text(ex01.source.read_text(encoding="utf-8")[:500], encoding="utf-8")
    (root / "not_utf8").mkdir()
    spanish = COURSE[("ex01", "es")].source
    (root / "not_utf8" / spanish.name).write_bytes(spanish.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    for student in (*broken, "malformed", "not_utf8"):
        expected[(student, "ex01")] = student
    for student, mutation in (("mutant_a", MUTATIONS_BY_EXERCISE["ex05"][0]), ("mutant_b", MUTATIONS_BY_EXERCISE["ex06"][0])):
        source = COURSE[(mutation.exercise, mutation.lang)].source
        (root / student).mkdir()
        nbformat.write(apply_mutation(read(source), mutation), root / student / source.name)
        expected[(student, mutation.exercise)] = mutation
    for index, variant in enumerate(VALID_VARIANTS):  # the grader agrees with the in-notebook check
        source = COURSE[(variant.exercise, variant.lang)].source
        (root / f"valid_{index}").mkdir()
        nbformat.write(apply_mutation(read(source), variant), root / f"valid_{index}" / source.name)
        expected[(f"valid_{index}", variant.exercise)] = "full"
    return expected


def test_thirty_submissions_in_one_command(tmp_path):
    submissions, results = tmp_path / "submissions", tmp_path / "results"
    expected = build_thirty(submissions)
    # three per exercise (references in both languages, a blank) and nine broken or mutated
    assert len(expected) == 3 * len(EXERCISE_IDS) + 9 + len(VALID_VARIANTS)
    before = file_hashes(submissions)
    command = [sys.executable, "-m", "w2vgrade", "grade", str(submissions), "--out", str(results),
               "--timeout-cell", "8", "--timeout-total", "90", "--jobs", "2"]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    elapsed = time.monotonic() - started
    print(f"graded {len(expected)} submissions in {elapsed:.1f} s")
    assert completed.returncode == 0, completed.stderr
    assert f"graded {len(expected)} notebooks in" in completed.stderr
    assert file_hashes(submissions) == before, "a submission was modified"

    rows = {(row["student"], row["exercise"]): row for row in csv.DictReader((results / "grades.csv").open(encoding="utf-8"))}
    assert set(rows) == set(expected)
    points = {key: {q.id: float(row[q.id]) for q in load_questions(row["exercise"])} for key, row in rows.items() if row["exercise"] != "?"}
    full = {key: {q.id: float(q.points) for q in load_questions(key[1])} for key in rows}
    for key, expectation in expected.items():
        row = rows[key]
        assert float(row["total"]) == sum(points[key].values())
        if expectation == "full":
            assert points[key] == full[key] and row["status"] == "ok", (key, row)
        elif expectation == "zero":
            assert set(points[key].values()) == {0.0}, (key, row)
        elif hasattr(expectation, "question"):
            lost = {qid for qid in points[key] if points[key][qid] < full[key][qid]}
            assert lost == {expectation.question}, (key, row)
    ex01 = {key[0]: (rows[key]["status"], points[key]["q1"], points[key]["q2"]) for key in rows if key[1] == "ex01"}
    assert ex01["infinite_loop"] == ("timeout", 0.0, 6.0)
    assert ex01["exception"] == ("error", 0.0, 6.0)
    assert ex01["syntax_error"] == ("error", 4.0, 0.0)
    assert ex01["missing_function"][1:] == (0.0, 6.0)
    assert ex01["deleted_cell"][1:] == (4.0, 0.0)
    assert ex01["malformed"] == ("invalid", 0.0, 0.0)
    assert ex01["not_utf8"] == ("invalid", 0.0, 0.0)

    def feedback(student):
        return (results / "feedback" / f"{student}.md").read_text(encoding="utf-8")

    # CPU seconds count; on a machine so busy that 80 s pass first, the wall-clock limit speaks.
    assert ("cosine_similarity used more than 8 s of CPU time: look for a loop that never ends" in feedback("infinite_loop")
            or "cosine_similarity did not finish within 80 s of real time" in feedback("infinite_loop"))
    assert "RuntimeError: not finished" in feedback("exception")
    assert "SyntaxError" in feedback("syntax_error")
    assert "cosine_similarity is not defined" in feedback("missing_function")
    assert "rank_by_cosine is not defined" in feedback("deleted_cell")
    assert "not valid JSON" in feedback("malformed")
    assert "is not UTF-8 text" in feedback("not_utf8")


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_checks_neither_use_nor_depend_on_global_random_state(exercise):
    import random

    import numpy as np

    mutated = apply_mutation(read(COURSE[(exercise, "en")].source), MUTATIONS_BY_EXERCISE[exercise][0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        namespace, _ = exec_notebook(mutated)
    outcomes = []
    for seed in (1, 2):
        np.random.seed(seed)
        random.seed(seed)
        numpy_state, python_state = np.random.get_state()[1].copy(), random.getstate()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            outcomes.append(evaluate_exercise(namespace, exercise))
        assert (np.random.get_state()[1] == numpy_state).all() and random.getstate() == python_state, (
            "a check drew from the global random state; use w2vgrade.api.rng(seed)")
    assert outcomes[0] == outcomes[1]
