"""The reference case of issue 8, item 1: the sentence "a b" 2,000 times (window 1, 5
negatives, no subsampling, 5 epochs), trained by gensim 4.4 and by w2vlib, printing
u_b·v_a per seed.

Half of every noise draw is the positive word itself. word2vec.c and gensim skip such
draws; w2vlib does too (see w2vlib.training.sgns_update). gensim stops at 6.00, the
cut-off of its sigmoid table (MAX_EXP = 6: no update once a score passes 6); w2vlib's
exact sigmoid keeps growing a little, to about 8.8. Without the skip, w2vlib ended at
about -0.9.

    python benchmarks/two_word_corpus.py            # seeds 1-3, about a minute
"""
import argparse

import w2vlib

SETTINGS = dict(vector_size=100, window=1, negative=5, sample=0, epochs=5, min_count=5)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--repeats", type=int, default=2000, help="copies of the "
                                                                  "sentence")
    args = parser.parse_args(argv)

    from gensim.models import Word2Vec as GensimWord2Vec

    sentences = [["a", "b"]] * args.repeats
    print("| seed | architecture | gensim u_b·v_a | w2vlib u_b·v_a |")
    print("|---|---|---|---|")
    for seed in args.seeds:
        for cbow in (False, True):
            theirs = GensimWord2Vec(
                sentences, sg=int(not cbow), workers=1, seed=seed, **SETTINGS
            )
            ours = w2vlib.Word2Vec(cbow=cbow, random_state=seed, **SETTINGS).fit(
                sentences
            )
            print(f"| {seed} | {'CBOW' if cbow else 'skip-gram'} | "
                  f"{theirs.syn1neg[theirs.wv.key_to_index['b']] @ theirs.wv['a']:.2f} "
                  f"| {ours.U_[ours.vocab_['b']] @ ours.wv_['a']:.2f} |")


if __name__ == "__main__":
    main()
