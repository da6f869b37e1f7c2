"""Checks for exercise 4 (chapter 4, the skip-gram dataset): the (centre, outside) pairs a
window of radius m generates, and how many of them a sentence of T words gives."""

from __future__ import annotations

from collections import Counter

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, diagnose
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


def _mistake(name, en, es, pairs=_pairs, shift=0, flat=False, **wrong):
    sentences = [[word for sentence in SENTENCES for word in sentence]] if flat else SENTENCES
    return Mistake(name, lambda window: pairs(sentences, window + shift, **wrong), en, es)


PAIRS_MISTAKES = [
    _mistake("crosses sentences",
             "Your windows cross sentence boundaries: a pair must never join words of two different sentences.",
             "Tus ventanas cruzan el límite entre frases: un par nunca debe unir palabras de dos frases distintas.",
             flat=True),
    _mistake("window one short",
             ("Off by one: your pairs only reach distance m - 1; the window includes distance m (positions t - m "
              "to t + m)."),
             ("Error de uno: tus pares solo llegan a la distancia m - 1; la ventana incluye la distancia m "
              "(posiciones de t - m a t + m)."),
             shift=-1),
    _mistake("window one long",
             "Off by one: your pairs reach distance m + 1; the window stops at distance m.",
             "Error de uno: tus pares llegan a la distancia m + 1; la ventana se detiene en la distancia m.",
             shift=1),
    _mistake("counts the centre",
             "You pair each word with itself (distance 0): skip j == t.",
             "Emparejas cada palabra consigo misma (distancia 0): salta j == t.",
             include_self=True),
    _mistake("skips by value",
             ("You skip the outside words equal to the centre word (a comparison of values): skip only the centre "
              "position, j == t. A word can appear twice in one window, as 'the' does in real text, and that pair "
              "counts."),
             ("Saltas las palabras de contexto iguales a la palabra central (comparas valores): salta solo la "
              "posición central, j == t. Una palabra puede aparecer dos veces en una ventana, como «el» en un "
              "texto real, y ese par cuenta."),
             by_value=True),
    _mistake("drops repeated pairs",
             ("You drop repeated pairs: when the same two words meet twice, the pair is produced twice (skip-gram "
              "trains on every occurrence)."),
             ("Eliminas los pares repetidos: cuando las mismas dos palabras coinciden dos veces, el par aparece "
              "dos veces (skip-gram entrena con cada aparición)."),
             pairs=lambda sentences, window: list(dict.fromkeys(_pairs(sentences, window)))),
    _mistake("skips the edges",
             ("The pairs at the sentence edges are missing: words near the start or end still get the neighbours "
              "that exist (clip the window, do not skip the word)."),
             ("Faltan los pares de los bordes de la frase: las palabras cerca del principio o del final también "
              "tienen los vecinos que existan (recorta la ventana, no saltes la palabra)."),
             skip_edges=True),
    _mistake("right side only",
             "You only look to the right of the centre word: skip-gram looks m words to both sides.",
             "Solo miras a la derecha de la palabra central: skip-gram mira m palabras a cada lado.",
             right_only=True),
    # The set of pairs is symmetric, so swapped pairs only show in the order (checked last).
    SWAPPED := _mistake("pairs swapped",
                        "Your pairs are (outside, center): each pair must be (center, outside).",
                        "Tus pares son (contexto, centro): cada par debe ser (centro, contexto).",
                        swap=True),
]
WRONG_ORDER_FRACTION = 0.5


def check_skipgram_pairs(fn):
    cases = [(2,), (1,), (3,)]
    answers = [_as_pairs(call(fn, SENTENCES, window), f"skipgram_pairs(sentences, window={window})")
               for window, in cases]
    wrong = diagnose(answers, cases, lambda window: _pairs(SENTENCES, window), PAIRS_MISTAKES,
                     same=lambda got, expected: Counter(got) == Counter(expected))
    if wrong:
        (window,), got, expected = wrong
        missing = list((Counter(expected) - Counter(got)).elements())[:3]
        extra = list((Counter(got) - Counter(expected)).elements())[:3]
        raise Fail(en=(f"skipgram_pairs(sentences, window={window}): expected {len(expected)} pairs, got {len(got)}; "
                       f"for example missing {missing}, unexpected {extra}."),
                   es=(f"skipgram_pairs(sentences, window={window}): se esperaban {len(expected)} pares y hay "
                       f"{len(got)}; por ejemplo faltan {missing} y sobran {extra}."))
    empty = _as_pairs(call(fn, [[], [5]], 2), "skipgram_pairs([[], [5]], window=2)")
    if empty:
        raise Fail(en=f"An empty sentence and a one-word sentence give no pairs, got {empty}.",
                   es=f"Una frase vacía y una frase de una sola palabra no dan pares; se obtuvo {empty}.")
    if all(got == SWAPPED.variant(*case) for got, case in zip(answers, cases)):
        raise Fail(en=SWAPPED.en, es=SWAPPED.es, mistake=SWAPPED.name)
    if any(got != _pairs(SENTENCES, *case) for got, case in zip(answers, cases)):
        raise Fail(en=("You produce the right pairs in another order (half the points). Keep the documented order: "
                       "sentence by sentence, centre position t from left to right, and for each t the outside "
                       "positions from t - m to t + m."),
                   es=("Produces los pares correctos en otro orden (la mitad de los puntos). Respeta el orden "
                       "documentado: frase a frase, la posición central t de izquierda a derecha y, para cada t, "
                       "las posiciones de contexto de t - m a t + m."),
                   fraction=WRONG_ORDER_FRACTION)


COUNT_MISTAKES = [
    Mistake("edges ignored", lambda length, window: 2 * window * length,
            ("You returned 2·m·T: near the edges of the sentence the window is clipped, so there are fewer "
             "pairs."),
            ("Devolviste 2·m·T: cerca de los bordes de la frase la ventana se recorta, así que hay menos "
             "pares.")),
    Mistake("counts the centre", lambda length, window: _count(length, window) + length,
            "You count each word paired with itself (distance 0).",
            "Cuentas cada palabra emparejada consigo misma (distancia 0)."),
    Mistake("one side only", lambda length, window: _count(length, window) // 2,
            "You count only one side of the window: skip-gram looks m words to both sides.",
            "Cuentas solo un lado de la ventana: skip-gram mira m palabras a cada lado."),
]


def check_num_skipgram_pairs(fn):
    cases = [(6, 2), (10, 1), (3, 5), (1, 3), (0, 2), (7, 3)]
    answers = [scalar(call(fn, *case), f"num_skipgram_pairs{case}", f"num_skipgram_pairs{case}") for case in cases]
    wrong = diagnose(answers, cases, _count, COUNT_MISTAKES, same=lambda got, expected: got == expected)
    if wrong:
        case, got, expected = wrong
        raise Fail(en=f"num_skipgram_pairs{case} should be {expected}, got {got:g}.",
                   es=f"num_skipgram_pairs{case} debería valer {expected} y se obtuvo {got:g}.")
    if not isinstance(call(fn, 6, 2), (int, np.integer)):
        raise Fail(en="num_skipgram_pairs must return an integer (a count of pairs).",
                   es="num_skipgram_pairs debe devolver un entero (es un número de pares).")


QUESTIONS = [
    Question(id="q1", function="skipgram_pairs", points=7, check=check_skipgram_pairs,
             forbidden=("w2vlib.pairs",),  # every function of the module, helpers included
             mistakes=tuple(PAIRS_MISTAKES)),
    Question(id="q2", function="num_skipgram_pairs", points=3, check=check_num_skipgram_pairs,
             mistakes=tuple(COUNT_MISTAKES)),
]
