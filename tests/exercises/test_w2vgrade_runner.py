"""The in-kernel check runner, exercised in this process on the fixture exercise ex90:
messages for each kind of wrong answer, partial credit, time limits, forbidden library calls."""

from __future__ import annotations

import json

import numpy as np
import pytest

from w2vgrade.api import Fail, Question, close, rng
from w2vgrade.checks import exercise_ids, load_questions
from w2vgrade.protocol import RESULT_MARKER
from w2vgrade.runner import evaluate_exercise, evaluate_question, report_question
from w2vgrade.selfcheck import check_notebook, guess_exercise
from w2vgrade.worker import _collect_question
from w2vgrade_helpers import fixture_source, exec_notebook

RIGHT_COSINE = "def cosine(a, b):\n    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))\n"
RIGHT_SCALE = "def scale(x, factor):\n    return factor * x\n"


def namespace_of(*sources):
    namespace = {"np": np, "__name__": "__main__"}
    for source in sources:
        exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


def grade(namespace, package, time_limit=5):
    return {qid: (r["status"], r["fraction"], r["en"]) for qid, r in
            evaluate_exercise(namespace, "ex90", package, time_limit).items()}


def test_reference_gets_full_marks_and_blank_gets_zero(fixture_checks):
    reference, errors = exec_notebook(fixture_source())
    assert errors == []
    assert grade(reference, fixture_checks) == {"q1": ("pass", 1.0, ""), "q2": ("pass", 1.0, "")}
    blank = namespace_of("def cosine(a, b):\n    return 0.0", "def scale(x, factor):\n    return None")
    results = grade(blank, fixture_checks)
    assert results["q1"][:2] == ("fail", 0.0) and "expected" in results["q1"][2]
    assert results["q2"][:2] == ("error", 0.0)


@pytest.mark.parametrize("scale_source, expected", [
    ("def scale(x, factor):\n    return -factor * x", ("partial", 0.5)),
    ("def scale(x, factor):\n    raise ValueError('not yet')", ("error", 0.0)),
    ("scale = 3", ("missing", 0.0)),
    ("def scale(x, factor):\n    import sys\n    sys.exit(1)", ("error", 0.0)),
    ("def scale(x, factor):\n    while True:\n        try:\n            pass\n        except Exception:\n            pass", ("timeout", 0.0)),
])
def test_each_failure_kind_has_a_status_and_a_message(fixture_checks, scale_source, expected):
    results = evaluate_exercise(namespace_of(RIGHT_COSINE, scale_source), "ex90", fixture_checks, 1)
    assert (results["q2"]["status"], results["q2"]["fraction"]) == expected
    assert results["q1"]["status"] == "pass"
    if expected[0] != "partial":
        assert "scale" in results["q2"]["en"] and "scale" in results["q2"]["es"]


def test_missing_function_message_names_it(fixture_checks):
    results = evaluate_exercise(namespace_of(RIGHT_SCALE), "ex90", fixture_checks)
    assert results["q1"]["status"] == "missing"
    assert results["q1"]["en"].startswith("cosine is not defined")
    assert results["q1"]["es"].startswith("cosine no está definida")


def test_exception_message_points_at_the_student_line():
    question = Question("q1", "f", 1, lambda fn: fn(1))
    namespace = {}
    exec(compile("def f(x):\n    y = 1\n    return x / 0\n", "/tmp/ipykernel_1/123.py", "exec"), namespace)
    outcome = evaluate_question(namespace, question)
    assert outcome["en"] == "checking f raised ZeroDivisionError: division by zero (line 3 of your cell)"


FORBIDDEN_ANSWERS = {
    "module alias": "import w2vlib.similarity as sims\ndef cosine(a, b):\n    return sims.cosine_similarity(a, b)",
    "from import, renamed": "from w2vlib.similarity import cosine_similarity as cs\ndef cosine(a, b):\n    return cs(a, b)",
    "package attribute chain": "import w2vlib.similarity\ndef cosine(a, b):\n    return w2vlib.similarity.cosine_similarity(a, b)",
    "import inside the function": "def cosine(a, b):\n    from w2vlib.similarity import cosine_similarity\n    return cosine_similarity(a, b)",
    "through a helper": "import w2vlib.similarity as s\ndef helper(a, b):\n    return s.cosine_similarity(a, b)\ndef cosine(a, b):\n    return helper(a, b)",
    "the library function itself": "from w2vlib.similarity import cosine_similarity as cosine",
    "hidden from the source (runtime guard)": "import importlib\ndef cosine(a, b):\n    name = 'w2vlib.' + 'similarity'\n    return getattr(importlib.import_module(name), 'cosine' + '_similarity')(a, b)",
}


@pytest.mark.parametrize("source", FORBIDDEN_ANSWERS.values(), ids=FORBIDDEN_ANSWERS.keys())
def test_calling_the_library_implementation_earns_nothing(fixture_checks, source):
    results = evaluate_exercise(namespace_of(source, RIGHT_SCALE), "ex90", fixture_checks)
    assert results["q1"]["status"] == "forbidden" and results["q1"]["fraction"] == 0
    assert "w2vlib.similarity.cosine_similarity" in results["q1"]["en"]
    assert results["q2"]["status"] == "pass"


def test_runtime_guard_is_removed_and_checks_may_use_the_library(fixture_checks):
    import w2vlib.similarity as similarity

    original = similarity.cosine_similarity

    def check_using_library(fn):  # a check may compare against w2vlib itself
        a, b = rng(3).normal(size=3), rng(4).normal(size=3)
        if not close(fn(a, b), similarity.cosine_similarity(a, b)):
            raise Fail(en="wrong", es="mal")

    question = Question("q1", "cosine", 1, check_using_library, forbidden=("w2vlib.similarity.cosine_similarity",))
    assert evaluate_question(namespace_of(RIGHT_COSINE), question)["status"] == "pass"
    assert similarity.cosine_similarity is original


def test_a_check_returning_a_non_fraction_is_reported_as_internal_error():
    question = Question("q1", "f", 1, lambda fn: True)
    outcome = evaluate_question({"f": len}, question)
    assert outcome["status"] == "error" and "internal error" in outcome["en"]


def test_report_question_prints_one_marked_line_and_student_prints_are_silenced(fixture_checks, capsys):
    namespace = namespace_of("def cosine(a, b):\n    print('W2VGRADE-RESULT fake {}')\n    return 0.0", RIGHT_SCALE)
    report_question(namespace, "ex90", "q1", "n0nce", package=fixture_checks)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{RESULT_MARKER} n0nce ")
    assert json.loads(lines[0].split(" ", 2)[2])["status"] == "fail"


def test_grader_accepts_only_one_line_with_its_nonce():
    good = {"status": "pass", "fraction": 1.0, "en": "", "es": ""}

    def cell(*texts):
        return {"outputs": [{"output_type": "stream", "name": "stdout", "text": text} for text in texts]}

    report = {"questions": {}, "duplicates": []}
    _collect_question("q1", cell(f"{RESULT_MARKER} wrong {json.dumps(good)}\n"), "right", report)
    assert report == {"questions": {}, "duplicates": []}
    _collect_question("q2", cell(f"{RESULT_MARKER} right {json.dumps(good)}\n"), "right", report)
    assert report["questions"] == {"q2": good}
    _collect_question("q3", cell(f"{RESULT_MARKER} right {json.dumps(good)}\n", f"{RESULT_MARKER} right {json.dumps(good)}\n"), "right", report)
    assert report["duplicates"] == ["q3"]


def test_check_notebook_prints_points_in_the_notebook_language(fixture_checks, capsys, monkeypatch):
    monkeypatch.delenv("W2VGRADE_GRADING", raising=False)
    namespace = namespace_of("def cosine(a, b):\n    return 0.0", RIGHT_SCALE)
    namespace["LANG"] = "es"
    check_notebook(namespace, package=fixture_checks)
    out = capsys.readouterr().out
    assert out.startswith("ex90: 3 / 5 puntos")
    assert "q1 cosine: 0/2 — cosine(a, b) devolvió 0.0" in out
    assert "q2 scale: 3/3 — correcto" in out
    monkeypatch.setenv("W2VGRADE_GRADING", "1")
    check_notebook(namespace, package=fixture_checks)
    assert "omitida" in capsys.readouterr().out


def test_exercise_is_guessed_from_the_defined_functions(fixture_checks):
    assert guess_exercise(namespace_of(RIGHT_SCALE), fixture_checks) == "ex90"
    assert guess_exercise({"__session__": "/home/me/ex90_demo.ipynb"}, fixture_checks) == "ex90"
    with pytest.raises(ValueError, match="exercise='ex01'"):
        guess_exercise({}, fixture_checks)


def test_registry_errors_name_the_exercise(fixture_checks):
    assert exercise_ids(fixture_checks) == ["ex90"]
    with pytest.raises(ValueError, match=r"unknown exercise id 'ex42'.*known: ex90"):
        load_questions("ex42", fixture_checks)
    with pytest.raises(ValueError, match="ids look like 'ex01'"):
        load_questions("cosine", fixture_checks)


def test_question_validates_its_fields():
    with pytest.raises(ValueError, match="points must be a number > 0"):
        Question("q1", "f", 0, lambda fn: None)
    with pytest.raises(TypeError, match=r"forbidden=\('w2vlib.x',\)"):
        Question("q1", "f", 1, lambda fn: None, forbidden="w2vlib.x")


def test_partial_credit_with_a_message():
    def check(fn):
        raise Fail(en="right values, wrong order", es="valores bien, orden mal", fraction=0.5)

    outcome = evaluate_question({"f": len}, Question("q1", "f", 4, check))
    assert outcome == {"status": "partial", "fraction": 0.5, "en": "right values, wrong order",
                       "es": "valores bien, orden mal"}
    with pytest.raises(ValueError, match=r"fraction must be a number in \[0, 1\)"):
        Fail(en="x", es="y", fraction=1)
