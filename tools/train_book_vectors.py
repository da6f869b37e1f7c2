"""Train the word vectors that the book's chapters load, once, and write them to
book/data/.

Usage (or ``make vectors``)::

    .venv/bin/python tools/train_book_vectors.py            # every corpus in CORPORA
    .venv/bin/python tools/train_book_vectors.py shakespeare

For each corpus this runs one call,
``Word2Vec(**settings_for(corpus)).fit(<corpus>_sentences())`` (skip-gram with negative
sampling, seeded: ``SETTINGS``, with the seed of ``SEEDS`` if any), and writes two
files:

* ``book/data/<corpus>_sgns.vec.gz``: the centre vectors (``model.wv_``) in word2vec's
  text format, gzip-compressed, every value rounded to ``DECIMALS`` decimals. Rounding
  keeps the files small (about 1 MB each) and changes a cosine by less than 1e-3, far
  less than the gaps between the neighbours the chapters print.
* ``book/data/<corpus>_sgns.json``: the settings, the w2vlib version and the corpus and
  vocabulary sizes (``tokens_kept``: tokens of
  words with at least ``min_count`` occurrences), so a chapter can say how its vectors
  were made without training them.

Training is bit-for-bit deterministic for a fixed seed on one machine (same NumPy and
BLAS), so running this twice writes identical bytes. A different BLAS kernel (e.g.
``OPENBLAS_CORETYPE=Haswell`` on an AVX-512 machine) sums in another order: measured on
the Shakespeare vectors, the largest difference is about 1e-4 (the values reach about
2.7). ``tests/test_book_vectors.py`` retrains and compares with that in mind.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import w2vlib
from w2vlib.files import write_text_atomically

DATA = Path(__file__).resolve().parents[1] / "book" / "data"

#: Every setting spelled out, defaults included, so a change of w2vlib's defaults cannot
#: silently change the book's vectors.
SETTINGS = {
    "vector_size": 50,
    "window": 5,
    "min_count": 5,
    "negative": 5,
    "sample": 1e-3,
    "epochs": 5,
    "alpha": 0.025,
    "min_alpha": 1e-4,
    "random_state": 1,
}
#: Corpus name -> the w2vlib function that returns its sentences.
CORPORA = {
    "shakespeare": "shakespeare_sentences",
    "reina_valera": "reina_valera_sentences",
    # the verse-aligned English parallel of the Reina-Valera (chapter 9 maps one onto
    # the other)
    "world_english_bible": "world_english_bible_sentences",
}
#: Seeds that differ from ``SETTINGS["random_state"]``. The English side of the parallel
#: Bible gets its own: started from the same random numbers as the Reina-Valera, the
#: frequent words of both (the first rows, in the same order) would start from the same
#: vectors, and the two spaces would come out partly aligned before chapter 9 aligns
#: them.
SEEDS = {"world_english_bible": 2}
DECIMALS = 4


def settings_for(corpus: str) -> dict:
    """``SETTINGS`` with the seed of ``corpus``."""
    return {**SETTINGS, "random_state": SEEDS.get(corpus, SETTINGS["random_state"])}


def vectors_path(corpus: str, folder: Path = DATA) -> Path:
    return Path(folder) / f"{corpus}_sgns.vec.gz"


def info_path(corpus: str, folder: Path = DATA) -> Path:
    return Path(folder) / f"{corpus}_sgns.json"


def load(corpus: str, folder: Path = DATA) -> tuple[w2vlib.KeyedVectors, dict]:
    """The stored vectors of ``corpus`` and their description (the JSON file)."""
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; choose one of "
                         f"{', '.join(CORPORA)}")
    path = vectors_path(corpus, folder)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; create it with `make vectors`")
    info = json.loads(info_path(corpus, folder).read_text(encoding="utf-8"))
    return w2vlib.KeyedVectors.load_word2vec_format(path), info


def train(corpus: str) -> tuple[w2vlib.KeyedVectors, dict]:
    """Train on ``corpus``; return the rounded vectors and their description."""
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; choose one of "
                         f"{', '.join(CORPORA)}")
    sentences = getattr(w2vlib, CORPORA[corpus])()
    model = w2vlib.Word2Vec(**settings_for(corpus)).fit(sentences)
    wv = model.wv_
    # + 0.0 turns the -0.0 that rounding can produce into 0.0, which prints shorter
    rounded = np.round(wv.vectors, DECIMALS) + 0.0
    info = {
        "corpus": corpus,
        "sentences_function": f"w2vlib.{CORPORA[corpus]}",
        "settings": settings_for(corpus),
        "decimals": DECIMALS,
        "w2vlib_version": w2vlib.__version__,
        "sentences": len(sentences),
        "tokens": sum(map(len, sentences)),
        "tokens_kept": int(model.vocab_.total_words_),
        "vocabulary_size": len(wv),
    }
    return w2vlib.KeyedVectors(rounded, wv.index_to_key), info


def write(corpus: str, folder: Path = DATA) -> tuple[Path, Path]:
    """Train on ``corpus`` and write its two files into ``folder``; return their
    paths."""
    wv, info = train(corpus)
    wv.save_word2vec_format(vectors_path(corpus, folder))
    write_text_atomically(info_path(corpus, folder), json.dumps(info, indent=2) + "\n")
    return vectors_path(corpus, folder), info_path(corpus, folder)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", metavar="corpus",
                        help=f"corpora to train (default all: {', '.join(CORPORA)})")
    parser.add_argument("--output-dir", type=Path, default=DATA,
                        help="folder for the files (default book/data)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.corpora if name not in CORPORA]
    if unknown:
        parser.error(f"unknown corpus {unknown[0]!r}; choose from {', '.join(CORPORA)}")
    for corpus in args.corpora or list(CORPORA):
        start = time.perf_counter()
        vectors_file, _ = write(corpus, args.output_dir)
        print(f"{corpus}: {vectors_file} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
