"""Checks for exercise 1 (chapter 1, things as vectors): cosine similarity and ranking the
neighbours of a query vector."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Question, close, rng
from w2vgrade.checks._common import call, scalar


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def _ranking(query, matrix, words, topn):
    similarities = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))
    order = np.argsort(-similarities, kind="stable")[:topn]
    return [(words[i], float(similarities[i])) for i in order]


def check_cosine_similarity(fn):
    generator = rng(101)
    a = generator.normal(size=5)
    b = generator.normal(size=5) * 3.0
    got = scalar(call(fn, a, b), "cosine_similarity(a, b)", "cosine_similarity(a, b)")
    expected = _cosine(a, b)
    if not close(got, expected):
        dot = float(a @ b)
        norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
        if close(got, dot):
            raise Fail(en=("You returned the dot product a·b: the cosine divides it by ‖a‖ ‖b‖ so that only the "
                           "direction counts."),
                       es=("Devolviste el producto escalar a·b: el coseno lo divide entre ‖a‖ ‖b‖ para que solo "
                           "cuente la dirección."))
        if close(got, dot / norm_a) or close(got, dot / norm_b):
            raise Fail(en="You divided a·b by only one of the two norms: the cosine is a·b / (‖a‖ ‖b‖).",
                       es="Dividiste a·b entre una sola de las dos normas: el coseno es a·b / (‖a‖ ‖b‖).")
        if close(got, dot / (norm_a**2 * norm_b**2)) or close(got, dot / (norm_a * norm_b) ** 0.5):
            raise Fail(en=("The norms are squared or square-rooted one time too many: use ‖a‖ = sqrt(a·a) once for "
                           "each vector."),
                       es=("Las normas están elevadas al cuadrado o con una raíz de más: usa ‖a‖ = sqrt(a·a) una "
                           "vez por vector."))
        if close(got, -expected):
            raise Fail(en="The cosine has the wrong sign: vectors pointing the same way must give +1.",
                       es="El coseno tiene el signo cambiado: vectores que apuntan igual deben dar +1.")
        raise Fail(en=(f"cosine_similarity(a, b) returned {got:.6f}, expected {expected:.6f} for a={a.round(3)}, "
                       f"b={b.round(3)}."),
                   es=(f"cosine_similarity(a, b) devolvió {got:.6f} y se esperaba {expected:.6f} para "
                       f"a={a.round(3)}, b={b.round(3)}."))
    what = "cosine_similarity(4a, b/4)"
    scaled = scalar(call(fn, 4.0 * a, 0.25 * b), what, what)
    if not close(scaled, expected):
        raise Fail(en=(f"Scaling the inputs changed the result ({scaled:.6f} instead of {expected:.6f}): the cosine "
                       "depends only on the directions."),
                   es=(f"Escalar las entradas cambió el resultado ({scaled:.6f} en vez de {expected:.6f}): el "
                       "coseno solo depende de las direcciones."))
    same = scalar(call(fn, a, a), "cosine_similarity(a, a)", "cosine_similarity(a, a)")
    what = "cosine_similarity(a, -2a)"
    opposite = scalar(call(fn, a, -2.0 * a), what, what)
    if not (close(same, 1.0) and close(opposite, -1.0)):
        raise Fail(en=(f"cosine_similarity(a, a) must be 1 and cosine_similarity(a, -2a) must be -1, got {same:.6f} "
                       f"and {opposite:.6f}."),
                   es=("cosine_similarity(a, a) debe valer 1 y cosine_similarity(a, -2a) debe valer -1; se obtuvo "
                       f"{same:.6f} y {opposite:.6f}."))
    integers = scalar(
        call(fn, np.array([1, 0]), np.array([1, 1])),
        "cosine_similarity on integer vectors",
        "cosine_similarity con vectores enteros",
    )
    if not close(integers, 2**-0.5):
        raise Fail(en=f"For integer vectors [1, 0] and [1, 1] the cosine is 1/sqrt(2) ≈ 0.7071, got {integers:.6f}.",
                   es=("Para los vectores enteros [1, 0] y [1, 1] el coseno es 1/sqrt(2) ≈ 0.7071 y se obtuvo "
                       f"{integers:.6f}."))


def _ranking_problem():
    """Eight words whose ranking by cosine differs from their ranking by dot product."""
    generator = rng(102)
    directions = generator.normal(size=(8, 4))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    lengths = np.array([5.0, 3.0, 0.2, 1.0, 0.5, 1.5, 0.5, 2.5])
    matrix = directions * lengths[:, None]
    query = generator.normal(size=4)
    words = ["ana", "bruno", "carla", "diego", "elena", "fede", "gala", "hugo"]
    return query, matrix, words


def check_rank_by_cosine(fn):
    query, matrix, words = _ranking_problem()
    topn = 3
    result = call(fn, query, matrix, words, topn)
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
    got_words = [item[0] for item in result]
    expected = _ranking(query, matrix, words, topn)
    expected_words = [word for word, _ in expected]
    if got_words != expected_words:
        all_ranked = [word for word, _ in _ranking(query, matrix, words, len(words))]
        by_dot = [words[i] for i in np.argsort(-(matrix @ query), kind="stable")[:topn]]
        if got_words == by_dot:
            raise Fail(en=("You ranked the words by dot product: long vectors win. Divide by the norms to rank by "
                           "cosine."),
                       es=("Ordenaste las palabras por producto escalar: ganan los vectores largos. Divide entre "
                           "las normas para ordenar por coseno."))
        if got_words == all_ranked[::-1][:topn]:
            raise Fail(en="The list is in increasing order: the most similar word must come first.",
                       es="La lista está en orden creciente: la palabra más parecida debe ir primero.")
        if sorted(got_words) == sorted(expected_words):
            raise Fail(en="The right words are there but in the wrong order: sort by decreasing similarity.",
                       es="Están las palabras correctas pero en otro orden: ordena por similitud decreciente.")
        raise Fail(en=f"Expected the words {expected_words}, got {got_words}.",
                   es=f"Se esperaban las palabras {expected_words} y se obtuvo {got_words}.")
    got_values = [scalar(item[1], "each similarity", "cada similitud") for item in result]
    if not close(got_values, [value for _, value in expected]):
        raise Fail(en=("The words are right but the similarities are not cosines: expected "
                       f"{[round(v, 4) for _, v in expected]}, got {[round(v, 4) for v in got_values]}."),
                   es=("Las palabras son correctas pero las similitudes no son cosenos: se esperaba "
                       f"{[round(v, 4) for _, v in expected]} y se obtuvo {[round(v, 4) for v in got_values]}."))
    everything = call(fn, query, matrix, words, len(words))
    full_ranking = [word for word, _ in _ranking(query, matrix, words, len(words))]
    if not isinstance(everything, list) or [item[0] for item in everything] != full_ranking:
        raise Fail(en=(f"With topn={len(words)} (all the words) the ranking is not the full list sorted by "
                       "decreasing cosine."),
                   es=(f"Con topn={len(words)} (todas las palabras) el resultado no es la lista completa ordenada "
                       "por coseno decreciente."))


QUESTIONS = [
    Question(
        id="q1",
        function="cosine_similarity",
        points=4,
        check=check_cosine_similarity,
        forbidden=(
            "w2vlib.similarity.cosine_similarity",
            "w2vlib.similarity.cosine_similarity_matrix",
        ),
    ),
    Question(
        id="q2",
        function="rank_by_cosine",
        points=6,
        check=check_rank_by_cosine,
        helpers={"cosine_similarity": "w2vlib.similarity.cosine_similarity"},
        forbidden=(
            "w2vlib.similarity.cosine_similarity_matrix",
            "w2vlib.keyedvectors.KeyedVectors.most_similar",
        ),
    ),
]
