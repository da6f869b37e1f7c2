"""ex02: one-hot, co-occurrence, PPMI. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
        "ex02", "en", "q3", "logarithm in base 2",
        find="pmi = np.log(C * total / (row_sums * column_sums))",
        replace="pmi = np.log2(C * total / (row_sums * column_sums))",
        mistake="log base 2",
    ),
    Mutation(
        "ex02", "en", "q3", "logarithm in base 10",
        find="pmi = np.log(C * total / (row_sums * column_sums))",
        replace="pmi = np.log10(C * total / (row_sums * column_sums))",
        mistake="log base 10",
    ),
    Mutation(
        "ex02", "en", "q3", "result never assigned to P: all zeros",
        find="P = np.where(C > 0, np.maximum(pmi, 0.0), 0.0)",
        replace="np.where(C > 0, np.maximum(pmi, 0.0), 0.0)",
        mistake="all zeros",
    ),
    Mutation(
        "ex02", "en", "q2", "integer count matrix",
        find="C[center, indices[j]] += 1.0",
        replace="C[center, indices[j]] += 1.0\n    C = C.astype(int)", expect="float64",
    ),
]

VALID_VARIANTS = [
    Mutation(
        "ex02", "en", "", "a label naming ppmi once w2vlib is imported",
        find="def ppmi(C):",
        replace="import w2vlib\nprint('ppmi of the counts:')\n\n\ndef ppmi(C):",
    ),
]
