"""ex08: shifted PMI, WEAT effect size and exact permutation p-value. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
]

VALID_VARIANTS = [
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
]
