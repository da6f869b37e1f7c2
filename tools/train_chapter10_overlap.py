"""Train the seeds behind chapter 10's neighbour overlaps; store the neighbour lists.

Usage::

    .venv/bin/python tools/train_chapter10_overlap.py       # needs pyspark and Java 17+

Chapter 10 compares the ten nearest neighbours of 500 words of middling frequency
(ranks 101 to 600 of the ``min_count=5`` vocabulary) in Spark MLlib's ``Word2Vec`` and
in gensim with the same algorithm (skip-gram, hierarchical softmax, no subsampling, one
epoch). One pair of seeds is one draw; this script trains, on Shakespeare and on the
Reina-Valera, Spark with one partition and seeds 1 to 3 (deterministic for a seed, in
the chapter's ``local[2]`` session) and gensim with one worker thread and seeds 1 to 5
(deterministic too), and writes each model's neighbour lists to
``book/data/chapter10_overlap.json``, so that the chapter counts the overlap of every
Spark~gensim pair and every pair of seeds without training them. It took 3.5 minutes
on a busy two-core machine.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import gensim
import numpy as np
from pyspark import SparkConf, SparkContext
from pyspark.mllib.feature import Word2Vec as SparkWord2Vec

import w2vlib
from w2vlib.files import write_text_atomically

DATA = Path(__file__).resolve().parents[1] / "book" / "data"
OUT = DATA / "chapter10_overlap.json"
#: chapter 7's base model where Spark has the setting, as tools/train_chapter10_data.py
SETTINGS = {"vector_size": 50, "window": 5, "min_count": 5, "alpha": 0.025}
SPARK_SEEDS = (1, 2, 3)
GENSIM_SEEDS = (1, 2, 3, 4, 5)
RANKS = (100, 600)
TOPN = 10


def spark_context():
    """The chapter's session: local[2], Spark's messages below errors off."""
    conf = (SparkConf().setMaster("local[2]").setAppName("chapter10-overlap")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.driver.extraJavaOptions",
                 f"-Dlog4j2.configurationFile={DATA / 'spark_log4j2.properties'}"))
    return SparkContext(conf=conf)


def spark_wv(sc, sentences, words, seed):
    """One partition, one iteration, as the chapter's live run (the same RDD)."""
    model = (SparkWord2Vec().setVectorSize(SETTINGS["vector_size"])
             .setWindowSize(SETTINGS["window"]).setMinCount(SETTINGS["min_count"])
             .setLearningRate(SETTINGS["alpha"]).setNumPartitions(1)
             .setNumIterations(1).setSeed(seed).fit(sc.parallelize(sentences, 2)))
    vectors = model.getVectors()
    kept = [w for w in words if w in vectors]
    return w2vlib.KeyedVectors(np.array([list(vectors[w]) for w in kept]), kept)


def gensim_wv(sentences, seed):
    return gensim.models.Word2Vec(
        sentences, sg=1, hs=1, negative=0, sample=0, workers=1, seed=seed, epochs=1,
        **SETTINGS).wv


def neighbours(wv, queries):
    return [[w for w, _ in wv.most_similar(q, topn=TOPN)] for q in queries]


def main() -> int:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    corpora = {"shakespeare": w2vlib.shakespeare_sentences(),
               "reina_valera": w2vlib.reina_valera_sentences()}
    sc = spark_context()
    result = {"settings": SETTINGS, "ranks": list(RANKS), "topn": TOPN, "corpora": {}}
    for corpus, sentences in corpora.items():
        words = w2vlib.Vocabulary(min_count=SETTINGS["min_count"]).fit(
            sentences).index_to_key_
        queries = words[RANKS[0]:RANKS[1]]
        entry = {"queries": queries, "spark": {}, "gensim": {}}
        for seed in SPARK_SEEDS:
            entry["spark"][seed] = neighbours(spark_wv(sc, sentences, words, seed),
                                              queries)
            print(f"{corpus}: spark seed {seed}", flush=True)
        for seed in GENSIM_SEEDS:
            entry["gensim"][seed] = neighbours(gensim_wv(sentences, seed), queries)
            print(f"{corpus}: gensim seed {seed}", flush=True)
        result["corpora"][corpus] = entry
    sc.stop()
    import pyspark

    result["versions"] = {"pyspark": pyspark.__version__, "gensim": gensim.__version__}
    write_text_atomically(OUT, json.dumps(result, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
