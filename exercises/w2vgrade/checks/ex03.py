"""Checks for exercise 3 (chapter 3, embeddings and analogies): unit-length rows and the
analogy search "a is to b as c is to ?" by cosine, excluding the three query words."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, diagnose, mistakes_of, rng
from w2vgrade.checks._common import array, call


def _unit_rows(matrix):
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix, dtype=np.float64), where=norms > 0)


def _analogy(a, b, c, vectors, words, exclude=True, sign=1.0, normalise=True, raw_target=False,
             skip_nearest=False):
    """The reference answer, or (keywords) one of the mistakes of :data:`ANALOGY_MISTAKES`."""
    index = {word: i for i, word in enumerate(words)}
    unit = _unit_rows(vectors)
    built = vectors if raw_target else unit
    target = sign * (built[index[b]] - built[index[a]]) + built[index[c]]
    scores = (unit if normalise else vectors) @ target
    if skip_nearest:
        return words[int(np.argsort(-scores, kind="stable")[3])]
    if exclude:
        scores[[index[a], index[b], index[c]]] = -np.inf
    return words[int(np.argmax(scores))]


_mistake = mistakes_of(_analogy)


ANALOGY_MISTAKES = [
    _mistake("keeps the query words",
             "Your answer is one of the query words: exclude a, b and c from the candidates.",
             "Tu respuesta es una de las palabras de la consulta: excluye a, b y c de los candidatos.",
             exclude=False),
    _mistake("skips the three nearest",
             ("You skip the three words nearest to the target instead of a, b and c: a is usually not among them "
              "(b - a + c points away from a). Exclude the three query words themselves."),
             ("Saltas las tres palabras más cercanas al objetivo en lugar de a, b y c: a no suele estar entre "
              "ellas (b - a + c se aleja de a). Excluye las tres palabras de la consulta."),
             skip_nearest=True),
    _mistake("ranks by dot product",
             ("You picked words with long vectors but smaller cosines: normalise the candidate vectors (rank by "
              "cosine, not by dot product)."),
             ("Elegiste palabras de vector largo pero coseno menor: normaliza los vectores candidatos (ordena por "
              "coseno, no por producto escalar)."),
             normalise=False),
    _mistake("never normalises",
             ("You never normalised: with raw vectors a long vector dominates both the target and the ranking. "
              "Build b - a + c from unit vectors and rank the candidates by cosine."),
             ("No normalizaste nada: con los vectores sin normalizar, un vector largo domina el objetivo y la "
              "ordenación. Construye b - a + c con vectores unitarios y ordena los candidatos por coseno."),
             normalise=False, raw_target=True),
    _mistake("target a - b + c",
             "Your answers are the nearest words to a - b + c: the target is b - a + c (a is to b as c is to ?).",
             ("Tus respuestas son las palabras más cercanas a a - b + c: el objetivo es b - a + c (a es a b como c "
              "es a ?)."),
             sign=-1.0),
    _mistake("target from raw vectors",
             ("You built b - a + c from the raw vectors: normalise a, b and c to unit length first, so that a long "
              "vector does not dominate the target."),
             ("Construiste b - a + c con los vectores sin normalizar: normaliza antes a, b y c a longitud 1, para "
              "que un vector largo no domine el objetivo."),
             raw_target=True),
]


UNIT_ROWS_MISTAKES = [
    Mistake("normalises columns", lambda matrix: matrix / np.linalg.norm(matrix, axis=0, keepdims=True),
            "You normalised the columns (axis=0): each ROW is a word vector, so take the norms along axis=1.",
            ("Normalizaste las columnas (axis=0): cada FILA es el vector de una palabra, así que calcula las "
             "normas a lo largo de axis=1.")),
]


def check_unit_rows(fn):
    generator = rng(301)
    matrix = generator.normal(size=(4, 3)) * np.array([[0.5], [2.0], [10.0], [1.0]])
    matrix[3] = 0.0
    result = call(fn, matrix)
    if isinstance(result, np.ndarray) and result.shape == matrix.shape and result.dtype.kind in "biuf" and not np.all(
            np.isfinite(result)):
        raise Fail(en="A row of zeros became nan (0/0): leave rows whose norm is 0 as zeros.",
                   es="Una fila de ceros se convirtió en nan (0/0): deja como ceros las filas de norma 0.")
    got = array(result, matrix.shape, "unit_rows(matrix)", "unit_rows(matrix)")
    if diagnose([got], [(matrix,)], _unit_rows, UNIT_ROWS_MISTAKES):
        expected = _unit_rows(matrix)
        raise Fail(en=f"unit_rows is not right: expected\n{expected.round(4)}\ngot\n{got.round(4)}",
                   es=f"unit_rows no es correcto: se esperaba\n{expected.round(4)}\ny se obtuvo\n{got.round(4)}")


def _planted_problem():
    """a, b, c on three axes; the answer 'd' points roughly along b - a + c but is less similar
    to the target than b or c are; 'long' has a huge norm and a smaller cosine; 'flip' points
    along a - b + c."""
    n = 6
    axes = np.eye(n)
    vectors = {
        "a": axes[0],
        "b": axes[1],
        "c": axes[2],
        "d": np.array([-0.2, 0.3, 0.3, 0.9, 0.0, 0.0]),
        "long": 10.0 * np.array([-0.1, 0.1, 0.1, 0.0, 0.95, 0.0]),
        "flip": np.array([0.6, -0.6, 0.6, 0.0, 0.0, 0.3]),
    }
    generator = rng(302)
    for name in ("e", "f", "g", "h"):
        vectors[name] = np.concatenate([0.05 * generator.normal(size=3), generator.normal(size=3)])
    words = list(vectors)
    order = generator.permutation(len(words))
    words = [words[i] for i in order]
    return words, np.array([vectors[word] for word in words])


def _analogy_answer(fn, a, b, c, vectors, words):
    what = f"analogy({a!r}, {b!r}, {c!r}, vectors, words)"
    answer = call(fn, a, b, c, vectors, words)
    if isinstance(answer, (int, np.integer)):
        raise Fail(en=f"{what} returned the index {answer}: return the word itself, words[index].",
                   es=f"{what} devolvió el índice {answer}: devuelve la palabra, words[index].")
    if not isinstance(answer, str):
        raise Fail(en=f"{what} must return a word (str), got {type(answer).__name__}.",
                   es=f"{what} debe devolver una palabra (str) y devuelve {type(answer).__name__}.")
    return answer


def _analogy_cases():
    """The planted problem, then random vectors where a, b and c have lengths 0.3, 3 and 1."""
    words, vectors = _planted_problem()
    cases = [("a", "b", "c", vectors, words)]
    generator = rng(303)
    size, n = 40, 8
    vectors = generator.normal(size=(size, n)) * generator.uniform(0.2, 3.0, size=(size, 1))
    words = [f"w{i}" for i in range(size)]
    for a, b, c in [(3, 7, 11), (0, 1, 2), (25, 5, 39), (12, 30, 6)]:
        lengths = np.linalg.norm(vectors[[a, b, c]], axis=1, keepdims=True)
        vectors[[a, b, c]] *= np.array([[0.3], [3.0], [1.0]]) / lengths
        cases.append((words[a], words[b], words[c], vectors.copy(), words))
    return cases


def check_analogy(fn):
    cases = _analogy_cases()
    answers = [_analogy_answer(fn, *case) for case in cases]
    wrong = diagnose(answers, cases, _analogy, ANALOGY_MISTAKES, same=lambda x, y: x == y)
    if wrong:
        (a, b, c, _, _), got, expected = wrong
        raise Fail(en=(f"analogy({a!r}, {b!r}, {c!r}, vectors, words) should be {expected!r} (the nearest word to "
                       f"b - a + c by cosine, a, b and c excluded), got {got!r}."),
                   es=(f"analogy({a!r}, {b!r}, {c!r}, vectors, words) debería ser {expected!r} (la palabra más "
                       f"cercana por coseno a b - a + c, excluidas a, b y c) y se obtuvo {got!r}."))


QUESTIONS = [
    Question(id="q1", function="unit_rows", points=3, check=check_unit_rows, mistakes=tuple(UNIT_ROWS_MISTAKES),
             forbidden=("w2vlib.similarity.unit_rows",)),
    Question(id="q2", function="analogy", points=7, check=check_analogy, mistakes=tuple(ANALOGY_MISTAKES),
             forbidden=("w2vlib.keyedvectors.KeyedVectors.most_similar", "w2vlib.evaluation.evaluate_word_analogies")),
]
