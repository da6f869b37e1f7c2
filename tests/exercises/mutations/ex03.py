"""ex03: unit rows and analogies. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
        "ex03", "en", "q2", "no normalisation at all (raw target, dot-product ranking)",
        find="normalised = vectors / np.where(norms > 0, norms, 1.0)",
        replace="normalised = vectors", mistake="never normalises",
    ),
    Mutation(
        "ex03", "en", "q2", "target built from the raw vectors",
        find="target = normalised[index[b]] - normalised[index[a]] + normalised[index[c]]",
        replace="target = vectors[index[b]] - vectors[index[a]] + vectors[index[c]]",
        mistake="target from raw vectors",
    ),
]

VALID_VARIANTS = []
