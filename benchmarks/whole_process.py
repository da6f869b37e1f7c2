"""Whole-process runs shared by the benchmarks: ``python -m w2vlib train`` against a
gensim 4.4 script (``workers=1``) on the Shakespeare text file, each in a fresh
interpreter and timed per phase, the two libraries alternating seed by seed (and which
goes first alternating too) so that both see the same load on a shared machine.

``benchmark.py`` (negative sampling) and ``hs_benchmark.py`` (hierarchical softmax) run
them with their own settings and score the vectors files with their own evaluators.
"""
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The whole process. Each child reports the seconds of its phases; the parent times the
# process from launch to exit, and "start-up" is what the phases leave (interpreter,
# imports).
PHASES = ("start-up", "read", "vocabulary", "train", "save")

# ``python -m w2vlib train`` exactly as a user types it, with timers wrapped around the
# functions that do each phase (Word2Vec.fit builds the vocabulary, then trains).
W2VLIB_CHILD = r"""
import json, runpy, sys, time
import w2vlib.cli, w2vlib.keyedvectors, w2vlib.model, w2vlib.vocab
phases = {}
def timed(owner, name, phase):
    original = getattr(owner, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start
    setattr(owner, name, wrapper)
# The train command streams the file, as gensim's LineSentence: reading is inside
# vocabulary (counting) and train (encoding, chunk by chunk, every epoch).
phases["read"] = 0.0
timed(w2vlib.vocab.Vocabulary, "fit", "vocabulary")
timed(w2vlib.model.Word2Vec, "fit", "fit")
timed(w2vlib.keyedvectors.KeyedVectors, "save_word2vec_format", "save")
sys.argv = ["w2vlib", "train"] + sys.argv[1:]
try:
    runpy.run_module("w2vlib", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    if exit.code:
        raise
phases["train"] = phases.pop("fit") - phases["vocabulary"]
print(json.dumps(phases))
"""

# What a gensim user writes: stream the file, build the vocabulary, train, save.
GENSIM_CHILD = r"""
import json, sys, time
from gensim.models.word2vec import LineSentence, Word2Vec
corpus, output = sys.argv[1], sys.argv[2]
epochs, seed = int(sys.argv[3]), int(sys.argv[4])
settings = json.loads(sys.argv[5])
# LineSentence streams the file: reading is inside vocabulary and train
phases = {"read": 0.0}
start = time.perf_counter()
sentences = LineSentence(corpus)
model = Word2Vec(sg=1, workers=1, seed=seed, epochs=epochs, **settings)
model.build_vocab(sentences)
phases["vocabulary"] = time.perf_counter() - start
start = time.perf_counter()
model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
phases["train"] = time.perf_counter() - start
start = time.perf_counter()
model.wv.save_word2vec_format(output)
phases["save"] = time.perf_counter() - start
print(json.dumps(phases))
"""


def run_whole(library, corpus, output, epochs, seed, gensim_settings, w2vlib_arguments):
    """One whole run in a fresh interpreter: the seconds of its phases, of the whole
    process (``total``) and of processor time (``cpu``).

    gensim gets ``gensim_settings`` as keyword arguments of ``Word2Vec``; ``python -m
    w2vlib train`` gets ``w2vlib_arguments`` after its input, output, epochs and seed.
    """
    if library == "gensim":
        command = [sys.executable, "-c", GENSIM_CHILD, str(corpus), str(output),
                   str(epochs), str(seed), json.dumps(gensim_settings)]
    else:
        command = [sys.executable, "-c", W2VLIB_CHILD, "--input", str(corpus),
                   "--output", str(output), "--overwrite", "--quiet",
                   f"--epochs={epochs}", f"--seed={seed}", *w2vlib_arguments]
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    total, after = (
        time.perf_counter() - start,
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    if result.returncode != 0:
        raise RuntimeError(f"{library} whole run failed:\n{result.stderr}")
    phases = json.loads(result.stdout.strip().splitlines()[-1])
    phases["start-up"] = total - sum(phases.values())
    phases["total"] = total
    # CPU seconds of the process (all its threads): far less sensitive than the wall
    # clock to the other users of a shared machine.
    phases["cpu"] = (after.ru_utime - before.ru_utime) + (
        after.ru_stime - before.ru_stime
    )
    return phases


def alternate(repeats, run):
    """``run(library, corpus, output, seed)`` for seeds 1..repeats, gensim and w2vlib
    in turn, on the Shakespeare text file written to a temporary folder; returns
    ``{"gensim": [...], "w2vlib": [...]}``, the results seed by seed."""
    runs = {"gensim": [], "w2vlib": []}
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "shakespeare.txt"
        subprocess.run(
            [sys.executable, "-m", "w2vlib", "corpus", "shakespeare", "--output",
             str(corpus)],
            check=True,
            capture_output=True,
        )
        for seed in range(1, repeats + 1):
            # Which library goes first alternates too: a load spike hits either.
            order = ("gensim", "w2vlib") if seed % 2 else ("w2vlib", "gensim")
            for library in order:
                output = Path(folder) / f"{library}.vec"
                runs[library].append(run(library, corpus, output, seed))
    return runs

