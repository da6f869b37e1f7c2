"""Checks for exercise 4 (chapter 4, the skip-gram dataset): the (centre, outside) pairs a
window of radius m generates, and how many of them a sentence of T words gives."""

from __future__ import annotations

from collections import Counter

import numpy as np

from w2vgrade.api import Fail, Question
from w2vgrade.checks._common import call, scalar

# Real text repeats words inside a window ("the cat and the dog"): the last sentence does too.
SENTENCES = [[0, 1, 2, 3, 4, 5], [6, 7], [8], [2, 9, 3, 10, 4], [5, 5, 11, 5, 12, 11]]


def _pairs(sentences, window, include_self=False, skip_edges=False, right_only=False, swap=False,
           by_value=False):
    pairs = []
    for sentence in sentences:
        length = len(sentence)
        for t in range(length):
            if skip_edges and not (window <= t < length - window):
                continue
            low = t if right_only else max(0, t - window)
            for j in range(low, min(length, t + window + 1)):
                if (sentence[j] != sentence[t] if by_value else j != t) or include_self:
                    pair = (sentence[j], sentence[t]) if swap else (sentence[t], sentence[j])
                    pairs.append(pair)
    return pairs


def _count(length, window):
    return 2 * sum(max(length - distance, 0) for distance in range(1, window + 1))


def _as_pairs(result, what):
    if result is None:
        raise Fail(en=f"{what} returned None: return the list of pairs.",
                   es=f"{what} devolvió None: devuelve la lista de pares.")
    try:
        return [(int(center), int(outside)) for center, outside in result]
    except (TypeError, ValueError):
        raise Fail(en=f"{what} must return a list of (center, outside) pairs of integers.",
                   es=f"{what} debe devolver una lista de pares (centro, contexto) de enteros.") from None


def check_skipgram_pairs(fn):
    wrong_order = False
    for window in (2, 1, 3):
        what = f"skipgram_pairs(sentences, window={window})"
        got = _as_pairs(call(fn, SENTENCES, window), what)
        expected = _pairs(SENTENCES, window)
        if got == expected:
            continue
        variants = [
            (
                _pairs([[word for sentence in SENTENCES for word in sentence]], window),
                ("Your windows cross sentence boundaries: a pair must never join words of two different "
                 "sentences."),
                ("Tus ventanas cruzan el límite entre frases: un par nunca debe unir palabras de dos frases "
                 "distintas."),
            ),
            (
                _pairs(SENTENCES, window - 1),
                (f"Off by one: with window={window} your pairs only reach distance {window - 1}; the window "
                 "includes distance m (positions t - m to t + m)."),
                (f"Error de uno: con window={window} tus pares solo llegan a la distancia {window - 1}; la "
                 "ventana incluye la distancia m (posiciones de t - m a t + m)."),
            ),
            (
                _pairs(SENTENCES, window + 1),
                (f"Off by one: with window={window} your pairs reach distance {window + 1}; the window stops "
                 "at distance m."),
                (f"Error de uno: con window={window} tus pares llegan a la distancia {window + 1}; la "
                 "ventana se detiene en la distancia m."),
            ),
            (
                _pairs(SENTENCES, window, include_self=True),
                "You pair each word with itself (distance 0): skip j == t.",
                "Emparejas cada palabra consigo misma (distancia 0): salta j == t.",
            ),
            (
                _pairs(SENTENCES, window, by_value=True),
                ("You skip the outside words equal to the centre word (a comparison of values): skip only "
                 "the centre position, j == t. A word can appear twice in one window, as 'the' does in real "
                 "text, and that pair counts."),
                ("Saltas las palabras de contexto iguales a la palabra central (comparas valores): salta "
                 "solo la posición central, j == t. Una palabra puede aparecer dos veces en una ventana, "
                 "como «el» en un texto real, y ese par cuenta."),
            ),
            (
                list(dict.fromkeys(expected)),
                ("You drop repeated pairs: when the same two words meet twice, the pair is produced twice "
                 "(skip-gram trains on every occurrence)."),
                ("Eliminas los pares repetidos: cuando las mismas dos palabras coinciden dos veces, el par "
                 "aparece dos veces (skip-gram entrena con cada aparición)."),
            ),
            (
                _pairs(SENTENCES, window, skip_edges=True),
                ("The pairs at the sentence edges are missing: words near the start or end still get the "
                 "neighbours that exist (clip the window, do not skip the word)."),
                ("Faltan los pares de los bordes de la frase: las palabras cerca del principio o del final "
                 "también tienen los vecinos que existan (recorta la ventana, no saltes la palabra)."),
            ),
            (
                _pairs(SENTENCES, window, right_only=True),
                "You only look to the right of the centre word: skip-gram looks m words to both sides.",
                "Solo miras a la derecha de la palabra central: skip-gram mira m palabras a cada lado.",
            ),
        ]
        for variant, en, es in variants:
            if Counter(got) == Counter(variant):
                raise Fail(en=en, es=es)
        # The set of pairs is symmetric, so swapped pairs only show in the order.
        if got == _pairs(SENTENCES, window, swap=True):
            raise Fail(en="Your pairs are (outside, center): each pair must be (center, outside).",
                       es="Tus pares son (contexto, centro): cada par debe ser (centro, contexto).")
        if Counter(got) == Counter(expected):
            wrong_order = True
            continue
        missing = list((Counter(expected) - Counter(got)).elements())[:3]
        extra = list((Counter(got) - Counter(expected)).elements())[:3]
        raise Fail(en=(f"{what}: expected {len(expected)} pairs, got {len(got)}; for example missing {missing}, "
                       f"unexpected {extra}."),
                   es=(f"{what}: se esperaban {len(expected)} pares y hay {len(got)}; por ejemplo faltan {missing} "
                       f"y sobran {extra}."))
    empty = _as_pairs(call(fn, [[], [5]], 2), "skipgram_pairs([[], [5]], window=2)")
    if empty:
        raise Fail(en=f"An empty sentence and a one-word sentence give no pairs, got {empty}.",
                   es=f"Una frase vacía y una frase de una sola palabra no dan pares; se obtuvo {empty}.")
    if wrong_order:
        raise Fail(en=("You produce the right pairs in another order (half the points). Keep the documented order: "
                       "sentence by sentence, centre position t from left to right, and for each t the outside "
                       "positions from t - m to t + m."),
                   es=("Produces los pares correctos en otro orden (la mitad de los puntos). Respeta el orden "
                       "documentado: frase a frase, la posición central t de izquierda a derecha y, para cada t, "
                       "las posiciones de contexto de t - m a t + m."),
                   fraction=WRONG_ORDER_FRACTION)


WRONG_ORDER_FRACTION = 0.5


def check_num_skipgram_pairs(fn):
    for length, window in [(6, 2), (10, 1), (3, 5), (1, 3), (0, 2), (7, 3)]:
        what = f"num_skipgram_pairs({length}, {window})"
        got = scalar(call(fn, length, window), what, what)
        expected = _count(length, window)
        if got == expected:
            continue
        if got == 2 * window * length:
            raise Fail(en=(f"{what} returned 2·m·T = {int(got)}: near the edges of the sentence the window is "
                           f"clipped, so there are fewer pairs ({expected})."),
                       es=(f"{what} devolvió 2·m·T = {int(got)}: cerca de los bordes de la frase la ventana se "
                           f"recorta, así que hay menos pares ({expected})."))
        if got == expected + length:
            raise Fail(en=f"{what} counts each word paired with itself: expected {expected}, got {int(got)}.",
                       es=(f"{what} cuenta cada palabra emparejada consigo misma: se esperaba {expected} y se "
                           f"obtuvo {int(got)}."))
        if got == expected // 2:
            raise Fail(en=f"{what} counts only one side of the window: expected {expected}, got {int(got)}.",
                       es=(f"{what} cuenta solo un lado de la ventana: se esperaba {expected} y se obtuvo "
                           f"{int(got)}."))
        raise Fail(en=f"{what} should be {expected}, got {got:g}.",
                   es=f"{what} debería valer {expected} y se obtuvo {got:g}.")
    if not isinstance(call(fn, 6, 2), (int, np.integer)):
        raise Fail(en="num_skipgram_pairs must return an integer (a count of pairs).",
                   es="num_skipgram_pairs debe devolver un entero (es un número de pares).")


QUESTIONS = [
    Question(
        id="q1",
        function="skipgram_pairs",
        points=7,
        check=check_skipgram_pairs,
        forbidden=("w2vlib.pairs",),  # every function of the module, helpers included
    ),
    Question(id="q2", function="num_skipgram_pairs", points=3, check=check_num_skipgram_pairs),
]
