"""Train the models chapters 6 and 7 compare, once; write their scores to book/data/.

Usage::

    .venv/bin/python tools/train_chapter7_data.py            # both parts
    .venv/bin/python tools/train_chapter7_data.py sweeps     # or: gensim6

A hyperparameter's effect can only be read against the spread over seeds, and chapter 7
compares many settings: training them all inside the notebook would take many minutes.

* ``sweeps`` (``chapter7_sweeps.json``, about 5 minutes on a busy 2-core machine):
  Shakespeare, chapter 7's base settings (``BASE``: 2 epochs, n = 50, window 5, K = 5,
  ``sample`` 1e-3, noise exponent 3/4), three seeds each, for every variant of
  ``VARIANTS`` (one setting changed at a time: K, ``sample``, the noise exponent, and
  the two ways ``w2vlib`` departs from per-pair SGD, a pool of negatives per centre and
  small steps), and gensim with the base settings (per-pair SGD, one worker thread, so
  deterministic). For each model it stores the cosines of the WordSim-353 and SimLex-999
  pairs (so the chapter can bootstrap Spearman's rho and the paired differences), the
  analogy counts, and the same scores for the sum of the centre and outside vectors
  (``w + c``, Levy, Goldberg & Dagan 2015) of the base models.
* ``gensim6`` (``chapter6_gensim.json``, under a minute): gensim with chapter 6's
  settings on both corpora, asked chapter 6's real-versus-noise question on exactly the
  pairs and noise draws of chapter 6's cell (same seeds, same order), so that the
  chapter can show the share it reaches is a property of the test, not of ``w2vlib``'s
  training.

Training is deterministic for a fixed seed on one machine; the chapters check that their
own seed-1 model gives the stored scores.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import gensim
import numpy as np

import w2vlib
from w2vlib import KeyedVectors, Vocabulary, Word2Vec
from w2vlib.evaluation import (
    evaluate_word_analogies,
    evaluate_word_pairs,
    questions_words_path,
    simlex999_path,
    wordsim353_path,
)
from w2vlib.files import write_atomically
from w2vlib.losses import sigmoid
from w2vlib.pairs import skipgram_pairs
from w2vlib.sampling import AliasSampler

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
SEEDS = (1, 2, 3)
#: Chapter 7's base model (``BASE`` in the notebook).
BASE = dict(vector_size=50, window=5, negative=5, min_count=5, sample=1e-3, epochs=2,
            alpha=0.025, min_alpha=1e-4)
#: One setting changed at a time: (name, value) -> Word2Vec keyword arguments.
VARIANTS = {
    ("base", None): {},
    ("negative", 2): {"negative": 2},
    ("negative", 15): {"negative": 15},
    ("sample", 0.0): {"sample": 0.0},
    ("sample", 1e-4): {"sample": 1e-4},
    ("ns_exponent", 0.0): {"ns_exponent": 0.0},
    ("ns_exponent", 1.0): {"ns_exponent": 1.0},
    ("shared_negatives", 1): {"shared_negatives": 1},
    ("batch_size", 256): {"batch_size": 256},
}
#: Chapter 6's real corpora model (its cell "SGNS on the real corpora").
CHAPTER6 = dict(vector_size=50, window=5, negative=5, min_count=5, sample=1e-3,
                epochs=3)


def _round(values):
    return [round(float(v), 5) for v in values]


def scores(wv):
    """Per-pair cosines of the two similarity sets and the analogy counts of ``wv``."""
    ws = evaluate_word_pairs(wv, wordsim353_path())
    simlex = evaluate_word_pairs(wv, simlex999_path())
    analogies = evaluate_word_analogies(wv, questions_words_path())
    return {"ws353": _round(ws.model_scores), "simlex": _round(simlex.model_scores),
            "ws353_rho": ws.spearman, "simlex_rho": simlex.spearman,
            "analogies": [int(analogies.correct), int(analogies.total)]}, (ws, simlex)


def sweeps(sentences):
    runs, gold = [], None
    for (setting, value), changes in VARIANTS.items():
        for seed in SEEDS:
            start = time.perf_counter()
            model = Word2Vec(**{**BASE, **changes}, random_state=seed).fit(sentences)
            seconds = time.perf_counter() - start
            row, (ws, simlex) = scores(model.wv_)
            gold = gold or {"ws353": _round(ws.gold_scores),
                            "simlex": _round(simlex.gold_scores)}
            row.update(library="w2vlib", setting=setting, value=value, seed=seed,
                       seconds=round(seconds, 1))
            if setting == "base":
                summed = KeyedVectors(model.V_.T + model.U_, model.wv_.index_to_key)
                row["w_plus_c"], _ = scores(summed)
            runs.append(row)
            print(f"w2vlib {setting}={value} seed {seed}: {seconds:.1f} s, "
                  f"WS353 {row['ws353_rho']:.3f}", flush=True)
    for seed in SEEDS:
        model = gensim.models.Word2Vec(
            sg=1, hs=0, seed=seed, workers=1, vector_size=BASE["vector_size"],
            window=BASE["window"], negative=BASE["negative"],
            min_count=BASE["min_count"], sample=BASE["sample"], alpha=BASE["alpha"],
            min_alpha=BASE["min_alpha"])
        model.build_vocab(sentences)
        start = time.perf_counter()
        model.train(sentences, total_examples=model.corpus_count, epochs=BASE["epochs"])
        row, _ = scores(model.wv)
        row.update(library="gensim", setting="base", value=None, seed=seed,
                   seconds=round(time.perf_counter() - start, 1))
        runs.append(row)
        print(f"gensim seed {seed}: WS353 {row['ws353_rho']:.3f}", flush=True)
    return {"settings": BASE, "seeds": list(SEEDS), "gold": gold, "runs": runs}


def gensim6(corpora):
    """Chapter 6's real-versus-noise test: gensim's model, chapter 6's pairs, draws."""
    result = {"settings": CHAPTER6}
    for seed, (name, text) in enumerate(corpora.items()):
        vocab = Vocabulary(min_count=5).fit(text)
        pair_c, pair_o = skipgram_pairs(vocab.encode(text), window=5)
        ask = np.random.default_rng(seed)
        chosen = ask.choice(pair_c.size, size=100_000, replace=False)
        fake = AliasSampler(vocab.noise_distribution(0.75)).sample(ask, chosen.size)
        model = gensim.models.Word2Vec(
            text, sg=1, hs=0, workers=1, seed=1, vector_size=CHAPTER6["vector_size"],
            window=CHAPTER6["window"], negative=CHAPTER6["negative"],
            min_count=CHAPTER6["min_count"], sample=CHAPTER6["sample"],
            epochs=CHAPTER6["epochs"])
        to_gensim = np.array([model.wv.key_to_index[w] for w in vocab.index_to_key_])
        V_c = model.wv.vectors[to_gensim[pair_c[chosen]]]
        p_real = sigmoid(np.einsum("bn,bn->b", V_c,
                                   model.syn1neg[to_gensim[pair_o[chosen]]]))
        p_noise = sigmoid(np.einsum("bn,bn->b", V_c, model.syn1neg[to_gensim[fake]]))
        result[name] = {"mean_p_real": float(p_real.mean()),
                        "mean_p_noise": float(p_noise.mean()),
                        "real_beats_noise": float(np.mean(p_real > p_noise))}
        print(name, result[name], flush=True)
    return result


def write_json(name, payload):
    path = DATA / name
    write_atomically(path, lambda f: f.write(json.dumps(payload, indent=1).encode()))
    print(f"wrote {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", choices=["sweeps", "gensim6"],
                        default=["sweeps", "gensim6"])
    parts = parser.parse_args(argv).parts
    start = time.perf_counter()
    if "gensim6" in parts:
        write_json("chapter6_gensim.json", gensim6(
            {"Reina-Valera 1909": w2vlib.reina_valera_sentences(),
             "Shakespeare": w2vlib.shakespeare_sentences()}))
    if "sweeps" in parts:
        write_json("chapter7_sweeps.json", sweeps(w2vlib.shakespeare_sentences()))
    print(f"{time.perf_counter() - start:.0f} s in all")


if __name__ == "__main__":
    sys.exit(main())
