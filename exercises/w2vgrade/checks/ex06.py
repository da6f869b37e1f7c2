"""Checks for exercise 6 (chapter 6, negative sampling): a stable sigmoid and log-sigmoid, and
the skip-gram negative-sampling loss with its gradients (repeated negatives each counted)."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, close, diagnose, mistakes_of, rng
from w2vgrade.checks._common import (
    array,
    call,
    diagnose_loss,
    right_at,
)
from w2vlib.losses import log_sigmoid as _log_sigmoid
from w2vlib.losses import sigmoid as _sigmoid

EXTREMES = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])


def _sgns(v_c, o, negatives, U, unique_negatives=False, accumulate=True, assign_positive=False,
          positive_term=1.0, negative_terms=1.0, inner_sign=-1.0, loss_sign=1.0, flip_v=1.0, flip_U=1.0):
    """The loss and gradients, or (keywords) one of the mistakes of :data:`SGNS_MISTAKES`."""
    negatives = np.asarray(negatives)
    used = np.unique(negatives) if unique_negatives else negatives
    u_o, u_k = U[o], U[used]
    positive_score, negative_scores = u_o @ v_c, u_k @ v_c
    loss = loss_sign * (-positive_term * _log_sigmoid(positive_score)
                        - negative_terms * _log_sigmoid(inner_sign * negative_scores).sum())
    positive_error = _sigmoid(positive_score) - 1.0
    negative_errors = _sigmoid(negative_scores)
    grad_v_c = positive_error * u_o + negative_errors @ u_k
    grad_U = np.zeros_like(U)
    grad_U[o] += positive_error * v_c
    if accumulate:
        np.add.at(grad_U, used, np.outer(negative_errors, v_c))
    else:
        grad_U[used] += np.outer(negative_errors, v_c)
    if assign_positive:  # the positive row written last with "=", losing o's negative terms
        grad_U[o] = positive_error * v_c
    return float(loss), flip_v * grad_v_c, flip_U * grad_U


_mistake = mistakes_of(_sgns)


SGNS_MISTAKES = [
    _mistake("no positive term", "The loss is missing the positive term -log σ(u_o·v_c).",
             "A la pérdida le falta el término positivo -log σ(u_o·v_c).", positive_term=0.0),
    _mistake("no negative terms", "The loss is missing the negative terms -Σ_k log σ(-u_k·v_c).",
             "A la pérdida le faltan los términos negativos -Σ_k log σ(-u_k·v_c).", negative_terms=0.0),
    _mistake("negative terms sign", "The negative terms have the wrong sign inside σ: they are log σ(-u_k·v_c), "
             "with a minus.", "Los términos negativos tienen el signo cambiado dentro de σ: son log σ(-u_k·v_c), "
             "con un menos.", inner_sign=1.0),
    _mistake("loss sign", "The loss has the wrong sign: J is a sum of -log terms, so it is positive.",
             "La pérdida tiene el signo cambiado: J es una suma de términos -log, así que es positiva.",
             loss_sign=-1.0),
    _mistake("distinct negatives only",
             ("A negative drawn several times must be counted each time: sum over all K entries of negatives, "
              "repeats included (do not use np.unique or a set)."),
             ("Un negativo que sale varias veces debe contarse cada vez: suma sobre las K entradas de negatives, "
              "repeticiones incluidas (no uses np.unique ni un conjunto)."),
             unique_negatives=True),
    _mistake("grad_v_c sign",
             ("The gradient with respect to v_c has the wrong sign: the positive pair contributes (σ(u_o·v_c) - 1), "
              "each negative +σ(u_k·v_c)."),
             ("El gradiente respecto de v_c tiene el signo cambiado: el par positivo aporta (σ(u_o·v_c) - 1) y "
              "cada negativo +σ(u_k·v_c)."),
             flip_v=-1.0),
    _mistake("grad_U sign",
             ("The gradient with respect to U has the wrong sign: the positive pair contributes (σ(u_o·v_c) - 1), "
              "each negative +σ(u_k·v_c)."),
             ("El gradiente respecto de U tiene el signo cambiado: el par positivo aporta (σ(u_o·v_c) - 1) y "
              "cada negativo +σ(u_k·v_c)."),
             flip_U=-1.0),
    _mistake("repeats counted once in grad_U",
             ("grad_U counts a repeated negative only once (as grad_U[negatives] += ... does: it keeps one update "
              "per index). Accumulate each one, with np.add.at(grad_U, negatives, ...) or a loop."),
             ("grad_U cuenta una sola vez un negativo repetido (como hace grad_U[negatives] += ...: se queda con "
              "una actualización por índice). Acumula cada una, con np.add.at(grad_U, negatives, ...) o con un "
              "bucle."),
             accumulate=False),
    _mistake("positive row overwritten",
             ("grad_U[o] is wrong when the outside word o is also drawn as a negative: its positive term overwrote "
              "(=) the negative terms already in that row. Add every term to grad_U (+=)."),
             ("grad_U[o] es incorrecto cuando la palabra de contexto o también sale como negativa: su término "
              "positivo sobrescribió (=) los términos negativos que ya tenía esa fila. Suma cada término a grad_U "
              "(+=)."),
             assign_positive=True),
]


def _elementwise(fn, name, reference, mistakes, naive_hint_en, naive_hint_es):
    x = rng(601).normal(size=(3, 4)) * 3.0
    got = array(call(fn, x), x.shape, f"{name}(x)", f"{name}(x)")
    if diagnose([got], [(x,)], reference, mistakes):
        raise Fail(en=(f"{name}(x) for x={x[0].round(3)} (first row) should be {reference(x)[0].round(4)}, got "
                       f"{got[0].round(4)}."),
                   es=(f"{name}(x) para x={x[0].round(3)} (primera fila) debería ser {reference(x)[0].round(4)} y "
                       f"se obtuvo {got[0].round(4)}."))
    what = f"{name}({EXTREMES.tolist()})"
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            result = fn(EXTREMES.copy())
    except FloatingPointError as error:
        raise Fail(en=f"{what} overflowed or divided by zero ({error}). {naive_hint_en}",
                   es=f"{what} se desbordó o dividió entre cero («{error}»). {naive_hint_es}") from None
    except Exception:
        result = call(fn, EXTREMES.copy())
    got = array(result, EXTREMES.shape, what, what)
    if not close(got, reference(EXTREMES)):
        raise Fail(en=f"{what} should be {reference(EXTREMES)}, got {got}. {naive_hint_en}",
                   es=f"{what} debería ser {reference(EXTREMES)} y se obtuvo {got}. {naive_hint_es}")


SIGMOID_MISTAKES = [
    Mistake("branches swapped", lambda x: _sigmoid(-x),
            "You computed σ(-x): for x >= 0, σ(x) = 1/(1+z) with z = exp(-|x|), and z/(1+z) for x < 0.",
            "Calculaste σ(-x): si x >= 0, σ(x) = 1/(1+z) con z = exp(-|x|), y z/(1+z) si x < 0."),
]


def check_sigmoid(fn):
    _elementwise(fn, "sigmoid", _sigmoid, SIGMOID_MISTAKES,
                 ("Never evaluate exp of a large positive number: with z = exp(-|x|), σ(x) = 1/(1+z) for x >= 0 "
                  "and z/(1+z) for x < 0 (np.where evaluates both branches, so build z first)."),
                 ("No evalúes nunca exp de un número positivo grande: con z = exp(-|x|), σ(x) = 1/(1+z) si x >= 0 "
                  "y z/(1+z) si x < 0 (np.where evalúa las dos ramas, así que construye z antes)."))


def check_log_sigmoid(fn):
    _elementwise(fn, "log_sigmoid", _log_sigmoid, [],
                 ("np.log(sigmoid(x)) gives -inf when σ(x) rounds to 0: use log σ(x) = min(x, 0) - log(1 + "
                  "exp(-|x|)) (np.log1p)."),
                 ("np.log(sigmoid(x)) da -inf cuando σ(x) se redondea a 0: usa log σ(x) = min(x, 0) - log(1 + "
                  "exp(-|x|)) (np.log1p)."))


def _problem(seed, negatives, scale=1.0):
    """Six words; ``negatives`` may repeat, and may hold the outside word o = 0."""
    generator = rng(seed)
    U = generator.normal(size=(6, 4)) * scale
    return generator.normal(size=4), 0, np.asarray(negatives), U


EXTREME_SCORES_FRACTION = 0.8


def check_sgns_loss_and_gradients(fn):
    cases = [_problem(602, [2, 5, 2, 2, 1]), _problem(604, [0, 3, 3, 0, 1])]
    diagnose_loss(fn, cases, _sgns, SGNS_MISTAKES, lambda case: [(4,), (6, 4)], ["v_c", "U"])
    case = _problem(603, [1, 3, 3, 0], scale=400.0)
    if not right_at(fn, case, _sgns(*case)):
        raise Fail(en=("With dot products of the order of 1000 (and the outside word o also drawn as a negative) "
                       "the loss or the gradients are wrong or not finite (20% of the points lost): use a stable "
                       "log-sigmoid, log σ(x) = min(x, 0) - log1p(exp(-|x|)), not np.log(sigmoid(x))."),
                   es=("Con productos escalares del orden de 1000 (y la palabra de contexto o también sorteada "
                       "como negativa) la pérdida o los gradientes son incorrectos o no son finitos (se pierde el "
                       "20 % de los puntos): usa un log-sigmoide estable, log σ(x) = min(x, 0) - log1p(exp(-|x|)), "
                       "no np.log(sigmoid(x))."),
                   fraction=EXTREME_SCORES_FRACTION)


QUESTIONS = [
    Question(id="q1", function="sigmoid", points=2, check=check_sigmoid, forbidden=("w2vlib.losses.sigmoid",),
             mistakes=tuple(SIGMOID_MISTAKES)),
    Question(id="q2", function="log_sigmoid", points=2, check=check_log_sigmoid,
             forbidden=("w2vlib.losses.log_sigmoid",)),
    Question(id="q3", function="sgns_loss_and_gradients", points=6, check=check_sgns_loss_and_gradients,
             helpers={"sigmoid": "w2vlib.losses.sigmoid", "log_sigmoid": "w2vlib.losses.log_sigmoid"},
             forbidden=("w2vlib.losses.sgns_loss_and_gradients", "w2vlib.losses.sgns_loss_and_gradients_batch",
                        "w2vlib.training.sgns_step", "w2vlib.training.sgns_update", "w2vlib.losses.sigmoid",
                        "w2vlib.losses.log_sigmoid"),
             mistakes=tuple(SGNS_MISTAKES)),
]
