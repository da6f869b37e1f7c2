"""Benchmark: w2vlib's SGNS against gensim (workers=1) on Shakespeare, in the same run.

Two measurements, each in fresh subprocesses, the libraries alternating seed by seed so
that both see the same load on a shared machine:

* **the whole process, as a user runs it**: ``python -m w2vlib train`` on the
  Shakespeare text file against a gensim 4.4 script that streams the same file through
  ``LineSentence`` (``build_vocab``, ``train``, ``wv.save_word2vec_format``), timed per
  phase -- start-up (interpreter and imports), read, vocabulary, train, save (both
  stream the file, so their reading is inside vocabulary and train) -- with
  each run's WordSim-353 Spearman and analogy accuracy, read back from the vectors file
  it wrote;
* **training alone**: words/s inside one process, "effective" words (kept after
  subsampling) per second of training, the figure gensim itself reports, with peak RSS.

Speed is a *ratio* measured in this run (the median of the paired w2vlib/gensim ratios
of the seeds), never an absolute number compared with a threshold.

    python benchmarks/benchmark.py                  # 3 seeds; 5 and 10 epochs for
    training python benchmarks/benchmark.py --repeats 5 --epochs 5 --skip-cost

It also measures the cost per pair of one full-softmax SGD step against one SGNS step as
the vocabulary grows (chapter 6's argument, measured). Results go to stdout as Markdown
tables and to ``artifacts/benchmark.json``. The BLAS numpy uses (threadpoolctl, when
installed) is recorded there: on processors where ``OPENBLAS_CORETYPE`` is forced to an
older kernel, unset it (and ``OPENBLAS_L2_SIZE``) for the benchmark command alone.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import whole_process

SETTINGS = dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3)
WHOLE_EPOCHS = 5

CHILD = r"""
import json, resource, sys, time
import numpy as np
import w2vlib
library, epochs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# "w2vlib shared_negatives=1" sets it; plain "w2vlib" keeps Word2Vec's default.
options = {}
if "=" in library:
    options["shared_negatives"] = int(library.rpartition("=")[2])
settings = json.loads(sys.argv[4])
sentences = w2vlib.shakespeare_sentences()
if library == "gensim":
    import gensim
    model = gensim.models.Word2Vec(workers=1, sg=1, seed=seed, **settings)
    model.build_vocab(sentences)
    start = time.perf_counter()
    effective, _ = model.train(sentences, total_examples=len(sentences), epochs=epochs)
    words_per_second = effective / (time.perf_counter() - start)
    wv = w2vlib.KeyedVectors(model.wv.vectors, list(model.wv.index_to_key))
else:
    model = w2vlib.Word2Vec(
        epochs=epochs, random_state=seed, **options, **settings
    ).fit(sentences)
    words_per_second = model.words_per_second_
    wv = model.wv_
pairs = w2vlib.evaluate_word_pairs(wv, w2vlib.wordsim353_path())
analogies = w2vlib.evaluate_word_analogies(wv, w2vlib.questions_words_path())
print(json.dumps(dict(
    words_per_second=words_per_second,
    spearman=float(pairs.spearman),
    analogy_accuracy=float(analogies.accuracy),
    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    vocabulary=len(wv),
    king=[word for word, _ in wv.most_similar("king", topn=5)],
)))
"""


def run_training(library, epochs, seed):
    """Train one model in a fresh interpreter and return its measurements."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            library,
            str(epochs),
            str(seed),
            json.dumps(SETTINGS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{library} run failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


LIBRARIES = ("gensim", "w2vlib", "w2vlib shared_negatives=1")


def compare(epochs, repeats):
    runs = {library: [] for library in LIBRARIES}
    for seed in range(1, repeats + 1):
        for library in LIBRARIES:
            runs[library].append(run_training(library, epochs, seed))
            last = runs[library][-1]
            print(f"  {epochs} epochs, seed {seed}, {library}: "
                  f"{last['words_per_second']:,.0f} words/s, Spearman "
                  f"{last['spearman']:.3f}", file=sys.stderr)
    summary = {"ratio": {}, "paired_ratios": {}}
    for library in LIBRARIES[1:]:
        paired = [
            ours["words_per_second"] / theirs["words_per_second"]
            for ours, theirs in zip(runs[library], runs["gensim"])
        ]
        summary["paired_ratios"][library] = paired
        summary["ratio"][library] = statistics.median(paired)
    for library, results in runs.items():
        summary[library] = {
            key: statistics.median(r[key] for r in results)
            for key in (
                "words_per_second",
                "spearman",
                "analogy_accuracy",
                "peak_rss_mb",
            )
        }
        summary[library]["king"] = results[0]["king"]
        summary[library]["vocabulary"] = results[0]["vocabulary"]
    summary["runs"] = runs
    return summary


def run_whole(library, corpus, output, epochs, seed):
    """One whole run in a fresh interpreter: seconds per phase, and the quality of its
    file."""
    options = [
        f"--{name.replace('_', '-')}={value}" for name, value in SETTINGS.items()
    ]
    phases = whole_process.run_whole(
        library, corpus, output, epochs, seed, SETTINGS, ["--method=sgns", *options])
    return dict(seconds=phases, **evaluate_file(output))


def evaluate_file(path):
    """WordSim-353 Spearman and analogy accuracy of a word2vec text file (one
    evaluator)."""
    import w2vlib

    wv = w2vlib.KeyedVectors.load_word2vec_format(path)
    pairs = w2vlib.evaluate_word_pairs(wv, w2vlib.wordsim353_path())
    analogies = w2vlib.evaluate_word_analogies(wv, w2vlib.questions_words_path())
    return dict(
        spearman=float(pairs.spearman), analogy_accuracy=float(analogies.accuracy)
    )


def compare_whole(epochs, repeats):
    """Alternate whole runs of both libraries, seed by seed, on the Shakespeare text
    file."""

    def run(library, corpus, output, seed):
        result = run_whole(library, corpus, output, epochs, seed)
        print(f"  whole run, seed {seed}, {library}: "
              f"{result['seconds']['total']:.1f} s (train "
              f"{result['seconds']['train']:.1f} s), Spearman "
              f"{result['spearman']:.3f}, analogies {result['analogy_accuracy']:.3f}",
              file=sys.stderr)
        return result

    runs = whole_process.alternate(repeats, run)
    summary = {"runs": runs, "median_seconds": {}, "ratio": {}, "paired_ratios": {}}
    for library, results in runs.items():
        summary["median_seconds"][library] = {
            phase: statistics.median(r["seconds"][phase] for r in results)
            for phase in whole_process.PHASES + ("total", "cpu")
        }
    # Speed-up = gensim's seconds / w2vlib's seconds; reading is inside gensim's other
    # phases, so it is compared together with the vocabulary.
    groups = {
        "start-up": ("start-up",),
        "read + vocabulary": ("read", "vocabulary"),
        "train": ("train",),
        "save": ("save",),
        "total": ("total",),
        "cpu": ("cpu",),
    }
    for group, phases in groups.items():
        paired = [
            sum(theirs["seconds"][p] for p in phases)
            / sum(ours["seconds"][p] for p in phases)
            for ours, theirs in zip(runs["w2vlib"], runs["gensim"])
        ]
        summary["paired_ratios"][group] = paired
        summary["ratio"][group] = statistics.median(paired)
    return summary


def print_whole(summary, epochs):
    seconds = summary["median_seconds"]
    print(f"\nWhole process, {epochs} epochs: median seconds per phase; speed-up = "
          "median of the paired gensim/w2vlib ratios (min-max over seeds)\n")
    print("| phase | gensim 4.4, workers=1 (s) | w2vlib (s) | speed-up | range |")
    print("|---|---|---|---|---|")
    rows = [
        ("start-up (interpreter, imports)", ("start-up",), "start-up"),
        ("read", ("read",), None),
        ("vocabulary", ("vocabulary",), "read + vocabulary"),
        ("train", ("train",), "train"),
        ("save", ("save",), "save"),
        ("**total**", ("total",), "total"),
        ("CPU time of the process", ("cpu",), "cpu"),
    ]
    for label, phases, group in rows:
        theirs = sum(seconds["gensim"][p] for p in phases)
        ours = sum(seconds["w2vlib"][p] for p in phases)
        if group is None:
            ratio = "(with vocabulary)"
            spread = ""
        else:
            paired = summary["paired_ratios"][group]
            ratio = f"{summary['ratio'][group]:.2f}"
            spread = f"{min(paired):.2f}-{max(paired):.2f}"
        gensim_cell = "streamed" if label == "read" else f"{theirs:.2f}"
        print(f"| {label} | {gensim_cell} | {ours:.2f} | {ratio} | {spread} |")
    print("\n| seed | gensim WS353 | w2vlib WS353 | gensim analogies | w2vlib "
          "analogies | gensim total (s) | w2vlib total (s) |")
    print("|---|---|---|---|---|---|---|")
    for seed, (theirs, ours) in enumerate(zip(summary["runs"]["gensim"],
                                              summary["runs"]["w2vlib"]), start=1):
        print(f"| {seed} | {theirs['spearman']:.3f} | {ours['spearman']:.3f} | "
              f"{theirs['analogy_accuracy']:.3f} | {ours['analogy_accuracy']:.3f} | "
              f"{theirs['seconds']['total']:.1f} | {ours['seconds']['total']:.1f} |")


def blas_info():
    """The BLAS libraries numpy and scipy load, and the kernel OpenBLAS chose, if
    known."""
    try:
        import threadpoolctl
    except ImportError:
        return "threadpoolctl not installed"
    import numpy  # noqa: F401  (loads the BLAS)
    import scipy.linalg  # noqa: F401

    return [
        {
            key: info.get(key)
            for key in ("internal_api", "version", "architecture", "num_threads")
        }
        for info in threadpoolctl.threadpool_info()
    ]


def cost_per_pair(vocabulary_sizes, n=100, batch=1024, negative=5, repeats=5):
    """Seconds per (centre, outside) pair of one SGD step, softmax vs SGNS."""
    import numpy as np

    from w2vlib.training import sgns_update, softmax_update

    rng = np.random.default_rng(0)
    rows = []
    for size in vocabulary_sizes:
        H = rng.standard_normal((batch, n)) * 0.1
        U = rng.standard_normal((size, n)) * 0.1
        targets = rng.integers(0, size, batch)
        indptr = np.arange(batch + 1)
        negatives = rng.integers(0, size, (batch, negative))
        timings = {}
        # The steps update U in place; a tiny learning rate keeps it from drifting.
        for name, step in (
            ("softmax", lambda: softmax_update(H, targets, indptr, U, 1e-6)),
            ("sgns", lambda: sgns_update(H, targets, indptr, negatives, U, 1e-6)),
        ):
            timings[name] = min(_time(step) for _ in range(repeats)) / batch
        rows.append(dict(vocabulary=size, softmax_us=timings["softmax"] * 1e6,
                         sgns_us=timings["sgns"] * 1e6,
                         ratio=timings["softmax"] / timings["sgns"]))
    return rows


def _time(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--skip-cost", action="store_true", help="skip the "
                                                                 "softmax-vs-SGNS cost "
                                                                 "table")
    parser.add_argument("--skip-whole", action="store_true", help="skip the "
                                                                  "whole-process runs")
    parser.add_argument("--skip-training", action="store_true",
                        help="skip the training-only runs")
    parser.add_argument("--output", default="artifacts/benchmark.json")
    args = parser.parse_args(argv)

    report = {
        "settings": SETTINGS,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "blas": blas_info(),
        "openblas_environment": {
            name: os.environ.get(name)
            for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
        },
    }
    print(f"BLAS: {report['blas']}; {report['openblas_environment']}", file=sys.stderr)
    if not args.skip_whole:
        report["whole_process"] = compare_whole(WHOLE_EPOCHS, args.repeats)
        print_whole(report["whole_process"], WHOLE_EPOCHS)
    if not args.skip_training:
        print("\nTraining alone, in one process (median of the seeds):\n")
        print("| epochs | library | words/s | ratio (w2vlib/gensim) | WS353 Spearman | "
              "analogy acc. | peak RSS (MB) |")
        print("|---|---|---|---|---|---|---|")
        for epochs in args.epochs:
            summary = compare(epochs, args.repeats)
            report[f"epochs_{epochs}"] = summary
            for library in LIBRARIES:
                s = summary[library]
                ratio = (
                    f"{summary['ratio'][library]:.2f}"
                    if library != "gensim"
                    else "1.00"
                )
                print(f"| {epochs} | {library} | {s['words_per_second']:,.0f} | "
                      f"{ratio} | {s['spearman']:.3f} | {s['analogy_accuracy']:.3f} | "
                      f"{s['peak_rss_mb']:.0f} |")
        for epochs in args.epochs:
            for library in LIBRARIES:
                print(f"\n{library}, {epochs} epochs, neighbours of 'king': "
                      + ", ".join(report[f"epochs_{epochs}"][library]["king"]))

    if not args.skip_cost:
        rows = cost_per_pair([1_000, 4_000, 16_000, 64_000])
        report["cost_per_pair"] = rows
        print("\n| vocabulary size | softmax µs/pair | SGNS µs/pair | softmax / SGNS |")
        print("|---|---|---|---|")
        for row in rows:
            print(f"| {row['vocabulary']:,} | {row['softmax_us']:.2f} | "
                  f"{row['sgns_us']:.2f} | {row['ratio']:.0f}x |")

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".tmp")
    temporary.write_text(json.dumps(report, indent=2))
    os.replace(temporary, output)
    print(f"\nwritten: {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
