"""ex04: skip-gram pairs. Typical mistakes and unusual valid answers (see :mod:`mutations`)."""

from mutations import Mutation

MUTATIONS = [
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
]

VALID_VARIANTS = []
