"""ex09: unit rows, Procrustes, precision@k. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
        "ex09", "en", "q1", "scaled rows never assigned: X unchanged",
        find="unit = unit / np.linalg.norm(unit, axis=1, keepdims=True)\n    if center:",
        replace="unit / np.linalg.norm(unit, axis=1, keepdims=True)\n    if False:",
        mistake="X unchanged",
    ),
    Mutation(
        "ex09", "en", "q1", "centres even with center=False",
        find="    if center:\n        unit = unit - unit.mean(axis=0)",
        replace="    if True:\n        unit = unit - unit.mean(axis=0)",
        mistake="always centres",
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
]

VALID_VARIANTS = []
