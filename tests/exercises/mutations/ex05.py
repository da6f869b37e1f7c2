"""ex05: softmax, loss and gradients. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
        mistake="wrong axis",
    ),
    Mutation(
        "ex05", "en", "q1", "exponentials not divided by their sum",
        find="probabilities = exponentials / np.sum(exponentials, axis=-1, keepdims=True)",
        replace="probabilities = exponentials", mistake="not normalised",
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
]

VALID_VARIANTS = []
