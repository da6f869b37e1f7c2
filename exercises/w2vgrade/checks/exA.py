"""Checks for exercise A (appendix A, hierarchical softmax): the code lengths of word2vec.c's
Huffman tree, P(o | c) as a product of sigmoids along the path of o, and the loss
J = -Σ_i log σ((1 - 2 d_i) u'_{p_i}·v_c) with its gradients."""

from __future__ import annotations

import numpy as np

from w2vgrade.api import Fail, Mistake, Question, diagnose, mistakes_of, rng
from w2vgrade.checks._common import (
    array,
    call,
    diagnose_loss,
    scalar,
)
from w2vlib.huffman import HuffmanTree
from w2vlib.losses import log_sigmoid as _log_sigmoid
from w2vlib.losses import sigmoid as _sigmoid


def _code_lengths(counts, ties_to_leaf=False):
    """word2vec.c's CreateBinaryTree: two queues; on a tie the inner node is taken first
    (``ties_to_leaf``: the leaf, a Huffman tree all the same)."""
    counts = np.asarray(counts, dtype=np.int64)
    size = counts.size
    count = np.concatenate([counts, np.zeros(size - 1, dtype=np.int64)])
    parent = np.zeros(2 * size - 1, dtype=np.int64)
    leaf, inner = size - 1, size
    for merge in range(size - 1):
        taken = []
        for _ in range(2):
            inner_made = inner < size + merge
            leaf_first = count[leaf] <= count[inner] if ties_to_leaf else count[leaf] < count[inner]
            if leaf >= 0 and (not inner_made or leaf_first):
                taken.append(leaf)
                leaf -= 1
            else:
                taken.append(inner)
                inner += 1
        count[size + merge] = count[taken[0]] + count[taken[1]]
        parent[taken] = size + merge
    depth = np.zeros(2 * size - 1, dtype=np.int64)
    for node in range(2 * size - 3, -1, -1):
        depth[node] = depth[parent[node]] + 1
    return depth[:size]


LENGTH_MISTAKES = [
    Mistake("balanced tree",
            lambda counts: np.full(len(counts), int(np.ceil(np.log2(len(counts))))),
            ("Every word got ceil(log2 |V|) bits: that is a balanced tree. Huffman's tree joins the two "
             "least frequent nodes first, so frequent words get short codes and rare words long ones."),
            ("Todas las palabras tienen ceil(log2 |V|) bits: eso es un árbol equilibrado. El árbol de Huffman "
             "une primero los dos nodos menos frecuentes, así que las palabras frecuentes reciben códigos "
             "cortos y las raras, largos.")),
    Mistake("counts the leaf",
            lambda counts: _code_lengths(counts) + 1,
            ("Every length is one too many: you counted the leaf itself. |d(o)| is the number of inner nodes "
             "on the path, root included, leaf excluded."),
            ("Todas las longitudes tienen uno de más: contaste la propia hoja. |d(o)| es el número de nodos "
             "internos del camino, con la raíz y sin la hoja.")),
    Mistake("forgets the root",
            lambda counts: _code_lengths(counts) - 1,
            ("Every length is one too few: you forgot the root. |d(o)| counts every inner node on the path "
             "of o, the root included (a tree of two words gives each a code of one bit)."),
            ("Todas las longitudes tienen uno de menos: olvidaste la raíz. |d(o)| cuenta todos los nodos "
             "internos del camino de o, también la raíz (un árbol de dos palabras da a cada una un código "
             "de un bit).")),
    Mistake("reversed order",
            lambda counts: _code_lengths(counts)[::-1],
            ("The lengths are in reverse order: the most frequent word (index 0) got the longest code. Word j "
             "is leaf j, and the counts come sorted from the most frequent down."),
            ("Las longitudes están en orden inverso: la palabra más frecuente (índice 0) recibió el código "
             "más largo. La palabra j es la hoja j, y las frecuencias vienen ordenadas de mayor a menor.")),
]

# The last two have a tie between a leaf and an inner node that changes the lengths.
LENGTH_CASES = [
    ([9, 7, 4, 3, 3, 2, 1, 1],),
    ([5, 3, 2, 1, 1],),
    ([4, 1, 1, 1, 1],),
    ([3, 2, 1],),
    ([40, 20, 10, 5, 3, 2],),
    ([2, 2, 2, 1, 1],),
    ([7, 7],),
    ([2, 2, 1, 1],),
    ([3, 2, 2, 1],),
]


def _same_lengths(answer, expected):
    return np.shape(answer) == np.shape(expected) and bool(np.all(np.asarray(answer) == expected))


def check_huffman_code_lengths(fn):
    answers = []
    for (counts,) in LENGTH_CASES:
        what = f"huffman_code_lengths({counts})"
        got = call(fn, np.array(counts))
        array(got, (len(counts),), what, what)
        if not np.all(np.asarray(got) == np.round(np.asarray(got, dtype=np.float64))):
            raise Fail(en=f"{what} must hold whole numbers (a number of inner nodes), got {got}.",
                       es=f"{what} debe contener números enteros (un número de nodos internos) y es {got}.")
        answers.append(np.asarray(got).astype(np.int64))
    cases = [(np.array(counts),) for (counts,) in LENGTH_CASES]
    wrong = diagnose(answers, cases, _code_lengths, LENGTH_MISTAKES, same=_same_lengths)
    if not wrong:
        return
    if all(_same_lengths(answer, _code_lengths(*case, ties_to_leaf=True)) for answer, case in zip(answers, cases)):
        raise Fail(en=("Your tree is a Huffman tree, but not word2vec.c's: on a tie between a leaf and an inner node "
                       "word2vec.c takes the inner node (its test is a strict count[leaf] < count[inner]). Half "
                       "the points."),
                   es=("Tu árbol es de Huffman, pero no el de word2vec.c: en un empate entre una hoja y un nodo "
                       "interno, word2vec.c toma el nodo interno (su comparación es estricta, count[leaf] < "
                       "count[inner]). La mitad de los puntos."),
                   fraction=0.5, mistake="ties to the leaf")
    (counts,), got, expected = wrong
    what = f"huffman_code_lengths({counts.tolist()})"
    raise Fail(en=f"{what} should be {expected.tolist()}, got {got.tolist()}.",
               es=f"{what} debería ser {expected.tolist()} y se obtuvo {got.tolist()}.")


def _path_cases(seed):
    """(v_c, points, codes, U_inner) for several words of a Huffman tree over 8 words, n = 5."""
    tree = HuffmanTree([9, 7, 4, 3, 3, 2, 1, 1])
    generator = rng(seed)
    U_inner = generator.normal(size=(tree.n_words - 1, 5))
    cases = []
    for word in (0, 1, 5, 6, 7):
        points, codes = tree.path(word)
        cases.append((generator.normal(size=5), points, codes, U_inner.copy()))
    small = HuffmanTree([3, 1])  # a single inner node: the root is the whole path
    cases.append((generator.normal(size=5), *small.path(1), generator.normal(size=(1, 5))))
    return cases


def _path_probability(v_c, points, codes, U_inner, sign=1.0, start=0, combine=np.prod,
                      ignore_codes=False):
    """The reference P(o | c), or (keywords) one of :data:`PROBABILITY_MISTAKES`."""
    signs = sign * (1.0 - 2.0 * np.asarray(codes)) if not ignore_codes else np.ones(len(codes))
    return float(combine(_sigmoid(signs * (U_inner[points] @ v_c))[start:]))


PROBABILITY_MISTAKES = [
    Mistake("branches swapped",
            lambda *case: _path_probability(*case, sign=-1.0),
            ("Each factor has its sign flipped: branch 0 (d_i = 0) is taken with probability σ(x_i) and "
             "branch 1 with σ(-x_i), so the factor is σ((1 - 2 d_i) u'_{p_i}·v_c). The leaves still sum to 1 "
             "with the branches swapped, so that check does not find this mistake."),
            ("Cada factor tiene el signo cambiado: la rama 0 (d_i = 0) se toma con probabilidad σ(x_i) y la "
             "rama 1 con σ(-x_i), así que el factor es σ((1 - 2 d_i) u'_{p_i}·v_c). Con las ramas "
             "intercambiadas las hojas siguen sumando 1, así que esa comprobación no encuentra este error.")),
    Mistake("code ignored",
            lambda *case: _path_probability(*case, ignore_codes=True),
            ("Every factor is σ(u'_{p_i}·v_c), whatever the branch: on branch 1 (d_i = 1) the factor is "
             "σ(-u'_{p_i}·v_c). Multiply the score by 1 - 2 d_i."),
            ("Todos los factores son σ(u'_{p_i}·v_c), sea cual sea la rama: en la rama 1 (d_i = 1) el factor "
             "es σ(-u'_{p_i}·v_c). Multiplica la puntuación por 1 - 2 d_i.")),
    Mistake("root forgotten",
            lambda *case: _path_probability(*case, start=1),
            ("The factor of the root, p_1(o), is missing: the product runs over every node of the path, from "
             "the root (points[0]) down."),
            ("Falta el factor de la raíz, p_1(o): el producto recorre todos los nodos del camino, desde la raíz "
             "(points[0]) hacia abajo.")),
    Mistake("sum instead of product",
            lambda *case: _path_probability(*case, combine=np.sum),
            ("You added the decisions: P(o | c) is their product, one decision after another along the path."),
            ("Sumaste las decisiones: P(o | c) es su producto, una decisión tras otra a lo largo del camino.")),
]


def check_path_probability(fn):
    cases = _path_cases(1701)
    answers = []
    for case in cases:
        answers.append(scalar(call(fn, *case), "path_probability(v_c, points, codes, U_inner)",
                              "path_probability(v_c, points, codes, U_inner)"))
    wrong = diagnose(answers, cases, _path_probability, PROBABILITY_MISTAKES)
    if wrong:
        (_, points, codes, _), got, expected = wrong
        raise Fail(en=(f"For the path points={points.tolist()}, codes={codes.tolist()} P(o | c) should be "
                       f"{expected:.6f}, got {got:.6f}."),
                   es=(f"Para el camino points={points.tolist()}, codes={codes.tolist()} P(o | c) debería valer "
                       f"{expected:.6f} y vale {got:.6f}."))


def _hs(v_c, points, codes, U_inner, flip=False, start=0, rows_by_step=False, error_sign=1.0,
        target_d=False):
    """The reference loss and gradients, or (keywords) one of :data:`HS_MISTAKES`."""
    codes = np.asarray(codes)
    if flip:
        codes = 1 - codes
    points, codes = np.asarray(points)[start:], codes[start:]
    signs = 1.0 - 2.0 * codes
    scores = U_inner[points] @ v_c
    loss = float(-np.sum(_log_sigmoid(signs * scores)))
    coefficients = _sigmoid(error_sign * scores) - (codes if target_d else 1.0 - codes)
    grad_v_c = coefficients @ U_inner[points]
    grad_U = np.zeros_like(U_inner)
    rows = np.arange(points.size) if rows_by_step else points
    grad_U[rows] = np.outer(coefficients, v_c)
    return loss, grad_v_c, grad_U


_mistake = mistakes_of(_hs)


HS_MISTAKES = [
    _mistake("branches swapped",
             ("The code bit has its sign flipped (in the loss and the gradients): branch 0 has probability "
              "σ(x_i), so the term is log σ((1 - 2 d_i) x_i) and the target of node i is t_i = 1 - d_i."),
             ("El bit del código tiene el signo cambiado (en la pérdida y en los gradientes): la rama 0 tiene "
              "probabilidad σ(x_i), así que el término es log σ((1 - 2 d_i) x_i) y el objetivo del nodo i es "
              "t_i = 1 - d_i."),
             flip=True),
    _mistake("rows by step",
             ("grad_U_inner has its terms in rows 0, 1, ..., |d(o)| - 1, the steps of the path: the term of step "
              "i goes to row points[i], the inner node p_i, and the other rows stay zero."),
             ("grad_U_inner tiene sus términos en las filas 0, 1, ..., |d(o)| - 1, los pasos del camino: el "
              "término del paso i va a la fila points[i], el nodo interno p_i, y las demás filas quedan a "
              "cero."),
             rows_by_step=True),
    _mistake("root forgotten",
             ("The term of the root, p_1(o) = points[0], is missing from the loss and the gradients: the sum "
              "runs over every node of the path."),
             ("Falta el término de la raíz, p_1(o) = points[0], en la pérdida y en los gradientes: la suma "
              "recorre todos los nodos del camino."),
             start=1),
    _mistake("error with sigma(-x)",
             ("The loss is right but the gradients are not: the error of node i is σ(x_i) - t_i, with σ(x_i), "
              "not σ(-x_i) (the derivative of -log σ(s x) with respect to x is σ(x) - t)."),
             ("La pérdida es correcta pero los gradientes no: el error del nodo i es σ(x_i) - t_i, con "
              "σ(x_i), no σ(-x_i) (la derivada de -log σ(s x) respecto de x es σ(x) - t)."),
             error_sign=-1.0),
    _mistake("target d",
             ("The loss is right but the gradients are not: the target of node i is t_i = 1 - d_i (1 on branch "
              "0, the branch of probability σ(x_i)), so the error is σ(x_i) - 1 + d_i, not σ(x_i) - d_i."),
             ("La pérdida es correcta pero los gradientes no: el objetivo del nodo i es t_i = 1 - d_i (1 en la "
              "rama 0, la de probabilidad σ(x_i)), así que el error es σ(x_i) - 1 + d_i, no σ(x_i) - d_i."),
             target_d=True),
]


def check_hs_loss_and_gradients(fn):
    diagnose_loss(fn, _path_cases(1702), _hs, HS_MISTAKES, lambda case: [case[0].shape, case[3].shape],
                  ["v_c", "U_inner"])


QUESTIONS = [
    Question(id="q1", function="huffman_code_lengths", points=3, check=check_huffman_code_lengths,
             mistakes=tuple(LENGTH_MISTAKES), forbidden=("w2vlib.huffman",)),
    Question(id="q2", function="path_probability", points=3, check=check_path_probability,
             mistakes=tuple(PROBABILITY_MISTAKES), forbidden=("w2vlib.hs",)),
    Question(id="q3", function="hs_loss_and_gradients", points=4, check=check_hs_loss_and_gradients,
             mistakes=tuple(HS_MISTAKES), forbidden=("w2vlib.hs",)),
]
