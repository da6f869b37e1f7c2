"""Checks for exercise 1 (chapter 1, things as vectors): cosine similarity and ranking the
neighbours of a query vector."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, close, diagnose, rng
from w2vgrade.checks._common import call, scalar


def _cosine(a, b, norms=lambda a, b: np.linalg.norm(a) * np.linalg.norm(b)):
    return float(a @ b / norms(a, b))


COSINE_MISTAKES = [
    Mistake("dot product", lambda a, b: float(a @ b),
            "You returned the dot product a·b: the cosine divides it by ‖a‖ ‖b‖ so that only the direction counts.",
            ("Devolviste el producto escalar a·b: el coseno lo divide entre ‖a‖ ‖b‖ para que solo cuente la "
             "dirección.")),
    Mistake("one norm", lambda a, b: _cosine(a, b, lambda a, b: np.linalg.norm(a)),
            "You divided a·b by only one of the two norms: the cosine is a·b / (‖a‖ ‖b‖).",
            "Dividiste a·b entre una sola de las dos normas: el coseno es a·b / (‖a‖ ‖b‖)."),
    Mistake("squared norms", lambda a, b: _cosine(a, b, lambda a, b: (a @ a) * (b @ b)),
            "The norms are squared: ‖a‖ = sqrt(a·a), so the cosine is a·b / (sqrt(a·a) sqrt(b·b)).",
            "Las normas están al cuadrado: ‖a‖ = sqrt(a·a), así que el coseno es a·b / (sqrt(a·a) sqrt(b·b))."),
    Mistake("rooted norms", lambda a, b: _cosine(a, b, lambda a, b: np.sqrt(np.linalg.norm(a) * np.linalg.norm(b))),
            "The norms are square-rooted one time too many: ‖a‖ = sqrt(a·a) already is the length of a.",
            "Las normas tienen una raíz de más: ‖a‖ = sqrt(a·a) ya es la longitud de a."),
    Mistake("sign flipped", lambda a, b: -_cosine(a, b),
            "The cosine has the wrong sign: vectors pointing the same way must give +1.",
            "El coseno tiene el signo cambiado: vectores que apuntan igual deben dar +1."),
]


def check_cosine_similarity(fn):
    generator = rng(101)
    a = generator.normal(size=5)
    b = generator.normal(size=5) * 3.0
    cases = [(a, b), (4.0 * a, 0.25 * b), (a, a), (a, -2.0 * a), (np.array([1, 0]), np.array([1, 1]))]
    answers = [scalar(call(fn, *case), "cosine_similarity(a, b)", "cosine_similarity(a, b)") for case in cases]
    wrong = diagnose(answers, cases, _cosine, COSINE_MISTAKES)
    if wrong:
        (x, y), got, expected = wrong
        raise Fail(en=(f"cosine_similarity(a, b) returned {got:.6f}, expected {expected:.6f} for a={x.round(3)}, "
                       f"b={y.round(3)} (a cosine depends only on the directions, and is 1 for a and a)."),
                   es=(f"cosine_similarity(a, b) devolvió {got:.6f} y se esperaba {expected:.6f} para "
                       f"a={x.round(3)}, b={y.round(3)} (un coseno solo depende de las direcciones y vale 1 "
                       "para a y a)."))


def _ranking(query, matrix, words, topn, score=None, sign=-1):
    """The ``topn`` (word, cosine) pairs, most similar first (keywords: one mistake)."""
    cosines = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))
    scores = cosines if score is None else score(query, matrix)
    order = np.argsort(sign * scores, kind="stable")[:topn]
    return [(words[i], float(scores[i])) for i in order]


RANKING_MISTAKES = [
    Mistake("ranks by dot product", lambda *case: _ranking(*case, score=lambda query, matrix: matrix @ query),
            "You ranked the words by dot product: long vectors win. Divide by the norms to rank by cosine.",
            ("Ordenaste las palabras por producto escalar: ganan los vectores largos. Divide entre las normas "
             "para ordenar por coseno.")),
    Mistake("increasing order", lambda *case: _ranking(*case, sign=1),
            "The list is in increasing order: the most similar word must come first.",
            "La lista está en orden creciente: la palabra más parecida debe ir primero."),
]


def _same_ranking(got, expected) -> bool:
    return [word for word, _ in got] == [word for word, _ in expected] and close(
        [value for _, value in got], [value for _, value in expected])


def _pairs(result, topn):
    if not isinstance(result, list):
        raise Fail(en=f"rank_by_cosine must return a list of (word, similarity) pairs, got {type(result).__name__}.",
                   es=("rank_by_cosine debe devolver una lista de pares (palabra, similitud) y devuelve "
                       f"{type(result).__name__}."))
    if len(result) != topn:
        raise Fail(en=f"With topn={topn} the list must have {topn} pairs, got {len(result)}.",
                   es=f"Con topn={topn} la lista debe tener {topn} pares y tiene {len(result)}.")
    if not all(isinstance(item, (tuple, list)) and len(item) == 2 for item in result):
        raise Fail(en="Each item of the list must be a pair (word, similarity).",
                   es="Cada elemento de la lista debe ser un par (palabra, similitud).")
    return [(word, scalar(value, "each similarity", "cada similitud")) for word, value in result]


def check_rank_by_cosine(fn):
    """Eight words whose ranking by cosine differs from their ranking by dot product."""
    generator = rng(102)
    directions = generator.normal(size=(8, 4))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    matrix = directions * np.array([5.0, 3.0, 0.2, 1.0, 0.5, 1.5, 0.5, 2.5])[:, None]
    words = ["ana", "bruno", "carla", "diego", "elena", "fede", "gala", "hugo"]
    query = generator.normal(size=4)
    cases = [(query, matrix, words, topn) for topn in (3, len(words))]
    answers = [_pairs(call(fn, *case), case[-1]) for case in cases]
    wrong = diagnose(answers, cases, _ranking, RANKING_MISTAKES, same=_same_ranking)
    if wrong:
        _, got, expected = wrong
        if [word for word, _ in got] == [word for word, _ in expected]:
            raise Fail(en=("The words are right but the similarities are not cosines: expected "
                           f"{[round(v, 4) for _, v in expected]}, got {[round(v, 4) for _, v in got]}."),
                       es=("Las palabras son correctas pero las similitudes no son cosenos: se esperaba "
                           f"{[round(v, 4) for _, v in expected]} y se obtuvo {[round(v, 4) for _, v in got]}."))
        if sorted(word for word, _ in got) == sorted(word for word, _ in expected):
            raise Fail(en="The right words are there but in the wrong order: sort by decreasing similarity.",
                       es="Están las palabras correctas pero en otro orden: ordena por similitud decreciente.")
        expected, got = [word for word, _ in expected], [word for word, _ in got]
        raise Fail(en=f"Expected the words {expected}, got {got}.",
                   es=f"Se esperaban las palabras {expected} y se obtuvo {got}.")


QUESTIONS = [
    Question(id="q1", function="cosine_similarity", points=4, check=check_cosine_similarity,
             forbidden=("w2vlib.similarity.cosine_similarity", "w2vlib.similarity.cosine_similarity_matrix"),
             mistakes=tuple(COSINE_MISTAKES)),
    Question(id="q2", function="rank_by_cosine", points=6, check=check_rank_by_cosine,
             helpers={"cosine_similarity": "w2vlib.similarity.cosine_similarity"},
             forbidden=("w2vlib.similarity.cosine_similarity_matrix", "w2vlib.keyedvectors.KeyedVectors.most_similar"),
             mistakes=tuple(RANKING_MISTAKES)),
]
