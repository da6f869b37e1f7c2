"""Checks for exercise 7 (chapter 7, training): an in-place SGD update, one SGNS step on the
centre column v_c = V[:, c] and the context rows of U, and a small seeded training loop."""

from __future__ import annotations

from collections import Counter

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, Recorder, close, diagnose, rng
from w2vgrade.checks._common import array, call, same_parts, scalar, unpack


def library_step(V, U, c, o, negatives, lr):
    """A correct SGNS step on v_c = V[:, c] and the rows of U, returning the loss before it:
    the reference of q2 and, recorded, the ``step`` handed to the student's train_toy in q3
    (it runs in the student process, so it imports what it uses)."""
    import numpy as np

    def log_sigmoid(x):
        return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))

    c, o, rows = int(c), int(o), np.asarray(negatives, dtype=int).ravel()
    v_c, u_o = V[:, c].copy(), U[o].copy()
    positive, negative = u_o @ v_c, U[rows] @ v_c
    loss = float(-log_sigmoid(positive) - log_sigmoid(-negative).sum())
    positive_error, negative_errors = np.exp(log_sigmoid(positive)) - 1.0, np.exp(log_sigmoid(negative))
    grad_U = np.zeros_like(U)
    grad_U[o] += positive_error * v_c
    np.add.at(grad_U, rows, np.outer(negative_errors, v_c))
    V[:, c] -= lr * (positive_error * u_o + negative_errors @ U[rows])
    U -= lr * grad_U
    return loss


def check_sgd_update(fn):
    generator = rng(701)
    param, grad = generator.normal(size=(3, 4)), generator.normal(size=(3, 4))
    before, grad_before, lr = param.copy(), grad.copy(), 0.1
    returned = call(fn, param, grad, lr, mutates=True)
    if not np.array_equal(grad, grad_before):
        raise Fail(en="sgd_update modified grad: only param changes.",
                   es="sgd_update modificó grad: solo cambia param.")
    if np.array_equal(param, before):
        if isinstance(returned, np.ndarray) and close(returned, before - lr * grad):
            raise Fail(en=("You computed the new values in a new array, but param itself did not change: update it "
                           "in place with param -= lr * grad."),
                       es=("Calculaste los valores nuevos en un array nuevo, pero param no cambió: actualízalo en "
                           "el sitio con param -= lr * grad."))
        raise Fail(en="param did not change: sgd_update must update it in place (param -= lr * grad).",
                   es="param no cambió: sgd_update debe actualizarlo en el sitio (param -= lr * grad).")
    if diagnose([param], [(before, grad, lr)], lambda param, grad, lr: param - lr * grad, UPDATE_MISTAKES):
        raise Fail(en="After sgd_update, param should equal its old value minus lr * grad.",
                   es="Tras sgd_update, param debería valer su valor anterior menos lr * grad.")
    matrix = generator.normal(size=(3, 5))
    expected, column_grad = matrix.copy(), generator.normal(size=3)
    expected[:, 2] -= 0.5 * column_grad
    call(fn, matrix[:, 2], column_grad, 0.5, mutates=True)
    if not close(matrix, expected):
        raise Fail(en=("Updating a column view, sgd_update(V[:, 2], g, lr) must change V itself: use an in-place "
                       "operation (-=), not param = param - ...."),
                   es=("Al actualizar una vista de columna, sgd_update(V[:, 2], g, lr) debe cambiar V: usa una "
                       "operación en el sitio (-=), no param = param - ...."))


UPDATE_MISTAKES = [
    Mistake("gradient ascent", lambda param, grad, lr: param + lr * grad,
            "You moved param along the gradient: gradient DEScent subtracts, param -= lr * grad.",
            "Moviste param en la dirección del gradiente: el DEScenso por gradiente resta, param -= lr * grad."),
    Mistake("no learning rate", lambda param, grad, lr: param - grad,
            "The learning rate is missing: the step is lr * grad.",
            "Falta la tasa de aprendizaje: el paso es lr * grad."),
]


def _step_problem(seed):
    generator = rng(seed)
    V, U = generator.normal(size=(3, 5)), generator.normal(size=(5, 3))
    return V, U, 1, 4, np.array([0, 2, 2]), 0.2


def _step(V, U, c, o, negatives, lr, sign_V=1.0, sign_U=1.0):
    """(loss, V, U) after a step, or (keywords) one of the mistakes of :data:`STEP_MISTAKES`."""
    new_V, new_U = V.copy(), U.copy()
    loss = library_step(new_V, new_U, c, o, negatives, lr)
    return loss, V + sign_V * (new_V - V), U + sign_U * (new_U - U)


STEP_MISTAKES = [
    Mistake("V ascent", lambda *case: _step(*case, sign_V=-1.0),
            "v_c moved along the gradient instead of against it: V[:, c] -= lr * grad_v_c.",
            "v_c se movió en la dirección del gradiente en vez de la contraria: V[:, c] -= lr * grad_v_c."),
    Mistake("U ascent", lambda *case: _step(*case, sign_U=-1.0),
            "U moved along the gradient instead of against it: U -= lr * grad_U.",
            "U se movió en la dirección del gradiente en vez de la contraria: U -= lr * grad_U."),
    Mistake("U not updated", lambda *case: _step(*case, sign_U=0.0),
            "U did not change: the context vectors u_o and u_k also take a step -lr * grad_U, in place.",
            "U no cambió: los vectores de contexto u_o y u_k también dan un paso -lr * grad_U, en el sitio."),
]


def check_sgns_sgd_step(fn):
    case = _step_problem(702)
    V, U, c = case[0].copy(), case[1].copy(), case[2]
    try:
        loss = fn(V, U, *case[2:])
    except (ValueError, IndexError) as error:
        raise Fail(
            en=(f"sgns_sgd_step raised {type(error).__name__}: {error}. Remember V is n × |V| = {V.shape}: "
                "the centre vector is the COLUMN V[:, c], while u_o is the ROW U[o]."),
            es=(f"sgns_sgd_step lanzó {type(error).__name__} («{error}»). Recuerda que V es n × |V| = "
                f"{V.shape}: el vector central es la COLUMNA V[:, c], mientras que u_o es la FILA U[o]."),
        ) from None
    except Exception:
        loss = call(fn, V.copy(), U.copy(), *case[2:], mutates=True)
    loss = scalar(loss, "the loss returned by sgns_sgd_step", "la pérdida que devuelve sgns_sgd_step")
    if np.array_equal(V, case[0]) and np.array_equal(U, case[1]):
        raise Fail(en="V and U did not change: sgns_sgd_step must update them in place.",
                   es="V y U no cambiaron: sgns_sgd_step debe actualizarlos en el sitio.")
    untouched = [column for column in range(V.shape[1]) if column != c]
    if not np.array_equal(V[:, untouched], case[0][:, untouched]):
        raise Fail(en=(f"Columns of V other than c = {c} changed: only the centre vector v_c = V[:, c] gets a "
                       "gradient (V is n × |V|, words are columns)."),
                   es=(f"Cambiaron columnas de V distintas de c = {c}: solo el vector central v_c = V[:, c] recibe "
                       "gradiente (V es n × |V|, las palabras son columnas)."))
    wrong = diagnose([(loss, V, U)], [case], _step, STEP_MISTAKES, same=same_parts)
    if wrong:
        expected_loss = _step(*case)[0]
        if not close(loss, expected_loss):
            raise Fail(en=(f"sgns_sgd_step should return the loss before the update, {expected_loss:.6f}, got "
                           f"{loss:.6f}."),
                       es=(f"sgns_sgd_step debería devolver la pérdida antes de la actualización, "
                           f"{expected_loss:.6f}, y devolvió {loss:.6f}."))
        raise Fail(en=("The new V[:, c] and U are not v_c - lr * grad_v_c and U - lr * grad_U, with both gradients "
                       "computed at the old parameters (compute them before changing anything)."),
                   es=("Los nuevos V[:, c] y U no son v_c - lr * grad_v_c y U - lr * grad_U, con los dos gradientes "
                       "calculados en los parámetros antiguos (calcúlalos antes de cambiar nada)."))


SENTENCES = [[0, 1, 2, 3], [0, 1, 4, 5], [2, 3, 0, 1], [4, 5, 2, 3]]


def _toy_problem():
    pairs = np.array(
        [
            (sentence[t], sentence[j])
            for sentence in SENTENCES
            for t in range(len(sentence))
            for j in (t - 1, t + 1)
            if 0 <= j < len(sentence)
        ]
    )
    counts = np.array([4.0, 3.0, 4.0, 3.0, 2.0, 2.0, 0.0])
    noise = counts**0.75 / (counts**0.75).sum()
    return pairs, noise


def _train(fn, seed):
    pairs, noise = _toy_problem()
    step = Recorder(library_step)
    result = unpack(call(fn, pairs, noise, 5, 3, 0.2, 4, rng(seed), step=step), 3, "train_toy")
    return result, step


def check_train_toy(fn):
    pairs, noise = _toy_problem()
    n, K, lr, epochs, size = 5, 3, 0.2, 4, len(noise)
    (V, U, losses), step = _train(fn, 710)
    same_V, same_U = step.identity(V), step.identity(U)
    V = array(V, (n, size), "the returned V", "la V devuelta")
    U = array(U, (size, n), "the returned U", "la U devuelta")
    if isinstance(losses, np.ndarray):
        losses = losses.tolist()
    if not isinstance(losses, list) or len(losses) != epochs:
        raise Fail(en=f"losses must be a list with one mean loss per epoch ({epochs} values), got {losses!r:.80}.",
                   es=(f"losses debe ser una lista con una pérdida media por época ({epochs} valores) y es "
                       f"{losses!r:.80}."))
    losses = [scalar(value, "each epoch loss", "cada pérdida de época") for value in losses]
    calls = [call_.arguments for call_ in step.calls]
    if len(calls) != epochs * len(pairs):
        raise Fail(en=(f"step was called {len(calls)} times; expected once per pair and epoch, {epochs} × "
                       f"{len(pairs)} = {epochs * len(pairs)}."),
                   es=(f"step se llamó {len(calls)} veces; se esperaba una vez por par y época, {epochs} × "
                       f"{len(pairs)} = {epochs * len(pairs)}."))
    first_V, first_U = np.asarray(calls[0]["V"]), np.asarray(calls[0]["U"])
    if first_V.shape != (n, size) or first_U.shape != (size, n):
        raise Fail(en=(f"step must receive V with shape (n, |V|) = {(n, size)} and U with shape (|V|, n) = "
                       f"{(size, n)}."),
                   es=f"step debe recibir V con forma (n, |V|) = {(n, size)} y U con forma (|V|, n) = {(size, n)}.")
    initialised = np.all(first_U == 0.0) and np.all(np.abs(first_V) <= 0.5 / n) and np.any(first_V)
    if not initialised:
        raise Fail(en=("Initialise V with rng.uniform(-0.5, 0.5, size=(n, |V|)) / n and U with zeros, as word2vec "
                       f"does (n = {n})."),
                   es=("Inicializa V con rng.uniform(-0.5, 0.5, size=(n, |V|)) / n y U con ceros, como hace "
                       f"word2vec (n = {n})."))
    ids = [(call_.ids.get("V"), call_.ids.get("U")) for call_ in step.calls]
    if len(set(ids)) != 1 or ids[0] != (same_V, same_U):
        raise Fail(en="Pass the same V and U arrays to every step and return them: the steps update them in place.",
                   es=("Pasa los mismos arrays V y U a cada paso y devuélvelos: los pasos los actualizan en el "
                       "sitio."))
    if any(call_["lr"] != lr for call_ in calls):
        raise Fail(en=f"step must receive the learning rate lr = {lr}.",
                   es=f"step debe recibir la tasa de aprendizaje lr = {lr}.")
    for call_ in calls:
        negatives = np.asarray(call_["negatives"])
        if negatives.shape != (K,) or not np.issubdtype(negatives.dtype, np.integer):
            raise Fail(en=f"Each step needs K = {K} integer negatives, got {negatives!r}.",
                       es=f"Cada paso necesita K = {K} negativos enteros y recibió {negatives!r}.")
    drawn = np.concatenate([call_["negatives"] for call_ in calls])
    if np.any(drawn == size - 1) or np.any(drawn < 0) or np.any(drawn >= size):
        raise Fail(en=("Negatives must be drawn from the noise distribution: rng.choice(|V|, size=K, p=noise) "
                       "(word 6 has probability 0 here and was drawn)."),
                   es=("Los negativos deben sortearse con la distribución de ruido: rng.choice(|V|, size=K, "
                       "p=noise) (aquí la palabra 6 tiene probabilidad 0 y salió)."))
    expected_pairs = Counter(map(tuple, pairs.tolist()))
    orders = []
    for epoch in range(epochs):
        epoch_calls = step.calls[epoch * len(pairs):(epoch + 1) * len(pairs)]
        block = [(int(call_.arguments["c"]), int(call_.arguments["o"])) for call_ in epoch_calls]
        if Counter(block) != expected_pairs:
            raise Fail(en=(f"In epoch {epoch + 1} the pairs visited are not each pair exactly once (with (center, "
                           "outside) = pairs[i])."),
                       es=(f"En la época {epoch + 1} no se visita cada par exactamente una vez (con (centro, "
                           "contexto) = pairs[i])."))
        orders.append(block)
        mean = np.mean([call_.result for call_ in epoch_calls])
        if not close(losses[epoch], mean):
            if close(losses[epoch], mean * len(pairs)):
                raise Fail(en=("losses holds the sum of the step losses of each epoch: report the mean per pair "
                               "(divide by the number of pairs)."),
                           es=("losses contiene la suma de las pérdidas de cada época: guarda la media por par "
                               "(divide entre el número de pares)."))
            raise Fail(en=(f"losses[{epoch}] should be the mean of the losses returned by step in epoch "
                           f"{epoch + 1}, {mean:.6f}, got {losses[epoch]:.6f}."),
                       es=(f"losses[{epoch}] debería ser la media de las pérdidas devueltas por step en la época "
                           f"{epoch + 1}, {mean:.6f}, y vale {losses[epoch]:.6f}."))
    replay_V, replay_U = first_V.copy(), first_U.copy()
    for call_ in calls:  # the steps again, here: the returned V and U must be where they lead
        library_step(replay_V, replay_U, call_["c"], call_["o"], call_["negatives"], call_["lr"])
    if not (close(V, replay_V) and close(U, replay_U)):
        raise Fail(en="Return the V and U that step updated, without changing them between steps.",
                   es="Devuelve los V y U que step actualizó, sin cambiarlos entre pasos.")
    in_order = [tuple(pair) for pair in pairs.tolist()]
    if all(order == in_order for order in orders) or all(order == orders[0] for order in orders):
        raise Fail(en=("The pairs are visited in the same order every epoch: shuffle them with "
                       "rng.permutation(len(pairs)) at the start of each epoch."),
                   es=("Los pares se visitan en el mismo orden en todas las épocas: barájalos con "
                       "rng.permutation(len(pairs)) al empezar cada época."))
    if not losses[-1] < losses[0]:
        raise Fail(en=f"The loss did not decrease ({losses[0]:.4f} → {losses[-1]:.4f}).",
                   es=f"La pérdida no bajó ({losses[0]:.4f} → {losses[-1]:.4f}).")
    first, again, other = (V, U), _train(fn, 710)[0], _train(fn, 711)[0]
    if not _same_vectors(first, again):
        raise Fail(en=("Two runs with the same rng gave different results: draw every random number from the rng "
                       "argument, never from np.random's global functions."),
                   es=("Dos ejecuciones con el mismo rng dieron resultados distintos: saca todos los números "
                       "aleatorios del argumento rng, nunca de las funciones globales de np.random."))
    if _same_vectors(first, other):
        raise Fail(en=("Two different rng gave the same vectors: your loop ignores its rng argument (its own "
                       "generator, or np.random.seed inside). Draw every random number from rng."),
                   es=("Dos rng distintos dieron los mismos vectores: tu bucle ignora su argumento rng (un "
                       "generador propio, o np.random.seed dentro). Saca todos los números aleatorios de rng."))


def _same_vectors(a, b) -> bool:
    return all(np.array_equal(np.asarray(x, dtype=float), np.asarray(y, dtype=float)) for x, y in zip(a[:2], b[:2]))


QUESTIONS = [
    Question(id="q1", function="sgd_update", points=2, check=check_sgd_update, mistakes=tuple(UPDATE_MISTAKES)),
    Question(id="q2", function="sgns_sgd_step", points=4, check=check_sgns_sgd_step,
             forbidden=("w2vlib.model.Word2Vec", "w2vlib.training.sgns_step", "w2vlib.training.sgns_update"),
             mistakes=tuple(STEP_MISTAKES)),
    Question(id="q3", function="train_toy", points=4, check=check_train_toy, forbidden=("w2vlib.model.Word2Vec",)),
]
