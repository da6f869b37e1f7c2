"""Checks for exercise 6 (chapter 6, negative sampling): a stable sigmoid and log-sigmoid, and
the skip-gram negative-sampling loss with its gradients (repeated negatives each counted)."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Question, close, rng
from w2vgrade.checks._common import array, call, scalar, unpack

EXTREMES = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])


def _log_sigmoid(x):
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


def _sigmoid(x):
    return np.exp(_log_sigmoid(x))


def _sgns(v_c, o, negatives, U, unique_negatives=False, accumulate=True, assign_positive=False):
    negatives = np.asarray(negatives)
    used = np.unique(negatives) if unique_negatives else negatives
    u_o, u_k = U[o], U[used]
    positive_score, negative_scores = u_o @ v_c, u_k @ v_c
    loss = -_log_sigmoid(positive_score) - _log_sigmoid(-negative_scores).sum()
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
    return float(loss), grad_v_c, grad_U


def _positive_among_negatives(fn):
    """Ordinary scores, the outside word drawn twice as a negative, another negative repeated:
    every term of grad_U[o] matters."""
    v_c, o, _, U = _problem(604)
    negatives = np.array([o, 3, 3, o, 1])
    result = unpack(call(fn, v_c, o, negatives, U), 3, "sgns_loss_and_gradients")
    expected = _sgns(v_c, o, negatives, U)
    got = array(result[2], U.shape, "grad_U", "grad_U")
    if close(got, expected[2]):
        return
    if close(got, _sgns(v_c, o, negatives, U, assign_positive=True)[2]):
        raise Fail(en=("grad_U[o] is wrong when the outside word o is also drawn as a negative: its positive term "
                       "overwrote (=) the negative terms already in that row. Add every term to grad_U (+=)."),
                   es=("grad_U[o] es incorrecto cuando la palabra de contexto o también sale como negativa: su "
                       "término positivo sobrescribió (=) los términos negativos que ya tenía esa fila. Suma cada "
                       "término a grad_U (+=)."))
    raise Fail(en=("With the outside word o also drawn (twice) as a negative, grad_U does not match the reference "
                   f"(max difference {np.abs(got - expected[2]).max():.3g}): row o gets the positive term and one "
                   "negative term per draw."),
               es=("Con la palabra de contexto o sorteada (dos veces) también como negativa, grad_U no coincide "
                   f"con la referencia (diferencia máxima {np.abs(got - expected[2]).max():.3g}): la fila o recibe "
                   "el término positivo y un término negativo por cada sorteo."))


def _elementwise(fn, name, reference, naive_hint_en, naive_hint_es):
    generator = rng(601)
    x = generator.normal(size=(3, 4)) * 3.0
    got = array(call(fn, x), x.shape, f"{name}(x)", f"{name}(x)")
    if not close(got, reference(x)):
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


def check_sigmoid(fn):
    _elementwise(
        fn,
        "sigmoid",
        _sigmoid,
        ("Never evaluate exp of a large positive number: with z = exp(-|x|), σ(x) = 1/(1+z) for x >= 0 and "
         "z/(1+z) for x < 0 (np.where evaluates both branches, so build z first)."),
        ("No evalúes nunca exp de un número positivo grande: con z = exp(-|x|), σ(x) = 1/(1+z) si x >= 0 y "
         "z/(1+z) si x < 0 (np.where evalúa las dos ramas, así que construye z antes)."),
    )


def check_log_sigmoid(fn):
    _elementwise(
        fn,
        "log_sigmoid",
        _log_sigmoid,
        ("np.log(sigmoid(x)) gives -inf when σ(x) rounds to 0: use log σ(x) = min(x, 0) - log(1 + "
         "exp(-|x|)) (np.log1p)."),
        ("np.log(sigmoid(x)) da -inf cuando σ(x) se redondea a 0: usa log σ(x) = min(x, 0) - log(1 + "
         "exp(-|x|)) (np.log1p)."),
    )


def _problem(seed, scale=1.0):
    generator = rng(seed)
    size, n = 6, 4
    U = generator.normal(size=(size, n)) * scale
    v_c = generator.normal(size=n)
    negatives = np.array([2, 5, 2, 2, 1])
    return v_c, 0, negatives, U


def check_sgns_loss_and_gradients(fn):
    v_c, o, negatives, U = _problem(602)
    size, n = U.shape
    loss, grad_v_c, grad_U = unpack(call(fn, v_c, o, negatives, U), 3, "sgns_loss_and_gradients")
    loss = scalar(loss, "the loss J", "la pérdida J")
    expected_loss, expected_v, expected_U = _sgns(v_c, o, negatives, U)
    if not close(loss, expected_loss):
        positive_score, negative_scores = U[o] @ v_c, U[negatives] @ v_c
        if close(loss, -_log_sigmoid(-negative_scores).sum()):
            raise Fail(en="The loss is missing the positive term -log σ(u_o·v_c).",
                       es="A la pérdida le falta el término positivo -log σ(u_o·v_c).")
        if close(loss, -_log_sigmoid(positive_score)):
            raise Fail(en="The loss is missing the negative terms -Σ_k log σ(-u_k·v_c).",
                       es="A la pérdida le faltan los términos negativos -Σ_k log σ(-u_k·v_c).")
        if close(loss, -_log_sigmoid(positive_score) - _log_sigmoid(negative_scores).sum()):
            raise Fail(en=("The negative terms have the wrong sign inside σ: they are log σ(-u_k·v_c), with a "
                           "minus."),
                       es=("Los términos negativos tienen el signo cambiado dentro de σ: son log σ(-u_k·v_c), con "
                           "un menos."))
        if close(loss, -expected_loss):
            raise Fail(en="The loss has the wrong sign: J is a sum of -log terms, so it is positive.",
                       es=("La pérdida tiene el signo cambiado: J es una suma de términos -log, así que es "
                           "positiva."))
        if close(loss, _sgns(v_c, o, negatives, U, unique_negatives=True)[0]):
            raise Fail(en=("A negative drawn several times must be counted each time: sum over all K entries of "
                           "negatives, repeats included (do not use np.unique or a set)."),
                       es=("Un negativo que sale varias veces debe contarse cada vez: suma sobre las K entradas de "
                           "negatives, repeticiones incluidas (no uses np.unique ni un conjunto)."))
        raise Fail(en=f"The loss should be {expected_loss:.6f}, got {loss:.6f}.",
                   es=f"La pérdida debería valer {expected_loss:.6f} y vale {loss:.6f}.")
    if isinstance(grad_U, np.ndarray) and grad_U.shape == (n, size):
        raise Fail(en=(f"grad_U is transposed: it must have the shape of U, (|V|, n) = {(size, n)}, got "
                       f"{grad_U.shape}."),
                   es=(f"grad_U está traspuesto: debe tener la forma de U, (|V|, n) = {(size, n)}, y tiene "
                       f"{grad_U.shape}."))
    grad_v_c = array(grad_v_c, (n,), "grad_v_c", "grad_v_c")
    grad_U = array(grad_U, (size, n), "grad_U", "grad_U")
    for got, expected, name in ((grad_v_c, expected_v, "v_c"), (grad_U, expected_U, "U")):
        if close(got, expected):
            continue
        if close(got, -expected):
            raise Fail(en=(f"The gradient with respect to {name} has the wrong sign: the positive pair contributes "
                           "(σ(u_o·v_c) - 1), each negative +σ(u_k·v_c)."),
                       es=(f"El gradiente respecto de {name} tiene el signo cambiado: el par positivo aporta "
                           "(σ(u_o·v_c) - 1) y cada negativo +σ(u_k·v_c)."))
        if name == "U" and close(got, _sgns(v_c, o, negatives, U, accumulate=False)[2]):
            raise Fail(en=("grad_U counts a repeated negative only once (as grad_U[negatives] += ... does: it "
                           "keeps one update per index). Accumulate each one, with np.add.at(grad_U, negatives, "
                           "...) or a loop."),
                       es=("grad_U cuenta una sola vez un negativo repetido (como hace grad_U[negatives] += ...: "
                           "se queda con una actualización por índice). Acumula cada una, con np.add.at(grad_U, "
                           "negatives, ...) o con un bucle."))
        once_each = _sgns(v_c, o, negatives, U, unique_negatives=True)
        if close(got, once_each[1] if name == "v_c" else once_each[2]):
            raise Fail(en=(f"The gradient with respect to {name} counts each distinct negative once: repeated "
                           "negatives must each be counted."),
                       es=(f"El gradiente respecto de {name} cuenta una sola vez cada negativo distinto: los "
                           "negativos repetidos deben contarse todos."))
        raise Fail(en=(f"The gradient with respect to {name} does not match the reference (max difference "
                       f"{np.abs(got - expected).max():.3g})."),
                   es=(f"El gradiente respecto de {name} no coincide con la referencia (diferencia máxima "
                       f"{np.abs(got - expected).max():.3g})."))
    _positive_among_negatives(fn)
    v_c, o, _, U = _problem(603, scale=400.0)
    negatives = np.array([1, 3, 3, o])
    with np.errstate(all="ignore"):
        result = unpack(call(fn, v_c, o, negatives, U), 3, "sgns_loss_and_gradients")
    expected = _sgns(v_c, o, negatives, U)
    try:
        parts = [np.asarray(part, dtype=np.float64) for part in result]
    except (TypeError, ValueError):
        parts = []
    right = parts and all(
        close(got, want, rtol=1e-6, atol=1e-6) for got, want in zip(parts, expected)
    )
    if not right:
        raise Fail(en=("With dot products of the order of 1000 (and the outside word o also drawn as a negative) "
                       "the loss or the gradients are wrong or not finite (20% of the points lost): use a stable "
                       "log-sigmoid, log σ(x) = min(x, 0) - log1p(exp(-|x|)), not np.log(sigmoid(x))."),
                   es=("Con productos escalares del orden de 1000 (y la palabra de contexto o también sorteada "
                       "como negativa) la pérdida o los gradientes son incorrectos o no son finitos (se pierde el "
                       "20 % de los puntos): usa un log-sigmoide estable, log σ(x) = min(x, 0) - log1p(exp(-|x|)), "
                       "no np.log(sigmoid(x))."),
                   fraction=EXTREME_SCORES_FRACTION)


EXTREME_SCORES_FRACTION = 0.8


QUESTIONS = [
    Question(
        id="q1",
        function="sigmoid",
        points=2,
        check=check_sigmoid,
        forbidden=("w2vlib.losses.sigmoid",),
    ),
    Question(
        id="q2",
        function="log_sigmoid",
        points=2,
        check=check_log_sigmoid,
        forbidden=("w2vlib.losses.log_sigmoid",),
    ),
    Question(
        id="q3",
        function="sgns_loss_and_gradients",
        points=6,
        check=check_sgns_loss_and_gradients,
        helpers={"sigmoid": "w2vlib.losses.sigmoid", "log_sigmoid": "w2vlib.losses.log_sigmoid"},
        forbidden=(
            "w2vlib.losses.sgns_loss_and_gradients",
            "w2vlib.losses.sgns_loss_and_gradients_batch",
            "w2vlib.training.sgns_step",
            "w2vlib.training.sgns_update",
            "w2vlib.losses.sigmoid",
            "w2vlib.losses.log_sigmoid",
        ),
    ),
]
