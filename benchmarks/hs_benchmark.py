"""Benchmark: w2vlib's hierarchical softmax against gensim's (hs=1, negative=0).

Two measurements (appendix A), gensim with ``workers=1``:

* **the whole process, as a user runs it**, on the Shakespeare text file, the two
  libraries alternating seed by seed (and which goes first alternating too) so that both
  see the same load on a shared machine: ``python -m w2vlib train --hs`` against a
  gensim script with ``hs=1, negative=0`` (``benchmarks/whole_process.py``, shared
  with ``benchmarks/benchmark.py``). Each run's vectors are read back and scored by one
  evaluator: WordSim-353 and SimLex-999 (Spearman's rho with a bootstrap interval over
  the pairs) and the analogy questions (accuracy with Wilson's interval). The speed-up
  is the median of the paired gensim/w2vlib ratios of the seeds;
* **the cost per pair as |V| grows**: one SGD step of the full softmax, of SGNS and of
  hierarchical softmax on a Huffman tree over Zipf counts, per (centre, outside) pair,
  with the mean path length of the pairs and log2|V| next to it.

The full run (5 seeds, 5 epochs; about 2 minutes on an idle machine), the short one::

    python benchmarks/hs_benchmark.py
    python benchmarks/hs_benchmark.py --repeats 2 --epochs 5

Results go to stdout as Markdown tables and to ``artifacts/hs_benchmark.json``.
"""

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark  # noqa: E402  (its timer of one call)
import whole_process  # noqa: E402  (the whole-process runs)

SETTINGS = dict(vector_size=100, window=5, min_count=5, sample=1e-3)


def run_whole(library, corpus, output, epochs, seed):
    """One whole run in a fresh interpreter: seconds per phase and its file's scores."""
    options = [
        f"--{name.replace('_', '-')}={value}" for name, value in SETTINGS.items()
    ]
    phases = whole_process.run_whole(
        library, corpus, output, epochs, seed, dict(SETTINGS, hs=1, negative=0),
        ["--hs", *options])
    return dict(seconds=phases, **scores(output))


def scores(path):
    """WordSim-353, SimLex-999 and analogies of a word2vec text file, with intervals."""
    import w2vlib

    wv = w2vlib.KeyedVectors.load_word2vec_format(path)
    result = {}
    for name, pairs_path in (
        ("wordsim353", w2vlib.wordsim353_path()),
        ("simlex999", w2vlib.simlex999_path()),
    ):
        pairs = w2vlib.evaluate_word_pairs(wv, pairs_path)
        interval = w2vlib.spearman_interval(pairs.gold_scores, pairs.model_scores)
        result[name] = [interval.estimate, interval.low, interval.high]
    analogies = w2vlib.evaluate_word_analogies(wv, w2vlib.questions_words_path())
    interval = w2vlib.proportion_interval(analogies.correct, analogies.total)
    result["analogies"] = [interval.estimate, interval.low, interval.high]
    return result


#: One hierarchical-softmax step in float32, as training takes it: its first call in a
#: process compiles the loop (numba) or loads it from numba's cache.
FIRST_STEP = """
import time
import numpy as np
from w2vlib.hs import hs_update
from w2vlib.huffman import HuffmanTree
start = time.perf_counter()
hs_update(np.zeros((2, 4), np.float32), np.array([1]), np.array([0, 2]),
          HuffmanTree(np.arange(10, 0, -1)), np.zeros((9, 4), np.float32), 0.1)
print(time.perf_counter() - start)
"""


def first_step_seconds():
    """Seconds of the first step of a process: compiled anew (an empty numba cache, as
    on a user's first run), then loaded from the cache, as in every timed run after it.
    """
    import os
    import subprocess
    import tempfile

    def seconds(environment):
        result = subprocess.run([sys.executable, "-c", FIRST_STEP], env=environment,
                                capture_output=True, text=True, check=True)
        return float(result.stdout)

    with tempfile.TemporaryDirectory() as empty:
        compiled = seconds(dict(os.environ, NUMBA_CACHE_DIR=empty))
    seconds(dict(os.environ))  # fills the cache the timed runs read, if it is empty
    return {"compiled": compiled, "cached": seconds(dict(os.environ))}


def compare_whole(epochs, repeats):

    def run(library, corpus, output, seed):
        result = run_whole(library, corpus, output, epochs, seed)
        print(
            f"  seed {seed}, {library}: {result['seconds']['total']:.1f} s, WS353 "
            f"{result['wordsim353'][0]:.3f}, analogies {result['analogies'][0]:.3f}",
            file=sys.stderr,
            flush=True,
        )
        return result

    first_step = first_step_seconds()
    runs = whole_process.alternate(repeats, run)
    paired = {
        clock: [
            theirs["seconds"][clock] / ours["seconds"][clock]
            for ours, theirs in zip(runs["w2vlib"], runs["gensim"])
        ]
        for clock in ("total", "cpu")
    }
    return {
        "runs": runs,
        "first_step_seconds": first_step,
        "paired_ratios": paired["total"],
        "speed_up": statistics.median(paired["total"]),
        # processor seconds: less sensitive than the wall clock to a loaded machine
        "paired_cpu_ratios": paired["cpu"],
        "cpu_speed_up": statistics.median(paired["cpu"]),
    }


def _cell(interval):
    return f"{interval[0]:.3f} [{interval[1]:.3f}, {interval[2]:.3f}]"


def print_whole(summary, epochs):
    print(
        f"\nShakespeare, skip-gram, hierarchical softmax, {epochs} epoch(s), "
        f"{SETTINGS}: one row per seed and library; [95% interval]\n"
    )
    print(
        "| seed | library | WordSim-353 rho | SimLex-999 rho | analogies | total (s) | "
        "CPU (s) |"
    )
    print("|---|---|---|---|---|---|---|")
    for seed, pair in enumerate(
        zip(summary["runs"]["gensim"], summary["runs"]["w2vlib"]), 1
    ):
        for library, run in zip(("gensim 4.4", "w2vlib"), pair):
            print(
                f"| {seed} | {library} | {_cell(run['wordsim353'])} | "
                f"{_cell(run['simlex999'])} | {_cell(run['analogies'])} | "
                f"{run['seconds']['total']:.1f} | {run['seconds']['cpu']:.1f} |"
            )
    for name in ("wordsim353", "simlex999", "analogies"):
        spread = {
            library: [run[name][0] for run in runs]
            for library, runs in summary["runs"].items()
        }
        print(
            f"\n{name}: gensim over seeds {min(spread['gensim']):.3f}-"
            f"{max(spread['gensim']):.3f}, w2vlib {min(spread['w2vlib']):.3f}-"
            f"{max(spread['w2vlib']):.3f}",
            end="",
        )
    first = summary["first_step_seconds"]
    print(
        f"\n\nw2vlib's first step in a process: {first['compiled']:.2f} s when numba "
        f"compiles the loop (first run after an install), {first['cached']:.2f} s when "
        f"it loads it from its cache (every timed run above)",
        end="",
    )
    ratios = ", ".join(f"{ratio:.2f}" for ratio in summary["paired_ratios"])
    cpu_ratios = ", ".join(f"{ratio:.2f}" for ratio in summary["paired_cpu_ratios"])
    print(
        f"\n\nwhole-process speed-up (gensim seconds / w2vlib seconds): median "
        f"{summary['speed_up']:.2f} (paired ratios {ratios}); in processor seconds: "
        f"median {summary['cpu_speed_up']:.2f} (paired ratios {cpu_ratios})"
    )


def cost_per_pair(vocabulary_sizes, n=100, batch=256, negative=5, repeats=5):
    """Microseconds per pair of one SGD step: full softmax, SGNS, hierarchical one."""
    import numpy as np

    from w2vlib.hs import hs_update
    from w2vlib.huffman import HuffmanTree
    from w2vlib.training import sgns_update, softmax_update

    rng = np.random.default_rng(0)
    rows = []
    for size in vocabulary_sizes:
        counts = np.sort(rng.zipf(1.3, size=size).clip(max=10**7))[::-1]
        tree = HuffmanTree(counts)
        H = rng.standard_normal((batch, n)) * 0.1
        U = rng.standard_normal((size, n)) * 0.1
        U_inner = rng.standard_normal((size - 1, n)) * 0.1
        # Outside words drawn as a corpus would give them: by count.
        targets = rng.choice(size, size=batch, p=counts / counts.sum())
        indptr = np.arange(batch + 1)
        negatives = rng.integers(0, size, (batch, negative))
        steps = {
            "softmax": lambda: softmax_update(H, targets, indptr, U, 1e-6),
            "sgns": lambda: sgns_update(H, targets, indptr, negatives, U, 1e-6),
            "hs": lambda: hs_update(H, targets, indptr, tree, U_inner, 1e-6),
        }
        row = dict(
            vocabulary=size,
            log2_vocabulary=math.log2(size),
            mean_path=float(tree.code_lengths[targets].mean()),
        )
        for name, step in steps.items():
            row[f"{name}_us"] = (
                min(benchmark._time(step) for _ in range(repeats)) / batch * 1e6
            )
        rows.append(row)
    return rows


def print_cost(rows):
    print(
        "\nCost per (centre, outside) pair of one SGD step, n = 100, "
        "256 pairs per step\n"
    )
    print(
        "| |V| | log2 |V| | mean path of the pairs | softmax (us) | SGNS K=5 (us) | "
        "HS (us) | softmax / HS |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['vocabulary']} | {row['log2_vocabulary']:.1f} | "
            f"{row['mean_path']:.1f} | "
            f"{row['softmax_us']:.2f} | {row['sgns_us']:.2f} | {row['hs_us']:.2f} | "
            f"{row['softmax_us'] / row['hs_us']:.0f} |"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="seeds per library")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--skip-whole", action="store_true")
    parser.add_argument("--skip-cost", action="store_true")
    args = parser.parse_args(argv)
    results = {"settings": SETTINGS, "epochs": args.epochs}
    if not args.skip_cost:
        results["cost"] = cost_per_pair([1000, 4000, 16000, 64000])
        print_cost(results["cost"])
    if not args.skip_whole:
        results["whole"] = compare_whole(args.epochs, args.repeats)
        print_whole(results["whole"], args.epochs)
    artifacts = Path("artifacts")
    artifacts.mkdir(exist_ok=True)
    (artifacts / "hs_benchmark.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
