"""Checks for exercise 9 (chapter 9, two languages): unit (and centred) rows, the orthogonal
Procrustes map Q = L R^T from the SVD of X^T Y, and precision@k of a score matrix."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, close, diagnose, rng
from w2vgrade.checks._common import array, call, scalar


def _unit(A):
    return A / np.linalg.norm(A, axis=1, keepdims=True)


def _vectors(seed):
    """Rows of different lengths sharing a common direction, so that centring matters."""
    generator = rng(seed)
    return generator.normal(size=(8, 5)) * generator.uniform(0.5, 3.0, size=(8, 1)) + 2.0


def _centred(first=_unit, after=_unit):
    """normalize with the first scaling ``first`` and the last ``after`` (one mistake each)."""
    def normalize(X, center):
        X = first(X)
        return after(X - X.mean(axis=0)) if center else X
    return normalize


_normalize = _centred()
NORMALIZE_MISTAKES = [
    Mistake("X unchanged", lambda X, center: X,
            "You return X unchanged: scale each row to length 1, X / np.linalg.norm(X, axis=1, keepdims=True).",
            ("Devuelves X sin cambios: lleva cada fila a longitud 1, X / np.linalg.norm(X, axis=1, "
             "keepdims=True).")),
    Mistake("always centres", lambda X, center: _normalize(X, True),
            "You centre the rows even with center=False: then only scale each row to length 1.",
            "Centras las filas también con center=False: entonces solo hay que llevar cada fila a longitud 1."),
    Mistake("columns", _centred(first=lambda X: X / np.linalg.norm(X, axis=0, keepdims=True)),
            ("You divide each column by its norm (axis=0). A word vector is a row: divide each row by its own "
             "length, np.linalg.norm(X, axis=1, keepdims=True)."),
            ("Divides cada columna por su norma (axis=0). Un vector de palabra es una fila: divide cada fila por "
             "su longitud, np.linalg.norm(X, axis=1, keepdims=True).")),
    Mistake("ignores center", lambda X, center: _unit(X),
            "You ignore center=True: subtract the mean row, then normalise again.",
            "No haces caso de center=True: resta la fila media y normaliza otra vez."),
    Mistake("not normalised again", _centred(after=lambda X: X),
            ("Your centred vectors are unnormalised: after subtracting the mean the rows are no longer of length 1, "
             "so normalise them again (unit, centre, unit)."),
            ("Tus vectores centrados están sin normalizar: tras restar la media las filas ya no tienen longitud 1, "
             "así que normalízalas otra vez (unidad, centrar, unidad).")),
    Mistake("centres the raw vectors", lambda X, center: _unit(X - X.mean(axis=0)) if center else _unit(X),
            ("You centre the raw vectors: first scale every row to length 1, then subtract the mean row, then "
             "normalise again."),
            ("Centras los vectores originales: primero lleva cada fila a longitud 1, luego resta la fila media y "
             "después normaliza otra vez.")),
]


def check_normalize(fn):
    X = _vectors(901)
    cases = [(X, False), (X, True)]
    answers = [array(call(fn, X, center=center), X.shape, f"normalize(X, center={center})",
                     f"normalize(X, center={center})") for X, center in cases]
    wrong = diagnose(answers, cases, _normalize, NORMALIZE_MISTAKES)
    if wrong:
        (_, center), got, expected = wrong
        what, gap = f"normalize(X, center={center})", np.abs(got - expected).max()
        raise Fail(en=f"{what} does not match the reference (max difference {gap:.3g}).",
                   es=f"{what} no coincide con la referencia (diferencia máxima {gap:.3g}).")


def _pairs(seed, m=40, n=6):
    """Source rows X and target rows Y = X Q_true + noise: a turned copy, as in chapter 9."""
    generator = rng(seed)
    X = generator.normal(size=(m, n))
    turn, _ = np.linalg.qr(generator.normal(size=(n, n)))
    Y = X @ turn + 0.3 * generator.normal(size=(m, n))
    return X, Y


def _procrustes(X, Y, keep_singular_values=False):
    L, singular_values, Rt = np.linalg.svd(X.T @ Y)
    return L @ np.diag(singular_values) @ Rt if keep_singular_values else L @ Rt


PROCRUSTES_MISTAKES = [
    Mistake("transposed", lambda X, Y: _procrustes(X, Y).T,
            ("Q is transposed: word vectors are rows and the map acts on the right, X @ Q ≈ Y, so Q = L R^T with "
             "X^T Y = L Σ R^T (the SVD of X.T @ Y, not of Y.T @ X)."),
            ("Q está traspuesta: los vectores de palabra son filas y la transformación actúa por la derecha, "
             "X @ Q ≈ Y, así que Q = L R^T con X^T Y = L Σ R^T (la SVD de X.T @ Y, no de Y.T @ X).")),
    Mistake("least squares", lambda X, Y: np.linalg.lstsq(X, Y, rcond=None)[0],
            ("Q is the least-squares map A = (X^T X)^{-1} X^T Y, which is not orthogonal. Restrict to orthogonal "
             "maps: Q = L R^T from the SVD X^T Y = L Σ R^T."),
            ("Q es la transformación de mínimos cuadrados A = (X^T X)^{-1} X^T Y, que no es ortogonal. Restringe "
             "a transformaciones ortogonales: Q = L R^T a partir de la SVD X^T Y = L Σ R^T.")),
    Mistake("keeps the singular values", lambda X, Y: _procrustes(X, Y, keep_singular_values=True),
            "Q keeps the singular values: L Σ R^T is X^T Y itself. Drop Σ: Q = L R^T is orthogonal.",
            "Q conserva los valores singulares: L Σ R^T es la propia X^T Y. Quita Σ: Q = L R^T es ortogonal."),
]


def check_procrustes(fn):
    X, Y = _pairs(902)
    n = X.shape[1]
    Q = call(fn, X, Y)
    if isinstance(Q, np.ndarray) and Q.shape == (X.shape[0], X.shape[0]):
        raise Fail(en=f"Q has shape {Q.shape}, (m, m): take the SVD of the (n, n) matrix X.T @ Y, not of X @ Y.T.",
                   es=f"Q tiene forma {Q.shape}, (m, m): calcula la SVD de la matriz (n, n) X.T @ Y, no de X @ Y.T.")
    Q = array(Q, (n, n), "Q", "Q")
    if not diagnose([Q], [(X, Y)], _procrustes, PROCRUSTES_MISTAKES,
                    same=lambda got, expected: close(got, expected, rtol=1e-6, atol=1e-8)):
        return
    gap = np.abs(Q.T @ Q - np.eye(n)).max()
    if gap > 1e-6:
        raise Fail(en=f"Q is not orthogonal: max |Q^T Q - I| = {gap:.3g}. Q = L R^T from the SVD of X^T Y.",
                   es=f"Q no es ortogonal: máx. |Q^T Q - I| = {gap:.3g}. Q = L R^T a partir de la SVD de X^T Y.")
    best = np.linalg.norm(X @ _procrustes(X, Y) - Y)
    raise Fail(en=(f"Q is orthogonal but not the best one: ||XQ - Y||_F = {np.linalg.norm(X @ Q - Y):.4f}, the "
                   f"minimum is {best:.4f}. Q = L R^T from X^T Y = L Σ R^T."),
               es=(f"Q es ortogonal pero no la mejor: ||XQ - Y||_F = {np.linalg.norm(X @ Q - Y):.4f} y el "
                   f"mínimo es {best:.4f}. Q = L R^T con X^T Y = L Σ R^T."))


RANKS = [1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 6, 7, 8, 9, 1, 2, 11, 12]


def _ranking_problem(seed, queries=len(RANKS), words=12):
    """Scores without ties and, for query i, the column whose rank is RANKS[i] (1 = best)."""
    generator = rng(seed)
    scores = generator.normal(size=(queries, words))
    order = np.argsort(-scores, axis=1)
    gold = np.array([order[i, rank - 1] for i, rank in enumerate(generator.permutation(RANKS))])
    return scores, gold


def _share(scores, gold, low, high):
    """Share of queries whose correct column has rank in [low, high] (1 = best)."""
    ranks = 1 + np.sum(scores > scores[np.arange(len(gold)), gold][:, None], axis=1)
    return float(np.mean((low <= ranks) & (ranks <= high)))


def _precision(scores, gold, k, low=1, high=0, per_k=False):
    """Share of queries whose correct column has rank in [low, k + high] (1 = best)."""
    return _share(scores, gold, low, k + high) / (k if per_k else 1)


PRECISION_MISTAKES = [
    Mistake("top k + 1", lambda *case: _precision(*case, high=1),
            ("You are off by one: you count a hit among the best k + 1 words. Take the first k columns of the ranking, "
             "[:k]."),
            ("Cuentas una de más: cuentas un acierto entre las k + 1 mejores palabras. Toma las k primeras columnas "
             "de la ordenación, [:k].")),
    Mistake("top k - 1", lambda *case: _precision(*case, high=-1),
            ("You are off by one: you count a hit among the best k - 1 words only. Take the first k columns of the "
             "ranking, [:k]."),
            ("Cuentas una de menos: solo cuentas aciertos entre las k - 1 mejores palabras. Toma las k primeras "
             "columnas de la ordenación, [:k].")),
    Mistake("skips the best", lambda *case: _precision(*case, low=2, high=1),
            ("You skip the best-scored word, as if it were the query word itself. The queries are source words "
             "and the columns target words, so there is no query word to exclude: the best k columns, starting "
             "with the best, are the candidates."),
            ("Te saltas la palabra con mejor puntuación, como si fuera la propia palabra de la consulta. Las "
             "consultas son palabras de origen y las columnas palabras de destino, así que no hay palabra de la "
             "consulta que excluir: las k mejores columnas, empezando por la mejor, son las candidatas.")),
    Mistake("lowest scores", lambda scores, gold, k: _share(scores, gold, scores.shape[1] - k + 1, scores.shape[1]),
            ("You look at the k lowest scores: sort in decreasing order (np.argsort(-scores, axis=1)); a higher "
             "score is a better candidate."),
            ("Miras las k puntuaciones más bajas: ordena de mayor a menor (np.argsort(-scores, axis=1)); una "
             "puntuación más alta es una candidata mejor.")),
    Mistake("divides by k", lambda *case: _precision(*case, per_k=True),
            ("You divide by k as well: precision@k is the share of queries with a hit in their top k, so divide "
             "by the number of queries only."),
            ("Divides también entre k: la precisión@k es la proporción de consultas con un acierto entre sus k "
             "mejores, así que divide solo entre el número de consultas.")),
]


def check_precision_at_k(fn):
    scores, gold = _ranking_problem(903)
    cases = [(scores, gold, k) for k in (3, 1, 5, scores.shape[1])]
    answers = []
    for case in cases:
        what = f"precision_at_k(scores, gold, k={case[2]})"
        got = call(fn, *case)
        if isinstance(got, (int, np.integer)) and not isinstance(got, bool) and got > 1:
            raise Fail(en=(f"{what} returned {got}, a number of queries: precision@k is a share, divide by the "
                           f"number of queries ({len(gold)})."),
                       es=(f"{what} devolvió {got}, un número de consultas: la precisión@k es una proporción, "
                           f"divide entre el número de consultas ({len(gold)})."))
        answers.append(scalar(got, what, what))
    wrong = diagnose(answers, cases, _precision, PRECISION_MISTAKES)
    if wrong:
        (_, _, k), got, expected = wrong
        raise Fail(en=f"precision_at_k(scores, gold, k={k}) should be {expected:.3f}, got {got:.3f}.",
                   es=f"precision_at_k(scores, gold, k={k}) debería valer {expected:.3f} y vale {got:.3f}.")


QUESTIONS = [
    Question(id="q1", function="normalize", points=2, check=check_normalize,
             forbidden=("w2vlib.crosslingual.normalize_embeddings",), mistakes=tuple(NORMALIZE_MISTAKES)),
    Question(id="q2", function="procrustes", points=4, check=check_procrustes,
             forbidden=("w2vlib.crosslingual.procrustes", "scipy.linalg.orthogonal_procrustes"),
             mistakes=tuple(PROCRUSTES_MISTAKES)),
    Question(id="q3", function="precision_at_k", points=4, check=check_precision_at_k,
             forbidden=("w2vlib.crosslingual.precision_at_k", "w2vlib.crosslingual.translation_precision"),
             mistakes=tuple(PRECISION_MISTAKES)),
]
