"""Checks for exercise 8 (chapter 8, beyond words): the shifted-PMI matrix SGNS factorises
(noise smoothed by the exponent 3/4), and the WEAT of Caliskan et al. (2017): its effect size
and its exact one-sided permutation p-value."""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, close, diagnose, mistakes_of, rng
from w2vgrade.checks._common import array, call, scalar

__all__ = ["QUESTIONS"]


# ----- question 1: the shifted PMI --------------------------------------------------------

def _shifted_pmi(C, K, alpha=0.75, sign=-1.0, shift=np.log, unnormalised=False, zero=-np.inf,
                 swap=False):
    """PMI_3/4(c, o) - log K, -inf where C = 0 (keywords: one of the mistakes)."""
    C = np.asarray(C, dtype=np.float64)
    total = C.sum()
    rows, columns = (0, 1) if swap else (1, 0)
    centre = C.sum(axis=rows) / total
    context = C.sum(axis=columns)
    if unnormalised:
        smoothed = (context / total) ** alpha
    else:
        smoothed = context ** alpha / (context ** alpha).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.log((C / total) / np.outer(centre, smoothed)) + sign * shift(K)
    result[C == 0] = zero
    return result


_pmi_mistake = mistakes_of(_shifted_pmi)


SHIFTED_PMI_MISTAKES = [
    _pmi_mistake("unsmoothed contexts",
                 ("You used the plain context distribution #(o)/N: word2vec's noise is count^(3/4), so "
                  "P_3/4(o) = C_.o^(3/4) / sum_k C_.k^(3/4)."),
                 ("Usaste la distribución de contextos sin suavizar #(o)/N: el ruido de word2vec es "
                  "count^(3/4), así que P_3/4(o) = C_.o^(3/4) / sum_k C_.k^(3/4)."),
                 alpha=1.0),
    _pmi_mistake("smoothing not normalised",
                 ("You raised the probabilities to 3/4, (C_.o / N)^(3/4), which no longer sum to 1: raise the "
                  "counts and divide by their sum, C_.o^(3/4) / sum_k C_.k^(3/4)."),
                 ("Elevaste las probabilidades a 3/4, (C_.o / N)^(3/4), que ya no suman 1: eleva los conteos y "
                  "divide entre su suma, C_.o^(3/4) / sum_k C_.k^(3/4)."),
                 unnormalised=True),
    _pmi_mistake("shift added",
                 "The shift has the wrong sign: the optimum is PMI_3/4(c, o) - log K, shifted down, not up.",
                 ("El desplazamiento tiene el signo cambiado: el óptimo es PMI_3/4(c, o) - log K, desplazado "
                  "hacia abajo, no hacia arriba."),
                 sign=1.0),
    _pmi_mistake("shift without log",
                 "You subtracted K itself: the shift is log K (natural logarithm), PMI_3/4(c, o) - np.log(K).",
                 "Restaste el propio K: el desplazamiento es log K (logaritmo natural), PMI_3/4(c, o) - np.log(K).",
                 shift=lambda K: K),
    _pmi_mistake("axes swapped",
            ("Rows and columns are swapped: rows are centre words, #(c) = C.sum(axis=1); columns are contexts, "
             "whose counts C.sum(axis=0) are the ones smoothed by 3/4."),
            ("Filas y columnas están intercambiadas: las filas son palabras centrales, #(c) = C.sum(axis=1); "
             "las columnas son contextos, y sus conteos C.sum(axis=0) son los que se suavizan con 3/4."),
            swap=True),
    _pmi_mistake("zero counts set to 0",
                 ("Where C[c, o] = 0 you return 0: the optimum of a pair never seen is the log of 0, -inf, as "
                  "the chapter says and pmi gives. Keep -inf there (0 is what PPMI uses, not this target)."),
                 ("Donde C[c, o] = 0 devuelves 0: el óptimo de un par nunca visto es el logaritmo de 0, -inf, "
                  "como dice el capítulo y da pmi. Deja -inf ahí (el 0 es cosa de la PPMI, no de este objetivo)."),
                 zero=0.0),
]


def _same_matrix(got, expected) -> bool:
    """Same shape, -inf at the same places, the finite entries close, no nan."""
    if not isinstance(got, np.ndarray) or got.shape != expected.shape or np.isnan(got).any():
        return False
    if not np.array_equal(np.isneginf(got), np.isneginf(expected)) or np.isposinf(got).any():
        return False
    finite = np.isfinite(expected)
    return close(got[finite], expected[finite])


def _pmi_cases():
    """An asymmetric matrix (one-sided windows), one with a very frequent context, and a
    symmetric one, each with zeros; every row and column sum is positive."""
    generator = rng(801)
    first = generator.integers(0, 9, size=(6, 6)).astype(np.float64)
    first[np.arange(6), (np.arange(6) + 1) % 6] = 0.0
    first[np.arange(6), (np.arange(6) + 3) % 6] += 1.0
    second = generator.integers(0, 5, size=(5, 5)).astype(np.float64)
    second[:, 2] = generator.integers(20, 60, size=5)
    second[0, 4] = second[3, 1] = 0.0
    second[np.arange(5), (np.arange(5) + 1) % 5] += 1.0
    third = generator.integers(0, 7, size=(7, 7)).astype(np.float64)
    third = third + third.T
    third[2, 5] = third[5, 2] = 0.0
    third[np.arange(7), (np.arange(7) + 2) % 7] += 1.0
    third[(np.arange(7) + 2) % 7, np.arange(7)] += 1.0
    return [(first, 5), (second, 15), (third, 2)]


def check_shifted_pmi(fn):
    cases = _pmi_cases()
    answers = [array(call(fn, C, K), C.shape, f"shifted_pmi(C, K={K})", f"shifted_pmi(C, K={K})", finite=False)
               for C, K in cases]
    wrong = diagnose(answers, cases, _shifted_pmi, SHIFTED_PMI_MISTAKES, same=_same_matrix)
    if not wrong:
        return None
    (C, K), got, expected = wrong
    what = f"shifted_pmi(C, K={K})"
    if np.isnan(got).any():
        raise Fail(en=(f"{what} contains nan: every entry is a number or, where C[c, o] = 0, -inf. Check which "
                       "sums you divide by."),
                   es=(f"{what} contiene nan: cada entrada es un número o, donde C[c, o] = 0, -inf. Revisa entre "
                       "qué sumas divides."))
    if not np.array_equal(np.isneginf(got), C == 0) or np.isposinf(got).any():
        raise Fail(en=(f"{what} must be -inf exactly where C[c, o] = 0 (the log of 0) and finite elsewhere, "
                       f"for C =\n{C}\ngot\n{got.round(3)}"),
                   es=(f"{what} debe valer -inf justo donde C[c, o] = 0 (el logaritmo de 0) y ser finito en el "
                       f"resto, para C =\n{C}\nse obtuvo\n{got.round(3)}"))
    gap = np.where(C > 0, np.abs(got - expected), 0.0)
    c, o = np.unravel_index(int(np.argmax(gap)), C.shape)
    raise Fail(en=(f"{what}[{c}, {o}] should be PMI_3/4 - log K = {expected[c, o]:.4f}, got {got[c, o]:.4f}, for "
                   f"C =\n{C}"),
               es=(f"{what}[{c}, {o}] debería ser PMI_3/4 - log K = {expected[c, o]:.4f} y vale "
                   f"{got[c, o]:.4f}, para C =\n{C}"))


# ----- question 2: the WEAT effect size ---------------------------------------------------

def _associations(W, A, B, cosine=True):
    """s(w, A, B) for every row w of W: mean cosine with A minus mean cosine with B."""
    def unit(M):
        return M / np.linalg.norm(M, axis=1, keepdims=True) if cosine else M
    return (unit(W) @ unit(A).T).mean(axis=1) - (unit(W) @ unit(B).T).mean(axis=1)


def _effect_size(X, Y, A, B, spread="all", sums=False, flip=False, cosine=True):
    """d of (weat), or (keywords) one of the mistakes of :data:`EFFECT_SIZE_MISTAKES`."""
    s_X, s_Y = _associations(X, A, B, cosine), _associations(Y, A, B, cosine)
    if flip:
        s_X, s_Y = s_Y, s_X
    gap = s_X.sum() - s_Y.sum() if sums else s_X.mean() - s_Y.mean()
    both = np.concatenate([s_X, s_Y])
    deviation = {
        "all": lambda: both.std(ddof=1),
        "population": lambda: both.std(ddof=0),
        "X only": lambda: s_X.std(ddof=1),
        "within groups": lambda: np.sqrt((s_X.var(ddof=1) + s_Y.var(ddof=1)) / 2),
        "of the means": lambda: np.std([s_X.mean(), s_Y.mean()], ddof=1),
    }[spread]()
    return float(gap / deviation)


_effect_mistake = mistakes_of(_effect_size)


EFFECT_SIZE_MISTAKES = [
    _effect_mistake("sign flipped",
                    "Your d has the wrong sign: it is mean_x s(x, A, B) - mean_y s(y, A, B), X first.",
                    "Tu d tiene el signo cambiado: es media_x s(x, A, B) - media_y s(y, A, B), X primero.",
                    flip=True),
    _effect_mistake("difference of sums",
                    ("You divided the difference of the sums, S(X, Y), by the deviation: the effect size uses the "
                     "difference of the means, mean_x s(x, A, B) - mean_y s(y, A, B)."),
                    ("Dividiste la diferencia de las sumas, S(X, Y), entre la desviación: el tamaño del efecto usa "
                     "la diferencia de las medias, media_x s(x, A, B) - media_y s(y, A, B)."),
                    sums=True),
    _effect_mistake("deviation over X only",
                    ("Your standard deviation is taken over X only: take it over all the target words, X ∪ Y "
                     "(np.concatenate the two sets of associations)."),
                    ("Tu desviación típica se calcula solo sobre X: calcúlala sobre todas las palabras objetivo, "
                     "X ∪ Y (une con np.concatenate las dos listas de asociaciones)."),
                    spread="X only"),
    _effect_mistake("deviation within groups",
                    ("You pooled the deviations of X and of Y (Cohen's d): the WEAT divides by the standard "
                     "deviation of s(w, A, B) over the union X ∪ Y, one set of 2n values."),
                    ("Combinaste las desviaciones de X y de Y (la d de Cohen): la WEAT divide entre la desviación "
                     "típica de s(w, A, B) sobre la unión X ∪ Y, un solo conjunto de 2n valores."),
                    spread="within groups"),
    _effect_mistake("deviation of the means",
                    ("You took the standard deviation of the two means: take it over the associations of every "
                     "target word, s(w, A, B) for w in X ∪ Y."),
                    ("Calculaste la desviación típica de las dos medias: calcúlala sobre las asociaciones de cada "
                     "palabra objetivo, s(w, A, B) para w en X ∪ Y."),
                    spread="of the means"),
    _effect_mistake("population deviation",
                    ("Your standard deviation divides by 2n (ddof=0): the chapter uses the sample standard "
                     "deviation, .std(ddof=1), which divides by 2n - 1."),
                    ("Tu desviación típica divide entre 2n (ddof=0): el capítulo usa la desviación típica "
                     "muestral, .std(ddof=1), que divide entre 2n - 1."),
                    spread="population"),
    _effect_mistake("dot products",
                    ("You used dot products instead of cosines in s(w, A, B): normalise every vector to length 1 "
                     "first, so that long vectors do not weigh more."),
                    ("Usaste productos escalares en lugar de cosenos en s(w, A, B): normaliza antes cada vector a "
                     "longitud 1, para que los vectores largos no pesen más."),
                    cosine=False),
]


def _weat_vectors(seed, targets, attributes_a, attributes_b, n=5):
    """Rows of different lengths; X leans towards A and Y towards B, a little."""
    generator = rng(seed)
    A = generator.normal(size=(attributes_a, n))
    B = generator.normal(size=(attributes_b, n))
    X = generator.normal(size=(targets, n)) + 0.6 * A.mean(axis=0)
    Y = generator.normal(size=(targets, n)) + 0.6 * B.mean(axis=0)
    sets = []
    for M in (X, Y, A, B):
        sets.append(M * generator.uniform(0.3, 3.0, size=(len(M), 1)))
    return tuple(sets)


def check_weat_effect_size(fn):
    cases = [_weat_vectors(811, 6, 2, 4), _weat_vectors(812, 4, 3, 5), _weat_vectors(813, 5, 4, 2)]
    answers = [scalar(call(fn, *case), "weat_effect_size(X, Y, A, B)", "weat_effect_size(X, Y, A, B)")
               for case in cases]
    wrong = diagnose(answers, cases, _effect_size, EFFECT_SIZE_MISTAKES)
    if wrong:
        (X, _, A, B), got, expected = wrong
        sizes = f"|X| = |Y| = {len(X)}, |A| = {len(A)}, |B| = {len(B)}"
        raise Fail(en=(f"weat_effect_size should be {expected:.4f} for the case with {sizes}, got "
                       f"{got:.4f}: d = (mean_x s(x) - mean_y s(y)) / std_(w in X ∪ Y) s(w), "
                       "s(w) = mean_a cos(w, a) - mean_b cos(w, b)."),
                   es=(f"weat_effect_size debería valer {expected:.4f} en el caso con {sizes} y vale "
                       f"{got:.4f}: d = (media_x s(x) - media_y s(y)) / desv_(w en X ∪ Y) s(w), "
                       "s(w) = media_a cos(w, a) - media_b cos(w, b)."))


# ----- question 3: the exact permutation p-value -----------------------------------------

def _p_value(s_X, s_Y, tail="upper", count=False):
    """Share of the equal-size splits of X ∪ Y whose S is >= the observed S (keywords: a mistake)."""
    s = np.concatenate([s_X, s_Y])
    total, n = s.sum(), len(s_X)
    observed = s_X.sum() - s_Y.sum()
    splits = np.array([2 * s[list(half)].sum() - total for half in combinations(range(len(s)), n)])
    hits = {
        "upper": lambda: splits >= observed,
        "strict": lambda: splits > observed,
        "lower": lambda: splits <= observed,
        "two-sided": lambda: np.abs(splits) >= abs(observed),
    }[tail]()
    return int(hits.sum()) if count else float(hits.mean())


_p_mistake = mistakes_of(_p_value)


P_VALUE_MISTAKES = [
    _p_mistake("two-sided",
               ("You computed a two-sided p-value (|S_i| >= |S|): the chapter's test, like Caliskan et al.'s, is "
                "one-sided, the share of splits with S_i >= S."),
               ("Calculaste un valor p de dos colas (|S_i| >= |S|): la prueba del capítulo, como la de Caliskan "
                "et al., es de una cola, la proporción de particiones con S_i >= S."),
               tail="two-sided"),
    _p_mistake("strict inequality",
               ("You counted only the splits with S_i > S: count S_i >= S, so the observed split itself (and every "
                "tie) is included and p is never 0."),
               ("Contaste solo las particiones con S_i > S: cuenta S_i >= S, así se incluyen la partición "
                "observada (y cada empate) y p nunca es 0."),
               tail="strict"),
    _p_mistake("lower tail",
               ("You counted the splits with S_i <= S: the p-value is the share of splits whose S_i is at least "
                "the observed one, S_i >= S."),
               ("Contaste las particiones con S_i <= S: el valor p es la proporción de particiones cuyo S_i es al "
                "menos el observado, S_i >= S."),
               tail="lower"),
    _p_mistake("count, not a share",
               ("You returned the number of splits with S_i >= S: divide by the number of splits, "
                "C(2n, n), to get a p-value in [0, 1]."),
               ("Devolviste el número de particiones con S_i >= S: divide entre el número de particiones, "
                "C(2n, n), para obtener un valor p en [0, 1]."),
               count=True),
]

# Recognised by what it returns, not by a variant: a share of randomly drawn splits.
SAMPLED = Mistake(
    "samples the splits", None,
    ("Your p-values are not exact: an exact test gives k / C(2n, n), and yours are not of that form or change "
     "from one call to the next. Go through every split with itertools.combinations(range(2 * n), n) instead "
     "of drawing random ones."),
    ("Tus valores p no son exactos: una prueba exacta da k / C(2n, n), y los tuyos no tienen esa forma o cambian "
     "de una llamada a otra. Recorre todas las particiones con itertools.combinations(range(2 * n), n) en lugar "
     "de sortearlas."))


def _p_value_cases():
    """Associations on a grid of 1/16 (sums exact in any order, many ties): a clear association,
    a reversed one and a weak one."""
    generator = rng(821)
    grid = lambda size, low, high: generator.integers(low, high, size=size) / 16.0  # noqa: E731
    return [
        (np.array([0.5, 0.25, 0.375, -0.125]), np.array([0.0, -0.25, 0.125, -0.5])),
        (grid(6, -8, 5), grid(6, -4, 9)),
        (grid(5, -6, 7), grid(5, -7, 6)),
    ]


def check_weat_p_value(fn):
    cases = _p_value_cases()
    answers = [scalar(call(fn, *case), "weat_p_value(s_X, s_Y)", "weat_p_value(s_X, s_Y)") for case in cases]
    wrong = diagnose(answers, cases, _p_value, P_VALUE_MISTAKES)
    if not wrong:
        return None
    splits = [comb(2 * len(s_X), len(s_X)) for s_X, _ in cases]
    again = scalar(call(fn, *cases[1]), "weat_p_value(s_X, s_Y)", "weat_p_value(s_X, s_Y)")
    grid = all(abs(p * total - round(p * total)) < 1e-6 for p, total in zip(answers, splits))
    if again != answers[1] or not grid:
        raise Fail(en=SAMPLED.en, es=SAMPLED.es, mistake=SAMPLED.name)
    (s_X, s_Y), got, expected = wrong
    raise Fail(en=(f"weat_p_value(s_X, s_Y) should be {expected:.4f} for s_X = {s_X.tolist()}, s_Y = "
                   f"{s_Y.tolist()}, got {got:.4f}: the share of the {comb(2 * len(s_X), len(s_X))} splits "
                   "into two halves whose S_i is >= the observed S."),
               es=(f"weat_p_value(s_X, s_Y) debería valer {expected:.4f} para s_X = {s_X.tolist()}, s_Y = "
                   f"{s_Y.tolist()} y vale {got:.4f}: la proporción de las {comb(2 * len(s_X), len(s_X))} "
                   "particiones en dos mitades cuyo S_i es >= el S observado."))


QUESTIONS = [
    Question(id="q1", function="shifted_pmi", points=4, check=check_shifted_pmi, mistakes=tuple(SHIFTED_PMI_MISTAKES),
             forbidden=("w2vlib.cooccurrence.pmi", "w2vlib.cooccurrence.ppmi")),
    Question(id="q2", function="weat_effect_size", points=3, check=check_weat_effect_size,
             mistakes=tuple(EFFECT_SIZE_MISTAKES)),
    Question(id="q3", function="weat_p_value", points=3, check=check_weat_p_value,
             mistakes=(*P_VALUE_MISTAKES, SAMPLED), forbidden=("scipy.stats.permutation_test",)),
]
