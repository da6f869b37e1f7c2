"""ex06: sigmoid, log-sigmoid, SGNS. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
]

VALID_VARIANTS = []
