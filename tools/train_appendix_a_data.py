"""Train the models appendix A (hierarchical softmax) compares; store what it shows.

Usage (about a minute: twelve models of 3-4 s, and their evaluation)::

    .venv/bin/python tools/train_appendix_a_data.py

For each corpus (Reina-Valera 1909, Shakespeare), each output layer (hierarchical
softmax, ``hs=True, negative=0``; negative sampling, ``negative=5``) and each seed of
``SEEDS``, one skip-gram model with ``SETTINGS`` (those of the book vectors,
``tools/train_book_vectors.py``). Twelve models are too slow for a notebook, and their
vectors too large for the repository, so ``book/data/appendix_a_hs.json`` keeps only
what the appendix computes from them:

* ``loss_history`` and ``seconds`` (training time, this machine, for the record only);
* ``neighbours``: the 10 nearest neighbours (cosine) of ``PROBE_WORDS`` words per
  frequency band of ``BANDS`` (drawn with a fixed seed from the words of that band), as
  vocabulary indices; the appendix measures how much they change from one seed to
  another;
* for Shakespeare, the cosine of every WordSim-353 and SimLex-999 pair whose two words
  are in the vocabulary (``pairs``: word indices, gold score, cosine) and the analogy
  questions answered and answered right (``analogies``).

Training is deterministic for a fixed seed on one machine (see train_book_vectors.py).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

import w2vlib
from w2vlib.evaluation import _read_lines
from w2vlib.files import write_atomically

OUTPUT = Path(__file__).resolve().parents[1] / "book" / "data" / "appendix_a_hs.json"
SETTINGS = dict(vector_size=50, window=5, min_count=5, sample=1e-3, epochs=5)
OUTPUT_LAYERS = {"hs": dict(hs=True, negative=0), "sgns": dict(negative=5)}
SEEDS = (1, 2, 3)
CORPORA = {
    "reina_valera": w2vlib.reina_valera_sentences,
    "shakespeare": w2vlib.shakespeare_sentences,
}
#: Frequency bands by corpus count, [low, high): rare to frequent.
BANDS = ((5, 10), (10, 30), (30, 100), (100, 1000), (1000, 10**9))
PROBE_WORDS = 150
TOP = 10


def probe_words(counts):
    """Up to PROBE_WORDS vocabulary indices per band, drawn with a fixed seed."""
    rng = np.random.default_rng(0)
    probes = []
    for low, high in BANDS:
        band = np.flatnonzero((counts >= low) & (counts < high))
        chosen = rng.choice(band, size=min(PROBE_WORDS, band.size), replace=False)
        probes.append(sorted(int(i) for i in chosen))
    return probes


def nearest(unit, words):
    scores = unit[words] @ unit.T
    scores[np.arange(len(words)), words] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :TOP].tolist()


def pair_cosines(unit, index, path):
    rows = []
    for _, line in _read_lines(path):
        parts = line.split("\t")
        if not line or line.startswith("#") or len(parts) != 3:
            continue
        a, b = index.get(parts[0].strip().lower()), index.get(parts[1].strip().lower())
        if a is not None and b is not None:
            rows.append([a, b, float(parts[2]), round(float(unit[a] @ unit[b]), 6)])
    return rows


def main():
    result = {"settings": SETTINGS, "output_layers": OUTPUT_LAYERS, "seeds": SEEDS,
              "bands": BANDS, "top": TOP, "corpora": {}}
    for corpus, read in CORPORA.items():
        sentences = read()
        vocab = w2vlib.Vocabulary(min_count=SETTINGS["min_count"]).fit(sentences)
        probes = probe_words(vocab.counts_)
        entry = {"vocabulary_size": len(vocab), "probes": probes, "models": {}}
        for layer, options in OUTPUT_LAYERS.items():
            for seed in SEEDS:
                start = time.perf_counter()
                model = w2vlib.Word2Vec(**SETTINGS, **options, random_state=seed)
                model.fit(sentences)
                seconds = time.perf_counter() - start
                assert model.wv_.index_to_key == vocab.index_to_key_
                vectors = model.wv_.vectors.astype(np.float64)
                unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
                record = {
                    "seconds": round(seconds, 1),
                    "loss_history": [round(value, 5) for value in model.loss_history_],
                    "neighbours": [nearest(unit, band) for band in probes],
                }
                if corpus == "shakespeare":
                    index = vocab.key_to_index_
                    record["pairs"] = {
                        name: pair_cosines(unit, index, path())
                        for name, path in (("wordsim353", w2vlib.wordsim353_path),
                                           ("simlex999", w2vlib.simlex999_path))
                    }
                    analogies = w2vlib.evaluate_word_analogies(
                        model.wv_, w2vlib.questions_words_path())
                    record["analogies"] = [analogies.correct, analogies.total]
                entry["models"][f"{layer}_seed{seed}"] = record
                print(f"{corpus} {layer} seed {seed}: {seconds:.0f} s, "
                      f"loss {model.loss_history_[-1]:.4f}", flush=True)
        result["corpora"][corpus] = entry
    data = json.dumps(result, separators=(",", ":")).encode("utf-8")
    write_atomically(OUTPUT, lambda file: file.write(data))
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
