"""ex01: cosine similarity and ranking. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
        "ex01", "en", "q1", "rooted norms",
        find="similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))",
        replace="similarity = float(a @ b / np.sqrt(np.linalg.norm(a) * np.linalg.norm(b)))",
        mistake="rooted norms",
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
]

VALID_VARIANTS = [
    Mutation(
        "ex01", "en", "", "a label naming cosine_similarity(...) once w2vlib is imported",
        find="def cosine_similarity(a, b):",
        replace="import w2vlib\nprint('cosine_similarity(a, b) =', 0.5)\n\n\ndef cosine_similarity(a, b):",
    ),
]
