"""ex07: SGD step and training loop. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
]

VALID_VARIANTS = [
    Mutation(
        "ex07", "en", "", "a Word2Vec label, and step called with keyword arguments",
        find="total += step(V, U, center, outside, negatives, lr)",
        replace="total += step(V=V, U=U, c=center, o=outside, negatives=negatives, lr=lr)\n"
                "            print('Word2Vec by hand')",
    ),
]
