"""w2vlib.phrases: Mikolov et al.'s discounted phrase score, connectors, joining."""
import pytest

from w2vlib.phrases import join_phrases, phrase_scores

CORPUS = [["new", "york", "is", "big"]] * 6 + [["new", "ideas", "is", "new"]] * 2 + [
    ["the", "land", "of", "egypt"]] * 4 + [["land", "is", "big"]]


def test_score_is_the_discounted_ratio_times_the_token_count():
    scores = phrase_scores(CORPUS, delta=1)
    total = 6 * 4 + 2 * 4 + 4 * 4 + 3
    # count(new york) = 6, count(new) = 6 + 2 * 2 = 10, count(york) = 6
    assert scores["new", "york"] == pytest.approx((6 - 1) * total / (10 * 6))
    # count(is big) = 7, count(is) = 6 + 2 + 1 = 9, count(big) = 7
    assert scores["is", "big"] == pytest.approx((7 - 1) * total / (9 * 7))


def test_the_discount_removes_phrases_seen_delta_times_or_fewer():
    assert ("new", "ideas") in phrase_scores(CORPUS, delta=1)  # seen twice
    assert ("new", "ideas") not in phrase_scores(CORPUS, delta=2)
    assert phrase_scores(CORPUS, delta=0)["land", "is"] > 0  # seen once


def test_connectors_never_start_or_end_a_phrase_but_sit_inside():
    plain = phrase_scores(CORPUS, delta=1)
    assert ("land", "of") in plain and ("land", "of", "egypt") not in plain
    scores = phrase_scores(CORPUS, delta=1, connectors={"of", "the"})
    assert ("land", "of") not in scores and ("the", "land") not in scores
    total = sum(len(s) for s in CORPUS)
    assert scores["land", "of", "egypt"] == pytest.approx((4 - 1) * total / (5 * 4))


def test_join_is_greedy_left_to_right_and_two_passes_join_longer_phrases():
    scores = {("a", "b"): 10.0, ("b", "c"): 20.0, ("c", "d"): 1.0}
    joined = join_phrases([["a", "b", "c", "d"]], scores, threshold=5)
    assert joined == [["a_b", "c", "d"]]
    once = join_phrases([["new", "york", "times", "x"]] * 8, {("new", "york"): 50.0},
                        threshold=10)
    assert once[0] == ["new_york", "times", "x"]
    twice = join_phrases(once, phrase_scores(once, delta=1), threshold=0.5)
    assert "new_york_times" in twice[0]


def test_join_with_connectors_and_leaves_the_input_alone():
    scores = phrase_scores(CORPUS, delta=1, connectors={"of", "the"})
    sentences = [["the", "land", "of", "egypt"]]
    joined = join_phrases(sentences, scores, threshold=1)
    assert joined == [["the", "land_of_egypt"]]
    assert sentences == [["the", "land", "of", "egypt"]]


@pytest.mark.parametrize("bad, message", [("a b c", "list of sentences"),
                                          (["a b c"], "split it")])
def test_text_instead_of_words_is_refused_with_the_fix(bad, message):
    with pytest.raises(TypeError, match=message):
        phrase_scores(bad)


def test_bad_delta_and_threshold_name_the_value():
    with pytest.raises(ValueError, match="-1"):
        phrase_scores(CORPUS, delta=-1)
    with pytest.raises(ValueError, match="'high'"):
        join_phrases(CORPUS, {}, threshold="high")
