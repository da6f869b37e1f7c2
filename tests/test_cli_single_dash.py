"""word2vec.c users type its single-dash options; w2vlib's command line reads them."""

from __future__ import annotations

import pytest

from w2vlib.cli import _two_dash_options, build_parser, main


@pytest.mark.parametrize(("typed", "read"), [
    (["train", "-train", "c.txt", "-output", "v.vec", "-size", "10", "-iter", "2"],
     ["train", "--input", "c.txt", "--output", "v.vec", "--vector-size", "10",
      "--epochs", "2"]),
    (["train", "-input", "c.txt", "-min-count", "1", "-cbow", "1", "-binary", "0"],
     ["train", "--input", "c.txt", "--min-count", "1", "--cbow"]),
    (["similar", "-vectors", "v.vec", "king", "-topn", "3"],
     ["similar", "--vectors", "v.vec", "king", "--topn", "3"]),
    (["train", "--seed", "-1", "-foo", "3"], ["train", "--seed", "-1", "-foo", "3"]),
    (["train", "-input", "c.txt", "-hs", "1", "-negative", "0"],
     ["train", "--input", "c.txt", "--hs", "--negative", "0"]),
])
def test_single_dash_options_are_read_as_ours(typed, read):
    assert _two_dash_options(build_parser(), typed) == read


def test_word2vec_c_spellings_train(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c a b c d\n" * 50, encoding="utf-8")
    output = tmp_path / "v.vec"
    status = main(["train", "-train", str(corpus), "-output", str(output), "-size", "8",
                   "-iter", "1", "-min-count", "1", "-cbow", "0", "-quiet"])
    assert status == 0 and output.read_text(encoding="utf-8").startswith("4 8\n")


def test_word2vec_c_hierarchical_softmax_trains(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c a b c d\n" * 50, encoding="utf-8")
    output = tmp_path / "v.vec"
    status = main(["train", "-train", str(corpus), "-output", str(output), "-size", "8",
                   "-iter", "1", "-min-count", "1", "-hs", "1", "-negative", "0", "-quiet"])
    assert status == 0 and output.read_text(encoding="utf-8").startswith("4 8\n")


@pytest.mark.parametrize(("typed", "message"), [
    (["-hs", "2"], "-hs takes 0 or 1 as in word2vec.c (got '2'); or write --hs"),
    (["-threads", "4"], "-threads: w2vlib trains on one thread"),
    (["-cbow", "yes"],
     "-cbow takes 0 or 1 as in word2vec.c (got 'yes'); or write --cbow"),
])
def test_word2vec_c_options_we_lack_are_named(typed, message, capsys, tmp_path):
    output = str(tmp_path / "v.vec")
    status = main(["train", "-input", "c.txt", "-output", output, *typed])
    assert status == 2 and message in capsys.readouterr().err
