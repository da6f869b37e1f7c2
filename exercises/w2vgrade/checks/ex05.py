"""Checks for exercise 5 (chapter 5, the softmax model): a numerically stable softmax and the
loss J = -log softmax(U v_c)_o with its gradients with respect to v_c and U."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, diagnose, mistakes_of, rng
from w2vgrade.checks._common import (
    array,
    call,
    diagnose_loss,
    right_at,
)


def _softmax(x, axis=-1, normalise=True):
    """The reference softmax, or (keywords) one of the mistakes of :data:`SOFTMAX_MISTAKES`."""
    exponentials = np.exp(x - x.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=axis, keepdims=True) if normalise else exponentials


SOFTMAX_MISTAKES = [
    Mistake("not normalised", lambda x: _softmax(x, normalise=False),
            "You returned the exponentials without dividing by their sum: the probabilities must add up to 1.",
            "Devolviste las exponenciales sin dividir entre su suma: las probabilidades deben sumar 1."),
    Mistake("wrong axis", lambda x: _softmax(x, axis=0),
            ("For a 2-D X your columns sum to 1 (wrong axis). Each ROW is a score vector: normalise along "
             "axis=-1."),
            ("Para una X 2-D tus columnas suman 1 (eje equivocado). Cada FILA es un vector de puntuaciones: "
             "normaliza a lo largo de axis=-1.")),
]


def _loss_and_gradients(v_c, o, U, loss_of=lambda log_y_hat, o: -log_y_hat[o], subtract=1.0, flip_v=1.0,
                        flip_U=1.0):
    """The loss and gradients, or (keywords) one of the mistakes of :data:`LOSS_MISTAKES`."""
    scores = U @ v_c
    shifted = scores - scores.max()
    log_y_hat = shifted - np.log(np.exp(shifted).sum())
    delta = np.exp(log_y_hat)
    delta[o] -= subtract
    return float(loss_of(log_y_hat, o)), flip_v * U.T @ delta, flip_U * np.outer(delta, v_c)


_mistake = mistakes_of(_loss_and_gradients)


LOSS_MISTAKES = [
    _mistake("loss is the probability",
             "The loss is the probability ŷ_o itself: J = -log ŷ_o (the -log term is missing).",
             "La pérdida es la propia probabilidad ŷ_o: J = -log ŷ_o (falta el término -log).",
             loss_of=lambda log_y_hat, o: np.exp(log_y_hat[o])),
    _mistake("loss sign",
             "The loss has the wrong sign: J = -log ŷ_o is positive (a negative log-likelihood).",
             "La pérdida tiene el signo cambiado: J = -log ŷ_o es positiva (una log-verosimilitud negativa).",
             loss_of=lambda log_y_hat, o: log_y_hat[o]),
    _mistake("grad_v_c sign",
             "The gradient with respect to v_c has the wrong sign: it is U^T (ŷ - y), not U^T (y - ŷ).",
             "El gradiente respecto de v_c tiene el signo cambiado: es U^T (ŷ - y), no U^T (y - ŷ).",
             flip_v=-1.0),
    _mistake("grad_U sign",
             "The gradient with respect to U has the wrong sign: it is (ŷ - y) v_c^T, not (y - ŷ) v_c^T.",
             "El gradiente respecto de U tiene el signo cambiado: es (ŷ - y) v_c^T, no (y - ŷ) v_c^T.",
             flip_U=-1.0),
    _mistake("y not subtracted",
             "The gradients use ŷ instead of ŷ - y: subtract 1 at the true word o.",
             "Los gradientes usan ŷ en lugar de ŷ - y: resta 1 en la palabra verdadera o.",
             subtract=0.0),
]


def check_softmax(fn):
    generator = rng(501)
    cases = [(generator.normal(size=6),), (np.array([1000.0, 999.0, 998.0]),),
             (np.array([-1000.0, -1001.0, -1003.0]),),
             (np.vstack([generator.normal(size=5), generator.normal(size=5), [1000.0, 999.0, 0.0, -5.0, 998.0],
                         [-1000.0, -1002.0, -999.0, -1001.0, -1000.5]]),)]
    answers = []
    for x, in cases:
        what = what_es = f"softmax({x.round(3).tolist()})"
        if x.ndim == 2:
            what = f"softmax(X) for a 2-D X of shape {x.shape}"
            what_es = f"softmax(X) para una X 2-D de forma {x.shape}"
        with np.errstate(all="ignore"):
            result = call(fn, x)
        if isinstance(result, np.ndarray) and result.shape == x.shape and result.dtype.kind in "biuf" and not np.all(
                np.isfinite(result)):
            if x.ndim == 2:
                raise Fail(en=(f"{what} gives nan: subtract each row's own maximum (x.max(axis=-1, keepdims=True)), "
                               "not the maximum of the whole array."),
                           es=(f"{what_es} da nan: resta el máximo de cada fila (x.max(axis=-1, keepdims=True)), no el "
                               "máximo de todo el array."))
            raise Fail(en=(f"{what} gives nan or inf for large scores: exp overflows. Subtract the maximum score "
                           "first (softmax(x) = softmax(x - max x))."),
                       es=(f"{what} da nan o inf con puntuaciones grandes: exp se desborda. Resta primero la "
                           "puntuación máxima (softmax(x) = softmax(x - max x))."))
        answers.append(array(result, x.shape, what, what_es))
    wrong = diagnose(answers, cases, _softmax, SOFTMAX_MISTAKES)
    if wrong:
        (x,), got, expected = wrong
        raise Fail(en=f"softmax(x) for x =\n{x.round(3)}\nshould be\n{_softmax(x).round(4)}\ngot\n{got.round(4)}",
                   es=f"softmax(x) para x =\n{x.round(3)}\ndebería ser\n{_softmax(x).round(4)}\ny es\n{got.round(4)}")


def _problem(scale, seed):
    generator = rng(seed)
    size, n = 7, 4
    U = generator.normal(size=(size, n)) * scale
    v_c = generator.normal(size=n)
    return v_c, 3, U


def check_softmax_loss_and_gradients(fn):
    diagnose_loss(fn, [_problem(1.0, 502)], _loss_and_gradients, LOSS_MISTAKES, lambda case: [(4,), (7, 4)],
                  ["v_c", "U"])
    v_c, _, U = _problem(1.0, 503)
    U = U * (1000.0 / (U @ v_c).max())  # the largest score is exactly 1000
    scores = U @ v_c
    largest, middle = int(np.argmax(scores)), int(np.argsort(scores)[len(scores) // 2])
    if not right_at(fn, (v_c, largest, U), _loss_and_gradients(v_c, largest, U), atol=1e-6):
        raise Fail(en=("With scores U v_c of the order of 1000 the loss or the gradients are not finite or not "
                       "right: exp overflows. Subtract the maximum score before exponentiating."),
                   es=("Con puntuaciones U v_c del orden de 1000 la pérdida o los gradientes no son finitos o no "
                       "son correctos: exp se desborda. Resta la puntuación máxima antes de exponenciar."))
    if not right_at(fn, (v_c, middle, U), _loss_and_gradients(v_c, middle, U), atol=1e-6):
        raise Fail(en=("With scores of the order of 1000, ŷ_o underflows to 0 and -log ŷ_o becomes inf (20% of the "
                       "points lost): compute log ŷ_o = s_o - max(s) - log Σ exp(s - max(s)) instead of taking the "
                       "log of a probability."),
                   es=("Con puntuaciones del orden de 1000, ŷ_o se redondea a 0 y -log ŷ_o se vuelve inf (se "
                       "pierde el 20 % de los puntos): calcula log ŷ_o = s_o - max(s) - log Σ exp(s - max(s)) en "
                       "vez de tomar el logaritmo de una probabilidad."),
                   fraction=UNDERFLOW_FRACTION)


UNDERFLOW_FRACTION = 0.8


QUESTIONS = [
    Question(id="q1", function="softmax", points=3, check=check_softmax, forbidden=("w2vlib.losses.softmax",),
             mistakes=tuple(SOFTMAX_MISTAKES)),
    Question(id="q2", function="softmax_loss_and_gradients", points=7, check=check_softmax_loss_and_gradients,
             helpers={"softmax": "w2vlib.losses.softmax"},
             forbidden=("w2vlib.losses.softmax_loss_and_gradients", "w2vlib.losses.softmax_loss_and_gradients_batch",
                        "w2vlib.losses.softmax", "w2vlib.training.softmax_step"),
             mistakes=tuple(LOSS_MISTAKES)),
]
