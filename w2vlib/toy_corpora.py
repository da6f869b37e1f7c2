"""Tiny hand-written data sets for the first chapters, in Spanish and in English.

``toy_corpus(lang)`` is a 48-sentence corpus about three topics (animals, food, places).
Each topic has four target words that share their contexts with each other and not with
the other topics, so co-occurrence counts, PPMI and SVD vectors built from it have
neighbours a reader can check by eye. The Spanish and English corpora are sentence-by-sentence
translations: sentence ``i`` of one says what sentence ``i`` of the other says.

``people_traits(lang)`` is a small table of invented people scored on five personality-like
traits between -1 and 1, used in chapter 1 to describe things as vectors.

Both functions take ``lang="es"`` or ``lang="en"`` and return fresh objects, so a caller may
modify what it gets without changing what the next caller gets.
"""
from typing import NamedTuple

import numpy as np

LANGUAGES = ("es", "en")

# One sentence per line, already lower-cased and without punctuation: whitespace tokenisation
# is all the chapters need, so the corpus shows exactly the tokens the counts are made of.
_CORPUS_TEXT = {
    "es": """
el perro duerme en el jardín
el gato duerme en el sofá
el caballo corre en el campo
el conejo corre en el jardín
el perro juega con una pelota
el gato juega con el conejo
el caballo bebe agua en el campo
el conejo bebe agua
mi perro corre y juega todo el día
mi gato bebe agua y duerme
el caballo duerme de pie
el conejo juega en el campo
el perro y el gato duermen juntos
el caballo juega con el perro
un gato pequeño corre en el jardín
el conejo duerme y el caballo corre
comemos pan en el desayuno
comemos arroz en la cena
compramos queso en el mercado
compramos pan en el mercado
cocinamos sopa para la cena
cocinamos arroz con queso
el pan está fresco y rico
el queso está fresco
la sopa está caliente y rica
comemos sopa con pan
la abuela cocina un arroz rico
comemos queso y pan
compramos arroz en el mercado
la sopa caliente está lista para la cena
cocinamos la sopa en una olla grande
comemos queso fresco en el desayuno
vivimos en un pueblo tranquilo
vivimos en una ciudad grande
viajamos a la playa en verano
viajamos a la montaña en invierno
visitamos el pueblo cada verano
visitamos la ciudad en vacaciones
la playa está lejos de la ciudad
la montaña está lejos del pueblo
la ciudad es grande y ruidosa
el pueblo es pequeño y tranquilo
vivimos cerca de la playa
viajamos a la ciudad en tren
visitamos la montaña en vacaciones
la playa está tranquila en invierno
viajamos del pueblo a la montaña
la montaña y la playa son preciosas
""",
    "en": """
the dog sleeps in the garden
the cat sleeps on the sofa
the horse runs in the field
the rabbit runs in the garden
the dog plays with a ball
the cat plays with the rabbit
the horse drinks water in the field
the rabbit drinks water
my dog runs and plays all day
my cat drinks water and sleeps
the horse sleeps standing up
the rabbit plays in the field
the dog and the cat sleep together
the horse plays with the dog
a small cat runs in the garden
the rabbit sleeps and the horse runs
we eat bread for breakfast
we eat rice for dinner
we buy cheese at the market
we buy bread at the market
we cook soup for dinner
we cook rice with cheese
the bread is fresh and tasty
the cheese is fresh
the soup is hot and tasty
we eat soup with bread
grandma cooks a tasty rice
we eat cheese and bread
we buy rice at the market
the hot soup is ready for dinner
we cook the soup in a big pot
we eat fresh cheese for breakfast
we live in a quiet village
we live in a big city
we travel to the beach in summer
we travel to the mountain in winter
we visit the village every summer
we visit the city on holiday
the beach is far from the city
the mountain is far from the village
the city is big and noisy
the village is small and quiet
we live near the beach
we travel to the city by train
we visit the mountain on holiday
the beach is quiet in winter
we travel from the village to the mountain
the mountain and the beach are beautiful
""",
}

# The four target words of each topic, in the same order in both languages.
_TOPIC_WORDS = {
    "es": {
        "animales": ["perro", "gato", "caballo", "conejo"],
        "comida": ["pan", "queso", "arroz", "sopa"],
        "lugares": ["pueblo", "ciudad", "playa", "montaña"],
    },
    "en": {
        "animals": ["dog", "cat", "horse", "rabbit"],
        "food": ["bread", "cheese", "rice", "soup"],
        "places": ["village", "city", "beach", "mountain"],
    },
}

_PEOPLE = ["Ana", "Bruno", "Carmen", "Diego", "Elena", "Farah"]
_TRAITS = {
    "es": ["extroversión", "curiosidad", "orden", "calma", "amabilidad"],
    "en": ["extraversion", "curiosity", "orderliness", "calmness", "kindness"],
}
# Diego answers like Ana but more mildly (nearly the same direction, a third of the length);
# Carmen is closer to Ana in straight-line distance but points elsewhere. Chapter 1 uses
# this pair to show why cosine similarity looks at direction rather than length.
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
        raise ValueError(f"lang must be 'es' or 'en', got {lang!r}; pass lang='es' or lang='en'")


def toy_corpus(lang):
    """Return the toy corpus of language ``lang`` as a list of tokenised sentences.

    >>> toy_corpus("en")[0]
    ['the', 'dog', 'sleeps', 'in', 'the', 'garden']
    """
    _check_lang(lang)
    return [line.split() for line in _CORPUS_TEXT[lang].strip().splitlines()]


def topic_words(lang):
    """Return ``{topic name: [four target words]}`` for the toy corpus of ``lang``.

    The topics come in the same order in both languages (animals, food, places), and so do
    the words inside each topic, so ``topic_words("es")`` and ``topic_words("en")`` line up.
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
