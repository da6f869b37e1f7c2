"""Checks for exercise 2 (chapter 2, from one-hot to dense vectors): one-hot vectors, the
co-occurrence matrix of a windowed corpus and its positive pointwise mutual information."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, close, diagnose, mistakes_of, rng
from w2vgrade.checks._common import array, call

SENTENCES = [
    ["the", "cat", "sat", "on", "the", "mat"],
    ["the", "dog", "sat"],
    ["a", "cat", "and", "a", "dog"],
    ["mat"],
    ["the", "the", "dog"],  # a word twice in one window, as in real text
]


def _vocabulary(sentences):
    words = sorted({word for sentence in sentences for word in sentence})
    return {word: index for index, word in enumerate(words)}


def _cooccurrence(sentences, word_to_index, window, include_self=False, right_only=False, by_value=False):
    size = len(word_to_index)
    counts = np.zeros((size, size))
    for sentence in sentences:
        indices = [word_to_index[word] for word in sentence]
        for t, center in enumerate(indices):
            low = t if right_only else max(0, t - window)
            for j in range(low, min(len(indices), t + window + 1)):
                if (indices[j] != center if by_value else j != t) or include_self:
                    counts[center, indices[j]] += 1
    return counts


def _ppmi(counts, swap_axes=False, without_total=False, clip=True, log=np.log):
    """The reference PPMI, or (keywords) one of the mistakes of :data:`PPMI_MISTAKES`."""
    total = counts.sum()
    rows = counts.sum(axis=1, keepdims=True)
    columns = counts.sum(axis=0, keepdims=True)
    if swap_axes:
        rows, columns = columns.T, rows.T
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = log(counts * (1.0 if without_total else total) / (rows * columns))
    return np.where(counts > 0, np.maximum(pmi, 0.0) if clip else pmi, 0.0)


ONE_HOT_MISTAKES = [
    Mistake("index off by one", lambda index, size: np.eye(size)[index - 1],
            "The 1 is one position too far left: indices start at 0, so h[index] = 1.",
            "El 1 está una posición demasiado a la izquierda: los índices empiezan en 0, así que h[index] = 1."),
]


def check_one_hot(fn):
    cases = [(0, 5), (4, 5), (2, 7)]
    answers = []
    for index, size in cases:
        what = f"one_hot({index}, {size})"
        vector = call(fn, index, size)
        if isinstance(vector, np.ndarray) and not np.issubdtype(vector.dtype, np.floating):
            raise Fail(en=(f"{what} has dtype {vector.dtype}; one-hot vectors take part in float maths, use "
                           "dtype=np.float64."),
                       es=(f"{what} tiene dtype {vector.dtype}; los vectores one-hot entran en cuentas con reales, "
                           "usa dtype=np.float64."))
        answers.append(array(vector, (size,), what, what))
    wrong = diagnose(answers, cases, lambda index, size: np.eye(size)[index], ONE_HOT_MISTAKES)
    if wrong:
        (index, size), vector, _ = wrong
        raise Fail(en=f"one_hot({index}, {size}) must be 1 at position {index} and 0 elsewhere, got {vector}.",
                   es=f"one_hot({index}, {size}) debe valer 1 en la posición {index} y 0 en el resto; vale {vector}.")


def _counts(window, flat=False, shift=0, **wrong):
    """The reference counts of SENTENCES with ``window`` (keywords: one mistake)."""
    sentences = [[word for sentence in SENTENCES for word in sentence]] if flat else SENTENCES
    return _cooccurrence(sentences, _vocabulary(SENTENCES), window + shift, **wrong)


_mistake = mistakes_of(_counts)


COOCCURRENCE_MISTAKES = [
    _mistake("crosses sentences",
             ("Your windows cross sentence boundaries: the last word of a sentence must not count the first "
              "words of the next one."),
             ("Tus ventanas cruzan el límite entre frases: la última palabra de una frase no debe contar las "
              "primeras de la siguiente."), flat=True),
    _mistake("window one short",
             "Off by one: you count neighbours only up to distance m - 1; the window reaches distance m inclusive.",
             ("Error de uno: cuentas vecinos solo hasta la distancia m - 1; la ventana llega a la distancia m "
              "incluida."), shift=-1),
    _mistake("window one long",
             "Off by one: you count neighbours up to distance m + 1; the window stops at distance m.",
             "Error de uno: cuentas vecinos hasta la distancia m + 1; la ventana se detiene en la distancia m.",
             shift=1),
    _mistake("counts the centre",
             "Each word is counted as its own neighbour (distance 0): skip the centre position.",
             "Cada palabra se cuenta como vecina de sí misma (distancia 0): salta la posición central.",
             include_self=True),
    _mistake("skips by value",
             ("You skip the neighbours equal to the centre word (a comparison of values): skip only the centre "
              "position, j == t. In 'the the dog' each 'the' is a neighbour of the other."),
             ("Saltas los vecinos iguales a la palabra central (comparas valores): salta solo la posición "
              "central, j == t. En «the the dog» cada «the» es vecino del otro."), by_value=True),
    _mistake("right side only",
             "You only look to the right of each word: the window extends m words to both sides, so C is symmetric.",
             ("Solo miras a la derecha de cada palabra: la ventana abarca m palabras a cada lado, así que C es "
              "simétrica."), right_only=True),
]


def check_cooccurrence_matrix(fn):
    word_to_index = _vocabulary(SENTENCES)
    size, windows, answers = len(word_to_index), (2, 1), []
    for window in windows:
        what = f"cooccurrence_matrix(sentences, word_to_index, window={window})"
        returned = call(fn, SENTENCES, word_to_index, window)
        answers.append(array(returned, (size, size), what, what))
        if not np.issubdtype(returned.dtype, np.floating):
            raise Fail(en=(f"{what} has dtype {returned.dtype}: return a float64 matrix (start from "
                           "np.zeros((size, size))), as the docstring asks; PPMI divides these counts."),
                       es=(f"{what} tiene dtype {returned.dtype}: devuelve una matriz float64 (parte de "
                           "np.zeros((size, size))), como pide la documentación; la PPMI divide estos conteos."))
    cases = [(window,) for window in windows]
    wrong = diagnose(answers, cases, _counts, COOCCURRENCE_MISTAKES)
    if wrong:
        (window,), got, expected = wrong
        if not np.any(got):
            raise Fail(en=(f"With window={window} C is all zeros: add 1 to C[i, j] for every word j at distance "
                           "1..m from each occurrence of word i."),
                       es=(f"Con window={window} C es toda ceros: suma 1 a C[i, j] por cada palabra j a distancia "
                           "1..m de cada aparición de la palabra i."))
        if not close(got, got.T):
            raise Fail(en="Your matrix is not symmetric: with a two-sided window, C[i, j] must equal C[j, i].",
                       es=("Tu matriz no es simétrica: con una ventana a ambos lados, C[i, j] debe ser igual a "
                           "C[j, i]."))
        cell = tuple(np.argwhere(~np.isclose(got, expected))[0])
        first, second = (word for index in cell for word, i in word_to_index.items() if i == index)
        raise Fail(en=(f"With window={window}, C[{first!r}, {second!r}] should be {expected[cell]:g}, got "
                       f"{got[cell]:g}."),
                   es=(f"Con window={window}, C[{first!r}, {second!r}] debería valer {expected[cell]:g} y "
                       f"vale {got[cell]:g}."))


def _ppmi_inputs():
    generator = rng(202)
    asymmetric = generator.integers(0, 6, size=(6, 6)).astype(np.float64)
    asymmetric[1, 2] = 0.0
    asymmetric[3, 0] = 0.0
    asymmetric[4] = 0.0  # a word that never co-occurs: its row sum is 0
    symmetric = _cooccurrence(SENTENCES, _vocabulary(SENTENCES), 2)
    return [asymmetric, symmetric, asymmetric / 100]  # scaled: PPMI is not, PMI without N is


PPMI_MISTAKES = [
    Mistake("axes swapped", lambda counts: _ppmi(counts, swap_axes=True),
            ("Row and column sums are swapped (wrong axis): P(i) comes from row i (C.sum(axis=1)), P(j) from "
             "column j (C.sum(axis=0))."),
            ("Las sumas por filas y por columnas están intercambiadas (eje equivocado): P(i) sale de la fila i "
             "(C.sum(axis=1)), P(j) de la columna j (C.sum(axis=0)).")),
    Mistake("not clipped", lambda counts: _ppmi(counts, clip=False),
            "Your matrix has negative entries: PPMI keeps max(PMI, 0), so negative PMI values become 0.",
            "Tu matriz tiene entradas negativas: PPMI se queda con max(PMI, 0), así que los PMI negativos pasan a 0."),
    Mistake("total missing", lambda counts: _ppmi(counts, without_total=True),
            "The total count N is missing: PMI = log(C[i, j] · N / (row_i · col_j)), with N = C.sum().",
            "Falta el total N: PMI = log(C[i, j] · N / (fila_i · col_j)), con N = C.sum()."),
    *(Mistake(f"log base {base}", lambda counts, log=log: _ppmi(counts, log=log),
              "Use the natural logarithm np.log, as in the chapter.",
              "Usa el logaritmo natural np.log, como en el capítulo.") for base, log in ((2, np.log2), (10, np.log10))),
    Mistake("all zeros", lambda counts: np.zeros(counts.shape),
            ("ppmi(C) returned a matrix of zeros: words that co-occur more often than chance have a positive PPMI "
             "(is the result assigned to P, and is the total N in C_ij · N / (C_i. · C_.j)?)."),
            ("ppmi(C) devolvió una matriz de ceros: las palabras que coocurren más de lo esperable por azar tienen "
             "PPMI positiva (¿se asigna el resultado a P, y está el total N en C_ij · N / (C_i. · C_.j)?).")),
]


def check_ppmi(fn):
    cases = [(counts,) for counts in _ppmi_inputs()]
    answers = []
    for counts, in cases:
        got = call(fn, counts)
        numbers = isinstance(got, np.ndarray) and got.shape == counts.shape and got.dtype.kind in "biuf"
        answers.append(got.astype(np.float64) if numbers else array(got, counts.shape, "ppmi(C)", "ppmi(C)"))
    wrong = diagnose(answers, cases, _ppmi, PPMI_MISTAKES, same=lambda got, expected: np.allclose(
        got, expected, rtol=1e-6, atol=1e-9, equal_nan=True))
    if wrong:
        (counts,), got, expected = wrong
        if not np.all(np.isfinite(got[counts > 0])):
            raise Fail(en="Your PPMI has nan or inf values where C[i, j] > 0: check which sums you divide by.",
                       es="Tu PPMI tiene valores nan o inf donde C[i, j] > 0: revisa entre qué sumas divides.")
        if not np.all(np.isfinite(got)):
            raise Fail(en=("Your PPMI has nan or -inf where C[i, j] = 0 (log of 0, or 0/0 for a word that never "
                           "co-occurs): those entries must be 0."),
                       es=("Tu PPMI tiene nan o -inf donde C[i, j] = 0 (logaritmo de 0, o 0/0 para una palabra que "
                           "nunca coocurre): esas entradas deben valer 0."))
        raise Fail(en=f"ppmi(C) is not right for C =\n{counts}\nexpected\n{expected.round(4)}\ngot\n{got.round(4)}",
                   es=(f"ppmi(C) no es correcto para C =\n{counts}\nse esperaba\n{expected.round(4)}\ny se "
                       f"obtuvo\n{got.round(4)}"))


QUESTIONS = [
    Question(id="q1", function="one_hot", points=2, check=check_one_hot, mistakes=tuple(ONE_HOT_MISTAKES)),
    Question(id="q2", function="cooccurrence_matrix", points=4, check=check_cooccurrence_matrix,
             forbidden=("w2vlib.cooccurrence.cooccurrence_matrix",), mistakes=tuple(COOCCURRENCE_MISTAKES)),
    Question(id="q3", function="ppmi", points=4, check=check_ppmi, forbidden=("w2vlib.cooccurrence.ppmi",),
             mistakes=tuple(PPMI_MISTAKES)),
]
