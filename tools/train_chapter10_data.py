"""Train the models chapter 10 compares, once, and write their scores to book/data/.

Usage::

    .venv/bin/python tools/train_chapter10_data.py          # needs pyspark and Java 17+

Chapter 10 runs Apache Spark MLlib's ``Word2Vec`` live once (one partition, which is
deterministic); the comparisons it draws need many more runs than a notebook can afford,
so this script makes them and writes ``book/data/chapter10_runs.json``:

* Spark, skip-gram with hierarchical softmax (its only method), on Shakespeare, with 1,
  2 and 4 partitions and 1 and 3 iterations, seeds 1 to 3. One partition runs on
  ``local[1]``. More partitions run on ``local-cluster[p,1,1024]``: p executor
  *processes* of one core each, so that every partition trains its own copy of the
  vectors and Spark averages the copies after each iteration, as on a real cluster. (On
  ``local[p]`` the partitions are threads of one process that share a single copy of the
  broadcast vectors, which is lock-free shared memory, not parameter averaging; the
  chapter shows both.)
* gensim with Spark's settings (``sg=1, hs=1, negative=0, sample=0``), workers 1 and 2,
  the same iterations and seeds: the single-machine reference of the same algorithm.

For every run: wall seconds, the model's cosines on the WordSim-353 and SimLex-999 pairs
it covers (so the chapter can draw bootstrap intervals), the analogy hits and totals,
and the ten nearest neighbours of a few query words. The vectors themselves are not
kept. Timings depend on what else the machine is doing; the chapter reports them as
such.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

import w2vlib
from w2vlib.evaluation import (
    evaluate_word_analogies,
    evaluate_word_pairs,
    questions_words_path,
    simlex999_path,
    wordsim353_path,
)
from w2vlib.files import write_text_atomically

DATA = Path(__file__).resolve().parents[1] / "book" / "data"
OUT = DATA / "chapter10_runs.json"

#: The settings every run shares (chapter 7's base model, where Spark has the setting).
SETTINGS = {"vector_size": 50, "window": 5, "min_count": 5, "alpha": 0.025}
PARTITIONS = (1, 2, 4)
ITERATIONS = (1, 3)
SEEDS = (1, 2, 3)
WORKERS = (1, 2)
QUERIES = ("king", "night", "love", "eat", "gold", "death")


def spark_session(partitions: int):
    """A local Spark session: one thread for one partition, else p executors."""
    from pyspark.sql import SparkSession

    master = ("local[1]" if partitions == 1
              else f"local-cluster[{partitions},1,1024]")
    session = (SparkSession.builder.master(master).appName("chapter10")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.extraJavaOptions",
                       f"-Dlog4j2.configurationFile={DATA / 'spark_log4j2.properties'}")
               .config("spark.executor.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_vectors(session, sentences, partitions, iterations, seed):
    """Spark MLlib's Word2Vec: its vectors as w2vlib KeyedVectors, and the seconds."""
    from pyspark.mllib.feature import Word2Vec as SparkWord2Vec

    rdd = session.sparkContext.parallelize(sentences, partitions)
    start = time.perf_counter()
    model = (SparkWord2Vec().setVectorSize(SETTINGS["vector_size"])
             .setWindowSize(SETTINGS["window"]).setMinCount(SETTINGS["min_count"])
             .setLearningRate(SETTINGS["alpha"]).setNumPartitions(partitions)
             .setNumIterations(iterations).setSeed(seed).fit(rdd))
    vectors = {word: list(vector) for word, vector in model.getVectors().items()}
    seconds = time.perf_counter() - start
    words = sorted(vectors)
    return w2vlib.KeyedVectors(np.array([vectors[w] for w in words]), words), seconds


def gensim_vectors(sentences, workers, iterations, seed):
    import gensim

    start = time.perf_counter()
    model = gensim.models.Word2Vec(
        sentences, sg=1, hs=1, negative=0, sample=0, workers=workers, seed=seed,
        vector_size=SETTINGS["vector_size"], window=SETTINGS["window"],
        min_count=SETTINGS["min_count"], alpha=SETTINGS["alpha"], epochs=iterations)
    seconds = time.perf_counter() - start
    wv = model.wv
    return w2vlib.KeyedVectors(wv.vectors, wv.index_to_key), seconds


def scores(wv) -> dict:
    ws = evaluate_word_pairs(wv, wordsim353_path())
    simlex = evaluate_word_pairs(wv, simlex999_path())
    analogies = evaluate_word_analogies(wv, questions_words_path())
    return {
        "ws353": [round(float(x), 6) for x in ws.model_scores],
        "simlex": [round(float(x), 6) for x in simlex.model_scores],
        "analogy_hits": int(analogies.correct),
        "analogy_total": int(analogies.total),
        "neighbours": {q: [w for w, _ in wv.most_similar(q, topn=10)]
                       for q in QUERIES},
    }, {"ws353": ws.gold_scores.tolist(), "simlex": simlex.gold_scores.tolist()}


def record(runs, gold_scores, wv, **run):
    """Append the scores of one run; all runs must score the same pairs."""
    measured, gold = scores(wv)
    if gold_scores.setdefault("pairs", gold) != gold:
        raise RuntimeError(f"run {run} scored other word pairs than the first run")
    runs.append({**run, **measured})
    print(", ".join(f"{k}={v}" for k, v in run.items()), flush=True)


def main() -> int:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    sentences = w2vlib.shakespeare_sentences()
    runs, gold_scores = [], {}
    for partitions in PARTITIONS:
        session = spark_session(partitions)
        for iterations in ITERATIONS:
            for seed in SEEDS:
                wv, seconds = spark_vectors(session, sentences, partitions,
                                            iterations, seed)
                record(runs, gold_scores, wv, engine="spark", partitions=partitions,
                       iterations=iterations, seed=seed, seconds=round(seconds, 1))
        session.stop()
    for workers in WORKERS:
        for iterations in ITERATIONS:
            for seed in SEEDS:
                wv, seconds = gensim_vectors(sentences, workers, iterations, seed)
                record(runs, gold_scores, wv, engine="gensim", workers=workers,
                       iterations=iterations, seed=seed,
                       seconds=round(seconds, 1))
    import pyspark

    result = {"settings": SETTINGS, "queries": list(QUERIES),
              "gold": gold_scores["pairs"], "pyspark_version": pyspark.__version__,
              "runs": runs}
    write_text_atomically(OUT, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
