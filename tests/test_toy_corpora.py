"""Tests for w2vlib.toy_corpora: shapes, parallel structure of ES/EN, copies, bad languages."""
import numpy as np
import pytest

from w2vlib.toy_corpora import people_traits, topic_words, toy_corpus


@pytest.mark.parametrize("lang", ["es", "en"])
def test_corpus_is_a_list_of_lowercase_token_lists(lang):
    sentences = toy_corpus(lang)
    assert 30 <= len(sentences) <= 80
    for sentence in sentences:
        assert isinstance(sentence, list) and 2 <= len(sentence) <= 12
        for token in sentence:
            assert token == token.lower() and token.isalpha(), token


def test_spanish_and_english_corpora_translate_word_for_word():
    translation, back = {}, {}
    for es_sentence, en_sentence in zip(toy_corpus("es"), toy_corpus("en"), strict=True):
        assert len(es_sentence) == len(en_sentence), (es_sentence, en_sentence)
        for es_word, en_word in zip(es_sentence, en_sentence):
            assert translation.setdefault(es_word, en_word) == en_word, (es_word, en_word)
            assert back.setdefault(en_word, es_word) == es_word, (es_word, en_word)
    for es_words, en_words in zip(topic_words("es").values(), topic_words("en").values()):
        assert [translation[w] for w in es_words] == en_words


def test_spanish_and_english_corpora_are_parallel():
    es, en = toy_corpus("es"), toy_corpus("en")
    assert len(es) == len(en)
    es_topics, en_topics = topic_words("es"), topic_words("en")
    es_targets = [w for words in es_topics.values() for w in words]
    en_targets = [w for words in en_topics.values() for w in words]
    assert len(es_targets) == len(en_targets) == 12
    # Sentence i mentions the i-th target word in one language exactly when its translation
    # mentions it in the other.
    for es_sentence, en_sentence in zip(es, en):
        for es_word, en_word in zip(es_targets, en_targets):
            assert (es_word in es_sentence) == (en_word in en_sentence), (es_sentence, en_sentence)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_target_word_occurs_several_times(lang):
    sentences = toy_corpus(lang)
    for words in topic_words(lang).values():
        for word in words:
            assert sum(sentence.count(word) for sentence in sentences) >= 4, word


def test_callers_get_fresh_copies():
    first = toy_corpus("en")
    first[0].append("changed")
    assert toy_corpus("en")[0][-1] != "changed"
    table = people_traits("es")
    table.values[0, 0] = 99.0
    table.people.append("Zoe")
    assert people_traits("es").values[0, 0] != 99.0
    assert "Zoe" not in people_traits("es").people


def test_people_traits_shapes_and_range():
    es, en = people_traits("es"), people_traits("en")
    assert es.people == en.people
    assert len(es.traits) == len(en.traits) == es.values.shape[1]
    assert es.values.shape == (len(es.people), len(es.traits))
    assert es.values.dtype == np.float64
    np.testing.assert_array_equal(es.values, en.values)
    assert np.all(np.abs(es.values) <= 1)
    names, traits, values = en
    assert traits[0] == "extraversion" and values.shape == (6, 5)


def test_people_table_tells_the_direction_story():
    people, _, values = people_traits("en")
    ana, carmen, diego = (values[people.index(name)] for name in ("Ana", "Carmen", "Diego"))

    def cosine(a, b):
        return a @ b / (np.linalg.norm(a) * np.linalg.norm(b))

    assert cosine(ana, diego) > cosine(ana, carmen)
    assert np.linalg.norm(ana - carmen) < np.linalg.norm(ana - diego)


@pytest.mark.parametrize("function", [toy_corpus, topic_words, people_traits])
@pytest.mark.parametrize("lang", ["fr", "ES", "", None, 1])
def test_unknown_language_is_rejected_with_the_value(function, lang):
    with pytest.raises(ValueError, match=r"lang must be 'es' or 'en', got .*; pass lang='es'"):
        function(lang)
