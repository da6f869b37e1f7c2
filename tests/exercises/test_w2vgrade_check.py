"""The grader-side checking, exercised in this process on the fixture exercise ex90: messages
for each kind of wrong answer, partial credit, the "write it yourself" rule (static and at
run time), helpers replaced by the library's, and the data-only wire format."""

from __future__ import annotations

import numpy as np
import pytest
from w2vgrade_helpers import evaluate_exercise, exec_notebook, fixture_source

from w2vgrade.api import Fail, Question, close, rng
from w2vgrade.check import (
    check_notebook,
    evaluate,
    guess_exercise,
    library_references,
    tampering,
)
from w2vgrade.checks import exercise_ids, load_questions
from w2vgrade.session import student_error
from w2vgrade.wire import Opaque, Refs, decode, encode

RIGHT_COSINE = "def cosine(a, b):\n    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))\n"
RIGHT_SCALE = "def scale(x, factor):\n    return factor * x\n"


def namespace_of(*sources):
    namespace = {"np": np, "__name__": "__main__"}
    for source in sources:
        exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


def grade(namespace, package):
    return {qid: (r["status"], r["fraction"], r["en"]) for qid, r in evaluate_exercise(namespace, "ex90", package).items()}


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
])
def test_each_failure_kind_has_a_status_and_a_message(fixture_checks, scale_source, expected):
    results = evaluate_exercise(namespace_of(RIGHT_COSINE, scale_source), "ex90", fixture_checks)
    assert (results["q2"]["status"], results["q2"]["fraction"]) == expected
    assert results["q1"]["status"] == "pass"
    if expected[0] != "partial":
        assert "scale" in results["q2"]["en"] and "scale" in results["q2"]["es"]


def test_missing_function_message_names_it(fixture_checks):
    results = evaluate_exercise(namespace_of(RIGHT_SCALE), "ex90", fixture_checks)
    assert results["q1"]["status"] == "missing"
    assert results["q1"]["en"].startswith("cosine is not defined")
    assert results["q1"]["es"].startswith("cosine no está definida")


def test_exception_message_names_the_error_in_both_languages():
    question = Question("q1", "f", 1, lambda fn: fn(1))
    outcome = evaluate(question, namespace_of("def f(x):\n    y = 1\n    return x / 0\n")["f"])
    assert outcome["en"] == "checking f raised ZeroDivisionError: division by zero"
    assert outcome["es"] == "al comprobar f se produjo ZeroDivisionError (mensaje de Python: «division by zero»)"


FORBIDDEN_ANSWERS = {
    "module alias": "import w2vlib.similarity as sims\ndef cosine(a, b):\n    return sims.cosine_similarity(a, b)",
    "from import, renamed": "from w2vlib.similarity import cosine_similarity as cs\ndef cosine(a, b):\n    return cs(a, b)",
    "package attribute chain": "import w2vlib.similarity\ndef cosine(a, b):\n    return w2vlib.similarity.cosine_similarity(a, b)",
    "import inside the function": "def cosine(a, b):\n    from w2vlib.similarity import cosine_similarity\n    return cosine_similarity(a, b)",
    "through a helper": "import w2vlib.similarity as s\ndef helper(a, b):\n    return s.cosine_similarity(a, b)\ndef cosine(a, b):\n    return helper(a, b)",
    "the library function itself": "from w2vlib.similarity import cosine_similarity as cosine",
    "re-exported by the package": "from w2vlib import cosine_similarity\ncosine = cosine_similarity",
    "functools.partial": "import functools, w2vlib\ncosine = functools.partial(w2vlib.similarity.cosine_similarity)",
    "types.FunctionType copy": "import types, w2vlib.similarity as s\nf = s.cosine_similarity\ncosine = types.FunctionType(f.__code__, f.__globals__)",
    "module dictionary": "import w2vlib.similarity\ncosine = vars(w2vlib.similarity)['cosine_similarity']",
    "getattr(__import__(...))": "cosine = getattr(__import__('w2vlib.similarity', fromlist=['x']), 'cosine_' + 'similarity')",
    "importlib and joined strings": "import importlib\ndef cosine(a, b):\n    name = 'w2vlib.' + 'similarity'\n    return getattr(importlib.import_module(name), 'cosine' + '_similarity')(a, b)",
}


@pytest.mark.parametrize("source", FORBIDDEN_ANSWERS.values(), ids=FORBIDDEN_ANSWERS.keys())
def test_referring_to_the_library_implementation_earns_nothing(fixture_checks, source):
    cells = [source, RIGHT_SCALE]
    results = evaluate_exercise(namespace_of(*cells), "ex90", fixture_checks, cells=cells)
    assert results["q1"]["status"] == "forbidden" and results["q1"]["fraction"] == 0
    assert "w2vlib.similarity.cosine_similarity" in results["q1"]["en"]
    assert results["q1"]["review"] == "uses w2vlib.similarity.cosine_similarity"
    assert results["q2"]["status"] == "pass"


@pytest.mark.parametrize("source", [
    "from w2vlib.pairs import flatten\ndef f(x):\n    return x",
    "import w2vlib.pairs\ndef f(x):\n    return x",
    "import importlib\nm = importlib.import_module('w2vlib.pairs')\ndef f(x):\n    return m.flatten(x)",
    "import w2vlib.pairs\ndef f(x):\n    return w2vlib.pairs.flatten(x)",
])
def test_a_forbidden_module_forbids_its_helper_functions(source):
    """An import of the module is read in the cells; any other reference is seen when it runs."""
    question = Question("q1", "f", 1, lambda fn: fn([[1], [2]]), forbidden=("w2vlib.pairs",))
    outcome = evaluate(question, namespace_of(source)["f"], library_references([source], question.forbidden))
    assert (outcome["status"], outcome["review"]) == ("forbidden", "uses w2vlib.pairs")


@pytest.mark.parametrize("source", [
    "def cosine_similarity(a, b):\n    return a @ b\nprint(cosine_similarity(np.ones(2), np.ones(2)))",
    "from w2vlib.toy_corpora import toy_corpus\nprint('cosine similarity of the two')",
    "import numpy as np\nsigmoid = lambda x: 1 / (1 + np.exp(-x))",
    "import w2vlib\nprint('cosine_similarity(a, b) =', 0.5)",
    "import w2vlib\nprint(f'Word2Vec by hand: {1}')  # not w2vlib.model.Word2Vec",
    "from w2vlib import toy_corpus\nlabel = 'ppmi of the counts:'\nprint(label)",
    "import w2vlib.similarity as s\nlabel = s.cosine_similarity.__name__",
])
def test_a_label_or_an_own_function_with_a_library_name_is_not_a_use(source):
    """Issue 19: a string is not a call; an import of the module is not a use of the function
    (FORBIDDEN_ANSWERS are the uses, caught)."""
    forbidden = ("w2vlib.similarity.cosine_similarity", "w2vlib.losses.sigmoid", "w2vlib.model.Word2Vec",
                 "w2vlib.cooccurrence.ppmi")
    assert library_references([source], forbidden) is None
    question = Question("q1", "f", 1, lambda fn: fn(1.0), forbidden=forbidden)
    assert evaluate(question, namespace_of(source, "def f(x):\n    return x")["f"])["status"] == "pass"


def test_tampering_words_are_flagged_for_review():
    assert tampering(["import sys\nframe = sys._getframe()", "x = 1"]) == "_getframe"
    assert tampering(["x = 1"]) == ""


def test_helpers_replaced_by_the_library_name_the_real_mistake():
    def check(fn):
        if not close(fn(np.array([1.0])), [-np.log1p(np.exp(-1.0))]):
            raise Fail(en="wrong", es="mal")

    question = Question("q2", "uses_helper", 1, check, helpers={"sigmoid": "w2vlib.losses.sigmoid"})
    namespace = namespace_of("def sigmoid(x):\n    return x", "def uses_helper(x):\n    return np.log(sigmoid(x))")
    outcome = evaluate(question, namespace["uses_helper"])
    assert outcome["status"] == "pass" and outcome["fraction"] == 1
    assert outcome["en"].startswith("uses_helper is right once your sigmoid is replaced by the library's")
    assert namespace["sigmoid"](5) == 5, "the student's helper is put back"


def test_a_function_that_changes_its_input_is_told_so():
    from w2vgrade.checks._common import call

    def consumes(sentences):
        return sentences.pop(0)

    with pytest.raises(Fail, match="Your function changed its input: consumes modified its first argument"):
        call(consumes, [[1, 2], [3]])
    data = [[1, 2], [3]]
    with pytest.raises(Fail):
        call(consumes, data)
    assert data == [[1, 2], [3]], "the check's own data is never consumed"


@pytest.mark.parametrize("value", [
    None, True, 3, 2**70, -1.5, float("nan"), float("-inf"), "ñ", [1, [2.0]], (1, "a"), {"a": 1, 2: [3]},
    np.arange(6, dtype=np.int32).reshape(2, 3), np.array(["a", "bc"]), np.float32(1.5), np.int64(7),
    np.array([1 + 2j]), np.zeros((0, 3)),
])
def test_data_travels_unchanged(value):
    back = decode(encode(value, Refs(1)), Refs(-1))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value)


def test_generators_travel_as_their_state_and_other_objects_as_opaque():
    generator = rng(5)
    copy = decode(encode(generator, Refs(1)), Refs(-1))
    assert copy.normal() == generator.normal()
    opaque = decode(encode(iter([1]), Refs(1)), Refs(-1))
    assert isinstance(opaque, Opaque) and type(opaque).__name__ == "list_iterator"


@pytest.mark.parametrize("data", [
    {"array": {"dtype": "|O", "shape": [1], "data": "AAAAAAAAAAA="}},
    {"array": {"dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAA="}},
    {"pickle": "gASVAAAAAAAAAAA="},
    {"a": 1, "b": 2},
    {"float": "1e999"},
])
def test_anything_but_data_is_refused(data):
    with pytest.raises((ValueError, TypeError)):
        decode(data, Refs(1))


def test_student_exceptions_are_mirrored_as_builtin_types():
    error = student_error({"type": "ValueError", "message": "bad", "line": 3})
    assert isinstance(error, ValueError) and error.kind == "ValueError" and error.line == 3
    assert not isinstance(student_error({"type": "SystemExit"}), SystemExit)


def test_a_check_returning_a_non_fraction_is_reported_as_internal_error():
    question = Question("q1", "f", 1, lambda fn: True)
    outcome = evaluate(question, len)
    assert outcome["status"] == "error" and "internal error" in outcome["en"]


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

    outcome = evaluate(Question("q1", "f", 4, check), len)
    assert outcome == {"status": "partial", "fraction": 0.5, "en": "right values, wrong order",
                       "es": "valores bien, orden mal", "review": "", "mistake": ""}
    with pytest.raises(ValueError, match=r"fraction must be a number in \[0, 1\)"):
        Fail(en="x", es="y", fraction=1)
