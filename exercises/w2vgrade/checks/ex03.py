"""Checks for exercise 3 (chapter 3, embeddings and analogies): unit-length rows and the
analogy search "a is to b as c is to ?" by cosine, excluding the three query words."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Question, close, rng
from w2vgrade.checks._common import array, call


def _unit_rows(matrix):
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix, dtype=np.float64), where=norms > 0)


def _analogy(a, b, c, vectors, words, exclude=True, sign=1.0, normalise=True):
    index = {word: i for i, word in enumerate(words)}
    unit = _unit_rows(vectors)
    target = sign * (unit[index[b]] - unit[index[a]]) + unit[index[c]]
    scores = (unit if normalise else vectors) @ target
    if exclude:
        scores[[index[a], index[b], index[c]]] = -np.inf
    return words[int(np.argmax(scores))]


def check_unit_rows(fn):
    generator = rng(301)
    matrix = generator.normal(size=(4, 3)) * np.array([[0.5], [2.0], [10.0], [1.0]])
    matrix[3] = 0.0
    result = call(fn, matrix)
    shaped = isinstance(result, np.ndarray) and result.shape == matrix.shape
    if shaped and result.dtype.kind in "biuf" and not np.all(np.isfinite(result)):
        raise Fail(en="A row of zeros became nan (0/0): leave rows whose norm is 0 as zeros.",
                   es="Una fila de ceros se convirtió en nan (0/0): deja como ceros las filas de norma 0.")
    got = array(result, matrix.shape, "unit_rows(matrix)", "unit_rows(matrix)")
    expected = _unit_rows(matrix)
    if close(got, expected):
        return None
    column_norms = np.linalg.norm(got, axis=0)
    if close(column_norms, np.ones(matrix.shape[1])):
        raise Fail(en=("You normalised the columns (axis=0): each ROW is a word vector, so take the norms along "
                       "axis=1."),
                   es=("Normalizaste las columnas (axis=0): cada FILA es el vector de una palabra, así que calcula "
                       "las normas a lo largo de axis=1."))
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


def check_analogy(fn):
    words, vectors = _planted_problem()
    answer = _analogy_answer(fn, "a", "b", "c", vectors, words)
    if answer in ("a", "b", "c"):
        raise Fail(en=f"Your answer {answer!r} is one of the query words: exclude a, b and c from the candidates.",
                   es=(f"Tu respuesta {answer!r} es una de las palabras de la consulta: excluye a, b y c de los "
                       "candidatos."))
    if answer == "long":
        raise Fail(en=("You picked a word with a very long vector but a smaller cosine: normalise the candidate "
                       "vectors (rank by cosine, not by dot product)."),
                   es=("Elegiste una palabra de vector muy largo pero coseno menor: normaliza los vectores "
                       "candidatos (ordena por coseno, no por producto escalar)."))
    if answer == "flip":
        raise Fail(en=("Your answer is the nearest word to a - b + c: the target is b - a + c (a is to b as c is "
                       "to ?)."),
                   es=("Tu respuesta es la palabra más cercana a a - b + c: el objetivo es b - a + c (a es a b "
                       "como c es a ?)."))
    if answer != "d":
        raise Fail(en=f"For 'a is to b as c is to ?' the nearest word to b - a + c is 'd', got {answer!r}.",
                   es=("Para «a es a b como c es a ?» la palabra más cercana a b - a + c es 'd' y se obtuvo "
                       f"{answer!r}."))
    generator = rng(303)
    size, n = 40, 8
    vectors = generator.normal(size=(size, n)) * generator.uniform(0.2, 3.0, size=(size, 1))
    words = [f"w{i}" for i in range(size)]
    for a, b, c in [(3, 7, 11), (0, 1, 2), (25, 5, 39), (12, 30, 6)]:
        vectors[[a, b, c]] /= np.linalg.norm(vectors[[a, b, c]], axis=1, keepdims=True)
        expected = _analogy(words[a], words[b], words[c], vectors, words)
        got = _analogy_answer(fn, words[a], words[b], words[c], vectors, words)
        if got != expected:
            raise Fail(en=(f"On random vectors, analogy({words[a]!r}, {words[b]!r}, {words[c]!r}) should be "
                           f"{expected!r}, got {got!r}."),
                       es=(f"Con vectores aleatorios, analogy({words[a]!r}, {words[b]!r}, {words[c]!r}) debería ser "
                           f"{expected!r} y se obtuvo {got!r}."))


QUESTIONS = [
    Question(id="q1", function="unit_rows", points=3, check=check_unit_rows),
    Question(
        id="q2",
        function="analogy",
        points=7,
        check=check_analogy,
        forbidden=(
            "w2vlib.keyedvectors.KeyedVectors.most_similar",
            "w2vlib.evaluation.evaluate_word_analogies",
        ),
    ),
]
