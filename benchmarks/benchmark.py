"""Benchmark: w2vlib's SGNS against gensim (workers=1) on Shakespeare, in the same run.

Each training runs in its own subprocess (so each gets its own peak RSS), and the two libraries
alternate, repetition by repetition, so that both see the same load on a shared machine. The
speed result is a *ratio* measured in this run, never an absolute number compared with a
threshold: words/s is "effective" words (kept after subsampling) per second of training, the
figure gensim itself reports.

    python benchmarks/benchmark.py                  # 3 repetitions, 5 and 10 epochs
    python benchmarks/benchmark.py --repeats 1 --epochs 5 --skip-cost

It also measures the cost per pair of one full-softmax SGD step against one SGNS step as the
vocabulary grows (chapter 6's argument, measured). Results go to stdout as Markdown tables and
to ``artifacts/benchmark.json``.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SETTINGS = dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3)

CHILD = r"""
import json, resource, sys, time
import numpy as np
import w2vlib
library, epochs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
shared_negatives = int(library.rpartition("=")[2]) if "=" in library else 2
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
        epochs=epochs, random_state=seed, shared_negatives=shared_negatives, **settings
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
        [sys.executable, "-c", CHILD, library, str(epochs), str(seed), json.dumps(SETTINGS)],
        capture_output=True, text=True, check=False,
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
            print(f"  {epochs} epochs, seed {seed}, {library}: {last['words_per_second']:,.0f} words/s, "
                  f"Spearman {last['spearman']:.3f}", file=sys.stderr)
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
            for key in ("words_per_second", "spearman", "analogy_accuracy", "peak_rss_mb")
        }
        summary[library]["king"] = results[0]["king"]
        summary[library]["vocabulary"] = results[0]["vocabulary"]
    summary["runs"] = runs
    return summary


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
    parser.add_argument("--skip-cost", action="store_true", help="skip the softmax-vs-SGNS cost table")
    parser.add_argument("--output", default="artifacts/benchmark.json")
    args = parser.parse_args(argv)

    report = {"settings": SETTINGS, "python": sys.version.split()[0], "cpus": os.cpu_count()}
    print("| epochs | library | words/s | ratio (w2vlib/gensim) | WS353 Spearman | analogy acc. | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for epochs in args.epochs:
        summary = compare(epochs, args.repeats)
        report[f"epochs_{epochs}"] = summary
        for library in LIBRARIES:
            s = summary[library]
            ratio = f"{summary['ratio'][library]:.2f}" if library != "gensim" else "1.00"
            print(f"| {epochs} | {library} | {s['words_per_second']:,.0f} | {ratio} | "
                  f"{s['spearman']:.3f} | {s['analogy_accuracy']:.3f} | {s['peak_rss_mb']:.0f} |")
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
            print(f"| {row['vocabulary']:,} | {row['softmax_us']:.2f} | {row['sgns_us']:.2f} | "
                  f"{row['ratio']:.0f}x |")

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".tmp")
    temporary.write_text(json.dumps(report, indent=2))
    os.replace(temporary, output)
    print(f"\nwritten: {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
