"""Tests for the w2vlib command line (w2vlib.cli, python -m w2vlib)."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from w2vlib import cli
from w2vlib.corpora import read_sentences, shakespeare_sentences


def run(capsys, *argv):
    """Run the CLI in-process; return (exit status, stdout, stderr)."""
    status = cli.main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line_error(err, *fragments):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("w2vlib ") and ": error: " in lines[0], err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def corpus_file(tmp_path):
    """A small generated corpus: 300 sentences over 30 words, one of them accented."""
    rng = np.random.default_rng(0)
    words = [f"w{i:02d}" for i in range(29)] + ["año"]
    lines = [" ".join(rng.choice(words, size=8)) for _ in range(300)]
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- usage errors: argparse prints the usage line, exit 2 --------------------------------


@pytest.mark.parametrize(
    "argv, fragment",
    [
        ([], "the following arguments are required: COMMAND"),
        (["fly"], "invalid choice: 'fly'"),
        (["train", "--output", "v.txt"], "the following arguments are required: --input"),
        (["train", "--input", "c.txt", "--output", "v.txt", "--window", "two"],
         "argument --window: invalid int value: 'two'"),
        (["train", "--input", "c.txt", "--output", "v.txt", "--method", "hs"],
         "argument --method: invalid choice: 'hs'"),
        (["corpus", "gutenberg", "--output", "c.txt"], "invalid choice: 'gutenberg'"),
        (["similar", "king"], "the following arguments are required: --vectors"),
        (["analogy", "--vectors", "v.txt", "man", "king"], "required: C"),
    ],
)
def test_usage_errors_print_usage_and_exit_2(capsys, argv, fragment):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert err.startswith("usage: w2vlib")
    assert fragment in err
    assert out == ""


def test_help_exits_0(capsys):
    status, out, _ = run(capsys, "train", "--help")
    assert status == 0
    assert "--vector-size N" in out and "--negative N" in out


# --- bad values: one line, exit 2 -----------------------------------------------------


@pytest.mark.parametrize(
    "option, value, expected",
    [
        ("--window", "0", "--window must be >= 1, got 0; pass --window 1 or more"),
        ("--negative", "-1", "--negative must be >= 1, got -1; pass --negative 1 or more"),
        ("--vector-size", "0", "--vector-size must be >= 1, got 0"),
        ("--min-count", "0", "--min-count must be >= 1, got 0"),
        ("--epochs", "0", "--epochs must be >= 1, got 0"),
        ("--batch-size", "0", "--batch-size must be >= 1, got 0"),
        ("--shared-negatives", "0", "--shared-negatives must be >= 1, got 0"),
        ("--seed", "-3", "--seed must be >= 0, got -3"),
        ("--sample", "-0.5", "--sample must be >= 0, got -0.5"),
        ("--alpha", "0", "--alpha must be > 0, got 0.0; try --alpha 0.025"),
    ],
)
def test_out_of_range_values(capsys, tmp_path, corpus_file, option, value, expected):
    output = tmp_path / "vectors.txt"
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output,
                         option, value)
    assert status == 2
    assert_one_line_error(err, "w2vlib train: error: ", expected)
    assert not output.exists()


def test_output_that_is_the_input_is_refused(capsys, corpus_file):
    before = corpus_file.read_bytes()
    folder = corpus_file.parent
    same_path_spelled_differently = folder / "." / ".." / folder.name / corpus_file.name
    for output in (corpus_file, same_path_spelled_differently):
        status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output,
                             "--overwrite")
        assert status == 2
        assert_one_line_error(err, "is the input file; choose another --output")
    assert corpus_file.read_bytes() == before


def test_output_that_links_to_the_input_is_refused(capsys, tmp_path, corpus_file):
    link = tmp_path / "link.txt"
    os.link(corpus_file, link)
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", link,
                         "--overwrite")
    assert status == 2
    assert_one_line_error(err, "is the input file")


def test_existing_output_is_kept_without_overwrite(capsys, tmp_path, corpus_file):
    output = tmp_path / "mine.txt"
    output.write_text("precious\n", encoding="utf-8")
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output)
    assert status == 2
    assert_one_line_error(err, f"--output {output} already exists; pass --overwrite")
    assert output.read_text(encoding="utf-8") == "precious\n"


def test_output_in_a_missing_folder(capsys, tmp_path, corpus_file):
    output = tmp_path / "no" / "such" / "vectors.txt"
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output)
    assert status == 2
    assert_one_line_error(err, "does not exist; create it or choose another --output")


def test_missing_input(capsys, tmp_path):
    status, _, err = run(capsys, "train", "--input", tmp_path / "nope.txt",
                         "--output", tmp_path / "v.txt")
    assert status == 2
    assert_one_line_error(err, "--input", "nope.txt: no such file; check the path")


def test_input_that_is_a_folder(capsys, tmp_path):
    status, _, err = run(capsys, "train", "--input", tmp_path, "--output", tmp_path / "v.txt")
    assert status == 2
    assert_one_line_error(err, "is a folder")


def test_input_not_utf8(capsys, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("el niño duerme\n".encode("latin-1"))
    status, _, err = run(capsys, "train", "--input", path, "--output", tmp_path / "v.txt")
    assert status == 2
    assert_one_line_error(
        err, f"{path} is not UTF-8 (byte 0xf1 at offset 5); re-save it as UTF-8"
    )


def test_empty_input(capsys, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    status, _, err = run(capsys, "train", "--input", path, "--output", tmp_path / "v.txt")
    assert status == 2
    assert_one_line_error(err, "contains no words")


# --- corpus ---------------------------------------------------------------------------


def test_corpus_shakespeare_writes_one_sentence_per_line(capsys, tmp_path):
    output = tmp_path / "shakespeare.txt"
    status, out, err = run(capsys, "corpus", "shakespeare", "--output", output)
    assert status == 0
    assert out == ""
    expected = shakespeare_sentences()
    assert read_sentences(output) == expected
    tokens = sum(map(len, expected))
    assert f"wrote {len(expected):,} sentences ({tokens:,} tokens) to {output}" in err
    text = output.read_text(encoding="utf-8")
    assert "\n\n" not in text and "**" not in text and "_Enter" not in text


def test_corpus_selected_plays_and_overwrite(capsys, tmp_path):
    output = tmp_path / "plays.txt"
    output.write_text("old\n", encoding="utf-8")
    status, _, err = run(capsys, "corpus", "shakespeare", "--output", output,
                         "--plays", "hamlet", "macbeth")
    assert status == 2
    assert output.read_text(encoding="utf-8") == "old\n"
    status, _, err = run(capsys, "corpus", "shakespeare", "--output", output,
                         "--plays", "hamlet", "macbeth", "--overwrite")
    assert status == 0
    assert read_sentences(output) == shakespeare_sentences(["hamlet", "macbeth"])
    assert output.read_text(encoding="utf-8").startswith("who's there\n")


def test_corpus_unknown_play(capsys, tmp_path):
    status, _, err = run(capsys, "corpus", "shakespeare", "--output", tmp_path / "c.txt",
                         "--plays", "hamlet", "hamlett")
    assert status == 2
    assert_one_line_error(err, "--plays: unknown play 'hamlett'; choose from", "macbeth")
    assert not (tmp_path / "c.txt").exists()


def test_runtime_failures_exit_1_without_traceback(capsys, tmp_path, monkeypatch):
    def disk_full(sentences, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(cli, "write_sentences", disk_full)
    output = tmp_path / "c.txt"
    status, _, err = run(capsys, "corpus", "shakespeare", "--output", output, "--plays", "hamlet")
    assert status == 1
    assert_one_line_error(err, f"{output}: No space left on device")

    def bug(sentences, path):
        raise RuntimeError("something impossible")

    monkeypatch.setattr(cli, "write_sentences", bug)
    status, _, err = run(capsys, "corpus", "shakespeare", "--output", output, "--plays", "hamlet")
    assert status == 1
    assert_one_line_error(err, "unexpected RuntimeError: something impossible", "bug in w2vlib")


# --- similar and analogy on a hand-made vectors file ------------------------------------

WORDS = ["man", "woman", "king", "queen", "niño", "apple", "pear"]


@pytest.fixture
def vectors_file(tmp_path):
    """Gender along axis 1, royalty along axis 2, fruit along axis 3, plus seeded noise."""
    base = np.array([
        [1.0, 0.0, 0.0, 0.0],
        [1.0, 1.0, 0.0, 0.0],
        [1.0, 0.0, 1.0, 0.0],
        [1.0, 1.0, 1.0, 0.0],
        [0.8, 0.1, 0.0, 0.1],
        [0.0, 0.0, 0.1, 1.0],
        [0.1, 0.0, 0.0, 1.0],
    ])
    vectors = base + 0.05 * np.random.default_rng(7).standard_normal(base.shape)
    lines = [f"{len(WORDS)} 4"] + [
        word + " " + " ".join(f"{value:.6f}" for value in row) for word, row in zip(WORDS, vectors)
    ]
    path = tmp_path / "vectors.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse_neighbours(out):
    rows = [line.split("\t") for line in out.strip().splitlines()]
    return [(word, float(similarity)) for word, similarity in rows]


def gensim_vectors(path, binary=False, **keywords):
    from gensim.models import KeyedVectors as GensimKeyedVectors

    return GensimKeyedVectors.load_word2vec_format(str(path), binary=binary, **keywords)


def test_similar_matches_gensim(capsys, vectors_file):
    status, out, err = run(capsys, "similar", "--vectors", vectors_file, "king", "--topn", "3")
    assert status == 0 and err == ""
    expected = gensim_vectors(vectors_file).most_similar("king", topn=3)
    neighbours = parse_neighbours(out)
    assert [word for word, _ in neighbours] == [word for word, _ in expected]
    np.testing.assert_allclose([s for _, s in neighbours], [s for _, s in expected], atol=1e-4)
    assert neighbours[0][0] == "queen"


def test_analogy_matches_gensim(capsys, vectors_file):
    status, out, err = run(capsys, "analogy", "--vectors", vectors_file, "man", "king", "woman",
                           "--topn", "2")
    assert status == 0 and err == ""
    expected = gensim_vectors(vectors_file).most_similar(
        positive=["king", "woman"], negative=["man"], topn=2
    )
    neighbours = parse_neighbours(out)
    assert [word for word, _ in neighbours] == [word for word, _ in expected]
    np.testing.assert_allclose([s for _, s in neighbours], [s for _, s in expected], atol=1e-4)
    assert neighbours[0][0] == "queen"


def test_similar_prints_utf8_words(capsys, vectors_file):
    status, out, _ = run(capsys, "similar", "--vectors", vectors_file, "man", "--topn", "1")
    assert status == 0
    assert parse_neighbours(out)[0][0] == "niño"


@pytest.mark.parametrize(
    "argv, fragments",
    [
        (["similar", "kingg"], ["word 'kingg' is not in the vocabulary of", "(7 words)",
                                "check its spelling"]),
        (["analogy", "man", "King", "woman"], ["word 'King' is not in the vocabulary"]),
        (["similar", "king", "--topn", "0"], ["--topn must be >= 1, got 0"]),
    ],
)
def test_query_value_errors(capsys, vectors_file, argv, fragments):
    command, *rest = argv
    status, out, err = run(capsys, command, "--vectors", vectors_file, *rest)
    assert status == 2
    assert out == ""
    assert_one_line_error(err, *fragments)


def test_query_missing_vectors_file(capsys, tmp_path):
    status, _, err = run(capsys, "similar", "--vectors", tmp_path / "none.txt", "king")
    assert status == 2
    assert_one_line_error(err, "--vectors", "none.txt: no such file")


def test_query_file_that_is_not_word2vec(capsys, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes\n", encoding="utf-8")
    status, _, err = run(capsys, "similar", "--vectors", path, "king")
    assert status == 2
    assert_one_line_error(err, f"--vectors {path}", "header")


@pytest.mark.parametrize("float_bytes", ["gensim's", "printable"])
def test_query_binary_file_without_binary_says_so(capsys, tmp_path, vectors_file, float_bytes):
    """A binary file read as text: said to be binary, whether its floats are invalid UTF-8 or
    printable bytes that split into the wrong number of fields ("the word has no spaces")."""
    binary = tmp_path / "vectors.bin"
    if float_bytes == "gensim's":
        gensim_vectors(vectors_file).save_word2vec_format(str(binary), binary=True)
        word = "king"
    else:
        rows = np.frombuffer(b"abcdABCDefghEFGH", dtype="<f4").reshape(2, 2)
        binary.write_bytes(b"2 2\nx " + rows[0].tobytes() + b"\ny " + rows[1].tobytes() + b"\n")
        word = "x"
    status, _, err = run(capsys, "similar", "--vectors", binary, word)
    assert status == 2
    assert_one_line_error(err, f"--vectors {binary} is in the binary word2vec format, not the "
                               "text one; pass --binary")
    assert "no spaces" not in err and "UTF-8" not in err
    status, out, _ = run(capsys, "similar", "--vectors", binary, word, "--binary", "--topn", "1")
    assert status == 0
    assert parse_neighbours(out)[0][0] == ("queen" if word == "king" else "y")


def test_query_text_file_with_binary_says_so(capsys, vectors_file):
    status, _, err = run(capsys, "similar", "--vectors", vectors_file, "king", "--binary")
    assert status == 2
    assert_one_line_error(err, "is in the text word2vec format, not the binary one; leave out "
                               "--binary")


CUT_WORDS_FILE = Path(__file__).parent / "data" / "word2vec_c_cut_words.bin"


def test_query_word2vec_c_file_with_cut_words(capsys):
    """word2vec.c cut two words inside a UTF-8 character; --unicode-errors reads them as
    gensim's unicode_errors does."""
    status, _, err = run(capsys, "similar", "--vectors", CUT_WORDS_FILE, "--binary", "rey")
    assert status == 2
    assert_one_line_error(err, "byte 0xc3 at position 97 is not valid UTF-8",
                          "pass --unicode-errors ignore or --unicode-errors replace")
    for errors in ("replace", "ignore"):
        theirs = gensim_vectors(CUT_WORDS_FILE, binary=True, unicode_errors=errors)
        status, out, err = run(capsys, "similar", "--vectors", CUT_WORDS_FILE, "--binary",
                               "--unicode-errors", errors, "rey", "--topn", "20")
        assert status == 0
        expected = [word for word in theirs.index_to_key if word not in (None, "rey")]
        assert sorted(word for word, _ in parse_neighbours(out)) == sorted(expected)
        if errors == "ignore":  # a cut word became equal to an earlier one: said on one line
            assert err.startswith("w2vlib similar: warning: ") and err.count("\n") == 1
            assert "1 word(s) equal an earlier word" in err
        else:
            assert err == ""


def test_query_limit(capsys, vectors_file):
    status, out, _ = run(capsys, "similar", "--vectors", vectors_file, "--limit", "3", "king")
    assert status == 0
    assert [word for word, _ in parse_neighbours(out)] == [
        word for word, _ in gensim_vectors(vectors_file, limit=3).most_similar("king")]
    status, _, err = run(capsys, "similar", "--vectors", vectors_file, "--limit", "3", "queen")
    assert status == 2
    assert_one_line_error(err, "word 'queen' is not in the vocabulary", "(3 words)")
    status, _, err = run(capsys, "analogy", "--vectors", vectors_file, "--limit", "0",
                         "man", "king", "woman")
    assert status == 2
    assert_one_line_error(err, "--limit must be >= 1, got 0; pass --limit 1 or more")


# --- train ----------------------------------------------------------------------------

TINY = ["--vector-size", "8", "--window", "2", "--negative", "3", "--min-count", "1",
        "--epochs", "2", "--seed", "1"]


def corpus_words(path):
    return {word for sentence in read_sentences(path) for word in sentence}


def test_train_writes_vectors_gensim_can_read(capsys, tmp_path, corpus_file):
    before = corpus_file.read_bytes()
    output = tmp_path / "vectors.txt"
    status, out, err = run(capsys, "train", "--input", corpus_file, "--output", output,
                           "--method", "sgns", *TINY)
    assert status == 0
    assert out == ""
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("w2vlib train: sgns skip-gram, vocabulary 30 words, 2 epochs, ")
    assert "words/s, final loss " in summary and str(output) in summary
    vectors = gensim_vectors(output)
    assert vectors.vector_size == 8
    assert set(vectors.index_to_key) == corpus_words(corpus_file)
    assert np.all(np.isfinite(vectors.vectors))
    assert corpus_file.read_bytes() == before


def test_train_passes_every_option_to_word2vec(capsys, tmp_path, corpus_file, monkeypatch):
    import w2vlib.model

    received = {}

    class RecordingWord2Vec(w2vlib.model.Word2Vec):
        def __init__(self, **kwargs):
            received.update(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(w2vlib.model, "Word2Vec", RecordingWord2Vec)
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output",
                         tmp_path / "v.txt", "--method", "softmax", "--cbow",
                         "--vector-size", "6", "--window", "3", "--negative", "4",
                         "--min-count", "2", "--sample", "0.01", "--epochs", "1",
                         "--alpha", "0.05", "--seed", "9", "--batch-size", "64",
                         "--shared-negatives", "3", "--quiet")
    assert status == 0 and err == ""
    assert received == {
        "method": "softmax", "cbow": True, "vector_size": 6, "window": 3, "negative": 4,
        "min_count": 2, "sample": 0.01, "epochs": 1, "alpha": 0.05, "random_state": 9,
        "batch_size": 64, "shared_negatives": 3, "progress": False,
    }
    received.clear()
    status, _, _ = run(capsys, "train", "--input", corpus_file, "--output",
                       tmp_path / "w.txt", "--min-count", "1", "--epochs", "1", "--quiet")
    assert status == 0
    assert received == {"min_count": 1, "epochs": 1, "progress": False}  # the rest: defaults


def test_train_same_seed_same_file(capsys, tmp_path, corpus_file):
    outputs = [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"]
    for output, seed in zip(outputs, ["3", "3", "4"]):
        args = [*TINY[:-1], seed]
        status, _, _ = run(capsys, "train", "--input", corpus_file, "--output", output,
                           "--quiet", *args)
        assert status == 0
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    assert outputs[0].read_bytes() != outputs[2].read_bytes()


def test_train_softmax_cbow_binary(capsys, tmp_path, corpus_file):
    output = tmp_path / "vectors.bin"
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output,
                         "--method", "softmax", "--cbow", "--binary", "--quiet", *TINY)
    assert status == 0 and err == ""
    vectors = gensim_vectors(output, binary=True)
    assert vectors.vector_size == 8
    assert set(vectors.index_to_key) == corpus_words(corpus_file)
    status, out, _ = run(capsys, "similar", "--vectors", output, "--binary", "año", "--topn", "2")
    assert status == 0
    assert len(parse_neighbours(out)) == 2


def test_train_library_value_error_speaks_in_options(capsys, tmp_path, corpus_file):
    output = tmp_path / "v.txt"
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output,
                         "--min-count", "1000", "--quiet")
    assert status == 2
    assert_one_line_error(err, "1000", "--min-count")
    assert "min_count" not in err
    assert not output.exists()


def test_train_interrupted_writes_nothing(capsys, tmp_path, corpus_file, monkeypatch):
    import w2vlib.model

    def interrupted(self, sentences):
        raise KeyboardInterrupt

    monkeypatch.setattr(w2vlib.model.Word2Vec, "fit", interrupted)
    output = tmp_path / "v.txt"
    status, _, err = run(capsys, "train", "--input", corpus_file, "--output", output, "--quiet")
    assert status == 1
    assert_one_line_error(err, "interrupted; nothing was written")
    assert os.listdir(tmp_path) == [corpus_file.name]


def test_python_dash_m_w2vlib_train(tmp_path, corpus_file):
    output = tmp_path / "vectors.txt"
    result = subprocess.run(
        [sys.executable, "-m", "w2vlib", "train", "--input", str(corpus_file),
         "--output", str(output), "--quiet", *TINY],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    vectors = gensim_vectors(output)
    assert (len(vectors), vectors.vector_size) == (30, 8)

    refused = subprocess.run(
        [sys.executable, "-m", "w2vlib", "train", "--input", str(corpus_file),
         "--output", str(corpus_file), "--overwrite"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("w2vlib train: error: --output")
    assert "Traceback" not in refused.stderr
