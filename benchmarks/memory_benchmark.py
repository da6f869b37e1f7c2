"""Peak memory and wall time of ``python -m w2vlib train`` against gensim 4.4, as the
corpus grows: Shakespeare repeated x1, x10 (and x30), in the same run.

Each run is a fresh process, measured from outside: wall time of the whole process
(start-up, reading, vocabulary, training, writing the vectors) and its own peak
resident memory (``ru_maxrss`` of that child, from ``os.wait4``). w2vlib streams the
file (``Word2Vec.fit`` on a path, ``chunk_words`` words at a time); gensim reads it
through ``LineSentence``. Same settings for both: skip-gram with negative sampling,
vector 100, window 5, negative 5, min_count 5, sample 1e-3, one epoch, gensim
``workers=1``. The libraries alternate run by run (which one goes first swaps with the
seed) so that both see the same load on a shared machine.

    python benchmarks/memory_benchmark.py                    # x1 and x10, 2 seeds
    python benchmarks/memory_benchmark.py --sizes 1 10 30 --repeats 3

Prints a Markdown table (medians over the seeds) and the load average before and after
(``os.getloadavg``, which the times depend on and the memory does not). The speed is
gensim's time over w2vlib's, so above 1 means w2vlib is faster: the median and the range
of the ratios of the two runs of each seed. Mind the vocabulary
column: repeating the text k times multiplies every count by k, so from x5 on every word
of the plays passes min_count 5 and the memory both libraries need for their vectors
grows with it; from x5 on only the corpus length grows.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3)

GENSIM_SCRIPT = """
import sys
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
corpus, output, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = Word2Vec(LineSentence(corpus), vector_size={vector_size}, window={window},
                 negative={negative}, min_count={min_count}, sample={sample}, sg=1,
                 hs=0, epochs=1, workers=1, seed=seed)
model.wv.save_word2vec_format(output)
""".format(**SETTINGS)


def command(library, corpus, output, seed):
    """The command line of one run."""
    if library == "gensim":
        return [sys.executable, "-c", GENSIM_SCRIPT, str(corpus), str(output),
                str(seed)]
    return [
        sys.executable, "-m", "w2vlib", "train", "--input", str(corpus),
        "--output", str(output), "--overwrite", "--quiet", "--epochs", "1",
        "--seed", str(seed),
        "--vector-size", str(SETTINGS["vector_size"]),
        "--window", str(SETTINGS["window"]),
        "--negative", str(SETTINGS["negative"]),
        "--min-count", str(SETTINGS["min_count"]),
        "--sample", str(SETTINGS["sample"]),
    ]


def measure(arguments):
    """(wall seconds, peak RSS in MB) of one child process; raises if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(arguments, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{arguments[:4]} failed:\n{stderr.decode()}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def repeated_corpus(folder, times):
    """Shakespeare's plays (``python -m w2vlib corpus shakespeare``) repeated
    ``times`` times in one file; returns its path and its number of tokens."""
    single = folder / "shakespeare.txt"
    if not single.exists():
        subprocess.run([sys.executable, "-m", "w2vlib", "corpus", "shakespeare",
                        "--output", str(single)], check=True, capture_output=True)
    text = single.read_bytes()
    path = folder / f"shakespeare_x{times}.txt"
    with open(path, "wb") as file:
        for _ in range(times):
            file.write(text)
    return path, times * len(text.split())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10],
                        help="how many times the corpus is repeated (default 1 10)")
    parser.add_argument("--repeats", type=int, default=2,
                        help="seeds per size and library (default 2)")
    args = parser.parse_args(argv)
    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for times in args.sizes:
            corpus, tokens = repeated_corpus(folder, times)
            runs = {"w2vlib": [], "gensim": []}
            for seed in range(args.repeats):
                order = ("w2vlib", "gensim") if seed % 2 == 0 else ("gensim", "w2vlib")
                for library in order:
                    output = folder / f"{library}.txt"
                    runs[library].append(
                        measure(command(library, corpus, output, seed)))
                    with open(output, encoding="utf-8") as file:  # "|V| n" header
                        vocabulary = int(file.readline().split()[0])
                    print(f"x{times} seed {seed} {library}: "
                          f"{runs[library][-1][0]:.1f} s, "
                          f"{runs[library][-1][1]:.0f} MB", file=sys.stderr)
            corpus.unlink()
            rows.append((times, tokens, vocabulary, runs))
    print("| corpus | tokens | words >= min_count | w2vlib peak RSS | gensim peak RSS "
          "| RSS w2vlib / gensim | w2vlib time | gensim time | speed w2vlib / gensim "
          "| range over seeds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for times, tokens, vocabulary, runs in rows:
        seconds = {name: statistics.median(r[0] for r in runs[name]) for name in runs}
        memory = {name: statistics.median(r[1] for r in runs[name]) for name in runs}
        # the two runs of a seed ran back to back, under about the same load
        speeds = [theirs[0] / ours[0] for ours, theirs in zip(*runs.values())]
        print(f"| Shakespeare x{times} | {tokens / 1e6:.2f} M | {vocabulary:,} | "
              f"{memory['w2vlib']:.0f} MB | {memory['gensim']:.0f} MB | "
              f"{memory['w2vlib'] / memory['gensim']:.2f} | "
              f"{seconds['w2vlib']:.1f} s | {seconds['gensim']:.1f} s | "
              f"{statistics.median(speeds):.2f} | "
              f"{min(speeds):.2f}-{max(speeds):.2f} |")
    print(f"\n{args.repeats} seed(s) per size and library; load average (1, 5, 15 min) "
          f"{' '.join(f'{x:.1f}' for x in load_before)} before, "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} after")


if __name__ == "__main__":
    main()
