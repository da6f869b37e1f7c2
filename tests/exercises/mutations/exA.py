"""exA: Huffman code lengths, the probability of a path, the loss and its gradients. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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

VALID_VARIANTS = [
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
