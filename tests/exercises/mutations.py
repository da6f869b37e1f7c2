"""Typical student mistakes, written as edits of the reference solutions, that the exercise
checks must catch.

Each :class:`Mutation` replaces ``find`` (text that occurs exactly once in the source
notebook ``exercises/source/<lang>/<exercise>_*.ipynb``, inside a solution block) by
``replace``. Graded after the edit, the notebook must lose points on ``question`` and keep
full marks on every other question; when ``expect`` is given, the English message must
contain it; when ``mistake`` is given, the check must name that :class:`w2vgrade.api.Mistake`
of the question's catalogue (and every catalogued mistake has a mutation naming it). The code cells of the Spanish and English sources are
identical apart from comments and strings, so each edit applies to both languages; ``lang``
names the source the ``find`` text was taken from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    """One typical mistake: an exact text edit of a source notebook's solution."""

    exercise: str
    lang: str
    question: str
    description: str
    find: str
    replace: str
    expect: str = ""
    mistake: str = ""


MUTATIONS = [
    # ex01: cosine similarity and ranking
    Mutation(
        "ex01", "en", "q1", "non-normalised cosine (plain dot product)",
        find="similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))",
        replace="similarity = float(a @ b)", mistake="dot product",
    ),
    Mutation(
        "ex01", "en", "q1", "divides by one norm only",
        find="similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))",
        replace="similarity = float(a @ b / np.linalg.norm(a))", mistake="one norm",
    ),
    Mutation(
        "ex01", "en", "q1", "squared norms",
        find="similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))",
        replace="similarity = float(a @ b / ((a @ a) * (b @ b)))", mistake="squared norms",
    ),
    Mutation(
        "ex01", "en", "q1", "sign flipped",
        find="similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))",
        replace="similarity = -float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))", mistake="sign flipped",
    ),
    Mutation(
        "ex01", "en", "q2", "ranks by dot product instead of cosine",
        find="similarities = matrix @ query / norms",
        replace="similarities = matrix @ query", mistake="ranks by dot product",
    ),
    Mutation(
        "ex01", "en", "q2", "sorted in increasing order",
        find="best = np.argsort(-similarities)[:topn]",
        replace="best = np.argsort(similarities)[:topn]", mistake="increasing order",
    ),
    Mutation(
        "ex01", "en", "q2", "row norms taken along the wrong axis",
        find="norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(query)",
        replace="norms = np.linalg.norm(matrix, axis=0) * np.linalg.norm(query)",
    ),
    Mutation(
        "ex01", "en", "q2", "off-by-one topn",
        find="best = np.argsort(-similarities)[:topn]",
        replace="best = np.argsort(-similarities)[:topn + 1]",
    ),
    # ex02: one-hot, co-occurrence, PPMI
    Mutation(
        "ex02", "en", "q1", "off-by-one index in the one-hot vector",
        find="h[index] = 1.0",
        replace="h[index - 1] = 1.0",
        mistake="index off by one",
    ),
    Mutation(
        "ex02", "en", "q1", "returns a list instead of an array",
        find="h[index] = 1.0",
        replace="h[index] = 1.0\n    h = h.tolist()",
    ),
    Mutation(
        "ex02", "en", "q2", "windows cross sentence boundaries (corpus flattened)",
        find="for sentence in sentences:",
        replace="for sentence in [[word for sentence in sentences for word in sentence]]:",
        mistake="crosses sentences",
    ),
    Mutation(
        "ex02", "en", "q2", "off-by-one window (stops at distance m - 1)",
        find="range(max(0, t - window), min(len(indices), t + window + 1))",
        replace="range(max(0, t - window + 1), min(len(indices), t + window))",
        mistake="window one short",
    ),
    Mutation(
        "ex02", "en", "q2", "off-by-one window (reaches distance m + 1)",
        find="range(max(0, t - window), min(len(indices), t + window + 1))",
        replace="range(max(0, t - window - 1), min(len(indices), t + window + 2))",
        mistake="window one long",
    ),
    Mutation(
        "ex02", "en", "q2", "looks only to the right of the centre",
        find="range(max(0, t - window), min(len(indices), t + window + 1))",
        replace="range(t, min(len(indices), t + window + 1))",
        mistake="right side only",
    ),
    Mutation(
        "ex02", "en", "q2", "a word counted as its own neighbour",
        find="if j != t:",
        replace="if True:",
        mistake="counts the centre",
    ),
    Mutation(
        "ex02", "en", "q2", "centre skipped by value (a repeated word is not its own neighbour)",
        find="if j != t:",
        replace="if indices[j] != center:",
        expect="skip only the centre position", mistake="skips by value",
    ),
    Mutation(
        "ex02", "en", "q3", "negative PMI not clipped at 0",
        find="P = np.where(C > 0, np.maximum(pmi, 0.0), 0.0)",
        replace="P = np.where(C > 0, pmi, 0.0)",
        mistake="not clipped",
    ),
    Mutation(
        "ex02", "en", "q3", "zero counts give nan (no np.where)",
        find="P = np.where(C > 0, np.maximum(pmi, 0.0), 0.0)",
        replace="P = np.maximum(pmi, 0.0)",
    ),
    Mutation(
        "ex02", "en", "q3", "row and column sums swapped (wrong axis)",
        find="row_sums = C.sum(axis=1, keepdims=True)\n    column_sums = C.sum(axis=0, keepdims=True)",
        replace="row_sums = C.sum(axis=0, keepdims=True).T\n    column_sums = C.sum(axis=1, keepdims=True).T",
        mistake="axes swapped",
    ),
    Mutation(
        "ex02", "en", "q3", "total count N missing",
        find="pmi = np.log(C * total / (row_sums * column_sums))",
        replace="pmi = np.log(C / (row_sums * column_sums))",
        mistake="total missing",
    ),
    Mutation(
        "ex02", "en", "q2", "integer count matrix",
        find="C[center, indices[j]] += 1.0",
        replace="C[center, indices[j]] += 1.0\n    C = C.astype(int)", expect="float64",
    ),
    # ex03: unit rows and analogies
    Mutation(
        "ex03", "en", "q1", "normalises columns (wrong axis)",
        find="norms = np.linalg.norm(matrix, axis=1, keepdims=True)",
        replace="norms = np.linalg.norm(matrix, axis=0, keepdims=True)", mistake="normalises columns",
    ),
    Mutation(
        "ex03", "en", "q1", "zero rows become nan",
        find="unit = np.divide(matrix, norms, out=np.zeros_like(unit), where=norms > 0)",
        replace="unit = matrix / norms",
    ),
    Mutation(
        "ex03", "en", "q2", "query words not excluded",
        find="scores[[index[a], index[b], index[c]]] = -np.inf",
        replace="scores = scores.copy()", mistake="keeps the query words",
    ),
    Mutation(
        "ex03", "en", "q2", "skips the three nearest words instead of a, b, c",
        find="scores[[index[a], index[b], index[c]]] = -np.inf\n    answer = words[int(np.argmax(scores))]",
        replace="answer = words[int(np.argsort(-scores, kind='stable')[3])]", mistake="skips the three nearest",
    ),
    Mutation(
        "ex03", "en", "q2", "flipped sign: a - b + c",
        find="target = normalised[index[b]] - normalised[index[a]] + normalised[index[c]]",
        replace="target = normalised[index[a]] - normalised[index[b]] + normalised[index[c]]",
        mistake="target a - b + c",
    ),
    Mutation(
        "ex03", "en", "q2", "candidates ranked by dot product (not normalised)",
        find="scores = normalised @ target",
        replace="scores = vectors @ target", mistake="ranks by dot product",
    ),
    Mutation(
        "ex03", "en", "q2", "target built from the raw vectors",
        find="target = normalised[index[b]] - normalised[index[a]] + normalised[index[c]]",
        replace="target = vectors[index[b]] - vectors[index[a]] + vectors[index[c]]",
        mistake="target from raw vectors",
    ),
    # ex04: skip-gram pairs
    Mutation(
        "ex04", "en", "q1", "off-by-one window (stops at distance m - 1)",
        find="range(max(0, t - window), min(len(sentence), t + window + 1))",
        replace="range(max(0, t - window + 1), min(len(sentence), t + window))",
        mistake="window one short",
    ),
    Mutation(
        "ex04", "en", "q1", "off-by-one window (reaches distance m + 1)",
        find="range(max(0, t - window), min(len(sentence), t + window + 1))",
        replace="range(max(0, t - window - 1), min(len(sentence), t + window + 2))",
        mistake="window one long",
    ),
    Mutation(
        "ex04", "en", "q1", "looks only to the right of the centre",
        find="range(max(0, t - window), min(len(sentence), t + window + 1))",
        replace="range(t, min(len(sentence), t + window + 1))",
        mistake="right side only",
    ),
    Mutation(
        "ex04", "en", "q1", "pairs cross sentence boundaries",
        find="for sentence in sentences:",
        replace="for sentence in [[word for sentence in sentences for word in sentence]]:",
        mistake="crosses sentences",
    ),
    Mutation(
        "ex04", "en", "q1", "edge pairs missing (centres too close to an edge skipped)",
        find="for t, center in enumerate(sentence):",
        replace="for t, center in list(enumerate(sentence))[window:len(sentence) - window]:",
        mistake="skips the edges",
    ),
    Mutation(
        "ex04", "en", "q1", "(outside, center) instead of (center, outside)",
        find="pairs.append((center, sentence[j]))",
        replace="pairs.append((sentence[j], center))",
        mistake="pairs swapped",
    ),
    Mutation(
        "ex04", "en", "q1", "self pairs at distance 0",
        find="if j != t:",
        replace="if True:",
        mistake="counts the centre",
    ),
    Mutation(
        "ex04", "en", "q1", "centre skipped by value (if sentence[j] != center)",
        find="if j != t:",
        replace="if sentence[j] != center:",
        expect="skip only the centre position",
        mistake="skips by value",
    ),
    Mutation(
        "ex04", "en", "q1", "duplicate pairs dropped",
        find="pairs.append((center, sentence[j]))",
        replace="if (center, sentence[j]) not in pairs:\n                        pairs.append((center, sentence[j]))",
        expect="You drop repeated pairs",
        mistake="drops repeated pairs",
    ),
    Mutation(
        "ex04", "en", "q1", "consumes its input (sentences.pop(0))",
        find="for sentence in sentences:",
        replace="while sentences:\n        sentence = sentences.pop(0)",
        expect="Your function changed its input",
    ),
    Mutation(
        "ex04", "en", "q2", "edges ignored: 2 m T pairs",
        find="count += 2 * max(length - distance, 0)",
        replace="count += 2 * length",
        mistake="edges ignored",
    ),
    Mutation(
        "ex04", "en", "q2", "one side of the window only",
        find="count += 2 * max(length - distance, 0)",
        replace="count += max(length - distance, 0)",
        mistake="one side only",
    ),
    Mutation(
        "ex04", "en", "q2", "distance 0 counted (range from 0)",
        find="for distance in range(1, window + 1):",
        replace="count += length\n    for distance in range(1, window + 1):",
        mistake="counts the centre",
    ),
    # ex05: softmax, loss and gradients
    Mutation(
        "ex05", "en", "q1", "softmax without max-subtraction overflows",
        find="shifted = x - np.max(x, axis=-1, keepdims=True)",
        replace="shifted = x",
    ),
    Mutation(
        "ex05", "en", "q1", "global max instead of each row's max",
        find="shifted = x - np.max(x, axis=-1, keepdims=True)",
        replace="shifted = x - np.max(x)",
    ),
    Mutation(
        "ex05", "en", "q1", "normalised along the wrong axis",
        find="probabilities = exponentials / np.sum(exponentials, axis=-1, keepdims=True)",
        replace="probabilities = exponentials / np.sum(exponentials, axis=0, keepdims=True)",
    ),
    Mutation(
        "ex05", "en", "q2", "missing -log term: the loss is the probability",
        find="loss = float(-log_y_hat[o])",
        replace="loss = float(y_hat[o])",
        mistake="loss is the probability",
    ),
    Mutation(
        "ex05", "en", "q2", "flipped sign of the gradient with respect to v_c",
        find="grad_v_c = U.T @ delta",
        replace="grad_v_c = U.T @ (-delta)",
        mistake="grad_v_c sign",
    ),
    Mutation(
        "ex05", "en", "q2", "transposed gradient with respect to U",
        find="grad_U = np.outer(delta, v_c)",
        replace="grad_U = np.outer(v_c, delta)",
    ),
    Mutation(
        "ex05", "en", "q2", "one-hot y not subtracted",
        find="delta[o] -= 1.0",
        replace="delta[o] -= 0.0",
        mistake="y not subtracted",
    ),
    Mutation(
        "ex05", "en", "q2", "loss with the wrong sign",
        find="loss = float(-log_y_hat[o])",
        replace="loss = float(log_y_hat[o])", mistake="loss sign",
    ),
    Mutation(
        "ex05", "en", "q2", "flipped sign of the gradient with respect to U",
        find="grad_U = np.outer(delta, v_c)",
        replace="grad_U = -np.outer(delta, v_c)", mistake="grad_U sign",
    ),
    Mutation(
        "ex05", "en", "q2", "loss computed without max-subtraction (overflows on large scores)",
        find="shifted = scores - scores.max()",
        replace="shifted = scores",
    ),
    # ex06: sigmoid, log-sigmoid, SGNS
    Mutation(
        "ex06", "en", "q1", "naive sigmoid overflows for large negative x",
        find="s = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))",
        replace="s = 1.0 / (1.0 + np.exp(-x))",
    ),
    Mutation(
        "ex06", "en", "q1", "branches swapped: sigma(-x)",
        find="s = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))",
        replace="s = np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))",
        mistake="branches swapped",
    ),
    Mutation(
        "ex06", "en", "q2", "log of the sigmoid gives -inf",
        find="log_s = np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))",
        replace="log_s = np.log(1.0 / (1.0 + np.exp(-x)))",
    ),
    Mutation(
        "ex06", "en", "q3", "repeated negatives counted once in grad_U",
        find="np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))",
        replace="grad_U[negatives] += np.outer(negative_errors, v_c)",
        mistake="repeats counted once in grad_U",
    ),
    Mutation(
        "ex06", "en", "q3", "missing -log sigma(u_o . v_c) term",
        find="loss = float(np.logaddexp(0.0, -positive_score) + np.logaddexp(0.0, negative_scores).sum())",
        replace="loss = float(np.logaddexp(0.0, negative_scores).sum())",
        mistake="no positive term",
    ),
    Mutation(
        "ex06", "en", "q3", "flipped sign inside the negative terms",
        find="loss = float(np.logaddexp(0.0, -positive_score) + np.logaddexp(0.0, negative_scores).sum())",
        replace="loss = float(np.logaddexp(0.0, -positive_score) + np.logaddexp(0.0, -negative_scores).sum())",
        mistake="negative terms sign",
    ),
    Mutation(
        "ex06", "en", "q3", "flipped sign of the gradient with respect to v_c",
        find="grad_v_c = positive_error * u_o + negative_errors @ u_k",
        replace="grad_v_c = -(positive_error * u_o + negative_errors @ u_k)",
        mistake="grad_v_c sign",
    ),
    Mutation(
        "ex06", "en", "q3", "transposed gradient with respect to U",
        find="np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))",
        replace="np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))\n    grad_U = grad_U.T",
    ),
    Mutation(
        "ex06", "en", "q3", "grad_U[o] assigned after the negatives (o drawn as a negative loses its terms)",
        find="grad_U[o] += positive_error * v_c\n    np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))",
        replace="np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))\n    grad_U[o] = positive_error * v_c",
        expect="overwrote",
        mistake="positive row overwritten",
    ),
    Mutation(
        "ex06", "en", "q3", "distinct negatives only (np.unique)",
        find="u_k = U[negatives]",
        replace="negatives = np.unique(negatives)\n    u_k = U[negatives]",
        mistake="distinct negatives only",
    ),
    Mutation(
        "ex06", "en", "q3", "missing negative terms",
        find="loss = float(np.logaddexp(0.0, -positive_score) + np.logaddexp(0.0, negative_scores).sum())",
        replace="loss = float(np.logaddexp(0.0, -positive_score))", mistake="no negative terms",
    ),
    Mutation(
        "ex06", "en", "q3", "loss with the wrong sign",
        find="loss = float(np.logaddexp(0.0, -positive_score) + np.logaddexp(0.0, negative_scores).sum())",
        replace="loss = -float(np.logaddexp(0.0, -positive_score) + np.logaddexp(0.0, negative_scores).sum())",
        mistake="loss sign",
    ),
    Mutation(
        "ex06", "en", "q3", "flipped sign of the gradient with respect to U",
        find="np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))",
        replace="np.add.at(grad_U, negatives, np.outer(negative_errors, v_c))\n    grad_U = -grad_U",
        mistake="grad_U sign",
    ),
    # ex07: SGD step and training loop
    Mutation(
        "ex07", "en", "q1", "flipped sign: gradient ascent",
        find="param -= lr * grad",
        replace="param += lr * grad",
        mistake="gradient ascent",
    ),
    Mutation(
        "ex07", "en", "q1", "not in place: rebinds the local name",
        find="param -= lr * grad",
        replace="param = param - lr * grad",
    ),
    Mutation(
        "ex07", "en", "q1", "learning rate forgotten",
        find="param -= lr * grad",
        replace="param -= grad", mistake="no learning rate",
    ),
    Mutation(
        "ex07", "en", "q2", "transposed V: updates row c instead of column c",
        find="V[:, c] -= lr * grad_v_c",
        replace="V[c] -= lr * grad_v_c",
    ),
    Mutation(
        "ex07", "en", "q2", "flipped sign of the U update",
        find="U -= lr * grad_U",
        replace="U += lr * grad_U",
        mistake="U ascent",
    ),
    Mutation(
        "ex07", "en", "q2", "U not updated in place",
        find="U -= lr * grad_U",
        replace="U = U - lr * grad_U",
        mistake="U not updated",
    ),
    Mutation(
        "ex07", "en", "q2", "flipped sign of the V update",
        find="V[:, c] -= lr * grad_v_c",
        replace="V[:, c] += lr * grad_v_c", mistake="V ascent",
    ),
    Mutation(
        "ex07", "en", "q3", "epoch loss summed instead of averaged",
        find="losses.append(total / len(pairs))",
        replace="losses.append(total)",
    ),
    Mutation(
        "ex07", "en", "q3", "negatives from the global np.random state",
        find="negatives = rng.choice(size, size=K, p=noise)",
        replace="negatives = np.random.choice(size, size=K, p=noise)",
    ),
    Mutation(
        "ex07", "en", "q3", "negatives drawn uniformly, not from P_n",
        find="negatives = rng.choice(size, size=K, p=noise)",
        replace="negatives = rng.choice(size, size=K)",
    ),
    Mutation(
        "ex07", "en", "q3", "pairs never shuffled",
        find="for i in rng.permutation(len(pairs)):",
        replace="for i in range(len(pairs)):",
    ),
    Mutation(
        "ex07", "en", "q3", "ignores its rng: its own generator",
        find="V = rng.uniform(-0.5, 0.5, size=(n, size)) / n",
        replace="rng = np.random.default_rng(0)\n    V = rng.uniform(-0.5, 0.5, size=(n, size)) / n",
        expect="ignores its rng argument",
    ),
    Mutation(
        "ex07", "en", "q3", "ignores its rng: np.random.seed inside",
        find="V = rng.uniform(-0.5, 0.5, size=(n, size)) / n",
        replace="np.random.seed(0)\n    rng = np.random\n    V = rng.uniform(-0.5, 0.5, size=(n, size)) / n",
        expect="ignores its rng argument",
    ),
    # ex08: shifted PMI, WEAT effect size and exact permutation p-value
    Mutation(
        "ex08", "en", "q1", "context counts not smoothed (exponent 1)",
        find="smoothed = C.sum(axis=0) ** 0.75",
        replace="smoothed = C.sum(axis=0) ** 1.0", mistake="unsmoothed contexts",
    ),
    Mutation(
        "ex08", "en", "q1", "probabilities raised to 3/4, not renormalised",
        find="noise = smoothed / smoothed.sum()",
        replace="noise = (C.sum(axis=0) / total) ** 0.75", mistake="smoothing not normalised",
    ),
    Mutation(
        "ex08", "en", "q1", "shift added: + log K",
        find="- np.log(K)",
        replace="+ np.log(K)", mistake="shift added",
    ),
    Mutation(
        "ex08", "en", "q1", "shift by K, not log K",
        find="- np.log(K)",
        replace="- K", mistake="shift without log",
    ),
    Mutation(
        "ex08", "en", "q1", "row and column sums swapped (wrong axes)",
        find="centre = C.sum(axis=1) / total\n    smoothed = C.sum(axis=0) ** 0.75",
        replace="centre = C.sum(axis=0) / total\n    smoothed = C.sum(axis=1) ** 0.75", mistake="axes swapped",
    ),
    Mutation(
        "ex08", "en", "q1", "pairs never seen set to 0 instead of -inf",
        find="M = np.log(C / total) - np.log(np.outer(centre, noise)) - np.log(K)",
        replace="M = np.log(C / total) - np.log(np.outer(centre, noise)) - np.log(K)\n        M[C == 0] = 0.0",
        mistake="zero counts set to 0",
    ),
    Mutation(
        "ex08", "en", "q1", "base-2 logarithm for the PMI",
        find="M = np.log(C / total) - np.log(np.outer(centre, noise)) - np.log(K)",
        replace="M = np.log2(C / total) - np.log2(np.outer(centre, noise)) - np.log(K)",
        expect="should be PMI_3/4 - log K",
    ),
    Mutation(
        "ex08", "en", "q2", "sign flipped: Y before X",
        find="d = (s_X.mean() - s_Y.mean())",
        replace="d = (s_Y.mean() - s_X.mean())", mistake="sign flipped",
    ),
    Mutation(
        "ex08", "en", "q2", "difference of sums instead of means",
        find="d = (s_X.mean() - s_Y.mean())",
        replace="d = (s_X.sum() - s_Y.sum())", mistake="difference of sums",
    ),
    Mutation(
        "ex08", "en", "q2", "standard deviation over X only",
        find="np.concatenate([s_X, s_Y]).std(ddof=1)",
        replace="s_X.std(ddof=1)", mistake="deviation over X only",
    ),
    Mutation(
        "ex08", "en", "q2", "pooled within-group deviation (Cohen's d)",
        find="np.concatenate([s_X, s_Y]).std(ddof=1)",
        replace="np.sqrt((s_X.var(ddof=1) + s_Y.var(ddof=1)) / 2)", mistake="deviation within groups",
    ),
    Mutation(
        "ex08", "en", "q2", "standard deviation of the two means",
        find="np.concatenate([s_X, s_Y]).std(ddof=1)",
        replace="np.std([s_X.mean(), s_Y.mean()], ddof=1)", mistake="deviation of the means",
    ),
    Mutation(
        "ex08", "en", "q2", "population standard deviation (ddof=0)",
        find="np.concatenate([s_X, s_Y]).std(ddof=1)",
        replace="np.concatenate([s_X, s_Y]).std()", mistake="population deviation",
    ),
    Mutation(
        "ex08", "en", "q2", "dot products instead of cosines",
        find="return W / np.linalg.norm(W, axis=1, keepdims=True)",
        replace="return W", mistake="dot products",
    ),
    Mutation(
        "ex08", "en", "q3", "two-sided p-value",
        find="p = float(np.mean(np.array(splits) >= observed))",
        replace="p = float(np.mean(np.abs(splits) >= abs(observed)))", mistake="two-sided",
    ),
    Mutation(
        "ex08", "en", "q3", "strict inequality: the observed split not counted",
        find="p = float(np.mean(np.array(splits) >= observed))",
        replace="p = float(np.mean(np.array(splits) > observed))", mistake="strict inequality",
    ),
    Mutation(
        "ex08", "en", "q3", "lower tail",
        find="p = float(np.mean(np.array(splits) >= observed))",
        replace="p = float(np.mean(np.array(splits) <= observed))", mistake="lower tail",
    ),
    Mutation(
        "ex08", "en", "q3", "number of splits, not their share",
        find="p = float(np.mean(np.array(splits) >= observed))",
        replace="p = int(np.sum(np.array(splits) >= observed))", mistake="count, not a share",
    ),
    Mutation(
        "ex08", "en", "q3", "100 random splits instead of all of them",
        find="splits = [2 * s[list(half)].sum() - s.sum() for half in combinations(range(2 * n), n)]",
        replace="draws = np.random.default_rng(0)\n    splits = [2 * s[draws.permutation(2 * n)[:n]].sum() - s.sum() "
                "for _ in range(100)]",
        mistake="samples the splits",
    ),
    # ex09: unit rows, Procrustes, precision@k
    Mutation(
        "ex09", "en", "q1", "columns normalised instead of rows (axis=0)",
        find="unit = unit / np.linalg.norm(unit, axis=1, keepdims=True)\n    if center:",
        replace="unit = unit / np.linalg.norm(unit, axis=0, keepdims=True)\n    if center:",
        expect="column",
        mistake="columns",
    ),
    Mutation(
        "ex09", "en", "q1", "unnormalised vectors: centred rows not scaled to length 1 again",
        find="        unit = unit - unit.mean(axis=0)\n        unit = unit / np.linalg.norm(unit, axis=1, keepdims=True)",
        replace="        unit = unit - unit.mean(axis=0)",
        expect="unnormalised",
        mistake="not normalised again",
    ),
    Mutation(
        "ex09", "en", "q1", "center=True ignored",
        find="    if center:\n        unit = unit - unit.mean(axis=0)",
        replace="    if False:\n        unit = unit - unit.mean(axis=0)", mistake="ignores center",
    ),
    Mutation(
        "ex09", "en", "q1", "raw vectors centred",
        find="unit = unit / np.linalg.norm(unit, axis=1, keepdims=True)\n    if center:",
        replace="if not center:\n        unit = unit / np.linalg.norm(unit, axis=1, keepdims=True)\n    if center:",
        mistake="centres the raw vectors",
    ),
    Mutation(
        "ex09", "en", "q2", "transposed map (R L^T, the SVD of Y^T X)",
        find="L, _, Rt = np.linalg.svd(X.T @ Y)",
        replace="L, _, Rt = np.linalg.svd(Y.T @ X)",
        expect="transposed",
        mistake="transposed",
    ),
    Mutation(
        "ex09", "en", "q2", "SciPy's Procrustes called instead of written",
        find="L, _, Rt = np.linalg.svd(X.T @ Y)\n    Q = L @ Rt",
        replace="from scipy.linalg import orthogonal_procrustes\n    Q = orthogonal_procrustes(X, Y)[0]",
        expect="scipy.linalg.orthogonal_procrustes",
    ),
    Mutation(
        "ex09", "en", "q2", "non-orthogonal least-squares map",
        find="Q = L @ Rt",
        replace="Q = np.linalg.lstsq(X, Y, rcond=None)[0]",
        expect="least-squares",
        mistake="least squares",
    ),
    Mutation(
        "ex09", "en", "q2", "singular values kept (L Sigma R^T)",
        find="L, _, Rt = np.linalg.svd(X.T @ Y)\n    Q = L @ Rt",
        replace="L, s, Rt = np.linalg.svd(X.T @ Y)\n    Q = L @ np.diag(s) @ Rt",
        expect="singular values",
        mistake="keeps the singular values",
    ),
    Mutation(
        "ex09", "en", "q3", "off-by-one in @k: top k + 1",
        find="top = np.argsort(-scores, axis=1)[:, :k]",
        replace="top = np.argsort(-scores, axis=1)[:, :k + 1]",
        expect="off by one",
        mistake="top k + 1",
    ),
    Mutation(
        "ex09", "en", "q3", "off-by-one in @k: top k - 1",
        find="top = np.argsort(-scores, axis=1)[:, :k]",
        replace="top = np.argsort(-scores, axis=1)[:, :k - 1]",
        expect="off by one",
        mistake="top k - 1",
    ),
    Mutation(
        "ex09", "en", "q3", "best candidate dropped as if it were the query word",
        find="top = np.argsort(-scores, axis=1)[:, :k]",
        replace="top = np.argsort(-scores, axis=1)[:, 1:k + 1]",
        expect="no query word to exclude",
        mistake="skips the best",
    ),
    Mutation(
        "ex09", "en", "q3", "increasing order: the k lowest scores",
        find="top = np.argsort(-scores, axis=1)[:, :k]",
        replace="top = np.argsort(scores, axis=1)[:, :k]",
        expect="lowest",
        mistake="lowest scores",
    ),
    Mutation(
        "ex09", "en", "q3", "divided by k too",
        find="precision = float(hits.mean())",
        replace="precision = float(hits.mean()) / k", mistake="divides by k",
    ),
    Mutation(
        "ex09", "en", "q3", "hits counted, not divided by the number of queries",
        find="precision = float(hits.mean())",
        replace="precision = int(hits.sum())",
        expect="share",
    ),
    # exA: Huffman code lengths, the probability of a path, the loss and its gradients
    Mutation(
        "exA", "en", "q1", "balanced tree: ceil(log2 |V|) bits for every word",
        find="lengths = depth[:size]",
        replace="lengths = np.full(size, int(np.ceil(np.log2(size))))",
        mistake="balanced tree",
    ),
    Mutation(
        "exA", "en", "q1", "off by one: the leaf counted",
        find="lengths = depth[:size]",
        replace="lengths = depth[:size] + 1",
        mistake="counts the leaf",
    ),
    Mutation(
        "exA", "en", "q1", "off by one: the root forgotten",
        find="lengths = depth[:size]",
        replace="lengths = depth[:size] - 1",
        mistake="forgets the root",
    ),
    Mutation(
        "exA", "en", "q1", "counts taken in the reverse order",
        find="lengths = depth[:size]",
        replace="lengths = depth[:size][::-1]",
        mistake="reversed order",
    ),
    Mutation(
        "exA", "en", "q1", "ties go to the leaf (<= instead of word2vec.c's <)",
        find="count[leaf] < count[inner]",
        replace="count[leaf] <= count[inner]",
        mistake="ties to the leaf",
    ),
    Mutation(
        "exA", "en", "q2", "code bit with its sign flipped: 2 d - 1",
        find="signs = 1.0 - 2.0 * np.asarray(codes)",
        replace="signs = 2.0 * np.asarray(codes) - 1.0",
        mistake="branches swapped",
    ),
    Mutation(
        "exA", "en", "q2", "sigma(-x) on branch 0 and sigma(x) on branch 1",
        find="probability = float(np.prod(sigmoid(signs * scores)))",
        replace="probability = float(np.prod(sigmoid(-signs * scores)))",
        mistake="branches swapped",
    ),
    Mutation(
        "exA", "en", "q2", "code ignored: sigma(x) at every node",
        find="probability = float(np.prod(sigmoid(signs * scores)))",
        replace="probability = float(np.prod(sigmoid(scores)))",
        mistake="code ignored",
    ),
    Mutation(
        "exA", "en", "q2", "the root forgotten",
        find="probability = float(np.prod(sigmoid(signs * scores)))",
        replace="probability = float(np.prod(sigmoid(signs * scores)[1:]))",
        mistake="root forgotten",
    ),
    Mutation(
        "exA", "en", "q2", "a sum instead of a product",
        find="probability = float(np.prod(sigmoid(signs * scores)))",
        replace="probability = float(np.sum(sigmoid(signs * scores)))",
        mistake="sum instead of product",
    ),
    Mutation(
        "exA", "en", "q3", "code bit with its sign flipped (loss and gradients)",
        find="codes = np.asarray(codes)",
        replace="codes = 1 - np.asarray(codes)",
        mistake="branches swapped",
    ),
    Mutation(
        "exA", "en", "q3", "gradient written to the rows 0..|d(o)| - 1 instead of the inner nodes",
        find="grad_U_inner[points] = np.outer(errors, v_c)",
        replace="grad_U_inner[np.arange(len(points))] = np.outer(errors, v_c)",
        mistake="rows by step",
    ),
    Mutation(
        "exA", "en", "q3", "the root's term missing",
        find="codes = np.asarray(codes)",
        replace="codes = np.asarray(codes)[1:]\n    points = points[1:]",
        mistake="root forgotten",
    ),
    Mutation(
        "exA", "en", "q3", "error sigma(-x) - t instead of sigma(x) - t",
        find="errors = sigmoid(scores) - (1.0 - codes)",
        replace="errors = sigmoid(-scores) - (1.0 - codes)",
        mistake="error with sigma(-x)",
    ),
    Mutation(
        "exA", "en", "q3", "target t = d in the gradients (the appendix's flipped bit)",
        find="errors = sigmoid(scores) - (1.0 - codes)",
        replace="errors = sigmoid(scores) - codes",
        mistake="target d",
    ),
]


# Unusual but valid answers: each must keep full marks on every question, in the notebook
# (check_notebook) and through the grader alike (issue 19: all of these lost points once).
VALID_VARIANTS = [
    Mutation(
        "ex01", "en", "", "a label naming cosine_similarity(...) once w2vlib is imported",
        find="def cosine_similarity(a, b):",
        replace="import w2vlib\nprint('cosine_similarity(a, b) =', 0.5)\n\n\ndef cosine_similarity(a, b):",
    ),
    Mutation(
        "ex02", "en", "", "a label naming ppmi once w2vlib is imported",
        find="def ppmi(C):",
        replace="import w2vlib\nprint('ppmi of the counts:')\n\n\ndef ppmi(C):",
    ),
    Mutation(
        "ex07", "en", "", "a Word2Vec label, and step called with keyword arguments",
        find="total += step(V, U, center, outside, negatives, lr)",
        replace="total += step(V=V, U=U, c=center, o=outside, negatives=negatives, lr=lr)\n"
                "            print('Word2Vec by hand')",
    ),
    Mutation(
        "ex08", "en", "", "the optimum's own form, log C_co - log(#(c) P_n(o)) - log K",
        find="M = np.log(C / total) - np.log(np.outer(centre, noise)) - np.log(K)",
        replace="M = np.log(C) - np.log(C.sum(axis=1, keepdims=True) * noise) - np.log(K)",
    ),
    Mutation(
        "ex08", "en", "", "p from the means of the halves, each split's complement by np.delete",
        find="p = float(np.mean(np.array(splits) >= observed))",
        replace="p = sum(s[list(h)].mean() - np.delete(s, list(h)).mean() >= s_X.mean() - s_Y.mean()\n"
                "            for h in combinations(range(2 * n), n)) / len(splits)",
    ),
    Mutation(
        "exA", "en", "", "P(o | c) as exp of minus the summed -log sigma",
        find="probability = float(np.prod(sigmoid(signs * scores)))",
        replace="probability = float(np.exp(-np.logaddexp(0.0, -signs * scores).sum()))",
    ),
    Mutation(
        "exA", "en", "", "grad_U_inner filled by a loop over the path",
        find="grad_U_inner[points] = np.outer(errors, v_c)",
        replace="for point, error in zip(points, errors):\n        grad_U_inner[point] += error * v_c",
    ),
]
