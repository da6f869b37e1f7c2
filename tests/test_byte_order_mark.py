"""Every reader of a user's UTF-8 file skips a byte-order mark at its start, the same way.

Editors on Windows may start a UTF-8 file with the three bytes EF BB BF; they are not part of
the text. Each reader must give the same result with and without them.
"""
import codecs

import numpy as np
import pytest

from w2vlib.corpora import read_sentences
from w2vlib.evaluation import evaluate_word_analogies, evaluate_word_pairs
from w2vlib.files import bom_length
from w2vlib.keyedvectors import KeyedVectors

WV = KeyedVectors(
    np.array([[1.0, 0.0, 0.2], [1.0, 1.0, 0.1], [0.0, 0.1, 1.0], [0.2, 1.0, 1.0], [0.5, 0.5, 0.0]]),
    ["rey", "reina", "hombre", "mujer", "casa"],
)


def read_text_vectors(path):
    wv = KeyedVectors.load_word2vec_format(path)
    return wv.index_to_key, wv.vectors.tolist()


def read_binary_vectors(path):
    wv = KeyedVectors.load_word2vec_format(path, binary=True)
    return wv.index_to_key, wv.vectors.tolist()


def word_pairs(path):
    result = evaluate_word_pairs(WV, path)
    return result.pairs_used, result.skipped_lines, result.spearman


def analogies(path):
    result = evaluate_word_analogies(WV, path)
    return [(section.name, section.correct, section.total) for section in result.sections]


def binary_vectors_file(tmp_path):
    path = tmp_path / "model.bin"
    WV.save_word2vec_format(path, binary=True)
    return path.read_bytes()


READERS = {
    "read_sentences": (read_sentences, lambda _: "el rey\nla reina\n".encode()),
    "word2vec text": (read_text_vectors, lambda _: "2 2\nrey 1.0 2.0\naño 3.0 4.0\n".encode()),
    "word2vec binary": (read_binary_vectors, binary_vectors_file),
    "word pairs": (word_pairs, lambda _: b"# comment\nrey\treina\t9\nhombre\tcasa\t2\n"
                                         b"mujer\treina\t8\n"),
    "analogies": (analogies, lambda _: b": family\nhombre rey mujer reina\n"),
}


@pytest.mark.parametrize("name", list(READERS))
def test_reader_skips_a_leading_byte_order_mark(tmp_path, name):
    read, content = READERS[name]
    data = content(tmp_path)
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    plain.write_bytes(data)
    marked.write_bytes(codecs.BOM_UTF8 + data)
    assert read(marked) == read(plain)


def test_bom_length():
    assert bom_length(codecs.BOM_UTF8 + b"2 2\n") == 3
    assert bom_length(b"2 2\n") == 0
    assert bom_length(codecs.BOM_UTF8[:2]) == 0
    assert bom_length("\ufeff".encode("utf-16")) == 0  # only the UTF-8 mark
