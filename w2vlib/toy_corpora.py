"""Tiny hand-written data sets for the first chapters, in Spanish and in English.

``toy_corpus(lang)`` is a 48-sentence corpus about three topics (animals, food, places).
Each topic has four target words that share their contexts with each other and not with
the other topics, so co-occurrence counts, PPMI and SVD vectors built from it have
neighbours a reader can check by eye. The Spanish and English corpora translate each
other word for word: sentence ``i`` has the same length in both, and the word at
position ``p`` of one always translates to the same word at position ``p`` of the other
(``el`` <-> ``the``, ``perro`` <-> ``dog``, ...). Every count, PPMI value and singular
value is therefore the same in both languages, and the Spanish and English chapters
print the same numbers. (The price is a plain style: masculine nouns only, names as
subjects, no contractions such as ``al``.)

``people_traits(lang)`` is a small table of invented people scored on five
personality-like traits between -1 and 1, used in chapter 1 to describe things as
vectors.

Both functions take ``lang="es"`` or ``lang="en"`` and return fresh objects, so a caller
may modify what it gets without changing what the next caller gets.
"""
from typing import NamedTuple

import numpy as np

__all__ = ["LANGUAGES", "TraitTable", "toy_corpus", "topic_words", "people_traits"]

LANGUAGES = ("es", "en")

# One sentence per line, already lower-cased and without punctuation: whitespace
# tokenisation is all the chapters need, so the corpus shows exactly the tokens the
# counts are made of.
_CORPUS_TEXT = {
    "es": """
el perro duerme en el jardín
el gato duerme en el cesto
el caballo corre en el campo
el conejo corre en el jardín
el perro juega con un palo
el gato juega con el conejo
el caballo bebe agua en el campo
el conejo bebe agua
el perro corre y juega
el gato bebe agua y duerme
el caballo duerme en el campo
el conejo juega en el campo
el perro duerme con el gato
el caballo juega con el perro
el gato corre en el jardín
el conejo duerme y el caballo corre
ana come pan con queso
luis come arroz con tomate
ana compra queso en el mercado
luis compra pan en el mercado
ana cocina arroz
luis cocina el arroz con queso
el pan está fresco
el queso está fresco y rico
el tomate está rico
el arroz está caliente
ana come tomate con pan
luis compra arroz y tomate
ana cocina el tomate
el pan está caliente y rico
luis come queso
ana compra tomate en el mercado
ana vive en el pueblo
luis vive en el puerto
ana visita el lago en verano
luis visita el bosque en invierno
el pueblo está tranquilo
el lago está lejos
el bosque está cerca
el puerto está tranquilo en invierno
ana visita el pueblo en verano
luis visita el puerto
el pueblo está lejos
luis vive en el pueblo
ana visita el bosque y el lago
el bosque está tranquilo
el puerto está lejos
luis visita el lago en invierno
""",
    "en": """
the dog sleeps in the garden
the cat sleeps in the basket
the horse runs in the field
the rabbit runs in the garden
the dog plays with a stick
the cat plays with the rabbit
the horse drinks water in the field
the rabbit drinks water
the dog runs and plays
the cat drinks water and sleeps
the horse sleeps in the field
the rabbit plays in the field
the dog sleeps with the cat
the horse plays with the dog
the cat runs in the garden
the rabbit sleeps and the horse runs
ana eats bread with cheese
luis eats rice with tomato
ana buys cheese in the market
luis buys bread in the market
ana cooks rice
luis cooks the rice with cheese
the bread is fresh
the cheese is fresh and tasty
the tomato is tasty
the rice is hot
ana eats tomato with bread
luis buys rice and tomato
ana cooks the tomato
the bread is hot and tasty
luis eats cheese
ana buys tomato in the market
ana lives in the village
luis lives in the port
ana visits the lake in summer
luis visits the forest in winter
the village is quiet
the lake is far
the forest is close
the port is quiet in winter
ana visits the village in summer
luis visits the port
the village is far
luis lives in the village
ana visits the forest and the lake
the forest is quiet
the port is far
luis visits the lake in winter
""",
}

# The four target words of each topic, in the same order in both languages.
_TOPIC_WORDS = {
    "es": {
        "animales": ["perro", "gato", "caballo", "conejo"],
        "comida": ["pan", "queso", "arroz", "tomate"],
        "lugares": ["pueblo", "puerto", "lago", "bosque"],
    },
    "en": {
        "animals": ["dog", "cat", "horse", "rabbit"],
        "food": ["bread", "cheese", "rice", "tomato"],
        "places": ["village", "port", "lake", "forest"],
    },
}

_PEOPLE = ["Ana", "Bruno", "Carmen", "Diego", "Elena", "Farah"]
_TRAITS = {
    "es": ["extroversión", "curiosidad", "orden", "calma", "amabilidad"],
    "en": ["extraversion", "curiosity", "orderliness", "calmness", "kindness"],
}
# Diego answers like Ana but more mildly (nearly the same direction, a third of the
# length); Carmen is closer to Ana in straight-line distance but points elsewhere.
# Chapter 1 uses this pair to show why cosine similarity looks at direction rather than
# length.
_TRAIT_SCORES = [
    [0.8, 0.6, -0.2, 0.3, 0.7],
    [-0.6, 0.2, 0.9, 0.5, 0.1],
    [0.6, 0.2, 0.3, -0.1, 0.6],
    [0.2, 0.15, -0.05, 0.1, 0.2],
    [0.7, -0.5, -0.6, -0.4, 0.2],
    [-0.2, 0.9, 0.4, 0.6, 0.5],
]


class TraitTable(NamedTuple):
    """People described by traits: ``values[i, j]`` is person ``people[i]``'s score on
    ``traits[j]``, between -1 and 1."""

    people: list
    traits: list
    values: np.ndarray


def _check_lang(lang):
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"lang must be 'es' or 'en', got {lang!r}; pass lang='es' or "
                         "lang='en'")


def toy_corpus(lang):
    """Return the toy corpus of language ``lang`` as a list of tokenised sentences.

    >>> toy_corpus("en")[0]
    ['the', 'dog', 'sleeps', 'in', 'the', 'garden']
    """
    _check_lang(lang)
    return [line.split() for line in _CORPUS_TEXT[lang].strip().splitlines()]


def topic_words(lang):
    """Return ``{topic name: [four target words]}`` for the toy corpus of ``lang``.

    The topics come in the same order in both languages (animals, food, places), and so
    do the words inside each topic, so ``topic_words("es")`` and ``topic_words("en")``
    line up.
    """
    _check_lang(lang)
    return {topic: list(words) for topic, words in _TOPIC_WORDS[lang].items()}


def people_traits(lang):
    """Return the chapter-1 table of six invented people scored on five traits.

    The names are the same in both languages; the trait names are in ``lang``.
    ``values`` is a float64 array of shape (6, 5).
    """
    _check_lang(lang)
    return TraitTable(
        people=list(_PEOPLE),
        traits=list(_TRAITS[lang]),
        values=np.array(_TRAIT_SCORES, dtype=np.float64),
    )
