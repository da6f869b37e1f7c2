"""Train the models chapter 8 loads, once, and write them to book/data/.

Usage::

    .venv/bin/python tools/train_chapter8_data.py            # both parts
    .venv/bin/python tools/train_chapter8_data.py pmi        # or: seeds
    .venv/bin/python tools/train_chapter8_data.py pmi --corpus reina_valera

Two parts, each too slow for a notebook that must run in about a minute:

* ``pmi``: for each corpus in ``PMI_CORPORA`` (or given with ``--corpus``), the
  sentences cut down to the ``PMI_VOCABULARY`` most frequent words (the other words are
  removed, as ``cooccurrence_matrix`` removes unknown words), and one skip-gram model
  with negative sampling trained on them with ``PMI_SETTINGS``: a dimension as large as
  the vocabulary, a fixed window, no subsampling, many epochs, so that training comes
  close to the optimum of its objective (Levy & Goldberg 2014). Written as
  ``<corpus>_pmi_sgns.npz``: ``U`` (|V| x n), ``V`` (n x |V|), ``words``, ``settings``
  (JSON).
* ``seeds``: the book vectors of ``tools/train_book_vectors.py`` (same settings)
  retrained with the seeds ``EXTRA_SEEDS``, so that chapter 8 can show how much a number
  measured on the vectors moves from one seed to another. Only the ``SEED_WORDS`` most
  frequent words are kept, to keep the files small: ``<corpus>_sgns_seed<k>.vec.gz``
  (word2vec text format, rounded as the book vectors are).

Training is deterministic for a fixed seed on one machine (see train_book_vectors.py).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import w2vlib
from w2vlib.files import write_atomically

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_book_vectors as book  # noqa: E402

DATA = book.DATA
PMI_VOCABULARY = 200
PMI_SETTINGS = {
    "vector_size": 200,
    "window": 2,
    "dynamic_window": False,
    "min_count": 1,
    "negative": 5,
    "ns_exponent": 0.75,
    "sample": 0.0,
    "epochs": 20,
    "alpha": 0.025,
    "min_alpha": 1e-4,
    "dtype": "float64",
    "random_state": 0,
}
#: Corpora of the ``pmi`` part by default: chapter 8 shows Shakespeare (about 10 minutes
#: on a busy 2-core machine); ``--corpus reina_valera`` trains the Spanish one for its
#: exercise.
PMI_CORPORA = ("shakespeare",)
EXTRA_SEEDS = (2, 3)
SEED_WORDS = 5000


def pmi_sentences(corpus: str) -> list[list[str]]:
    """The corpus with every word outside its ``PMI_VOCABULARY`` most frequent
    removed."""
    sentences = getattr(w2vlib, book.CORPORA[corpus])()
    keep = set(w2vlib.Vocabulary(max_size=PMI_VOCABULARY).fit(sentences).index_to_key_)
    kept = ([w for w in sentence if w in keep] for sentence in sentences)
    return [sentence for sentence in kept if len(sentence) > 1]


def pmi_path(corpus: str, folder: Path = DATA) -> Path:
    return Path(folder) / f"{corpus}_pmi_sgns.npz"


def seed_path(corpus: str, seed: int, folder: Path = DATA) -> Path:
    return Path(folder) / f"{corpus}_sgns_seed{seed}.vec.gz"


def write_pmi(corpus: str, folder: Path = DATA) -> Path:
    model = w2vlib.Word2Vec(**PMI_SETTINGS).fit(pmi_sentences(corpus))
    # float32 halves the file; its rounding (1e-7 relative) is far below what chapter 8
    # reads.
    arrays = {
        "U": model.U_.astype(np.float32),
        "V": model.V_.astype(np.float32),
        "words": np.array(model.vocab_.index_to_key_),
        "settings": json.dumps(PMI_SETTINGS),
        "loss_history": np.array(model.loss_history_),
    }
    path = pmi_path(corpus, folder)
    write_atomically(path, lambda file: np.savez_compressed(file, **arrays))
    return path


def write_seed(corpus: str, seed: int, folder: Path = DATA) -> Path:
    sentences = getattr(w2vlib, book.CORPORA[corpus])()
    model = w2vlib.Word2Vec(**{**book.SETTINGS, "random_state": seed}).fit(sentences)
    words = model.wv_.index_to_key[:SEED_WORDS]
    rounded = np.round(model.wv_.vectors[:SEED_WORDS], book.DECIMALS) + 0.0
    path = seed_path(corpus, seed, folder)
    w2vlib.KeyedVectors(rounded, words).save_word2vec_format(path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", choices=["pmi", "seeds"], metavar="part",
                        help="pmi and/or seeds (default both)")
    parser.add_argument("--corpus", choices=list(book.CORPORA), action="append",
                        help="train only this corpus (repeatable; default all)")
    parser.add_argument("--output-dir", type=Path, default=DATA,
                        help="folder for the files (default book/data)")
    args = parser.parse_args(argv)
    parts = args.parts or ["pmi", "seeds"]
    for corpus in args.corpus or list(book.CORPORA):
        jobs = []
        if "pmi" in parts and (args.corpus or corpus in PMI_CORPORA):
            jobs.append((write_pmi, (corpus, args.output_dir)))
        if "seeds" in parts:
            jobs += [
                (write_seed, (corpus, seed, args.output_dir)) for seed in EXTRA_SEEDS
            ]
        for function, arguments in jobs:
            start = time.perf_counter()
            path = function(*arguments)
            print(f"{path} in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
